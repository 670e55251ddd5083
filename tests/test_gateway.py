"""Gateways: an answer with none of OpenAI's headers is the gateway's, the advice is about the gateway,
a gateway-minted secret that no browser can send is a diagnosis, and --ws-base-url is honoured.

The gateway answers are the ones recorded from a LiteLLM 1.108 proxy in front of the emulator (issue 13),
replayed by the emulator's gateway scenarios; LiteLLM itself is not installed here (see README, Gateways).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from realtime_check.diagnosis.answered_by import Party, classify_http, gateway_evidence
from realtime_check.diagnosis.bodies import parse_error_body
from realtime_check.emulator import Emulator

NO_DB = b'{"error":{"message":"No connected db.","type":"no_db_connection","param":"None","code":"400"}}'
LITELLM_HEADERS = {"server": "uvicorn", "x-litellm-version": "1.108.0", "content-type": "application/json"}
# What the pre-gateway advice said to LiteLLM's answers (issue 13): none of it is about the gateway.
OFF_TARGET = ("beta", "egress", "country", "session shape")


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "AZURE_OPENAI_"))}
    return subprocess.run(
        [sys.executable, "-m", "realtime_check", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def checks_of(proc: subprocess.CompletedProcess[str]) -> dict[str, dict]:
    return {c["id"]: c for c in json.loads(proc.stdout)["checks"]}


def test_unknown_key_at_a_gateway_is_the_gateways_answer() -> None:
    """LiteLLM's 400 'No connected db.' and 403 at the upgrade are blamed on the gateway, quoting it, evidence shown."""
    proc = run_cli("demo", "--scenario", "gateway-unknown-key", "--json")
    checks = checks_of(proc)
    rest, socket = checks["api_key"], checks["websocket"]
    assert (rest["diagnosis"], socket["diagnosis"]) == ("gateway_request_rejected", "gateway_auth_rejected")
    assert "No connected db." in rest["summary"]
    assert "Invalid proxy server token passed" in socket["summary"]
    for result in (rest, socket):
        advice = " ".join(result["advice"])
        assert "not from OpenAI" in advice and "server: uvicorn" in advice and "x-litellm-version: 1.108.0" in advice
        assert not any(word in advice.lower() for word in OFF_TARGET), advice
    assert proc.returncode != 0


def test_gateway_minted_secret_is_a_diagnosis_not_an_internal_error() -> None:
    """A 304-character secret with '=' fails websocket_ephemeral as 'the browser path cannot work', never a crash."""
    proc = run_cli("demo", "--scenario", "gateway-wrapped-secret", "--json")
    checks = checks_of(proc)
    browser = checks["websocket_ephemeral"]
    assert (browser["status"], browser["diagnosis"]) == ("fail", "gateway_secret_not_subprotocol_safe")
    assert "'='" in browser["summary"] and "304 characters" in browser["summary"]
    assert "browser path" in browser["summary"]
    assert checks["websocket"]["status"] == "pass"  # the server path through the gateway works
    assert json.loads(proc.stdout)["exit_code"] == proc.returncode == 3  # configuration, not internal (1)


@pytest.mark.parametrize(
    ("status", "generic", "expected"),
    [
        (400, "bad_request", "gateway_request_rejected"),
        (401, "unauthorized", "gateway_auth_rejected"),
        (403, "forbidden", "gateway_auth_rejected"),
        (502, "server_error", "gateway_server_error"),
    ],
)
def test_bare_statuses_from_a_gateway_name_the_gateway(status: int, generic: str, expected: str) -> None:
    """A gateway's own error (no OpenAI headers) gets gateway advice; the same answer from OpenAI stays generic."""
    body = parse_error_body(NO_DB, "application/json")
    gateway = Party("https://llm.example.com/v1/models")
    assert classify_http("api_key", status, body, LITELLM_HEADERS, key_kind=None, party=gateway).diagnosis == expected
    openai = {**LITELLM_HEADERS, "x-request-id": "req_FAKE0000"}
    assert classify_http("api_key", status, body, openai, key_kind=None, party=gateway).diagnosis == generic


def test_openai_errors_relayed_by_a_gateway_keep_their_diagnosis_and_name_the_gateway() -> None:
    """An OpenAI error code passed through by a gateway keeps its diagnosis, plus a line saying who answered."""
    body = parse_error_body(
        b'{"error":{"message":"Incorrect API key provided: sk-...0000.","code":"invalid_api_key"}}', "application/json"
    )
    finding = classify_http(
        "api_key", 401, body, LITELLM_HEADERS, key_kind=None, party=Party("http://127.0.0.1:4000/v1/models")
    )
    assert finding.diagnosis == "invalid_api_key"
    assert "came from 127.0.0.1:4000 itself" in finding.extra_advice[0]


@pytest.mark.parametrize(
    ("host", "headers", "blamed"),
    [
        ("llm.example.com", {"server": "uvicorn"}, True),
        ("llm.example.com", {}, True),
        ("llm.example.com", {"x-request-id": "req_1", "server": "uvicorn"}, False),
        ("llm.example.com", {"openai-version": "2020-10-01"}, False),
        ("api.openai.com", {}, False),
        ("api.openai.com", {"server": "cloudflare"}, False),
        ("api.openai.com", {"via": "1.1 corp-proxy"}, True),
        ("eu.api.openai.com", {"server": "squid/6.9"}, True),
    ],
)
def test_gateway_evidence(host: str, headers: dict[str, str], blamed: bool) -> None:
    """Without OpenAI's headers another host is blamed; OpenAI's own name needs a telling via/server header."""
    assert (gateway_evidence(host, headers) is not None) is blamed


def test_header_values_quoted_as_evidence_are_made_safe() -> None:
    """A hostile server header (escape sequences, CI workflow commands, a flood) is cleaned and cut short."""
    evil = "\x1b[31mnginx\x1b[0m\n::set-output name=x::y" + "A" * 500
    evidence = gateway_evidence("gw.example.com", {"server": evil})
    assert evidence is not None
    shown = " ".join(evidence)
    assert "\x1b" not in shown and "\n" not in shown and len(shown) < 200


def test_every_check_honours_the_websocket_base_url() -> None:
    """With --ws-base-url both socket checks go to the socket host; REST and minting stay on the REST host."""
    with Emulator("healthy") as rest, Emulator("healthy") as sockets:
        proc = run_cli(
            "run",
            "--base-url",
            rest.base_url,
            "--ws-base-url",
            sockets.base_url,
            "--api-key",
            "sk-proj-FAKE0000000000000000000000000000000000",
            "--no-dotenv",
            "--response",
            "--json",
        )
        rest_paths = {r.path for r in rest.requests.snapshot()}
        socket_requests = sockets.requests.snapshot()
    assert "/v1/realtime" not in rest_paths and "/v1/realtime/client_secrets" in rest_paths
    assert {r.path for r in socket_requests} == {"/v1/realtime"}
    assert len(socket_requests) == 2  # the key's socket and the browser-style one
    checks = checks_of(proc)
    assert checks["websocket"]["status"] == "pass"
    assert checks["websocket"]["details"]["url"].startswith(sockets.base_url.replace("http", "ws", 1))
    # The secret minted by the REST host is unknown to this second emulator: proof it went there.
    assert checks["websocket_ephemeral"]["details"]["url"].startswith(sockets.base_url.replace("http", "ws", 1))


@pytest.mark.parametrize(("status", "expected"), [(400, "gateway_request_rejected"), (403, "gateway_auth_rejected")])
def test_webrtc_refusals_from_a_gateway_name_the_gateway(status: int, expected: str) -> None:
    """The WebRTC check's own classifier, re-read by `attribute`: a gateway's refusal of /realtime/calls is the gateway's."""
    from realtime_check.diagnosis.answered_by import attribute
    from realtime_check.diagnosis.webrtc import from_calls

    body = parse_error_body(NO_DB, "application/json")
    finding = from_calls(status, body, LITELLM_HEADERS, key_kind=None)
    party = Party("http://127.0.0.1:4000/v1/realtime/calls")
    assert attribute(finding, status, LITELLM_HEADERS, party).diagnosis == expected
    relayed = {**LITELLM_HEADERS, "x-request-id": "req_FAKE0000"}
    assert attribute(finding, status, relayed, party) == finding
