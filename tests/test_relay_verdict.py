"""The relay check's pure parts: the verdict (symptom, hop, doctor) and the request built from the relay flags."""

from __future__ import annotations

import json

import pytest

from realtime_check.checks.context import UpstreamSocket
from realtime_check.checks.relay_verdict import judge
from realtime_check.models import CheckResult, Status
from realtime_check.probes import websocket as wsprobe

DIRECT_OK = CheckResult("websocket", Status.PASS, "session.created")
DIRECT_4004 = CheckResult("websocket", Status.FAIL, "closed", close_code=4004, diagnosis="ws_model_not_found")


def upstream_socket(**changes: object) -> UpstreamSocket:
    base: dict[str, object] = {
        "beta_header": False,
        "auth": "bearer",
        "model": "gpt-realtime",
        "http_status": None,
        "first_server_event": "session.created",
        "error_code": None,
        "close_code": None,
        "client_events": (),
        "rejected_session_fields": (),
    }
    return UpstreamSocket(**{**base, **changes})  # type: ignore[arg-type]


def outcome(kind: str, **fields: object) -> wsprobe.SocketOutcome:
    seen = wsprobe.SocketOutcome(kind, "ws://relay.test/realtime", handshake_ms=5.0, first_event_ms=9.0)
    for name, value in fields.items():
        setattr(seen, name, value)
    return seen


def test_relay_own_401_is_an_auth_rejection_but_a_passed_through_one_is_the_apis() -> None:
    """A 401 without OpenAI's headers is the relay's; with x-request-id and an API error it is the API's."""
    own = judge(outcome(wsprobe.REFUSED, http_status=401, headers={"server": "nginx"}), DIRECT_OK, None)
    body = json.dumps({"error": {"message": "Incorrect API key provided: sk-…", "code": "invalid_api_key"}}).encode()
    passed = judge(
        outcome(wsprobe.REFUSED, http_status=401, body=body, headers={"x-request-id": "req_1", "content-type": "application/json"}),
        DIRECT_OK,
        None,
    )  # fmt: skip
    assert own.finding.diagnosis == "relay_auth_rejected"
    assert passed.finding.diagnosis == "invalid_api_key"


def test_generic_close_after_a_specific_upstream_close_is_a_replaced_code() -> None:
    """The relay closes 1000 while the direct socket closed 4004: replaced code, and both hops need fixing."""
    judged = judge(outcome(wsprobe.CLOSED, close_code=1000, close_reason=""), DIRECT_4004, None)
    assert (judged.finding.diagnosis, judged.hop) == ("relay_close_code_replaced", "both")


def test_specific_close_passed_through_is_the_upstream_problem() -> None:
    """The relay passes 4004 on: the model is the problem, upstream of the relay."""
    closed = outcome(wsprobe.CLOSED, close_code=4004, close_reason="invalid_request_error.model_not_found")
    judged = judge(closed, DIRECT_4004, None)
    assert (judged.finding.diagnosis, judged.hop) == ("ws_model_not_found", "upstream")


def test_silence_while_the_direct_socket_fails_is_a_swallowed_error() -> None:
    """Without the doctor, a silent relay in front of a failing upstream most likely swallowed its error."""
    judged = judge(outcome(wsprobe.SILENT, elapsed_ms=2005.0), DIRECT_4004, None)
    assert judged.finding.diagnosis == "relay_swallowed_error"


@pytest.mark.parametrize(
    ("seen", "diagnosis"),
    [
        (upstream_socket(error_code="invalid_model", first_server_event="error"), "relay_swallowed_error"),
        (upstream_socket(), "relay_dropped_session_created"),
    ],
)
def test_doctor_explains_silence(seen: UpstreamSocket, diagnosis: str) -> None:
    """With the doctor, silence is explained by what upstream sent: an error, or session.created."""
    assert judge(outcome(wsprobe.SILENT, elapsed_ms=2005.0), None, [seen]).finding.diagnosis == diagnosis


def test_doctor_that_saw_nothing_warns_even_when_the_relay_works() -> None:
    """A working relay that never used the doctor's emulator is a warning: the bridge points elsewhere."""
    passing = outcome(wsprobe.EVENT, event={"type": "session.created", "session": {}})
    judged = judge(passing, None, [])
    assert (judged.finding.diagnosis, judged.finding.status) == ("relay_no_upstream_connection", Status.WARN)


def test_beta_error_through_a_relay_is_the_relays_header() -> None:
    """beta_api_shape_disabled through the relay, while realtime-check sent no beta header: the relay adds it."""
    error = {
        "type": "error",
        "error": {"code": "beta_api_shape_disabled", "message": "The Realtime Beta API is no longer supported."},
    }
    judged = judge(outcome(wsprobe.EVENT, event=error), DIRECT_OK, None)
    assert (judged.finding.diagnosis, judged.hop) == ("relay_adds_beta_header", "relay")


# --- How the relay request is built from the flags (cli/relay_cmd.relay_request) -------------------


def test_token_goes_where_asked_and_every_secret_is_collected() -> None:
    """Query keeps the URL's own parameters; header defaults to Bearer; all values land in the secret list."""
    from realtime_check.cli.relay_cmd import relay_request

    secrets: list[str] = []
    url, headers, protocols = relay_request(
        "ws://relay.test/rt?model=gpt-realtime&ticket=FAKE-ticket-0000",
        ["X-App: Token FAKE-app-0000"],
        ["realtime"],
        token="FAKE-token-0000",
        token_in="query",
        token_name="t",
        secrets=secrets,
    )
    assert url == "ws://relay.test/rt?model=gpt-realtime&ticket=FAKE-ticket-0000&t=FAKE-token-0000"
    assert headers == (("X-App", "Token FAKE-app-0000"),) and protocols == ("realtime",)
    assert {"FAKE-ticket-0000", "Token FAKE-app-0000", "FAKE-app-0000", "FAKE-token-0000"} <= set(secrets)
    assert "gpt-realtime" not in secrets  # a model name is not a credential: it must stay readable


@pytest.mark.parametrize(
    ("token_in", "name", "expected_headers", "expected_protocols"),
    [
        ("header", None, (("Authorization", "Bearer FAKE-token-0000"),), ()),
        ("header", "X-Relay-Key", (("X-Relay-Key", "FAKE-token-0000"),), ()),
        ("subprotocol", "auth.", (), ("auth.FAKE-token-0000",)),
    ],
)
def test_token_in_header_or_subprotocol(
    token_in: str, name: str | None, expected_headers: tuple[tuple[str, str], ...], expected_protocols: tuple[str, ...]
) -> None:
    """A header token is a Bearer Authorization unless named; a subprotocol token gets the given prefix."""
    from realtime_check.cli.relay_cmd import relay_request

    _, headers, protocols = relay_request(
        "wss://relay.test/rt", [], [], token="FAKE-token-0000", token_in=token_in, token_name=name, secrets=[]
    )
    assert (headers, protocols) == (expected_headers, expected_protocols)


def test_a_hostile_event_type_is_cut_short_in_the_summary() -> None:
    """A relay's first event with a 100 kB (or non-string) type does not end up whole in the report."""
    huge = judge(outcome(wsprobe.EVENT, event={"type": "x" * 100_000}), DIRECT_OK, None)
    odd = judge(outcome(wsprobe.EVENT, event={"type": {"nested": ["y" * 100_000]}}), DIRECT_OK, None)
    assert huge.finding.diagnosis == odd.finding.diagnosis == "relay_unexpected_first_event"
    assert len(huge.summary) < 300 and len(odd.summary) < 300
