"""The `relay` check: the user's own bridge, reached the way their browser client does.

It opens the relay URL with the client's subprotocols, token header or query (or the minted ek_), waits
for the first event, and with --response sends one text round trip through it. The verdict
(relay_verdict.judge) also uses the direct `websocket` check and, with the bridge doctor, what the
bridge sent upstream, to say which hop is at fault.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

from realtime_check.checks import relay_verdict, results
from realtime_check.checks.context import CheckContext, RelayTarget, UpstreamSocket
from realtime_check.checks.conversation import step_timeout
from realtime_check.checks.response import CLIENT_EVENTS
from realtime_check.diagnosis import classify
from realtime_check.models import CheckResult, Finding, Status
from realtime_check.probes import proxies
from realtime_check.probes import websocket as wsprobe
from realtime_check.probes.http import user_agent
from realtime_check.probes.live_session import LiveSession, Verdict

CHECK_ID = "relay"
_VERDICT_MARGIN = wsprobe.CLOSE_TIMEOUT_SECONDS + 0.25


async def run(ctx: CheckContext) -> CheckResult:
    target = ctx.options.relay
    if target is None:
        return results.skipped(CHECK_ID, "skipped: no relay URL (use `realtime-check relay URL`)")
    subprotocols = list(target.subprotocols)
    if target.ephemeral:
        await ctx.result("session")
        secret = ctx.facts.ephemeral_secret
        if not secret:
            return results.skipped(CHECK_ID, "skipped: no ephemeral secret was minted for the relay (see session)")
        subprotocols += ["realtime", f"openai-insecure-api-key.{secret}"]
    seen_before = len(target.upstream()) if target.upstream is not None else 0
    started = ctx.clock()
    ctx.wait_note(CHECK_ID, "the relay's WebSocket handshake")
    try:
        outcome = await wsprobe.open_socket(
            _connect_for(ctx, target.url),
            target.url,
            headers={"User-Agent": user_agent(), **dict(target.headers)},
            subprotocols=subprotocols or None,
            ssl_context=ctx.ssl_context,
            open_timeout=ctx.remaining(),
            first_event_timeout=min(ctx.options.first_event_timeout, max(ctx.remaining() - _VERDICT_MARGIN, 0.0)),
            on_open=lambda: ctx.wait_note(CHECK_ID, "the first event through the relay"),
            keep_open=ctx.options.probe_response,
            clock=ctx.clock,
        )
    except Exception as exc:  # noqa: BLE001 - a relay that cannot be reached is diagnosed like any socket
        return results.from_exception(CHECK_ID, "websocket", exc, ctx.redactor, what="the relay's WebSocket handshake")
    round_trip: tuple[Verdict, list[str]] | None = None
    if outcome.connection is not None:
        round_trip = await _round_trip(ctx, outcome.connection)
    direct = await ctx.result("websocket")
    upstream = tuple(target.upstream()[seen_before:]) if target.upstream is not None else None
    judged = relay_verdict.judge(outcome, direct, upstream, upstream_name=target.upstream_name)
    finding, summary = judged.finding, judged.summary
    if finding.status is Status.PASS and round_trip is not None:
        finding, summary = _round_trip_verdict(round_trip[0], upstream, summary)
        finding = relay_verdict.with_shape_advice(finding, upstream)
        hop, statement = relay_verdict.hop_of(finding, direct, upstream, target.upstream_name)
        judged = replace(judged, hop=hop, hop_statement=statement)
    details = _details(ctx, target, outcome, direct, upstream, judged, round_trip)
    common: dict[str, Any] = {
        "duration_ms": (ctx.clock() - started) * 1000,  # the round trip included
        "close_code": outcome.close_code,
        "close_reason": outcome.close_reason,
        "request_id": outcome.request_id,
    }
    if finding.status is Status.PASS:
        return CheckResult(
            CHECK_ID,
            Status.PASS,
            ctx.redactor.text(f"{summary} · {judged.hop_statement}"),
            details=ctx.redactor.value(details),
            **common,
        )
    return results.from_finding(
        CHECK_ID,
        finding,
        summary,  # the hop statement leads the advice
        ctx.redactor,
        http_status=outcome.http_status,
        details=details,
        extra_advice=(judged.hop_statement,),
        **common,
    )


def _connect_for(ctx: CheckContext, url: str) -> Any:
    """A socket opener with the proxy that applies to the relay's own host (often loopback: none)."""
    plan = proxies.resolve_proxies(url, url, ctx.settings.env)
    return wsprobe.make_ws_connect(plan.ws.url)


async def _round_trip(ctx: CheckContext, conn: Any) -> tuple[Verdict, list[str]]:
    """One tiny text response through the relay: how the wait ended, and the events seen."""
    session = LiveSession(conn, ctx.clock)
    ctx.wait_note(CHECK_ID, "response.done through the relay")
    try:
        budget = min(ctx.options.first_event_timeout, step_timeout(ctx))
        verdict = await session.exchange(CLIENT_EVENTS, {"response.done"}, budget)
    finally:
        await session.close()
    return verdict, session.events()


def _round_trip_verdict(
    verdict: Verdict, upstream: tuple[UpstreamSocket, ...] | None, summary: str
) -> tuple[Finding, str]:
    event = verdict.event or {}
    if verdict.outcome == wsprobe.EVENT and event.get("type") == "response.done":
        response = event.get("response") if isinstance(event.get("response"), dict) else {}
        refused = classify.from_response_done(response or {})
        if refused is None:
            return Finding("relay_ok", Status.PASS), summary + " · response.done through the relay"
        return refused, summary + f" · response.done {(response or {}).get('status')}"
    if verdict.is_error:
        return classify.from_error_event(event), summary + " · error event instead of a response"
    if upstream and "response.create" not in upstream[0].client_events:
        return Finding("relay_events_not_forwarded"), summary + " · response.create never reached upstream"
    if verdict.outcome == wsprobe.CLOSED:
        code = verdict.close_code or 1006
        return classify.from_close(code, verdict.close_reason), summary + f" · closed {code} during the response"
    if verdict.outcome in (wsprobe.NON_JSON, wsprobe.BINARY):
        return Finding("relay_non_json_frame"), summary + " · a frame that is not JSON during the response"
    return Finding("relay_silent"), summary + " · no response.done through the relay"


def _details(
    ctx: CheckContext,
    target: RelayTarget,
    outcome: wsprobe.SocketOutcome,
    direct: CheckResult | None,
    upstream: tuple[UpstreamSocket, ...] | None,
    judged: relay_verdict.Judgement,
    round_trip: tuple[Verdict, list[str]] | None,
) -> dict[str, Any]:
    details: dict[str, Any] = {
        "url": target.url,
        "hop": judged.hop,
        "first_event": relay_verdict.event_type(outcome.event) if outcome.event else outcome.outcome,
        "handshake_ms": round(outcome.handshake_ms, 1) if outcome.handshake_ms is not None else None,
    }
    if direct is not None:
        details["direct"] = {"status": direct.status.value, "diagnosis": direct.diagnosis}
    if upstream is not None:
        details["upstream"] = [asdict(socket) for socket in upstream]
    if round_trip is not None:
        details["round_trip_events"] = round_trip[1]
    if ctx.options.verbose:
        details["request_headers"] = ctx.redactor.headers(outcome.sent_headers)
    for header in ("server", "x-request-id"):
        if header in outcome.headers:
            details[header] = outcome.headers[header]
    return details
