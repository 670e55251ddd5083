"""JUnit XML for CI test reports (GitLab, Jenkins, GitHub report actions): one testcase per check."""

from __future__ import annotations

import math
import os
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from realtime_check.exit_codes import counts_as_failure
from realtime_check.models import CheckResult, Report, Status
from realtime_check.render._common import atomic_write_text, explain, strip_controls
from realtime_check.render.json_report import check_to_dict, dumps

SUITE_NAME = "realtime-check"

# Everything XML 1.0 forbids (C0 controls except tab/LF/CR, surrogates, U+FFFE/U+FFFF):
# ElementTree escapes markup but happily writes these, and parsers then reject the file.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: object) -> str:
    """`text` with ANSI sequences and characters illegal in XML 1.0 removed (escaping is ElementTree's job)."""
    return _NOT_XML.sub("", strip_controls(text))


def _seconds(ms: float | None) -> str:
    """Milliseconds as JUnit's seconds; 0 when unmeasured (skipped checks have no duration)."""
    if ms is None or not math.isfinite(ms) or ms < 0:
        return "0.000"
    return f"{ms / 1000:.3f}"


def _timestamp(started_at: str) -> str | None:
    """started_at as the JUnit XSD wants it: UTC without an offset. None if unparseable."""
    try:
        moment = datetime.fromisoformat(started_at.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="seconds")


def _system_out(result: CheckResult, counted_as_failure: bool) -> str:
    if result.status is Status.WARN and not counted_as_failure:
        parts = [f"WARNING: {explain(result)}"]
    else:
        parts = [f"{result.status.value.upper()}: {result.summary}"]
    if result.details:
        parts.append("Details:\n" + dumps(check_to_dict(result)["details"], indent=2))
    return "\n".join(parts)


def _properties(report: Report) -> list[tuple[str, str]]:
    props = [
        ("realtime-check.version", report.tool_version),
        ("base_url", report.target.base_url),
        ("ws_url", report.target.ws_url),
        ("model", report.target.model),
        ("exit_code", str(report.exit_code)),
        ("strict", "true" if report.strict else "false"),
    ]
    if report.demo:
        props.append(("demo", report.demo))
    return props


def _testcase(parent: ET.Element, result: CheckResult, fail_on_warn: bool) -> None:
    case = ET.SubElement(
        parent, "testcase", classname=SUITE_NAME, name=xml_safe(result.id), time=_seconds(result.duration_ms)
    )
    counted = counts_as_failure(result, fail_on_warn)
    if result.status is Status.SKIP:
        ET.SubElement(case, "skipped", message=xml_safe(result.summary))
    elif result.status is Status.ERROR:
        element = ET.SubElement(
            case, "error", message=xml_safe(result.summary), type=xml_safe(result.diagnosis or "internal_error")
        )
        element.text = xml_safe(explain(result))
    elif counted:  # a failure, or a warning under --strict / --fail-on warn
        prefix = "WARNING: " if result.status is Status.WARN else ""
        element = ET.SubElement(
            case,
            "failure",
            message=xml_safe(prefix + result.summary),
            type=xml_safe(result.diagnosis or result.status.value),
        )
        element.text = xml_safe(explain(result))
    ET.SubElement(case, "system-out").text = xml_safe(_system_out(result, counted))


def report_to_junit(report: Report, *, fail_on_warn: bool | None = None) -> str:
    """The report as a JUnit XML document. Warnings fail only with fail_on_warn (default: report.strict)."""
    strict = report.strict if fail_on_warn is None else fail_on_warn
    checks = report.checks
    counts = {
        "tests": str(len(checks)),
        "failures": str(sum(1 for c in checks if c.status is not Status.ERROR and counts_as_failure(c, strict))),
        "errors": str(sum(1 for c in checks if c.status is Status.ERROR)),
        "skipped": str(sum(1 for c in checks if c.status is Status.SKIP)),
        "time": _seconds(report.duration_ms),
    }
    attributes = {"name": SUITE_NAME, **counts}
    root = ET.Element("testsuites", attributes)
    suite = ET.SubElement(root, "testsuite", attributes)
    timestamp = _timestamp(report.started_at)
    if timestamp:
        suite.set("timestamp", timestamp)
    properties = ET.SubElement(suite, "properties")
    for name, value in _properties(report):
        ET.SubElement(properties, "property", name=name, value=xml_safe(value))
    for result in checks:
        _testcase(suite, result, strict)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_junit(path: str | os.PathLike[str], report: Report, *, fail_on_warn: bool | None = None) -> None:
    """Write the JUnit XML to `path` atomically. Raises OSError if it cannot."""
    atomic_write_text(path, report_to_junit(report, fail_on_warn=fail_on_warn))
