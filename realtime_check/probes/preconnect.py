"""A socket's TCP and TLS handshakes, done before we know what the upgrade will say.

The browser-path socket carries the minted ek_ secret in its upgrade request, not in its
TCP or TLS handshakes. Opening those while the mint is in flight takes two round trips
off the critical path of a run; the upgrade then goes out on that connection as soon as
the secret arrives. Direct connections only: through a proxy the socket opens as usual.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit


class EarlyConnection:
    """A connection being opened now for a WebSocket upgrade later (see the module docstring)."""

    def __init__(self, url: str, ssl_context: Any, timeout: float) -> None:
        self.url = url
        self._task = asyncio.ensure_future(_open_transport(url, ssl_context, timeout))

    async def ws_connect(self, fallback: Callable[..., Any]) -> Callable[..., Any]:
        """A `ws_connect` that upgrades on the early connection; `fallback` if it could not open.

        A failed early connection is not reported here: the fallback opens the socket the
        usual way and its own error is classified like any other.
        """
        try:
            transport = await self._task
        except (TimeoutError, OSError, ValueError):
            return fallback
        return _connect_on(transport)

    def discard(self) -> None:
        """Close the connection if the upgrade never happens (no secret was minted)."""
        if not self._task.done():
            self._task.cancel()
            return
        with contextlib.suppress(BaseException):
            self._task.result().abort()


async def _open_transport(url: str, ssl_context: Any, timeout: float) -> asyncio.Transport:
    parts = urlsplit(url)
    secure = parts.scheme == "wss"
    host = parts.hostname or ""
    port = parts.port or (443 if secure else 80)
    loop = asyncio.get_running_loop()
    # Nothing arrives before the upgrade request is sent, so a bare protocol holds the line.
    transport, _ = await asyncio.wait_for(
        loop.create_connection(
            asyncio.Protocol,
            host,
            port,
            ssl=(ssl_context if ssl_context is not None else True) if secure else None,
            server_hostname=host if secure else None,
        ),
        timeout=max(timeout, 0.001),
    )
    return transport


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
