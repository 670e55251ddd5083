"""Reading the rule examples in tests/scan_cases: the findings each file expects, and what the scan finds."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from realtime_check.scan.engine import findings_for, read_source
from realtime_check.scan.walker import kind_of

CASES = Path(__file__).resolve().parent / "scan_cases"
# The day the examples are judged on: gpt-realtime is retiring, the gpt-4o previews are retired.
TODAY = dt.date(2026, 11, 30)
_MARKER = re.compile(r"expect\[([\w,\s-]+)\]")


def case_files() -> list[Path]:
    return sorted(p for p in CASES.rglob("*") if p.is_file() and kind_of(p.name) and p.parent != CASES)


def expected(path: Path) -> set[tuple[int, str]]:
    """(line, rule) pairs from `expect[rule,…]` markers, plus a `<file>.expect` sidecar for JSON."""
    pairs = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        for match in _MARKER.finditer(line):
            pairs.update((number, rule.strip()) for rule in match.group(1).split(","))
    sidecar = path.with_name(path.name + ".expect")
    if sidecar.exists():
        for line in sidecar.read_text(encoding="utf-8").splitlines():
            number, rule = line.split()
            pairs.add((int(number), rule))
    return pairs


def found(path: Path, today: dt.date = TODAY) -> set[tuple[int, str]]:
    """(line, rule) pairs the scan reports for one file, through the same code a scan of a tree uses."""
    text = read_source(path)
    assert text is not None
    kind = kind_of(path.name)
    assert kind is not None
    findings = findings_for(text, kind, path.name, today, lambda rule: False)
    return {(f.line, f.rule) for f in findings}
