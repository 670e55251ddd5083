MODEL = "gpt-4o-realtime-preview-2024-12-17"  # expect[retired-model]
URL = "wss://api.openai.com/v1/realtime?model=gpt-4o-mini-realtime-preview"  # expect[retired-model]
model = os.getenv("REALTIME_MODEL", "gpt-4o-realtime-preview")  # expect[retired-model]
