"""Where a check's time went, phase by phase, in the spirit of httpstat.

REST: dns, tcp, tls, ttfb (request sent → first response byte), total, and whether the
connection was reused. Sockets: dns, tcp, tls, upgrade (request → 101), first_event
(101 → first server event), total. A phase that did not happen or was not measured on its
own is None, never a made-up 0: plain HTTP has no TLS, a reused connection no handshakes,
and httpx resolves names inside its TCP connect (the `network` check times DNS itself).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

REST_PHASES = ("dns_ms", "tcp_ms", "tls_ms", "ttfb_ms", "total_ms")
SOCKET_PHASES = ("dns_ms", "tcp_ms", "tls_ms", "upgrade_ms", "first_event_ms", "total_ms")


def _ms(start: float | None, end: float | None) -> float | None:
    if start is None or end is None:
        return None
    return round((end - start) * 1000, 1)


class HttpTrace:
    """An httpx `trace` extension callback that records when each phase of one request ran."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._at: dict[str, float] = {}

    async def __call__(self, event: str, info: dict[str, Any]) -> None:
        self._at.setdefault(event, self._clock())

    def phases(self, started: float, ended: float) -> dict[str, Any]:
        at = self._at.get
        traced = bool(self._at)
        sent = at("http11.send_request_body.complete") or at("http2.send_request_body.complete")
        headers = at("http11.receive_response_headers.complete") or at("http2.receive_response_headers.complete")
        return {
            "dns_ms": None,  # inside httpx's TCP connect: not separable here
            "tcp_ms": _ms(at("connection.connect_tcp.started"), at("connection.connect_tcp.complete")),
            "tls_ms": _ms(at("connection.start_tls.started"), at("connection.start_tls.complete")),
            "ttfb_ms": _ms(sent, headers),
            "total_ms": _ms(started, ended),
            # No TCP connect traced on a traced request: it went out on a kept-alive connection.
            "reused_connection": ("connection.connect_tcp.started" not in self._at) if traced else None,
        }


def socket_timings(
    connect_phases: dict[str, float | None] | None,
    upgrade_ms: float | None,
    first_event_ms: float | None,
    total_ms: float | None,
) -> dict[str, Any]:
    """A socket's phases: the connection's own (when opened by us), then the upgrade and the first event."""
    phases = connect_phases or {}
    return {
        "dns_ms": phases.get("dns_ms"),
        "tcp_ms": phases.get("tcp_ms"),
        "tls_ms": phases.get("tls_ms"),
        "upgrade_ms": _round(upgrade_ms),
        "first_event_ms": _round(first_event_ms),
        "total_ms": _round(total_ms),
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
