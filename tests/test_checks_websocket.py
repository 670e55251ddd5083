"""The websocket, websocket_ephemeral and response checks against a real, scripted loopback Realtime server."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import json
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from check_harness import (
    DATED,
    FAKE_EK,
    FAKE_KEY,
    SECRETS_URL,
    Run,
    WsServer,
    api_error,
    assert_secret_hidden,
    error_event,
    json_response,
    make_settings,
    minted,
    new_router,
    refusal,
    run_async,
    session_created,
    ws_server,
)
from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection

from realtime_check.checks.context import RunOptions
from realtime_check.models import Status

Handler = Callable[[ServerConnection], Awaitable[None]]


def scripted(
    handler: Handler,
    selected: list[str],
    *,
    refuse: Any = None,
    router: Any = None,
    ws_connect: Any = None,
    options: RunOptions | None = None,
    timeout: float = 5.0,
    model: str | None = "gpt-realtime",
) -> tuple[Run, WsServer, float]:
    """Run `selected` against a server running `handler`; returns the run, the server and the loop-clock duration.

    The model is configured (gpt-realtime, whose sessions report DATED) unless a test passes model=None
    to exercise the default ladder.
    """

    async def scenario() -> tuple[Run, WsServer, float]:
        async with ws_server(handler, refuse=refuse) as server:
            settings = make_settings(ws_base_url=server.ws_base_url, timeout=timeout, model=model)
            loop = asyncio.get_running_loop()
            started = loop.time()
            outcome = await run_async(
                settings, ["config", *selected], router=router, ws_connect=ws_connect, options=options
            )
            return outcome, server, loop.time() - started

    return asyncio.run(scenario())


async def greet_then_hold(ws: ServerConnection) -> None:
    await ws.send(session_created())
    await ws.wait_closed()


def greet_as(model: str) -> Handler:
    async def handler(ws: ServerConnection) -> None:
        await ws.send(session_created(model=model))
        await ws.wait_closed()

    return handler


def error_then_close(code: str, message: str, close_code: int, reason: str) -> Handler:
    """A fatal rejection as the API sends it: one error event, then a close whose reason is <type>.<code>."""

    async def handler(ws: ServerConnection) -> None:
        await ws.send(error_event(code, message))
        await ws.close(close_code, reason)

    return handler


# --- websocket: the API-key path ------------------------------------------------------------------------


def test_session_created_passes_with_session_id_and_model() -> None:
    """A first event session.created passes: the summary names the model the server runs, the details the session id."""
    outcome, _, _ = scripted(greet_then_hold, ["websocket"])
    result = outcome["websocket"]
    assert result.status is Status.PASS
    assert result.summary == f"session.created · {DATED}"
    assert result.details["session_id"] == "sess_FAKEsocket01"
    assert result.details["session_model"] == DATED


def test_socket_request_uses_bearer_auth_ga_url_and_no_beta_header() -> None:
    """The upgrade carries `Authorization: Bearer <key>`, asks for the model in the URL and sends no OpenAI-Beta header."""
    _, server, _ = scripted(greet_then_hold, ["websocket"])
    request = server.requests[0]
    assert request.path == "/v1/realtime?model=gpt-realtime"
    assert server.headers["Authorization"] == f"Bearer {FAKE_KEY}"
    assert "OpenAI-Beta" not in server.headers
    assert "Sec-WebSocket-Protocol" not in server.headers


def test_dated_snapshot_of_the_requested_model_passes() -> None:
    """A session running a dated snapshot of the requested alias (gpt-realtime-2025-08-28) is not flagged."""
    outcome, _, _ = scripted(greet_as(DATED), ["websocket"])
    assert outcome["websocket"].status is Status.PASS


@pytest.mark.parametrize("served", ["gpt-realtime-mini", "gpt-realtime-mini-2025-12-15", "gpt-4o-realtime-preview"])
def test_session_running_another_model_family_warns(served: str) -> None:
    """A session that runs a different model than the one asked for (even one sharing its prefix) is a warning."""
    outcome, _, _ = scripted(greet_as(served), ["websocket"])
    result = outcome["websocket"]
    assert result.status is Status.WARN
    assert result.diagnosis == "ws_model_differs"
    assert "asked for gpt-realtime" in result.summary


def test_beta_shape_error_then_close_4000_is_diagnosed_with_close_code_and_reason() -> None:
    """An error event beta_api_shape_disabled then close 4000 is reported as that diagnosis with the close code and reason."""
    handler = error_then_close(
        "beta_api_shape_disabled",
        "The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API.",
        4000,
        "invalid_request_error.beta_api_shape_disabled",
    )
    outcome, _, _ = scripted(handler, ["websocket"])
    result = outcome["websocket"]
    assert result.status is Status.FAIL
    assert result.diagnosis == "beta_api_shape_disabled"
    assert result.close_code == 4000
    assert result.close_reason == "invalid_request_error.beta_api_shape_disabled"
    assert result.details["beta_header_sent"] is False


def test_beta_shape_error_says_we_sent_no_beta_header_so_a_proxy_did() -> None:
    """On beta_api_shape_disabled the advice says realtime-check sent no OpenAI-Beta header, pointing at a proxy or gateway."""
    handler = error_then_close(
        "beta_api_shape_disabled",
        "The Realtime Beta API is no longer supported.",
        4000,
        "invalid_request_error.beta_api_shape_disabled",
    )
    result = scripted(handler, ["websocket"])[0]["websocket"]
    assert result.diagnosis == "beta_api_shape_disabled"
    assert any("sent no OpenAI-Beta header" in line and "proxy or gateway" in line for line in result.advice)


def test_unmappable_error_event_is_refined_by_the_close_code_that_follows() -> None:
    """An error event with a code we do not know, followed by close 4004, is diagnosed by the close: ws_model_not_found."""
    handler = error_then_close("brand_new_code", "Something we have never seen.", 4004, "")
    result = scripted(handler, ["websocket"])[0]["websocket"]
    assert result.status is Status.FAIL
    assert result.diagnosis == "ws_model_not_found"
    assert result.close_code == 4004


def test_error_event_without_a_close_is_still_reported_before_the_deadline() -> None:
    """An error event whose close never follows is still reported as that error, not lost to a run timeout."""
    budget = 1.0

    async def handler(ws: ServerConnection) -> None:
        await ws.send(error_event("beta_api_shape_disabled", "The Realtime Beta API is no longer supported."))
        await ws.wait_closed()

    outcome, _, elapsed = scripted(handler, ["websocket"], timeout=budget)
    result = outcome["websocket"]
    assert result.diagnosis == "beta_api_shape_disabled"
    assert result.close_code is None
    assert elapsed < budget + 0.5, f"took {elapsed:.2f} s for a {budget} s budget"


def test_invalid_key_error_then_close_3000_is_ws_invalid_api_key_and_redacted() -> None:
    """An invalid_api_key error event echoing the key, then close 3000, is ws_invalid_api_key and the key is shown nowhere."""
    handler = error_then_close(
        "invalid_api_key", f"Incorrect API key provided: {FAKE_KEY}.", 3000, "invalid_request_error.invalid_api_key"
    )
    outcome, _, _ = scripted(handler, ["websocket"], options=RunOptions(verbose=True))
    result = outcome["websocket"]
    assert result.status is Status.FAIL
    assert result.diagnosis == "ws_invalid_api_key"
    assert result.close_code == 3000
    assert_secret_hidden(outcome.results, FAKE_KEY)


def test_bare_close_3000_is_ws_invalid_api_key() -> None:
    """A close 3000 with no error event before it is still read as an invalid key."""

    async def handler(ws: ServerConnection) -> None:
        await ws.close(3000, "invalid_request_error.invalid_api_key")

    result = scripted(handler, ["websocket"])[0]["websocket"]
    assert result.status is Status.FAIL
    assert result.diagnosis == "ws_invalid_api_key"
    assert (result.close_code, result.close_reason) == (3000, "invalid_request_error.invalid_api_key")


def test_close_4004_is_model_not_found() -> None:
    """A close 4004 before any event means the model is not available to the key (ws_model_not_found)."""

    async def handler(ws: ServerConnection) -> None:
        await ws.close(4004, "invalid_request_error.model_not_found")

    result = scripted(handler, ["websocket"])[0]["websocket"]
    assert result.status is Status.FAIL
    assert result.diagnosis == "ws_model_not_found"
    assert result.close_code == 4004


def test_refused_upgrade_reports_status_body_diagnosis_and_request_id() -> None:
    """A 403 upgrade with a JSON error body reports the handshake status, the body's diagnosis and the refusal's request id."""
    body = api_error("access_not_enabled", "Your organization does not have access to the Realtime API.")

    def refuse(connection: ServerConnection, request: Any) -> Any:
        return refusal(403, body, request_id="req_FAKEupgrade", extra={"cf-ray": "8f2FAKE-AMS"})

    outcome, _, _ = scripted(greet_then_hold, ["websocket"], refuse=refuse)
    result = outcome["websocket"]
    assert result.status is Status.FAIL
    assert result.http_status == 403
    assert result.diagnosis == "realtime_access_not_enabled"
    assert result.request_id == "req_FAKEupgrade"
    assert result.error is not None and result.error.code == "access_not_enabled"
    assert "HTTP 403" in result.summary


def test_refused_upgrade_never_shows_the_key_the_body_echoes() -> None:
    """A 401 upgrade whose JSON body echoes the whole key is diagnosed from the body and the key is redacted everywhere."""
    body = api_error("invalid_api_key", f"Incorrect API key provided: {FAKE_KEY}.")

    def refuse(connection: ServerConnection, request: Any) -> Any:
        return refusal(401, body, request_id="req_FAKE401ws")

    outcome, _, _ = scripted(greet_then_hold, ["websocket"], refuse=refuse, options=RunOptions(verbose=True))
    result = outcome["websocket"]
    assert result.status is Status.FAIL
    assert result.http_status == 401
    assert result.diagnosis == "invalid_api_key"
    assert result.request_id == "req_FAKE401ws"
    assert_secret_hidden(outcome.results, FAKE_KEY)


def test_socket_host_refusing_connections_is_classified() -> None:
    """A socket host that refuses the TCP connection fails websocket with tcp_refused, not a traceback."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as bound_not_listening:
        bound_not_listening.bind(("127.0.0.1", 0))
        port = bound_not_listening.getsockname()[1]
        settings = make_settings(ws_base_url=f"ws://127.0.0.1:{port}/v1")
        result = asyncio.run(run_async(settings, ["config", "websocket"]))["websocket"]
    assert result.status is Status.FAIL
    assert result.diagnosis == "tcp_refused"
    assert "Traceback" not in result.summary


def test_binary_first_frame_fails() -> None:
    """A binary first frame is ws_binary_frame, not a pass."""

    async def handler(ws: ServerConnection) -> None:
        await ws.send(b"\x00\x01FAKE")
        await ws.wait_closed()

    result = scripted(handler, ["websocket"])[0]["websocket"]
    assert result.status is Status.FAIL
    assert result.diagnosis == "ws_binary_frame"


def test_non_json_first_frame_fails() -> None:
    """A first text frame that is not a JSON object is ws_non_json_frame."""

    async def handler(ws: ServerConnection) -> None:
        await ws.send("hello from a proxy, not the API")
        await ws.wait_closed()

    result = scripted(handler, ["websocket"])[0]["websocket"]
    assert result.status is Status.FAIL
    assert result.diagnosis == "ws_non_json_frame"


def test_silent_socket_is_reported_as_silent_within_the_budget() -> None:
    """A socket that opens but never speaks is ws_silent (not a generic timeout), reported before the run's budget ends."""
    budget = 1.0
    outcome, _, elapsed = scripted(greet_nothing, ["websocket"], timeout=budget)
    result = outcome["websocket"]
    assert result.status is Status.FAIL
    assert result.diagnosis == "ws_silent"
    assert "sent nothing" in result.summary
    assert elapsed < budget + 0.5, f"took {elapsed:.2f} s for a {budget} s budget"


async def greet_nothing(ws: ServerConnection) -> None:
    await ws.wait_closed()


_WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455 §1.3


@contextlib.asynccontextmanager
async def deaf_upgrade_server() -> AsyncIterator[str]:
    """Accepts the upgrade (101), then never reads or sends again: it ignores even our close frame.

    Built by hand because a websockets server always answers a close; yields the ws base URL.
    """
    done = asyncio.Event()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        key = next(
            line.split(b":", 1)[1].strip()
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"sec-websocket-key:")
        )
        accept = base64.b64encode(hashlib.sha1(key + _WS_GUID.encode()).digest()).decode()
        writer.write(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Accept: {accept}\r\n\r\n".encode()
        )
        await writer.drain()
        await done.wait()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    try:
        yield f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/v1"
    finally:
        done.set()
        server.close()
        await server.wait_closed()


def test_silent_socket_whose_peer_ignores_our_close_is_still_silent_within_the_budget() -> None:
    """A silent peer that also ignores the close frame is still reported as ws_silent, not lost to a run timeout."""
    budget = 1.0

    async def scenario() -> tuple[Run, float]:
        async with deaf_upgrade_server() as ws_base_url:
            loop = asyncio.get_running_loop()
            started = loop.time()
            outcome = await run_async(make_settings(ws_base_url=ws_base_url, timeout=budget), ["config", "websocket"])
            return outcome, loop.time() - started

    outcome, elapsed = asyncio.run(scenario())
    result = outcome["websocket"]
    assert result.diagnosis == "ws_silent", result.summary
    assert elapsed < budget + 0.5, f"took {elapsed:.2f} s for a {budget} s budget"


def test_first_event_other_than_session_created_fails() -> None:
    """An opened socket is not success: a first event other than session.created fails."""

    async def handler(ws: ServerConnection) -> None:
        await ws.send(json.dumps({"type": "rate_limits.updated", "event_id": "event_FAKE", "rate_limits": []}))
        await ws.wait_closed()

    result = scripted(handler, ["websocket"])[0]["websocket"]
    assert result.status is Status.FAIL
    assert result.diagnosis == "ws_unexpected_first_event"


# --- websocket_ephemeral: the browser path ------------------------------------------------------------------


def mint_router(expires_in: float = 60) -> Any:
    router = new_router()
    router.post(SECRETS_URL).mock(return_value=json_response(200, minted(expires_at=time.time() + expires_in)))
    return router


def test_ephemeral_socket_sends_no_authorization_and_offers_browser_subprotocols() -> None:
    """The browser path offers `realtime` and `openai-insecure-api-key.<ek>` and sends no Authorization header."""
    outcome, server, _ = scripted(greet_then_hold, ["session", "websocket_ephemeral"], router=mint_router())
    assert outcome["session"].status is Status.PASS
    assert outcome["websocket_ephemeral"].status is Status.PASS
    headers = server.headers  # only the ephemeral socket was opened
    assert "Authorization" not in headers
    assert "OpenAI-Beta" not in headers
    offered = [p.strip() for p in headers["Sec-WebSocket-Protocol"].split(",")]
    assert offered == ["realtime", f"openai-insecure-api-key.{FAKE_EK}"]
    assert_secret_hidden(outcome.results, FAKE_EK)


def test_ephemeral_socket_rejected_with_3000_is_reported_without_the_secret() -> None:
    """A minted secret the socket rejects (close 3000) fails websocket_ephemeral and the secret is never shown."""
    handler = error_then_close(
        "invalid_api_key", f"Incorrect API key provided: {FAKE_EK}.", 3000, "invalid_request_error.invalid_api_key"
    )
    outcome, _, _ = scripted(handler, ["session", "websocket_ephemeral"], router=mint_router())
    result = outcome["websocket_ephemeral"]
    assert result.status is Status.FAIL
    assert result.close_code == 3000
    assert_secret_hidden(outcome.results, FAKE_EK)


def test_ephemeral_check_skips_when_minting_failed() -> None:
    """When session could not mint a secret, websocket_ephemeral skips with the reason and opens no socket."""
    router = new_router()
    router.post(SECRETS_URL).mock(
        return_value=json_response(
            429, api_error("insufficient_quota", "You exceeded your current quota.", type_="insufficient_quota")
        )
    )
    outcome, server, _ = scripted(greet_then_hold, ["session", "websocket_ephemeral"], router=router)
    assert outcome["session"].status is Status.FAIL
    result = outcome["websocket_ephemeral"]
    assert result.status is Status.SKIP
    assert "no ephemeral secret was minted" in result.summary
    assert server.requests == []


def test_ephemeral_check_skips_when_session_is_deselected() -> None:
    """Without the session check selected, websocket_ephemeral skips saying it needs it."""
    outcome, server, _ = scripted(greet_then_hold, ["websocket_ephemeral"])
    result = outcome["websocket_ephemeral"]
    assert result.status is Status.SKIP
    assert "needs the session check" in result.summary
    assert server.requests == []


# --- response: the opt-in text round trip -------------------------------------------------------------------


def respond_with(
    done: dict[str, Any] | None, received: list[dict[str, Any]], *, close: tuple[int, str] | None = None
) -> Handler:
    """Greet, read the client's two events, then answer with response.done (or close instead)."""

    async def handler(ws: ServerConnection) -> None:
        await ws.send(session_created())
        for _ in range(2):
            received.append(json.loads(await ws.recv()))
        if close is not None:
            await ws.close(*close)
            return
        await ws.send(
            json.dumps({"type": "response.created", "event_id": "event_FAKE03", "response": {"status": "in_progress"}})
        )
        await ws.send(json.dumps({"type": "response.done", "event_id": "event_FAKE04", "response": done}))
        await ws.wait_closed()

    return handler


def test_completed_response_passes_with_token_count() -> None:
    """A text response that completes passes the response check, reporting the tokens it cost."""
    received: list[dict[str, Any]] = []
    done = {"status": "completed", "usage": {"total_tokens": 23, "input_tokens": 15, "output_tokens": 8}}
    outcome, _, _ = scripted(respond_with(done, received), ["websocket", "response"])
    result = outcome["response"]
    assert result.status is Status.PASS
    assert "23 tokens" in result.summary
    assert [e["type"] for e in received] == ["conversation.item.create", "response.create"]
    assert received[1]["response"]["output_modalities"] == ["text"]


def test_failed_response_for_quota_is_response_quota() -> None:
    """A response.done failed with insufficient_quota is response_quota, even though session.created looked healthy."""
    done = {
        "status": "failed",
        "status_details": {
            "type": "failed",
            "error": {
                "type": "insufficient_quota",
                "code": "insufficient_quota",
                "message": "You exceeded your current quota.",
            },
        },
    }
    outcome, _, _ = scripted(respond_with(done, []), ["websocket", "response"])
    assert outcome["websocket"].status is Status.PASS
    result = outcome["response"]
    assert result.status is Status.FAIL
    assert result.diagnosis == "response_quota"


def test_close_1011_mid_response_is_transient() -> None:
    """A close 1011 while waiting for response.done is ws_closed_transient with the close code."""
    outcome, _, _ = scripted(respond_with(None, [], close=(1011, "internal error")), ["websocket", "response"])
    result = outcome["response"]
    assert result.status is Status.FAIL
    assert result.diagnosis == "ws_closed_transient"
    assert result.close_code == 1011


class SendsAfterClose:
    """The real connection, except that the first send waits until the server's close has been processed."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)

    async def send(self, message: str) -> None:
        await self._conn.wait_closed()
        await self._conn.send(message)


def connect_then_lose_race(url: str, **kwargs: Any) -> Any:
    async def opened() -> SendsAfterClose:
        return SendsAfterClose(await connect(url, proxy=None, **kwargs))

    return opened()


def test_close_before_the_response_is_requested_is_transient_not_a_crash() -> None:
    """A server close (1011) between session.created and the client's first send is ws_closed_transient, not an internal error."""

    async def handler(ws: ServerConnection) -> None:
        await ws.send(session_created())
        await ws.close(1011, "internal error")

    outcome, _, _ = scripted(handler, ["websocket", "response"], ws_connect=connect_then_lose_race)
    result = outcome["response"]
    assert result.status is Status.FAIL
    assert result.diagnosis == "ws_closed_transient"
    assert result.close_code == 1011


def test_response_skips_when_the_socket_did_not_open() -> None:
    """When the websocket check fails there is no session to ask, so response is skipped with the reason."""

    async def handler(ws: ServerConnection) -> None:
        await ws.close(4004, "invalid_request_error.model_not_found")

    outcome, _, _ = scripted(handler, ["websocket", "response"])
    assert outcome["websocket"].status is Status.FAIL
    assert outcome["response"].status is Status.SKIP
    assert "no open session" in outcome["response"].summary
