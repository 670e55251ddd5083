"""Helpers shared by the renderers: safe text, a check's evidence, the run's verdict, atomic writes."""

from __future__ import annotations

import math
import os
import re
import tempfile
from collections import Counter
from collections.abc import Mapping
from enum import Enum
from typing import Any

from realtime_check.exit_codes import (
    EXIT_CODE_DESCRIPTIONS,
    ExitCode,
    counts_as_failure,
)
from realtime_check.models import CheckResult, Report, Status


def jsonable(value: Any) -> Any:
    """A JSON-serialisable copy of `value`: tuples become lists, enums their value.

    `details` are promised to be JSON-serialisable, but one stray set or bytes
    object must not turn a finished report into a traceback, so anything else
    becomes its `str()`. Non-finite floats become None (JSON has no NaN).
    """
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Enum):
        return jsonable(value.value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


# Terminal colour/cursor sequences, then any other C0/C1 control except tab and newlines:
# in a CI log they would recolour, hide or overwrite text that came from a server.
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_controls(text: object) -> str:
    """`text` without ANSI sequences or control characters (tab, CR and LF are kept)."""
    return _CONTROL.sub("", _ANSI.sub("", str(text)))


def utf8_safe(text: str) -> str:
    """`text` with lone surrogates (from undecodable bytes) replaced, so it can always be written as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


def milliseconds(value: float | None) -> float | None:
    """A duration rounded to 0.1 ms, or None when missing or not finite."""
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), 1)


def facts(result: CheckResult) -> list[tuple[str, str]]:
    """The hard evidence of a check (HTTP status, API error, close code, request id) as label/value pairs."""
    out: list[tuple[str, str]] = []
    if result.http_status is not None:
        out.append(("HTTP status", str(result.http_status)))
    if result.error is not None:
        err = result.error
        if err.type:
            out.append(("Error type", err.type))
        if err.code:
            out.append(("Error code", err.code))
        if err.param:
            out.append(("Error param", err.param))
        if err.message:
            out.append(("Error message", err.message))
    if result.close_code is not None:
        reason = f" ({result.close_reason})" if result.close_reason else ""
        out.append(("Close code", f"{result.close_code}{reason}"))
    if result.request_id:
        out.append(("Request id", result.request_id))
    return out


def explain(result: CheckResult) -> str:
    """A check in plain text: what happened, why, what to do, and the evidence to quote to support."""
    lines = [result.summary]
    if result.diagnosis:
        lines.append(f"Diagnosis: {result.diagnosis}")
    if result.advice:
        lines.append("Advice:")
        lines.extend(f"  - {advice}" for advice in result.advice)
    lines.extend(f"{label}: {value}" for label, value in facts(result))
    return "\n".join(lines)


def tokens_spent(report: Report) -> dict[str, int]:
    """Tokens each check spent, from the `usage` its server events reported (deep checks only)."""
    spent: dict[str, int] = {}
    for result in report.checks:
        usage = result.details.get("usage") if isinstance(result.details, dict) else None
        total = usage.get("total_tokens") if isinstance(usage, dict) else None
        if isinstance(total, int) and not isinstance(total, bool) and total >= 0:
            spent[result.id] = total
    return spent


def tokens_line(report: Report) -> str | None:
    """The report's closing line for a run that cost tokens: how many, and which checks spent them."""
    spent = tokens_spent(report)
    if not spent:
        return None
    by_check = ", ".join(f"{check_id} {tokens}" for check_id, tokens in spent.items())
    return f"Tokens spent: {sum(spent.values())} ({by_check})"


def first_failure(report: Report) -> CheckResult | None:
    """The first check that made the run fail: the root cause, since checks run in dependency order."""
    return next((c for c in report.checks if counts_as_failure(c, report.strict)), None)


def exit_reason(exit_code: int) -> str:
    """The human description of an exit code, also for codes this version does not know."""
    try:
        return EXIT_CODE_DESCRIPTIONS[ExitCode(exit_code)]
    except ValueError:
        return f"unknown exit code {exit_code}"


def plural(count: int, noun: str) -> str:
    """ "1 warning", "3 warnings": a count people read, not "warning(s)"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def verdict(report: Report) -> str:
    """One line saying how the run went, for the summary heading and the `summary` output."""
    counts = Counter(c.status for c in report.checks)
    culprit = first_failure(report)
    if report.ok:
        warned = f" with {plural(counts[Status.WARN], 'warning')}" if counts[Status.WARN] else ""
        passed = f"{counts[Status.PASS]} of {len(report.checks)} checks passed for {report.target.model}"
        if report.not_selected:  # --only/--skip: what ran passed, Realtime access as a whole is unproven
            return f"realtime-check passed{warned}: {passed}; not run: {', '.join(report.not_selected)}"
        return f"realtime-check passed{warned}: {passed}"
    if culprit is not None:
        return f"realtime-check failed at {culprit.id}: {culprit.summary} (exit {report.exit_code})"
    return f"realtime-check failed: {exit_reason(report.exit_code)} (exit {report.exit_code})"


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write `text` to `path` so that readers see the old file or the new one, never half of it.

    The temp file lives in the same directory (os.replace is only atomic within one
    file system) and is hidden with a leading dot and a `.tmp` suffix, so collectors
    that glob `*.prom` or `*.xml` never pick it up. Raises OSError (with the file name)
    when the directory is missing or not writable.
    """
    target = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(target))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(target)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(utf8_safe(text))
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates 0600; reports are read by other users (CI uploaders, node_exporter).
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
