"""Recoverable races (conversation_already_has_active_response, response_cancel_not_active) never fail a probe."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from check_harness import error_event, make_settings, run_async, session_created, ws_server

from realtime_check.checks.context import RunOptions
from realtime_check.models import Status


def test_response_check_reads_past_a_benign_race_to_response_done() -> None:
    """An active-response race error before response.done is skipped; the completed response passes."""

    async def handler(ws: Any) -> None:
        await ws.send(session_created(model="gpt-realtime-2.1"))
        async for message in ws:
            if json.loads(message).get("type") == "response.create":
                await ws.send(
                    error_event(
                        "conversation_already_has_active_response", "Conversation already has an active response"
                    )
                )
                done = {"status": "completed", "usage": {"total_tokens": 3}, "output": []}
                await ws.send(json.dumps({"type": "response.done", "response": done}))

    async def scenario() -> Any:
        async with ws_server(handler) as server:
            settings = make_settings(ws_base_url=server.ws_base_url, model="gpt-realtime-2.1")
            return await run_async(
                settings, ["config", "websocket", "response"], options=RunOptions(probe_response=True)
            )

    result = asyncio.run(scenario())["response"]
    assert result.status is Status.PASS, result.summary
    assert "error" in result.details["events"]  # seen, and not taken for the verdict
