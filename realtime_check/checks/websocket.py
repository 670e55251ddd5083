"""The `websocket` and `websocket_ephemeral` checks: GA handshake and first server event.

`websocket` is the server path (API key in `Authorization`); `websocket_ephemeral`
is the browser path (the minted ek_ secret in the `openai-insecure-api-key.`
subprotocol, no headers), which is how browsers must authenticate.
Neither sends `OpenAI-Beta`: since May 2026 it gets the socket closed (4000).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, TypedDict
from urllib.parse import urlencode, urlsplit, urlunsplit

from realtime_check import residency
from realtime_check.checks import org_headers, results
from realtime_check.checks.context import CheckContext
from realtime_check.checks.gates import api_blocker
from realtime_check.checks.model_choice import ModelChoice, chosen_model
from realtime_check.diagnosis import classify
from realtime_check.diagnosis.answered_by import classify_http
from realtime_check.diagnosis.bodies import MAX_JSON_DEPTH, parse_error_body
from realtime_check.models import CheckResult, Finding, Status
from realtime_check.probes import websocket as wsprobe
from realtime_check.probes.http import auth_headers, user_agent
from realtime_check.probes.preconnect import EarlyConnection
from realtime_check.sanitize import bound
from realtime_check.timings import socket_timings

CHECK_ID = "websocket"
# Seconds kept back from the deadline to close the socket and report what was seen:
# a peer that ignores our close frame costs the whole close timeout.
_VERDICT_MARGIN = wsprobe.CLOSE_TIMEOUT_SECONDS + 0.25
EPHEMERAL_CHECK_ID = "websocket_ephemeral"
SHORT_ID = 80


class _SocketFacts(TypedDict):
    """What every websocket result reports, whatever the verdict (typed so `**` stays checked)."""

    duration_ms: float | None
    request_id: str | None
    close_code: int | None
    close_reason: str | None


def socket_url(ws_url: str, model: str) -> str:
    parts = urlsplit(ws_url)
    query = "&".join(q for q in (parts.query, urlencode({"model": model})) if q)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def verdict(
    check_id: str, outcome: wsprobe.SocketOutcome, ctx: CheckContext, who: str, credential: str | None
) -> CheckResult:
    """Map a socket outcome to a result. Only `session.created` passes."""
    redactor = ctx.redactor
    credential_kind = results.key_kind(credential)
    details: dict[str, Any] = {
        "url": outcome.url,
        "credential": who,
        "beta_header_sent": False,
        "handshake_ms": _round(outcome.handshake_ms),
        "first_event_ms": _round(outcome.first_event_ms),
        "timings": outcome.timings or timings_of(outcome, None),
    }
    for header in ("server", "via", "cf-ray", "x-request-id", "x-ms-region"):
        if header in outcome.headers:
            details[header] = outcome.headers[header]
    if ctx.options.verbose:
        details["request_headers"] = redactor.headers(outcome.sent_headers)
    common: _SocketFacts = {
        "duration_ms": outcome.elapsed_ms or outcome.handshake_ms,
        "request_id": outcome.request_id,
        "close_code": outcome.close_code,
        "close_reason": outcome.close_reason,
    }
    if outcome.outcome == wsprobe.REFUSED:
        parsed = parse_error_body(outcome.body, outcome.headers.get("content-type"))
        finding = classify_http(
            "handshake",
            outcome.http_status or 0,
            parsed,
            outcome.headers,
            key_kind=credential_kind,
            party=results.party_for(ctx.settings, outcome.url),
        )
        if parsed.html_title:
            details["html_title"] = parsed.html_title
        if ctx.options.verbose and parsed.snippet and parsed.kind != "html":
            details["body_snippet"] = parsed.snippet
        summary = f"upgrade refused with HTTP {outcome.http_status} — {results.describe_error(finding, 'refused')}"
        location = outcome.headers.get("location")
        if location is not None and 300 <= (outcome.http_status or 0) < 400:
            # Never followed (probes/websocket.py): name where it pointed, nothing was sent there.
            summary = (
                f"upgrade redirected with HTTP {outcome.http_status} to {redirect_host(outcome.url, location)}"
                " — not followed, no credential was sent there"
            )
        return results.from_finding(
            check_id, finding, summary, redactor, http_status=outcome.http_status, details=details, **common
        )
    if outcome.outcome == wsprobe.SILENT:
        finding = Finding(diagnosis="ws_silent", status=Status.FAIL, error=None)
        waited = ((outcome.elapsed_ms or 0) - (outcome.handshake_ms or 0)) / 1000
        return results.from_finding(
            check_id,
            finding,
            f"socket opened but the server sent nothing for {waited:.1f} s",
            redactor,
            details=details,
            **common,
        )
    if outcome.outcome == wsprobe.CLOSED:
        finding = classify.from_close(outcome.close_code or 1006, outcome.close_reason, None, key_kind=credential_kind)
        if finding.diagnosis == "ws_closed_policy" and residency.region_of(outcome.url) is None:
            # OpenAI does not close with 1008; gateways (LiteLLM) do, for their own auth, ACL or budget (N18).
            finding = replace(finding, diagnosis="gateway_policy_close")
        reason = f" ({outcome.close_reason})" if outcome.close_reason else ""
        summary = (
            f"{results.describe_error(finding, 'closed')} (closed before the first event: {outcome.close_code}{reason})"
        )
        return results.from_finding(check_id, finding, summary, redactor, details=details, **common)
    if outcome.outcome == wsprobe.TOO_DEEP:
        finding = Finding(diagnosis="unexpected_shape", status=Status.FAIL, error=None)
        summary = f"first server frame was JSON nested deeper than {MAX_JSON_DEPTH} levels: no event looks like that"
        return results.from_finding(check_id, finding, summary, redactor, details=details, **common)
    if outcome.outcome in (wsprobe.NON_JSON, wsprobe.BINARY):
        diagnosis = "ws_binary_frame" if outcome.outcome == wsprobe.BINARY else "ws_non_json_frame"
        if ctx.options.verbose and outcome.snippet:
            details["first_frame"] = outcome.snippet
        finding = Finding(diagnosis=diagnosis, status=Status.FAIL, error=None)
        what = "a binary frame" if outcome.outcome == wsprobe.BINARY else "a frame that is not JSON"
        return results.from_finding(
            check_id, finding, f"first server frame was {what}", redactor, details=details, **common
        )

    event = outcome.event or {}
    event_type = event.get("type")
    details["first_event"] = event_type
    if event_type == "error":
        finding = classify.from_error_event(event, key_kind=credential_kind)
        if outcome.close_code is not None:
            close_finding = classify.from_close(
                outcome.close_code, outcome.close_reason, event, key_kind=credential_kind
            )
            # The error event is more specific unless it was unmappable.
            if finding.diagnosis in ("ws_error_event", "unknown_error"):
                finding = close_finding
        close = f" (error event, then close {outcome.close_code})" if outcome.close_code else " (error event)"
        summary = results.describe_error(finding, "error event") + close
        extra: tuple[str, ...] = ()
        if finding.diagnosis == "beta_api_shape_disabled":
            extra = (
                "realtime-check itself sent no OpenAI-Beta header: if this run shows it, a proxy or gateway "
                "between you and OpenAI adds the header or speaks the beta protocol upstream.",
            )
        return results.from_finding(check_id, finding, summary, redactor, details=details, extra_advice=extra, **common)
    if event_type != "session.created":
        finding = Finding(diagnosis="ws_unexpected_first_event", status=Status.FAIL, error=None)
        return results.from_finding(
            check_id,
            finding,
            f"first event was {event_type!r}, not session.created",
            redactor,
            details=details,
            **common,
        )
    session = event.get("session")
    if not isinstance(session, dict):
        session = {}
    session_model = session.get("model")
    details.update(
        {"session_id": session.get("id"), "session_model": session_model, "session_type": session.get("type")}
    )
    # The session id and first-event time are in the details (-v, JSON); the line must fit 80 columns.
    summary = "session.created"
    if isinstance(session_model, str):
        summary += f" · {bound(session_model, SHORT_ID)}"
    wanted = outcome_model(outcome.url) or ctx.settings.model
    if isinstance(session_model, str) and not same_model(wanted, session_model) and not ctx.facts.azure:
        # The server may answer with a dated snapshot of the alias; anything else
        # means the session runs a model the user did not ask for (F47).
        finding = Finding(diagnosis="ws_model_differs", status=Status.WARN, error=None)
        return results.from_finding(
            check_id, finding, summary + f" (asked for {wanted})", redactor, details=details, **common
        )
    return CheckResult(check_id, Status.PASS, redactor.text(summary), details=redactor.value(details), **common)


def redirect_host(url: str, location: str) -> str:
    """The host a redirect pointed at (relative locations stay on the same host)."""
    from urllib.parse import urljoin

    try:
        return urlsplit(urljoin(url, location)).hostname or "an unnamed host"
    except ValueError:
        return "an unparseable location"


def outcome_model(url: str) -> str | None:
    """The model a socket URL asked for (?model=)."""
    from urllib.parse import parse_qs

    values = parse_qs(urlsplit(url).query).get("model")
    return values[0] if values else None


def same_model(wanted: str, served: str) -> bool:
    """The served model is the one asked for or a dated snapshot of it (gpt-realtime -> gpt-realtime-2025-08-28).

    A bare prefix test is not enough: gpt-realtime-mini starts with gpt-realtime but is another model.
    """
    return served == wanted or re.fullmatch(re.escape(wanted) + r"-\d{4}-\d{2}-\d{2}", served) is not None


def _round(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


def _early(ctx: CheckContext) -> EarlyConnection | None:
    """The socket's own connection, opened now and timed phase by phase, when the runner allows it."""
    if not ctx.early_connections:
        return None
    return EarlyConnection(ctx.settings.ws_url, ctx.ssl_context, ctx.remaining(), ctx.clock)


def timings_of(outcome: wsprobe.SocketOutcome, early: EarlyConnection | None) -> dict[str, Any]:
    """The socket's phases. Without a connection of our own, websockets' connect hides DNS, TCP and
    TLS inside the upgrade, so those and the upgrade itself are None rather than a guess."""
    first_event = None
    if outcome.first_event_ms is not None and outcome.handshake_ms is not None:
        first_event = outcome.first_event_ms - outcome.handshake_ms
    return socket_timings(
        early.phases if early is not None else None,
        upgrade_ms=outcome.handshake_ms if early is not None else None,
        first_event_ms=first_event,
        total_ms=outcome.elapsed_ms,
    )


async def _open(
    ctx: CheckContext,
    check_id: str,
    *,
    headers: dict[str, str],
    subprotocols: list[str] | None,
    keep_open: bool,
    early: EarlyConnection | None = None,
) -> wsprobe.SocketOutcome:
    ctx.wait_note(check_id, "GET /v1/models (to choose the model)")
    url = socket_url(ctx.settings.ws_url, (await chosen_model(ctx)).model)
    ws_connect = await early.ws_connect(ctx.ws_connect) if early is not None else ctx.ws_connect
    if ws_connect is ctx.ws_connect:
        early = None  # the early connection failed: the usual connect reports why
    ctx.wait_note(check_id, f"the WebSocket handshake to {urlsplit(url).netloc}")
    outcome = await wsprobe.open_socket(
        ws_connect,
        url,
        headers=headers,
        subprotocols=subprotocols,
        ssl_context=ctx.ssl_context,
        open_timeout=ctx.remaining(),
        # A little under the run's deadline, so a silent socket is reported as
        # such rather than as a generic timeout of the whole check.
        first_event_timeout=min(ctx.options.first_event_timeout, max(ctx.remaining() - _VERDICT_MARGIN, 0.0)),
        on_open=lambda: ctx.wait_note(check_id, "the first server event"),
        keep_open=keep_open,
        clock=ctx.clock,
    )
    outcome.timings = timings_of(outcome, early)
    if early is not None and outcome.elapsed_ms is not None:
        outcome.timings["total_ms"] = round((ctx.clock() - early.started) * 1000, 1)
    return outcome


async def run(ctx: CheckContext) -> CheckResult:
    blocked = await api_blocker(ctx, needs_standard_key=False, path="ws")
    if blocked:
        return results.skipped(CHECK_ID, blocked)
    keep_open = "response" in ctx.selected
    headers = auth_headers(ctx.settings, ctx.facts.key_to_send())
    # TCP and TLS open while the model is being chosen (a GET /v1/models when none is set).
    early = _early(ctx)
    try:
        outcome = await _open(ctx, CHECK_ID, headers=headers, subprotocols=None, keep_open=keep_open, early=early)
    except Exception as exc:  # noqa: BLE001
        return results.from_exception(
            CHECK_ID,
            "websocket",
            exc,
            ctx.redactor,
            what="WebSocket handshake",
            key_kind=results.key_kind(ctx.facts.key),
        )
    finally:
        if early is not None:
            early.discard()  # a no-op once the socket took the connection over
    if outcome.connection is not None:
        ctx.facts.live_socket = outcome.connection
    result = verdict(CHECK_ID, outcome, ctx, credential_label(ctx.settings, headers), ctx.facts.key)
    if org_headers.worth_retrying(result, ctx.settings):
        bare = auth_headers(ctx.settings, ctx.facts.key_to_send(), with_org=False)
        result = await org_headers.retry_without(
            result,
            ctx.settings,
            ctx.redactor,
            lambda: _open(ctx, CHECK_ID, headers=bare, subprotocols=None, keep_open=False),
        )
    return with_choice(result, await chosen_model(ctx))


def with_choice(result: CheckResult, choice: ModelChoice) -> CheckResult:
    """Record which model the run chose (and why) for the report header, even when `models` did not run."""
    facts = {"model": choice.model, "configured": choice.configured, "why": choice.why}
    return replace(result, details={**result.details, "model_choice": facts})


# RFC 6455 §4.1: a subprotocol is an RFC 7230 token; browsers and websockets refuse anything else.
_TOKEN_CHARS = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _secret_not_subprotocol_safe(ctx: CheckContext, secret: str, unsafe: list[str]) -> CheckResult:
    """A minted secret no browser can send (a gateway's own, e.g. LiteLLM's with '=' padding): a diagnosis."""
    shown = " ".join(repr(c) if c.isprintable() else f"U+{ord(c):04X}" for c in unsafe[:5])
    finding = Finding(diagnosis="gateway_secret_not_subprotocol_safe", status=Status.FAIL)
    return results.from_finding(
        EPHEMERAL_CHECK_ID,
        finding,
        f"the minted secret ({len(secret)} characters) contains {shown}, which a WebSocket subprotocol cannot "
        "carry: browsers refuse to send it, so the browser path through this endpoint cannot work",
        ctx.redactor,
        details={
            "secret_length": len(secret),
            "characters_not_allowed": shown,
            "minted_by": urlsplit(ctx.settings.base_url).netloc,
        },
    )


def credential_label(settings: Any, headers: dict[str, str]) -> str:
    """How the socket authenticated, in words (the headers themselves are secret)."""
    if "api-key" in headers:
        return "Azure resource key (api-key header)"
    if settings.entra_token:
        return "Microsoft Entra token (Authorization: Bearer)"
    return "API key (Authorization: Bearer)"


async def run_ephemeral(ctx: CheckContext) -> CheckResult:
    blocked = await api_blocker(ctx, needs_standard_key=True, path="ws")
    if blocked:
        return results.skipped(EPHEMERAL_CHECK_ID, blocked)
    # TCP and TLS need no secret: open them while the session check mints one.
    early = _early(ctx) if "session" in ctx.selected else None
    try:
        return await _run_ephemeral(ctx, early)
    finally:
        if early is not None:
            early.discard()  # a no-op once the socket took the connection over


async def _run_ephemeral(ctx: CheckContext, early: EarlyConnection | None) -> CheckResult:
    session = await ctx.result("session")
    secret = ctx.facts.ephemeral_secret
    if session is None:
        return results.skipped(EPHEMERAL_CHECK_ID, "skipped: needs the session check, which was not selected")
    if not secret:
        return results.skipped(EPHEMERAL_CHECK_ID, "skipped: no ephemeral secret was minted (see session)")
    # Exactly what a browser sends: no custom headers, credentials as subprotocols.
    subprotocols = ["realtime", f"openai-insecure-api-key.{secret}"]
    unsafe = sorted(set(secret) - _TOKEN_CHARS)
    if unsafe:
        return _secret_not_subprotocol_safe(ctx, secret, unsafe)
    try:
        outcome = await _open(
            ctx,
            EPHEMERAL_CHECK_ID,
            headers={"User-Agent": user_agent()},
            subprotocols=subprotocols,
            keep_open=False,
            early=early,
        )
    except Exception as exc:  # noqa: BLE001
        return results.from_exception(
            EPHEMERAL_CHECK_ID,
            "websocket",
            exc,
            ctx.redactor,
            what="WebSocket handshake with the ephemeral secret",
            key_kind=results.key_kind(secret),
        )
    return verdict(EPHEMERAL_CHECK_ID, outcome, ctx, "ephemeral secret (browser subprotocol)", secret)
