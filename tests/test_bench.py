"""`realtime-check bench`: percentile math, the bounds (auth stop, retry-after), and the real CLI against the emulator."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from realtime_check.bench.run import Bench
from realtime_check.bench.stats import histogram, nearest_rank, sparkline, summarize
from realtime_check.emulator.server import Emulator
from realtime_check.models import CheckResult, Status
from realtime_check.settings import resolve

KEY = "sk-proj-FAKE0000000000000000000000000000000000000000BENCH"
SCHEMA = json.loads(
    (Path(__file__).resolve().parents[1] / "realtime_check" / "schema" / "bench.schema.json").read_text("utf-8")
)


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    return subprocess.run(
        [sys.executable, "-m", "realtime_check", "bench", "--no-dotenv", *args],
        capture_output=True,
        text=True,
        timeout=90,
        env={**clean, "OPENAI_API_KEY": KEY, **(env or {})},
        stdin=subprocess.DEVNULL,
    )


def bench_json(base_url: str, *args: str) -> tuple[dict[str, Any], subprocess.CompletedProcess[str]]:
    proc = cli("--base-url", base_url, "--json", *args)
    document = json.loads(proc.stdout)  # exactly one document: json.loads refuses anything after it
    Draft202012Validator(SCHEMA).validate(document)
    return document, proc


# --- percentiles (nearest rank) ---------------------------------------------------------------


def test_nearest_rank_picks_a_measured_value() -> None:
    """Nearest rank: p50 of 1..10 is 5, p95 is 10 (the slowest), p95 of 1..20 is 19; no values gives None."""
    assert nearest_rank(range(1, 11), 50) == 5
    assert nearest_rank(range(1, 11), 95) == 10
    assert nearest_rank(range(1, 21), 95) == 19
    assert nearest_rank([7.5], 50) == 7.5
    assert nearest_rank([], 50) is None


def test_summarize_is_order_independent_and_rounded() -> None:
    """A phase's summary does not depend on the order of rounds; an empty phase says n 0 and nulls."""
    assert summarize([30.04, 10.0, 20.0]) == {"n": 3, "p50_ms": 20.0, "p95_ms": 30.0, "max_ms": 30.0}
    assert summarize([]) == {"n": 0, "p50_ms": None, "p95_ms": None, "max_ms": None}


def test_sparkline_counts_each_slice_and_has_an_ascii_form() -> None:
    """The chart has one bar per slice, tallest where most rounds fell; the ASCII form uses no other characters."""
    values = [10, 10, 10, 11, 50]
    assert histogram(values, 4) == [4, 0, 0, 1]
    assert sparkline(values, 4) == "█  ▂"
    assert sparkline(values, 4, unicode=False).isascii()
    assert len(sparkline(values, 12, unicode=False)) == 12


# --- bounds, driven through Bench with a scripted round and a fake clock -----------------------


def _settings(timeout: float = 30.0) -> Any:
    return resolve({"api_key": KEY, "base_url": "http://127.0.0.1:9/v1"}, {}, {}, None, timeout=timeout)


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def _scripted(result: CheckResult, calls: list[float]) -> Any:
    async def run_round(settings: Any, checks: list[str]) -> list[CheckResult]:
        calls.append(settings.timeout)
        return [result]

    return run_round


def test_auth_failure_stops_after_one_round() -> None:
    """A refused key ends the bench after the round that saw it, with one error, not one per requested round."""
    refused = CheckResult("session", Status.FAIL, "401", diagnosis="invalid_api_key", http_status=401)
    calls: list[float] = []
    clock = FakeClock()
    bench = Bench(_settings(), count=10, concurrency=1, deep=False, run_round=_scripted(refused, calls),
                  clock=clock, sleep=clock.sleep)  # fmt: skip
    outcome = asyncio.run(bench.run())
    assert len(calls) == 1 and outcome.errors == {"invalid_api_key": 1}
    assert outcome.stopped is not None and "authentication" in outcome.stopped


def test_rate_limit_waits_as_retry_after_asks_before_the_next_round() -> None:
    """After a 429 with retry-after: 2 the next round starts only after 2 s on the bench's clock."""
    limited = CheckResult(
        "session", Status.FAIL, "429", diagnosis="rate_limited", http_status=429, details={"retry-after": "2"}
    )
    calls: list[float] = []
    clock = FakeClock()
    bench = Bench(_settings(), count=3, concurrency=1, deep=False, run_round=_scripted(limited, calls),
                  clock=clock, sleep=clock.sleep)  # fmt: skip
    outcome = asyncio.run(bench.run())
    assert clock.slept == [2.0, 2.0] and outcome.retry_waits_s == [2.0, 2.0, 2.0]
    assert outcome.errors == {"rate_limited": 3}
    # Each round is given what is left of the budget, never more.
    assert calls == [30.0, 28.0, 26.0]


def test_retry_after_past_the_budget_ends_the_bench() -> None:
    """A retry-after longer than the time left is not waited out: the bench stops and says why."""
    limited = CheckResult(
        "session", Status.FAIL, "429", diagnosis="rate_limited", http_status=429, details={"retry-after": "60"}
    )
    calls: list[float] = []
    clock = FakeClock()
    bench = Bench(_settings(timeout=20), count=5, concurrency=2, deep=False, run_round=_scripted(limited, calls),
                  clock=clock, sleep=clock.sleep)  # fmt: skip
    outcome = asyncio.run(bench.run())
    assert clock.slept == [] and len(calls) <= 2
    assert outcome.stopped is not None and "retry-after 60" in outcome.stopped


# --- the real CLI, real sockets, the emulator ---------------------------------------------------


def test_bench_passes_end_to_end_with_one_schema_valid_document() -> None:
    """`bench --json` against a healthy emulator: every round measured, no errors, exit 0, no secret shown."""
    with Emulator("healthy") as running:
        document, proc = bench_json(running.base_url, "--count", "4", "--concurrency", "2")
    assert proc.returncode == 0 and document["ok"], proc.stderr
    assert document["rounds"] == 4 and document["errors"] == {}
    assert list(document["phases"]) == ["mint", "connect", "first_event"]
    assert document["target"]["model"].startswith("gpt-realtime")  # the model the sockets asked for
    for stats in document["phases"].values():
        assert stats["n"] == 4 and stats["p50_ms"] <= stats["p95_ms"] <= stats["max_ms"]
    assert KEY not in proc.stdout + proc.stderr and "ek_" not in proc.stdout + proc.stderr


def test_injected_latency_shows_in_its_phase() -> None:
    """100 ms injected on minting and on session.created: those phases' p50 are at least 100 ms, and bounded."""
    with Emulator("healthy", phase_latency_ms={"mint": 100, "session_created": 100}) as running:
        document, proc = bench_json(running.base_url, "--count", "5")
    assert proc.returncode == 0, proc.stderr
    mint, first_event = document["phases"]["mint"], document["phases"]["first_event"]
    assert 100 <= mint["p50_ms"] <= mint["p95_ms"] < 100 + 900
    assert 100 <= first_event["p50_ms"] <= first_event["p95_ms"] < 100 + 900


def test_deep_bench_says_the_cost_first_and_times_the_round_trips() -> None:
    """--deep announces its token cost on stderr and adds first_text, first_audio and response_done."""
    with Emulator("healthy", phase_latency_ms={"first_delta": 100}) as running:
        document, proc = bench_json(running.base_url, "--count", "2", "--deep")
    assert proc.returncode == 0, proc.stderr
    assert "--deep" in proc.stderr and "tokens" in proc.stderr
    phases = document["phases"]
    assert {"first_text", "first_audio", "response_done"} <= set(phases)
    assert phases["first_text"]["n"] == 2 and phases["first_text"]["p50_ms"] >= 100
    assert phases["first_text"]["max_ms"] <= phases["response_done"]["max_ms"]


def test_refused_key_stops_the_bench_at_once() -> None:
    """Against a server refusing every key: one round, one error, exit 5 (auth), not --count attempts."""
    with Emulator("invalid-key") as running:
        document, proc = bench_json(running.base_url, "--count", "10")
    assert proc.returncode == 5
    assert document["rounds"] == 1 and sum(document["errors"].values()) == 1
    assert document["stopped"] and KEY not in proc.stdout + proc.stderr


def test_rate_limited_bench_honours_retry_after() -> None:
    """Minting answers 429 retry-after: 2: the bench records the wait before its second round, exit 7."""
    with Emulator("rate-limited") as running:
        document, proc = bench_json(running.base_url, "--count", "2")
    assert proc.returncode == 7
    assert document["errors"] == {"rate_limited": 2}
    assert document["retry_after_waits_s"][0] == 2.0


def test_text_output_fits_80_columns_and_falls_back_to_ascii() -> None:
    """The table fits 80 columns; on a terminal that is not UTF-8 it uses ASCII only."""
    with Emulator("healthy") as running:
        proc = cli("--base-url", running.base_url, "--count", "3", env={"PYTHONIOENCODING": "ascii", "COLUMNS": "80"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.isascii() and "first_event" in proc.stdout
    assert max(len(line) for line in proc.stdout.splitlines()) <= 80


@pytest.mark.parametrize("flag", [("--count", "101"), ("--concurrency", "11"), ("--count", "0"), ("--timeout", "0")])
def test_out_of_bounds_flags_are_usage_errors(flag: tuple[str, str]) -> None:
    """A count, concurrency or timeout out of bounds exits 2 with a message, before any request."""
    proc = cli("--base-url", "http://127.0.0.1:9/v1", *flag)
    assert proc.returncode == 2 and flag[0] in proc.stderr + proc.stdout
    assert "Traceback" not in proc.stderr


def test_connect_counts_a_connection_opened_while_minting() -> None:
    """When TCP and TLS were opened during minting, `connect` still includes them, not only the upgrade."""
    from realtime_check.bench.run import connect_ms

    early = {"handshake_ms": 5.0, "timings": {"dns_ms": 1.0, "tcp_ms": 2.0, "tls_ms": 3.0, "upgrade_ms": 5.0}}
    plain = {"handshake_ms": 11.0, "timings": {"dns_ms": None, "tcp_ms": None, "tls_ms": None, "upgrade_ms": None}}
    assert connect_ms(early) == 11.0 and connect_ms(plain) == 11.0
    assert connect_ms({"timings": {}}) is None


def test_no_key_is_a_configuration_failure_not_an_empty_pass() -> None:
    """Without any API key the bench stops after one round with the config diagnosis (exit 3), not exit 0."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "realtime_check",
            "bench",
            "--no-dotenv",
            "--json",
            "--base-url",
            "http://127.0.0.1:9/v1",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")},
        stdin=subprocess.DEVNULL,
    )
    document = json.loads(proc.stdout)
    Draft202012Validator(SCHEMA).validate(document)
    assert proc.returncode == 3 and not document["ok"]
    assert document["errors"] == {"key_missing": 1} and document["rounds"] == 1


def test_a_failed_early_connection_never_logs_an_unretrieved_exception() -> None:
    """A refused early connection that no socket asks about is not printed as 'Task exception was never retrieved'."""
    import gc
    import socket

    from realtime_check.probes.preconnect import EarlyConnection

    with socket.socket() as probe:  # a port nothing listens on: bound, then closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    async def scenario() -> list[dict[str, Any]]:
        seen: list[dict[str, Any]] = []
        asyncio.get_running_loop().set_exception_handler(lambda _loop, context: seen.append(context))
        early = EarlyConnection(f"ws://127.0.0.1:{port}/v1/realtime", None, 5.0, time.perf_counter)
        await asyncio.wait({early._task})  # finished, refused; nobody took the result
        del early
        gc.collect()
        return seen

    assert asyncio.run(scenario()) == []
