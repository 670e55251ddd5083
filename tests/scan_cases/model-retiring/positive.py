MODEL = "gpt-realtime"  # expect[model-retiring]
MINI = "gpt-realtime-mini"  # expect[model-retiring]
TRANSCRIBE = {"model": "whisper-1"}  # expect[model-retiring]
SNAPSHOT = "gpt-realtime-2025-08-28"  # expect[model-retiring]
