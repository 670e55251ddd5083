"""The failure modes of protocol-update-2026-11 (§1.4, §4.1, §5 N1-N19), from its exact strings,
through the same classifiers the checks use, and findable with `realtime-check explain`.
(WebRTC's N5, N6 and N14 are tested with the webrtc check.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from realtime_check.diagnosis import catalog as diagnoses
from realtime_check.diagnosis import classify
from realtime_check.diagnosis.bodies import parse_error_body
from realtime_check.models import Status

INCORRECT_HOSTNAME_US = (
    "Attempted to access resource with incorrect regional hostname. Please make your request to us.api.openai.com"
)
GEOGRAPHY = "This endpoint is only accessible by projects with geography restrictions enabled."
COMMIT_EMPTY = (
    "Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has "
    "0.00ms of audio."
)


def _rest(status: int, body: Any, stage: str = "api_key") -> classify.Finding:
    return classify.from_http(stage, status, parse_error_body(json.dumps(body).encode(), "application/json"), {})


def _event(code: str | None, message: str, type_: str = "invalid_request_error", param: str | None = None) -> Any:
    return {"type": "error", "error": {"type": type_, "code": code, "message": message, "param": param}}


# (id, how it arrives, expected diagnosis, expected status)
REST_CASES = [
    ("N1", 401, {"error": {"code": "incorrect_hostname", "message": INCORRECT_HOSTNAME_US}}, "incorrect_hostname"),
    ("N1-no-code", 401, {"error": {"message": INCORRECT_HOSTNAME_US}}, "incorrect_hostname"),
    ("N2", 401, {"error": {"message": GEOGRAPHY, "code": None}}, "geography_restricted_host"),
    (
        "N4-calls",
        403,
        {"error": {"code": "model_not_found", "message": "The model does not exist."}},
        "model_not_found",
    ),
]


@pytest.mark.parametrize(("case", "status", "body", "diagnosis"), REST_CASES, ids=[c[0] for c in REST_CASES])
def test_rest_answers_of_the_update_are_diagnosed(case: str, status: int, body: Any, diagnosis: str) -> None:
    """Each REST answer quoted in the update gets its own diagnosis, never a generic 401/404."""
    finding = classify.from_http("api_key", status, parse_error_body(json.dumps(body).encode(), "application/json"), {})
    assert finding.diagnosis == diagnosis
    assert finding.status is Status.FAIL


def test_incorrect_hostname_is_not_an_invalid_key_and_names_the_settings() -> None:
    """N1 is never read as an invalid key: the advice gives the base URL and socket base of the named host."""
    finding = _rest(401, {"error": {"code": "incorrect_hostname", "message": INCORRECT_HOSTNAME_US}})
    assert finding.diagnosis != "invalid_api_key"
    assert finding.extra_advice == (
        "This key's project is served by us.api.openai.com: set OPENAI_BASE_URL=https://us.api.openai.com/v1 "
        "(and OPENAI_WEBSOCKET_BASE_URL=wss://us.api.openai.com/v1 if you set one), in the app as in this check.",
    )


def test_incorrect_hostname_naming_a_foreign_host_gives_no_host_advice() -> None:
    """A message naming a host that is not OpenAI's is not turned into advice to send the key there."""
    message = "Attempted to access resource with incorrect regional hostname. Please make your request to evil.example"
    finding = _rest(401, {"error": {"code": "incorrect_hostname", "message": message}})
    assert finding.diagnosis == "incorrect_hostname" and finding.extra_advice == ()


SOCKET_CASES = [
    ("N1-ws", _event("incorrect_hostname", INCORRECT_HOSTNAME_US), "incorrect_hostname", Status.FAIL),
    ("N2-ws", _event(None, GEOGRAPHY), "geography_restricted_host", Status.FAIL),
    (
        "N3",
        _event("invalid_model", 'Model "gpt-live-1" is not supported in realtime mode.'),
        "gpt_live_model",
        Status.FAIL,
    ),
    (
        "N3-not-live",
        _event("invalid_model", 'Model "gpt-4o" is not supported in realtime mode.'),
        "ws_invalid_model",
        Status.FAIL,
    ),
    (
        "N7",
        _event("mismatched_project", "OpenAI-Project header should match project for API key"),
        "mismatched_project",
        Status.FAIL,
    ),
    (
        "N9",
        _event(None, "Turn detection is not supported for this transcription model"),
        "transcription_turn_detection_unsupported",
        Status.FAIL,
    ),
    (
        "N10",
        _event("invalid_value", "Invalid value", param="session.audio.input.transcription.languages"),
        "transcription_options_rejected",
        Status.FAIL,
    ),
    ("N11", _event("input_audio_buffer_commit_empty", COMMIT_EMPTY), "audio_buffer_too_small", Status.FAIL),
    (
        "N17",
        _event(
            None, "Voice cannot be changed during the session once the model has responded with audio at least once"
        ),
        "voice_locked",
        Status.FAIL,
    ),
    (
        "race-active",
        _event("conversation_already_has_active_response", "Conversation already has an active response"),
        "benign_race",
        Status.WARN,
    ),
    (
        "race-cancel",
        _event("response_cancel_not_active", "Cancellation failed: no active response found"),
        "benign_race",
        Status.WARN,
    ),
]


@pytest.mark.parametrize(("case", "event", "diagnosis", "status"), SOCKET_CASES, ids=[c[0] for c in SOCKET_CASES])
def test_socket_error_events_of_the_update_are_diagnosed(case: str, event: Any, diagnosis: str, status: Status) -> None:
    """Each error event quoted in the update gets its diagnosis; the benign races are warnings, not failures."""
    finding = classify.from_error_event(event)
    assert (finding.diagnosis, finding.status) == (diagnosis, status)


@pytest.mark.parametrize(
    ("code", "reason", "diagnosis"),
    [
        (1001, "Your session hit the maximum duration of 60 minutes.", "session_max_duration"),
        (1001, "going away", "ws_closed_transient"),
        (3000, "invalid_request_error.incorrect_hostname", "incorrect_hostname"),
        (1008, "budget exceeded", "ws_closed_policy"),
    ],
)
def test_closes_of_the_update_are_diagnosed(code: int, reason: str, diagnosis: str) -> None:
    """The 60-minute cap (close 1001 with its reason) is told apart from other 1001s; a residency close is N1."""
    assert classify.from_close(code, reason).diagnosis == diagnosis


def test_model_refused_in_a_response_is_model_not_found() -> None:
    """A response.done failed with model_not_found (N4, N19) stays a model diagnosis, not a generic failure."""
    done = {
        "status": "failed",
        "status_details": {"type": "failed", "error": {"type": "invalid_request_error", "code": "model_not_found"}},
    }
    finding = classify.from_response_done(done)
    assert finding is not None and finding.diagnosis == "response_model_not_found"


@pytest.mark.parametrize(
    ("term", "first"),
    [
        ("incorrect_hostname", "incorrect_hostname"),
        ("N1", "incorrect_hostname"),
        ("geography restrictions enabled", "geography_restricted_host"),
        ("N3", "gpt_live_model"),
        ("N5", "webrtc_offer_truncated"),
        ("N6", "webrtc_body_shape"),
        ("N8", "websockets_version_mismatch"),
        ("N11", "audio_buffer_too_small"),
        ("N14", "sideband_call_not_found"),
        ("N15", "azure_entra_token_rejected"),
        ("N4", "model_listed_but_refused"),
        ("N7", "ws_stale_org_project"),
        ("N9", "transcription_turn_detection_unsupported"),
        ("N10", "transcription_options_rejected"),
        ("input_audio_buffer_commit_empty", "audio_buffer_too_small"),
        ("N12", "multi_item_response"),
        ("N13", "session_max_duration"),
        ("N16", "azure_model_retired"),
        ("N17", "voice_locked"),
        ("N18", "gateway_policy_close"),
        ("N19", "only_retiring_model_visible"),
        ("conversation_already_has_active_response", "benign_race"),
    ],
)
def test_explain_finds_each_new_failure_mode(term: str, first: str) -> None:
    """`realtime-check explain` answers the update's ids, codes and phrases with the matching diagnosis first."""
    found = diagnoses.lookup(term)
    assert found and found[0].id == first, [d.id for d in found[:3]]


def test_advice_no_longer_recommends_retiring_models_or_the_old_entra_scope() -> None:
    """No advice tells users to move to gpt-realtime / gpt-realtime-mini, or to use only the old Entra scope."""
    for diagnosis in diagnoses.all_diagnoses():
        for line in diagnosis.advice:
            lowered = line.lower()
            for retiring in ("use gpt-realtime ", "use gpt-realtime,", "e.g. gpt-realtime or", "(gpt-realtime-mini"):
                assert retiring not in lowered, (diagnosis.id, line)
            if "cognitiveservices.azure.com/.default" in lowered:
                assert "ai.azure.com/.default" in lowered, (diagnosis.id, line)


def _explain(term: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    env["COLUMNS"] = "200"
    return subprocess.run(
        [sys.executable, "-m", "realtime_check", "explain", term], env=env, capture_output=True, text=True, timeout=60
    )


def test_explain_incorrect_hostname_from_the_command_line() -> None:
    """`realtime-check explain incorrect_hostname` prints the residency diagnosis and says the key is fine."""
    proc = _explain("incorrect_hostname")
    assert proc.returncode == 0
    assert "wrong regional host" in proc.stdout and "OPENAI_BASE_URL=https://<host>/v1" in proc.stdout


def test_explain_dates_the_model_facts_it_rests_on() -> None:
    """A model diagnosis names the date of the built-in model facts; others do not."""
    assert "Model facts: as of 2026-11-30" in _explain("only_retiring_model_visible").stdout
    assert "Model facts" not in _explain("incorrect_hostname").stdout
