// A server-side socket: https is not a WebRTC offer when no SDP is around.
const base = "https://api.openai.com/v1/realtime";
const ws = new WebSocket(base.replace("https", "wss") + `?model=${model}`, { headers });
