const r = await fetch(`${API}/v1/realtime/sessions`, { method: "POST" }); // expect[beta-sessions-endpoint]
const t = await fetch("https://api.openai.com/v1/realtime/transcription_sessions", init); // expect[beta-sessions-endpoint]
