"""The opt-in `live` check: can this key start a GPT-Live session? (--live, --live-model)

GPT-Live is a sibling voice API, not Realtime (protocol-update-2026-11 §1.3): its socket is
wss://…/v1/live/sessions with no query, and the client speaks first: `session.start` with the
model, answered by `session.started`; `session.close` is answered by `session.closed`, which
carries the usage and the reason. Billed per active minute, so the session is closed at once.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from realtime_check import model_facts
from realtime_check.checks import results
from realtime_check.checks.context import CheckContext
from realtime_check.checks.conversation import step_timeout
from realtime_check.checks.gates import api_blocker
from realtime_check.diagnosis import classify
from realtime_check.diagnosis.bodies import parse_error_body
from realtime_check.models import CheckResult, Finding, Status
from realtime_check.probes import websocket as wsprobe
from realtime_check.probes.http import auth_headers
from realtime_check.probes.live_session import LiveSession, Verdict

CHECK_ID = "live"


def live_url(ws_url: str) -> str:
    """wss://host/v1/realtime -> wss://host/v1/live/sessions (the same host and base, no query)."""
    parts = urlsplit(ws_url)
    path = parts.path.rstrip("/")
    base = path[: -len("/realtime")] if path.endswith("/realtime") else path
    return urlunsplit((parts.scheme, parts.netloc, base + "/live/sessions", "", ""))


async def run(ctx: CheckContext) -> CheckResult:
    blocked = await api_blocker(ctx, needs_standard_key=False, path="ws")
    if blocked:
        return results.skipped(CHECK_ID, blocked)
    model = ctx.options.live_model or model_facts.GPT_LIVE_MODEL
    url = live_url(ctx.settings.ws_url)
    key = ctx.facts.key_to_send()
    started = ctx.clock()
    ctx.wait_note(CHECK_ID, f"the WebSocket handshake to {urlsplit(url).netloc}")
    from websockets.exceptions import InvalidStatus

    try:
        kwargs = wsprobe.connect_kwargs(url, auth_headers(ctx.settings, key), None, ctx.ssl_context, ctx.remaining())
        conn = await ctx.ws_connect(url, **kwargs)
    except InvalidStatus as exc:
        return _refused(ctx, exc.response, url)
    except Exception as exc:  # noqa: BLE001 - classified like any connection failure
        return results.from_exception(
            CHECK_ID, "websocket", exc, ctx.redactor, what="GPT-Live handshake", key_kind=results.key_kind(key)
        )
    session = LiveSession(conn, ctx.clock)
    details: dict[str, Any] = {"url": url, "model": model}
    try:
        ctx.wait_note(CHECK_ID, "session.started")
        start = {"type": "session.start", "session": {"model": model}}
        opened = await session.exchange([start], {"session.started"}, step_timeout(ctx))
        if (opened.event or {}).get("type") != "session.started":
            if opened.is_error:
                # The server closes a refused session at once; its close code completes the evidence.
                opened = await _with_close(conn, opened, min(2.0, step_timeout(ctx)))
            return _failed(ctx, opened, "session.started", details, started)
        details["session_id"] = _field(opened.event, "session", "id")
        ctx.wait_note(CHECK_ID, "session.closed")
        closed = await session.exchange([{"type": "session.close"}], {"session.closed"}, step_timeout(ctx))
    finally:
        await session.close()
    duration = (ctx.clock() - started) * 1000
    summary = f"session.started · {model}"
    if (closed.event or {}).get("type") != "session.closed":
        finding = Finding("live_session_failed", Status.WARN, "session.closed never came")
        return results.from_finding(
            CHECK_ID,
            finding,
            summary + " · but session.close was not answered with session.closed",
            ctx.redactor,
            duration_ms=duration,
            close_code=closed.close_code,
            close_reason=closed.close_reason,
            details=details,
        )
    event = closed.event or {}
    details["closed_reason"] = _field(event, "reason")
    details["usage"] = event.get("usage") if isinstance(event.get("usage"), dict) else None
    summary += f" · closed ({details['closed_reason'] or 'no reason given'})"
    return CheckResult(
        CHECK_ID, Status.PASS, ctx.redactor.text(summary), duration_ms=duration, details=ctx.redactor.value(details)
    )


async def _with_close(conn: Any, verdict: Verdict, grace: float) -> Verdict:
    """The error verdict, plus the close code and reason if the server closes within `grace` seconds."""
    from websockets.exceptions import ConnectionClosed

    async def drain() -> None:
        while True:
            await conn.recv()

    try:
        await asyncio.wait_for(drain(), timeout=max(grace, 0.001))
    except ConnectionClosed as exc:
        if exc.rcvd is not None:
            return replace(verdict, close_code=exc.rcvd.code, close_reason=exc.rcvd.reason)
    except TimeoutError:
        pass
    return verdict


def _field(event: Any, *path: str) -> str | None:
    value = event
    for name in path:
        value = value.get(name) if isinstance(value, dict) else None
    return str(value)[:120] if isinstance(value, str | int | float) and not isinstance(value, bool) else None


def _refused(ctx: CheckContext, response: Any, url: str) -> CheckResult:
    headers = {k.lower(): v for k, v in response.headers.raw_items()}
    parsed = parse_error_body(bytes(response.body or b"")[: 1024 * 1024], headers.get("content-type"))
    finding = classify.from_http("handshake", response.status_code, parsed, headers)
    if response.status_code == 404 and finding.diagnosis in ("handshake_not_found", "handshake_intermediary"):
        finding = Finding("live_not_served", Status.FAIL, error=finding.error)
    return results.from_finding(
        CHECK_ID,
        finding,
        f"GPT-Live upgrade refused with HTTP {response.status_code} — {results.describe_error(finding, 'refused')}",
        ctx.redactor,
        http_status=response.status_code,
        request_id=headers.get("x-request-id"),
        details={"url": url},
    )


def _failed(ctx: CheckContext, verdict: Any, waiting_for: str, details: dict[str, Any], started: float) -> CheckResult:
    """No session.started: an error event, a close, silence or a stray frame, each through the diagnosis table."""
    event = verdict.event or {}
    if verdict.is_error:
        finding = classify.from_error_event(event)
    elif verdict.close_code is not None:
        finding = classify.from_close(verdict.close_code, verdict.close_reason)
    else:
        finding = Finding("live_session_failed", Status.FAIL)
    if finding.diagnosis in ("ws_invalid_model", "gpt_live_model"):
        # On this API the opposite holds: the model must be a GPT-Live one.
        advice = (f"{details['model']} is not a GPT-Live model: use {model_facts.GPT_LIVE_MODEL} (--live-model).",)
        finding = Finding("live_session_failed", Status.FAIL, error=finding.error, extra_advice=advice)
    elif finding.diagnosis in ("ws_error_event", "ws_closed_unexpected", "ws_closed_normally_early"):
        finding = Finding("live_session_failed", Status.FAIL, error=finding.error)
    what = f"close {verdict.close_code}" if verdict.close_code is not None else verdict.outcome
    return results.from_finding(
        CHECK_ID,
        finding,
        f"no {waiting_for} ({what}) — {results.describe_error(finding, 'failed')}",
        ctx.redactor,
        duration_ms=(ctx.clock() - started) * 1000,
        close_code=verdict.close_code,
        close_reason=verdict.close_reason,
        details={**details, "first_event": event.get("type")},
    )
