"""What every check receives: settings, the shared I/O seams and the run's clock.

Checks never build their own HTTP client or read os.environ: they get both
from here, so tests inject respx, the emulator or a fake clock without patching.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from realtime_check.models import CheckResult
from realtime_check.redact import Redactor
from realtime_check.settings import Settings


@dataclass(frozen=True)
class RunOptions:
    verbose: bool = False
    # Opt-in: one tiny text response over the socket. It proves model access and
    # billing (failures.md F41) but costs a few tokens, so it is off by default.
    probe_response: bool = False
    # Cap for the first server event on a socket (protocol.md §8: ~10 s).
    first_event_timeout: float = 10.0
    # Response bodies are read up to this many bytes; larger ones are refused.
    max_body_bytes: int = 1024 * 1024
    # Lifetime asked for the probe's ephemeral secret: short, it is thrown away.
    ephemeral_ttl_seconds: int = 60


@dataclass
class CheckContext:
    settings: Settings
    redactor: Redactor
    options: RunOptions
    # Seams: an httpx.AsyncClient (or anything with its interface), a websockets
    # `connect` callable, the SSL context both transports use, and a clock.
    http: Any
    ws_connect: Callable[..., Any]
    ssl_context: Any
    clock: Callable[[], float] = time.perf_counter
    # Today's date (UTC), for shutdown dates and days left; tests pin it.
    today: Callable[[], dt.date] = lambda: dt.datetime.now(dt.UTC).date()
    deadline: float = float("inf")
    selected: frozenset[str] = frozenset()
    # Facts one check learns and another uses (the usable key, the model list,
    # the minted ephemeral secret, a live socket for the response probe).
    facts: dict[str, Any] = field(default_factory=dict)
    # What each running check is waiting on right now, for timeout messages.
    waiting_on: dict[str, str] = field(default_factory=dict)
    _results: dict[str, asyncio.Future[CheckResult]] = field(default_factory=dict)
    _shared: dict[str, asyncio.Task[Any]] = field(default_factory=dict)

    def remaining(self) -> float:
        return max(0.0, self.deadline - self.clock())

    def result_future(self, check_id: str) -> asyncio.Future[CheckResult]:
        if check_id not in self._results:
            self._results[check_id] = asyncio.get_running_loop().create_future()
        return self._results[check_id]

    async def result(self, check_id: str) -> CheckResult | None:
        """The result of another check, waiting for it; None if it was not selected."""
        if check_id not in self.selected:
            return None
        return await asyncio.shield(self.result_future(check_id))

    def once(self, key: str, make: Callable[[], Awaitable[Any]]) -> Awaitable[Any]:
        """Run `make()` once per run and share its outcome (e.g. the model listing)."""
        if key not in self._shared:
            self._shared[key] = asyncio.ensure_future(make())
        return asyncio.shield(self._shared[key])

    def wait_note(self, check_id: str, what: str) -> None:
        self.waiting_on[check_id] = what
