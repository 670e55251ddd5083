import websockets
import websockets.client as wsc
from websockets import connect as ws_connect


async def main(url, headers):
    async with websockets.connect(url, extra_headers=headers) as ws:  # expect[websockets-extra-headers]
        await ws.recv()
    await wsc.connect(url, extra_headers=headers)  # expect[websockets-extra-headers]
    await ws_connect(
        url,
        extra_headers={"Authorization": "Bearer x"},  # expect[websockets-extra-headers]
    )
