# gpt-4o-realtime-preview was shut down; we use gpt-realtime-2.1
MODEL = "gpt-realtime-2.1"
MINI = "gpt-realtime-2.1-mini"
print("migrated from gpt-4o-realtime-preview to gpt-realtime-2.1")
CHAT = "gpt-4o"
