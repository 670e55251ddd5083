const headers = { Authorization: `Bearer ${key}`, 'OpenAI-Beta': 'realtime=v1' }; // expect[beta-header]
req.setHeader("OpenAI-Beta", "realtime=v1"); // expect[beta-header]
const ws = new WebSocket(url, ["realtime", `openai-insecure-api-key.${ek}`, "openai-beta.realtime-v1"]); // expect[beta-header]
await axios.post(url, body, {
  headers: {
    "OpenAI-Beta": "realtime=v1", // expect[beta-header]
  },
});
