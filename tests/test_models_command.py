"""`realtime-check models`: the model matrix against the emulator (in process and as a real CLI run),
its JSON schema, the entitlement trap (listed but refused), the concurrency cap and 429 handling."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from check_harness import (
    MODELS_URL,
    SECRETS_URL,
    TODAY,
    client_ssl_context,
    json_response,
    listing,
    make_settings,
    minted,
    mock_client,
    new_router,
    session_created,
    ws_server,
)
from jsonschema import Draft202012Validator

from realtime_check import settings as settings_mod
from realtime_check.checks import matrix
from realtime_check.checks.runner import Seams
from realtime_check.cli.models_cmd import build_document
from realtime_check.emulator.server import Emulator

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[1] / "realtime_check" / "schema" / "models.schema.json").read_text("utf-8")
)
KEY = "sk-proj-FAKE-MATRIX-TEST-000000000000000000000000"


def _valid(document: dict[str, Any]) -> dict[str, Any]:
    Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(document)
    return document


def _by_id(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m["id"]: m for m in document["models"]}


def _against(scenario: str, wanted: list[str], deep: bool, announced: list[str] | None = None) -> dict[str, Any]:
    with Emulator(scenario) as running:
        settings = settings_mod.resolve({"api_key": KEY, "base_url": running.base_url}, {}, {}, None, timeout=20)

        def announce(text: str) -> None:
            # Said before any token is spent: no socket has been opened yet.
            assert not [r for r in running.requests if r.path.endswith("/realtime")]
            (announced if announced is not None else []).append(text)

        seams = Seams(today=lambda: TODAY)
        return build_document(settings, wanted, deep, announce=announce, seams=seams)


def test_matrix_shows_listed_but_refused_models_at_each_stage() -> None:
    """Against `entitlement`, --deep finds gpt-realtime-2.1 refused only in the response, 2.1-mini at the socket, 2 at minting."""
    announced: list[str] = []
    document = _valid(_against("entitlement", [], deep=True, announced=announced))
    rows = _by_id(document)
    refused_in_response = rows["gpt-realtime-2.1"]
    assert (refused_in_response["mint"]["status"], refused_in_response["socket"]["status"]) == ("ok", "ok")
    assert refused_in_response["response"]["status"] == "refused"
    assert refused_in_response["verdict"] == "listed_but_refused"
    assert rows["gpt-realtime-2.1-mini"]["socket"]["status"] == "refused"
    assert rows["gpt-realtime-2.1-mini"]["verdict"] == "listed_but_refused"
    assert rows["gpt-realtime-2"]["mint"]["detail"] == "HTTP 403 model_not_found"
    assert rows["gpt-realtime-1.5"]["verdict"] == "usable"
    assert document["ok"] and document["exit_code"] == 0
    assert len(announced) == 1 and "1 output token" in announced[0]


def test_matrix_without_deep_cannot_see_the_response_refusal() -> None:
    """Without --deep no response is sent: a model refused only in responses looks usable, as the note warns."""
    document = _valid(_against("entitlement", ["gpt-realtime-2.1"], deep=False))
    row = _by_id(document)["gpt-realtime-2.1"]
    assert row["response"] is None and row["verdict"] == "usable"


def test_matrix_names_shutdown_dates_days_left_and_successors() -> None:
    """Retiring models carry the listed date, the days left on the seam's date, and the successor."""
    document = _valid(_against("healthy", ["gpt-realtime", "whisper-1", "gpt-realtime-2.1"], deep=False))
    rows = _by_id(document)
    assert (rows["gpt-realtime"]["shutdown_date"], rows["gpt-realtime"]["days_left"]) == ("2027-01-20", 51)
    assert rows["gpt-realtime"]["successor"] == "gpt-realtime-2.1"
    assert rows["gpt-realtime"]["verdict"] == "retiring"
    assert (rows["whisper-1"]["kind"], rows["whisper-1"]["days_left"]) == ("transcription", 88)
    assert rows["whisper-1"]["socket"]["detail"] == "session.updated"
    assert rows["gpt-realtime-2.1"]["shutdown_date"] is None and rows["gpt-realtime-2.1"]["verdict"] == "usable"
    assert document["facts_as_of"] == "2026-11-30"


def test_model_the_key_does_not_list_is_probed_when_named() -> None:
    """A model named with --model that the listing lacks is still probed, and shown as not listed."""
    document = _valid(_against("model-missing", ["gpt-realtime-2.1"], deep=False))
    row = _by_id(document)["gpt-realtime-2.1"]
    assert row["listed"] is False
    assert row["socket"]["status"] == "refused" and row["verdict"] == "refused"
    assert document["exit_code"] == 6 and not document["ok"]


def test_rejected_key_gives_a_problem_and_the_auth_exit_code() -> None:
    """An invalid key yields no rows, the diagnosis with its advice, exit 5, and the key nowhere in the document."""
    document = _valid(_against("invalid-key", [], deep=False))
    assert document["models"] == [] and document["exit_code"] == 5
    assert document["problem"]["diagnosis"] == "invalid_api_key" and document["problem"]["advice"]
    assert KEY not in json.dumps(document) and KEY[-12:] not in json.dumps(document)


def _mint_probe_run(router: Any, ids: list[str], timeout: float = 10.0) -> dict[str, Any]:
    async def scenario() -> dict[str, Any]:
        async def greet(ws: Any) -> None:
            await ws.send(session_created(model="gpt-realtime-2.1"))
            await ws.wait_closed()

        async with ws_server(greet) as server:
            settings = make_settings(ws_base_url=server.ws_base_url, timeout=timeout)
            client = mock_client(router)
            seams = Seams(http=client, ssl_context=client_ssl_context(), today=lambda: TODAY)
            try:
                return await asyncio.to_thread(
                    build_document, settings, ids, False, announce=lambda _: None, seams=seams
                )
            finally:
                await client.aclose()

    return asyncio.run(scenario())


def test_a_429_is_waited_out_once_as_the_server_asks() -> None:
    """A 429 with retry-after-ms on minting is retried once after the wait, and the second answer counts."""
    router = new_router()
    router.get(MODELS_URL).mock(return_value=json_response(200, listing("gpt-realtime-2.1")))
    limited = json_response(
        429,
        {"error": {"code": "rate_limit_exceeded", "type": "requests", "message": "Rate limit reached"}},
        headers={"retry-after-ms": "20"},
    )
    mint = router.post(SECRETS_URL).mock(side_effect=[limited, json_response(200, minted(expires_at=time.time() + 60))])
    document = _valid(_mint_probe_run(router, []))
    assert mint.call_count == 2
    assert _by_id(document)["gpt-realtime-2.1"]["mint"]["status"] == "ok"


def test_probes_run_at_most_the_concurrency_cap_at_once() -> None:
    """With twelve models listed, never more than CONCURRENCY mints are in flight together."""
    ids = [f"gpt-realtime-FAKE-{n}" for n in range(12)]
    in_flight, peak = 0, 0

    async def slow_mint(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)  # stays in flight while the others are scheduled
        in_flight -= 1
        return json_response(200, minted(expires_at=time.time() + 60))

    router = new_router()
    router.get(MODELS_URL).mock(return_value=json_response(200, listing(*ids)))
    router.post(SECRETS_URL).mock(side_effect=slow_mint)
    document = _mint_probe_run(router, [])
    assert len(document["models"]) == 12
    assert 1 < peak <= matrix.CONCURRENCY


def test_models_cli_end_to_end_text_and_json() -> None:
    """The real CLI against the emulator: a table on stdout, and with --json one schema-valid document."""
    with Emulator("entitlement") as running:
        env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
        env.update({"OPENAI_API_KEY": KEY, "COLUMNS": "160"})
        base = [sys.executable, "-m", "realtime_check", "models", "--base-url", running.base_url, "--no-dotenv"]
        text = subprocess.run(base, env=env, capture_output=True, text=True, timeout=120)
        as_json = subprocess.run([*base, "--json"], env=env, capture_output=True, text=True, timeout=120)
    assert text.returncode == 0, text.stderr
    assert "gpt-realtime-2.1-mini" in text.stdout and "listed but refused" in text.stdout
    assert "built-in table as of 2026-11-30" in text.stdout
    document = _valid(json.loads(as_json.stdout))
    assert _by_id(document)["gpt-realtime-2"]["verdict"] == "listed_but_refused"
    assert KEY not in text.stdout + as_json.stdout + text.stderr + as_json.stderr


@pytest.mark.parametrize("value", ["0", "-3"])
def test_bad_timeout_is_a_usage_error(value: str) -> None:
    """--timeout must be positive: exit 2 with a message, and with --json still one JSON document."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    proc = subprocess.run(
        [sys.executable, "-m", "realtime_check", "models", "--timeout", value, "--json", "--no-dotenv"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert json.loads(proc.stdout)
