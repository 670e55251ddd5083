"""The opt-in `legacy_beta` check: the retired beta interface, exactly as the old setup notes prescribe.

Most users arrive with code written from those notes (original-setup-notes.md). This performs
what they say, against the configured host, and reports each answer:

1. `POST /v1/realtime/sessions` with `OpenAI-Beta: realtime=v1` and a beta body;
2. the socket `/v1/realtime?model=…` with `OpenAI-Beta: realtime=v1`, and the browser form with
   the `openai-beta.realtime-v1` subprotocol;
3. the notes' `wss://…/v1/realtime/{sessionId}?authorization=Bearer%20…` URL.

A credential in a URL ends up in proxy and server logs, so (3) only ever carries a short-lived
`ek_` secret minted for this purpose, never the API key (`session_id_url` refuses anything else).
Rejected everywhere (today's truth on api.openai.com) is a warning with the migration: the
user's access is fine, their old code is not. A host that still accepts it passes, with a note.
Free: nothing here generates a response.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from realtime_check.checks import results
from realtime_check.checks.context import CheckContext
from realtime_check.checks.conversation import step_timeout
from realtime_check.checks.gates import api_blocker
from realtime_check.checks.session import request_body as ga_mint_body
from realtime_check.checks.websocket import socket_url
from realtime_check.diagnosis import catalog as diagnoses
from realtime_check.diagnosis import classify
from realtime_check.diagnosis.bodies import parse_error_body
from realtime_check.diagnosis.exceptions import classify_exception
from realtime_check.models import CheckResult, Finding, Status
from realtime_check.probes import websocket as wsprobe
from realtime_check.probes.http import HttpExchange, api_url, auth_headers, fetch, user_agent

CHECK_ID = "legacy_beta"
BETA_HEADER = {"OpenAI-Beta": "realtime=v1"}
BETA_SUBPROTOCOL = "openai-beta.realtime-v1"
# Answers that mean "the beta interface is gone", as opposed to a problem with the key or the network.
RETIREMENT_DIAGNOSES = frozenset(
    {"beta_api_shape_disabled", "beta_endpoint_retired", "unknown_url", "not_found", "bad_request"}
)

ACCEPTED = "accepted"
REFUSED = "refused"  # the beta interface is not served: the expected answer today
FAILED = "failed"  # something else went wrong (key, network, ...): the probe proves nothing about beta
SKIPPED = "skipped"


@dataclass
class Probe:
    """One thing the notes prescribe and what the server answered."""

    name: str
    request: str
    answer: str = SKIPPED
    http_status: int | None = None
    close_code: int | None = None
    error_code: str | None = None
    first_event: str | None = None
    note: str | None = None
    finding: Finding | None = field(default=None, repr=False)

    def as_details(self) -> dict[str, Any]:
        shown = {
            "request": self.request,
            "answer": self.answer,
            "http_status": self.http_status,
            "close_code": self.close_code,
            "error_code": self.error_code,
            "first_event": self.first_event,
            "note": self.note,
        }
        return {k: v for k, v in shown.items() if v is not None}


def beta_session_body(model: str) -> dict[str, Any]:
    """The flat beta body of POST /v1/realtime/sessions (protocol.md §1.1)."""
    return {
        "model": model,
        "modalities": ["audio", "text"],
        "voice": "alloy",
        "input_audio_format": "pcm16",
        "output_audio_format": "pcm16",
    }


def session_id_url(ws_url: str, session_id: str, secret: str) -> str:
    """The setup notes' socket URL, with the secret in the query. Only ever an ek_ secret: never the API key."""
    if not secret.startswith("ek_"):
        raise ValueError("only a short-lived ek_ secret may be put in a URL")
    parts = urlsplit(ws_url)
    path = parts.path.rstrip("/") + "/" + quote(session_id, safe="")
    return urlunsplit((parts.scheme, parts.netloc, path, "authorization=" + quote(f"Bearer {secret}"), ""))


async def run(ctx: CheckContext) -> CheckResult:
    blocked = await api_blocker(ctx, needs_standard_key=True)
    if blocked:
        return results.skipped(CHECK_ID, blocked)
    started = ctx.clock()
    key = ctx.facts.key_to_send()
    mint = Probe("beta_mint", "POST /v1/realtime/sessions with OpenAI-Beta: realtime=v1")
    ctx.wait_note(CHECK_ID, "POST /v1/realtime/sessions")
    beta_secret, session_id = await _beta_mint(ctx, key, mint)
    # The secret for the URL probe: the beta one if the host still mints them, else one minted the GA way.
    secret, ga_session_id = (beta_secret, None) if beta_secret else await _ga_mint(ctx, key)
    session_id = session_id or ga_session_id or "sess_unknown"
    header = Probe("beta_socket_header", "wss …/v1/realtime?model=… with OpenAI-Beta: realtime=v1")
    subprotocol = Probe("beta_socket_subprotocol", f"wss …/v1/realtime?model=… with subprotocol {BETA_SUBPROTOCOL}")
    url_probe = Probe("session_id_url", "wss …/v1/realtime/{sessionId}?authorization=Bearer%20ek_…")
    ctx.wait_note(CHECK_ID, "the beta socket handshakes")
    model_url = socket_url(ctx.settings.ws_url, ctx.settings.model)
    sockets = [
        _socket(ctx, header, model_url, {**auth_headers(ctx.settings, key), **BETA_HEADER}, None),
    ]
    if secret:
        browser = ["realtime", f"openai-insecure-api-key.{secret}", BETA_SUBPROTOCOL]
        sockets.append(_socket(ctx, subprotocol, model_url, {"User-Agent": user_agent()}, browser))
        old_url = session_id_url(ctx.settings.ws_url, session_id, secret)
        sockets.append(_socket(ctx, url_probe, old_url, {"User-Agent": user_agent(), **BETA_HEADER}, None))
    else:
        for probe in (subprotocol, url_probe):
            probe.note = "no ek_ secret could be minted to try it with (the API key is never sent this way)"
    await asyncio.gather(*sockets)
    return _verdict(ctx, [mint, header, subprotocol, url_probe], started)


async def _beta_mint(ctx: CheckContext, key: str, probe: Probe) -> tuple[str | None, str | None]:
    """Step 1 of the notes; returns (client_secret.value, session id) when the host still mints the beta way."""
    headers = {**auth_headers(ctx.settings, key), **BETA_HEADER}
    exchange = await _post(ctx, probe, "realtime/sessions", headers, beta_session_body(ctx.settings.model))
    if exchange is None:
        return None, None
    parsed, data = results.json_body(exchange)
    secret_obj = data.get("client_secret") if isinstance(data, dict) else None
    secret = secret_obj.get("value") if isinstance(secret_obj, dict) else None
    if exchange.status == 200 and isinstance(secret, str) and secret.startswith("ek_"):
        ctx.redactor.add(secret)
        probe.answer = ACCEPTED
        probe.note = "minted a beta session; the secret is in client_secret.value"
        session_id = data.get("id")
        return secret, session_id if isinstance(session_id, str) else None
    _judge_http(probe, exchange, parsed, key)
    return None, None


async def _ga_mint(ctx: CheckContext, key: str) -> tuple[str | None, str | None]:
    """A short-lived ek_ secret minted the GA way, only to try the notes' URL form with it."""
    probe = Probe("ga_mint", "POST /v1/realtime/client_secrets")
    body = ga_mint_body(ctx.settings.model, ctx.options.ephemeral_ttl_seconds)
    exchange = await _post(ctx, probe, "realtime/client_secrets", auth_headers(ctx.settings, key), body)
    if exchange is None or exchange.status != 200:
        return None, None
    _, data = results.json_body(exchange)
    value = data.get("value") if isinstance(data, dict) else None
    if not isinstance(value, str) or not value.startswith("ek_"):
        return None, None
    ctx.redactor.add(value)
    session = data.get("session") if isinstance(data, dict) else None
    session_id = session.get("id") if isinstance(session, dict) else None
    return value, session_id if isinstance(session_id, str) else None


async def _post(
    ctx: CheckContext, probe: Probe, path: str, headers: dict[str, str], body: dict[str, Any]
) -> HttpExchange | None:
    try:
        return await fetch(
            ctx.http,
            "POST",
            api_url(ctx.settings, path),
            headers=headers,
            json=body,
            max_bytes=ctx.options.max_body_bytes,
            clock=ctx.clock,
        )
    except Exception as exc:  # noqa: BLE001 - a network failure is recorded on the probe, not raised
        probe.answer = FAILED
        probe.finding = classify_exception("session", exc)
        probe.note = type(exc).__name__
        return None


def _judge_http(probe: Probe, exchange: HttpExchange, parsed: Any, key: str) -> None:
    finding = classify.from_http("session", exchange.status, parsed, exchange.headers, key_kind=results.key_kind(key))
    probe.http_status = exchange.status
    probe.error_code = finding.error.code if finding.error else None
    probe.answer = REFUSED if finding.diagnosis in RETIREMENT_DIAGNOSES else FAILED
    probe.finding = finding


async def _socket(
    ctx: CheckContext, probe: Probe, url: str, headers: dict[str, str], subprotocols: list[str] | None
) -> None:
    try:
        outcome = await wsprobe.open_socket(
            ctx.ws_connect,
            url,
            headers=headers,
            subprotocols=subprotocols,
            ssl_context=ctx.ssl_context,
            open_timeout=ctx.remaining(),
            first_event_timeout=min(ctx.options.first_event_timeout, step_timeout(ctx)),
            clock=ctx.clock,
        )
    except Exception as exc:  # noqa: BLE001 - recorded on the probe
        probe.answer = FAILED
        probe.finding = classify_exception("websocket", exc)
        probe.note = type(exc).__name__
        return
    probe.http_status = outcome.http_status
    probe.close_code = outcome.close_code
    event = outcome.event or {}
    probe.first_event = event.get("type") if isinstance(event.get("type"), str) else None
    if outcome.outcome == wsprobe.EVENT and probe.first_event == "session.created":
        probe.answer = ACCEPTED
        return
    finding: Finding | None = None
    if outcome.outcome == wsprobe.REFUSED:
        parsed = parse_error_body(outcome.body, outcome.headers.get("content-type"))
        finding = classify.from_http("handshake", outcome.http_status or 0, parsed, outcome.headers)
        # No server ever served a session id in the socket path: any refusal of that URL is the retirement.
        refused = probe.name == "session_id_url" or outcome.http_status == 404
    elif outcome.outcome == wsprobe.CLOSED or probe.first_event == "error":
        finding = classify.from_close(outcome.close_code or 1006, outcome.close_reason, outcome.event)
        refused = finding.diagnosis == "beta_api_shape_disabled"
    else:
        refused = False
    probe.finding = finding
    probe.error_code = finding.error.code if finding is not None and finding.error else None
    probe.answer = REFUSED if refused or (finding and finding.diagnosis in RETIREMENT_DIAGNOSES) else FAILED
    if probe.answer == FAILED and finding is None:
        probe.note = f"socket ended as {outcome.outcome}"


def _verdict(ctx: CheckContext, probes: list[Probe], started: float) -> CheckResult:
    duration = (ctx.clock() - started) * 1000
    details = {"probes": {p.name: p.as_details() for p in probes}, "api_key_in_url": False}
    answers = {p.name: p.answer for p in probes}
    accepted = [p.name for p in probes if p.answer == ACCEPTED]
    failed = [p for p in probes if p.answer == FAILED]
    if accepted:
        diagnosis = diagnoses.get("beta_interface_deprecated")
        return CheckResult(
            CHECK_ID,
            Status.PASS,
            ctx.redactor.text(
                f"this host still accepts the retired beta interface ({', '.join(accepted)}): deprecated"
            ),
            duration_ms=duration,
            diagnosis=diagnosis.id,
            advice=diagnosis.advice,
            details=ctx.redactor.value(details),
        )
    if failed and failed[0].finding is not None and failed[0].finding.diagnosis not in RETIREMENT_DIAGNOSES:
        first = failed[0]
        assert first.finding is not None
        return results.from_finding(
            CHECK_ID,
            first.finding,
            f"{first.request}: {results.describe_error(first.finding, 'failed')} — the beta interface could not be "
            "judged",
            ctx.redactor,
            duration_ms=duration,
            http_status=first.http_status,
            close_code=first.close_code,
            details=details,
        )
    refused = [name for name, answer in answers.items() if answer == REFUSED]
    shown = ", ".join(
        f"{p.name} → {p.http_status or p.close_code or p.error_code or p.answer}" for p in probes if p.answer == REFUSED
    )
    return results.from_finding(
        CHECK_ID,
        Finding("beta_interface_retired", Status.WARN),
        f"the server rejects the retired beta interface ({shown or ', '.join(refused)}): migrate old code",
        ctx.redactor,
        duration_ms=duration,
        details=details,
    )
