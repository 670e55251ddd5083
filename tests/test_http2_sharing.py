"""The REST checks run concurrently yet share one connection when the server speaks HTTP/2.

api.openai.com offers h2; the emulator (aiohttp) does not, so this test stands up a
real HTTP/2 server (hypercorn) over real TLS with a trustme CA.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import trustme
from hypercorn.asyncio import serve as hypercorn_serve
from hypercorn.config import Config as HypercornConfig

from realtime_check.checks import doctor
from realtime_check.checks.context import RunOptions
from realtime_check.settings import resolve

FAKE_KEY = "sk-proj-FAKE0000000000000000000000000000000000000000H2"


class Api:
    """A minimal ASGI stand-in for the three REST endpoints, recording who called."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, int]] = []  # (http_version, path, client port)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                kind = "startup" if message["type"] == "lifespan.startup" else "shutdown"
                await send({"type": f"lifespan.{kind}.complete"})
                if kind == "shutdown":
                    return
        while (await receive()).get("more_body"):
            pass
        self.calls.append((scope["http_version"], scope["path"], scope["client"][1]))
        if scope["path"].endswith("/client_secrets"):
            body: dict[str, Any] = {"value": "ek_FAKE00000000000000000000", "expires_at": int(time.time()) + 60}
        elif scope["path"].endswith("/models"):
            body = {"object": "list", "data": [{"id": "gpt-realtime-2.1"}, {"id": "whisper-1"}]}
        else:
            body = {"id": "gpt-realtime-2.1", "object": "model"}
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": json.dumps(body).encode()})


@pytest.fixture
def h2_server(tmp_path: Any) -> Iterator[tuple[str, str, Api]]:
    """An HTTP/2 server on a loopback port, in its own thread and event loop."""
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    ca_file, cert_file = tmp_path / "ca.pem", tmp_path / "server.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    cert.private_key_and_cert_chain_pem.write_to_path(str(cert_file))
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    config = HypercornConfig()
    config.bind = [f"fd://{listener.detach()}"]  # hypercorn owns (and closes) the socket from here
    config.certfile = config.keyfile = str(cert_file)
    config.alpn_protocols = ["h2"]
    config.accesslog = config.errorlog = None
    api = Api()
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(hypercorn_serve(api, config, shutdown_trigger=stop.wait))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{port}/v1", str(ca_file), api
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)
        loop.close()


def test_concurrent_rest_checks_share_one_http2_connection(h2_server: tuple[str, str, Api]) -> None:
    """api_key, models and session run at once over HTTP/2, on a single TCP connection."""
    base_url, ca_file, api = h2_server
    settings = resolve({"api_key": FAKE_KEY, "base_url": base_url}, {}, {}, None, timeout=15, ca_bundle=ca_file)
    report = doctor.run(settings, RunOptions(), ["api_key", "models", "session"])
    assert [c.status.value for c in report.checks] == ["pass", "pass", "pass"], [c.summary for c in report.checks]
    assert {path for _, path, _ in api.calls} == {"/v1/models", "/v1/realtime/client_secrets"}
    assert {version for version, _, _ in api.calls} == {"2"}
    assert len({port for _, _, port in api.calls}) == 1, api.calls
