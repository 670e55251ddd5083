"""The opt-in webrtc check: the SDP offer and its wire shapes, the call and hangup against the emulator, the CLI."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from realtime_check import settings as settings_mod
from realtime_check.checks import doctor
from realtime_check.checks.context import RunOptions
from realtime_check.emulator import Emulator
from realtime_check.models import Status
from realtime_check.probes import sdp

KEY = "sk-proj-FAKE0000000000000000000000000000000000000000TEST"


def test_offer_has_every_line_crlf_terminated_and_the_fields_a_server_needs() -> None:
    """The local offer ends every line (the last too) in CRLF and carries Opus, ICE, a fingerprint and actpass."""
    offer = sdp.offer().decode()
    assert offer.endswith("\r\n") and "\n" not in offer.replace("\r\n", "")
    for needed in ("m=audio 9 UDP/TLS/RTP/SAVPF 111", "a=rtpmap:111 opus/48000/2", "a=ice-ufrag:", "a=ice-pwd:"):
        assert needed in offer
    assert "a=fingerprint:sha-256 " in offer and "a=setup:actpass" in offer


def test_multipart_keeps_the_offer_byte_exact_before_the_delimiter() -> None:
    """In the multipart body the offer keeps its own final CRLF, followed by the delimiter's CRLF (update N5)."""
    offer = sdp.offer()
    body, content_type = sdp.multipart_body(offer)
    boundary = content_type.split("boundary=", 1)[1].encode()
    assert content_type.startswith("multipart/form-data; ")
    assert b"\r\n\r\n" + offer + b"\r\n--" + boundary + b"--\r\n" in body


@pytest.mark.parametrize(
    ("credential", "shape"),
    [("ek_FAKE0123456789abcdef", "application/sdp"), (KEY, "multipart/form-data")],
)
def test_body_shape_follows_the_credential(credential: str, shape: str) -> None:
    """Raw SDP only with an ek_ secret; a standard key always sends multipart, even with no session (C8, N6)."""
    _, content_type = sdp.body_for(credential, sdp.offer())
    assert content_type.split(";")[0] == shape


def _run(emulator: Emulator, selected: list[str], *, sideband: bool = False):
    settings = settings_mod.resolve({"api_key": KEY, "base_url": emulator.base_url}, {}, {}, None, timeout=10)
    return doctor.run(settings, RunOptions(sideband=sideband), selected)


def _calls(emulator: Emulator) -> list[tuple[str, str, str]]:
    return [
        (r.method, r.path, r.headers.get("Content-Type", "").split(";")[0])
        for r in emulator.requests
        if r.path.startswith("/v1/realtime/calls")
    ]


def test_with_the_api_key_the_call_is_multipart_and_is_hung_up() -> None:
    """Without a minted secret the key posts multipart; the emulator accepts the offer and the call is hung up."""
    with Emulator("healthy") as emulator:
        report = _run(emulator, ["webrtc"])
        calls = _calls(emulator)
    result = report.check("webrtc")
    assert result is not None and result.status is Status.PASS, result
    assert calls[0] == ("POST", "/v1/realtime/calls", "multipart/form-data")
    assert calls[1][:2] == ("POST", f"/v1/realtime/calls/{result.details['call_id']}/hangup")
    assert result.details["hangup_status"] == 200


def test_with_the_minted_secret_the_offer_goes_out_raw() -> None:
    """After the session check minted an ek_, the call is posted as raw application/sdp with that secret."""
    with Emulator("healthy") as emulator:
        report = _run(emulator, ["session", "webrtc"])
        sent = [r for r in emulator.requests if r.path == "/v1/realtime/calls"]
    result = report.check("webrtc")
    assert result is not None and result.status is Status.PASS, result
    assert sent[0].headers["Content-Type"] == "application/sdp"
    assert sent[0].headers["Authorization"].startswith("Bearer ek_")


def test_demo_webrtc_with_sideband_passes_and_leaks_no_secret() -> None:
    """`demo --webrtc --sideband --json`: the call, its sideband session.created and the hangup all pass."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    proc = subprocess.run(
        [sys.executable, "-m", "realtime_check", "demo", "--webrtc", "--sideband", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    report = json.loads(proc.stdout)
    webrtc = next(c for c in report["checks"] if c["id"] == "webrtc")
    assert proc.returncode == 0 and webrtc["status"] == "pass", webrtc
    assert webrtc["details"]["sideband_first_event"] == "session.created"
    assert webrtc["details"]["credential"] == "ephemeral secret (application/sdp)"
    assert not re.search(r"ek_FAKE[0-9a-f]{8}|sk-proj-DEMO-FAKE-KEY-0{8}", proc.stdout + proc.stderr)


def test_webrtc_is_opt_in() -> None:
    """A plain run does not place calls; --webrtc (or --only webrtc) does."""
    from realtime_check.checks import select

    assert "webrtc" not in select(None, None, probe_response=False)
    assert "webrtc" in select(None, None, probe_response=False, webrtc=True)
