"""The scan's machine formats: the --json document and SARIF 2.1.0 for code scanning."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from realtime_check import __version__
from realtime_check.scan.models import Finding, ScanReport
from realtime_check.scan.rules import RULES, RULES_BY_ID

SCHEMA_VERSION = 1
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "snippet": finding.snippet,
        "message": finding.message,
        "fix": finding.fix,
    }


def report_to_dict(report: ScanReport, exit_code: int) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "scan",
        "tool": {"name": "realtime-check", "version": __version__},
        "root": report.root,
        "files_scanned": report.files_scanned,
        "files_skipped": report.files_skipped,
        "findings": [finding_to_dict(f) for f in report.findings],
        "summary": report.summary(),
        "notes": list(report.notes),
        "exit_code": exit_code,
    }


def _descriptor(rule_id: str) -> dict[str, Any]:
    rule = RULES_BY_ID[rule_id]
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.why},
        "help": {
            "text": f"{rule.why}\n\nFix: {rule.fix}\n\nInstead of: {rule.bad}\nWrite: {rule.good}",
            "markdown": f"{rule.why}\n\n**Fix:** {rule.fix}\n\nInstead of `{rule.bad}`\n\nwrite `{rule.good}`",
        },
        "helpUri": rule.help_uri,
        "defaultConfiguration": {"level": rule.severity.value},
        "properties": {"tags": ["realtime-api", "security" if rule.id == "hardcoded-key" else "migration"]},
    }


def report_to_sarif(report: ScanReport) -> dict[str, Any]:
    """SARIF 2.1.0: every rule as a reportingDescriptor, locations relative to %SRCROOT% (the scan root)."""
    index = {rule.id: i for i, rule in enumerate(RULES)}
    results = [
        {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": f.severity.value,
            "message": {"text": f"{f.message}\nFix: {f.fix}"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": quote(f.path), "uriBaseId": "%SRCROOT%"},
                        "region": {
                            "startLine": f.line,
                            "startColumn": f.column,
                            "endLine": f.end_line,
                            "endColumn": f.end_column,
                            "snippet": {"text": f.snippet},
                        },
                    }
                }
            ],
        }
        for f in report.findings
    ]
    root_uri = "file://" + quote(report.root.rstrip("/") + "/")
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "realtime-check",
                        "version": __version__,
                        "rules": [_descriptor(rule.id) for rule in RULES],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": root_uri}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
