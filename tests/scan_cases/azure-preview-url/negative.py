# preview: /openai/realtime?api-version=2025-04-01-preview&deployment=...
url = f"wss://{resource}.openai.azure.com/openai/v1/realtime?model={deployment}"
mint = f"https://{resource}.openai.azure.com/openai/v1/realtime/client_secrets"
chat = f"https://{resource}.openai.azure.com/openai/deployments/{d}/chat/completions?api-version=2024-10-21"
