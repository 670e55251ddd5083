"""SARIF output validates against the official SARIF 2.1.0 schema (shipped in tests/data) and locates each finding."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from scan_cli import copy_app, run_scan

from realtime_check.scan.rules import RULES

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def _sarif_of(app: Path, tmp_path: Path) -> tuple[dict, dict]:
    out = tmp_path / "scan.sarif"
    proc = run_scan("--json", "--sarif", str(out), cwd=app)
    assert proc.returncode == 9, proc.stderr
    return json.loads(out.read_text(encoding="utf-8")), json.loads(proc.stdout)


def test_sarif_validates_against_the_2_1_0_schema(tmp_path: Path) -> None:
    """The SARIF written for the beta app is valid SARIF 2.1.0 (Draft 4 schema, formats checked)."""
    sarif, _ = _sarif_of(copy_app("beta", tmp_path), tmp_path)
    validator = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(sarif), key=str)
    assert errors == []
    assert sarif["version"] == "2.1.0"


def test_sarif_rules_and_results_match_the_findings(tmp_path: Path) -> None:
    """One reportingDescriptor per rule with help text and the fix; one result per finding, relative to %SRCROOT%."""
    app = copy_app("beta", tmp_path)
    sarif, document = _sarif_of(app, tmp_path)
    run = sarif["runs"][0]
    descriptors = run["tool"]["driver"]["rules"]
    assert [d["id"] for d in descriptors] == [r.id for r in RULES]
    assert all("Fix:" in d["help"]["text"] and d["helpUri"].startswith("https://") for d in descriptors)
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == app.resolve().as_uri() + "/"
    results = run["results"]
    assert len(results) == len(document["findings"])
    for result, finding in zip(results, document["findings"], strict=True):
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": finding["path"], "uriBaseId": "%SRCROOT%"}
        assert location["region"]["startLine"] == finding["line"]
        assert location["region"]["startColumn"] == finding["column"]
        assert descriptors[result["ruleIndex"]]["id"] == result["ruleId"] == finding["rule"]
        assert result["level"] == finding["severity"]


def test_sarif_path_that_cannot_be_written_is_a_usage_error(tmp_path: Path) -> None:
    """A --sarif path in a missing folder exits 2 with a one-line error, after the report."""
    app = copy_app("ga", tmp_path)
    proc = run_scan("--sarif", str(tmp_path / "missing" / "x.sarif"), cwd=app)
    assert proc.returncode == 2
    assert "cannot write --sarif" in proc.stderr
    assert "Traceback" not in proc.stderr
