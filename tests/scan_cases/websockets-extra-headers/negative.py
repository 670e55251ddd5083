import websockets
from websockets.legacy.client import connect as legacy_connect
from openai import OpenAI

# websockets.connect(url, extra_headers=headers) was the websockets<14 spelling


async def main(url, headers):
    async with websockets.connect(url, additional_headers=headers) as ws:
        await ws.recv()
    await legacy_connect(url, extra_headers=headers)
    OpenAI().chat.completions.create(model="gpt-4o", messages=[], extra_headers={"X-Trace": "1"})
