"""`realtime-check relay URL` end to end: the real CLI against the example bridge (tests/example_bridge.py)
with each of its faults, over real loopback sockets, with and without the bridge doctor (--upstream-emulator)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from example_bridge import BRIDGE_KEY, ExampleBridge, Faults

from realtime_check.emulator import Emulator

KEY = "sk-proj-FAKE0000000000000000000000000000000000000000TEST"
# A relay token shaped like nothing the redactor masks by pattern: only registering it can hide it.
RELAY_TOKEN = "rlytok-FAKE-Qz7Rw2Mt9Lb4Nc6Vd8Hf1Jg3Pk5"
SHORT = "3"  # seconds: the budget for runs that must wait for a silent relay
SOCKET_URL = re.compile(r"socket URL\s+(ws://\S+)")


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    return {**env, **(extra or {})}


def relay_cli(*args: str, env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    """Run `realtime-check relay ... --json` in its own process; the result and its one JSON document."""
    proc = subprocess.run(
        [sys.executable, "-m", "realtime_check", "relay", *args, "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(env),
        stdin=subprocess.DEVNULL,
    )
    return proc, json.loads(proc.stdout)


def doctor_cli(bridge: ExampleBridge, *args: str) -> tuple[str, str, dict[str, Any], int]:
    """The bridge doctor as a user runs it: read the emulator's socket URL from stderr, point the bridge at
    it ("restart"), press Enter. Returns stdout, stderr, the JSON document and the exit code.

    The socket URL is the announcement's last line: communicate() reads the pipe itself, so nothing may
    be left in readline's buffer."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "realtime_check", "relay", bridge.url, "--upstream-emulator", "--json", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    assert proc.stderr is not None and proc.stdin is not None
    announced = ""
    while not (found := SOCKET_URL.search(announced)):
        line = proc.stderr.readline()
        assert line, f"the doctor exited before announcing its URLs: {announced!r}"
        announced += line
    bridge.upstream = found.group(1)
    proc.stdin.write("\n")
    proc.stdin.flush()
    out, err = proc.communicate(timeout=60)
    return out, announced + err, json.loads(out), proc.returncode


def relay_result(report: dict[str, Any]) -> dict[str, Any]:
    return next(c for c in report["checks"] if c["id"] == "relay")


@pytest.fixture
def upstream() -> Iterator[Emulator]:
    """The emulator standing in for OpenAI: the bridge's upstream and the direct check's target."""
    with Emulator("healthy") as emulator:
        yield emulator


def direct_args(upstream: Emulator, *extra: str) -> list[str]:
    return ["--api-key", KEY, "--base-url", upstream.base_url, "--no-dotenv", *extra]


def test_a_healthy_bridge_passes_and_says_both_hops_work(upstream: Emulator) -> None:
    """A correct bridge relays session.created; the direct socket works too; exit 0. The client's subprotocols
    are offered as given."""
    with ExampleBridge(upstream.ws_url) as bridge:
        protocols = ["--relay-subprotocol", "realtime", "--relay-subprotocol", "x-app.v1"]
        proc, report = relay_cli(bridge.url, *protocols, *direct_args(upstream))
        offered = list(bridge.offered)
    result = relay_result(report)
    assert offered == ["realtime", "x-app.v1"]
    assert proc.returncode == 0 and result["status"] == "pass", result
    assert result["details"]["hop"] == "none"
    assert "accepts this key and model directly, and so does the relay" in result["summary"]


def test_a_bridge_adding_the_beta_header_is_named_as_the_fault(upstream: Emulator) -> None:
    """The beta refusal came through the relay while the direct socket works: the relay adds OpenAI-Beta."""
    with ExampleBridge(upstream.ws_url, faults=Faults(beta_header=True)) as bridge:
        proc, report = relay_cli(bridge.url, *direct_args(upstream))
    result = relay_result(report)
    assert (result["status"], result["diagnosis"]) == ("fail", "relay_adds_beta_header"), result
    assert result["details"]["hop"] == "relay"
    assert result["advice"][0].endswith("the relay fails: the fault is in the relay.")
    assert proc.returncode == report["exit_code"] == 8


def test_bridge_doctor_sees_the_beta_header_the_bridge_sends_upstream() -> None:
    """With --upstream-emulator the report shows what the bridge sent upstream: the beta header, its key kind, model."""
    with ExampleBridge("ws://127.0.0.1:9/unused", faults=Faults(beta_header=True)) as bridge:
        out, err, report, code = doctor_cli(bridge, "--timeout", "10")
    result = relay_result(report)
    assert (result["diagnosis"], code) == ("relay_adds_beta_header", 8), result
    sent = result["details"]["upstream"][0]
    assert sent["beta_header"] is True and sent["auth"] == "bearer" and sent["model"] == "gpt-realtime"
    assert "base URL" in err and "socket URL" not in out  # the URLs went to stderr, stdout is one document
    assert BRIDGE_KEY not in out + err


def test_bridge_doctor_catches_a_swallowed_upstream_error() -> None:
    """The bridge drops the upstream error and keeps the client waiting: the doctor saw the error upstream."""
    faults = Faults(swallow_errors=True)
    with ExampleBridge("ws://127.0.0.1:9/unused", faults=faults, model="gpt-4o") as bridge:
        _, _, report, code = doctor_cli(bridge, "--timeout", SHORT)
    result = relay_result(report)
    assert (result["status"], result["diagnosis"]) == ("fail", "relay_swallowed_error"), result
    assert result["details"]["upstream"][0]["error_code"] == "invalid_model"
    assert code == 8


def test_bridge_doctor_catches_a_dropped_session_created() -> None:
    """The bridge never forwards the first event: the doctor saw session.created leave upstream."""
    with ExampleBridge("ws://127.0.0.1:9/unused", faults=Faults(drop_first_event=True)) as bridge:
        _, _, report, _ = doctor_cli(bridge, "--timeout", SHORT)
    result = relay_result(report)
    assert (result["status"], result["diagnosis"]) == ("fail", "relay_dropped_session_created"), result
    assert result["details"]["upstream"][0]["first_server_event"] == "session.created"


def test_without_the_doctor_a_silent_relay_is_blamed_on_the_relay(upstream: Emulator) -> None:
    """A relay that sends nothing while the direct socket works is diagnosed relay_silent, hop relay, in budget."""
    with ExampleBridge(upstream.ws_url, faults=Faults(drop_first_event=True)) as bridge:
        _, report = relay_cli(bridge.url, *direct_args(upstream, "--timeout", SHORT))
    result = relay_result(report)
    assert (result["diagnosis"], result["details"]["hop"]) == ("relay_silent", "relay"), result


def test_a_rewritten_close_code_is_caught_by_the_direct_comparison(upstream: Emulator) -> None:
    """Upstream closes 4004 (model not found), the bridge tells the client 1000: relay_close_code_replaced."""
    model = "gpt-realtime-FAKE-missing"
    with ExampleBridge(upstream.ws_url, faults=Faults(rewrite_close=True)) as bridge:
        _, report = relay_cli(f"{bridge.url}?model={model}", *direct_args(upstream, "--model", model))
    result = relay_result(report)
    assert (result["diagnosis"], result["close_code"]) == ("relay_close_code_replaced", 1000), result
    assert "upstream closed with 4004" in result["summary"]
    assert result["details"]["direct"]["diagnosis"] == "ws_model_not_found"


def test_a_passed_through_close_code_is_diagnosed_as_the_upstream_problem(upstream: Emulator) -> None:
    """A correct bridge passes 4004 on: the diagnosis is the model, and the fault is upstream, not the relay."""
    model = "gpt-realtime-FAKE-missing"
    with ExampleBridge(upstream.ws_url) as bridge:
        _, report = relay_cli(f"{bridge.url}?model={model}", *direct_args(upstream, "--model", model))
    result = relay_result(report)
    assert (result["diagnosis"], result["close_code"]) == ("ws_model_not_found", 4004), result
    assert result["details"]["hop"] == "upstream"


def test_relay_refusing_the_client_token_is_an_auth_diagnosis(upstream: Emulator) -> None:
    """Without the token the bridge wants, its own 401 is relay_auth_rejected (not an OpenAI key problem)."""
    with ExampleBridge(upstream.ws_url, token=RELAY_TOKEN) as bridge:
        _, report = relay_cli(bridge.url, *direct_args(upstream))
    result = relay_result(report)
    assert (result["diagnosis"], result["http_status"]) == ("relay_auth_rejected", 401), result


# Names no pattern of the redactor knows (not token=, not Authorization): only registration hides the value.
@pytest.mark.parametrize(("token_in", "name"), [("query", "t"), ("header", "X-Relay-Auth"), ("subprotocol", "")])
def test_relay_token_from_the_environment_is_sent_and_never_shown(upstream: Emulator, token_in: str, name: str) -> None:
    """--relay-token-env VAR sends the token the chosen way; it appears in no output, even with -v."""
    with ExampleBridge(upstream.ws_url, token=RELAY_TOKEN) as bridge:
        proc, report = relay_cli(
            bridge.url,
            "--relay-token-env",
            "MY_RELAY_TOKEN",
            "--relay-token-in",
            token_in,
            "--relay-token-name",
            name,
            "-v",
            *direct_args(upstream),
            env={"MY_RELAY_TOKEN": RELAY_TOKEN},
        )
    assert relay_result(report)["status"] == "pass", relay_result(report)
    assert RELAY_TOKEN not in proc.stdout + proc.stderr
    assert RELAY_TOKEN[-12:] not in proc.stdout + proc.stderr


def test_relay_header_value_is_never_shown(upstream: Emulator) -> None:
    """A --relay-header value is a secret: sent to the relay, shown nowhere (text mode with -v)."""
    with ExampleBridge(upstream.ws_url, token=RELAY_TOKEN) as bridge:
        proc = subprocess.run(
            [sys.executable, "-m", "realtime_check", "relay", bridge.url, "-v", *direct_args(upstream),
             "--relay-header", f"X-Relay-Auth: {RELAY_TOKEN}"],
            capture_output=True, text=True, timeout=60, env=_env(), stdin=subprocess.DEVNULL,
        )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert RELAY_TOKEN not in proc.stdout + proc.stderr


def test_relay_ephemeral_offers_a_minted_secret_the_browser_way(upstream: Emulator) -> None:
    """--relay-ephemeral mints an ek_ and offers it as `realtime` + `openai-insecure-api-key.<ek_>`; never shown."""
    with ExampleBridge(upstream.ws_url) as bridge:
        proc, report = relay_cli(bridge.url, "--relay-ephemeral", "-v", *direct_args(upstream))
        offered = list(bridge.offered)
    assert relay_result(report)["status"] == "pass", relay_result(report)
    secrets = [p.removeprefix("openai-insecure-api-key.") for p in offered if p.startswith("openai-insecure-api-key.")]
    assert "realtime" in offered and secrets and secrets[0].startswith("ek_")
    assert secrets[0] not in proc.stdout + proc.stderr
    assert secrets[0][-12:] not in proc.stdout + proc.stderr


def test_response_round_trip_through_the_relay_and_forwarded_events_upstream() -> None:
    """--response sends a text round trip through the relay; the doctor saw the client's events arrive upstream."""
    with ExampleBridge("ws://127.0.0.1:9/unused") as bridge:
        _, _, report, code = doctor_cli(bridge, "--response", "--timeout", "10")
    result = relay_result(report)
    assert code == 0 and result["status"] == "pass", result
    assert "response.done" in result["details"]["round_trip_events"]
    forwarded = result["details"]["upstream"][0]["client_events"]
    assert forwarded == ["conversation.item.create", "response.create"]


def test_bridge_doctor_reports_a_beta_shaped_session_update() -> None:
    """A bridge sending the beta session shape: the round trip fails on it, and the doctor names the fields."""
    with ExampleBridge("ws://127.0.0.1:9/unused", faults=Faults(beta_session=True)) as bridge:
        _, _, report, _ = doctor_cli(bridge, "--response", "--timeout", "10")
    result = relay_result(report)
    assert (result["status"], result["diagnosis"]) == ("fail", "missing_session_type"), result
    assert result["details"]["upstream"][0]["rejected_session_fields"] == ["type (missing)", "modalities", "voice"]
    assert any("beta shape" in line for line in result["advice"])


def test_bridge_doctor_sees_a_bridge_that_sends_no_credentials_upstream() -> None:
    """The bridge connects upstream without Authorization: the doctor names that, not the 1011 it shows the client."""
    with ExampleBridge("ws://127.0.0.1:9/unused", faults=Faults(no_auth=True)) as bridge:
        _, _, report, _ = doctor_cli(bridge, "--timeout", "10")
    result = relay_result(report)
    assert (result["diagnosis"], result["close_code"]) == ("relay_upstream_no_auth", 1011), result
    assert result["details"]["upstream"][0]["http_status"] == 401


def test_bridge_doctor_sees_client_events_that_never_arrive_upstream() -> None:
    """The session opens through the bridge, but response.create never reaches upstream: relay_events_not_forwarded."""
    with ExampleBridge("ws://127.0.0.1:9/unused", faults=Faults(drop_client_events=True)) as bridge:
        _, _, report, _ = doctor_cli(bridge, "--response", "--timeout", SHORT)
    result = relay_result(report)
    assert (result["status"], result["diagnosis"]) == ("fail", "relay_events_not_forwarded"), result
    assert result["details"]["upstream"][0]["client_events"] == []


@pytest.mark.parametrize(
    ("greeting", "diagnosis"),
    [("connected", "relay_non_json_frame"), ('{"type": "bridge.ready"}', "relay_unexpected_first_event")],
)
def test_a_bridge_speaking_first_is_diagnosed(upstream: Emulator, greeting: str, diagnosis: str) -> None:
    """A bridge that sends its own frame before session.created: non-JSON, or an event of its own."""
    with ExampleBridge(upstream.ws_url, faults=Faults(greeting=greeting)) as bridge:
        _, report = relay_cli(bridge.url, *direct_args(upstream))
    result = relay_result(report)
    assert (result["diagnosis"], result["details"]["hop"]) == (diagnosis, "relay"), result


def test_a_wrong_relay_path_is_a_refused_upgrade(upstream: Emulator) -> None:
    """The bridge has no route at the path asked for: its own 404 is relay_upgrade_refused."""
    with ExampleBridge(upstream.ws_url) as bridge:
        _, report = relay_cli(bridge.url.replace("/realtime", "/wrong"), *direct_args(upstream))
    result = relay_result(report)
    assert (result["diagnosis"], result["http_status"]) == ("relay_upgrade_refused", 404), result


def test_a_bridge_that_gives_up_with_1000_is_blamed_while_the_direct_socket_works(upstream: Emulator) -> None:
    """The bridge cannot reach its upstream and closes the client with 1000; OpenAI works directly: relay_closed_early."""
    faults = Faults(rewrite_close=True)
    with ExampleBridge("ws://127.0.0.1:9/unreachable", faults=faults) as bridge:
        _, report = relay_cli(bridge.url, *direct_args(upstream))
    result = relay_result(report)
    assert (result["diagnosis"], result["close_code"]) == ("relay_closed_early", 1000), result


def test_bridge_doctor_warns_when_the_bridge_never_connects_to_it(upstream: Emulator) -> None:
    """The bridge still points elsewhere: the relay works, but the doctor warns it saw no upstream socket."""
    with ExampleBridge(upstream.ws_url) as bridge:
        proc = subprocess.run(
            [sys.executable, "-m", "realtime_check", "relay", bridge.url, "--upstream-emulator", "--no-wait", "--json"],
            capture_output=True, text=True, timeout=60, env=_env(), stdin=subprocess.DEVNULL,
        )  # fmt: skip
    result = relay_result(json.loads(proc.stdout))
    assert (result["status"], result["diagnosis"]) == ("warn", "relay_no_upstream_connection"), result
    assert proc.returncode == 0


def test_unreachable_relay_is_a_network_diagnosis_not_a_traceback() -> None:
    """Nothing listens on the relay's port: a network diagnosis, in budget, no traceback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, never listening: connections are refused
        proc, report = relay_cli(f"ws://127.0.0.1:{port}/realtime", "--no-dotenv")
    result = relay_result(report)
    assert result["status"] == "fail" and result["diagnosis"] == "tcp_refused", result
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["http://localhost:8081/realtime"],
        ["ws://localhost:8081/realtime", "--relay-header", "no colon here"],
        ["ws://localhost:8081/realtime", "--relay-token-env", "UNSET_FAKE_VARIABLE"],
        ["ws://localhost:8081/realtime", "--relay-token-env", "HOME", "--relay-token-in", "cookie"],
    ],
)
def test_bad_relay_input_is_a_usage_error_with_one_json_document(args: list[str]) -> None:
    """A non-ws URL, a malformed header, an unset token variable or a bad token place: exit 2, one document."""
    proc, report = relay_cli(*args, "--no-dotenv")
    assert proc.returncode == report["exit_code"] == 2
    assert "Traceback" not in proc.stderr
