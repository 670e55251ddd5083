// realtime voice agent
const sessionConfig = {
  modalities: ["audio", "text"], // expect[beta-session-field]
  voice, // expect[beta-session-field]
  output_audio_format: "pcm16", // expect[beta-session-field]
  max_response_output_tokens: 4096, // expect[beta-session-field]
};
client.updateSession({ turn_detection: { type: "server_vad" } }); // expect[beta-session-field]
interface RealtimeSessionConfig {
  input_audio_format?: string; // expect[beta-session-field]
  voice?: string; // expect[beta-session-field]
}
