"""The `models` check: can the key see the configured realtime model, and what else?

The listing is advisory (protocol.md §5): absence from it is not proof of no
access, so a missing model is confirmed with `GET /v1/models/{id}` first.
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Any
from urllib.parse import quote

from realtime_check.checks import results
from realtime_check.checks.api_key import model_listing
from realtime_check.checks.context import CheckContext
from realtime_check.checks.gates import api_blocker
from realtime_check.models import CheckResult, Finding, Status
from realtime_check.probes.http import api_url, auth_headers, fetch

CHECK_ID = "models"
TRANSCRIPTION_HINTS = ("transcribe", "whisper")


def is_realtime(model_id: str) -> bool:
    return "realtime" in model_id or model_id.startswith("gpt-audio")


def shutdown(model: dict[str, Any], today: dt.date) -> tuple[str | None, bool]:
    """(shutdown_date, already past). The field is new (2026-08) and optional."""
    raw = model.get("shutdown_date")
    if not isinstance(raw, str):
        return None, False
    try:
        day = dt.date.fromisoformat(raw[:10])
    except ValueError:
        return raw, False
    return raw, day <= today


def suggestions(models: tuple[dict[str, Any], ...], wanted: str, today: dt.date) -> list[str]:
    """Realtime models the key can use, closest to what was asked for first, retired ones left out."""
    live = [m["id"] for m in models if is_realtime(m["id"]) and not shutdown(m, today)[1]]
    close = difflib.get_close_matches(wanted, live, n=3, cutoff=0.4)
    preferred = [m for m in ("gpt-realtime", "gpt-realtime-2.1", "gpt-realtime-mini") if m in live]
    return list(dict.fromkeys([*close, *preferred, *sorted(live)]))[:5]


def summarise_visibility(models: tuple[dict[str, Any], ...]) -> dict[str, Any]:
    realtime = sorted(m["id"] for m in models if is_realtime(m["id"]))
    transcription = sorted(m["id"] for m in models if any(h in m["id"] for h in TRANSCRIPTION_HINTS))
    return {"realtime_models": realtime, "transcription_models": transcription}


async def _retrieve(ctx: CheckContext) -> Any:
    return await fetch(
        ctx.http,
        "GET",
        api_url(ctx.settings, f"models/{quote(ctx.settings.model, safe='')}"),
        headers=auth_headers(ctx.settings, ctx.facts.key_to_send()),
        max_bytes=ctx.options.max_body_bytes,
        clock=ctx.clock,
    )


async def run(ctx: CheckContext) -> CheckResult:
    blocked = await api_blocker(ctx, needs_standard_key=True)
    if blocked:
        return results.skipped(CHECK_ID, blocked)
    if ctx.facts.azure:
        return results.skipped(CHECK_ID, "skipped: Azure deployments are not listed by /models")
    model = ctx.settings.model
    today = dt.datetime.now(dt.UTC).date()
    ctx.wait_note(CHECK_ID, "GET /v1/models")
    started = ctx.clock()
    listing = await model_listing(ctx)
    if listing.models is None:
        # The api_key check reports why; here only say what we could not verify.
        http_status = listing.exchange.status if listing.exchange else None
        return results.skipped(
            CHECK_ID,
            "skipped: the model list is not available"
            + (f" (GET /v1/models answered HTTP {http_status})" if http_status else "")
            + "; the websocket check still tests the model",
        )
    visible = summarise_visibility(listing.models)
    entry = next((m for m in listing.models if m["id"] == model), None)
    details: dict[str, Any] = {"model": model, **visible}
    # Which transcription models are visible is in the details (-v, JSON); the line says
    # only when there is none, so a passing line fits 80 columns.
    transcription_note = "" if visible["transcription_models"] else " · no transcription model visible"
    if entry is None:
        ctx.wait_note(CHECK_ID, f"GET /v1/models/{model}")
        try:
            exchange = await _retrieve(ctx)
        except Exception as exc:  # noqa: BLE001
            return results.from_exception(CHECK_ID, "models", exc, ctx.redactor, what=f"GET /v1/models/{model}")
        if exchange.status != 200:
            suggested = suggestions(listing.models, model, today)
            result = results.from_exchange_error(
                CHECK_ID,
                "models",
                exchange,
                ctx.redactor,
                ctx.options.verbose,
                what=f"{model} is not available to this key",
                extra_details=details,
                party=results.party_for(ctx.settings, exchange.url),
            )
            if suggested:
                from dataclasses import replace

                hint = (
                    f"Realtime models this key can see: {', '.join(suggested)} (set --model or OPENAI_REALTIME_MODEL)."
                )
                result = replace(result, advice=(hint, *result.advice), duration_ms=(ctx.clock() - started) * 1000)
            return result
        _, entry = results.json_body(exchange)
        if not isinstance(entry, dict):
            entry = {"id": model}
    date, past = shutdown(entry, today)
    duration = (ctx.clock() - started) * 1000
    if past:
        finding = Finding(diagnosis="model_retired", status=Status.FAIL, error=None)
        suggested = suggestions(listing.models, model, today)
        extra = (f"Realtime models this key can see: {', '.join(suggested)}.",) if suggested else ()
        return results.from_finding(
            CHECK_ID,
            finding,
            f"{model} was shut down on {date}",
            ctx.redactor,
            duration_ms=duration,
            details=details,
            extra_advice=extra,
        )
    if date:
        finding = Finding(diagnosis="model_shutdown_scheduled", status=Status.WARN, error=None)
        return results.from_finding(
            CHECK_ID,
            finding,
            f"{model} is visible but shuts down on {date}{transcription_note}",
            ctx.redactor,
            duration_ms=duration,
            details=details,
        )
    status = Status.PASS if visible["transcription_models"] else Status.WARN
    summary = f"{model} is visible · {len(visible['realtime_models'])} realtime models{transcription_note}"
    if status is Status.WARN:
        finding = Finding(diagnosis="transcription_model_missing", status=Status.WARN, error=None)
        return results.from_finding(CHECK_ID, finding, summary, ctx.redactor, duration_ms=duration, details=details)
    return CheckResult(CHECK_ID, Status.PASS, summary, duration_ms=duration, details=details)
