"""GitHub Actions annotations for scan findings: `::error file=…,line=…::…`, escaped, within GitHub's limits."""

from __future__ import annotations

from realtime_check.render.github import MAX_ANNOTATIONS, escape_data, escape_property
from realtime_check.sanitize import escape_controls
from realtime_check.scan.models import Finding, Severity

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def annotation(finding: Finding) -> str:
    props = ",".join(
        [
            f"file={escape_property(escape_controls(finding.path))}",
            f"line={finding.line}",
            f"col={finding.column}",
            f"endLine={finding.end_line}",
            f"endColumn={finding.end_column}",
            f"title={escape_property(f'realtime-check {finding.rule}')}",
        ]
    )
    message = f"{finding.message}\n→ {finding.fix}"
    return f"::{_COMMAND[finding.severity]} {props}::{escape_data(message)}"


def annotation_lines(findings: tuple[Finding, ...] | list[Finding]) -> list[str]:
    """At most MAX_ANNOTATIONS per level (GitHub shows no more); a final notice counts the rest."""
    lines: list[str] = []
    dropped = 0
    for severity in Severity:
        of_level = [f for f in findings if f.severity is severity]
        lines += [annotation(f) for f in of_level[:MAX_ANNOTATIONS]]
        dropped += max(0, len(of_level) - MAX_ANNOTATIONS)
    if dropped:
        lines.append(
            f"::notice title=realtime-check scan::{dropped} more finding(s) not annotated "
            f"(GitHub shows {MAX_ANNOTATIONS} per level); upload the --sarif file to see them all"
        )
    return lines
