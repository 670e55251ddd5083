"""What the checks that talk on a socket (response, audio, transcription) share.

Opening a session of their own, the time each step may take, and one mapping of "the wait
ended without the event we wanted" (a close, a bad frame, silence, an error event) to a result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from realtime_check.checks import results
from realtime_check.checks.context import CheckContext
from realtime_check.diagnosis import classify
from realtime_check.diagnosis.bodies import MAX_JSON_DEPTH
from realtime_check.models import CheckResult, Finding, Status
from realtime_check.probes import websocket as wsprobe
from realtime_check.probes.http import auth_headers
from realtime_check.probes.live_session import LiveSession, Verdict

# Seconds kept back from the run's deadline so a step that waits in vain is reported as such
# (with what it waited for) before the run's own timeout cancels the check.
VERDICT_MARGIN = wsprobe.CLOSE_TIMEOUT_SECONDS + 0.25

# Refines the finding of an error event for one check (e.g. a model_not_found in a transcription
# session is about the transcription model); returns None to keep the general finding.
Refine = Callable[[Finding, Mapping[str, Any]], Finding | None]


def step_timeout(ctx: CheckContext) -> float:
    return max(ctx.remaining() - VERDICT_MARGIN, 0.0)


async def open_session(ctx: CheckContext, check_id: str, url: str) -> LiveSession | CheckResult:
    """A session of this check's own, opened with the key in `Authorization`; a result if none opened.

    Its own socket, not the websocket check's: the checks run concurrently and each needs a
    session configured its way (audio in, transcription).
    """
    from realtime_check.checks.websocket import verdict

    key = ctx.facts.key_to_send()
    ctx.wait_note(check_id, f"the WebSocket handshake to {urlsplit(url).netloc}")
    try:
        outcome = await wsprobe.open_socket(
            ctx.ws_connect,
            url,
            headers=auth_headers(ctx.settings, key),
            subprotocols=None,
            ssl_context=ctx.ssl_context,
            open_timeout=ctx.remaining(),
            first_event_timeout=min(ctx.options.first_event_timeout, step_timeout(ctx)),
            on_open=lambda: ctx.wait_note(check_id, "session.created"),
            keep_open=True,
            clock=ctx.clock,
        )
    except Exception as exc:  # noqa: BLE001 - classified like every other connection failure
        return results.from_exception(
            check_id, "websocket", exc, ctx.redactor, what="WebSocket handshake", key_kind=results.key_kind(key)
        )
    if outcome.connection is not None and (outcome.event or {}).get("type") == "session.created":
        session = LiveSession(outcome.connection, ctx.clock)
        session.handshake_ms, session.first_event_ms = outcome.handshake_ms, outcome.first_event_ms
        return session
    if outcome.connection is not None:
        await wsprobe.close_quietly(outcome.connection)
    return verdict(check_id, outcome, ctx, "API key (Authorization: Bearer)", key)


async def needs_working_socket(ctx: CheckContext) -> str | None:
    """Why a conversation check cannot run: it builds on the websocket check, which must have opened a session."""
    websocket = await ctx.result("websocket")
    if websocket is None:
        return "skipped: needs the websocket check, which was not selected"
    if websocket.status not in (Status.PASS, Status.WARN):
        return "skipped: no Realtime session could be opened (see websocket)"
    return None


@dataclass(frozen=True)
class Step:
    """One exchange of a conversation: events to send, the event types that end the wait, and how
    the wait reads in a timeout message."""

    send: Sequence[dict[str, Any]]
    until: tuple[str, ...]
    waiting_for: str


async def run_steps(
    check_id: str,
    ctx: CheckContext,
    session: LiveSession,
    steps: Sequence[Step],
    *,
    started: float,
    details: dict[str, Any],
    refine: Refine | None = None,
) -> CheckResult | dict[str, Any]:
    """Each step in turn: the result of the first wait that went wrong, else the last step's event."""
    final: dict[str, Any] = {}
    for step in steps:
        ctx.wait_note(check_id, step.waiting_for)
        verdict = await session.exchange(step.send, step.until, step_timeout(ctx))
        stopped = interrupted(
            check_id,
            verdict,
            ctx,
            waiting_for=step.waiting_for,
            session=session,
            started=started,
            details=details,
            refine=refine,
        )
        if stopped is not None:
            return stopped
        final = verdict.event or {}
    return final


def interrupted(
    check_id: str,
    verdict: Verdict,
    ctx: CheckContext,
    *,
    waiting_for: str,
    session: LiveSession,
    started: float,
    details: dict[str, Any],
    refine: Refine | None = None,
) -> CheckResult | None:
    """The result when a wait ended in a close, a bad frame, silence or an error event; None when it got its event."""
    duration = (ctx.clock() - started) * 1000
    details = {**details, "events": session.events()}
    if verdict.outcome == wsprobe.CLOSED:
        code = verdict.close_code or 1006
        reason = verdict.close_reason or ""
        finding = classify.from_close(code, reason, None)
        return results.from_finding(
            check_id,
            finding,
            f"socket closed while waiting for {waiting_for}: {code} {reason}".rstrip(),
            ctx.redactor,
            duration_ms=duration,
            close_code=code,
            close_reason=reason,
            details=details,
        )
    if verdict.outcome == wsprobe.TOO_DEEP:
        return results.from_finding(
            check_id,
            Finding("unexpected_shape", Status.FAIL),
            f"the server sent JSON nested deeper than {MAX_JSON_DEPTH} levels while we waited for {waiting_for}",
            ctx.redactor,
            duration_ms=duration,
            details=details,
        )
    if verdict.outcome in (wsprobe.NON_JSON, wsprobe.BINARY):
        diagnosis = "ws_binary_frame" if verdict.outcome == wsprobe.BINARY else "ws_non_json_frame"
        if ctx.options.verbose and verdict.snippet:
            details["frame"] = verdict.snippet
        what = "a binary frame" if verdict.outcome == wsprobe.BINARY else "a frame that is not a JSON event"
        return results.from_finding(
            check_id,
            Finding(diagnosis, Status.FAIL),
            f"the server sent {what} while we waited for {waiting_for}",
            ctx.redactor,
            duration_ms=duration,
            details=details,
        )
    if verdict.outcome == wsprobe.SILENT:
        return results.from_finding(
            check_id,
            Finding("timeout", Status.FAIL),
            f"no {waiting_for} within the time budget ({duration / 1000:.1f} s)",
            ctx.redactor,
            duration_ms=duration,
            details={**details, "waiting_for": waiting_for},
        )
    if verdict.is_error and verdict.event is not None:
        finding = classify.from_error_event(verdict.event)
        if refine is not None:
            finding = refine(finding, verdict.event) or finding
        return results.from_finding(
            check_id,
            finding,
            f"error event instead of {waiting_for} — {results.describe_error(finding, 'error')}",
            ctx.redactor,
            duration_ms=duration,
            details=details,
        )
    return None


def socket_times(session: LiveSession) -> dict[str, float | None]:
    """How the check's own socket opened, in the websocket check's terms (ms from the handshake's start)."""
    return {
        "handshake_ms": round(session.handshake_ms, 1) if session.handshake_ms is not None else None,
        "first_event_ms": round(session.first_event_ms, 1) if session.first_event_ms is not None else None,
    }


def usage_of(response: Mapping[str, Any]) -> dict[str, Any]:
    usage = response.get("usage")
    return dict(usage) if isinstance(usage, Mapping) else {}


def total_tokens(usage: Mapping[str, Any]) -> int | None:
    tokens = usage.get("total_tokens")
    return tokens if isinstance(tokens, int) and not isinstance(tokens, bool) and tokens >= 0 else None
