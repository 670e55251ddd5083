"""The round trips a healthy run does not spend: no waiting for farewells, no late connections."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import importlib
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from check_harness import make_settings, run_async

from realtime_check.models import CheckResult, Status
from realtime_check.probes import websocket as wsprobe

_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def _text_frame(payload: dict[str, Any]) -> bytes:
    data = json.dumps(payload).encode()
    assert len(data) < 126
    return bytes([0x81, len(data)]) + data


@asynccontextmanager
async def never_says_goodbye(released: asyncio.Event, on_accept: Any = None) -> AsyncIterator[int]:
    """A Realtime server that greets with session.created, then ignores our close frames until released."""
    seen_close = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if on_accept is not None:
            on_accept()
        request = await reader.readuntil(b"\r\n\r\n")
        key = next(
            line.split(b":", 1)[1].strip()
            for line in request.split(b"\r\n")
            if line.lower().startswith(b"sec-websocket-key:")
        )
        accept = base64.b64encode(hashlib.sha1(key + _GUID).digest())
        writer.write(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n"
        )
        target = request.split(b" ", 2)[1].decode()
        model = parse_qs(urlsplit(target).query).get("model", ["?"])[0]  # greet with the model asked for
        writer.write(_text_frame({"type": "session.created", "session": {"id": "sess_FAKE", "model": model}}))
        await writer.drain()
        frame = await reader.read(2)  # our close frame arrives; no answer is ever sent
        seen_close.append(frame[:1] == b"\x88")
        await released.wait()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        released.set()
        server.close()
    assert seen_close and all(seen_close), "the client sent no close frame"


def test_socket_verdict_does_not_wait_for_the_peers_close_frame(monkeypatch: pytest.MonkeyPatch) -> None:
    """The websocket check reports session.created while the server still owes its close frame."""
    # Were the probe to await the peer's close, it would hang past the run's deadline. (The check
    # module reads the constant once at import: import it first so only the probe sees the change.)
    importlib.import_module("realtime_check.checks.websocket")
    monkeypatch.setattr(wsprobe, "CLOSE_TIMEOUT_SECONDS", 30.0)
    released = asyncio.Event()

    def on_result(result: CheckResult) -> None:
        if result.id == "websocket":
            released.set()

    async def scenario() -> Any:
        async with never_says_goodbye(released) as port:
            settings = make_settings(ws_base_url=f"ws://127.0.0.1:{port}/v1", timeout=3.0, model="gpt-realtime")
            return await run_async(settings, ["config", "websocket"], on_result=on_result)

    outcome = asyncio.run(scenario())
    assert outcome["websocket"].status is Status.PASS, outcome["websocket"].summary


@pytest.mark.parametrize(("scheme", "contexts"), [("http", 0), ("https", 1)])
def test_one_ssl_context_per_run_and_none_without_tls(
    monkeypatch: pytest.MonkeyPatch, scheme: str, contexts: int
) -> None:
    """Loading a CA store is done once per run for both transports, and not at all when no URL is TLS."""
    import socket

    from realtime_check.checks import doctor
    from realtime_check.checks.context import RunOptions
    from realtime_check.probes import tls

    built = []
    real = tls.build_ssl_context

    def counting(*args: Any, **kwargs: Any) -> Any:
        built.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(tls, "build_ssl_context", counting)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))  # bound, not listening: connections are refused at once
        base_url = f"{scheme}://127.0.0.1:{sock.getsockname()[1]}/v1"
        report = doctor.run(
            make_settings(base_url=base_url, timeout=5.0),
            RunOptions(),
            ["config", "network", "api_key", "websocket"],
        )
    assert report.check("network").diagnosis == "tcp_refused"
    assert len(built) == contexts


def test_ephemeral_socket_connects_while_the_secret_is_being_minted() -> None:
    """The browser-path socket's TCP connection is open before the mint answers; it upgrades once the secret arrives."""
    import time

    from check_harness import SECRETS_URL, json_response, minted, mock_client, new_router

    from realtime_check.checks import doctor
    from realtime_check.checks.context import RunOptions
    from realtime_check.checks.runner import Seams, run_checks

    released = asyncio.Event()
    both_connected = asyncio.Event()
    accepted: list[int] = []

    def on_accept() -> None:
        accepted.append(1)
        if len(accepted) == 2:  # the key's socket and the early connection for the secret's
            both_connected.set()

    async def mint(request: Any) -> Any:
        await both_connected.wait()  # answers only once both sockets are connected
        return json_response(200, minted(expires_at=time.time() + 60))

    async def scenario() -> Any:
        router = new_router()
        router.post(SECRETS_URL).mock(side_effect=mint)
        client = mock_client(router)
        async with never_says_goodbye(released, on_accept) as port:
            settings = make_settings(ws_base_url=f"ws://127.0.0.1:{port}/v1", timeout=3.0)
            try:
                results = await run_checks(
                    settings,
                    RunOptions(),
                    ["config", "session", "websocket", "websocket_ephemeral"],
                    doctor.make_redactor(settings),
                    seams=Seams(http=client),  # the runner builds the socket opener itself
                )
            finally:
                released.set()
                await client.aclose()
        return {r.id: r for r in results}

    outcome = asyncio.run(scenario())
    assert [(c, outcome[c].status) for c in outcome] == [(c, Status.PASS) for c in outcome], [
        (r.id, r.summary) for r in outcome.values()
    ]
    assert len(accepted) == 2  # the early connection was the one upgraded, not a third
