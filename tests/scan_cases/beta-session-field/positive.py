await ws.send(json.dumps({
    "type": "session.update",
    "session": {
        "modalities": ["text", "audio"],  # expect[beta-session-field]
        "voice": "alloy",  # expect[beta-session-field]
        "input_audio_format": "pcm16",  # expect[beta-session-field]
        "turn_detection": {"type": "server_vad"},  # expect[beta-session-field]
        "temperature": 0.8,  # expect[beta-session-field]
    },
}))
await conn.session.update(session={"input_audio_transcription": {"model": "whisper-1"}})  # expect[beta-session-field,model-retiring]
await conn.response.create(response={"modalities": ["text"]})  # expect[beta-session-field]
