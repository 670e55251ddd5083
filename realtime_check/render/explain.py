"""`realtime-check explain`: a diagnosis, readable on its own at any width."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

from realtime_check import model_facts
from realtime_check.exit_codes import ExitCode
from realtime_check.models import Diagnosis
from realtime_check.render.console import hanging

# Diagnoses whose advice rests on model_facts (dates, successors, the ladder): `explain` dates them.
MODEL_FACT_DIAGNOSES = frozenset(
    {
        "model_retired",
        "model_shutdown_scheduled",
        "only_retiring_model_visible",
        "model_listed_but_refused",
        "gpt_live_model",
        "model_not_found",
        "response_model_not_found",
        "ws_model_not_found",
    }
)


class _Body:
    """Cause, advice bullets (later lines stay under the bullet's text), class, docs, sources."""

    def __init__(self, diagnosis: Diagnosis, unicode: bool) -> None:
        self.diagnosis = diagnosis
        self.unicode = unicode

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        d = self.diagnosis
        width = options.max_width
        yield from hanging(console, Text("Cause: ", style="bold"), Text(d.cause), width)
        yield Text("What to do:", style="bold")
        bullet = "  • " if self.unicode else "  - "
        for line in d.advice:
            yield from hanging(console, Text(bullet), Text(line), width)
        code = ExitCode[d.category.name]
        yield from hanging(
            console,
            Text("Class: ", style="dim"),
            Text(f"{d.category.value} (exit code {int(code)})", style="dim"),
            width,
        )
        if d.docs:
            yield from hanging(console, Text("Docs: ", style="dim"), Text(d.docs, style="dim"), width)
        if d.id in MODEL_FACT_DIAGNOSES:
            facts = Text(f"as of {model_facts.FACTS_AS_OF.isoformat()} ({model_facts.FACTS_SOURCE})", style="dim")
            yield from hanging(console, Text("Model facts: ", style="dim"), facts, width)
        if d.failures:
            seen = Text(f"{', '.join(d.failures)} in docs/failures.md (reports and their public sources)", style="dim")
            yield from hanging(console, Text("Seen in the wild: ", style="dim"), seen, width)


def format_explanation(diagnosis: Diagnosis, *, unicode: bool = True) -> Panel:
    return Panel(
        _Body(diagnosis, unicode),
        title=f"[bold]{escape(diagnosis.id)}[/] — {escape(diagnosis.title)}",
        title_align="left",
    )


def print_explanations(term: str, found: Sequence[Diagnosis], console: Console | None = None) -> None:
    console = console or Console(highlight=False)
    if not found:
        from realtime_check.redact import Redactor

        # People paste whole error messages here, keys included.
        message = Text(
            f"No diagnosis matches {Redactor().text(term)!r}. Try a diagnosis id, an API error code "
            "(insufficient_quota), an HTTP status (403), a close code (4000) or words from the error "
            "message (certificate verify failed)."
        )
        console.print(Group(*hanging(console, Text(""), message, console.width)))
        return
    unicode = (console.encoding or "").lower().startswith("utf")
    for diagnosis in found:
        console.print(format_explanation(diagnosis, unicode=unicode))
