"""The JSON form of a report: the one place it is produced (for --json, --json-lines and the schema)."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from datetime import UTC, datetime
from importlib import resources
from typing import Any

from realtime_check.exit_codes import ExitCode
from realtime_check.models import CheckResult, Report, Status, Target
from realtime_check.render._common import (
    atomic_write_text,
    exit_reason,
    jsonable,
    milliseconds,
    utf8_safe,
)

SCHEMA_VERSION = 1
_C1 = re.compile("[\x7f-\x9f\u2028\u2029]")
TOOL_NAME = "realtime-check"


def check_to_dict(result: CheckResult) -> dict[str, Any]:
    """One check as JSON (the `$defs/check` object of the schema)."""
    return {
        "id": result.id,
        "status": Status(result.status).value,
        "summary": result.summary,
        "duration_ms": milliseconds(result.duration_ms),
        "http_status": result.http_status,
        "error": result.error.as_dict() if result.error is not None else None,
        "close_code": result.close_code,
        "close_reason": result.close_reason,
        "request_id": result.request_id,
        "diagnosis": result.diagnosis,
        "advice": list(result.advice),
        "details": jsonable(result.details),
    }


def summary_counts(report: Report) -> dict[str, int]:
    """How many checks ended in each status, every status present (zero when none)."""
    counts = Counter(Status(c.status) for c in report.checks)
    return {status.value: counts.get(status, 0) for status in Status}


def report_to_dict(report: Report) -> dict[str, Any]:
    """The whole report as JSON, keys in the documented order."""
    target = report.target
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": TOOL_NAME, "version": report.tool_version},
        "ok": report.ok,
        "exit_code": report.exit_code,
        "exit_reason": exit_reason(report.exit_code),
        "strict": report.strict,
        "demo": report.demo,
        "started_at": report.started_at,
        "duration_ms": milliseconds(report.duration_ms),
        "target": {
            "base_url": target.base_url,
            "ws_url": target.ws_url,
            "model": target.model,
            "key": target.key,
            "settings": [{"name": s.name, "value": s.value, "source": s.source} for s in target.settings],
        },
        "summary": summary_counts(report),
        "checks": [check_to_dict(c) for c in report.checks],
    }


def usage_error_document(message: str, version: str, *, started_at: str | None = None) -> dict[str, Any]:
    """The --json document for a usage error (exit 2): the usual report shape, so consumers parse one shape.

    Nothing ran, so the target is empty and the only "check" is the usage problem itself.
    The message may quote a mistyped argument, so key-shaped text in it is masked.
    """
    from realtime_check.redact import Redactor

    if started_at is None:
        started_at = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    problem = CheckResult(
        id="usage",
        status=Status.FAIL,
        summary=Redactor().text(message),
        diagnosis="usage_error",
        advice=("Run `realtime-check --help` to see the commands and options.",),
    )
    report = Report(
        tool_version=version,
        started_at=started_at,
        duration_ms=0.0,
        target=Target(base_url="", ws_url="", model="", key="(none)"),
        checks=(problem,),
        exit_code=int(ExitCode.USAGE),
        ok=False,
    )
    return report_to_dict(report)


def check_event(result: CheckResult) -> dict[str, Any]:
    """The --json-lines event written as soon as one check finishes."""
    return {"schema_version": SCHEMA_VERSION, "event": "check", "check": check_to_dict(result)}


def report_event(report: Report) -> dict[str, Any]:
    """The last --json-lines event: the full report."""
    return {"schema_version": SCHEMA_VERSION, "event": "report", "report": report_to_dict(report)}


def dumps(obj: Any, *, indent: int | None = None, ascii_only: bool = False) -> str:
    """Serialise to JSON: key order kept, UTF-8 text as is, NaN refused.

    With the default `indent=None` the result is one line, as --json-lines needs
    (newlines inside strings are escaped by JSON itself). Lone surrogates become "?"
    so the text can always be printed or written as UTF-8. `ascii_only` escapes
    everything else as \\uXXXX, for a stdout that cannot encode it.
    """
    separators = (",", ": ") if indent is not None else (", ", ": ")
    text = utf8_safe(json.dumps(obj, ensure_ascii=ascii_only, allow_nan=False, indent=indent, separators=separators))
    # JSON leaves C1 controls (8-bit CSI/OSC) raw; a terminal would act on them. "##[" only
    # ever occurs inside strings, where "\u005b" is the same "[" to a parser but no longer
    # GitHub's legacy workflow-command syntax, which the runner honours anywhere in a line.
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text).replace("##[", "##\\u005b")


def format_json(report: Report) -> str:
    """The --json document: the report, indented, ending in a newline."""
    return dumps(report_to_dict(report), indent=2) + "\n"


def write_json(path: str | os.PathLike[str], report: Report) -> None:
    """Write the --json document to `path` atomically. Raises OSError if it cannot."""
    atomic_write_text(path, format_json(report))


def load_schema() -> dict[str, Any]:
    """The committed JSON Schema (draft 2020-12) that every report and event validates against."""
    text = resources.files("realtime_check").joinpath("schema/report.schema.json").read_text(encoding="utf-8")
    return json.loads(text)
