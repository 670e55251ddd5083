"""The opt-in `response` check: one tiny text response over the `websocket` check's socket.

`session.created` does not prove model access or billing: those surface only in
`response.done` (docs/failures.md F41, F42). This costs a few tokens, hence opt-in.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from realtime_check.checks import results
from realtime_check.checks.api_key import model_listing
from realtime_check.checks.context import CheckContext
from realtime_check.checks.conversation import interrupted, step_timeout, total_tokens, usage_of
from realtime_check.checks.model_choice import chosen_model
from realtime_check.diagnosis import classify
from realtime_check.models import CheckResult, Status
from realtime_check.probes.live_session import LiveSession

CHECK_ID = "response"

PROMPT = "Reply with the single word: ok"
CLIENT_EVENTS = (
    {
        "type": "conversation.item.create",
        "item": {"type": "message", "role": "user", "content": [{"type": "input_text", "text": PROMPT}]},
    },
    # Text only and a tiny output cap: the cheapest response that proves access.
    {"type": "response.create", "response": {"output_modalities": ["text"], "max_output_tokens": 16}},
)


_NOT_ENTITLED = frozenset({"response_model_not_found", "model_project_allowlist"})


async def _listed(ctx: CheckContext) -> bool:
    """Did GET /v1/models list the model this run used? (Only when a selected check fetches it anyway.)"""
    if not ({"api_key", "models"} & ctx.selected):
        return False
    listing = await model_listing(ctx)
    model = (await chosen_model(ctx)).model
    return listing.models is not None and any(m["id"] == model for m in listing.models)


async def run(ctx: CheckContext) -> CheckResult:
    websocket = await ctx.result("websocket")
    conn = ctx.take_live_socket()
    if websocket is None:
        return results.skipped(CHECK_ID, "skipped: needs the websocket check, which was not selected")
    if conn is None:
        return results.skipped(CHECK_ID, "skipped: no open session (see websocket)")
    started = ctx.clock()
    session = LiveSession(conn, ctx.clock)
    ctx.wait_note(CHECK_ID, "response.done")
    try:
        verdict = await session.exchange(CLIENT_EVENTS, {"response.done"}, step_timeout(ctx))
    finally:
        await session.close()
    details: dict[str, Any] = {}
    stopped = interrupted(
        CHECK_ID, verdict, ctx, waiting_for="response.done", session=session, started=started, details=details
    )
    if stopped is not None:
        return stopped
    duration = (ctx.clock() - started) * 1000
    details["events"] = session.events()
    final = verdict.event or {}
    response = final.get("response")
    if not isinstance(response, dict):
        response = {}
    details["response_status"] = response.get("status")
    details["done_ms"] = session.ms_between("sent:response.create", "got:response.done")
    # GA name, and the beta one a gateway may still speak (protocol.md §3.4): whichever came first.
    first_text = session.first_of(("got:response.output_text.delta", "got:response.text.delta"))
    details["first_text_ms"] = session.ms_between("sent:response.create", first_text) if first_text else None
    usage = usage_of(response)
    details["usage"] = usage
    refusal = classify.from_response_done(response)
    if refusal is not None and refusal.diagnosis in _NOT_ENTITLED and await _listed(ctx):
        # Listed, minted and opened, yet refused here: entitlement, not a typo (N4).
        hint = (
            "GET /v1/models lists this model, and the socket opened: a listing is not an entitlement. "
            "Ask for the model to be enabled for the project (see `realtime-check explain model_listed_but_refused`)."
        )
        refusal = replace(refusal, extra_advice=(hint, *refusal.extra_advice))
    if refusal is not None:
        return results.from_finding(
            CHECK_ID,
            refusal,
            f"response.done {response.get('status')} — {results.describe_error(refusal, 'failed')}",
            ctx.redactor,
            duration_ms=duration,
            details=details,
        )
    tokens = total_tokens(usage)
    summary = f"response.done completed in {duration:.0f} ms" + (f" · {tokens} tokens" if tokens is not None else "")
    return CheckResult(CHECK_ID, Status.PASS, summary, duration_ms=duration, details=ctx.redactor.value(details))
