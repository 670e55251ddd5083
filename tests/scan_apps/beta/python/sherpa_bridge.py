"""Python variant of the bridge, for the call-center integration."""

import asyncio
import json
import os

import websockets
from openai import AsyncOpenAI

OPENAI_API_KEY = os.environ["OPENAI_API_KEY"]
MODEL = "gpt-4o-realtime-preview-2024-10-01"  # expect[retired-model]
URL = f"wss://api.openai.com/v1/realtime?model={MODEL}"


async def bridge(twilio_ws):
    async with websockets.connect(
        URL,
        extra_headers={  # expect[websockets-extra-headers]
            "Authorization": f"Bearer {OPENAI_API_KEY}",
            "OpenAI-Beta": "realtime=v1",  # expect[beta-header]
        },
    ) as openai_ws:
        await openai_ws.send(json.dumps({
            "type": "session.update",
            "session": {
                "turn_detection": {"type": "server_vad"},  # expect[beta-session-field]
                "input_audio_format": "g711_ulaw",  # expect[beta-session-field]
                "output_audio_format": "g711_ulaw",  # expect[beta-session-field]
                "voice": "alloy",  # expect[beta-session-field]
                "modalities": ["text", "audio"],  # expect[beta-session-field]
                "temperature": 0.8,  # expect[beta-session-field]
            },
        }))
        async for message in openai_ws:
            event = json.loads(message)
            if event["type"] == "response.audio.delta":  # expect[beta-event-name]
                await twilio_ws.send(json.dumps({"event": "media", "media": {"payload": event["delta"]}}))


async def text_only(prompt: str) -> str:
    client = AsyncOpenAI()
    out = []
    async with client.beta.realtime.connect(model="gpt-4o-realtime-preview") as conn:  # expect[sdk-beta-realtime,retired-model]
        await conn.session.update(session={"modalities": ["text"]})  # expect[beta-session-field]
        await conn.conversation.item.create(item={"type": "message", "role": "user", "content": [{"type": "input_text", "text": prompt}]})
        await conn.response.create()
        async for event in conn:
            if event.type == "response.text.delta":  # expect[beta-event-name]
                out.append(event.delta)
            elif event.type == "response.done":
                break
    return "".join(out)


if __name__ == "__main__":
    print(asyncio.run(text_only("Hello")))
