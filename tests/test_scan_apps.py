"""The example voice-assistant app written for the beta interface, and its GA twin, scanned by the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

from scan_case_data import expected
from scan_cli import APPS, copy_app, run_scan


def _expected_findings(app: Path) -> set[tuple[str, int, str]]:
    pairs = set()
    for path in app.rglob("*"):
        if path.is_file() and not path.name.endswith(".expect"):
            relative = path.relative_to(app).as_posix()
            pairs.update((relative, line, rule) for line, rule in expected(path))
    return pairs


def test_beta_app_every_retired_pattern_found_at_its_rule_and_line(tmp_path: Path) -> None:
    """Every marked pattern in the beta-era app is reported with its rule and line, and nothing else is."""
    app = copy_app("beta", tmp_path)
    proc = run_scan("--json", cwd=app)
    assert proc.returncode == 9, proc.stderr
    document = json.loads(proc.stdout)
    found = {(f["path"], f["line"], f["rule"]) for f in document["findings"]}
    want = _expected_findings(APPS / "beta")
    assert len(want) >= 35
    assert found == want
    assert document["files_scanned"] == 7


def test_ga_twin_has_no_findings(tmp_path: Path) -> None:
    """The same app written for the GA interface scans clean and exits 0."""
    app = copy_app("ga", tmp_path)
    proc = run_scan("--json", "--fail-on", "note", cwd=app)
    assert proc.returncode == 0, proc.stdout
    document = json.loads(proc.stdout)
    assert document["findings"] == []
    assert document["summary"] == {}
    assert document["files_scanned"] == 7


def test_ga_twin_text_report_says_nothing_found(tmp_path: Path) -> None:
    """The human report of a clean tree says so in one line."""
    app = copy_app("ga", tmp_path)
    proc = run_scan(cwd=app)
    assert proc.returncode == 0
    assert "No retired Realtime patterns; 7 file(s) scanned" in proc.stdout


def test_json_document_validates_against_the_committed_schema(tmp_path: Path) -> None:
    """The --json document of a scan with findings and skips validates against schema/scan.schema.json."""
    from importlib import resources

    import jsonschema

    from realtime_check.scan.rules import RULES

    schema = json.loads(resources.files("realtime_check").joinpath("schema/scan.schema.json").read_text("utf-8"))
    assert schema["$defs"]["rule"]["enum"] == [rule.id for rule in RULES]
    app = copy_app("beta", tmp_path)
    (app / "node_modules").mkdir()
    (app / "logo.png").write_bytes(b"\x89PNG\0")
    document = json.loads(run_scan("--json", cwd=app).stdout)
    assert document["files_skipped"] == {"not_source": 1, "vendored_or_generated": 1}
    jsonschema.Draft202012Validator(schema).validate(document)
    broken = dict(document, findings=[dict(document["findings"][0], line=0)])
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(broken))
