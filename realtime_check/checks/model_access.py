"""The `models` check: can the key see the configured realtime model, and what else?

The listing is advisory (protocol.md §5): absence from it is not proof of no
access, so a missing model is confirmed with `GET /v1/models/{id}` first.
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Any
from urllib.parse import quote

from realtime_check import model_facts
from realtime_check.checks import results
from realtime_check.checks.api_key import model_listing
from realtime_check.checks.context import CheckContext
from realtime_check.checks.gates import api_blocker
from realtime_check.checks.model_choice import ModelChoice, chosen_model
from realtime_check.models import CheckResult, Finding, Status
from realtime_check.probes.http import api_url, auth_headers, fetch

CHECK_ID = "models"


def is_realtime(model_id: str) -> bool:
    return model_facts.is_realtime_model(model_id)


def shutdown(model: dict[str, Any], today: dt.date) -> tuple[str | None, bool]:
    """(shutdown date, already past), from the listing's shutdown_date or else the built-in table."""
    known = model_facts.from_listing(str(model.get("id", "")), model.get("shutdown_date"))
    if known is None:
        return None, False
    return known.shutdown.isoformat(), known.is_past(today)


def suggestions(models: tuple[dict[str, Any], ...], wanted: str, today: dt.date) -> list[str]:
    """Realtime models the key can use, closest to what was asked for first, retired ones left out."""
    live = [m["id"] for m in models if is_realtime(m["id"]) and not shutdown(m, today)[1]]
    close = difflib.get_close_matches(wanted, live, n=3, cutoff=0.4)
    preferred = [m for m in model_facts.LADDER if m in live]
    return list(dict.fromkeys([*close, *preferred, *sorted(live)]))[:5]


def summarise_visibility(models: tuple[dict[str, Any], ...]) -> dict[str, Any]:
    realtime = sorted(m["id"] for m in models if is_realtime(m["id"]))
    transcription = sorted(m["id"] for m in models if model_facts.is_transcription_model(m["id"]))
    return {"realtime_models": realtime, "transcription_models": transcription}


async def _retrieve(ctx: CheckContext, model: str) -> Any:
    return await fetch(
        ctx.http,
        "GET",
        api_url(ctx.settings, f"models/{quote(model, safe='')}"),
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
    today = ctx.today()
    ctx.wait_note(CHECK_ID, "GET /v1/models")
    started = ctx.clock()
    choice = await chosen_model(ctx)
    model = choice.model
    listing = await model_listing(ctx)
    if listing.models is None:
        known = model_facts.retirement(model)
        if known is not None:
            # No listing to confirm it, but a model with a known retirement still gets its warning.
            return _retirement(ctx, choice, known, today, (), {"model": model}, ctx.clock() - started)
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
    details: dict[str, Any] = {"model": model, "model_choice": _choice_details(choice), **visible}
    # Which transcription models are visible is in the details (-v, JSON); the line says
    # only when there is none, so a passing line fits 80 columns.
    transcription_note = "" if visible["transcription_models"] else " · no transcription model visible"
    if entry is None:
        ctx.wait_note(CHECK_ID, f"GET /v1/models/{model}")
        try:
            exchange = await _retrieve(ctx, model)
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
    known = model_facts.from_listing(model, entry.get("shutdown_date"))
    duration = ctx.clock() - started
    if known is not None and known.is_past(today):
        finding = Finding(diagnosis="model_retired", status=Status.FAIL, error=None)
        suggested = suggestions(listing.models, model, today)
        extra = (f"Realtime models this key can see: {', '.join(suggested)}.",) if suggested else ()
        return results.from_finding(
            CHECK_ID,
            finding,
            f"{model} was shut down on {known.shutdown.isoformat()}",
            ctx.redactor,
            duration_ms=duration * 1000,
            details={**details, "retirement": retirement_details(known, today)},
            extra_advice=extra,
        )
    if known is not None:
        return _retirement(ctx, choice, known, today, listing.models, details, duration)
    transcription = _transcription_retirement(ctx, listing.models)
    if transcription is not None:
        return _transcription_warning(ctx, transcription, today, details, duration)
    # How the model was chosen is in the header and the details; the line fits 80 columns.
    status = Status.PASS if visible["transcription_models"] else Status.WARN
    summary = f"{model} is visible · {len(visible['realtime_models'])} realtime models{transcription_note}"
    if status is Status.WARN:
        finding = Finding(diagnosis="transcription_model_missing", status=Status.WARN, error=None)
        return results.from_finding(
            CHECK_ID, finding, summary, ctx.redactor, duration_ms=duration * 1000, details=details
        )
    return CheckResult(CHECK_ID, Status.PASS, ctx.redactor.text(summary), duration_ms=duration * 1000, details=details)


def retirement_details(known: model_facts.Retirement, today: dt.date) -> dict[str, Any]:
    return {
        "shutdown_date": known.shutdown.isoformat(),
        "days_left": known.days_left(today),
        "successor": known.successor,
        "source": known.source_note(),
    }


def retirement_summary(known: model_facts.Retirement, today: dt.date) -> str:
    """One line naming the date, the days left and the successor."""
    days = known.days_left(today)
    left = f"{days} day{'s' if days != 1 else ''} left"
    successor = f"; successor {known.successor}" if known.successor else ""
    return f"{known.model} shuts down on {known.shutdown.isoformat()} ({left}{successor})"


def _choice_details(choice: ModelChoice) -> dict[str, Any]:
    return {"model": choice.model, "configured": choice.configured, "why": choice.why}


def _retirement(
    ctx: CheckContext,
    choice: ModelChoice,
    known: model_facts.Retirement,
    today: dt.date,
    models: tuple[dict[str, Any], ...],
    details: dict[str, Any],
    seconds: float,
) -> CheckResult:
    """A model with an announced shutdown: a warning (so --strict fails it) naming the date and the successor."""
    summary = retirement_summary(known, today)
    if known.is_soon(today):
        summary += " — soon"
    advice: list[str] = []
    if known.source == "table":
        advice.append(f"Date from the {known.source_note()}; GET /v1/models did not list one.")
    if choice.configured:
        diagnosis = "model_shutdown_scheduled"
        if known.successor:
            advice.append(
                f"Move to {known.successor} before {known.shutdown.isoformat()} (set --model or OPENAI_REALTIME_MODEL)."
            )
    else:
        diagnosis = "only_retiring_model_visible"
        summary = f"{summary} · chosen: the only ladder model this key can see"
    if known.successor and models and not any(m["id"] == known.successor for m in models):
        advice.append(
            f"This key does not see {known.successor}: enable it for the project (Project settings → Limits → "
            "Model usage) or ask OpenAI to allowlist the project; then re-run this check."
        )
    finding = Finding(diagnosis=diagnosis, status=Status.WARN, error=None)
    return results.from_finding(
        CHECK_ID,
        finding,
        summary,
        ctx.redactor,
        duration_ms=seconds * 1000,
        details={**details, "model_choice": _choice_details(choice), "retirement": retirement_details(known, today)},
        extra_advice=tuple(advice),
    )


def _transcription_retirement(ctx: CheckContext, models: tuple[dict[str, Any], ...]) -> model_facts.Retirement | None:
    """The announced shutdown of the configured transcription model (--transcription-model), if any."""
    settings = ctx.settings
    if settings.transcription_model_source == "default":
        return None  # the default (gpt-live-transcribe) has none; an unset option is nobody's choice to warn about
    model = settings.transcription_model
    entry = next((m for m in models if m["id"] == model), {})
    return model_facts.from_listing(model, entry.get("shutdown_date"))


def _transcription_warning(
    ctx: CheckContext, known: model_facts.Retirement, today: dt.date, details: dict[str, Any], seconds: float
) -> CheckResult:
    """The realtime model is fine, but the configured transcription model retires (or has retired)."""
    past = known.is_past(today)
    summary = (
        f"transcription model {known.model} was shut down on {known.shutdown.isoformat()}"
        if past
        else "transcription model " + retirement_summary(known, today)
    )
    advice = [f"Date from the {known.source_note()}."]
    if known.successor:
        advice.append(f"Move to {known.successor} (--transcription-model or OPENAI_TRANSCRIPTION_MODEL).")
    finding = Finding("model_retired" if past else "model_shutdown_scheduled", Status.FAIL if past else Status.WARN)
    return results.from_finding(
        CHECK_ID,
        finding,
        summary,
        ctx.redactor,
        duration_ms=seconds * 1000,
        details={**details, "transcription_retirement": retirement_details(known, today)},
        extra_advice=tuple(advice),
    )
