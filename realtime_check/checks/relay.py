"""The `relay` check: the user's own bridge, reached the way their browser client does.

It opens the relay URL with the client's subprotocols, token header or query (or the minted ek_), waits
for the first event, and with --response sends one text round trip through it. The verdict
(relay_verdict.judge) also uses the direct `websocket` check and, with the bridge doctor, what the
bridge sent upstream, to say which hop is at fault.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import asdict
from typing import Any

from realtime_check.checks import relay_verdict, results
from realtime_check.checks.context import CheckContext, RelayTarget, UpstreamSocket
from realtime_check.checks.response import CLIENT_EVENTS, until_done
from realtime_check.diagnosis import classify
from realtime_check.models import CheckResult, Finding, Status
from realtime_check.probes import proxies
from realtime_check.probes import websocket as wsprobe
from realtime_check.probes.http import user_agent

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
    round_trip: dict[str, Any] | None = None
    if outcome.connection is not None:
        round_trip = await _round_trip(ctx, outcome.connection)
    direct = await ctx.result("websocket")
    upstream = tuple(target.upstream()[seen_before:]) if target.upstream is not None else None
    judged = relay_verdict.judge(outcome, direct, upstream, upstream_name=target.upstream_name)
    finding, summary = judged.finding, judged.summary
    if finding.status is Status.PASS and round_trip is not None:
        finding, summary = _round_trip_verdict(round_trip, upstream, summary)
    details = _details(ctx, target, outcome, direct, upstream, judged, round_trip)
    common: dict[str, Any] = {
        "duration_ms": outcome.elapsed_ms,
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
        f"{summary} · {judged.hop_statement}",
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


async def _round_trip(ctx: CheckContext, conn: Any) -> dict[str, Any]:
    """One tiny text response through the relay: the final event, or how it ended instead."""
    from websockets.exceptions import ConnectionClosed

    seen: list[str] = []
    ctx.wait_note(CHECK_ID, "response.done through the relay")
    try:
        for event in CLIENT_EVENTS:
            await conn.send(json.dumps(event))
        budget = min(ctx.options.first_event_timeout, max(ctx.remaining() - _VERDICT_MARGIN, 0.001))
        final = await asyncio.wait_for(until_done(conn, seen), timeout=budget)
        return {"final": final, "events": seen}
    except ConnectionClosed as exc:
        code = exc.rcvd.code if exc.rcvd else 1006
        return {"closed": code, "reason": exc.rcvd.reason if exc.rcvd else "", "events": seen}
    except TimeoutError:
        return {"timeout": True, "events": seen}
    except ValueError:
        return {"non_json": True, "events": seen}
    finally:
        await wsprobe.close_quietly(conn)


def _round_trip_verdict(
    trip: dict[str, Any], upstream: tuple[UpstreamSocket, ...] | None, summary: str
) -> tuple[Finding, str]:
    final = trip.get("final")
    if isinstance(final, dict) and final.get("type") == "response.done":
        response = final.get("response") if isinstance(final.get("response"), dict) else {}
        refused = classify.from_response_done(response or {})
        if refused is None:
            return Finding("relay_ok", Status.PASS), summary + " · response.done through the relay"
        return refused, summary + f" · response.done {(response or {}).get('status')}"
    if isinstance(final, dict):
        return classify.from_error_event(final), summary + " · error event instead of a response"
    if upstream and "response.create" not in upstream[0].client_events:
        return Finding("relay_events_not_forwarded"), summary + " · response.create never reached upstream"
    if "closed" in trip:
        return classify.from_close(trip["closed"], trip.get("reason")), summary + f" · closed {trip['closed']}"
    if trip.get("non_json"):
        return Finding("relay_non_json_frame"), summary + " · a frame that is not JSON during the response"
    return Finding("relay_silent"), summary + " · no response.done through the relay"


def _details(
    ctx: CheckContext,
    target: RelayTarget,
    outcome: wsprobe.SocketOutcome,
    direct: CheckResult | None,
    upstream: tuple[UpstreamSocket, ...] | None,
    judged: relay_verdict.Judgement,
    round_trip: dict[str, Any] | None,
) -> dict[str, Any]:
    details: dict[str, Any] = {
        "url": target.url,
        "hop": judged.hop,
        "first_event": (outcome.event or {}).get("type") if outcome.event else outcome.outcome,
        "handshake_ms": round(outcome.handshake_ms, 1) if outcome.handshake_ms is not None else None,
    }
    if direct is not None:
        details["direct"] = {"status": direct.status.value, "diagnosis": direct.diagnosis}
    if upstream is not None:
        details["upstream"] = [asdict(socket) for socket in upstream]
    if round_trip is not None:
        details["round_trip_events"] = round_trip.get("events", [])
    if ctx.options.verbose:
        details["request_headers"] = ctx.redactor.headers(outcome.sent_headers)
    for header in ("server", "x-request-id"):
        if header in outcome.headers:
            details[header] = outcome.headers[header]
    return details
