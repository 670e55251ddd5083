"""The opt-in `webrtc` check: the browser's WebRTC signalling, `POST /v1/realtime/calls`, then hang up.

With the minted ek_ secret the offer goes out raw (`application/sdp`); without one (the session check
not selected) the API key posts it as multipart, as the server requires (update C8, N6). Only
signalling is tested: no media flows, so UDP/ICE blocking (F49) stays out of reach and is said so.
With --sideband it also attaches the `?call_id=` socket and waits for its first event.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from realtime_check.checks import results
from realtime_check.checks.context import CheckContext
from realtime_check.checks.gates import api_blocker
from realtime_check.diagnosis import classify
from realtime_check.diagnosis.answered_by import attribute
from realtime_check.diagnosis.bodies import parse_error_body
from realtime_check.diagnosis.webrtc import from_calls
from realtime_check.models import CheckResult, Finding, Status
from realtime_check.probes import sdp
from realtime_check.probes import websocket as wsprobe
from realtime_check.probes.http import HttpExchange, api_url, auth_headers, fetch, user_agent

CHECK_ID = "webrtc"
# The pass line says what was not proven; the details say it in full (one line at 80 columns).
MEDIA_NOTE = "media untested (F49)"
MEDIA_DETAIL = "signalling only: no media was sent, so UDP/ICE reachability (F49 in docs/failures.md) is not tested"


def call_id_from(location: str | None) -> str | None:
    """The `rtc_…` id at the end of a Location header (absolute URL or path)."""
    if not location:
        return None
    last = urlsplit(location).path.rstrip("/").rsplit("/", 1)[-1]
    return last if last.startswith("rtc_") and len(last) <= 200 else None


def sideband_url(ws_url: str, call_id: str) -> str:
    parts = urlsplit(ws_url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode({"call_id": call_id}), ""))


async def _credential(ctx: CheckContext) -> tuple[str, str] | None:
    """(credential, how it is described): the minted ek_ when the session check ran, else the API key."""
    session = await ctx.result("session")
    if session is None:
        return ctx.facts.key_to_send(), "API key (multipart/form-data)"
    secret = ctx.facts.ephemeral_secret
    if not secret:
        return None
    return secret, "ephemeral secret (application/sdp)"


async def run(ctx: CheckContext) -> CheckResult:
    blocked = await api_blocker(ctx, needs_standard_key=True)
    if blocked:
        return results.skipped(CHECK_ID, blocked)
    chosen = await _credential(ctx)
    if chosen is None:
        return results.skipped(CHECK_ID, "skipped: no ephemeral secret was minted (see session)")
    credential, how = chosen
    body, content_type = sdp.body_for(credential, sdp.offer())
    headers = {"User-Agent": user_agent(), "Authorization": f"Bearer {credential}", "Content-Type": content_type}
    headers["Accept"] = "application/sdp"
    what = "POST /v1/realtime/calls"
    ctx.wait_note(CHECK_ID, what)
    kind = results.key_kind(credential)
    try:
        exchange = await fetch(
            ctx.http,
            "POST",
            api_url(ctx.settings, "realtime/calls"),
            headers=headers,
            content=body,
            max_bytes=ctx.options.max_body_bytes,
            clock=ctx.clock,
        )
    except Exception as exc:  # noqa: BLE001
        return results.from_exception(CHECK_ID, "webrtc", exc, ctx.redactor, what=what, key_kind=kind)
    details: dict[str, Any] = {"credential": how, "content_type_sent": content_type.split(";")[0]}
    if exchange.status not in (200, 201) or exchange.too_large:
        return _refused(ctx, exchange, what, details, kind)
    if not sdp.looks_like_answer(exchange.body):
        parsed = parse_error_body(exchange.body, exchange.content_type)
        details.update(results.body_details(exchange, parsed, ctx.options.verbose, ctx.redactor))
        return _fail(ctx, exchange, "webrtc_answer_not_sdp", f"{what}: {exchange.status}, but the body is not SDP "
                     f"({parsed.kind})", details)  # fmt: skip
    call_id = call_id_from(exchange.headers.get("location"))
    details.update({"status": exchange.status, "answer_bytes": len(exchange.body), "call_id": call_id})
    if call_id is None:
        return _fail(
            ctx, exchange, "webrtc_no_call_id", f"{what}: {exchange.status} without a Location call id", details
        )
    sideband = await _sideband(ctx, call_id) if ctx.options.sideband else None
    hangup = await _hangup(ctx, call_id)
    details["hangup_status"] = hangup.status if isinstance(hangup, HttpExchange) else None
    summary = f"{exchange.status} SDP answer · "  # the call id is in the details
    if isinstance(sideband, Exception):
        return results.from_exception(
            CHECK_ID, "websocket", sideband, ctx.redactor, what="the sideband socket", details=details
        )
    if sideband is not None:
        kind = (sideband.event or {}).get("type")
        shown = kind[:80] if isinstance(kind, str) else repr(kind)[:40]  # whatever the server sent, kept short
        details["sideband_first_event"] = shown if sideband.event else sideband.outcome
        if sideband.outcome != wsprobe.EVENT or (sideband.event or {}).get("type") != "session.created":
            return _sideband_failed(ctx, exchange, sideband, details)
        summary += "sideband session.created · "
    if not isinstance(hangup, HttpExchange) or hangup.status not in (200, 204):
        finding = _hangup_finding(hangup)
        return results.from_finding(
            CHECK_ID,
            finding,
            summary + "hangup failed",
            ctx.redactor,
            duration_ms=exchange.duration_ms,
            http_status=exchange.status,
            request_id=exchange.request_id,
            details=details,
        )
    details["media"] = MEDIA_DETAIL
    return CheckResult(
        CHECK_ID,
        Status.PASS,
        ctx.redactor.text(summary + f"hung up · {MEDIA_NOTE}"),
        duration_ms=exchange.duration_ms,
        http_status=exchange.status,
        request_id=exchange.request_id,
        details=ctx.redactor.value(details),
    )


def _refused(ctx: CheckContext, exchange: HttpExchange, what: str, details: dict[str, Any], kind: Any) -> CheckResult:
    if exchange.too_large:
        return results.from_exchange_error(
            CHECK_ID, "webrtc", exchange, ctx.redactor, ctx.options.verbose, what=what, extra_details=details
        )
    parsed = parse_error_body(exchange.body, exchange.content_type)
    finding = from_calls(exchange.status, parsed, exchange.headers, key_kind=kind)
    # Through a gateway, its own refusal is about the gateway, not about WebRTC on OpenAI's side.
    finding = attribute(finding, exchange.status, exchange.headers, results.party_for(ctx.settings, exchange.url))
    details.update(results.body_details(exchange, parsed, ctx.options.verbose, ctx.redactor))
    summary = f"{what}: HTTP {exchange.status} — {results.describe_error(finding, 'refused')}"
    return results.from_finding(
        CHECK_ID,
        finding,
        summary,
        ctx.redactor,
        duration_ms=exchange.duration_ms,
        http_status=exchange.status,
        request_id=exchange.request_id,
        details=details,
    )


def _fail(
    ctx: CheckContext, exchange: HttpExchange, diagnosis: str, summary: str, details: dict[str, Any]
) -> CheckResult:
    finding = Finding(diagnosis, Status.FAIL)
    return results.from_finding(
        CHECK_ID,
        finding,
        summary,
        ctx.redactor,
        duration_ms=exchange.duration_ms,
        http_status=exchange.status,
        request_id=exchange.request_id,
        details=details,
    )


async def _hangup(ctx: CheckContext, call_id: str) -> HttpExchange | Exception:
    """Hang the test call up with the API key, so nothing lingers; a failure is returned, not raised."""
    ctx.wait_note(CHECK_ID, "POST /v1/realtime/calls/{id}/hangup")
    try:
        return await fetch(
            ctx.http,
            "POST",
            api_url(ctx.settings, f"realtime/calls/{call_id}/hangup"),
            headers=auth_headers(ctx.settings, ctx.facts.key_to_send()),
            max_bytes=64 * 1024,
            clock=ctx.clock,
        )
    except Exception as exc:  # noqa: BLE001 - reported as a warning of this check
        return exc


def _hangup_finding(hangup: HttpExchange | Exception) -> Finding:
    # The call itself worked; a lingering test call is a warning, not a failure of the user's setup.
    error = None
    if isinstance(hangup, HttpExchange):
        error = parse_error_body(hangup.body, hangup.content_type).error
    return Finding("webrtc_hangup_failed", Status.WARN, error=error)


async def _sideband(ctx: CheckContext, call_id: str) -> wsprobe.SocketOutcome | Exception:
    url = sideband_url(ctx.settings.ws_url, call_id)
    ctx.wait_note(CHECK_ID, "the sideband socket's first event")
    try:
        return await wsprobe.open_socket(
            ctx.ws_connect,
            url,
            headers=auth_headers(ctx.settings, ctx.facts.key_to_send()),
            subprotocols=None,
            ssl_context=ctx.ssl_context,
            open_timeout=ctx.remaining(),
            first_event_timeout=min(ctx.options.first_event_timeout, max(ctx.remaining() - 1.0, 0.0)),
            clock=ctx.clock,
        )
    except Exception as exc:  # noqa: BLE001 - a dead sideband is this check's verdict, not a crash
        return exc


def _sideband_failed(
    ctx: CheckContext, exchange: HttpExchange, outcome: wsprobe.SocketOutcome, details: dict[str, Any]
) -> CheckResult:
    if outcome.outcome == wsprobe.REFUSED:
        parsed = parse_error_body(outcome.body, outcome.headers.get("content-type"))
        finding = from_calls(outcome.http_status or 0, parsed, outcome.headers, stage="handshake")
        summary = f"call created, but the sideband upgrade got HTTP {outcome.http_status} — " + results.describe_error(
            finding, "refused"
        )
    elif outcome.outcome == wsprobe.EVENT and (outcome.event or {}).get("type") == "error":
        finding = classify.from_error_event(outcome.event or {})
        summary = "call created, but the sideband socket sent an error — " + results.describe_error(finding, "error")
    elif outcome.outcome == wsprobe.CLOSED:
        finding = classify.from_close(outcome.close_code or 1006, outcome.close_reason)
        summary = f"call created, but the sideband socket closed ({outcome.close_code})"
    elif outcome.outcome == wsprobe.SILENT:
        finding = Finding("ws_silent", Status.FAIL)
        summary = "call created, but the sideband socket sent nothing"
    else:
        finding = Finding("ws_unexpected_first_event", Status.FAIL)
        summary = f"call created, but the sideband socket's first frame was {details.get('sideband_first_event')}"
    return results.from_finding(
        CHECK_ID,
        finding,
        summary,
        ctx.redactor,
        duration_ms=exchange.duration_ms,
        http_status=outcome.http_status,
        close_code=outcome.close_code,
        close_reason=outcome.close_reason,
        request_id=outcome.request_id or exchange.request_id,
        details=details,
    )
