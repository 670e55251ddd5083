// fetch("/v1/realtime/sessions") is gone
const r = await fetch(`${API}/v1/realtime/client_secrets`, { method: "POST" });
const hangup = await fetch(`${API}/v1/realtime/calls/${callId}/hangup`, { method: "POST" });
throw new Error("POST /v1/realtime/sessions is the beta endpoint");
