"""The scan's terminal report: findings grouped by file, each with its place, the text, why and the fix;
then a summary by rule. Everything from the scanned files is shown as plain text, never as markup."""

from __future__ import annotations

from itertools import groupby

from rich.console import Console
from rich.table import Table
from rich.text import Text

from realtime_check.sanitize import escape_controls
from realtime_check.scan.models import ScanReport, Severity
from realtime_check.scan.rules import RULES_BY_ID

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}


def _plain(text: str) -> str:
    """File names and quoted code as inert text: controls and bidirectional overrides shown as escapes."""
    return escape_controls(text)


def print_scan(console: Console, report: ScanReport) -> None:
    for path, group in groupby(report.findings, key=lambda f: f.path):
        console.print(Text(_plain(path), style="bold underline"))
        for f in group:
            head = Text("  ")
            head.append(f"{_plain(path)}:{f.line}:{f.column}", style="bold")
            head.append("  ")
            head.append(f.severity.value, style=_STYLE[f.severity])
            head.append(f"  {f.rule}", style="dim")
            console.print(head)
            console.print(Text("    │ ", style="dim") + Text(_plain(f.snippet)))
            console.print(Text("    " + _plain(f.message)))
            console.print(Text("    fix: ", style="green") + Text(_plain(f.fix)))
        console.print()
    summary = report.summary()
    if summary:
        table = Table("rule", "severity", "findings", "what", box=None, header_style="bold")
        for rule_id, count in summary.items():
            rule = RULES_BY_ID[rule_id]
            table.add_row(rule_id, rule.severity.value, str(count), rule.title)
        console.print(table)
        console.print()
    files = len({f.path for f in report.findings})
    verdict = (
        f"{len(report.findings)} finding(s) in {files} file(s)" if report.findings else "No retired Realtime patterns"
    )
    skipped = sum(report.files_skipped.values())
    console.print(
        Text(f"{verdict}; {report.files_scanned} file(s) scanned, {skipped} skipped.", style="bold"),
    )
    for note in report.notes:
        console.print(Text("note: " + _plain(note), style="yellow"))
    if report.findings:
        console.print(Text("Why each rule fails and what to write instead: realtime-check explain <rule>", style="dim"))
