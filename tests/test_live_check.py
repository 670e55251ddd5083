"""The opt-in `live` check (GPT-Live, /v1/live/sessions) against the emulator and a scripted server."""

from __future__ import annotations

import asyncio

import pytest
from check_harness import make_settings, refusal, run_async, ws_server

from realtime_check import settings as settings_mod
from realtime_check.checks import doctor, select
from realtime_check.checks.context import RunOptions
from realtime_check.checks.live import live_url
from realtime_check.emulator.server import Emulator
from realtime_check.models import CheckResult, Status

KEY = "sk-proj-FAKE-LIVE-TEST-0000000000000000000000000"


def _live(scenario: str, live_model: str | None = None) -> CheckResult:
    with Emulator(scenario) as running:
        settings = settings_mod.resolve({"api_key": KEY, "base_url": running.base_url}, {}, {}, None, timeout=10)
        report = doctor.run(settings, RunOptions(live_model=live_model), ["config", "live"])
        paths = [r.path for r in running.requests]
    assert "/v1/live/sessions" in paths  # the GPT-Live socket, not /v1/realtime
    found = report.check("live")
    assert found is not None
    return found


def test_live_session_starts_and_closes_with_its_reason_and_usage() -> None:
    """session.start is answered by session.started, session.close by session.closed, whose reason and usage are kept."""
    result = _live("healthy")
    assert result.status is Status.PASS, result.summary
    assert "gpt-live-1" in result.summary and "client_requested" in result.summary
    assert result.details["usage"]["active_seconds"] == 1


def test_live_refusal_goes_through_the_diagnosis_table() -> None:
    """A project without GPT-Live gets the allowlist diagnosis with the error code and the close 4004."""
    result = _live("live-not-entitled")
    assert (result.status, result.diagnosis) == (Status.FAIL, "model_project_allowlist")
    assert result.error is not None and result.error.code == "model_not_found"
    assert result.close_code == 4004


def test_a_realtime_model_on_the_live_api_is_explained() -> None:
    """--live-model with a Realtime model is refused, and the advice names the GPT-Live model to use."""
    result = _live("healthy", live_model="gpt-realtime-2.1")
    assert (result.status, result.diagnosis) == (Status.FAIL, "live_session_failed")
    assert any("not a GPT-Live model: use gpt-live-1" in line for line in result.advice)


def test_host_without_gpt_live_is_not_served() -> None:
    """A 404 to the /v1/live/sessions upgrade (a gateway that only routes Realtime) is live_not_served."""

    async def never(ws: object) -> None:
        raise AssertionError("the upgrade should have been refused")

    async def scenario() -> CheckResult:
        refuse = lambda conn, request: refusal(404, {"error": {"message": "Not found", "code": None}})  # noqa: E731
        async with ws_server(never, refuse=refuse) as server:
            settings = make_settings(ws_base_url=server.ws_base_url, model="gpt-realtime-2.1")
            outcome = await run_async(settings, ["config", "live"])
            assert server.requests[0].path == "/v1/live/sessions"
            return outcome["live"]

    result = asyncio.run(scenario())
    assert (result.status, result.diagnosis, result.http_status) == (Status.FAIL, "live_not_served", 404)


@pytest.mark.parametrize(
    ("ws_url", "expected"),
    [
        ("wss://api.openai.com/v1/realtime", "wss://api.openai.com/v1/live/sessions"),
        ("wss://eu.api.openai.com/v1/realtime/", "wss://eu.api.openai.com/v1/live/sessions"),
        ("ws://127.0.0.1:8089/v1/realtime?x=1", "ws://127.0.0.1:8089/v1/live/sessions"),
        ("wss://gateway.example/openai/v1", "wss://gateway.example/openai/v1/live/sessions"),
    ],
)
def test_live_url_keeps_host_and_base_and_drops_the_query(ws_url: str, expected: str) -> None:
    """The GPT-Live socket is on the same host and base as the Realtime one, with no query parameters."""
    assert live_url(ws_url) == expected


def test_live_is_opt_in_and_costs_are_declared() -> None:
    """A plain run never starts a GPT-Live session; --live adds it; `checks` marks it as costing."""
    from realtime_check.checks import spec

    assert "live" not in select(None, None, probe_response=False)
    assert "live" in select(None, None, probe_response=False, live=True)
    assert spec("live").costs_tokens and "bills per active minute" in spec("live").proves
