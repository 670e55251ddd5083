import WebSocket from "ws";
import { createRealtimeSession } from "./openaiRealtime";

// Server WebSocket bridge between the browser and OpenAI's Realtime API.
// Buffers client audio until the upstream session is ready, reconnects on drops.
export class RealtimeBridge {
  private upstream: WebSocket | null = null;
  private pending: string[] = [];

  constructor(private readonly client: WebSocket) {}

  async connect(): Promise<void> {
    const session = await createRealtimeSession("You are Financial Sherpa.");
    const url = `wss://api.openai.com/v1/realtime/${session.id}?authorization=Bearer%20${session.token}`; // expect[legacy-socket-url]
    this.upstream = new WebSocket(url, {
      headers: { "OpenAI-Beta": "realtime=v1" }, // expect[beta-header]
    });
    this.upstream.on("open", () => {
      this.send({
        type: "session.update",
        session: {
          modalities: ["text", "audio"], // expect[beta-session-field]
          input_audio_format: "pcm16", // expect[beta-session-field]
          output_audio_format: "pcm16", // expect[beta-session-field]
          input_audio_transcription: { model: "whisper-1" }, // expect[beta-session-field,model-retiring]
          turn_detection: { type: "server_vad", silence_duration_ms: 500 }, // expect[beta-session-field]
        },
      });
      this.pending.splice(0).forEach((frame) => this.upstream?.send(frame));
    });
    this.upstream.on("message", (data) => {
      const event = JSON.parse(data.toString());
      if (event.type === "response.text.delta") { // expect[beta-event-name]
        console.log("sherpa:", event.delta);
      }
      this.client.send(data.toString());
    });
    this.upstream.on("close", (code, reason) => console.warn(`upstream closed ${code} ${reason}`));
    this.client.on("message", (frame) => this.forward(frame.toString()));
  }

  private forward(frame: string): void {
    if (this.upstream?.readyState === WebSocket.OPEN) this.upstream.send(frame);
    else this.pending.push(frame);
  }

  private send(event: object): void {
    this.upstream?.send(JSON.stringify(event));
  }
}
