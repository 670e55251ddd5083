"""The `session` check: mint an ephemeral client secret (`POST /v1/realtime/client_secrets`).

This is the browser path's first step. The secret's value is registered with the
redactor the moment it is read and is never shown; only its kind and lifetime are.
"""

from __future__ import annotations

import email.utils
import math
import time
from typing import Any, TypeGuard

from realtime_check.checks import results
from realtime_check.checks.context import CheckContext
from realtime_check.checks.gates import api_blocker
from realtime_check.checks.model_choice import chosen_model
from realtime_check.models import CheckResult, Finding, Status
from realtime_check.probes.http import api_url, auth_headers, fetch

CHECK_ID = "session"
# Year 5138: any expiry past it is not a timestamp but a server's mistake or mischief.
_MAX_UNIX_SECONDS = 10**11


def request_body(model: str, ttl_seconds: int) -> dict[str, Any]:
    """The GA minting body (protocol.md §2.1); a short expiry, since the probe throws it away."""
    return {
        "expires_after": {"anchor": "created_at", "seconds": ttl_seconds},
        "session": {"type": "realtime", "model": model},
    }


def server_time(date_header: str | None) -> float | None:
    if not date_header:
        return None
    try:
        return email.utils.parsedate_to_datetime(date_header).timestamp()
    except (TypeError, ValueError, IndexError):
        return None


def usable_expiry(value: Any) -> TypeGuard[float]:
    """expires_at must be finite Unix seconds: JSON also allows 1e400 (inf), NaN and booleans.

    A TypeGuard, so that past this test the checker knows expires_at is a number (int or float).
    """
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    # Range first: an integer of thousands of digits cannot even be turned into a float.
    return -_MAX_UNIX_SECONDS < value < _MAX_UNIX_SECONDS and math.isfinite(value)


async def run(ctx: CheckContext) -> CheckResult:
    blocked = await api_blocker(ctx, needs_standard_key=True)
    if blocked:
        return results.skipped(CHECK_ID, blocked)
    what = "POST /v1/realtime/client_secrets"
    ctx.wait_note(CHECK_ID, "GET /v1/models (to choose the model)")
    model = (await chosen_model(ctx)).model
    ctx.wait_note(CHECK_ID, what)
    try:
        exchange = await fetch(
            ctx.http,
            "POST",
            api_url(ctx.settings, "realtime/client_secrets"),
            headers=auth_headers(ctx.settings, ctx.facts.key_to_send()),
            json=request_body(model, ctx.options.ephemeral_ttl_seconds),
            max_bytes=ctx.options.max_body_bytes,
            clock=ctx.clock,
        )
    except Exception as exc:  # noqa: BLE001
        return results.from_exception(
            CHECK_ID, "session", exc, ctx.redactor, what=what, key_kind=results.key_kind(ctx.facts.key)
        )
    if exchange.status != 200 or exchange.too_large:
        return results.from_exchange_error(
            CHECK_ID,
            "session",
            exchange,
            ctx.redactor,
            ctx.options.verbose,
            what=what,
            key_kind=results.key_kind(ctx.facts.key),
            party=results.party_for(ctx.settings, exchange.url),
        )

    parsed, data = results.json_body(exchange)
    secret = data.get("value") if isinstance(data, dict) else None
    if isinstance(secret, str):
        ctx.redactor.add(secret)  # before anything else can print it
    details = results.body_details(exchange, parsed, ctx.options.verbose, ctx.redactor)
    expires_at = data.get("expires_at") if isinstance(data, dict) else None
    if not isinstance(secret, str) or not secret or not usable_expiry(expires_at):
        finding = Finding(diagnosis=results.unusable_body_diagnosis(parsed.kind), status=Status.FAIL, error=None)
        return results.from_finding(
            CHECK_ID,
            finding,
            f"{what} answered 200 without a usable `value`/`expires_at` ({parsed.kind})",
            ctx.redactor,
            duration_ms=exchange.duration_ms,
            http_status=200,
            request_id=exchange.request_id,
            details=details,
        )

    now_server = server_time(exchange.headers.get("date"))
    now_local = time.time()
    reference = now_server if now_server is not None else now_local
    lifetime = float(expires_at) - reference
    session = data.get("session") if isinstance(data.get("session"), dict) else {}
    details.update(
        {
            "secret_kind": "ephemeral (ek_)" if secret.startswith("ek_") else "unrecognised prefix",
            "expires_at": int(expires_at),
            "lifetime_seconds": round(lifetime, 1),
            "clock_offset_seconds": round(now_local - now_server, 1) if now_server is not None else None,
            "session_id": session.get("id"),
            "session_model": session.get("model"),
        }
    )
    if lifetime <= 0:
        finding = Finding(diagnosis="ephemeral_expired", status=Status.FAIL, error=None)
        return results.from_finding(
            CHECK_ID,
            finding,
            f"minted a secret that had already expired ({-lifetime:.0f} s ago by the server's clock)",
            ctx.redactor,
            duration_ms=exchange.duration_ms,
            http_status=200,
            request_id=exchange.request_id,
            details=details,
        )
    ctx.facts.ephemeral_secret = secret
    kind = "an ephemeral secret (ek_…)" if secret.startswith("ek_") else "a secret with an unusual prefix"
    summary = f"minted {kind}, valid {lifetime:.0f} s"
    offset = details["clock_offset_seconds"]
    if offset is not None and abs(offset) >= 30:
        summary += f" · local clock is {offset:+.0f} s off the server's"
    status = Status.PASS if secret.startswith("ek_") else Status.WARN
    return CheckResult(
        CHECK_ID,
        status,
        ctx.redactor.text(summary),
        duration_ms=exchange.duration_ms,
        http_status=200,
        request_id=exchange.request_id,
        details=ctx.redactor.value(details),
    )
