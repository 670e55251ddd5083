"""The terminal report, in the spirit of `flutter doctor`: one line a check, advice under problems.

`format_*` functions build rich renderables and touch no stream; `print_report`
writes them. Colour follows rich's own rules: NO_COLOR, FORCE_COLOR, and no
colour when stdout is not a terminal.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from realtime_check.exit_codes import EXIT_CODE_DESCRIPTIONS, ExitCode
from realtime_check.models import CheckResult, Report, Status

_GLYPHS = {
    Status.PASS: ("✓", "[✓]", "green"),
    Status.WARN: ("!", "[!]", "yellow"),
    Status.FAIL: ("✗", "[✗]", "red"),
    Status.ERROR: ("✗", "[E]", "magenta"),
    Status.SKIP: ("-", "[-]", "dim"),
}
_ASCII = {Status.PASS: "[ok]", Status.WARN: "[!]", Status.FAIL: "[x]", Status.ERROR: "[E]", Status.SKIP: "[-]"}


def glyph(status: Status, unicode: bool) -> Text:
    _, boxed, style = _GLYPHS[status]
    return Text(boxed if unicode else _ASCII[status], style=f"bold {style}")


def format_duration(ms: float | None) -> str:
    if ms is None:
        return ""
    return f"{ms:.0f} ms" if ms < 10_000 else f"{ms / 1000:.1f} s"


def format_header(report: Report) -> Group:
    title = Text(f"realtime-check {report.tool_version}", style="bold")
    if report.demo:
        title.append(
            f" · DEMO against the built-in emulator (scenario: {report.demo}) · no real API is contacted",
            style="bold cyan",
        )
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    table.add_column(style="dim")
    shown = {
        "api_key": "key",
        "base_url": "base URL",
        "ws_url": "socket URL",
        "model": "model",
        "organization": "organization",
        "project": "project",
        "ca_bundle": "CA bundle",
    }
    for setting in report.target.settings:
        if setting.value is None and setting.name not in ("api_key",):
            continue
        label = shown.get(setting.name, setting.name)
        # Derived and chosen values say so themselves ("chosen: newest visible"); the rest came from somewhere.
        source = (
            setting.source if setting.source.startswith(("chosen", "derived", "default:")) else f"from {setting.source}"
        )
        table.add_row(label, escape(setting.value or "(none)"), escape(source))
    return Group(title, table)


def format_check(result: CheckResult, *, unicode: bool, verbose: bool, advice_shown_by: str | None = None) -> Group:
    """One check's line, with advice and evidence under a problem.

    `advice_shown_by` names an earlier check that already printed the same advice
    (an invalid key fails three checks alike): it is referred to, not repeated.
    """
    line = Table.grid(padding=(0, 1), expand=True)
    line.add_column(width=4, no_wrap=True)
    line.add_column(width=20, no_wrap=True, style="bold")
    line.add_column(ratio=1)
    line.add_column(justify="right", style="dim", no_wrap=True)
    line.add_row(glyph(result.status, unicode), result.id, Text(result.summary), format_duration(result.duration_ms))
    parts: list[Any] = [line]
    if result.status in (Status.WARN, Status.FAIL, Status.ERROR):
        bullet = "•" if unicode else "-"
        notes = Table.grid(padding=(0, 1))
        notes.add_column(width=4)
        notes.add_column(width=1)
        notes.add_column(ratio=1)
        if advice_shown_by is not None and result.advice:
            notes.add_row("", bullet, Text(f"Same cause as {advice_shown_by}: see the advice above.", style="italic"))
        else:
            for advice in result.advice:
                notes.add_row("", bullet, Text(advice))
        facts = _facts(result)
        if facts:
            notes.add_row("", "", Text(facts, style="dim"))
        parts.append(notes)
    if verbose and result.details:
        parts.extend(_details(result.details))
    return Group(*parts)


def _facts(result: CheckResult) -> str:
    bits = []
    if result.diagnosis:
        bits.append(f"diagnosis: {result.diagnosis}")
    if result.http_status is not None:
        bits.append(f"HTTP {result.http_status}")
    if result.error and result.error.code:
        bits.append(f"error code: {result.error.code}")
    if result.close_code is not None:
        reason = f" {result.close_reason}" if result.close_reason else ""
        bits.append(f"close {result.close_code}{reason}")
    if result.request_id:
        bits.append(f"request id: {result.request_id}")
    return " · ".join(bits)


def _details(details: Any, indent: int = 5) -> list[Text]:
    out = []
    for key, value in details.items():
        if isinstance(value, dict) and value:
            out.append(Text(" " * indent + f"{key}:", style="dim"))
            out.extend(_details(value, indent + 2))
        else:
            shown = ", ".join(map(str, value)) if isinstance(value, list) else value
            out.append(Text(" " * indent + f"{key}: {shown}", style="dim"))
    return out


def format_verdict(report: Report, *, unicode: bool) -> Text:
    counts = {s: sum(1 for c in report.checks if c.status is s) for s in Status}
    tally = ", ".join(f"{n} {s.value}" for s, n in counts.items() if n)
    seconds = report.duration_ms / 1000
    code = ExitCode(report.exit_code)
    if report.ok:
        mark = "✓" if unicode else "OK"
        warn = " (with warnings)" if counts[Status.WARN] else ""
        return Text(f"{mark} Realtime access looks good{warn} · {tally} · {seconds:.1f} s", style="bold green")
    mark = "✗" if unicode else "FAILED"
    first = next(
        (
            c
            for c in report.checks
            if c.status in (Status.FAIL, Status.ERROR) or (report.strict and c.status is Status.WARN)
        ),
        None,
    )
    where = f" at {first.id}" if first else ""
    return Text(
        f"{mark} Realtime access is not working{where} · {tally} · {seconds:.1f} s · exit {int(code)}: "
        f"{EXIT_CODE_DESCRIPTIONS[code]}",
        style="bold red",
    )


def print_report(console: Console, report: Report, *, verbose: bool = False) -> None:
    unicode = (console.encoding or "").lower().startswith("utf")
    console.print(format_header(report))
    console.print()
    advised: dict[tuple[str, ...], str] = {}  # advice already printed -> by which check
    for result in report.checks:
        shown_by = advised.get(result.advice) if result.advice else None
        console.print(format_check(result, unicode=unicode, verbose=verbose, advice_shown_by=shown_by))
        if result.advice and shown_by is None and result.status is not Status.PASS:
            advised[result.advice] = result.id
    console.print()
    console.print(format_verdict(report, unicode=unicode))
