"""The runner: crashes become results, one deadline bounds the run, checks run concurrently, results keep report order."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from check_harness import (
    FAKE_KEY,
    HEALTHY_IDS,
    MODELS_URL,
    SECRETS_URL,
    FakeClock,
    RecordingConnect,
    assert_secret_hidden,
    blocked_until,
    client_ssl_context,
    json_response,
    listing,
    make_settings,
    minted,
    mock_client,
    new_router,
    report_order,
    run,
    run_async,
    session_created,
    shown_text,
    ws_server,
)

from realtime_check import checks
from realtime_check.checks import CHECK_IDS, doctor
from realtime_check.checks.context import RunOptions
from realtime_check.checks.runner import Seams
from realtime_check.exit_codes import ExitCode
from realtime_check.models import CheckResult, Status
from realtime_check.network_facts import NetworkProbe

# With a model configured no check waits for the model listing to choose one (see test_model_ladder.py).
CONFIGURED = "gpt-realtime-2.1"

# --- a check that crashes ---------------------------------------------------------------------------------


class ExplodingConnection:
    """A socket that greets correctly, then fails inside the library on send: a bug, not the API's fault."""

    response = None

    async def recv(self) -> str:
        return session_created()

    async def send(self, message: str) -> None:
        raise RuntimeError(f"codec bug while sending for Bearer {FAKE_KEY}")

    async def close(self) -> None:
        return None


def exploding_connect(url: str, **kwargs: Any) -> Any:
    async def opened() -> ExplodingConnection:
        return ExplodingConnection()

    return opened()


@pytest.mark.parametrize("verbose", [False, True])
def test_crashing_check_becomes_an_error_result_with_exit_code_1(verbose: bool) -> None:
    """A check that raises is reported as `error` / internal_error with exit code 1, no traceback in its summary and the key redacted."""
    settings = make_settings(model="gpt-realtime")
    client = mock_client(new_router())
    seams = Seams(http=client, ws_connect=exploding_connect, ssl_context=client_ssl_context())
    try:
        report = doctor.run(settings, RunOptions(verbose=verbose), ["config", "websocket", "response"], seams=seams)
    finally:
        asyncio.run(client.aclose())
    crashed = report.check("response")
    assert crashed is not None
    assert crashed.status is Status.ERROR
    assert crashed.diagnosis == "internal_error"
    assert "RuntimeError" in crashed.summary
    assert "Traceback" not in crashed.summary and "\n" not in crashed.summary
    assert report.exit_code == ExitCode.INTERNAL == 1
    assert not report.ok
    assert report.check("websocket").status is Status.PASS  # the crash stays in its own check
    assert ("traceback" in crashed.details) is verbose  # the traceback is only for -v, and redacted there
    assert_secret_hidden(report.checks, FAKE_KEY)


# --- one deadline for the whole run -------------------------------------------------------------------------


def test_deadline_reports_what_each_check_waited_for_and_ends_the_run_at_the_budget() -> None:
    """At the deadline a check stuck on the network is a `timeout` naming what it waited for, a dependent never started is skipped as not reached, and the run ends exactly when the budget is spent on its clock."""
    budget = 5.0
    never = asyncio.Event()  # never set: the transport never answers

    async def scenario() -> Any:
        both_sent = asyncio.Event()
        sent: list[str] = []

        def stuck(response: Any) -> Any:
            hang = blocked_until(never, response)

            async def answer(request: Any) -> Any:
                sent.append(request.url.path)
                if len(sent) == 2:
                    both_sent.set()
                return await hang(request)

            return answer

        router = new_router()
        router.get(MODELS_URL).mock(side_effect=stuck(json_response(200, listing(*HEALTHY_IDS))))
        router.post(SECRETS_URL).mock(side_effect=stuck(json_response(200, minted(expires_at=time.time() + 60))))
        clock = FakeClock()
        running = asyncio.ensure_future(
            run_async(
                make_settings(timeout=budget, model=CONFIGURED),
                ["config", "api_key", "models", "session", "websocket_ephemeral"],
                router=router,
                clock=clock,
            )
        )
        await both_sent.wait()
        clock.advance(budget - 0.01)
        assert clock.sleeping and not running.done(), "the run gave up before its budget was spent"
        clock.advance(0.01)
        assert not clock.sleeping, "the run's deadline is later than its budget"
        return await running

    outcome = asyncio.run(scenario())
    assert outcome["config"].status is Status.PASS
    for check_id, waited_for in (("api_key", "GET /v1/models"), ("session", "POST /v1/realtime/client_secrets")):
        result = outcome[check_id]
        assert result.status is Status.FAIL
        assert result.diagnosis == "timeout"
        assert f"while waiting for {waited_for}" in result.summary
        assert result.details["waiting_for"] == waited_for
    dependent = outcome["websocket_ephemeral"]
    assert dependent.status is Status.SKIP
    assert dependent.summary.startswith("not reached")


# --- concurrency --------------------------------------------------------------------------------------------


def test_socket_check_does_not_wait_for_the_model_listing() -> None:
    """With GET /v1/models held until the websocket check has finished, the run still completes: the socket check runs alongside."""
    websocket_done = asyncio.Event()

    def on_result(result: CheckResult) -> None:
        if result.id == "websocket":
            websocket_done.set()

    async def handler(ws: Any) -> None:
        await ws.send(session_created(model=CONFIGURED))
        await ws.wait_closed()

    async def scenario() -> Any:
        router = new_router()
        router.get(MODELS_URL).mock(
            side_effect=blocked_until(websocket_done, json_response(200, listing(*HEALTHY_IDS)))
        )
        async with ws_server(handler) as server:
            settings = make_settings(ws_base_url=server.ws_base_url, timeout=3.0, model=CONFIGURED)
            return await run_async(
                settings, ["config", "api_key", "models", "websocket"], router=router, on_result=on_result
            )

    outcome = asyncio.run(scenario())
    assert [r.status for r in outcome.results] == [Status.PASS] * 4, [(r.id, r.summary) for r in outcome.results]
    assert outcome.finished.index("websocket") < outcome.finished.index("api_key")


def test_model_listing_is_fetched_once_for_api_key_and_models() -> None:
    """api_key and models share one GET /v1/models per run."""
    router = new_router()
    route = router.get(MODELS_URL).mock(return_value=json_response(200, listing(*HEALTHY_IDS)))
    outcome = run(make_settings(), ["config", "api_key", "models"], router=router)
    assert outcome["api_key"].status is Status.PASS and outcome["models"].status is Status.PASS
    assert route.call_count == 1


def test_results_come_back_in_report_order_whatever_order_they_finish() -> None:
    """Results are returned in report order even when the first API check finishes last."""
    others_done = asyncio.Event()
    pending = {"session", "websocket"}

    def on_result(result: CheckResult) -> None:
        pending.discard(result.id)
        if not pending:
            others_done.set()

    async def handler(ws: Any) -> None:
        await ws.send(session_created(model=CONFIGURED))
        await ws.wait_closed()

    async def scenario() -> Any:
        router = new_router()
        router.get(MODELS_URL).mock(side_effect=blocked_until(others_done, json_response(200, listing(*HEALTHY_IDS))))
        router.post(SECRETS_URL).mock(return_value=json_response(200, minted(expires_at=time.time() + 60)))
        async with ws_server(handler) as server:
            settings = make_settings(ws_base_url=server.ws_base_url, timeout=3.0, model=CONFIGURED)
            selected = ["websocket", "session", "models", "api_key", "config"]  # any order in, report order out
            return await run_async(settings, selected, router=router, on_result=on_result)

    outcome = asyncio.run(scenario())
    expected = ["config", "api_key", "models", "session", "websocket"]
    assert outcome.ids == expected == report_order(expected)
    assert outcome.finished != expected  # they really did finish in another order
    assert sorted(outcome.finished) == sorted(expected)  # each reported once as it finished
    assert all(r.status is Status.PASS for r in outcome.results)


def test_no_check_waits_for_the_network_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every API check and both sockets finish while the network probe is still running: it gates nothing on a healthy run."""
    from realtime_check.checks import network

    api_checks = {"api_key", "models", "session", "websocket", "websocket_ephemeral"}
    others_done = asyncio.Event()

    async def slow_probe(url: str, *args: Any, **kwargs: Any) -> NetworkProbe:
        await others_done.wait()  # the probe finishes only once everything else has
        return NetworkProbe(url=url, host="api.openai.com", port=443, tls_expected=True)

    monkeypatch.setattr(network, "probe_network", slow_probe)

    def on_result(result: CheckResult) -> None:
        api_checks.discard(result.id)
        if not api_checks:
            others_done.set()

    async def handler(ws: Any) -> None:
        await ws.send(session_created(model=CONFIGURED))
        await ws.wait_closed()

    async def scenario() -> Any:
        router = new_router()
        router.get(MODELS_URL).mock(return_value=json_response(200, listing(*HEALTHY_IDS)))
        router.post(SECRETS_URL).mock(return_value=json_response(200, minted(expires_at=time.time() + 60)))
        async with ws_server(handler) as server:
            settings = make_settings(ws_base_url=server.ws_base_url, timeout=5.0, model=CONFIGURED)
            selected = checks.select(None, None, probe_response=False)
            return await run_async(settings, selected, router=router, on_result=on_result)

    outcome = asyncio.run(scenario())
    assert [(r.id, r.status) for r in outcome.results] == [(r.id, Status.PASS) for r in outcome.results]
    assert outcome.finished[-1] == "network"


# --- selection ----------------------------------------------------------------------------------------------


def test_default_selection_is_every_default_check_without_the_paid_one() -> None:
    """With no flags every default check runs; the opt-in ones (response, deep, legacy, webrtc) do not; each flag
    adds its own; `relay` runs only under the relay command."""
    defaults = [c.id for c in checks.CHECKS if c.default]
    assert checks.select(None, None, probe_response=False) == defaults
    assert not {"response", "audio", "legacy_beta", "webrtc", "relay"} & set(defaults)
    assert checks.select(None, None, probe_response=True) == [*defaults, "response"]
    assert checks.select(None, None, probe_response=False, webrtc=True) == [*defaults, "webrtc"]


def test_only_runs_the_named_checks_in_report_order() -> None:
    """--only keeps just the named checks, in report order; an opt-in check named directly brings the socket it uses."""
    assert checks.select(["websocket", "api_key"], None, probe_response=False) == ["api_key", "websocket"]
    assert checks.select(["response"], None, probe_response=False) == ["websocket", "response"]


def test_skip_removes_checks_and_combines_with_only() -> None:
    """--skip drops the named checks from the default set or from --only."""
    assert "network" not in checks.select(None, ["network"], probe_response=False)
    assert checks.select(["api_key", "models", "session"], ["models"], probe_response=False) == ["api_key", "session"]


def test_unknown_check_ids_are_refused_naming_the_valid_ones() -> None:
    """An unknown id in --only or --skip raises ValueError naming it and listing the valid ids."""
    with pytest.raises(ValueError) as only_error:
        checks.select(["websockets"], None, probe_response=False)
    assert "websockets" in str(only_error.value)
    assert all(c in str(only_error.value) for c in CHECK_IDS)
    with pytest.raises(ValueError, match="nope"):
        checks.select(None, ["nope"], probe_response=False)


# --- the network gate ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def refused_port() -> Iterator[int]:
    """A loopback port that refuses connections: bound (so nobody else takes it) but not listening."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]
    finally:
        sock.close()


def test_unreachable_api_host_skips_api_checks_instead_of_failing_them() -> None:
    """When the network check finds the API host refusing connections, the API checks read "see network" instead of repeating its failure."""
    selected = checks.select(None, None, probe_response=False)
    router = new_router()
    ws_connect = RecordingConnect()
    with refused_port() as port:
        outcome = run(
            make_settings(base_url=f"http://127.0.0.1:{port}/v1"), selected, router=router, ws_connect=ws_connect
        )
    network = outcome["network"]
    assert network.status is Status.FAIL
    assert network.diagnosis == "tcp_refused"
    for check_id in ("api_key", "models", "session", "websocket", "websocket_ephemeral"):
        result = outcome[check_id]
        assert result.status is Status.SKIP, (check_id, result.summary)
        assert "unreachable (see network)" in result.summary
    assert "Traceback" not in shown_text(network)
