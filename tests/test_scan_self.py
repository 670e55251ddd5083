"""`realtime-check scan` on this repository: its rule examples and fixtures are excluded by the documented
.realtime-check-ignore file, so only genuine findings in product code remain."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from realtime_check.scan.engine import scan

ROOT = Path(__file__).resolve().parent.parent


def test_own_tree_has_no_error_outside_fixtures() -> None:
    """Scanning the repository reports no error-level finding: the fixtures are excluded, not matched."""
    report = scan(["."], cwd=ROOT, today=dt.date(2026, 11, 30))
    assert report.files_scanned > 50
    assert report.files_skipped.get("ignore_file", 0) >= 3
    assert [f for f in report.findings if f.severity.value == "error"] == []
    # The only warnings allowed are models with a shutdown date still ahead, never in fixtures.
    assert {f.rule for f in report.findings} <= {"model-retiring"}
    assert not any(f.path.startswith(("tests/", "realtime_check/scan/")) for f in report.findings)


def test_fixtures_are_found_when_not_ignored(tmp_path: Path) -> None:
    """Without the ignore file the same fixtures are findings: the exclusion, not blindness, keeps the tree clean."""
    copy = tmp_path / "cases"
    copy.mkdir()
    source = ROOT / "tests" / "scan_cases" / "beta-header" / "positive.py"
    (copy / "positive.py").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    report = scan(["."], cwd=copy, today=dt.date(2026, 11, 30))
    assert {f.rule for f in report.findings} == {"beta-header"}
