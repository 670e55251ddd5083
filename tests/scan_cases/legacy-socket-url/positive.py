url = f"wss://api.openai.com/v1/realtime/{session_id}"  # expect[legacy-socket-url]
url = f"wss://api.openai.com/v1/realtime?model={MODEL}&authorization=Bearer%20{token}"  # expect[legacy-socket-url]
