"""The emulator's WebRTC routes (/v1/realtime/calls, hangup, the ?call_id= sideband) over real loopback sockets."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import httpx
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from realtime_check.emulator import Emulator
from realtime_check.probes import sdp

KEY = "sk-proj-FAKE00000000000000000000000000000000000000000000FAKE"
AUTH = {"Authorization": f"Bearer {KEY}"}


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    with Emulator("healthy") as running:
        yield running


def _client(emulator: Emulator) -> httpx.Client:
    return httpx.Client(base_url=emulator.base_url, trust_env=False, timeout=5)


def _mint(client: httpx.Client) -> str:
    minted = client.post(
        "/realtime/client_secrets", headers=AUTH, json={"session": {"type": "realtime", "model": "gpt-realtime"}}
    )
    return str(minted.json()["value"])


def _call(client: httpx.Client, credential: str, body: bytes, content_type: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {credential}", "Content-Type": content_type}
    return client.post("/realtime/calls", headers=headers, content=body)


def test_ephemeral_secret_with_raw_sdp_gets_201_answer_and_call_location(emulator: Emulator) -> None:
    """An ek_ secret posting a raw offer gets 201, an SDP answer and a Location naming an rtc_ call."""
    with _client(emulator) as client:
        secret = _mint(client)
        answer = _call(client, secret, *sdp.raw_body(sdp.offer()))
    assert answer.status_code == 201
    assert answer.headers["content-type"] == "application/sdp"
    assert sdp.looks_like_answer(answer.content)
    assert answer.headers["location"].startswith("/v1/realtime/calls/rtc_")


def test_api_key_with_multipart_and_no_session_part_is_accepted(emulator: Emulator) -> None:
    """A standard key sending multipart with only the sdp part gets 201 (update C8)."""
    with _client(emulator) as client:
        answer = _call(client, KEY, *sdp.multipart_body(sdp.offer()))
    assert answer.status_code == 201, answer.text


def test_api_key_with_raw_sdp_is_refused(emulator: Emulator) -> None:
    """Raw application/sdp with a standard key is a 400: it is reserved for ek_ secrets (update N6)."""
    with _client(emulator) as client:
        answer = _call(client, KEY, *sdp.raw_body(sdp.offer()))
    assert answer.status_code == 400
    assert "reserved for ephemeral" in answer.json()["error"]["message"]


def test_offer_that_lost_its_final_crlf_fails_like_the_real_parser(emulator: Emulator) -> None:
    """A trimmed offer is answered 400 `failed to unmarshal SDP: EOF` (update N5)."""
    with _client(emulator) as client:
        answer = _call(client, KEY, *sdp.multipart_body(sdp.offer().rstrip(b"\r\n")))
    assert answer.status_code == 400
    assert answer.json()["error"]["message"] == "Failed to parse offer: failed to unmarshal SDP: EOF"


def test_json_body_is_an_unsupported_content_type(emulator: Emulator) -> None:
    """A JSON body is refused with a message naming the content types the route takes."""
    with _client(emulator) as client:
        answer = _call(client, KEY, b'{"sdp": "v=0"}', "application/json")
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "unsupported_content_type"


def test_hangup_ends_the_call_and_a_second_hangup_is_404(emulator: Emulator) -> None:
    """Hangup answers 200 once; afterwards the call id is unknown (404 call_id_not_found)."""
    with _client(emulator) as client:
        location = _call(client, KEY, *sdp.multipart_body(sdp.offer())).headers["location"]
        path = location.removeprefix("/v1") + "/hangup"
        first = client.post(path, headers=AUTH)
        second = client.post(path, headers=AUTH)
    assert first.status_code == 200
    assert second.status_code == 404
    assert second.json()["error"]["code"] == "call_id_not_found"


def test_sideband_socket_joins_a_live_call_and_refuses_an_ended_one(emulator: Emulator) -> None:
    """`?call_id=` opens with session.created while the call lives, and is a 404 after hangup."""
    with _client(emulator) as client:
        location = _call(client, KEY, *sdp.multipart_body(sdp.offer())).headers["location"]
        call_id = location.rsplit("/", 1)[1]
        with connect(f"{emulator.ws_url}?call_id={call_id}", additional_headers=AUTH, open_timeout=5) as ws:
            first = json.loads(ws.recv(timeout=5))
        client.post(f"/realtime/calls/{call_id}/hangup", headers=AUTH)
    assert first["type"] == "session.created"
    with pytest.raises(InvalidStatus) as refused:
        connect(f"{emulator.ws_url}?call_id={call_id}", additional_headers=AUTH, open_timeout=5)
    assert refused.value.response.status_code == 404


# --- The defining behaviour of each WebRTC scenario (collected by test_emulator.py's scenario table) -----


def _scenario_call(emulator: Emulator) -> httpx.Response:
    with _client(emulator) as client:
        return _call(client, KEY, *sdp.multipart_body(sdp.offer()))


def _refused_with(status: int, code: str | None, message: str | None = None) -> Callable[[Emulator], None]:
    def check(emulator: Emulator) -> None:
        answer = _scenario_call(emulator)
        assert answer.status_code == status
        error = answer.json()["error"]
        assert error["code"] == code
        if message is not None:
            assert error["message"] == message

    return check


def _secret_rejected(emulator: Emulator) -> None:
    with _client(emulator) as client:
        secret = _mint(client)
        assert _call(client, secret, *sdp.raw_body(sdp.offer())).status_code == 401
        assert _call(client, KEY, *sdp.multipart_body(sdp.offer())).status_code == 201  # the key still works


def _answer_not_sdp(emulator: Emulator) -> None:
    answer = _scenario_call(emulator)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    assert "x-request-id" not in answer.headers  # a proxy's page, not the API's


def _no_location(emulator: Emulator) -> None:
    answer = _scenario_call(emulator)
    assert answer.status_code == 201 and sdp.looks_like_answer(answer.content)
    assert "location" not in answer.headers


def _hangup_fails(emulator: Emulator) -> None:
    call_id = _scenario_call(emulator).headers["location"].rsplit("/", 1)[1]
    with _client(emulator) as client:
        assert client.post(f"/realtime/calls/{call_id}/hangup", headers=AUTH).status_code == 500


def _sideband_not_found(emulator: Emulator) -> None:
    call_id = _scenario_call(emulator).headers["location"].rsplit("/", 1)[1]
    with pytest.raises(InvalidStatus) as refused:
        connect(f"{emulator.ws_url}?call_id={call_id}", additional_headers=AUTH, open_timeout=5)
    assert refused.value.response.status_code == 404
    assert b"call_id_not_found" in refused.value.response.body


WEBRTC_SCENARIO_CHECKS: dict[str, Callable[[Emulator], None]] = {
    "webrtc-sdp-eof": _refused_with(400, None, "Failed to parse offer: failed to unmarshal SDP: EOF"),
    "webrtc-invalid-offer": _refused_with(400, "invalid_offer"),
    "webrtc-raw-sdp-refused": _refused_with(400, "invalid_content_type"),
    "webrtc-unsupported-content-type": _refused_with(400, "unsupported_content_type"),
    "webrtc-model-not-entitled": _refused_with(403, "model_not_found"),
    "webrtc-secret-rejected": _secret_rejected,
    "webrtc-model-not-found": _refused_with(404, "model_not_found"),
    "webrtc-answer-not-sdp": _answer_not_sdp,
    "webrtc-no-location": _no_location,
    "webrtc-hangup-fails": _hangup_fails,
    "sideband-not-found": _sideband_not_found,
}
