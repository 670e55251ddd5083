"""`realtime-check scan` on this repository: its rule examples and fixtures are excluded by the documented
.realtime-check-ignore file, so only genuine findings in product code remain."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from realtime_check.scan.engine import scan

ROOT = Path(__file__).resolve().parent.parent


def test_own_tree_reports_nothing_outside_fixtures() -> None:
    """Scanning the repository reports nothing: its fixtures and tables are excluded, not matched."""
    report = scan(["."], cwd=ROOT, today=dt.date(2026, 11, 30))
    assert report.files_scanned > 50
    assert report.files_skipped.get("ignore_file", 0) >= 3
    assert [(f.path, f.line, f.rule) for f in report.findings] == []


def test_fixtures_are_found_when_not_ignored(tmp_path: Path) -> None:
    """Without the ignore file the same fixtures are findings: the exclusion, not blindness, keeps the tree clean."""
    copy = tmp_path / "cases"
    copy.mkdir()
    source = ROOT / "tests" / "scan_cases" / "beta-header" / "positive.py"
    (copy / "positive.py").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    report = scan(["."], cwd=copy, today=dt.date(2026, 11, 30))
    assert {f.rule for f in report.findings} == {"beta-header"}
