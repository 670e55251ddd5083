import React, { useEffect, useRef, useState } from "react";
import { playPcm16 } from "../../audio/playback";

// Browser side of the Financial Sherpa voice assistant. It talks to our server's
// WebSocket bridge, which relays OpenAI Realtime events unchanged.
type SherpaEvent =
  | { type: "response.audio.delta"; delta: string } // expect[beta-event-name]
  | { type: "response.audio_transcript.delta"; delta: string } // expect[beta-event-name]
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
        case "response.audio.delta": // expect[beta-event-name]
          playPcm16((event as { delta: string }).delta);
          break;
        case "response.audio_transcript.delta": // expect[beta-event-name]
          setTranscript((t) => t + (event as { delta: string }).delta);
          break;
        case "conversation.item.created": // expect[beta-event-name]
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
