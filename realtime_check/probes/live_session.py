"""A conversation on an open Realtime socket: send client events, read server events up to a verdict.

The checks that talk on a socket (response, audio, transcription) do all their socket I/O here.
Every event's arrival is stamped on the run's clock (`marks`), so a check reports per-phase
times (first audio, response done, ...) from one place. What the server sends is hostile:
frames are size-capped by the connection, the kept event list is bounded, and waiting is
bounded by the caller's timeout.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from realtime_check.diagnosis.bodies import TooDeep, loads
from realtime_check.probes import websocket as wsprobe

# Server event names that carry output audio. The GA name is response.output_audio.delta; the
# OpenAPI spec's "Beta" schema lists that GA name too, while response.audio.delta is the beta
# name (protocol-update §1.2 calls the spec a quirk). A server or relay that still speaks the
# beta name is sending audio all the same, so both count.
BETA_AUDIO_DELTA = "response.audio.delta"  # realtime-check: ignore[beta-event-name]
AUDIO_DELTA_EVENTS = frozenset({"response.output_audio.delta", BETA_AUDIO_DELTA})
MAX_KEPT_EVENTS = 200  # event types kept for the report; a chatty server cannot grow it further
MAX_TYPE_CHARS = 80


@dataclass
class Verdict:
    """How waiting ended: `outcome` is one of websocket.EVENT, CLOSED, NON_JSON, BINARY, SILENT."""

    outcome: str
    event: dict[str, Any] | None = None  # the event that ended the wait (a verdict type or `error`)
    close_code: int | None = None
    close_reason: str | None = None
    snippet: str | None = None  # start of a frame that was not a JSON event

    @property
    def is_error(self) -> bool:
        return self.event is not None and self.event.get("type") == "error"


class LiveSession:
    """One open socket, the events seen on it and when each first arrived."""

    def __init__(self, conn: Any, clock: Callable[[], float]) -> None:
        self.conn = conn
        self.clock = clock
        self.seen: list[str] = []
        self.dropped = 0  # event types not kept once MAX_KEPT_EVENTS is reached
        # Streaming deltas are listed once, where the first arrived, with how many came.
        self.delta_counts: dict[str, int] = {}
        # "sent:<type>" / "got:<type>" -> clock time of the first such event.
        self.marks: dict[str, float] = {}
        self.audio_bytes = 0  # decoded size of the output audio received
        # How the socket opened (set by whoever opened it): upgrade time and time to session.created,
        # both from the start of the handshake.
        self.handshake_ms: float | None = None
        self.first_event_ms: float | None = None

    def mark(self, name: str) -> None:
        if name in self.marks or len(self.marks) < MAX_KEPT_EVENTS:
            self.marks.setdefault(name, self.clock())

    def ms_between(self, start: str, end: str) -> float | None:
        """Milliseconds from mark `start` to mark `end`, None if either did not happen."""
        if start not in self.marks or end not in self.marks:
            return None
        return round((self.marks[end] - self.marks[start]) * 1000, 1)

    def first_of(self, names: Collection[str]) -> str | None:
        """The earliest of these marks that happened."""
        present = [n for n in names if n in self.marks]
        return min(present, key=lambda n: self.marks[n]) if present else None

    async def exchange(self, events: Sequence[dict[str, Any]], until: Collection[str], timeout: float) -> Verdict:
        """Send `events`, then read until an event whose type is in `until` or an `error` event.

        A close during the sends is a verdict like a close while reading: the server may close
        between session.created and our first send.
        """
        from websockets.exceptions import ConnectionClosed

        try:
            for event in events:
                # Stamped before the send: a span from here contains all of the server's time.
                self.mark(f"sent:{event.get('type')}")
                await self.conn.send(json.dumps(event))
            return await asyncio.wait_for(self._read_until(frozenset(until)), timeout=max(timeout, 0.001))
        except TimeoutError:
            return Verdict(wsprobe.SILENT)
        except ConnectionClosed as exc:
            close = exc.rcvd
            if close is None:  # no close frame at all: the connection dropped (RFC 6455 code 1006)
                reason = wsprobe.FLOOD_REASON if wsprobe.flooded(self.conn) else ""
                return Verdict(wsprobe.CLOSED, close_code=1006, close_reason=reason)
            return Verdict(wsprobe.CLOSED, close_code=close.code, close_reason=close.reason)

    async def _read_until(self, until: frozenset[str]) -> Verdict:
        while True:
            frame = await self.conn.recv()
            if isinstance(frame, bytes):
                return Verdict(wsprobe.BINARY, snippet=f"{len(frame)} bytes: {frame[:32].hex()}")
            try:
                event = loads(frame)
            except TooDeep:
                return Verdict(wsprobe.TOO_DEEP)
            except ValueError:
                event = None
            if not isinstance(event, dict):
                return Verdict(wsprobe.NON_JSON, snippet=frame[:200])
            kind = event.get("type")
            # Shown in the report: a hostile server's type is cut short (real ones are < 60 characters).
            kind = kind[:MAX_TYPE_CHARS] if isinstance(kind, str) else repr(kind)[:40]
            self._record(kind, event)
            if kind == "error" and _benign(event):
                continue  # a recoverable race (protocol-update-2026-11 §1.4): the session goes on
            if kind in until or kind == "error":
                return Verdict(wsprobe.EVENT, event=event)

    def _record(self, kind: str, event: dict[str, Any]) -> None:
        self.mark(f"got:{kind}")
        if kind.endswith(".delta") and kind in self.delta_counts:
            self.delta_counts[kind] += 1
        elif len(self.seen) < MAX_KEPT_EVENTS:
            self.seen.append(kind)
            if kind.endswith(".delta"):
                self.delta_counts[kind] = 1
        else:
            self.dropped += 1
        if kind in AUDIO_DELTA_EVENTS:
            self.audio_bytes += _base64_size(event.get("delta"))

    def events(self) -> list[str]:
        """The event types seen, in order, for the report (with a note when some were not kept)."""
        shown = [
            f"{kind} x{self.delta_counts[kind]}" if self.delta_counts.get(kind, 1) > 1 else kind for kind in self.seen
        ]
        return shown + ([f"... {self.dropped} more"] if self.dropped else [])

    async def close(self) -> None:
        await wsprobe.close_quietly(self.conn)


def _benign(event: dict[str, Any]) -> bool:
    """An error event that is only a race between client and server events, not a verdict."""
    from realtime_check.diagnosis.classify import BENIGN_RACE_CODES

    error = event.get("error")
    return isinstance(error, dict) and error.get("code") in BENIGN_RACE_CODES


def _base64_size(data: Any) -> int:
    """Decoded size of base64 text, without decoding it (the audio itself is not needed)."""
    if not isinstance(data, str):
        return 0
    return max(len(data) * 3 // 4 - data[-2:].count("="), 0)
