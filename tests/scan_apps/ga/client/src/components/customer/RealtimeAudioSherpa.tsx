import React, { useEffect, useRef, useState } from "react";
import { playPcm16 } from "../../audio/playback";

// Browser side of the Financial Sherpa voice assistant. It talks to our server's
// WebSocket bridge, which relays OpenAI Realtime events unchanged.
type SherpaEvent =
  | { type: "response.output_audio.delta"; delta: string }
  | { type: "response.output_audio_transcript.delta"; delta: string }
  | { type: "error"; error: { message: string } };

export function RealtimeAudioSherpa({ customerId }: { customerId: string }) {
  const [transcript, setTranscript] = useState("");
  const [ready, setReady] = useState(false);
  const socket = useRef<WebSocket | null>(null);

  useEffect(() => {
    const origin = window.location.origin.replace(/^http/, "ws");
    const ws = new WebSocket(`${origin}/api/sherpa/realtime?customer=${encodeURIComponent(customerId)}`);
    socket.current = ws;
    ws.onmessage = (message) => {
      const event = JSON.parse(message.data) as SherpaEvent | { type: string };
      switch (event.type) {
        case "session.created":
          setReady(true);
          break;
        case "response.output_audio.delta":
          playPcm16((event as { delta: string }).delta);
          break;
        case "response.output_audio_transcript.delta":
          setTranscript((t) => t + (event as { delta: string }).delta);
          break;
        case "conversation.item.added":
          setTranscript("");
          break;
        default:
          break;
      }
    };
    return () => ws.close();
  }, [customerId]);

  return (
    <div className="sherpa">
      {ready ? <p>Ask me anything about your account.</p> : <p>Don't go anywhere, connecting…</p>}
      <p className="transcript">{transcript}</p>
    </div>
  );
}
