"""Python variant of the bridge, for the call-center integration."""

import asyncio
import json
import os

import websockets
from openai import AsyncOpenAI

OPENAI_API_KEY = os.environ["OPENAI_API_KEY"]
MODEL = os.environ.get("OPENAI_REALTIME_MODEL", "gpt-realtime-2.1")
URL = f"wss://api.openai.com/v1/realtime?model={MODEL}"


async def bridge(twilio_ws):
    async with websockets.connect(
        URL,
        additional_headers={
            "Authorization": f"Bearer {OPENAI_API_KEY}",
        },
    ) as openai_ws:
        await openai_ws.send(json.dumps({
            "type": "session.update",
            "session": {
                "type": "realtime",
                "output_modalities": ["audio"],
                "audio": {
                    "input": {"format": {"type": "audio/pcmu"}, "turn_detection": {"type": "server_vad"}},
                    "output": {"format": {"type": "audio/pcmu"}, "voice": "marin"},
                },
            },
        }))
        async for message in openai_ws:
            event = json.loads(message)
            if event["type"] == "response.output_audio.delta":
                await twilio_ws.send(json.dumps({"event": "media", "media": {"payload": event["delta"]}}))


async def text_only(prompt: str) -> str:
    client = AsyncOpenAI()
    out = []
    async with client.realtime.connect(model=MODEL) as conn:
        await conn.session.update(session={"type": "realtime", "output_modalities": ["text"]})
        await conn.conversation.item.create(item={"type": "message", "role": "user", "content": [{"type": "input_text", "text": prompt}]})
        await conn.response.create()
        async for event in conn:
            if event.type == "response.output_text.delta":
                out.append(event.delta)
            elif event.type == "response.done":
                break
    return "".join(out)


if __name__ == "__main__":
    print(asyncio.run(text_only("Hello")))
