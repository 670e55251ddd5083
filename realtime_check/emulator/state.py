"""State the emulator's handlers share for one server's lifetime.

The scenario and clock, the log of requests seen, minted client secrets and open sockets.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from aiohttp import web
from multidict import CIMultiDictProxy

from realtime_check.emulator.scenarios import Scenario


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the emulator saw it (REST call or WebSocket upgrade)."""

    method: str
    path: str
    query: dict[str, str]
    headers: CIMultiDictProxy[str]


T = TypeVar("T")


@dataclass
class SocketRecord:
    """One /v1/realtime upgrade as the emulator saw it, for the bridge doctor (`relay --upstream-emulator`).

    Written on the server's loop as the session goes; read from another thread once the check is done.
    """

    headers: dict[str, str]  # lower-cased names, raw values (secrets: redact before showing)
    query: dict[str, str]
    http_status: int | None = None  # set when the upgrade was answered without a 101
    first_server_event: str | None = None
    error_code: str | None = None  # of the first error event the emulator sent
    close_code: int | None = None  # the emulator's own close, if it closed
    client_events: list[str] = field(default_factory=list)  # types of the client events received, in order
    rejected_session_fields: list[str] = field(default_factory=list)  # e.g. beta fields in a session.update


class SharedLog(Generic[T]):
    """Thread-safe, append-only list, readable from any thread."""

    def __init__(self) -> None:
        self._items: list[T] = []
        self._lock = threading.Lock()

    def append(self, item: T) -> None:
        with self._lock:
            self._items.append(item)

    def snapshot(self) -> list[T]:
        with self._lock:
            return list(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __iter__(self) -> Iterator[T]:
        return iter(self.snapshot())

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __getitem__(self, index: int) -> T:
        with self._lock:
            return self._items[index]


class RequestLog(SharedLog[RecordedRequest]):
    """Every request the emulator received."""


class SocketLog(SharedLog[SocketRecord]):
    """Every /v1/realtime upgrade the emulator received, with what happened on it."""


@dataclass
class MintedSecret:
    expires_at: int
    session: dict[str, Any]


@dataclass
class LiveCall:
    """A WebRTC call created by POST /v1/realtime/calls, until it is hung up."""

    session: dict[str, Any]
    ended: bool = False


@dataclass
class EmulatorState:
    """Everything the handlers share. Lives on the server's event loop thread."""

    scenario: Scenario
    clock: Callable[[], float] = time.time
    latency_ms: int = 0
    event_latency_ms: int = 0
    # Extra delay per phase (scenarios.PHASES), on top of the latencies above.
    phase_latency_ms: dict[str, int] = field(default_factory=dict)
    requests: RequestLog = field(default_factory=RequestLog)
    socket_log: SocketLog = field(default_factory=SocketLog)
    secrets: dict[str, MintedSecret] = field(default_factory=dict)
    calls: dict[str, LiveCall] = field(default_factory=dict)
    sockets: set[web.WebSocketResponse] = field(default_factory=set)
    stopping: asyncio.Event = field(default_factory=asyncio.Event)

    async def phase(self, name: str) -> bool:
        """Wait the delay injected into this phase (if any); False if the emulator is stopping."""
        return await self.pause(self.phase_latency_ms.get(name, 0))

    async def pause(self, ms: float) -> bool:
        """Sleep `ms`, returning False at once if the emulator is stopping."""
        if self.stopping.is_set():
            return False
        if ms <= 0:
            return True
        try:
            await asyncio.wait_for(self.stopping.wait(), ms / 1000)
        except TimeoutError:
            return True
        return False


STATE = web.AppKey("emulator_state", EmulatorState)
