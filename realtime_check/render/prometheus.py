"""Prometheus text exposition of a run, for node_exporter's textfile collector (*.prom files)."""

from __future__ import annotations

import math
import os
import time
from collections.abc import Sequence

from realtime_check.models import CheckResult, Report, Status
from realtime_check.render._common import atomic_write_text, strip_controls, utf8_safe

PREFIX = "realtime_check"


def escape_label(value: str) -> str:
    """A label value as the text format requires: backslash, double quote and newline escaped."""
    return utf8_safe(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _number(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def _labels(labels: dict[str, str]) -> str:
    if not labels:
        return ""
    # Control characters (from a hostile model name or URL) are legal but only confuse dashboards.
    clean = {name: strip_controls(value).replace("\r", "") for name, value in labels.items()}
    return "{" + ",".join(f'{name}="{escape_label(value)}"' for name, value in clean.items()) + "}"


class _Exposition:
    """Collects metric families in order, each with one HELP and TYPE header (all gauges)."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def family(self, name: str, help_text: str, samples: list[tuple[dict[str, str], float]]) -> None:
        full = f"{PREFIX}_{name}"
        self.lines.append(f"# HELP {full} {help_text}")
        self.lines.append(f"# TYPE {full} gauge")
        self.lines.extend(f"{full}{_labels(labels)} {_number(value)}" for labels, value in samples)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _first_of_each_id(checks: Sequence[CheckResult]) -> list[CheckResult]:
    seen: set[str] = set()
    unique = []
    for check in checks:
        if check.id not in seen:
            seen.add(check.id)
            unique.append(check)
    return unique


def report_to_prometheus(report: Report, *, now: float) -> str:
    """The run as gauges: verdict, exit code, when and how long, and per-check success, status and duration.

    `now` is the Unix time the run finished, so alerts can fire when the file goes stale.
    A repeated check id keeps its first result: duplicate series would make the whole file invalid.
    """
    checks = _first_of_each_id(report.checks)
    out = _Exposition()
    out.family("up", "1 if the last realtime-check run passed, 0 if it failed.", [({}, 1 if report.ok else 0)])
    out.family(
        "exit_code",
        "Exit code of the last run (0 ok, 2 usage, 3 config, 4 network, 5 auth, 6 unavailable, 7 temporary, 8 protocol, 1 internal).",
        [({}, report.exit_code)],
    )
    out.family("run_timestamp_seconds", "Unix time the last run finished.", [({}, now)])
    out.family("run_duration_seconds", "How long the last run took.", [({}, max(report.duration_ms, 0.0) / 1000)])
    out.family(
        "check_success",
        "1 if the check passed or only warned, 0 if it failed, errored or was skipped.",
        [({"check": c.id}, 1 if c.status in (Status.PASS, Status.WARN) else 0) for c in checks],
    )
    out.family(
        "check_status",
        "Outcome of each check: 1 for its status, 0 for the others.",
        [({"check": c.id, "status": s.value}, 1 if c.status is s else 0) for c in checks for s in Status],
    )
    out.family(
        "check_duration_seconds",
        "How long each measured check took.",
        [
            ({"check": c.id}, c.duration_ms / 1000)
            for c in checks
            if c.duration_ms is not None and math.isfinite(c.duration_ms)
        ],
    )
    out.family(
        "info",
        "The realtime-check version, model and base URL of the last run.",
        [({"version": report.tool_version, "model": report.target.model, "base_url": report.target.base_url}, 1)],
    )
    return out.text()


def write_prometheus(path: str | os.PathLike[str], text: str) -> None:
    """Write `text` atomically: the textfile collector would otherwise read a half-written file.

    The temp file is created in the same directory (a rename across file systems is a
    copy) and does not end in .prom, so the collector never reads it. Raises OSError.
    """
    atomic_write_text(path, text)


def write_prometheus_report(path: str | os.PathLike[str], report: Report, *, now: float | None = None) -> None:
    """Render `report` (finished at `now`, default the current time) and write it atomically to `path`."""
    write_prometheus(path, report_to_prometheus(report, now=time.time() if now is None else now))
