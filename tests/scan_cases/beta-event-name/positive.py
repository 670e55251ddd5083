async for event in realtime_connection:
    if event.type == "response.audio.delta":  # expect[beta-event-name]
        play(event.delta)
    elif event.type == "response.text.delta":  # expect[beta-event-name]
        print(event.delta)
    elif event.type in ("response.audio_transcript.delta", "response.text.done"):  # expect[beta-event-name]
        pass
    match event.type:
        case "conversation.item.created":  # expect[beta-event-name]
            pass
await ws.send(json.dumps({"type": "transcription_session.update"}))  # expect[beta-event-name]
