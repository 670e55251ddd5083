// Remove 'OpenAI-Beta': 'realtime=v1' — the GA interface rejects it.
/* old: new WebSocket(url, ["realtime", "openai-beta.realtime-v1"]) */
const headers = { Authorization: `Bearer ${key}` };
const ws = new WebSocket(url, ["realtime", `openai-insecure-api-key.${ek}`]);
const assistants = { "OpenAI-Beta": "assistants=v2" };
const note = `the beta header was OpenAI-Beta`;
