"""A check that ends in a timeout records how long it waited, like every other check."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from check_harness import MODELS_URL, FakeClock, make_settings, mock_client, new_router

from realtime_check.checks import doctor
from realtime_check.checks.context import RunOptions
from realtime_check.checks.runner import Seams, run_checks


def test_timed_out_check_records_how_long_it_waited() -> None:
    """A check still waiting at the deadline reports duration_ms = the time from the run's start (not null)."""
    budget = 0.3
    clock = FakeClock()
    never = asyncio.Event()

    async def hang(request: httpx.Request) -> httpx.Response:
        clock.advance(budget)  # the run's clock reaches the deadline while the request hangs
        await never.wait()
        raise AssertionError("unreachable")

    async def scenario() -> list:
        router = new_router()
        router.get(MODELS_URL).mock(side_effect=hang)
        settings = make_settings(timeout=budget)
        async with mock_client(router) as http:
            seams = Seams(http=http, ws_connect=None, ssl_context=None, clock=clock, sleep=clock.sleep)
            return await run_checks(
                settings, RunOptions(), ["config", "api_key"], doctor.make_redactor(settings), seams=seams
            )

    results = {r.id: r for r in asyncio.run(scenario())}
    timed_out = results["api_key"]
    assert timed_out.diagnosis == "timeout"
    assert timed_out.duration_ms == pytest.approx(budget * 1000)
