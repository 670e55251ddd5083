"""A hostile server cannot make the tool use unbounded memory or time, or crash it with odd data."""

from __future__ import annotations

import functools
import json
import time
import zlib
from pathlib import Path

import pytest

from hostile.server import (
    HOSTILE_EK,
    Conn,
    HostileServer,
    assert_safe,
    cli_env,
    frame,
    run_cli,
    session_created,
)

TIMEOUT = 5.0


@functools.cache
def gzip_bomb() -> bytes:
    """512 MiB of zeros, gzipped twice: about a kilobyte on the wire (built in steps, never held whole)."""

    def gzip_stream(chunks) -> bytes:
        packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
        return b"".join(packer.compress(chunk) for chunk in chunks) + packer.flush()

    inner = gzip_stream(bytes(1024 * 1024) for _ in range(512))
    return gzip_stream([inner])


def run(server: HostileServer, tmp_path: Path, *args: str, timeout: float = TIMEOUT):
    return run_cli(
        ["run", "--base-url", server.base_url, "--timeout", str(timeout), "--no-dotenv", "--json", "-v", *args],
        tmp_path,
        env=cli_env(),
    )


def check(result, check_id: str) -> dict:
    return next(c for c in result.json()["checks"] if c["id"] == check_id)


@pytest.mark.parametrize("status", [200, 401])
def test_a_gzip_bomb_is_capped_as_it_inflates(tmp_path: Path, status: int) -> None:
    """`Content-Encoding: gzip, gzip` over 512 MiB of zeros is cut at the 1 MiB cap, success or error body."""
    bomb = gzip_bomb()

    async def models(conn: Conn) -> None:
        await conn.respond(status, bomb, [("Content-Type", "application/json"), ("Content-Encoding", "gzip, gzip")])

    with HostileServer({"/models": models}) as server:
        result = run(server, tmp_path)
    assert_safe(result, timeout=TIMEOUT, json_doc=True)
    assert check(result, "api_key")["diagnosis"] == "response_too_large"


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_json_nested_100000_deep_in_a_frame_is_an_unexpected_shape(tmp_path: Path) -> None:
    """A first frame of JSON nested 100,000 deep is diagnosed as an unexpected shape, not an internal error."""

    async def deep(conn: Conn) -> None:
        await conn.accept_websocket()
        await conn.send_text(nested(100_000))
        await conn.hold()

    with HostileServer({"ws": deep}) as server:
        result = run(server, tmp_path)
    assert_safe(result, timeout=TIMEOUT, json_doc=True)
    assert check(result, "websocket")["diagnosis"] == "unexpected_shape"


def deep_object(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


def test_a_deeply_nested_session_object_is_no_crash(tmp_path: Path) -> None:
    """A minted session whose id is an object nested 900 deep (what json.loads still accepts) is no crash."""

    async def secrets(conn: Conn) -> None:
        expires = int(time.time()) + 60
        body = f'{{"value": "{HOSTILE_EK}", "expires_at": {expires}, "session": {{"id": {deep_object(900)}}}}}'
        await conn.respond(200, body, [("Content-Type", "application/json")])

    async def socket(conn: Conn) -> None:
        await conn.accept_websocket()
        await conn.send_text(f'{{"type": "session.created", "session": {{"id": {deep_object(900)}}}}}')
        await conn.hold()

    with HostileServer({"/client_secrets": secrets, "ws": socket}) as server:
        result = run(server, tmp_path)
    assert_safe(result, timeout=TIMEOUT, json_doc=True)
    assert check(result, "session")["diagnosis"] == "unexpected_shape"


def test_an_expiry_with_thousands_of_digits_is_unusable_not_a_crash(tmp_path: Path) -> None:
    """expires_at of 4,000 digits is an unusable answer, not an OverflowError."""

    async def secrets(conn: Conn) -> None:
        body = f'{{"value": "{HOSTILE_EK}", "expires_at": 1{"0" * 4000}}}'
        await conn.respond(200, body, [("Content-Type", "application/json")])

    with HostileServer({"/client_secrets": secrets}) as server:
        result = run(server, tmp_path)
    assert_safe(result, timeout=TIMEOUT, json_doc=True)
    assert check(result, "session")["status"] == "fail"


EVENTS = 100_000


@functools.cache
def delta_flood() -> bytes:
    """EVENTS text deltas then response.done, as one blob of frames."""
    delta = frame(0x1, json.dumps({"type": "response.output_text.delta", "delta": "o"}).encode())
    done = {"type": "response.done", "response": {"status": "completed", "usage": {"total_tokens": 3}}}
    return delta * EVENTS + frame(0x1, json.dumps(done).encode())


def test_a_flood_of_response_events_is_summarised(tmp_path: Path) -> None:
    """100,000 deltas leave a bounded list of events in the report, not every one."""
    blob = delta_flood()

    async def socket(conn: Conn) -> None:
        await conn.accept_websocket()
        await conn.send_event(session_created())
        await conn.read_frame()  # conversation.item.create
        await conn.read_frame()  # response.create
        await conn.send_raw(blob)
        await conn.hold()

    with HostileServer({"ws": socket}) as server:
        result = run(server, tmp_path, "--response", "--only", "websocket,response", timeout=15.0)
    assert_safe(result, timeout=15.0, json_doc=True)
    response = check(result, "response")
    assert response["status"] == "pass"
    assert len(response["details"]["events"]) <= 201
    assert len(result.stdout) < 100_000


def test_event_types_of_a_megabyte_each_are_not_kept(tmp_path: Path) -> None:
    """250 distinct megabyte-long event types do not pile up in memory or in the report."""
    padding = "x" * (1024 * 1024 - 100)  # just under the client's 1 MiB frame limit

    async def socket(conn: Conn) -> None:
        await conn.accept_websocket()
        await conn.send_event(session_created())
        await conn.read_frame()
        await conn.read_frame()
        for n in range(250):  # 250 MiB in all, one frame at a time
            await conn.send_event({"type": f"{n:04d}{padding}"})
        await conn.send_event({"type": "response.done", "response": {"status": "completed"}})
        await conn.hold()

    with HostileServer({"ws": socket}) as server:
        result = run(server, tmp_path, "--response", "--only", "websocket,response", timeout=10.0)
    assert_safe(result, timeout=10.0, json_doc=True)
    assert len(result.stdout) < 200_000


def test_a_ping_flood_whose_pongs_are_never_read_is_dropped(tmp_path: Path) -> None:
    """Pings sent without ever reading the pongs end the socket before the pongs fill memory."""
    pings = frame(0x9, b"p" * 125) * 8192  # 1 MiB of pings

    async def socket(conn: Conn) -> None:
        await conn.accept_websocket()
        await conn.send_event(session_created())
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # never reads: the pongs pile up on the client
            await conn.send_raw(pings)

    with HostileServer({"ws": socket}) as server:
        result = run(server, tmp_path, "--response", "--only", "websocket,response", timeout=8.0)
    assert_safe(result, timeout=8.0, json_doc=True)
    assert check(result, "response")["status"] == "fail"


def test_a_redirect_at_the_upgrade_is_not_followed(tmp_path: Path) -> None:
    """A 302 at the upgrade names the other host; neither the key nor the ek_ is ever sent there."""
    with HostileServer() as elsewhere:

        async def redirect(conn: Conn) -> None:
            target = f"http://localhost:{elsewhere.port}/v1/realtime?model=gpt-realtime"
            await conn.respond(302, b"", [("Location", target)])

        with HostileServer({"ws": redirect}) as server:
            result = run(server, tmp_path)
    assert_safe(result, timeout=TIMEOUT, json_doc=True)
    assert elsewhere.requests == []
    for check_id in ("websocket", "websocket_ephemeral"):
        socket = check(result, check_id)
        assert socket["diagnosis"] == "redirected"
        assert "localhost" in socket["summary"]
