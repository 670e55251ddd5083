# POST /v1/realtime/sessions was the beta endpoint
resp = httpx.post("https://api.openai.com/v1/realtime/client_secrets", json=body)
calls = f"{BASE_URL}/realtime/calls"
live = "https://api.openai.com/v1/live/sessions"
log.warning("POST /v1/realtime/sessions returned 404")
