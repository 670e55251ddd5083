"""Repeat the access path users care about and collect per-phase times and errors.

One round is the checks `run` already has, run by the same runner: `session` mints an
ek_ secret (the `mint` phase) and `websocket_ephemeral` opens a socket with it the way a
browser does (`connect`: request to 101; `first_event`: 101 to session.created). With
--deep a round also runs `websocket` + `response` (a text round trip) and `audio`. So a
round is diagnosed exactly as `run` diagnoses it, and the bench adds only the repetition,
the bounds and the statistics.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from realtime_check.bench.stats import summarize
from realtime_check.checks.context import RunOptions
from realtime_check.diagnosis import catalog as diagnoses
from realtime_check.models import Category, CheckResult, Status
from realtime_check.redact import Redactor
from realtime_check.settings import Settings

MAX_COUNT = 100
MAX_CONCURRENCY = 10
PHASES = ("mint", "connect", "first_event")
DEEP_PHASES = ("first_text", "first_audio", "response_done")
# `config` is local and free: without it a missing key would only skip the others, silently.
ROUND_CHECKS = ["config", "session", "websocket_ephemeral"]
DEEP_CHECKS = ["websocket", "response", "audio"]
# The longest retry-after honoured; a longer one ends the bench (the budget is not for waiting).
MAX_RETRY_WAIT_SECONDS = 10.0
# A round started with less time left than this could only time out.
MIN_ROUND_SECONDS = 0.5
# What one --deep round spends: the response check's text reply (max_output_tokens 16) and the
# audio check's ~1 s of input audio and spoken reply (max_output_tokens 64), plus the instructions.
DEEP_TOKENS_PER_ROUND = 150

RunRound = Callable[[Settings, list[str]], Awaitable[list[CheckResult]]]


@dataclass
class BenchOutcome:
    """What the rounds measured: per-phase samples, errors by diagnosis, and why it stopped early."""

    deep: bool
    samples: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    rounds: int = 0
    stopped: str | None = None
    first_failure: str | None = None
    retry_waits_s: list[float] = field(default_factory=list)

    def phases(self) -> dict[str, dict[str, Any]]:
        names = PHASES + (DEEP_PHASES if self.deep else ())
        return {name: summarize(self.samples.get(name, [])) for name in names}


def deep_cost(count: int) -> str:
    """The up-front notice of what --deep spends."""
    return (
        f"--deep: each round also runs a text and an audio response, about {DEEP_TOKENS_PER_ROUND} tokens; "
        f"{count} rounds spend up to about {count * DEEP_TOKENS_PER_ROUND} tokens."
    )


def phase_times(results: list[CheckResult]) -> dict[str, float]:
    """The phases a round measured, from the details of the checks that passed."""
    by_id = {r.id: r for r in results if r.status is Status.PASS}
    times: dict[str, Any] = {}
    if "session" in by_id:
        times["mint"] = by_id["session"].duration_ms
    if "websocket_ephemeral" in by_id:
        details = by_id["websocket_ephemeral"].details
        times["connect"] = connect_ms(details)
        times["first_event"] = (details.get("timings") or {}).get("first_event_ms")
    if "response" in by_id:
        times["first_text"] = by_id["response"].details.get("first_text_ms")
        times["response_done"] = by_id["response"].details.get("done_ms")
    if "audio" in by_id:
        times["first_audio"] = by_id["audio"].details.get("first_audio_ms")
    return {name: float(ms) for name, ms in times.items() if isinstance(ms, int | float)}


def connect_ms(socket_details: Mapping[str, Any]) -> float | None:
    """DNS + TCP + TLS + upgrade of the ek_ socket, whether or not they overlapped with minting.

    The check may open TCP and TLS while the secret is minted (probes/preconnect.py); then its
    handshake_ms is the upgrade alone and the timings hold the rest. A browser connects after
    minting, so the bench counts every phase of the connection.
    """
    handshake = socket_details.get("handshake_ms")
    if not isinstance(handshake, int | float):
        return None
    timings = socket_details.get("timings") or {}
    before = [timings.get(name) for name in ("dns_ms", "tcp_ms", "tls_ms")]
    return handshake + sum(ms for ms in before if isinstance(ms, int | float))


def failures(results: list[CheckResult]) -> list[CheckResult]:
    """The checks of a round that failed with a diagnosis (skips are consequences, not errors)."""
    return [r for r in results if r.status in (Status.FAIL, Status.ERROR) and r.diagnosis]


def retry_after_seconds(result: CheckResult) -> float | None:
    """The wait a 429 asked for (seconds form of retry-after), None when it named none."""
    if result.http_status != 429:
        return None
    try:
        return max(0.0, float(str(result.details.get("retry-after", ""))))
    except ValueError:
        return None


class Bench:
    """Rounds on `concurrency` workers until `count` are done, the budget is spent, or a failure says stop.

    `clock` and `sleep` are seams: tests drive the retry-after wait without waiting.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        count: int,
        concurrency: int,
        deep: bool,
        run_round: RunRound,
        clock: Callable[[], float] = time.perf_counter,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.settings, self.count, self.concurrency = settings, count, concurrency
        self.checks = ROUND_CHECKS + (DEEP_CHECKS if deep else [])
        self.run_round, self.clock, self.sleep = run_round, clock, sleep
        self.outcome = BenchOutcome(deep=deep)
        self.deadline = 0.0
        self._started = 0
        self._paused_until = 0.0

    def remaining(self) -> float:
        return self.deadline - self.clock()

    async def run(self) -> BenchOutcome:
        self.deadline = self.clock() + self.settings.timeout
        await asyncio.gather(*(self._worker() for _ in range(self.concurrency)))
        return self.outcome

    async def _worker(self) -> None:
        while self.outcome.stopped is None and self._started < self.count:
            wait = self._paused_until - self.clock()
            if wait > 0:
                await self.sleep(wait)  # another round's 429 asked everybody to wait
                continue
            if self.remaining() < MIN_ROUND_SECONDS:
                self.outcome.stopped = self.outcome.stopped or f"the {self.settings.timeout:g} s budget ran out"
                return
            self._started += 1
            # Each round gets what is left of the bench's budget, so the whole bench ends in time.
            results = await self.run_round(replace(self.settings, timeout=self.remaining()), self.checks)
            self._record(results)

    def _record(self, results: list[CheckResult]) -> None:
        outcome = self.outcome
        outcome.rounds += 1
        for name, ms in phase_times(results).items():
            outcome.samples.setdefault(name, []).append(ms)
        for failed in failures(results):
            assert failed.diagnosis is not None
            outcome.errors[failed.diagnosis] += 1
            outcome.first_failure = outcome.first_failure or failed.diagnosis
            category = diagnoses.category_of(failed.diagnosis)
            if category in (Category.AUTH, Category.CONFIG) and outcome.stopped is None:
                # The same key or setting fails every time: more rounds would only hammer the API.
                what = "authentication or permission" if category is Category.AUTH else "configuration"
                outcome.stopped = f"at the first {what} failure ({failed.diagnosis})"
            wait = retry_after_seconds(failed)
            if wait is not None:
                self._honour_retry_after(wait)

    def _honour_retry_after(self, wait: float) -> None:
        if wait > MAX_RETRY_WAIT_SECONDS or wait > self.remaining() - MIN_ROUND_SECONDS:
            self.outcome.stopped = self.outcome.stopped or f"rate limited: retry-after {wait:g} s is past the budget"
            return
        self.outcome.retry_waits_s.append(wait)
        self._paused_until = max(self._paused_until, self.clock() + wait)


async def run_round_with_runner(settings: Settings, checks: list[str], redactor: Redactor) -> list[CheckResult]:
    """One round through the runner `run` uses (its transports, deadline and diagnoses)."""
    from realtime_check.checks.runner import run_checks

    return await run_checks(settings, RunOptions(probe_response=True), checks, redactor)
