"""Result models: what a check found, and the report a run produces.

Pure data, no I/O. Renderers (console, JSON, JUnit, ...) read only these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Status(str, Enum):
    """Outcome of one check."""

    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    SKIP = "skip"
    ERROR = "error"  # a bug inside the check itself, never the API's fault


class Category(str, Enum):
    """Class of failure; each maps to one exit code (see exit_codes.py)."""

    USAGE = "usage"  # bad flags: the run never started
    CONFIG = "config"
    NETWORK = "network"
    AUTH = "auth"
    UNAVAILABLE = "unavailable"
    TEMPORARY = "temporary"
    PROTOCOL = "protocol"
    INTERNAL = "internal"


@dataclass(frozen=True)
class ApiError:
    """The API's `{"error": {type, code, message, param}}`, message already redacted."""

    type: str | None = None
    code: str | None = None
    message: str | None = None
    param: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"type": self.type, "code": self.code, "message": self.message, "param": self.param}


@dataclass(frozen=True)
class Finding:
    """Something found wrong, before it becomes a check's result: which diagnosis, how bad, and this case's words.

    The one hand-off shape from key lint, URL and proxy checks, the network probe and
    the classifiers to the checks. `message` never holds a secret; `error` is the API's
    own error object when it sent one; `extra_advice` goes before the diagnosis's advice.
    """

    diagnosis: str  # an id in realtime_check.diagnosis.catalog
    status: Status = Status.FAIL  # FAIL or WARN (ERROR only for a bug inside a probe)
    message: str = ""
    error: ApiError | None = None
    extra_advice: tuple[str, ...] = ()


@dataclass(frozen=True)
class Diagnosis:
    """One entry of the diagnosis table: why something failed and what to do."""

    id: str
    title: str
    cause: str
    advice: tuple[str, ...]
    category: Category
    docs: str | None = None
    # Which entries of docs/failures.md this covers (F01..F50).
    failures: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckResult:
    """What one check found. Every string in it is already redacted."""

    id: str
    status: Status
    summary: str
    duration_ms: float | None = None
    http_status: int | None = None
    error: ApiError | None = None
    close_code: int | None = None
    close_reason: str | None = None
    request_id: str | None = None
    diagnosis: str | None = None
    advice: tuple[str, ...] = ()
    # Extra facts shown with -v and in JSON: URLs used, timings, model ids, ...
    # Values must be JSON-serialisable and redacted.
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return self.status in (Status.FAIL, Status.ERROR)


@dataclass(frozen=True)
class Setting:
    """A resolved setting and where it came from: flag, env, dotenv or default."""

    name: str
    value: str | None  # display value: never a secret (keys are shown as a fingerprint)
    # Machine form: "flag", "env:OPENAI_API_KEY", "dotenv:/path/.env", "default", "unset",
    # "derived:base_url"; settings.describe_source words it for people.
    source: str


@dataclass(frozen=True)
class Target:
    """What the run was aimed at, as shown in the report header."""

    base_url: str
    ws_url: str
    model: str
    key: str  # display form only: kind + last 4 + fingerprint, or "(none)"
    settings: tuple[Setting, ...] = ()


@dataclass(frozen=True)
class Report:
    """A finished run. `exit_code` and `ok` come from exit_codes.compute()."""

    tool_version: str
    started_at: str  # ISO 8601, UTC
    duration_ms: float
    target: Target
    checks: tuple[CheckResult, ...]
    exit_code: int
    ok: bool
    strict: bool = False
    demo: str | None = None  # scenario name when run by `realtime-check demo`
    # Checks a full run makes that --only/--skip left out: a pass then proves only what ran.
    not_selected: tuple[str, ...] = ()

    def check(self, check_id: str) -> CheckResult | None:
        return next((c for c in self.checks if c.id == check_id), None)
