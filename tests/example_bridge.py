"""An example browser -> OpenAI WebSocket bridge, like the ones our users write, with switchable faults.

It serves `ws://127.0.0.1:<port>/realtime` on its own thread and event loop, opens one upstream socket per
client with its own (fake) key, and pumps events both ways. The faults are the real-world ones the relay
check must diagnose:

- beta_header: adds `OpenAI-Beta: realtime=v1` upstream (the retired protocol: 4000 since May 2026);
- swallow_errors: drops upstream `error` events and keeps the client's socket open (the client waits forever);
- rewrite_close: closes the client with 1000 whatever code the upstream used;
- drop_first_event: never forwards the first upstream event (session.created);
- no_auth: connects upstream without the Authorization header;
- drop_client_events: never forwards the client's events upstream;
- greeting: a frame of its own sent to the client before anything else (text, JSON or not);
- beta_session: sends a beta-shaped session.update upstream as soon as it connects (no session.type,
  top-level modalities and voice), as bridges written for the beta still do;
- echo_credentials: a hostile bridge that answers with an error event and a close reason quoting every
  credential the client sent (for the secret sweep).

The upstream is read per connection, so a test can point a running bridge at the bridge doctor's emulator.
"""

from __future__ import annotations

import asyncio
import json
import threading
from dataclasses import dataclass
from urllib.parse import urlencode

import aiohttp
from aiohttp import WSMsgType, web

BRIDGE_KEY = "sk-proj-FAKE-BRIDGE-0000000000000000000000000000TEST"


@dataclass
class Faults:
    beta_header: bool = False
    swallow_errors: bool = False
    rewrite_close: bool = False
    drop_first_event: bool = False
    no_auth: bool = False
    drop_client_events: bool = False
    greeting: str | None = None
    beta_session: bool = False
    echo_credentials: bool = False


class ExampleBridge:
    def __init__(
        self, upstream: str, *, faults: Faults | None = None, token: str | None = None, model: str = "gpt-realtime"
    ) -> None:
        self.upstream = upstream  # the upstream socket URL without query, e.g. ws://127.0.0.1:1234/v1/realtime
        self.faults = faults or Faults()
        self.token = token  # when set, clients must present it (query, subprotocol or header)
        self.model = model  # used unless the client asks for one with ?model=
        self.port = 0
        self.offered: list[str] = []  # the subprotocols clients offered, in order (to check what was sent)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/realtime"

    def __enter__(self) -> ExampleBridge:
        self._thread = threading.Thread(target=self._serve, name="example-bridge", daemon=True)
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *_: object) -> None:
        loop = self._loop
        if loop is not None and self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), loop).result(10)
            loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    def _serve(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        app = web.Application()
        app.router.add_get("/realtime", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0, handle_signals=False)
        loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        loop.run_until_complete(site.start())
        self.port = self._runner.addresses[0][1]
        self._ready.set()
        loop.run_forever()
        loop.close()

    def _authorised(self, request: web.Request) -> bool:
        if self.token is None:
            return True
        # Anywhere a browser client can put it: a query parameter, a subprotocol (or, from servers, a header).
        offered = [p.strip() for p in request.headers.get("Sec-WebSocket-Protocol", "").split(",")]
        headers = [value.removeprefix("Bearer ") for value in request.headers.values()]
        return self.token in (*request.query.values(), *offered, *headers)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.offered += [p.strip() for p in request.headers.get("Sec-WebSocket-Protocol", "").split(",") if p.strip()]
        if not self._authorised(request):
            return web.Response(status=401, text="unauthorized\n")  # the bridge's own answer: no OpenAI headers
        client = web.WebSocketResponse(protocols=("realtime",))
        await client.prepare(request)
        if self.faults.echo_credentials:
            return await self._echo(request, client)
        if self.faults.greeting is not None:
            await client.send_str(self.faults.greeting)
        headers = {} if self.faults.no_auth else {"Authorization": f"Bearer {BRIDGE_KEY}"}
        if self.faults.beta_header:
            headers["OpenAI-Beta"] = "realtime=v1"
        query = urlencode({"model": request.query.get("model", self.model)})
        async with aiohttp.ClientSession() as session:
            try:
                upstream = await session.ws_connect(f"{self.upstream}?{query}", headers=headers)
            except aiohttp.ClientError:
                code, reason = (1000, b"") if self.faults.rewrite_close else (1011, b"upstream unavailable")
                await client.close(code=code, message=reason)
                return client
            async with upstream:
                if self.faults.beta_session:
                    beta = {"modalities": ["text", "audio"], "voice": "alloy"}  # realtime-check: ignore
                    await upstream.send_str(json.dumps({"type": "session.update", "session": beta}))
                to_upstream = asyncio.ensure_future(self._client_to_upstream(client, upstream))
                try:
                    await self._upstream_to_client(upstream, client)
                    if self.faults.swallow_errors:
                        await to_upstream  # the upstream is gone, but the client is kept waiting until it leaves
                finally:
                    to_upstream.cancel()
        return client

    async def _echo(self, request: web.Request, client: web.WebSocketResponse) -> web.WebSocketResponse:
        sent = f"query={dict(request.query)} headers={dict(request.headers)}"
        error = {"type": "invalid_request_error", "code": "bad_credentials", "message": f"rejected: {sent}"}
        await client.send_str(json.dumps({"type": "error", "error": error}))
        await client.close(code=4003, message=f"bad token {self.token}".encode()[:120])
        return client

    async def _client_to_upstream(
        self, client: web.WebSocketResponse, upstream: aiohttp.ClientWebSocketResponse
    ) -> None:
        async for message in client:
            if message.type == WSMsgType.TEXT and not upstream.closed and not self.faults.drop_client_events:
                await upstream.send_str(message.data)
        await upstream.close()

    async def _upstream_to_client(
        self, upstream: aiohttp.ClientWebSocketResponse, client: web.WebSocketResponse
    ) -> None:
        first = True
        while True:
            message = await upstream.receive()
            if message.type == WSMsgType.TEXT:
                dropped = first and self.faults.drop_first_event
                first = False
                kind = json.loads(message.data).get("type")
                if dropped or (kind == "error" and self.faults.swallow_errors):
                    continue
                await client.send_str(message.data)
                continue
            # The upstream closed (or the connection dropped).
            if self.faults.swallow_errors:
                return  # and say nothing to the client
            code = upstream.close_code or 1011
            reason = (message.extra or "") if message.type == WSMsgType.CLOSE else ""
            if self.faults.rewrite_close:
                code, reason = 1000, ""
            await client.close(code=code, message=str(reason).encode())
            return
