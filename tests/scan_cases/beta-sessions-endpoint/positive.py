resp = httpx.post("https://api.openai.com/v1/realtime/sessions", json=body)  # expect[beta-sessions-endpoint]
url = f"{BASE_URL}/realtime/transcription_sessions"  # expect[beta-sessions-endpoint]
SESSIONS = "/v1/realtime/sessions"  # expect[beta-sessions-endpoint]
