# The Responses API streams its own audio events; this file never touches the voice socket.
for event in client.responses.create(model="gpt-4o", input="hi", stream=True):
    if event.type == "response.audio.delta":
        play(event.delta)
