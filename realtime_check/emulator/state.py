"""State the emulator's handlers share for one server's lifetime.

The scenario and clock, the log of requests seen, minted client secrets and open sockets.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

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


class RequestLog:
    """Thread-safe, append-only list of recorded requests, readable from any thread."""

    def __init__(self) -> None:
        self._items: list[RecordedRequest] = []
        self._lock = threading.Lock()

    def append(self, item: RecordedRequest) -> None:
        with self._lock:
            self._items.append(item)

    def snapshot(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __iter__(self) -> Iterator[RecordedRequest]:
        return iter(self.snapshot())

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __getitem__(self, index: int) -> RecordedRequest:
        with self._lock:
            return self._items[index]


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
    requests: RequestLog = field(default_factory=RequestLog)
    secrets: dict[str, MintedSecret] = field(default_factory=dict)
    calls: dict[str, LiveCall] = field(default_factory=dict)
    sockets: set[web.WebSocketResponse] = field(default_factory=set)
    stopping: asyncio.Event = field(default_factory=asyncio.Event)

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
