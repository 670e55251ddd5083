"""The bench in a terminal: one row per phase with its percentiles and a distribution bar.

Fits 80 columns: phase 13, four numbers of 7, the chart 12, plus rich's padding.
"""

from __future__ import annotations

from typing import Any

from realtime_check.bench.stats import sparkline

CHART_BINS = 12


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def format_bench(document: dict[str, Any], samples: dict[str, list[float]], *, unicode: bool) -> Any:
    """A rich renderable: the table, then errors and why the bench stopped early."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    sep = "·" if unicode else "-"
    rounds = f"{document['rounds']}/{document['count']} rounds"
    title = f"bench {sep} {rounds} {sep} concurrency {document['concurrency']} {sep} {document['target']['model']}"
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("phase", no_wrap=True)
    for name in ("n", "p50 ms", "p95 ms", "max ms"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("fast → slow" if unicode else "fast -> slow", no_wrap=True)
    for phase, stats in document["phases"].items():
        chart = sparkline(samples.get(phase, []), CHART_BINS, unicode=unicode)
        table.add_row(phase, str(stats["n"]), _ms(stats["p50_ms"]), _ms(stats["p95_ms"]), _ms(stats["max_ms"]), chart)
    lines: list[Any] = [Text(title), table]
    if document["errors"]:
        listed = ", ".join(f"{name} x{count}" for name, count in document["errors"].items())
        lines.append(Text(f"errors: {listed}"))
        lines.append(Text("explain one: realtime-check explain <diagnosis>"))
    if document["retry_after_waits_s"]:
        waits = ", ".join(f"{w:g} s" for w in document["retry_after_waits_s"])
        lines.append(Text(f"rate limited: waited as retry-after asked ({waits})"))
    if document["stopped"]:
        lines.append(Text(f"stopped early: {document['stopped']}"))
    lines.append(Text(f"percentiles: {document['percentile_method']}"))
    return Group(*lines)
