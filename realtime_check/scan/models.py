"""What a scan produces: findings (with the edit that fixes them, when one is mechanical) and the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    """SARIF's levels, so the JSON, SARIF and --fail-on speak the same words."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "note": 1}[self.value]


@dataclass(frozen=True)
class Edit:
    """Replace source[start:end] (character offsets into the file's text) with `replacement`."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    path: str  # relative to the scan root, POSIX separators
    line: int  # 1-based
    column: int  # 1-based, in characters
    end_line: int
    end_column: int  # 1-based, exclusive
    snippet: str  # the offending text, secrets masked
    message: str  # what was found and why it fails, secrets masked
    fix: str
    edit: Edit | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ScanReport:
    root: str
    files_scanned: int
    files_skipped: dict[str, int]
    findings: tuple[Finding, ...]
    notes: tuple[str, ...] = ()  # things the user should know: files over the size cap, the count cap

    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for finding in self.findings:
            counts[finding.rule] = counts.get(finding.rule, 0) + 1
        return dict(sorted(counts.items()))


@dataclass(frozen=True)
class Hit:
    """What a matcher found, before it is placed (line/column), masked and checked against ignores."""

    rule: str
    start: int  # offsets into the file's text
    end: int
    message: str
    fix: str | None = None  # a fix specific to this hit; None: the rule's own
    edit: Edit | None = None
    severity: Severity | None = None  # None: the rule's own
