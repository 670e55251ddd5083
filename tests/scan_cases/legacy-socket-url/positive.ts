const ws = new WebSocket(`wss://api.openai.com/v1/realtime/${sessionId}`); // expect[legacy-socket-url]
const url = "wss://api.openai.com/v1/realtime/" + session.id; // expect[legacy-socket-url]
const authed = `wss://api.openai.com/v1/realtime?model=${model}&authorization=Bearer%20${token}`; // expect[legacy-socket-url]
const keyed = `wss://api.openai.com/v1/realtime?model=${model}&api_key=${key}`; // expect[legacy-socket-url]
