# wss://api.openai.com/v1/realtime/{session_id} was never a URL
url = f"wss://api.openai.com/v1/realtime?model={MODEL}"
calls = f"https://api.openai.com/v1/realtime/calls/{call_id}/hangup"
