"""Percentiles and a distribution row for the bench, pure functions of a list of durations.

Percentiles use the nearest-rank method: the p-th percentile of n sorted values is the value
at rank ceil(p/100 * n). Every figure reported is then a time that was really measured, never
an interpolation between two runs (with 10 runs, p95 is the slowest one).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

UNICODE_BARS = "▁▂▃▄▅▆▇█"
ASCII_BARS = "_.-:=+*#"


def nearest_rank(values: Sequence[float], percent: float) -> float | None:
    """The nearest-rank percentile of `values` (None when there are none)."""
    if not values:
        return None
    if not 0 < percent <= 100:
        raise ValueError(f"percent must be in (0, 100], not {percent}")
    ordered = sorted(values)
    rank = math.ceil(percent / 100 * len(ordered))
    return ordered[rank - 1]


def summarize(values: Sequence[float]) -> dict[str, Any]:
    """n, p50, p95 and max of one phase, in ms rounded to 0.1 (None when nothing was measured)."""

    def rounded(value: float | None) -> float | None:
        return round(value, 1) if value is not None else None

    return {
        "n": len(values),
        "p50_ms": rounded(nearest_rank(values, 50)),
        "p95_ms": rounded(nearest_rank(values, 95)),
        "max_ms": rounded(max(values) if values else None),
    }


def histogram(values: Sequence[float], bins: int) -> list[int]:
    """How many values fall in each of `bins` equal slices from the minimum to the maximum."""
    if not values or bins < 1:
        return []
    low, high = min(values), max(values)
    counts = [0] * bins
    for value in values:
        index = 0 if high == low else min(int((value - low) / (high - low) * bins), bins - 1)
        counts[index] += 1
    return counts


def sparkline(values: Sequence[float], bins: int = 10, *, unicode: bool = True) -> str:
    """The distribution as one row of bars, fastest slice on the left; blank slices are spaces."""
    counts = histogram(values, bins)
    if not counts:
        return ""
    bars = UNICODE_BARS if unicode else ASCII_BARS
    tallest = max(counts)
    return "".join(" " if count == 0 else bars[max(0, math.ceil(count / tallest * len(bars)) - 1)] for count in counts)
