"""The terminal report, in the spirit of `flutter doctor`: one line a check, advice under problems.

`format_*` functions build rich renderables and touch no stream; `print_report`
writes them. Colour follows rich's own rules: NO_COLOR, FORCE_COLOR, and no
colour when stdout is not a terminal.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.text import Text

from realtime_check.models import CheckResult, Report, Status
from realtime_check.render._common import exit_reason, first_failure, tokens_line
from realtime_check.settings import describe_source

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
    """The tool, then each setting the run used and, dimmed, where it came from in plain words."""
    parts: list[Any] = [Text(f"realtime-check {report.tool_version}", style="bold")]
    if report.demo:
        # A line of its own: behind the title it would wrap at 80 columns.
        parts.append(
            Text(f"DEMO: built-in emulator, scenario {report.demo} · no real API contacted", style="bold cyan")
        )
    rows = [
        (_SETTING_LABELS.get(s.name, s.name), s.value or "(none)", describe_source(s.source))
        for s in report.target.settings
        if s.value is not None or s.name == "api_key"
    ]
    if rows:
        parts.append(_SettingsTable(rows))
    return Group(*parts)


_SETTING_LABELS = {
    "api_key": "key",
    "base_url": "base URL",
    "ws_url": "socket URL",
    "model": "model",
    "organization": "organization",
    "project": "project",
    "ca_bundle": "CA bundle",
    "dotenv": ".env file",
}


class _SettingsTable:
    """label, value, provenance: three aligned columns when they fit, else the provenance
    follows the value and wraps under it. No line carries trailing blanks."""

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        self.rows = rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        label_w = max(len(label) for label, _, _ in self.rows)
        value_w = max(Text(value).cell_len for _, value, _ in self.rows)
        source_w = max(len(source) for _, _, source in self.rows)
        aligned = label_w + 2 + value_w + 2 + source_w <= width
        for label, value, source in self.rows:
            head = Text(label.ljust(label_w + 2), style="bold")
            body = Text(value)
            if aligned:
                body.pad_right(value_w + 2 - body.cell_len)
            else:
                body.append("  ")
            body.append(source, style="dim")
            yield from hanging(console, head, body, width)


def hanging(
    console: Console,
    head: Text,
    body: Text,
    width: int,
    tail: Text | None = None,
    *,
    narrow_indent: int | None = None,
) -> list[Text]:
    """`head` then `body` wrapped to the width with its later lines under its first (a hanging
    indent), and `tail` right-aligned on the first line. Nothing is padded past the text.

    With `narrow_indent`, a body holding a word too long for its column (a URL in a server's
    message) continues at that smaller indent instead, so the word stays whole for copying.
    """
    indent = head.cell_len
    room = max(width - indent - (tail.cell_len + 1 if tail is not None and tail.cell_len else 0), 8)
    lines = list(body.wrap(console, room, overflow="fold")) or [Text("")]
    if narrow_indent is not None and len(lines) > 1 and _longest_word(body) > room:
        first = lines[0]
        start = len(first.plain)
        while start < len(body.plain) and body.plain[start].isspace():
            start += 1
        indent = narrow_indent
        rest = body[start:].wrap(console, max(width - narrow_indent, 8), overflow="fold")
        lines = [first, *rest]
    out = []
    for number, line in enumerate(lines):
        line.rstrip()
        text = head.copy() if number == 0 else Text(" " * indent)
        text.append_text(line)
        if number == 0 and tail is not None and tail.cell_len:
            text.pad_right(width - text.cell_len - tail.cell_len)
            text.append_text(tail)
        out.append(text)
    return out


def _longest_word(text: Text) -> int:
    return max((cell_len(word) for word in text.plain.split()), default=0)


def id_width(results: Iterable[CheckResult]) -> int:
    """The id column fits the longest id in this run, so the summary gets the rest of the line."""
    return min(max((len(r.id) for r in results), default=0), _MAX_ID_WIDTH)


_MAX_ID_WIDTH = 24  # a longer (third-party) id gets its own width rather than squeezing every summary


class _CheckLine:
    """mark, id, summary (wrapping under itself), and the duration at the right edge."""

    def __init__(self, result: CheckResult, unicode: bool, id_column: int) -> None:
        self.result = result
        self.unicode = unicode
        self.id_column = id_column

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        result = self.result
        head = glyph(result.status, self.unicode)
        head.pad_right(_GLYPH_WIDTH[self.unicode] + 1 - head.cell_len)
        head.append(result.id.ljust(self.id_column) + " ", style="bold")
        tail = Text(format_duration(result.duration_ms), style="dim")
        summary = Text(result.summary)
        narrow = _GLYPH_WIDTH[self.unicode] + 1  # under the id: a long URL stays whole
        yield from hanging(console, head, summary, options.max_width, tail, narrow_indent=narrow)


def format_check(
    result: CheckResult,
    *,
    unicode: bool,
    verbose: bool,
    advice_shown_by: str | None = None,
    id_column: int | None = None,
) -> Group:
    """One check's line, with advice and evidence under a problem.

    The id column is as wide as `id_column` (the run's longest id), so at 80 columns the
    summary keeps most of the line. `advice_shown_by` names an earlier check that already
    printed the same advice (an invalid key fails three checks alike): it is referred to,
    not repeated.
    """
    parts: list[Any] = [_CheckLine(result, unicode, id_column if id_column is not None else len(result.id))]
    if result.status in (Status.WARN, Status.FAIL, Status.ERROR):
        parts.append(_Notes(result, unicode, advice_shown_by))
    if verbose and result.details:
        parts.extend(_details(result.details))
    return Group(*parts)


class _Notes:
    """A problem's advice as bullets with a hanging indent, then its evidence, dimmed."""

    def __init__(self, result: CheckResult, unicode: bool, advice_shown_by: str | None) -> None:
        self.result = result
        self.unicode = unicode
        self.advice_shown_by = advice_shown_by

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        indent = " " * (_GLYPH_WIDTH[self.unicode] + 1)
        bullet = Text(indent + ("• " if self.unicode else "- "))
        result = self.result
        if self.advice_shown_by is not None and result.advice:
            same = Text(f"Same cause as {self.advice_shown_by}: see the advice above.", style="italic")
            yield from hanging(console, bullet, same, width)
        else:
            for advice in result.advice:
                yield from hanging(console, bullet.copy(), Text(advice), width)
        facts = _facts(result)
        if facts:
            yield from hanging(console, Text(" " * bullet.cell_len), Text(facts, style="dim"), width)


# The widest mark of each alphabet: "[✓]" and "[ok]".
_GLYPH_WIDTH = {True: 3, False: 4}


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


def format_timings(timings: dict[str, Any]) -> str:
    """httpstat in one line: each phase that was measured, then the total ("tcp 1.2 ms · tls 3.0 ms · …")."""
    parts = []
    for key, value in timings.items():
        if key == "reused_connection":
            if value:
                parts.append("reused connection")
        elif value is not None:
            parts.append(f"{key.removesuffix('_ms').replace('_', ' ')} {value:g} ms")
    return " · ".join(parts) or "not measured"


def _details(details: Any, indent: int = 5) -> list[Text]:
    out = []
    for key, value in details.items():
        if key == "timings" and isinstance(value, dict):
            out.append(Text(" " * indent + f"timings: {format_timings(value)}", style="dim"))
        elif isinstance(value, dict) and value:
            out.append(Text(" " * indent + f"{key}:", style="dim"))
            out.extend(_details(value, indent + 2))
        else:
            shown = ", ".join(map(str, value)) if isinstance(value, list) else value
            out.append(Text(" " * indent + f"{key}: {shown}", style="dim"))
    return out


def format_verdict(report: Report, *, unicode: bool) -> Text:
    """The last line: whether Realtime access works, the tally, and the exit code when it does not.

    A run that left checks out (--only/--skip) and passed proves only what it ran, so it says
    that instead of "Realtime access looks good".
    """
    counts = {s: sum(1 for c in report.checks if c.status is s) for s in Status}
    tally = ", ".join(f"{n} {s.value}" for s, n in counts.items() if n) or "no checks ran"
    seconds = report.duration_ms / 1000
    warn = " (with warnings)" if counts[Status.WARN] else ""
    if report.ok and (report.not_selected or not report.checks):
        mark = "✓" if unicode else "OK"
        left_out = ", ".join(report.not_selected) or "every check"
        # Not "Realtime access looks good": what did not run may be what would have failed.
        return Text(
            f"{mark} The selected checks pass{warn} · {tally} · {seconds:.1f} s · not run (--only/--skip): {left_out}",
            style="bold yellow",
        )
    if report.ok:
        mark = "✓" if unicode else "OK"
        return Text(f"{mark} Realtime access looks good{warn} · {tally} · {seconds:.1f} s", style="bold green")
    mark = "✗" if unicode else "FAILED"
    first = first_failure(report)
    where = f" at {first.id}" if first else ""
    return Text(
        f"{mark} Realtime access is not working{where} · {tally} · {seconds:.1f} s · exit {report.exit_code}: "
        f"{exit_reason(report.exit_code)}",
        style="bold red",
    )


def print_report(console: Console, report: Report, *, verbose: bool = False) -> None:
    unicode = (console.encoding or "").lower().startswith("utf")
    console.print(format_header(report))
    console.print()
    advised: dict[tuple[str, ...], str] = {}  # advice already printed -> by which check
    column = id_width(report.checks)
    for result in report.checks:
        shown_by = advised.get(result.advice) if result.advice else None
        console.print(
            format_check(result, unicode=unicode, verbose=verbose, advice_shown_by=shown_by, id_column=column)
        )
        if result.advice and shown_by is None and result.status is not Status.PASS:
            advised[result.advice] = result.id
    console.print()
    console.print(Group(*hanging(console, Text(""), format_verdict(report, unicode=unicode), console.width)))
    spent = tokens_line(report)
    if spent is not None:  # the deep checks cost tokens: the last line says how many
        console.print(Text(spent, style="dim"))
