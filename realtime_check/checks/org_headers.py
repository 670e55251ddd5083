"""When the socket is refused with OpenAI-Organization/OpenAI-Project sent: are the headers the cause?

The SDK sends both headers on the Realtime socket since openai-python 3.51 (protocol-update-2026-11
C3, N7), so the websocket check sends them too. When the socket is then refused in a way the headers
could explain (a mismatch, 3000 or 401), one retry without them tells whether they are at fault, and
which one (REST does the same in api_key).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

from realtime_check.checks import results
from realtime_check.models import CheckResult, Finding, Status
from realtime_check.probes import websocket as wsprobe
from realtime_check.redact import Redactor
from realtime_check.settings import Settings

# Diagnoses a wrong org/project header can produce at the socket.
COULD_BE_HEADERS = frozenset(
    {
        "mismatched_organization",
        "mismatched_project",
        "ws_invalid_api_key",
        "handshake_unauthorized",
        "unauthorized",
        "ws_error_event",
        "ws_closed_unexpected",
    }
)
_ENV = {"organization": "OPENAI_ORG_ID", "project": "OPENAI_PROJECT_ID"}
_HEADER = {"organization": "OpenAI-Organization", "project": "OpenAI-Project"}


def worth_retrying(result: CheckResult, settings: Settings) -> bool:
    return result.failed and result.diagnosis in COULD_BE_HEADERS and bool(settings.organization or settings.project)


def wrong_headers(result: CheckResult, settings: Settings) -> list[str]:
    """Which of the sent headers to blame: the one the error names, else every one that was sent."""
    code = result.error.code if result.error else None
    named = {"mismatched_organization": "organization", "mismatched_project": "project"}.get(code or "")
    sent = [name for name in ("organization", "project") if getattr(settings, name)]
    return [named] if named in sent else sent


async def retry_without(
    result: CheckResult,
    settings: Settings,
    redactor: Redactor,
    open_without_headers: Callable[[], Awaitable[wsprobe.SocketOutcome]],
) -> CheckResult:
    """The socket result, re-diagnosed by one retry without the org/project headers."""
    try:
        outcome = await open_without_headers()
    except Exception:  # noqa: BLE001 - the retry is only a hint
        return result
    opened = outcome.outcome == wsprobe.EVENT and (outcome.event or {}).get("type") == "session.created"
    if not opened:
        note = (
            "Without the OpenAI-Organization/OpenAI-Project headers the socket is refused too: they are not the cause."
        )
        return replace(result, advice=(note, *result.advice))
    blamed = wrong_headers(result, settings)
    names = " and ".join(f"{_HEADER[b]} ({_ENV[b]}={getattr(settings, b)})" for b in blamed)
    unset = " and ".join(_ENV[b] for b in blamed)
    finding = Finding(
        "ws_stale_org_project",
        Status.FAIL,
        error=result.error,
        extra_advice=(
            f"Wrong header: {names}. Unset {unset}, or set the id of the key's own "
            f"{' and '.join(blamed)}: your app's SDK sends it on the socket too.",
        ),
    )
    summary = f"refused with {names}; without {'it' if len(blamed) == 1 else 'them'} session.created arrives"
    return results.from_finding(
        result.id,
        finding,
        summary,
        redactor,
        duration_ms=result.duration_ms,
        http_status=result.http_status,
        close_code=result.close_code,
        close_reason=result.close_reason,
        request_id=result.request_id,
        details={**result.details, "retried_without_org_headers": True},
    )
