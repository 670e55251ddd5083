"""A socket's DNS, TCP and TLS, done by us, timed phase by phase, before the upgrade.

The browser-path socket carries the minted ek_ secret in its upgrade request, not in its
TCP or TLS handshakes. Opening those while the mint is in flight takes two round trips
off the critical path of a run; the upgrade then goes out on that connection as soon as
the secret arrives. Opening the connection ourselves also times DNS, TCP and TLS apart
(`phases`), which websockets' own connect cannot tell. Direct connections only: through a
proxy the socket opens as usual.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit


class EarlyConnection:
    """A connection being opened now for a WebSocket upgrade later (see the module docstring)."""

    def __init__(
        self, url: str, ssl_context: Any, timeout: float, clock: Callable[[], float] = time.perf_counter
    ) -> None:
        self.url = url
        self._taken = False
        self.started = clock()
        # dns_ms, tcp_ms, tls_ms as each completes; None where it did not happen (an IP, plain ws://).
        self.phases: dict[str, float | None] = {"dns_ms": None, "tcp_ms": None, "tls_ms": None}
        self._task = asyncio.ensure_future(
            asyncio.wait_for(_open_transport(url, ssl_context, clock, self.phases), timeout=max(timeout, 0.001))
        )
        # A failure nobody asks about (discard() cancelling as the connect fails: wait_for then
        # re-raises it) must not reach stderr as "Task exception was never retrieved".
        self._task.add_done_callback(_retrieve)

    async def ws_connect(self, fallback: Callable[..., Any]) -> Callable[..., Any]:
        """A `ws_connect` that upgrades on the early connection; `fallback` if it could not open.

        A failed early connection is not reported here: the fallback opens the socket the
        usual way and its own error is classified like any other.
        """
        try:
            transport = await self._task
        except (TimeoutError, OSError, ValueError):
            return fallback
        self._taken = True  # the socket owns the connection from here on
        return _connect_on(transport)

    def discard(self) -> None:
        """Close the connection if no socket took it over (no secret was minted, an error came first)."""
        if self._taken:
            return
        if not self._task.done():
            self._task.cancel()
            return
        with contextlib.suppress(BaseException):
            self._task.result().abort()


def _retrieve(task: asyncio.Future[Any]) -> None:
    if not task.cancelled():
        task.exception()


async def _open_transport(
    url: str, ssl_context: Any, clock: Callable[[], float], phases: dict[str, float | None]
) -> asyncio.Transport:
    parts = urlsplit(url)
    secure = parts.scheme == "wss"
    host = parts.hostname or ""
    port = parts.port or (443 if secure else 80)
    loop = asyncio.get_running_loop()
    started = clock()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    if not _is_ip(host):
        phases["dns_ms"] = _ms(started, clock())
    started = clock()
    sock = await _connect_first(loop, infos)
    phases["tcp_ms"] = _ms(started, clock())
    started = clock()
    # Nothing arrives before the upgrade request is sent, so a bare protocol holds the line.
    try:
        transport, _ = await loop.create_connection(
            asyncio.Protocol,
            sock=sock,
            ssl=(ssl_context if ssl_context is not None else True) if secure else None,
            server_hostname=host if secure else None,
        )
    except BaseException:
        sock.close()
        raise
    if secure:
        phases["tls_ms"] = _ms(started, clock())
    return transport


async def _connect_first(loop: asyncio.AbstractEventLoop, infos: list[Any]) -> socket.socket:
    """Connect to the addresses in the resolver's order; the last error if none answers."""
    error: OSError = OSError("no address to connect to")
    for family, kind, proto, _, address in infos:
        sock = socket.socket(family, kind, proto)
        sock.setblocking(False)
        try:
            await loop.sock_connect(sock, address)
            return sock
        except OSError as exc:
            sock.close()
            error = exc
        except BaseException:
            sock.close()
            raise
    raise error


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _ms(start: float, end: float) -> float:
    return round((end - start) * 1000, 1)


def _connect_on(transport: asyncio.Transport) -> Callable[..., Any]:
    """The websockets client, told to upgrade on `transport` instead of opening a connection."""
    from websockets.asyncio.client import ClientConnection, connect

    class connect_on(connect):  # noqa: N801 - websockets' own class naming
        async def open_tcp_connection(self) -> ClientConnection:
            # The same hand-over websockets does for a connection through an HTTP proxy.
            connection = self.factory(self.ws_uri)
            transport.set_protocol(connection)
            connection.connection_made(transport)
            return connection

        def process_redirect(self, exc: Exception) -> Exception | str:
            return exc  # never follow: the upgrade carries a secret, and this connection is spent

    def ws_connect(url: str, **kwargs: Any) -> Any:
        kwargs.pop("ssl", None)  # TLS is already up on the transport
        return connect_on(url, **kwargs)

    return ws_connect
