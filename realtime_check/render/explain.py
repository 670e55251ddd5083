"""`realtime-check explain`: a diagnosis, readable on its own."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

from realtime_check.exit_codes import ExitCode
from realtime_check.models import Diagnosis


def format_explanation(diagnosis: Diagnosis) -> Panel:
    body = Text()
    body.append("Cause: ", style="bold")
    body.append(diagnosis.cause + "\n")
    body.append("What to do:\n", style="bold")
    for line in diagnosis.advice:
        body.append(f"  • {line}\n")
    code = ExitCode[diagnosis.category.name]
    body.append(f"Class: {diagnosis.category.value} (exit code {int(code)})", style="dim")
    if diagnosis.docs:
        body.append(f"\nDocs: {diagnosis.docs}", style="dim")
    if diagnosis.failures:
        body.append(f"\nSeen in the wild as: {', '.join(diagnosis.failures)}", style="dim")
    return Panel(body, title=f"[bold]{escape(diagnosis.id)}[/] — {escape(diagnosis.title)}", title_align="left")


def print_explanations(term: str, found: Sequence[Diagnosis], console: Console | None = None) -> None:
    console = console or Console(highlight=False)
    if not found:
        from realtime_check.redact import Redactor

        # People paste whole error messages here, keys included.
        console.print(
            f"No diagnosis matches {Redactor().text(term)!r}. Try a diagnosis id, an API error code "
            "(insufficient_quota), an HTTP status (403) or a close code (4000).",
            markup=False,
        )
        return
    for diagnosis in found:
        console.print(format_explanation(diagnosis))
