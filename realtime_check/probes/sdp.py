"""The WebRTC signalling bodies for `POST /v1/realtime/calls`: a local SDP offer and its two wire shapes.

No media is ever sent, so no WebRTC stack is needed: the offer only has to be well formed (an audio
m-line with Opus, ICE ufrag/pwd, a DTLS fingerprint, `setup:actpass`) for the server to answer it.
Pure: no I/O. The bytes are built by hand because they must go out byte-exact (update C8, N5, N6).
"""

from __future__ import annotations

import secrets

CRLF = "\r\n"
# The multipart boundary only has to be absent from the parts; ours are ASCII SDP and JSON.
_BOUNDARY_PREFIX = "realtime-check-"


def offer() -> bytes:
    """A fresh, well-formed SDP offer: one Opus audio m-line and the `oai-events` data channel.

    Every line ends in CRLF, the last one too: an offer that loses its final CRLF is answered
    400 `failed to unmarshal SDP: EOF` (update N5).
    """
    session_id = secrets.randbelow(2**62)
    ufrag = secrets.token_hex(4)
    pwd = secrets.token_hex(12)  # ICE wants 22+ characters
    # A random SHA-256 "fingerprint": no DTLS handshake ever happens, so no certificate is needed.
    fingerprint = ":".join(f"{b:02X}" for b in secrets.token_bytes(32))
    lines = [
        "v=0",
        f"o=- {session_id} 2 IN IP4 127.0.0.1",
        "s=-",
        "t=0 0",
        "a=group:BUNDLE 0 1",
        "a=msid-semantic: WMS",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111",
        "c=IN IP4 0.0.0.0",
        "a=rtcp:9 IN IP4 0.0.0.0",
        f"a=ice-ufrag:{ufrag}",
        f"a=ice-pwd:{pwd}",
        "a=ice-options:trickle",
        f"a=fingerprint:sha-256 {fingerprint}",
        "a=setup:actpass",
        "a=mid:0",
        "a=sendrecv",
        "a=rtcp-mux",
        "a=rtpmap:111 opus/48000/2",
        "a=fmtp:111 minptime=10;useinbandfec=1",
        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
        "c=IN IP4 0.0.0.0",
        f"a=ice-ufrag:{ufrag}",
        f"a=ice-pwd:{pwd}",
        f"a=fingerprint:sha-256 {fingerprint}",
        "a=setup:actpass",
        "a=mid:1",
        "a=sctp-port:5000",
    ]
    return (CRLF.join(lines) + CRLF).encode("ascii")


def raw_body(sdp: bytes) -> tuple[bytes, str]:
    """(body, content type) for an ephemeral `ek_` secret: the offer itself (protocol.md §2.3 a)."""
    return sdp, "application/sdp"


def multipart_body(sdp: bytes, session_json: bytes | None = None) -> tuple[bytes, str]:
    """(body, content type) for a standard key: multipart even with no session part (update C8).

    The offer goes in verbatim, its own final CRLF included; the CRLF after it belongs to the
    multipart delimiter, so a server that strips the delimiter still sees the offer's own.
    """
    boundary = _BOUNDARY_PREFIX + secrets.token_hex(12)
    parts = [(b'form-data; name="sdp"', b"application/sdp", sdp)]
    if session_json is not None:
        parts.append((b'form-data; name="session"', b"application/json", session_json))
    out = bytearray()
    for disposition, content_type, content in parts:
        out += b"--" + boundary.encode() + b"\r\n"
        out += b"Content-Disposition: " + disposition + b"\r\n"
        out += b"Content-Type: " + content_type + b"\r\n\r\n"
        out += content + b"\r\n"
    out += b"--" + boundary.encode() + b"--\r\n"
    return bytes(out), f"multipart/form-data; boundary={boundary}"


def body_for(credential: str, sdp: bytes, session_json: bytes | None = None) -> tuple[bytes, str]:
    """The shape the credential allows: raw SDP is reserved for `ek_` secrets (update N6)."""
    if credential.startswith("ek_") and session_json is None:
        return raw_body(sdp)
    return multipart_body(sdp, session_json)


def looks_like_answer(body: bytes) -> bool:
    """An SDP answer starts with `v=0` and has an m-line; anything else (JSON, HTML) is not one (F48)."""
    text = body[:65536].decode("utf-8", "replace")
    return text.startswith("v=0") and "\nm=" in text


def offer_problem(sdp: bytes) -> str | None:
    """Why a server's SDP parser would refuse this offer: "eof", "invalid", or None (used by the emulator).

    The parser reads line by line: a last line without its terminator is read as EOF (update N5).
    """
    if not sdp.endswith(b"\n"):
        return "eof"
    text = sdp.decode("utf-8", "replace")
    if not text.startswith("v=0") or "\nm=audio " not in text:
        return "invalid"
    return None
