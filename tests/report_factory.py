"""Realistic, already-redacted Report objects for the renderer tests.

Everything a renderer sees has passed through the Redactor upstream; the factory
does the same, so tests can prove the raw (FAKE) key never reaches any output.
"""

from __future__ import annotations

from typing import Any

from realtime_check.exit_codes import compute
from realtime_check.keys import display, fingerprint
from realtime_check.models import (
    ApiError,
    Category,
    CheckResult,
    Report,
    Setting,
    Status,
    Target,
)
from realtime_check.redact import Redactor

FAKE_KEY = "sk-proj-FAKE0000000000000000000000000000000000000000"
# A second key-shaped string a server might echo back; not registered, caught by the pattern.
FAKE_OTHER_KEY = "sk-svcacct-FAKE1111111111111111111111111111"
FAKE_FINGERPRINT = fingerprint(FAKE_KEY)
REDACTOR = Redactor(FAKE_KEY)

STARTED_AT = "2026-11-24T10:00:00.250Z"
STARTED_AT_UNIX = 1795514400.25  # STARTED_AT as seconds since the epoch
VERSION = "0.1.0"
MODEL = "gpt-realtime"
BASE_URL = "https://api.openai.com/v1"
WS_URL = "wss://api.openai.com/v1/realtime?model=gpt-realtime"

# The slice of the diagnosis table these reports use, to compute exit codes as the runner does.
CATEGORIES = {
    "invalid_api_key": Category.AUTH,
    "missing_scope": Category.AUTH,
    "model_not_found": Category.UNAVAILABLE,
    "insufficient_quota": Category.UNAVAILABLE,
    "rate_limited": Category.TEMPORARY,
    "legacy_user_key": Category.CONFIG,
    "unexpected_close": Category.PROTOCOL,
}


def category_of(diagnosis: str | None) -> Category:
    return CATEGORIES.get(diagnosis or "", Category.PROTOCOL)


def target(**overrides: Any) -> Target:
    values: dict[str, Any] = {
        "base_url": BASE_URL,
        "ws_url": WS_URL,
        "model": MODEL,
        "key": display(FAKE_KEY),
        "settings": (
            Setting("api_key", display(FAKE_KEY), "env:OPENAI_API_KEY"),
            Setting("base_url", BASE_URL, "default"),
            Setting("model", MODEL, "flag"),
            Setting("organization", None, "unset"),
        ),
    }
    values.update(overrides)
    return Target(**values)


def check(check_id: str, status: Status = Status.PASS, summary: str | None = None, **fields: Any) -> CheckResult:
    """A check result with every string redacted, as the runner hands it over."""
    fields.setdefault("duration_ms", 12.345)
    if "details" in fields:
        fields["details"] = REDACTOR.value(fields["details"])
    if "advice" in fields:
        fields["advice"] = tuple(REDACTOR.text(a) for a in fields["advice"])
    return CheckResult(id=check_id, status=status, summary=REDACTOR.text(summary or f"{check_id} ok"), **fields)


def build_report(
    checks: list[CheckResult], *, strict: bool = False, demo: str | None = None, **overrides: Any
) -> Report:
    """A report whose exit code and verdict come from exit_codes.compute, as in a real run."""
    code = int(compute(checks, category_of, fail_on_warn=strict))
    values: dict[str, Any] = {
        "tool_version": VERSION,
        "started_at": STARTED_AT,
        "duration_ms": 1834.56,
        "target": target(),
        "checks": tuple(checks),
        "exit_code": code,
        "ok": code == 0,
        "strict": strict,
        "demo": demo,
    }
    values.update(overrides)
    return Report(**values)


def _passing_checks() -> list[CheckResult]:
    return [
        check("config", summary="project key found in OPENAI_API_KEY", duration_ms=0.42),
        check(
            "dns",
            summary="api.openai.com resolves to 2 addresses",
            details={"addresses": ["162.159.140.245", "172.66.0.243"]},
        ),
        check("tcp", summary="connected to api.openai.com:443", duration_ms=21.04),
        check(
            "tls",
            summary="TLS 1.3 with a publicly trusted certificate",
            details={"issuer": "Google Trust Services", "version": "TLSv1.3"},
        ),
        check("models", summary="key accepted by GET /v1/models", http_status=200, request_id="req_0a1b2c3d4e5f"),
        check("model", summary="gpt-realtime is available to this key", http_status=200, request_id="req_1a2b3c"),
        check(
            "client_secret",
            summary="minted an ephemeral client secret",
            http_status=200,
            details={"secret": REDACTOR.text("ek_FAKE0000000000000000")},
        ),
        check("websocket", summary="WebSocket upgrade accepted (101)", http_status=101, duration_ms=310.0),
        check(
            "session",
            summary="session.created received",
            details={"session_model": "gpt-realtime", "event": "session.created"},
        ),
        check(
            "round_trip",
            summary="text round trip completed",
            duration_ms=842.17,
            details={"response_status": "completed"},
        ),
    ]


def healthy_report() -> Report:
    """Every check passes: exit 0."""
    return build_report(_passing_checks())


def warning_report(*, strict: bool = False) -> Report:
    """Two warnings, nothing failing: exit 0 unless strict."""
    checks = _passing_checks()
    checks[0] = check(
        "config",
        Status.WARN,
        "legacy user key: works today, but project keys are recommended",
        diagnosis="legacy_user_key",
        advice=("Create a project key at https://platform.openai.com/api-keys",),
        duration_ms=0.5,
    )
    checks[4] = check(
        "models",
        Status.WARN,
        "key cannot list models (missing scope api.model.read); continuing",
        http_status=403,
        error=ApiError(
            "invalid_request_error",
            "missing_scope",
            "You have insufficient permissions for this operation. Missing scopes: api.model.read.",
            None,
        ),
        request_id="req_warn403",
        diagnosis="missing_scope",
        advice=("Give the key the Models: Read permission, or ignore this if it only calls Realtime",),
    )
    return build_report(checks, strict=strict)


def failing_report() -> Report:
    """A rejected key (with the key echoed back, redacted), skipped dependents, one internal error."""
    checks = _passing_checks()[:4]
    message = REDACTOR.text(
        f"Incorrect API key provided: {FAKE_KEY}. Also tried {FAKE_OTHER_KEY}. "
        "You can find your API key at https://platform.openai.com/account/api-keys."
    )
    checks.append(
        check(
            "models",
            Status.FAIL,
            "the API rejected the key (401 invalid_api_key)",
            http_status=401,
            error=ApiError("invalid_request_error", "invalid_api_key", message, None),
            request_id="req_fail401",
            diagnosis="invalid_api_key",
            advice=(
                "Check that OPENAI_API_KEY holds the whole key, with no quotes or spaces",
                "Create a new key at https://platform.openai.com/api-keys if this one was deleted",
            ),
            details={"url": f"{BASE_URL}/models", "headers": REDACTOR.headers({"Authorization": f"Bearer {FAKE_KEY}"})},
            duration_ms=153.26,
        )
    )
    checks.append(check("model", Status.SKIP, "skipped: the key was rejected", duration_ms=None))
    checks.append(check("client_secret", Status.SKIP, "skipped: the key was rejected", duration_ms=None))
    checks.append(
        check(
            "websocket",
            Status.FAIL,
            "server closed the socket with 3000 invalid_request_error.invalid_api_key",
            http_status=101,
            error=ApiError("invalid_request_error", "invalid_api_key", message, None),
            close_code=3000,
            close_reason="invalid_request_error.invalid_api_key",
            request_id="req_ws3000",
            diagnosis="invalid_api_key",
            advice=("Use a valid project key",),
        )
    )
    checks.append(check("session", Status.SKIP, "skipped: no WebSocket session", duration_ms=None))
    checks.append(
        check(
            "round_trip",
            Status.ERROR,
            "internal error: KeyError('response') (please report it)",
            details={"exception": "KeyError", "where": "checks/round_trip.py:88"},
            duration_ms=3.0,
        )
    )
    return build_report(checks, duration_ms=612.0)


# Characters that break naive renderers: XML-illegal controls, markup, workflow-command
# syntax, Markdown table pipes, ANSI escapes, GitLab section markers, quotes, backslashes.
HOSTILE = (
    "a < b & \"c\" 'd' | e\\f %25 50% x::y, z\r\nline2\x00\x07\x1b[31mred\x1b[0m"
    "\x1b[0Ksection_start:1:evil\r\x1b[0K\n::error::injected\n<script>alert(1)</script> ünïcødé ✓ \ufffe\ud800"
)


def hostile_report() -> Report:
    """A failing report whose every free-text field carries HOSTILE."""
    checks = [
        check("dns", summary="resolved " + HOSTILE),
        check(
            "weird id/with spaces:and,commas",
            Status.FAIL,
            "failed " + HOSTILE,
            http_status=500,
            error=ApiError(HOSTILE, HOSTILE, HOSTILE, HOSTILE),
            close_code=4000,
            close_reason=HOSTILE,
            request_id=HOSTILE,
            diagnosis="unexpected_close",
            advice=(HOSTILE, "second advice"),
            details={"text": HOSTILE, HOSTILE: [1, 2.5, None, True]},
        ),
        check("session", Status.WARN, "warned " + HOSTILE, diagnosis=HOSTILE),
    ]
    return build_report(checks, target=target(model="gpt-realtime" + HOSTILE, base_url=BASE_URL + '/"x"\\y\n'))


def many_failures_report(failures: int, warnings: int) -> Report:
    """`failures` failing and `warnings` warning checks, for annotation limits."""
    checks = [check(f"fail_{i:02d}", Status.FAIL, f"failure {i}", diagnosis="rate_limited") for i in range(failures)]
    checks += [check(f"warn_{i:02d}", Status.WARN, f"warning {i}") for i in range(warnings)]
    return build_report(checks)


def empty_report() -> Report:
    """A run with no checks selected (e.g. --only matched nothing)."""
    return build_report([])


def all_reports() -> dict[str, Report]:
    """Every factory report by name, for tests that must hold for all of them."""
    return {
        "healthy": healthy_report(),
        "warning": warning_report(),
        "warning_strict": warning_report(strict=True),
        "failing": failing_report(),
        "hostile": hostile_report(),
        "many": many_failures_report(12, 11),
        "empty": empty_report(),
        "demo": build_report(_passing_checks(), demo="invalid-key"),
    }
