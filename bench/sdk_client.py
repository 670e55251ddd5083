"""The obvious script on the official `openai` SDK (pip install openai): the comparison users know.

    OPENAI_API_KEY=... python bench/sdk_client.py BASE_URL CAFILE MODEL

One step after another, as a script written from the SDK's docs would: list models, mint a
client secret, open a socket with the key and one with the minted secret, each waiting for
`session.created`.
"""

from __future__ import annotations

import asyncio
import json
import os
import ssl
import sys


async def main() -> None:
    import httpx
    from openai import AsyncOpenAI

    base_url, cafile, model = sys.argv[1:4]
    ctx = ssl.create_default_context(cafile=cafile)
    ws_base = base_url.replace("https://", "wss://").replace("http://", "ws://")
    async with httpx.AsyncClient(verify=ctx) as http:
        client = AsyncOpenAI(
            api_key=os.environ["OPENAI_API_KEY"], base_url=base_url, websocket_base_url=ws_base, http_client=http
        )
        ids = {m.id async for m in client.models.list()}
        minted = await client.realtime.client_secrets.create(session={"type": "realtime", "model": model})
        verdicts: dict[str, object] = {"models": model in ids}
        async with client.realtime.connect(model=model, websocket_connection_options={"ssl": ctx}) as conn:
            verdicts["websocket"] = (await conn.recv()).type
        ephemeral = AsyncOpenAI(api_key=minted.value, base_url=base_url, websocket_base_url=ws_base, http_client=http)
        async with ephemeral.realtime.connect(model=model, websocket_connection_options={"ssl": ctx}) as conn:
            verdicts["websocket_ephemeral"] = (await conn.recv()).type
    print(
        json.dumps(
            {"ok": verdicts["models"] is True and verdicts["websocket"] == "session.created", "verdicts": verdicts}
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
