url = f"wss://{resource}.openai.azure.com/openai/realtime?api-version=2025-04-01-preview&deployment={deployment}"  # expect[azure-preview-url]
mint = f"https://{resource}.openai.azure.com/openai/realtimeapi/sessions?api-version=2025-04-01-preview"  # expect[azure-preview-url]
