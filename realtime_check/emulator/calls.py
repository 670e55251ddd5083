"""POST /v1/realtime/calls (the WebRTC SDP exchange) and POST /v1/realtime/calls/{id}/hangup.

The body shape follows the credential (update C8/N6): raw `application/sdp` is for `ek_` secrets
only; a standard key must send `multipart/form-data` with an `sdp` part (a `session` part is
optional). The offer is read byte-exact, so a trimmed one fails as the real parser does (N5).
No media is ever exchanged: the answer only has to be a well-formed SDP.
"""

from __future__ import annotations

import json
import secrets

from aiohttp import BodyPartReader, web

from realtime_check.emulator import scenarios as sc
from realtime_check.emulator.call import Call, KeyKind
from realtime_check.emulator.payloads import DEFAULT_MODEL, new_id, realtime_session
from realtime_check.emulator.scenarios import ErrorSpec
from realtime_check.emulator.state import LiveCall
from realtime_check.probes.sdp import offer_problem

MAX_OFFER_BYTES = 256 * 1024


async def create_call(call: Call, kind: KeyKind, key: str) -> web.Response:
    """201 + answer SDP + `Location: /v1/realtime/calls/rtc_…`, or a 400 like the real validator's."""
    request = call.request
    content_type = request.content_type
    session_json: bytes | None = None
    if content_type == "application/sdp":
        if kind != "ephemeral":
            return call.error(400, sc.RAW_SDP_RESERVED)
        offer = await request.content.read(MAX_OFFER_BYTES)
    elif content_type == "multipart/form-data":
        parts = await _read_parts(request)
        if parts is None or "sdp" not in parts:
            return call.error(400, ErrorSpec("Missing required parameter: 'sdp'.", code="missing_required_parameter"))
        offer = parts["sdp"]
        session_json = parts.get("session")
    else:
        return call.error(400, sc.UNSUPPORTED_CALL_CONTENT_TYPE)
    problem = offer_problem(offer)
    if problem is not None:
        return call.error(400, sc.SDP_EOF if problem == "eof" else sc.INVALID_OFFER)
    model = _model(session_json, call, kind, key)
    call_id = new_id("rtc_", fake=True)
    session = realtime_session(new_id("sess_", fake=True), model, int(call.state.clock()) + 3600)
    call.state.calls[call_id] = LiveCall(session=session)
    headers = call.headers()
    headers["Content-Type"] = "application/sdp"
    headers["Location"] = f"/v1/realtime/calls/{call_id}"
    return web.Response(status=201, body=answer(offer), headers=headers)


async def hangup(call: Call, call_id: str) -> web.Response:
    live = call.state.calls.get(call_id)
    if live is None or live.ended:
        return call.error(404, sc.CALL_ID_NOT_FOUND)
    live.ended = True
    return call.json(200, {})


def answer(offer: bytes) -> bytes:
    """A passive answer mirroring the offer's m-lines (media would never flow: no ICE candidates)."""
    fingerprint = ":".join(f"{b:02X}" for b in secrets.token_bytes(32))
    lines = [
        "v=0",
        f"o=- {secrets.randbelow(2**62)} 2 IN IP4 0.0.0.0",
        "s=-",
        "t=0 0",
        "a=group:BUNDLE 0 1",
        "m=audio 3478 UDP/TLS/RTP/SAVPF 111",
        "c=IN IP4 0.0.0.0",
        f"a=ice-ufrag:{secrets.token_hex(4)}",
        f"a=ice-pwd:{secrets.token_hex(12)}",
        f"a=fingerprint:sha-256 {fingerprint}",
        "a=setup:passive",
        "a=mid:0",
        "a=sendrecv",
        "a=rtcp-mux",
        "a=rtpmap:111 opus/48000/2",
        "m=application 3478 UDP/DTLS/SCTP webrtc-datachannel",
        "a=mid:1",
        "a=sctp-port:5000",
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


async def _read_parts(request: web.Request) -> dict[str, bytes] | None:
    """The form's parts by name, each byte-exact and capped."""
    try:
        reader = await request.multipart()
        parts: dict[str, bytes] = {}
        while True:
            part = await reader.next()
            if part is None:
                return parts
            if isinstance(part, BodyPartReader) and part.name:
                data = bytearray()
                while chunk := await part.read_chunk():
                    data += chunk
                    if len(data) > MAX_OFFER_BYTES:
                        return None
                parts[part.name] = bytes(data)
    except (ValueError, AssertionError, RuntimeError):
        return None


def _model(session_json: bytes | None, call: Call, kind: KeyKind, key: str) -> str:
    if session_json is not None:
        try:
            session = json.loads(session_json)
        except ValueError:
            session = None
        if isinstance(session, dict) and isinstance(session.get("model"), str):
            return session["model"]
    if kind == "ephemeral":
        minted = call.state.secrets.get(key)
        if minted is not None and isinstance(minted.session.get("model"), str):
            return str(minted.session["model"])
    return DEFAULT_MODEL
