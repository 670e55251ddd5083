# gpt-realtime shuts down on 2027-01-20
MODEL = "gpt-realtime-2.1"
MINI = "gpt-realtime-2.1-mini"
OTHERS = ["gpt-realtime-2", "gpt-realtime-1.5", "gpt-live-transcribe"]
print("moving off gpt-realtime before January")
