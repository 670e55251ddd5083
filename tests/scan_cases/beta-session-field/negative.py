# realtime GA session: the beta had "voice" and "modalities" at the top
await ws.send(json.dumps({
    "type": "session.update",
    "session": {
        "type": "realtime",
        "output_modalities": ["audio"],
        "audio": {
            "input": {"format": {"type": "audio/pcm", "rate": 24000}, "turn_detection": None},
            "output": {"voice": "marin"},
        },
    },
}))
tts = {"voice": "alloy", "temperature": 0.2}
