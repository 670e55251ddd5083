"""The built-in Realtime API emulator, driven over real loopback sockets with httpx and websockets."""

from __future__ import annotations

import base64
import dataclasses
import email.utils
import io
import json
import re
import ssl
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from test_emulator_calls import WEBRTC_SCENARIO_CHECKS  # the WebRTC scenarios' defining behaviour
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from realtime_check.emulator import Emulator, get_scenario, list_scenarios
from realtime_check.emulator.scenarios import HttpFault, Scenario
from realtime_check.emulator.serve import serve

KEY = "sk-proj-FAKE00000000000000000000000000000000000000000000FAKE"
BAD_KEY = "FAKE-relay-token-000000000000000000000WXYZ"  # not sk-: invalid in every scenario
AUTH = {"Authorization": f"Bearer {KEY}"}
NOW = 1795996800.0  # 2026-11-30T00:00:00Z, after the preview shutdown of 2026-05-07


class FakeClock:
    """A settable clock, so secret expiry is tested without sleeping."""

    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@contextmanager
def running(scenario: str | Scenario = "healthy", **kwargs: Any) -> Iterator[Emulator]:
    kwargs.setdefault("clock", FakeClock())
    with Emulator(scenario, **kwargs) as emulator:
        yield emulator


def http(emulator: Emulator, verify: Any = True) -> httpx.Client:
    if emulator.ca_file is not None and verify is True:
        verify = ssl.create_default_context(cafile=str(emulator.ca_file))
    return httpx.Client(base_url=emulator.base_url, trust_env=False, verify=verify, timeout=5)


def get(emulator: Emulator, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
    with http(emulator) as client:
        return client.get(path, headers=AUTH if headers is None else headers)


def mint(emulator: Emulator, body: Any = None, headers: dict[str, str] | None = None) -> httpx.Response:
    payload = {"session": {"type": "realtime", "model": "gpt-realtime"}} if body is None else body
    with http(emulator) as client:
        return client.post("/realtime/client_secrets", json=payload, headers=AUTH if headers is None else headers)


def open_ws(
    emulator: Emulator,
    query: str = "model=gpt-realtime",
    key: str | None = KEY,
    headers: dict[str, str] | None = None,
    subprotocols: list[str] | None = None,
    path_suffix: str = "",
) -> ClientConnection:
    all_headers = dict(headers or {})
    if key is not None:
        all_headers["Authorization"] = f"Bearer {key}"
    context = None
    if emulator.ca_file is not None:
        context = ssl.create_default_context(cafile=str(emulator.ca_file))
    url = emulator.ws_url + path_suffix + (f"?{query}" if query else "")
    return connect(url, additional_headers=all_headers, subprotocols=subprotocols, ssl=context, open_timeout=5)  # type: ignore[arg-type]


def event(ws: ClientConnection) -> dict[str, Any]:
    return json.loads(ws.recv(timeout=5))


def until_closed(ws: ClientConnection) -> tuple[list[Any], int | None, str | None]:
    """Every frame until the server closes, then the close code and reason."""
    frames: list[Any] = []
    try:
        while True:
            frames.append(ws.recv(timeout=5))
    except ConnectionClosed as exc:
        return frames, exc.rcvd.code if exc.rcvd else None, exc.rcvd.reason if exc.rcvd else None


def events_until(ws: ClientConnection, last: str) -> list[dict[str, Any]]:
    received = []
    while True:
        received.append(event(ws))
        if received[-1]["type"] == last:
            return received


def send(ws: ClientConnection, payload: dict[str, Any]) -> None:
    ws.send(json.dumps(payload))


def text_round_trip(ws: ClientConnection) -> list[dict[str, Any]]:
    send(ws, {"type": "session.update", "session": {"type": "realtime", "output_modalities": ["text"]}})
    assert event(ws)["type"] == "session.updated"
    item = {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Say hello"}]}
    send(ws, {"type": "conversation.item.create", "item": item})
    assert [event(ws)["type"], event(ws)["type"]] == ["conversation.item.added", "conversation.item.done"]
    send(ws, {"type": "response.create", "response": {"output_modalities": ["text"]}})
    return events_until(ws, "response.done")


AUDIO_200MS = base64.b64encode(bytes(9600)).decode()  # 200 ms of 24 kHz PCM16 silence


def audio_round_trip(ws: ClientConnection) -> list[dict[str, Any]]:
    """Append 200 ms, commit, ask for an audio response; every event after session.created up to response.done."""
    send(ws, {"type": "input_audio_buffer.append", "audio": AUDIO_200MS})
    send(ws, {"type": "input_audio_buffer.commit"})
    committed = event(ws)
    if committed["type"] == "error":
        return [committed]
    send(ws, {"type": "response.create", "response": {"output_modalities": ["audio"]}})
    return [committed, *events_until(ws, "response.done")]


def transcription_round_trip(ws: ClientConnection, model: str = "gpt-live-transcribe") -> list[dict[str, Any]]:
    """Configure a transcription session, append 200 ms and commit; the events up to the transcription verdict."""
    assert event(ws)["session"]["type"] == "transcription"
    update = {"type": "transcription", "audio": {"input": {"transcription": {"model": model}, "turn_detection": None}}}
    send(ws, {"type": "session.update", "session": update})
    updated = event(ws)
    if updated["type"] == "error":
        return [updated]
    send(ws, {"type": "input_audio_buffer.append", "audio": AUDIO_200MS})
    send(ws, {"type": "input_audio_buffer.commit"})
    received = [updated]
    while not received[-1]["type"].startswith("conversation.item.input_audio_transcription.") or received[-1][
        "type"
    ].endswith(".delta"):
        received.append(event(ws))
    return received


def rejected_upgrade(emulator: Emulator, **kwargs: Any) -> httpx.Response:
    """The non-101 answer to an upgrade, as websockets reports it."""
    with pytest.raises(InvalidStatus) as info:
        open_ws(emulator, **kwargs)
    response = info.value.response
    return httpx.Response(
        response.status_code, headers=dict(response.headers.raw_items()), content=bytes(response.body or b"")
    )


def assert_error(response: httpx.Response, status: int, code: str | None, **expected: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert error["code"] == code
    for name, value in expected.items():
        assert value in (error[name] or ""), (name, error)
    return error


# --- REST -------------------------------------------------------------------------------------


def test_models_list_has_realtime_and_transcription_models() -> None:
    """GET /v1/models lists GA realtime and transcription models in the spec's shape."""
    with running() as emulator:
        body = get(emulator, "/models").json()
    assert body["object"] == "list"
    ids = {m["id"] for m in body["data"]}
    assert {"gpt-realtime", "gpt-realtime-mini", "gpt-realtime-2.1", "whisper-1", "gpt-4o-transcribe"} <= ids
    assert all(set(m) >= {"id", "object", "created", "owned_by"} and m["object"] == "model" for m in body["data"])


def test_get_model_returns_one_model_or_404_model_not_found() -> None:
    """GET /v1/models/{id} returns the model, or 404 model_not_found naming it."""
    with running() as emulator:
        assert get(emulator, "/models/gpt-realtime").json()["id"] == "gpt-realtime"
        missing = get(emulator, "/models/gpt-FAKE-nope")
    assert_error(
        missing,
        404,
        "model_not_found",
        message="The model `gpt-FAKE-nope` does not exist or you do not have access to it.",
    )


def test_every_response_carries_request_id_and_openai_headers() -> None:
    """Successes, errors and socket upgrades all carry x-request-id, openai-processing-ms and openai-version."""
    with running() as emulator:
        responses = [
            get(emulator, "/models"),
            get(emulator, "/models/gpt-FAKE-nope"),
            get(emulator, "/models", headers={}),
            get(emulator, "/models", headers={"Authorization": f"Bearer {BAD_KEY}"}),
            mint(emulator, body={"session": {}}),
            rejected_upgrade(emulator, key=None),
        ]
        with httpx.Client(base_url=emulator.root_url, trust_env=False) as client:
            responses.append(client.get("/models", headers=AUTH))
        with open_ws(emulator) as ws:
            assert ws.response is not None
            responses.append(httpx.Response(101, headers=dict(ws.response.headers.raw_items())))
    for response in responses:
        assert re.fullmatch(r"req_[0-9a-f]{32}", response.headers["x-request-id"])
        assert response.headers["openai-processing-ms"].isdigit()
        assert response.headers["openai-version"] == "2020-10-01"
    assert len({r.headers["x-request-id"] for r in responses}) == len(responses)


@pytest.mark.parametrize(
    ("path", "headers", "status", "code", "message"),
    [
        ("/models", {}, 401, None, "Missing bearer or basic authentication in header"),
        (
            "/models",
            {"Authorization": f"Bearer {BAD_KEY}"},
            401,
            "invalid_api_key",
            "Incorrect API key provided: ...WXYZ. You can find",
        ),
        (
            "/models",
            {"Authorization": "Bearer sk-admin-FAKE000000000000000000000000"},
            401,
            "invalid_api_key",
            "sk-admin-...",
        ),
        ("/models", {"Authorization": "Bearer ek_FAKE00000000000000000000"}, 401, "invalid_api_key", "ek_...0000"),
        ("/v1/v1/models", AUTH, 404, None, "Invalid URL (GET /v1/v1/models)"),
    ],
)
def test_error_bodies_have_all_four_keys(
    path: str, headers: dict[str, str], status: int, code: str | None, message: str
) -> None:
    """Auth and URL errors answer {"error":{message,type,param,code}} and never echo the whole key."""
    with running() as emulator:
        with httpx.Client(
            base_url=emulator.base_url if path.startswith("/models") else emulator.root_url, trust_env=False
        ) as client:
            response = client.get(path, headers=headers)
    error = assert_error(response, status, code, message=message)
    assert error["type"] == "invalid_request_error"
    assert BAD_KEY not in response.text


def test_client_secret_minted_with_ga_shape() -> None:
    """client_secrets returns an obviously fake ek_FAKE value, expires_at from expires_after, and the session."""
    with running() as emulator:
        body = mint(
            emulator,
            {
                "expires_after": {"anchor": "created_at", "seconds": 120},
                "session": {"type": "realtime", "model": "gpt-realtime"},
            },
        ).json()
        transcription = mint(emulator, {"session": {"type": "transcription"}}).json()
    assert body["value"].startswith("ek_FAKE")
    assert body["expires_at"] == int(NOW) + 120
    assert body["session"]["type"] == "realtime" and body["session"]["object"] == "realtime.session"
    assert body["session"]["id"].startswith("sess_FAKE") and body["session"]["model"] == "gpt-realtime"
    assert transcription["session"]["object"] == "realtime.transcription_session"
    assert transcription["expires_at"] == int(NOW) + 600


@pytest.mark.parametrize(
    ("body", "code", "param"),
    [
        ({"session": {"model": "gpt-realtime"}}, "missing_required_parameter", "session.type"),
        ({}, "missing_required_parameter", "session.type"),
        ({"session": {"type": "voice"}}, "invalid_value", "session.type"),
        (
            {"expires_after": {"anchor": "created_at", "seconds": 5}, "session": {"type": "realtime"}},
            "integer_below_min_value",
            "expires_after.seconds",
        ),
        (
            {"expires_after": {"anchor": "created_at", "seconds": 7201}, "session": {"type": "realtime"}},
            "integer_above_max_value",
            "expires_after.seconds",
        ),
        ({"model": "gpt-realtime", "modalities": ["text"]}, "unknown_parameter", "model"),
        ({"session": {"type": "realtime", "temperature": 0.8}}, "unknown_parameter", "session.temperature"),
    ],
)
def test_client_secrets_validation(body: dict[str, Any], code: str, param: str) -> None:
    """Bodies the GA validator refuses get 400 with the offending param named."""
    with running() as emulator:
        response = mint(emulator, body)
    assert_error(response, 400, code)
    assert response.json()["error"]["param"] == param


def test_missing_session_type_message_is_verbatim() -> None:
    """A beta-style body without session.type gets the exact GA message."""
    with running() as emulator:
        response = mint(emulator, {"session": {"model": "gpt-realtime"}})
    assert response.json()["error"]["message"] == "Missing required parameter: 'session.type'."


def test_retired_beta_sessions_endpoint_answers_400() -> None:
    """POST /v1/realtime/sessions is refused with beta_api_shape_disabled pointing at client_secrets."""
    with running() as emulator, http(emulator) as client:
        response = client.post("/realtime/sessions", json={"model": "gpt-4o-realtime-preview"}, headers=AUTH)
    assert_error(response, 400, "beta_api_shape_disabled", message="/v1/realtime/client_secrets")


# --- WebSocket -----------------------------------------------------------------------------------


def test_text_round_trip() -> None:
    """A GA text round trip: session.created, item added/done, response deltas and a completed response.done."""
    with running() as emulator, open_ws(emulator) as ws:
        created = event(ws)
        received = text_round_trip(ws)
    assert created["type"] == "session.created"
    session = created["session"]
    assert session["object"] == "realtime.session" and session["type"] == "realtime"
    assert session["model"] == "gpt-realtime-2025-08-28"  # a dated snapshot of the alias
    types = [e["type"] for e in received]
    assert types[:2] == ["response.created", "rate_limits.updated"]
    assert types.count("response.output_text.delta") >= 2
    assert types.index("response.output_text.done") < types.index("response.done")
    done = received[-1]["response"]
    assert done["status"] == "completed" and done["usage"]["total_tokens"] > 0
    text = "".join(e["delta"] for e in received if e["type"] == "response.output_text.delta")
    assert text == next(e["text"] for e in received if e["type"] == "response.output_text.done")


def test_audio_round_trip() -> None:
    """Committed audio is acknowledged (appends are not), and an audio response streams silence and a transcript."""
    audio = base64.b64encode(bytes(9600)).decode()  # 200 ms of 24 kHz PCM16
    with running() as emulator, open_ws(emulator) as ws:
        assert event(ws)["type"] == "session.created"
        send(ws, {"type": "input_audio_buffer.append", "audio": audio})
        send(ws, {"type": "input_audio_buffer.commit"})
        committed = event(ws)  # append is never acknowledged, so the next event is the commit's
        send(ws, {"type": "response.create", "response": {"output_modalities": ["audio"]}})
        received = events_until(ws, "response.done")
    assert committed["type"] == "input_audio_buffer.committed" and committed["item_id"].startswith("item_")
    assert received[0]["type"] == "conversation.item.added"
    deltas = [e for e in received if e["type"] == "response.output_audio.delta"]
    assert deltas and set(base64.b64decode(deltas[0]["delta"])) == {0}
    assert any(e["type"] == "response.output_audio_transcript.delta" for e in received)
    assert received[-1]["response"]["status"] == "completed"


def test_committing_too_little_audio_is_a_recoverable_error() -> None:
    """Committing an empty buffer gets input_audio_buffer_commit_empty and the session continues."""
    with running() as emulator, open_ws(emulator) as ws:
        event(ws)
        send(ws, {"type": "input_audio_buffer.commit"})
        error = event(ws)
        received = text_round_trip(ws)
    assert error["error"]["code"] == "input_audio_buffer_commit_empty"
    assert received[-1]["response"]["status"] == "completed"


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ('{"type": "transcription_session.update", "session": {}}', "invalid_event"),
        ('{"session": {}}', "invalid_event"),
        ("this is not json", "invalid_json"),
        ("[1, 2, 3]", "invalid_json"),
    ],
)
def test_bad_client_events_are_recoverable(frame: str, code: str) -> None:
    """Unknown, typeless or non-JSON client frames get an error event and the socket stays usable."""
    with running() as emulator, open_ws(emulator) as ws:
        event(ws)
        ws.send(frame)
        error = event(ws)
        received = text_round_trip(ws)
    assert error["type"] == "error" and error["error"]["code"] == code
    assert received[-1]["response"]["status"] == "completed"


def test_beta_session_fields_are_rejected_by_session_update() -> None:
    """A beta-shaped session.update is refused field by field (unknown_parameter), never applied."""
    with running() as emulator, open_ws(emulator) as ws:
        event(ws)
        send(ws, {"type": "session.update", "session": {"type": "realtime", "modalities": ["text"]}})
        error = event(ws)["error"]
    assert error["code"] == "unknown_parameter" and error["param"] == "session.modalities"


@pytest.mark.parametrize(
    ("headers", "subprotocols"),
    [
        ({"OpenAI-Beta": "realtime=v1"}, None),
        ({}, ["realtime", "openai-beta.realtime-v1"]),
    ],
)
def test_beta_header_or_subprotocol_is_refused_in_healthy(
    headers: dict[str, str], subprotocols: list[str] | None
) -> None:
    """The beta header or subprotocol gets 101, an error beta_api_shape_disabled, then close 4000."""
    with running() as emulator, open_ws(emulator, headers=headers, subprotocols=subprotocols) as ws:
        frames, code, reason = until_closed(ws)
    assert [json.loads(f)["error"]["code"] for f in frames] == ["beta_api_shape_disabled"]
    assert json.loads(frames[0])["error"]["message"] == (
        "The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API."
    )
    assert (code, reason) == (4000, "invalid_request_error.beta_api_shape_disabled")


def test_transcription_session_transcribes_a_committed_buffer() -> None:
    """A committed buffer in a transcription session ends in …transcription.completed with a transcript and usage."""
    with running() as emulator, open_ws(emulator, query="intent=transcription") as ws:
        received = transcription_round_trip(ws)
    types = [e["type"] for e in received]
    assert types[:2] == ["session.updated", "input_audio_buffer.committed"]
    completed = received[-1]
    assert completed["type"] == "conversation.item.input_audio_transcription.completed"
    assert completed["item_id"] == received[1]["item_id"] and completed["transcript"] == ""
    assert completed["usage"]["type"] == "tokens"


def test_session_id_url_of_the_setup_notes_is_404() -> None:
    """wss://…/v1/realtime/{sessionId}?authorization=Bearer… never existed: the upgrade gets 404."""
    with running() as emulator:
        response = rejected_upgrade(
            emulator, path_suffix="/sess_FAKE0000", key=None, query="authorization=Bearer%20ek_FAKE"
        )
    assert response.status_code == 404


def test_bad_key_gets_error_event_then_close_3000() -> None:
    """A wrong key is accepted at the upgrade, then refused in-band with the key masked to its last four."""
    with running() as emulator, open_ws(emulator, key=BAD_KEY) as ws:
        frames, code, reason = until_closed(ws)
    error = json.loads(frames[0])["error"]
    assert error["code"] == "invalid_api_key"
    assert error["message"].startswith("Incorrect API key provided: ...WXYZ. You can find")
    assert BAD_KEY not in frames[0]
    assert (code, reason) == (3000, "invalid_request_error.invalid_api_key")


def test_no_authorization_is_401_at_the_upgrade() -> None:
    """An upgrade without any credential is refused with HTTP 401 'Missing bearer or basic authentication'."""
    with running() as emulator:
        response = rejected_upgrade(emulator, key=None)
    assert_error(response, 401, None, message="Missing bearer or basic authentication in header")


def test_browser_subprotocol_auth_opens_a_session() -> None:
    """Browser-style auth via the realtime + openai-insecure-api-key.<key> subprotocols works and selects 'realtime'."""
    with running() as emulator:
        with open_ws(emulator, key=None, subprotocols=["realtime", f"openai-insecure-api-key.{KEY}"]) as ws:
            assert ws.subprotocol == "realtime"
            assert event(ws)["type"] == "session.created"


@pytest.mark.parametrize(
    ("query", "code", "close"),
    [
        ("", "missing_model", 4000),
        ("intent=chat", "invalid_intent", 4000),
        ("intent=transcription&model=gpt-realtime", "invalid_model", 4000),
        ("model=gpt-4o", "invalid_model", 4000),
        ("model=whisper-1", "invalid_model", 4000),
    ],
)
def test_bad_session_selectors_close_4000(query: str, code: str, close: int) -> None:
    """Missing model, a bad intent, a model with intent=transcription or a non-realtime model: error then 4000."""
    with running() as emulator, open_ws(emulator, query=query) as ws:
        frames, close_code, reason = until_closed(ws)
    assert json.loads(frames[0])["error"]["code"] == code
    assert (close_code, reason) == (close, f"invalid_request_error.{code}")


def test_unknown_realtime_model_closes_4004_without_event() -> None:
    """A realtime-looking model the key cannot see closes 4004 model_not_found with no error event."""
    with running() as emulator, open_ws(emulator, query="model=gpt-realtime-FAKE-9") as ws:
        assert until_closed(ws) == ([], 4004, "invalid_request_error.model_not_found")


def test_transcription_intent_opens_a_transcription_session() -> None:
    """?intent=transcription opens a session of type transcription that accepts a transcription update."""
    with running() as emulator, open_ws(emulator, query="intent=transcription") as ws:
        session = event(ws)["session"]
        send(
            ws,
            {
                "type": "session.update",
                "session": {"type": "transcription", "audio": {"input": {"turn_detection": None}}},
            },
        )
        updated = event(ws)
    assert session["type"] == "transcription" and session["object"] == "realtime.transcription_session"
    assert updated["type"] == "session.updated" and updated["session"]["audio"]["input"]["turn_detection"] is None


def test_ephemeral_secret_works_until_it_expires() -> None:
    """A minted ek_ secret opens sockets (several) until its expires_at, then gets the 3000 invalid-key path."""
    clock = FakeClock()
    with running(clock=clock) as emulator:
        body = mint(
            emulator,
            {
                "expires_after": {"anchor": "created_at", "seconds": 10},
                "session": {"type": "realtime", "model": "gpt-realtime-mini"},
            },
        ).json()
        secret = body["value"]
        for _ in range(2):
            with open_ws(emulator, query="", key=secret) as ws:
                session = event(ws)["session"]
                assert session["model"] == "gpt-realtime-mini-2025-12-15"
        clock.now = body["expires_at"]
        with open_ws(emulator, query="", key=secret) as ws:
            frames, code, reason = until_closed(ws)
    assert json.loads(frames[0])["error"]["code"] == "invalid_api_key"
    assert (code, reason) == (3000, "invalid_request_error.invalid_api_key")


def test_requests_are_recorded_with_headers() -> None:
    """The request log shows what a client sent, e.g. that no OpenAI-Beta header reached the socket."""
    with running() as emulator:
        get(emulator, "/models")
        with open_ws(emulator) as ws:
            event(ws)
        recorded = emulator.requests.snapshot()
    assert [(r.method, r.path) for r in recorded] == [("GET", "/v1/models"), ("GET", "/v1/realtime")]
    upgrade = recorded[1]
    assert upgrade.query == {"model": "gpt-realtime"}
    assert upgrade.headers["authorization"] == f"Bearer {KEY}"
    assert "OpenAI-Beta" not in upgrade.headers


# --- Scenarios: each one's defining behaviour ------------------------------------------------------


def _session_then_response(
    emulator: Emulator, query: str = "model=gpt-realtime"
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    with open_ws(emulator, query=query) as ws:
        created = event(ws)
        assert created["type"] == "session.created"
        return created, text_round_trip(ws)


def _closes_with(
    emulator: Emulator, code: int, reason: str, error_code: str | None, query: str = "model=gpt-realtime"
) -> None:
    with open_ws(emulator, query=query) as ws:
        frames, close_code, close_reason = until_closed(ws)
    assert (close_code, close_reason) == (code, reason)
    assert [json.loads(f)["error"]["code"] for f in frames] == ([error_code] if error_code else [])


def check_healthy(emulator: Emulator) -> None:
    assert get(emulator, "/models").status_code == 200
    assert mint(emulator).status_code == 200
    assert _session_then_response(emulator)[1][-1]["response"]["status"] == "completed"


def check_invalid_key(emulator: Emulator) -> None:
    assert_error(get(emulator, "/models"), 401, "invalid_api_key", message="sk-proj-...FAKE")
    _closes_with(emulator, 3000, "invalid_request_error.invalid_api_key", "invalid_api_key")


def check_restricted_key(emulator: Emulator) -> None:
    assert_error(get(emulator, "/models"), 401, "missing_scope", message="Missing scopes: api.model.read")
    assert mint(emulator).status_code == 200
    assert _session_then_response(emulator)[1][-1]["response"]["status"] == "completed"


def check_model_missing(emulator: Emulator) -> None:
    assert emulator.scenario.hints.model == "gpt-realtime-2.1"
    assert "gpt-realtime-2.1" not in {m["id"] for m in get(emulator, "/models").json()["data"]}
    assert_error(get(emulator, "/models/gpt-realtime-2.1"), 404, "model_not_found")
    _closes_with(emulator, 4004, "invalid_request_error.model_not_found", None, query="model=gpt-realtime-2.1")


def check_retiring_only(emulator: Emulator) -> None:
    listed = {m["id"]: m["shutdown_date"] for m in get(emulator, "/models").json()["data"]}
    assert not {"gpt-realtime-2.1", "gpt-realtime-2", "gpt-realtime-1.5"} & set(listed)
    assert listed["gpt-realtime"] == "2027-01-20" and listed["whisper-1"] == "2027-02-26"
    assert _session_then_response(emulator)[1][-1]["response"]["status"] == "completed"


def check_entitlement(emulator: Emulator) -> None:
    listed = {m["id"] for m in get(emulator, "/models").json()["data"]}
    assert {"gpt-realtime-2.1", "gpt-realtime-2.1-mini", "gpt-realtime-2"} <= listed
    # Listed and minted and opened, refused only in the response (N4).
    assert mint(emulator, {"session": {"type": "realtime", "model": "gpt-realtime-2.1"}}).status_code == 200
    failed = _session_then_response(emulator, query="model=gpt-realtime-2.1")[1][-1]["response"]
    assert failed["status_details"]["error"]["code"] == "model_not_found"
    assert "does not have access to model `gpt-realtime-2.1`" in failed["status_details"]["error"]["message"]
    _closes_with(
        emulator, 4004, "invalid_request_error.model_not_found", "model_not_found", query="model=gpt-realtime-2.1-mini"
    )
    refused = mint(emulator, {"session": {"type": "realtime", "model": "gpt-realtime-2"}})
    assert_error(refused, 403, "model_not_found", message="does not have access to model `gpt-realtime-2`")
    assert _session_then_response(emulator, query="model=gpt-realtime-1.5")[1][-1]["response"]["status"] == "completed"


def check_residency_pinned(emulator: Emulator) -> None:
    message = "Please make your request to eu.api.openai.com"
    assert_error(get(emulator, "/models"), 401, "incorrect_hostname", message=message)
    _closes_with(emulator, 3000, "invalid_request_error.incorrect_hostname", "incorrect_hostname")


def check_residency_global_key(emulator: Emulator) -> None:
    message = "only accessible by projects with geography restrictions enabled"
    assert_error(get(emulator, "/models"), 401, None, message=message)
    with open_ws(emulator) as ws:
        frames, code, _ = until_closed(ws)
    assert code == 3000 and message in json.loads(frames[0])["error"]["message"]


def check_stale_project_socket(emulator: Emulator) -> None:
    project = emulator.scenario.hints.project
    assert project == "proj_FAKESTALE"
    assert get(emulator, "/models").status_code == 200
    assert_error(get(emulator, "/models", headers={**AUTH, "OpenAI-Project": project}), 401, "mismatched_project")
    with open_ws(emulator, headers={"OpenAI-Project": project}) as ws:
        _, code, reason = until_closed(ws)
    assert (code, reason) == (3000, "invalid_request_error.mismatched_project")
    with open_ws(emulator) as ws:
        assert event(ws)["type"] == "session.created"


def check_session_max_duration(emulator: Emulator) -> None:
    with open_ws(emulator) as ws:
        assert event(ws)["type"] == "session.created"
        send(ws, {"type": "session.update", "session": {"type": "realtime"}})
        frames, code, reason = until_closed(ws)
    assert (frames, code, reason) == ([], 1001, "Your session hit the maximum duration of 60 minutes.")


def _live_start(emulator: Emulator, model: str) -> tuple[list[Any], int | None, str | None]:
    url = emulator.ws_url.removesuffix("/realtime") + "/live/sessions"
    with connect(url, additional_headers={"Authorization": f"Bearer {KEY}"}, open_timeout=5) as ws:
        send(ws, {"type": "session.start", "session": {"model": model}})
        return until_closed(ws)


def check_live_not_entitled(emulator: Emulator) -> None:
    assert emulator.scenario.hints.live
    frames, code, reason = _live_start(emulator, "gpt-live-1")
    assert (code, reason) == (4004, "invalid_request_error.model_not_found")
    assert "does not have access to model `gpt-live-1`" in json.loads(frames[0])["error"]["message"]


def test_live_sessions_start_and_close_on_the_healthy_emulator() -> None:
    """/v1/live/sessions: session.start -> session.started, session.close -> session.closed with usage, close 1000."""
    with Emulator("healthy") as running:
        url = running.ws_url.removesuffix("/realtime") + "/live/sessions"
        with connect(url, additional_headers={"Authorization": f"Bearer {KEY}"}, open_timeout=5) as ws:
            send(ws, {"type": "session.start", "session": {"model": "gpt-live-1"}})
            started = event(ws)
            send(ws, {"type": "session.close"})
            closed = event(ws)
            _, code, _ = until_closed(ws)
        refused = _live_start(running, "gpt-realtime-2.1")
    assert started["type"] == "session.started" and started["session"]["model"] == "gpt-live-1"
    assert closed["type"] == "session.closed" and closed["usage"]["active_seconds"] == 1 and code == 1000
    assert refused[1:] == (4000, "invalid_request_error.invalid_model")


def check_gpt_live_on_realtime(emulator: Emulator) -> None:
    assert emulator.scenario.hints.model == "gpt-live-1"
    with open_ws(emulator, query="model=gpt-live-1") as ws:
        frames, code, reason = until_closed(ws)
    assert (code, reason) == (4000, "invalid_request_error.invalid_model")
    assert json.loads(frames[0])["error"]["message"] == 'Model "gpt-live-1" is not supported in realtime mode.'


def check_retired_preview(emulator: Emulator) -> None:
    model = emulator.scenario.hints.model
    assert model == "gpt-4o-realtime-preview"
    listed = {m["id"]: m for m in get(emulator, "/models").json()["data"]}
    assert listed[model]["shutdown_date"] == "2026-05-07"
    _closes_with(emulator, 4004, "invalid_request_error.model_not_found", None, query=f"model={model}")


def check_project_allowlist(emulator: Emulator) -> None:
    assert get(emulator, "/models").status_code == 200
    error = assert_error(get(emulator, "/models/gpt-realtime"), 403, "model_not_found")
    assert re.fullmatch(r"Project `proj_FAKE\w+` does not have access to model `gpt-realtime`", error["message"])
    assert_error(
        rejected_upgrade(emulator), 403, "model_not_found", message="does not have access to model `gpt-realtime`"
    )


def check_org_verification(emulator: Emulator) -> None:
    assert_error(
        get(emulator, "/models/gpt-realtime"), 403, "unsupported_value", message="Your organization must be verified"
    )
    assert_error(mint(emulator), 400, "unsupported_value", message="click on Verify Organization")
    failed = _session_then_response(emulator)[1][-1]["response"]
    assert failed["status"] == "failed" and "must be verified" in failed["status_details"]["error"]["message"]


def check_region_blocked(emulator: Emulator) -> None:
    error = assert_error(get(emulator, "/models"), 403, "unsupported_country_region_territory")
    assert error["type"] == "request_forbidden" and error["message"] == "Country, region, or territory not supported"
    assert_error(rejected_upgrade(emulator), 403, "unsupported_country_region_territory")


def check_org_mismatch(emulator: Emulator) -> None:
    organization = emulator.scenario.hints.organization
    assert organization == "org-FAKEOTHER"
    assert get(emulator, "/models").status_code == 200
    with_org = get(emulator, "/models", headers={**AUTH, "OpenAI-Organization": organization})
    assert_error(with_org, 401, "mismatched_organization", message="OpenAI-Organization header should match")


def check_no_organization(emulator: Emulator) -> None:
    assert_error(get(emulator, "/models"), 401, "no_organization", message="You must be a member of an organization")
    _closes_with(emulator, 3000, "invalid_request_error.no_organization", "no_organization")


def check_ip_not_authorized(emulator: Emulator) -> None:
    assert_error(get(emulator, "/models"), 401, None, message="IP not authorized")
    assert_error(rejected_upgrade(emulator), 401, None, message="IP not authorized")


def check_quota(emulator: Emulator) -> None:
    assert get(emulator, "/models").status_code == 200
    response = mint(emulator)
    error = assert_error(response, 429, "insufficient_quota", message="You exceeded your current quota")
    assert error["type"] == "insufficient_quota" and "retry-after" not in response.headers
    failed = _session_then_response(emulator)[1][-1]["response"]
    assert failed["status_details"]["error"]["code"] == "insufficient_quota"


def check_credit_exhausted(emulator: Emulator) -> None:
    response = mint(emulator)
    assert_error(response, 429, "credit_balance_exhausted", message="You have no credits remaining")
    assert "retry-after" not in response.headers


def check_rate_limited(emulator: Emulator) -> None:
    response = mint(emulator)
    assert_error(response, 429, "rate_limit_exceeded", message="Rate limit reached for gpt-realtime")
    assert "Please try again in 1.5s." in response.json()["error"]["message"]
    assert response.headers["retry-after"] == "2" and response.headers["x-ratelimit-remaining-requests"] == "0"


def check_overloaded(emulator: Emulator) -> None:
    response = get(emulator, "/models")
    error = assert_error(response, 503, None, message="That model is currently overloaded")
    assert response.headers["x-request-id"] in error["message"]


def check_html_502(emulator: Emulator) -> None:
    response = get(emulator, "/models")
    assert response.status_code == 502 and response.headers["content-type"].startswith("text/html")
    assert response.headers["server"] == "cloudflare" and response.headers["cf-ray"]
    assert "203.0.113.7" in response.text and "x-request-id" not in response.headers


def check_truncated_json(emulator: Emulator) -> None:
    response = get(emulator, "/models")
    assert response.status_code == 200 and response.text.startswith('{"object": "list"')
    with pytest.raises(json.JSONDecodeError):
        response.json()


def check_unknown_url(emulator: Emulator) -> None:
    assert not emulator.base_url.endswith("/v1")
    assert_error(
        get(emulator, "/models"),
        404,
        "unknown_url",
        message="Unknown request URL: GET /models. Please check the URL for typos",
    )
    assert_error(rejected_upgrade(emulator), 404, "unknown_url", message="GET /realtime")


def check_handshake_403(emulator: Emulator) -> None:
    assert get(emulator, "/models").status_code == 200
    assert_error(
        rejected_upgrade(emulator), 403, "access_not_enabled", message="does not have access to the Realtime API"
    )


def check_handshake_500(emulator: Emulator) -> None:
    assert rejected_upgrade(emulator).status_code == 500


def check_gateway_404(emulator: Emulator) -> None:
    assert get(emulator, "/models").status_code == 200
    response = rejected_upgrade(emulator)
    assert response.status_code == 404 and "nginx" in response.text and "nginx" in response.headers["server"]
    assert "x-request-id" not in response.headers


def check_missing_auth_header(emulator: Emulator) -> None:
    assert_error(rejected_upgrade(emulator), 401, None, message="Missing bearer or basic authentication in header")


def check_invalid_model(emulator: Emulator) -> None:
    _closes_with(emulator, 4000, "invalid_request_error.invalid_model", "invalid_model")


def check_model_not_found_ws(emulator: Emulator) -> None:
    assert get(emulator, "/models/gpt-realtime").status_code == 200
    _closes_with(emulator, 4004, "invalid_request_error.model_not_found", None)


def check_beta_shape(emulator: Emulator) -> None:
    _closes_with(emulator, 4000, "invalid_request_error.beta_api_shape_disabled", "beta_api_shape_disabled")


def check_silent_socket(emulator: Emulator) -> None:
    with open_ws(emulator) as ws, pytest.raises(TimeoutError):
        ws.recv(timeout=0.3)


def check_garbage_frame(emulator: Emulator) -> None:
    with open_ws(emulator) as ws:
        frame = ws.recv(timeout=5)
    assert isinstance(frame, str)
    with pytest.raises(json.JSONDecodeError):
        json.loads(frame)


def check_binary_frame(emulator: Emulator) -> None:
    with open_ws(emulator) as ws:
        assert isinstance(ws.recv(timeout=5), bytes)


def check_mid_session_close(emulator: Emulator) -> None:
    with open_ws(emulator) as ws:
        assert event(ws)["type"] == "session.created"
        send(ws, {"type": "session.update", "session": {"type": "realtime"}})
        frames, code, _ = until_closed(ws)
    assert (frames, code) == ([], 1011)


def check_response_failed_quota(emulator: Emulator) -> None:
    assert mint(emulator).status_code == 200
    failed = _session_then_response(emulator)[1][-1]["response"]
    assert failed["status"] == "failed" and failed["status_details"]["error"]["code"] == "insufficient_quota"


def check_response_model_not_found(emulator: Emulator) -> None:
    failed = _session_then_response(emulator)[1][-1]["response"]
    error = failed["status_details"]["error"]
    assert failed["status"] == "failed" and error["code"] == "model_not_found"
    assert error["message"] == "The model `gpt-realtime` does not exist or you do not have access to it."


def check_server_error(emulator: Emulator) -> None:
    created, received = _session_then_response(emulator)
    errors = [e["error"] for e in received if e["type"] == "error"]
    assert errors[0]["type"] == "server_error"
    assert f"(Please include the session ID {created['session']['id']} in your message.)" in errors[0]["message"]
    assert created["session"]["id"].startswith("sess_FAKE")
    assert received[-1]["response"]["status"] == "failed"


def check_ephemeral_rejected(emulator: Emulator) -> None:
    assert _session_then_response(emulator)[1][-1]["response"]["status"] == "completed"
    secret = mint(emulator).json()["value"]
    with open_ws(emulator, key=secret) as ws:
        frames, code, reason = until_closed(ws)
    assert [json.loads(f)["error"]["code"] for f in frames] == ["invalid_api_key"]
    assert (code, reason) == (3000, "invalid_request_error.invalid_api_key")


def check_expired_secret(emulator: Emulator) -> None:
    response = mint(emulator)
    server_now = email.utils.parsedate_to_datetime(response.headers["date"]).timestamp()
    assert server_now == NOW and response.json()["expires_at"] < server_now
    with open_ws(emulator, query="", key=response.json()["value"]) as ws:
        assert until_closed(ws)[1] == 3000


def check_slow_drip(emulator: Emulator) -> None:
    fault = emulator.scenario.http_faults[0]
    with http(emulator) as client, client.stream("GET", "/models", headers=AUTH) as response:
        length = int(response.headers["content-length"])
        first = next(response.iter_raw(1))
    assert response.status_code == 200 and len(first) == 1
    assert length * fault.drip_interval_ms / 1000 > 60  # far beyond any sane client deadline


def check_huge_body(emulator: Emulator) -> None:
    with http(emulator) as client, client.stream("GET", "/models", headers=AUTH) as response:
        assert "content-length" not in response.headers
        start = next(response.iter_bytes())
    assert response.status_code == 200 and start.startswith(b'{"object":"list","data":[')


def check_slow(emulator: Emulator) -> None:
    started = time.monotonic()
    assert get(emulator, "/models").status_code == 200
    assert time.monotonic() - started >= 0.3
    with open_ws(emulator) as ws:
        started = time.monotonic()
        send(ws, {"type": "input_audio_buffer.clear"})
        assert event(ws)["type"] == "session.created"
        assert event(ws)["type"] == "input_audio_buffer.cleared"
        assert time.monotonic() - started >= 0.3


def check_tls_trusted(emulator: Emulator) -> None:
    assert emulator.root_url.startswith("https://") and emulator.ca_file is not None
    assert emulator.scenario.hints.trust_ca
    assert get(emulator, "/models").status_code == 200
    assert _session_then_response(emulator)[1][-1]["response"]["status"] == "completed"


def check_tls_untrusted(emulator: Emulator) -> None:
    assert emulator.root_url.startswith("https://") and not emulator.scenario.hints.trust_ca
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        with http(emulator, verify=ssl.create_default_context()) as client:
            client.get("/models", headers=AUTH)


def check_audio_failed(emulator: Emulator) -> None:
    assert _session_then_response(emulator)[1][-1]["response"]["status"] == "completed"
    with open_ws(emulator) as ws:
        event(ws)
        done = audio_round_trip(ws)[-1]["response"]
    assert done["status"] == "failed" and done["status_details"]["error"]["type"] == "server_error"


def check_audio_incomplete(emulator: Emulator) -> None:
    with open_ws(emulator) as ws:
        event(ws)
        received = audio_round_trip(ws)
    assert not [e for e in received if e["type"] == "response.output_audio.delta"]
    done = received[-1]["response"]
    assert (done["status"], done["status_details"]["reason"]) == ("incomplete", "content_filter")


def check_audio_stripped(emulator: Emulator) -> None:
    with open_ws(emulator) as ws:
        event(ws)
        received = audio_round_trip(ws)
    types = [e["type"] for e in received]
    assert "response.output_audio.delta" not in types and "response.output_audio_transcript.delta" in types
    assert received[-1]["response"]["status"] == "completed"


def check_audio_buffer_too_small(emulator: Emulator) -> None:
    with open_ws(emulator) as ws:
        event(ws)
        (error,) = audio_round_trip(ws)
        assert text_round_trip(ws)[-1]["response"]["status"] == "completed"  # recoverable: the session goes on
    assert error["error"]["code"] == "input_audio_buffer_commit_empty"
    assert "but buffer only has 0.00ms of audio" in error["error"]["message"]


def check_transcription_failed(emulator: Emulator) -> None:
    with open_ws(emulator, query="intent=transcription") as ws:
        failed = transcription_round_trip(ws)[-1]
    assert failed["type"] == "conversation.item.input_audio_transcription.failed"
    assert (failed["error"]["type"], failed["error"]["code"]) == ("transcription_error", "audio_unintelligible")


def check_transcription_model_unavailable(emulator: Emulator) -> None:
    with open_ws(emulator, query="intent=transcription") as ws:
        (error,) = transcription_round_trip(ws, model="gpt-FAKE-transcribe")
    assert error["type"] == "error" and error["error"]["code"] == "model_not_found"
    assert error["error"]["message"].startswith("The model `gpt-FAKE-transcribe` does not exist")
    assert error["error"]["param"] == "session.audio.input.transcription.model"


def check_beta_accepted(emulator: Emulator) -> None:
    with http(emulator) as client:
        minted = client.post("/realtime/sessions", json={"model": "gpt-realtime"}, headers=AUTH).json()
    assert minted["client_secret"]["value"].startswith("ek_") and "type" not in minted
    with open_ws(emulator, headers={"OpenAI-Beta": "realtime=v1"}) as ws:
        created = event(ws)
    assert created["type"] == "session.created" and created["session"]["modalities"] == ["text", "audio"]
    with open_ws(emulator, key=None, subprotocols=["realtime", f"openai-insecure-api-key.{minted['client_secret']['value']}", "openai-beta.realtime-v1"]) as ws:  # fmt: skip
        assert event(ws)["type"] == "session.created"


# --- Azure OpenAI flavour and gateways ------------------------------------------------------------

AZURE_KEY = {"api-key": "FAKEazureKEY00000000000000000000"}


def _azure_get(emulator: Emulator, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
    with httpx.Client(trust_env=False, timeout=5) as client:
        return client.get(emulator.root_url + path, headers=AZURE_KEY if headers is None else headers)


def _azure_mint(emulator: Emulator, deployment: str, headers: dict[str, str] | None = None) -> httpx.Response:
    body = {"session": {"type": "realtime", "model": deployment}}
    with httpx.Client(trust_env=False, timeout=5) as client:
        url = emulator.root_url + "/openai/v1/realtime/client_secrets"
        return client.post(url, json=body, headers=AZURE_KEY if headers is None else headers)


def _azure_upgrade_refusal(emulator: Emulator, deployment: str) -> tuple[int, dict[str, Any], Any]:
    url = emulator.root_url.replace("http", "ws", 1) + f"/openai/v1/realtime?model={deployment}"
    with pytest.raises(InvalidStatus) as refused:
        connect(url, additional_headers=AZURE_KEY, open_timeout=5)
    response = refused.value.response
    return response.status_code, json.loads(response.body), response.headers


def _entra_token(audience: str) -> str:
    from realtime_check.cli.demo import demo_entra_token

    return demo_entra_token(audience)


def check_azure_healthy(emulator: Emulator) -> None:
    listed = _azure_get(emulator, "/openai/v1/models")
    assert listed.status_code == 200 and listed.headers["x-ms-region"] == "East US 2"
    assert "apim-request-id" in listed.headers and "x-request-id" not in listed.headers
    assert _azure_get(emulator, "/v1/models").status_code == 404  # only the /openai/v1 routes exist
    minted = _azure_mint(emulator, "realtime-prod")
    assert minted.status_code == 200 and minted.json()["value"].startswith("ek_")
    url = emulator.root_url.replace("http", "ws", 1) + "/openai/v1/realtime?model=realtime-prod"
    with connect(url, additional_headers=AZURE_KEY, open_timeout=5) as ws:
        assert event(ws)["type"] == "session.created"


def check_azure_entra(emulator: Emulator) -> None:
    bearer = {"Authorization": f"Bearer {_entra_token('https://ai.azure.com')}"}
    assert _azure_get(emulator, "/openai/v1/models", headers=bearer).status_code == 200
    assert _azure_mint(emulator, "realtime-prod", headers=bearer).status_code == 200


def check_azure_entra_wrong_audience(emulator: Emulator) -> None:
    bearer = {"Authorization": f"Bearer {_entra_token('https://cognitiveservices.azure.com')}"}
    refused = _azure_get(emulator, "/openai/v1/models", headers=bearer)
    assert refused.status_code == 401 and refused.json()["statusCode"] == 401
    assert "audience is incorrect" in refused.json()["message"]


def check_azure_key_rejected(emulator: Emulator) -> None:
    refused = _azure_get(emulator, "/openai/v1/models")
    assert refused.status_code == 401
    assert refused.json()["message"].startswith("Access denied due to invalid subscription key")


def check_azure_deployment_not_found(emulator: Emulator) -> None:
    minted = _azure_mint(emulator, "gpt-realtime")
    assert minted.status_code == 404 and minted.json()["error"]["code"] == "DeploymentNotFound"
    status, body, _ = _azure_upgrade_refusal(emulator, "gpt-realtime")
    assert (status, body["error"]["code"]) == (404, "DeploymentNotFound")


def check_azure_operation_not_supported(emulator: Emulator) -> None:
    minted = _azure_mint(emulator, "chat-gpt-4o")
    assert minted.status_code == 400 and minted.json()["error"]["code"] == "OpperationNotSupported"
    status, body, _ = _azure_upgrade_refusal(emulator, "chat-gpt-4o")
    assert (status, body["error"]["code"]) == (400, "OpperationNotSupported")


def check_azure_region_without_realtime(emulator: Emulator) -> None:
    status, body, headers = _azure_upgrade_refusal(emulator, "realtime-prod")
    assert (status, body["error"]["code"], headers["x-ms-region"]) == (400, "OpperationNotSupported", "West Europe")


def check_azure_api_version(emulator: Emulator) -> None:
    assert "api-version=" in emulator.base_url
    refused = _azure_get(emulator, "/openai/v1/models?api-version=2025-04-01-preview")
    assert refused.status_code == 401 and refused.json()["statusCode"] == 401
    assert _azure_get(emulator, "/openai/v1/models").status_code == 200


def check_azure_preview_endpoint(emulator: Emulator) -> None:
    assert "/openai/realtime?api-version=" in emulator.base_url
    assert _azure_get(emulator, "/openai/realtime?api-version=2025-04-01-preview&deployment=x").status_code == 404


def check_gateway_wrapped_secret(emulator: Emulator) -> None:
    response = mint(emulator)
    secret = response.json()["value"]
    assert len(secret) == 304 and "=" in secret
    assert "x-request-id" not in response.headers and response.headers["server"] == "uvicorn"


def check_gateway_unknown_key(emulator: Emulator) -> None:
    refused = get(emulator, "/models")
    assert refused.status_code == 400 and refused.json()["error"]["message"] == "No connected db."
    assert not any(h.lower().startswith(("x-request-id", "openai-")) for h in refused.headers)
    with pytest.raises(InvalidStatus) as upgrade:
        open_ws(emulator)
    assert upgrade.value.response.status_code == 403


SCENARIO_CHECKS: dict[str, Callable[[Emulator], None]] = {
    name.removeprefix("check_").replace("_", "-"): check
    for name, check in dict(globals()).items()
    if name.startswith("check_")
} | WEBRTC_SCENARIO_CHECKS


@pytest.mark.parametrize("name", [s.name for s in list_scenarios()])
def test_scenario_defining_behaviour(name: str) -> None:
    """Each scenario in the library shows its defining behaviour over real sockets."""
    assert name in SCENARIO_CHECKS, f"scenario {name} has no defining-behaviour check"
    with running(name) as emulator:
        SCENARIO_CHECKS[name](emulator)


def test_scenario_library_is_well_formed() -> None:
    """At least 30 uniquely named kebab-case scenarios, one-line descriptions, valid failure ids, every check used."""
    scenarios = list_scenarios()
    assert len(scenarios) >= 30
    names = [s.name for s in scenarios]
    assert len(set(names)) == len(names)
    assert set(SCENARIO_CHECKS) == set(names)
    for scenario in scenarios:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", scenario.name)
        assert scenario.description and "\n" not in scenario.description
        assert all(re.fullmatch(r"F\d\d", f) for f in scenario.failures)


def test_unknown_scenario_name_suggests_the_closest() -> None:
    """An unknown scenario name raises KeyError naming the closest match."""
    with pytest.raises(KeyError, match="healthy"):
        get_scenario("helthy")


# --- TLS, shutdown, memory, serve ------------------------------------------------------------------


def test_tls_ca_is_trusted_only_when_given() -> None:
    """Over TLS the CA file makes REST and wss work; without it verification fails; the issuer is configurable."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    with running(tls=True, ca_organization="FAKE Corp Inspection CA") as emulator:
        assert get(emulator, "/models").status_code == 200
        with open_ws(emulator) as ws:
            assert event(ws)["type"] == "session.created"
        with pytest.raises(ssl.SSLCertVerificationError):
            connect(
                emulator.ws_url + "?model=gpt-realtime",
                additional_headers=AUTH,
                ssl=ssl.create_default_context(),
                open_timeout=5,
            )
        pem = ssl.get_server_certificate(("127.0.0.1", emulator.port))
    issuer = x509.load_pem_x509_certificate(pem.encode()).issuer
    assert issuer.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "FAKE Corp Inspection CA"


def test_stop_is_prompt_with_silent_socket_and_slow_drip_open() -> None:
    """stop() returns within a second even while a silent socket and a dripping body are still open."""
    dripping = dataclasses.replace(get_scenario("slow-drip"), socket=get_scenario("silent-socket").socket)
    emulator = Emulator(dripping, clock=FakeClock()).start()
    try:
        with (
            http(emulator) as client,
            open_ws(emulator) as ws,
            client.stream("GET", "/models", headers=AUTH) as response,
        ):
            assert next(response.iter_raw(1))
            started = time.monotonic()
            emulator.stop()
            elapsed = time.monotonic() - started
            with pytest.raises(ConnectionClosed):
                ws.recv(timeout=5)
    finally:
        emulator.stop()
    assert elapsed < 1.5


def test_huge_body_streams_without_building_it_in_memory() -> None:
    """huge-body delivers about 64 MiB of valid JSON while the process allocates only a few MiB."""
    tracemalloc.start()
    try:
        with running("huge-body") as emulator, http(emulator) as client:
            with client.stream("GET", "/models", headers=AUTH) as response:
                total, tail = 0, b""
                for chunk in response.iter_raw(1 << 20):
                    total += len(chunk)
                    tail = (tail + chunk)[-64:]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total >= 60 * 2**20 and tail.endswith(b"]}")
    assert peak < 16 * 2**20


def test_huge_body_stops_when_the_client_goes_away() -> None:
    """A client hanging up mid-body leaves the emulator serving other requests normally."""
    with running("huge-body") as emulator:
        with http(emulator) as client, client.stream("GET", "/models", headers=AUTH) as response:
            next(response.iter_raw())
        assert get(emulator, "/models/gpt-realtime").status_code == 200  # still responsive


def test_serve_prints_instructions_and_stops_on_request() -> None:
    """serve() prints the scenario, base URL, WebSocket URL and ready-to-paste lines, and returns when stopped."""
    out = io.StringIO()
    stop = threading.Event()
    ready: list[Emulator] = []

    def on_ready(emulator: Emulator) -> None:
        ready.append(emulator)
        stop.set()

    serve("tls-trusted", "127.0.0.1", 0, False, None, out, stop=stop, on_ready=on_ready)
    text = out.getvalue()
    base = ready[0].base_url
    assert "tls-trusted" in text and get_scenario("tls-trusted").description in text
    assert f"export OPENAI_BASE_URL={base}" in text and f"realtime-check run --base-url {base} --ca-bundle " in text
    assert "wss://127.0.0.1:" in text and "CA file:" in text
    assert "sk-" not in text.replace("starting with sk-", "")


def test_serve_refuses_a_public_host_unless_allowed() -> None:
    """serve() will not listen on a non-loopback address without allow_public."""
    with pytest.raises(ValueError, match="allow-public"):
        serve("healthy", "0.0.0.0", 0, False, None, io.StringIO())


def test_port_in_use_is_a_clear_error() -> None:
    """Starting on a port that is already taken raises OSError naming the address, without hanging."""
    with running() as first:
        with pytest.raises(OSError, match=f"127.0.0.1:{first.port}"):
            Emulator(port=first.port).start()


def test_latency_override_applies_per_response() -> None:
    """A harness latency override delays responses of an otherwise healthy scenario."""
    with running(latency_ms=200) as emulator:
        started = time.monotonic()
        get(emulator, "/models")
    assert time.monotonic() - started >= 0.2


def test_scenarios_built_from_data_are_interpreted_generically() -> None:
    """A scenario defined only as data (an HTML fault on one endpoint) is served by the same interpreter."""
    teapot = HttpFault(
        ("models.get",), status=418, text="<p>FAKE teapot ${model}</p>", content_type="text/html", intermediary=True
    )
    with running(Scenario("teapot", "test", http_faults=(teapot,))) as emulator:
        listed = get(emulator, "/models")
        response = get(emulator, "/models/gpt-realtime")
    assert listed.status_code == 200
    assert (response.status_code, response.text) == (418, "<p>FAKE teapot gpt-realtime</p>")
    assert "x-request-id" not in response.headers
