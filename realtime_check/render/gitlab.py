"""GitLab CI job-log output: one collapsible section per check, holding its explanation and details."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from typing import TextIO

from realtime_check.models import CheckResult, Report, Status
from realtime_check.render._common import explain, strip_controls, utf8_safe, verdict
from realtime_check.render.json_report import check_to_dict, dumps

# GitLab job logs render ANSI colours; the status word is coloured like the console's.
_COLOUR = {
    Status.PASS: "\x1b[32m",
    Status.WARN: "\x1b[33m",
    Status.FAIL: "\x1b[31m",
    Status.SKIP: "\x1b[90m",
    Status.ERROR: "\x1b[35m",
}
_RESET = "\x1b[0m"
_NOT_NAME = re.compile(r"[^a-z0-9_]+")


def section_name(raw: str) -> str:
    """A section name GitLab accepts: lower-case letters, digits and underscores only."""
    return _NOT_NAME.sub("_", raw.lower()).strip("_") or "section"


def section_start(name: str, header: str, *, timestamp: int, collapsed: bool = True) -> str:
    """The line that opens a section; `header` is what shows when it is collapsed."""
    option = "[collapsed=true]" if collapsed else ""
    return f"\x1b[0Ksection_start:{timestamp}:{section_name(name)}{option}\r\x1b[0K{header}"


def section_end(name: str, *, timestamp: int) -> str:
    """The line that closes a section (GitLab shows end minus start as its duration)."""
    return f"\x1b[0Ksection_end:{timestamp}:{section_name(name)}\r\x1b[0K"


def _plain(text: str) -> str:
    """Server text without control characters, so it cannot open, close or rewrite sections."""
    return utf8_safe(strip_controls(text)).replace("\r", "")


def _start_time(report: Report, now: float | None) -> float:
    try:
        moment = datetime.fromisoformat(report.started_at.replace("Z", "+00:00"))
    except ValueError:
        return now if now is not None else 0.0
    # started_at is UTC by contract; a missing offset must not be read as local time.
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def _body(result: CheckResult) -> str:
    # The summary is already the section header; the body holds the rest.
    text = explain(result).partition("\n")[2]
    if result.details:
        text += "\nDetails:\n" + dumps(check_to_dict(result)["details"], indent=2)
    return _plain(text)


def format_gitlab(report: Report, *, now: float | None = None) -> str:
    """Every check as a collapsed section, then the verdict.

    Section times are derived from the report (started_at plus each check's duration),
    so the output is a pure function of the report; `now` is used only when started_at
    cannot be parsed.
    """
    clock = _start_time(report, now)
    lines = []
    for index, result in enumerate(report.checks, start=1):
        name = f"realtime_check_{index:02d}_{section_name(result.id)}"
        status = result.status
        header = f"{_COLOUR[status]}{status.value.upper():5}{_RESET} {_plain(result.id)}: " + " ".join(
            _plain(result.summary).split()
        )
        duration = result.duration_ms if result.duration_ms is not None and math.isfinite(result.duration_ms) else 0.0
        lines.append(section_start(name, header, timestamp=int(clock)))
        body = _body(result).strip("\n")
        if body:
            lines.append(body)
        clock += max(duration, 0.0) / 1000
        lines.append(section_end(name, timestamp=int(clock)))
    lines.append(_plain(verdict(report)))
    return "\n".join(lines) + "\n"


def write_gitlab(report: Report, stream: TextIO, *, now: float | None = None) -> None:
    """Print the GitLab sections to `stream` (the job log)."""
    stream.write(format_gitlab(report, now=now))
