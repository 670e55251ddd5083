"""The opt-in `response` check: one tiny text response over the `websocket` check's socket.

`session.created` does not prove model access or billing: those surface only in
`response.done` (failures.md F41, F42). This costs a few tokens, hence opt-in.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from realtime_check.checks import results
from realtime_check.checks.context import CheckContext
from realtime_check.diagnosis import classify
from realtime_check.models import CheckResult, Finding, Status
from realtime_check.probes.websocket import close_quietly

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


async def _until_done(conn: Any, seen: list[str]) -> dict[str, Any]:
    """Read events until response.done or a fatal error event; returns that event."""
    while True:
        frame = await conn.recv()
        if isinstance(frame, bytes):
            raise ValueError("binary frame during the response")
        event = json.loads(frame)
        if not isinstance(event, dict):
            raise ValueError("non-object JSON frame during the response")
        kind = event.get("type")
        seen.append(str(kind))
        if kind in ("response.done", "error"):
            return event


async def run(ctx: CheckContext) -> CheckResult:
    websocket = await ctx.result("websocket")
    conn = ctx.take_live_socket()
    if websocket is None:
        return results.skipped(CHECK_ID, "skipped: needs the websocket check, which was not selected")
    if conn is None:
        return results.skipped(CHECK_ID, "skipped: no open session (see websocket)")
    from websockets.exceptions import ConnectionClosed

    started = ctx.clock()
    seen: list[str] = []
    ctx.wait_note(CHECK_ID, "response.done")
    try:
        try:
            # The server may close between session.created and our first send: that
            # close is the verdict too, so the sends share the close handling below.
            for event in CLIENT_EVENTS:
                await conn.send(json.dumps(event))
            final = await asyncio.wait_for(_until_done(conn, seen), timeout=max(ctx.remaining(), 0.001))
        except ConnectionClosed as exc:
            close = exc.rcvd
            code = close.code if close else 1006
            reason = close.reason if close else ""
            finding = classify.from_close(code, reason, None)
            return results.from_finding(
                CHECK_ID,
                finding,
                f"socket closed during the response: {code} {reason}".rstrip(),
                ctx.redactor,
                duration_ms=(ctx.clock() - started) * 1000,
                close_code=code,
                close_reason=reason,
                details={"events": seen},
            )
        except (ValueError, json.JSONDecodeError):
            finding = Finding(diagnosis="ws_non_json_frame", status=Status.FAIL, error=None)
            return results.from_finding(
                CHECK_ID,
                finding,
                "the server sent a frame that is not a JSON event during the response",
                ctx.redactor,
                duration_ms=(ctx.clock() - started) * 1000,
                details={"events": seen},
            )
    finally:
        await close_quietly(conn)
    duration = (ctx.clock() - started) * 1000
    details: dict[str, Any] = {"events": seen}
    if final.get("type") == "error":
        finding = classify.from_error_event(final)
        return results.from_finding(
            CHECK_ID,
            finding,
            f"error event instead of a response — {results.describe_error(finding, 'error')}",
            ctx.redactor,
            duration_ms=duration,
            details=details,
        )
    response = final.get("response")
    if not isinstance(response, dict):
        response = {}
    details["response_status"] = response.get("status")
    usage = response.get("usage")
    if not isinstance(usage, dict):
        usage = {}
    details["usage"] = usage
    refusal = classify.from_response_done(response)
    if refusal is not None:
        return results.from_finding(
            CHECK_ID,
            refusal,
            f"response.done {response.get('status')} — {results.describe_error(refusal, 'failed')}",
            ctx.redactor,
            duration_ms=duration,
            details=details,
        )
    tokens = usage.get("total_tokens")
    summary = f"response.done completed in {duration:.0f} ms" + (f" · {tokens} tokens" if tokens is not None else "")
    return CheckResult(CHECK_ID, Status.PASS, summary, duration_ms=duration, details=ctx.redactor.value(details))
