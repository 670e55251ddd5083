"""`realtime-check explain <rule-id>` for the scan rules: the rule's story from the rules table."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text

from realtime_check.scan.rules import RULES_BY_ID, Rule


def rule_to_dict(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "kind": "scan-rule",
        "title": rule.title,
        "severity": rule.severity.value,
        "why": rule.why,
        "fix": rule.fix,
        "example": rule.bad,
        "replacement": rule.good,
        "docs": rule.help_uri,
    }


def print_rule(console: Console, rule: Rule) -> None:
    console.print(Text(f"{rule.id}  ({rule.severity.value})  {rule.title}", style="bold"))
    for label, body in (
        ("Why", rule.why),
        ("Fix", rule.fix),
        ("Finds", rule.bad),
        ("Write", rule.good),
        ("Docs", rule.help_uri),
    ):
        console.print(Text(f"{label}: ", style="bold") + Text(body))


def lookup(term: str) -> Rule | None:
    return RULES_BY_ID.get(term.strip().lower())
