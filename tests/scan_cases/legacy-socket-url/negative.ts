// never: wss://api.openai.com/v1/realtime/${sessionId}?authorization=Bearer
const ws = new WebSocket(`wss://api.openai.com/v1/realtime?model=${model}`, ["realtime", `openai-insecure-api-key.${ek}`]);
const sideband = `wss://api.openai.com/v1/realtime?call_id=${callId}`;
const accept = `https://api.openai.com/v1/realtime/calls/${callId}/accept`;
const azure = `wss://${resource}.openai.azure.com/openai/v1/realtime?model=${deployment}&api-key=${key}`;
const grok = `wss://api.x.ai/v1/realtime?authorization=Bearer%20${token}`;
