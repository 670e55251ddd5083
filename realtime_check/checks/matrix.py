"""`realtime-check models`: for each realtime and transcription model, what this key can do with it.

Per model: listed in GET /v1/models, shutdown date and days left (listing first, model_facts as
fallback), successor, whether an ephemeral secret can be minted for it and whether a socket opens
(both free), and with `deep` one text response capped at one output token: the only
authoritative proof of entitlement (protocol-update-2026-11 N4: listed, minted and opened can
still be refused). Probes run a few at a time; a 429 is waited out once, as the server asks.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from realtime_check import model_facts
from realtime_check.checks import results
from realtime_check.checks.api_key import model_listing
from realtime_check.checks.context import CheckContext
from realtime_check.checks.gates import api_blocker
from realtime_check.checks.websocket import socket_url
from realtime_check.diagnosis import classify
from realtime_check.diagnosis.bodies import parse_error_body
from realtime_check.models import CheckResult, Finding
from realtime_check.probes import websocket as wsprobe
from realtime_check.probes.http import api_url, auth_headers, fetch
from realtime_check.probes.live_session import LiveSession

CONCURRENCY = 4  # models probed at once: enough to be quick, few enough not to trip rate limits
MAX_MODELS = 40  # a listing is hostile: never probe more than this many models
MAX_RETRY_WAIT = 10.0  # the longest a 429's retry-after is honoured, in seconds
# The cheapest response that proves entitlement: one output token.
DEEP_EVENTS = (
    {
        "type": "conversation.item.create",
        "item": {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Say ok"}]},
    },
    {"type": "response.create", "response": {"output_modalities": ["text"], "max_output_tokens": 1}},
)
# Diagnoses that mean "this project may not use this model" rather than "something else broke".
REFUSAL_DIAGNOSES = frozenset(
    {
        "model_not_found",
        "model_project_allowlist",
        "ws_model_not_found",
        "response_model_not_found",
        "org_verification_required",
        "ws_invalid_model",
        "gpt_live_model",
    }
)


@dataclass(frozen=True)
class Probe:
    """One probe of one model: ok, refused (the model is not usable), error (something else), skipped."""

    status: str
    detail: str
    diagnosis: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "detail": self.detail, "diagnosis": self.diagnosis}


OK = "ok"
REFUSED = "refused"
ERROR = "error"
SKIPPED = "skipped"


@dataclass(frozen=True)
class ModelRow:
    id: str
    kind: str  # "realtime" or "transcription"
    listed: bool
    retirement: model_facts.Retirement | None
    mint: Probe
    socket: Probe
    response: Probe | None  # None: not asked for (no --deep)
    today: dt.date

    @property
    def verdict(self) -> str:
        """usable, retiring, retired, listed_but_refused, refused or unknown (probes failed for other reasons)."""
        probes = [p for p in (self.mint, self.socket, self.response) if p is not None]
        if self.retirement is not None and self.retirement.is_past(self.today):
            return "retired"
        if any(p.status == REFUSED for p in probes):
            return "listed_but_refused" if self.listed else "refused"
        if all(p.status in (OK, SKIPPED) for p in probes) and any(p.status == OK for p in probes):
            return "retiring" if self.retirement is not None else "usable"
        return "unknown"

    def as_dict(self) -> dict[str, Any]:
        known = self.retirement
        return {
            "id": self.id,
            "kind": self.kind,
            "listed": self.listed,
            "shutdown_date": known.shutdown.isoformat() if known else None,
            "days_left": known.days_left(self.today) if known else None,
            "successor": known.successor if known else None,
            "date_source": known.source_note() if known else None,
            "mint": self.mint.as_dict(),
            "socket": self.socket.as_dict(),
            "response": self.response.as_dict() if self.response is not None else None,
            "verdict": self.verdict,
        }


@dataclass(frozen=True)
class Matrix:
    rows: tuple[ModelRow, ...]
    deep: bool
    not_probed: tuple[str, ...] = ()  # visible models past MAX_MODELS
    problem: CheckResult | None = None  # why no matrix could be built (key rejected, host unreachable, ...)


def deep_cost_note(count: int) -> str:
    """What --deep costs, said before it runs."""
    return (
        f"--deep sends one text response per realtime model ({count} model{'s' if count != 1 else ''}), each "
        "capped at 1 output token (a few dozen input tokens): billed at each model's text price, "
        "a fraction of a cent in all."
    )


async def build(
    ctx: CheckContext, wanted: list[str], deep: bool, announce: Callable[[str], None] = lambda _: None
) -> Matrix:
    """The matrix for `wanted` ids (empty: every realtime and transcription model the key lists).

    With `deep`, `announce` is told what the responses will cost before the first one is sent.
    """
    blocked = await api_blocker(ctx, needs_standard_key=True)
    if blocked:
        config = ctx.facts.config_result
        if config is not None and config.failed:
            return Matrix((), deep, problem=config)
        return Matrix((), deep, problem=results.skipped("models", blocked.removeprefix("skipped: ")))
    listing = await model_listing(ctx)
    listed_ids: set[str] = set()
    if listing.models is not None:
        listed_ids = {m["id"] for m in listing.models}
    elif not wanted:
        return Matrix((), deep, problem=_listing_problem(ctx, listing))
    shutdown_dates = {m["id"]: m.get("shutdown_date") for m in listing.models or ()}
    ids = list(dict.fromkeys(wanted)) or sorted(
        i for i in listed_ids if model_facts.is_realtime_model(i) or model_facts.is_transcription_model(i)
    )
    probed, not_probed = ids[:MAX_MODELS], tuple(ids[MAX_MODELS:])
    if deep:
        announce(deep_cost_note(sum(1 for m in probed if not model_facts.is_transcription_model(m))))
    gate = asyncio.Semaphore(CONCURRENCY)
    today = ctx.today()

    async def row(model: str) -> ModelRow:
        async with gate:
            return await _probe_model(ctx, model, model in listed_ids, shutdown_dates.get(model), deep, today)

    rows = await asyncio.gather(*(row(m) for m in probed))
    return Matrix(tuple(rows), deep, not_probed)


def _listing_problem(ctx: CheckContext, listing: Any) -> CheckResult:
    if listing.error is not None:
        return results.from_exception("models", "api_key", listing.error, ctx.redactor, what="GET /v1/models")
    return results.from_exchange_error(
        "models", "api_key", listing.exchange, ctx.redactor, ctx.options.verbose, what="GET /v1/models"
    )


async def _probe_model(
    ctx: CheckContext, model: str, listed: bool, shutdown_date: Any, deep: bool, today: dt.date
) -> ModelRow:
    kind = "transcription" if model_facts.is_transcription_model(model) else "realtime"
    known = model_facts.from_listing(model, shutdown_date)
    mint = await _with_retry(ctx, lambda: _mint(ctx, model, kind))
    socket, conn = await _open(ctx, model, kind, keep_open=deep and kind == "realtime")
    response: Probe | None = None
    if deep:
        response = Probe(SKIPPED, "transcription model: no text response") if kind != "realtime" else None
        if conn is not None:
            response = await _respond(ctx, conn)
        elif response is None:
            response = Probe(SKIPPED, "no socket")
    return ModelRow(model, kind, listed, known, mint, socket, response, today)


def _mint_body(model: str, kind: str) -> dict[str, Any]:
    if kind == "transcription":
        session: dict[str, Any] = {
            "type": "transcription",
            "audio": {"input": {"transcription": {"model": model}, "turn_detection": None}},
        }
    else:
        session = {"type": "realtime", "model": model}
    return {"expires_after": {"anchor": "created_at", "seconds": 10}, "session": session}


async def _mint(ctx: CheckContext, model: str, kind: str) -> tuple[Probe, float | None]:
    """POST /v1/realtime/client_secrets for this model (the secret is never kept); the retry-after of a 429."""
    try:
        exchange = await fetch(
            ctx.http,
            "POST",
            api_url(ctx.settings, "realtime/client_secrets"),
            headers=auth_headers(ctx.settings, ctx.facts.key_to_send()),
            json=_mint_body(model, kind),
            max_bytes=ctx.options.max_body_bytes,
            clock=ctx.clock,
        )
    except Exception as exc:  # noqa: BLE001 - a probe's failure is a cell, not a crash
        return Probe(ERROR, ctx.redactor.text(type(exc).__name__)), None
    if exchange.status == 200:
        return Probe(OK, "minted"), None
    finding = classify.from_http(
        "session", exchange.status, parse_error_body(exchange.body, exchange.content_type), exchange.headers
    )
    return _cell(ctx, finding, f"HTTP {exchange.status}"), _retry_after(exchange.status, exchange.headers)


async def _with_retry(ctx: CheckContext, attempt: Callable[[], Awaitable[tuple[Probe, float | None]]]) -> Probe:
    """One attempt, and after a 429 one more once the server's retry-after has passed (if the deadline allows)."""
    probe, wait = await attempt()
    if wait is not None and wait <= min(MAX_RETRY_WAIT, ctx.remaining() - 1.0):
        await asyncio.sleep(wait)
        probe, _ = await attempt()
    return probe


def _retry_after(status: int, headers: dict[str, str]) -> float | None:
    if status != 429:
        return None
    for name, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        try:
            return max(0.0, float(headers.get(name, "")) / scale)
        except ValueError:
            continue
    return None


def _transcription_url(ws_url: str) -> str:
    parts = urlsplit(ws_url)
    query = "&".join(q for q in (parts.query, urlencode({"intent": "transcription"})) if q)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


async def _open(ctx: CheckContext, model: str, kind: str, *, keep_open: bool) -> tuple[Probe, Any]:
    """Open a socket for the model: ?model= for realtime models; ?intent=transcription plus a session.update."""
    url = socket_url(ctx.settings.ws_url, model) if kind == "realtime" else _transcription_url(ctx.settings.ws_url)
    headers = auth_headers(ctx.settings, ctx.facts.key_to_send())
    for attempt in range(2):
        try:
            outcome = await wsprobe.open_socket(
                ctx.ws_connect,
                url,
                headers=headers,
                subprotocols=None,
                ssl_context=ctx.ssl_context,
                open_timeout=max(ctx.remaining(), 0.001),
                first_event_timeout=min(ctx.options.first_event_timeout, max(ctx.remaining() - 1.0, 0.001)),
                keep_open=keep_open or kind == "transcription",
                clock=ctx.clock,
            )
        except Exception as exc:  # noqa: BLE001
            return Probe(ERROR, ctx.redactor.text(type(exc).__name__)), None
        wait = _retry_after(outcome.http_status or 0, outcome.headers)
        if attempt == 0 and wait is not None and wait <= min(MAX_RETRY_WAIT, ctx.remaining() - 1.0):
            await asyncio.sleep(wait)
            continue
        break
    event = outcome.event or {}
    if outcome.outcome == wsprobe.EVENT and event.get("type") == "session.created":
        if kind == "transcription":
            return await _configure_transcription(ctx, outcome.connection, model), None
        return Probe(OK, "session.created"), outcome.connection
    if outcome.connection is not None:
        await wsprobe.close_quietly(outcome.connection)
    return _socket_failure(ctx, outcome), None


async def _configure_transcription(ctx: CheckContext, conn: Any, model: str) -> Probe:
    """A transcription socket accepts the model only in session.update: session.updated is the verdict."""
    session = LiveSession(conn, ctx.clock)
    update = {
        "type": "session.update",
        "session": {
            "type": "transcription",
            "audio": {"input": {"transcription": {"model": model}, "turn_detection": None}},
        },
    }
    try:
        verdict = await session.exchange([update], {"session.updated"}, max(ctx.remaining() - 1.0, 0.001))
    finally:
        await session.close()
    if verdict.event is not None and verdict.event.get("type") == "session.updated":
        return Probe(OK, "session.updated")
    if verdict.is_error and verdict.event is not None:
        return _cell(ctx, classify.from_error_event(verdict.event), "error event")
    if verdict.close_code is not None:
        return _cell(ctx, classify.from_close(verdict.close_code, verdict.close_reason), f"close {verdict.close_code}")
    return Probe(ERROR, verdict.outcome)


def _socket_failure(ctx: CheckContext, outcome: wsprobe.SocketOutcome) -> Probe:
    if outcome.outcome == wsprobe.REFUSED:
        parsed = parse_error_body(outcome.body, outcome.headers.get("content-type"))
        finding = classify.from_http("handshake", outcome.http_status or 0, parsed, outcome.headers)
        return _cell(ctx, finding, f"HTTP {outcome.http_status}")
    if outcome.event is not None and outcome.event.get("type") == "error":
        finding = classify.from_error_event(outcome.event)
        where = f"close {outcome.close_code}" if outcome.close_code else "error event"
        return _cell(ctx, finding, where)
    if outcome.outcome == wsprobe.CLOSED:
        finding = classify.from_close(outcome.close_code or 1006, outcome.close_reason)
        return _cell(ctx, finding, f"close {outcome.close_code}")
    return Probe(ERROR, outcome.outcome)


async def _respond(ctx: CheckContext, conn: Any) -> Probe:
    session = LiveSession(conn, ctx.clock)
    try:
        verdict = await session.exchange(DEEP_EVENTS, {"response.done"}, max(ctx.remaining() - 1.0, 0.001))
    finally:
        await session.close()
    event = verdict.event or {}
    if event.get("type") == "response.done":
        response = event.get("response")
        refusal = classify.from_response_done(response if isinstance(response, dict) else {})
        if refusal is None:
            return Probe(OK, "response.done")
        return _cell(ctx, refusal, "response.done failed")
    if verdict.is_error:
        return _cell(ctx, classify.from_error_event(event), "error event")
    if verdict.close_code is not None:
        return _cell(ctx, classify.from_close(verdict.close_code, verdict.close_reason), f"close {verdict.close_code}")
    return Probe(ERROR, verdict.outcome)


def _cell(ctx: CheckContext, finding: Finding, where: str) -> Probe:
    code = finding.error.code if finding.error and finding.error.code else finding.diagnosis
    status = REFUSED if finding.diagnosis in REFUSAL_DIAGNOSES else ERROR
    return Probe(status, ctx.redactor.text(f"{where} {code}")[:120], finding.diagnosis)
