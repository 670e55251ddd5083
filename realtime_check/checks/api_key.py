"""The `api_key` check: is the key accepted? (`GET /v1/models`)

A restricted key that merely lacks `api.model.read` is a warning: it may still
open Realtime sessions (docs/failures.md F19), so later checks still run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from realtime_check.checks import results
from realtime_check.checks.context import CheckContext
from realtime_check.checks.gates import api_blocker
from realtime_check.models import CheckResult, Finding, Status
from realtime_check.probes.http import HttpExchange, api_url, auth_headers, fetch

CHECK_ID = "api_key"
_MISMATCH = ("mismatched_organization", "mismatched_project")


@dataclass(frozen=True)
class ModelListing:
    """The shared outcome of `GET /v1/models`, used by `api_key` and `models`."""

    exchange: HttpExchange | None
    models: tuple[dict[str, Any], ...] | None  # None: no usable listing
    error: BaseException | None = None


def parse_listing(data: Any) -> tuple[dict[str, Any], ...] | None:
    """The `data` array of a model listing, or None if the shape is wrong."""
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        return None
    items = tuple(m for m in data["data"] if isinstance(m, dict) and isinstance(m.get("id"), str))
    return items if len(items) == len(data["data"]) else None


async def model_listing(ctx: CheckContext) -> ModelListing:
    """GET /v1/models once per run, shared by every check that needs it."""

    async def get() -> ModelListing:
        key = ctx.facts.key_to_send()
        try:
            exchange = await fetch(
                ctx.http,
                "GET",
                api_url(ctx.settings, "models"),
                headers=auth_headers(ctx.settings, key),
                max_bytes=ctx.options.max_body_bytes,
                clock=ctx.clock,
            )
        except Exception as exc:  # noqa: BLE001 - classified by the caller
            return ModelListing(None, None, exc)
        models = None
        if exchange.status == 200 and not exchange.too_large:
            _, data = results.json_body(exchange)
            models = parse_listing(data)
        return ModelListing(exchange, models)

    return await ctx.once("model_listing", get)


async def _isolate_header_mismatch(ctx: CheckContext) -> str | None:
    """Retry without OpenAI-Organization/-Project to tell which header is wrong (F06)."""
    try:
        exchange = await fetch(
            ctx.http,
            "GET",
            api_url(ctx.settings, "models"),
            headers=auth_headers(ctx.settings, ctx.facts.key_to_send(), with_org=False),
            max_bytes=ctx.options.max_body_bytes,
            clock=ctx.clock,
        )
    except Exception:  # noqa: BLE001 - the retry is only a hint
        return None
    if exchange.status == 200:
        sent = [
            name
            for name, value in (
                ("OPENAI_ORG_ID", ctx.settings.organization),
                ("OPENAI_PROJECT_ID", ctx.settings.project),
            )
            if value
        ]
        return (
            "Without the OpenAI-Organization/OpenAI-Project headers the same key is accepted: "
            f"unset {' and '.join(sent)} (a project key already implies them) or set the ids of the key's own org/project."
        )
    return None


async def run(ctx: CheckContext) -> CheckResult:
    blocked = await api_blocker(ctx, needs_standard_key=True)
    if blocked:
        return results.skipped(CHECK_ID, blocked)
    ctx.wait_note(CHECK_ID, "GET /v1/models")
    listing = await model_listing(ctx)
    if listing.error is not None:
        return results.from_exception(
            CHECK_ID,
            "api_key",
            listing.error,
            ctx.redactor,
            what="GET /v1/models",
            key_kind=results.key_kind(ctx.facts.key),
        )
    exchange = listing.exchange
    assert exchange is not None
    verbose = ctx.options.verbose
    if exchange.status != 200 or exchange.too_large:
        result = results.from_exchange_error(
            CHECK_ID,
            "api_key",
            exchange,
            ctx.redactor,
            verbose,
            what="GET /v1/models",
            key_kind=results.key_kind(ctx.facts.key),
            party=results.party_for(ctx.settings, exchange.url),
        )
        if result.error and result.error.code in _MISMATCH and (ctx.settings.organization or ctx.settings.project):
            hint = await _isolate_header_mismatch(ctx)
            if hint:
                from dataclasses import replace

                result = replace(result, advice=(hint, *result.advice))
        return result
    parsed, _ = results.json_body(exchange)
    details = results.body_details(exchange, parsed, verbose, ctx.redactor)
    if listing.models is None:
        finding = Finding(
            diagnosis=results.unusable_body_diagnosis(parsed.kind),
            status=Status.FAIL,
            error=None,
        )
        return results.from_finding(
            CHECK_ID,
            finding,
            f"GET /v1/models answered 200 but not with a model list ({parsed.kind})",
            ctx.redactor,
            duration_ms=exchange.duration_ms,
            http_status=200,
            request_id=exchange.request_id,
            details=details,
        )
    realtime = [m["id"] for m in listing.models if "realtime" in m["id"]]
    details["models_visible"] = len(listing.models)
    org = exchange.headers.get("openai-organization")
    # One line at 80 columns: the organization says more than the counts (a wrong org is a
    # classic; the models check reports the realtime models), so it replaces them when known.
    summary = (
        f"key accepted · org {org}"
        if org
        else f"key accepted · {len(listing.models)} models visible ({len(realtime)} realtime)"
    )
    return CheckResult(
        CHECK_ID,
        Status.PASS,
        ctx.redactor.text(summary),
        duration_ms=exchange.duration_ms,
        http_status=200,
        request_id=exchange.request_id,
        details=ctx.redactor.value(details),
    )
