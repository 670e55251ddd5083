# realtime: response.audio.delta became response.output_audio.delta
async for event in realtime_connection:
    if event.type == "response.output_audio.delta":
        play(event.delta)
    elif event.type == "response.output_text.delta":
        print("beta sent response.audio.delta here")
    elif event.type == "conversation.item.added":
        pass
