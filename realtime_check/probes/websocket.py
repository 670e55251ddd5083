"""WebSocket probe: GA handshake, then the verdict of the first server event.

An opened socket is not success (STYLE.md anti-patterns): the first frame is.
Connection errors other than a refused upgrade propagate to the caller, which
classifies them like any other exception.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from realtime_check.diagnosis.bodies import TooDeep, loads

# Outcomes of waiting for the first server event.
EVENT = "event"  # a JSON event arrived (session.created, error, or something else)
NON_JSON = "non_json"
BINARY = "binary"
CLOSED = "closed"  # closed before any event
SILENT = "silent"  # nothing within the first-event timeout
REFUSED = "refused"  # the upgrade got an HTTP status other than 101
TOO_DEEP = "too_deep"  # a JSON frame nested deeper than any real event

# After an `error` event the server closes fatal sessions at once; wait this
# long for the close frame so the report can show its code and reason.
_CLOSE_GRACE_SECONDS = 2.0
# The longest closing a probe socket may take, even when the peer never answers the
# close frame; callers keep this much of their deadline back for it.
CLOSE_TIMEOUT_SECONDS = 0.5


def make_ws_connect(proxy: str | None) -> Callable[..., Any]:
    """The socket opener every WebSocket check uses: the websockets client through `proxy` (None: direct).

    It never follows a redirect and never lets a peer pile up unread replies (see _client_classes).
    """
    no_redirect, _ = _client_classes()

    def ws_connect(url: str, **kwargs: Any) -> Any:
        if proxy is not None:
            _check_proxy_url(proxy)
        return no_redirect(url, proxy=proxy, **kwargs)

    return ws_connect


def _check_proxy_url(proxy: str) -> None:
    """InvalidProxy (diagnosed as a proxy problem) for a URL websockets would fail on with a bare ValueError."""
    from urllib.parse import urlsplit

    from websockets.exceptions import InvalidProxy

    try:
        urlsplit(proxy).port  # noqa: B018 - raises ValueError for a bad host or port
    except ValueError as exc:
        raise InvalidProxy(proxy, f"not a valid proxy URL ({exc})") from exc


# A peer that sends pings and never reads our pongs makes them queue in memory; past
# this many unsent bytes the connection is dropped (a probe sends a few kB in all).
MAX_UNSENT_BYTES = 1024 * 1024
FLOOD_REASON = "dropped by realtime-check: the server sent control frames faster than it read the replies"


@functools.cache
def _client_classes() -> tuple[type, type]:
    """websockets' connect and connection, changed in two ways a probe holding credentials needs.

    A 3xx at the upgrade is returned as the refusal it is: websockets would follow it, and
    it strips Authorization for another host but not the subprotocol carrying the ek_.
    """
    from websockets.asyncio.client import ClientConnection, connect

    class NoRedirectConnect(connect):
        def process_redirect(self, exc: Exception) -> Exception | str:
            return exc

    class BoundedConnection(ClientConnection):
        flooded = False

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if not self.flooded and self.transport.get_write_buffer_size() > MAX_UNSENT_BYTES:
                self.flooded = True
                self.transport.abort()

    return NoRedirectConnect, BoundedConnection


def bounded_connection() -> type:
    """The connection class every probe socket uses, whoever opens it (see _client_classes)."""
    return _client_classes()[1]


def flooded(conn: Any) -> bool:
    """Whether `conn` was dropped because the peer never read what it made us send."""
    return bool(getattr(conn, "flooded", False))


@dataclass
class SocketOutcome:
    outcome: str
    url: str
    handshake_ms: float | None = None
    first_event_ms: float | None = None
    event: dict[str, Any] | None = None
    snippet: str | None = None  # start of a non-JSON frame, for -v
    close_code: int | None = None
    close_reason: str | None = None
    http_status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)  # upgrade response headers
    body: bytes = b""  # body of a refused upgrade
    connection: Any = None  # left open only when asked (for the response probe)
    elapsed_ms: float | None = None  # from the start of the handshake to the verdict
    # What the upgrade sent, for -v. Raw: show it only through Redactor.headers().
    sent_headers: dict[str, str] = field(default_factory=dict, repr=False)
    # Phase by phase (realtime_check.timings.socket_timings), filled in by the check.
    timings: dict[str, Any] = field(default_factory=dict)

    @property
    def request_id(self) -> str | None:
        return self.headers.get("x-request-id") or self.headers.get("apim-request-id")


def _sent(headers: Mapping[str, str], subprotocols: Sequence[str] | None) -> dict[str, str]:
    sent = dict(headers)
    if subprotocols:
        sent["Sec-WebSocket-Protocol"] = ", ".join(subprotocols)
    return sent


def _lower(headers: Any) -> dict[str, str]:
    try:
        return {k.lower(): v for k, v in headers.raw_items()}
    except AttributeError:
        return {str(k).lower(): str(v) for k, v in dict(headers or {}).items()}


def connect_kwargs(
    url: str,
    headers: Mapping[str, str],
    subprotocols: Sequence[str] | None,
    ssl_context: Any,
    open_timeout: float,
) -> dict[str, Any]:
    """How every probe socket is opened: capped frames, no keepalive, a fast close, our trust store."""
    kwargs: dict[str, Any] = {
        "additional_headers": dict(headers),
        "open_timeout": max(open_timeout, 0.001),
        # Closing must not eat into the run's budget: give up on the close handshake fast.
        "close_timeout": CLOSE_TIMEOUT_SECONDS,
        "max_size": 1024 * 1024,
        "ping_interval": None,  # a probe does not need keepalives
        # Drops a peer that floods pings without reading the pongs (set here, so every opener gets it).
        "create_connection": bounded_connection(),
        "user_agent_header": headers.get("User-Agent"),
    }
    if subprotocols:
        kwargs["subprotocols"] = list(subprotocols)
    if url.startswith("wss://") and ssl_context is not None:
        kwargs["ssl"] = ssl_context
    return kwargs


async def open_socket(
    ws_connect: Callable[..., Any],
    url: str,
    *,
    headers: Mapping[str, str],
    subprotocols: Sequence[str] | None,
    ssl_context: Any,
    open_timeout: float,
    first_event_timeout: float,
    keep_open: bool = False,
    clock: Callable[[], float] = time.perf_counter,
    on_open: Callable[[], None] | None = None,
) -> SocketOutcome:
    """Open the socket and wait for the first server event."""
    from websockets.exceptions import ConnectionClosed, InvalidStatus

    kwargs = connect_kwargs(url, headers, subprotocols, ssl_context, open_timeout)

    started = clock()
    try:
        conn = await ws_connect(url, **kwargs)
    except InvalidStatus as exc:
        response = exc.response
        return SocketOutcome(
            REFUSED,
            url,
            sent_headers=_sent(headers, subprotocols),
            handshake_ms=(clock() - started) * 1000,
            http_status=response.status_code,
            headers=_lower(response.headers),
            body=bytes(response.body or b"")[: 1024 * 1024],
        )
    handshake_ms = (clock() - started) * 1000
    if on_open is not None:
        on_open()
    outcome = SocketOutcome(EVENT, url, handshake_ms=handshake_ms, sent_headers=_sent(headers, subprotocols))
    if conn.response is not None:
        outcome.headers = _lower(conn.response.headers)
    waiting_since = clock()
    try:
        try:
            frame = await asyncio.wait_for(conn.recv(), timeout=max(first_event_timeout, 0.001))
        except TimeoutError:
            outcome.outcome = SILENT
            return outcome
        except ConnectionClosed as exc:
            outcome.outcome = CLOSED
            _record_close(outcome, exc)
            if flooded(conn):
                outcome.close_reason = FLOOD_REASON
            return outcome
        outcome.first_event_ms = (clock() - started) * 1000
        if isinstance(frame, bytes):
            outcome.outcome = BINARY
            outcome.snippet = f"{len(frame)} bytes: {frame[:32].hex()}"
            return outcome
        try:
            event = loads(frame)
        except TooDeep:
            outcome.outcome = TOO_DEEP
            return outcome
        except ValueError:
            event = None
        if not isinstance(event, dict):
            outcome.outcome = NON_JSON
            outcome.snippet = frame[:200]
            return outcome
        outcome.event = event
        if event.get("type") == "error":
            # The error event is the verdict; its close only adds a code, so waiting for it
            # must not run past the verdict's own deadline (that would lose the error to a timeout).
            left = first_event_timeout - (clock() - waiting_since)
            await _await_close(conn, outcome, min(_CLOSE_GRACE_SECONDS, max(left, 0.0)))
        elif keep_open:
            outcome.connection = conn
        return outcome
    finally:
        outcome.elapsed_ms = (clock() - started) * 1000
        if outcome.connection is None:
            await close_quietly(conn)


async def _await_close(conn: Any, outcome: SocketOutcome, grace: float) -> None:
    from websockets.exceptions import ConnectionClosed

    async def drain() -> None:
        while True:
            await conn.recv()

    try:
        await asyncio.wait_for(drain(), timeout=grace)
    except ConnectionClosed as exc:
        _record_close(outcome, exc)
    except TimeoutError:
        pass


def _record_close(outcome: SocketOutcome, exc: Any) -> None:
    close = exc.rcvd
    if close is not None:
        outcome.close_code = close.code
        outcome.close_reason = close.reason
    else:
        # No close frame at all: the connection dropped (RFC 6455 code 1006).
        outcome.close_code = 1006
        outcome.close_reason = ""


async def close_quietly(conn: Any) -> None:
    """Say goodbye without waiting for the answer: send our close frame, then drop the connection.

    Once the verdict is in, the peer's close frame adds nothing but a round trip (and a
    silent peer would cost the whole close timeout), so the transport is aborted right
    after the frame is handed to it.
    """
    try:
        protocol, transport = conn.protocol, conn.transport
    except AttributeError:  # not a websockets connection (a test double): its own close
        try:
            await asyncio.wait_for(conn.close(), timeout=CLOSE_TIMEOUT_SECONDS)
        except Exception:  # noqa: BLE001 - closing a probe socket must never fail a check
            pass
        return
    try:
        from websockets.protocol import State

        if protocol.state is State.OPEN:
            protocol.send_close(1000)
            conn.send_data()
    except Exception:  # noqa: BLE001 - a failed goodbye changes nothing
        pass
    transport.abort()
    await asyncio.sleep(0)  # let the connection see its transport go
