import WebSocket from "ws";

// Server WebSocket bridge between the browser and OpenAI's Realtime API.
// Buffers client audio until the upstream session is ready, reconnects on drops.
const MODEL = process.env.OPENAI_REALTIME_MODEL ?? "gpt-realtime-2.1";

export class RealtimeBridge {
  private upstream: WebSocket | null = null;
  private pending: string[] = [];

  constructor(private readonly client: WebSocket) {}

  async connect(): Promise<void> {
    const url = `wss://api.openai.com/v1/realtime?model=${encodeURIComponent(MODEL)}`;
    this.upstream = new WebSocket(url, {
      headers: { Authorization: `Bearer ${process.env.OPENAI_API_KEY}` },
    });
    this.upstream.on("open", () => {
      this.send({
        type: "session.update",
        session: {
          type: "realtime",
          output_modalities: ["audio"],
          instructions: "You are Financial Sherpa.",
          audio: {
            input: {
              format: { type: "audio/pcm", rate: 24000 },
              transcription: { model: "gpt-live-transcribe" },
              turn_detection: { type: "server_vad", silence_duration_ms: 500 },
            },
            output: { format: { type: "audio/pcm", rate: 24000 }, voice: "marin" },
          },
        },
      });
      this.pending.splice(0).forEach((frame) => this.upstream?.send(frame));
    });
    this.upstream.on("message", (data) => {
      const event = JSON.parse(data.toString());
      if (event.type === "response.output_text.delta") {
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
