const realtime = new RealtimeSocket(url);
realtime.on("response.audio.delta", (e) => play(e.delta)); // expect[beta-event-name]
switch (event.type) {
  case 'response.audio_transcript.done': // expect[beta-event-name]
    break;
  case `response.text.delta`: // expect[beta-event-name]
    break;
}
type ServerEvent = "response.audio.done" | "response.output_text.done"; // expect[beta-event-name]
