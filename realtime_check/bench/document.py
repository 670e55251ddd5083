"""The bench's --json document (schema/bench.schema.json) and its exit code."""

from __future__ import annotations

from typing import Any

from realtime_check.bench.run import BenchOutcome
from realtime_check.diagnosis import catalog as diagnoses
from realtime_check.exit_codes import ExitCode
from realtime_check.redact import Redactor
from realtime_check.settings import Settings

PERCENTILE_METHOD = "nearest-rank"


def exit_code(outcome: BenchOutcome) -> ExitCode:
    """0 when every round passed; else the class of the first failure (5 for auth, 7 for a rate limit...)."""
    if outcome.first_failure is not None:
        return ExitCode[diagnoses.category_of(outcome.first_failure).name]
    if outcome.rounds == 0:
        return ExitCode.TEMPORARY  # the budget ran out before a single round finished
    return ExitCode.OK


def build(
    outcome: BenchOutcome, settings: Settings, *, count: int, concurrency: int, redactor: Redactor
) -> dict[str, Any]:
    from realtime_check import __version__
    from realtime_check.sanitize import safe_value

    code = exit_code(outcome)
    document = {
        "schema_version": 1,
        "kind": "bench",
        "tool": {"name": "realtime-check", "version": __version__},
        "target": {"base_url": settings.base_url, "model": outcome.model or settings.model},
        "ok": code is ExitCode.OK,
        "exit_code": int(code),
        "deep": outcome.deep,
        "count": count,
        "rounds": outcome.rounds,
        "concurrency": concurrency,
        "timeout_seconds": settings.timeout,
        "percentile_method": PERCENTILE_METHOD,
        "phases": outcome.phases(),
        "errors": dict(sorted(outcome.errors.items())),
        "retry_after_waits_s": outcome.retry_waits_s,
        "stopped": outcome.stopped,
    }
    # The base URL may carry a pasted secret; everything passes the one boundary for output.
    return safe_value(document, redactor)
