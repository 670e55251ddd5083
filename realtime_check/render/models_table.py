"""The `realtime-check models` matrix as a terminal table, from its JSON document (render stays pure).

Every string in the document came from a server or a listing (model ids, error codes): rich markup
is escaped and control characters were already replaced by the redactor upstream.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

_CELL = {"ok": ("✓", "green"), "refused": ("✗", "red"), "error": ("!", "yellow"), "skipped": ("-", "dim")}
_VERDICT = {
    "usable": ("usable", "green"),
    "retiring": ("retiring", "yellow"),
    "retired": ("retired", "red"),
    "listed_but_refused": ("listed but refused", "red"),
    "refused": ("refused", "red"),
    "unknown": ("unknown", "yellow"),
}


def _probe(probe: dict[str, Any] | None) -> Text:
    if probe is None:
        return Text("not tried", style="dim")
    mark, style = _CELL.get(probe["status"], ("?", "yellow"))
    text = Text(mark, style=f"bold {style}")
    if probe["status"] not in ("ok", "skipped"):
        text.append(f" {probe['detail']}", style=style)
    return text


def _shutdown(model: dict[str, Any]) -> Text:
    date = model["shutdown_date"]
    if date is None:
        return Text("none announced", style="dim")
    days = model["days_left"]
    style = "red" if days is not None and days <= 30 else "yellow"
    left = "shut down" if days is not None and days <= 0 else f"{days}d left"
    return Text(f"{date} ({left})", style=style)


def format_matrix(document: dict[str, Any]) -> Group:
    """The matrix table, a line on the date of the built-in facts, and a line per model left out."""
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("model", no_wrap=True)
    table.add_column("listed")
    table.add_column("shutdown", no_wrap=True)
    for column in ("successor", "mint", "socket"):
        table.add_column(column)
    if document["deep"]:
        table.add_column("response")
    table.add_column("verdict")
    for model in document["models"]:
        verdict, style = _VERDICT.get(model["verdict"], (model["verdict"], "yellow"))
        row = [
            Text(model["id"]),
            Text("yes" if model["listed"] else "no", style="" if model["listed"] else "yellow"),
            _shutdown(model),
            Text(model["successor"] or "-"),
            _probe(model["mint"]),
            _probe(model["socket"]),
        ]
        if document["deep"]:
            row.append(_probe(model["response"]))
        row.append(Text(verdict, style=f"bold {style}"))
        table.add_row(*row)
    notes = [
        Text(
            f"Shutdown dates: GET /v1/models shutdown_date first, else the built-in table as of {document['facts_as_of']}.",
            style="dim",
        )
    ]
    if not document["deep"]:
        notes.append(
            Text(
                "mint and socket are free and not proof of entitlement; --deep adds a one-token response.", style="dim"
            )
        )
    if document["not_probed"]:
        notes.append(Text(f"Not probed (over the cap): {escape(', '.join(document['not_probed']))}", style="yellow"))
    return Group(table, *notes)


def format_problem(problem: dict[str, Any]) -> Group:
    lines = [Text(f"✗ {problem['summary']}", style="bold red")]
    lines += [Text(f"  • {line}") for line in problem["advice"]]
    return Group(*lines)
