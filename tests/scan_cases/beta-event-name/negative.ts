// realtime GA names: response.audio.delta → response.output_audio.delta
const realtime = new RealtimeSocket(url);
realtime.on("response.output_audio.delta", (e) => play(e.delta));
console.log(`got response.audio.delta? no: ${event.type}`);
const re = /response.audio.delta/;
