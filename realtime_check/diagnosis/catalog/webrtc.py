"""Diagnoses for the WebRTC path: the `/v1/realtime/calls` SDP exchange, its hangup and the sideband socket.

Sources: docs/failures.md F48/F49, protocol-update-2026-11 C8, N4, N5, N6, N14.
"""

from __future__ import annotations

from realtime_check.diagnosis.catalog._base import DOCS_MODELS, DOCS_REALTIME, Entry, entry
from realtime_check.models import Category

DOCS_WEBRTC = "https://platform.openai.com/docs/guides/realtime-webrtc"
P = Category.PROTOCOL

ENTRIES: tuple[Entry, ...] = (
    entry(
        "webrtc_offer_truncated",
        "SDP offer lost its final line ending",
        "The server's SDP parser reads the offer line by line; an offer whose last CRLF was trimmed or re-encoded "
        "(a `.trim()`, a text field, a JSON round trip) ends in the middle of a line and is read as EOF.",
        (
            "Send the offer exactly as the browser produced it (pc.localDescription.sdp), every CRLF included: "
            "never trim, re-encode or rebuild it.",
            "In multipart bodies the CRLF before the boundary belongs to the delimiter: the offer keeps its own.",
        ),
        P,
        docs=DOCS_WEBRTC,
        failures=("F48",),
        statuses=(400,),
        terms=("N5", "failed to unmarshal SDP", "Failed to parse offer", "unmarshal SDP: EOF"),
    ),
    entry(
        "webrtc_invalid_offer",
        "SDP offer refused as invalid",
        "The body of POST /v1/realtime/calls was not an offer the server accepts: not SDP at all (JSON, an empty "
        "body), no audio m-line, or an offer a browser would never produce.",
        (
            "Post the offer from pc.createOffer() after adding an audio transceiver (or microphone track) and the "
            "`oai-events` data channel.",
            "Send it as the body (Content-Type: application/sdp) with an ek_ secret, or as the `sdp` part of "
            "multipart/form-data with an API key.",
        ),
        P,
        docs=DOCS_WEBRTC,
        failures=("F48",),
        statuses=(400,),
        codes=("invalid_offer",),
        terms=("WHIP-compliant offer", "Invalid SDP offer"),
    ),
    entry(
        "webrtc_body_shape",
        "Wrong /calls body shape for this credential",
        "Raw `application/sdp` bodies are reserved for ephemeral client secrets (ek_); a standard API key must "
        "send `multipart/form-data`, even when there is no session part.",
        (
            "Choose the shape from the credential: ek_ -> the offer as the body (application/sdp); sk- -> "
            "multipart/form-data with an `sdp` part and, optionally, a `session` part (GA session JSON).",
            "Browsers should never hold the API key: mint an ek_ on your server and post the offer with it.",
        ),
        P,
        docs=DOCS_WEBRTC,
        failures=("F48",),
        statuses=(400,),
        codes=("invalid_content_type",),
        terms=("N6", "reserved for ephemeral", "multipart/form-data"),
    ),
    entry(
        "webrtc_unsupported_content_type",
        "Unsupported Content-Type on /v1/realtime/calls",
        "The call was posted as JSON or form-urlencoded; the endpoint takes only application/sdp (ek_ secrets) or "
        "multipart/form-data (API keys).",
        (
            "Set Content-Type: application/sdp and send the offer text as the body, or build multipart/form-data "
            "with an `sdp` part; do not wrap the offer in JSON.",
        ),
        P,
        docs=DOCS_WEBRTC,
        failures=("F48",),
        statuses=(400, 415),
        codes=("unsupported_content_type",),
        terms=("Unsupported content type",),
    ),
    entry(
        "webrtc_model_not_entitled",
        "The project may not use this model for calls",
        "Minting a secret and opening a socket can succeed for a model the project is not entitled to; "
        "/v1/realtime/calls checks entitlement and answers 403 model_not_found (update N4).",
        (
            "Check the project's allowed models (Settings -> Projects -> Limits) include the Realtime model.",
            "Compare with GET /v1/models: fall back to a model it lists (gpt-realtime-2.1 -> gpt-realtime-2 -> "
            "gpt-realtime) until the project is allowlisted.",
        ),
        Category.AUTH,
        docs=DOCS_MODELS,
        failures=("F48",),
        statuses=(403,),
    ),
    entry(
        "webrtc_answer_not_sdp",
        "Call created, but the answer is not SDP",
        "A success status came back with a body that is not an SDP answer (JSON, an HTML page). A browser app "
        "that hands it to setRemoteDescription sees `Failed to parse SessionDescription` and blames SDP (F48).",
        (
            "Check response.ok and the Content-Type (application/sdp) before calling setRemoteDescription.",
            "A web page here means something between you and the API answered: check proxies and base URLs.",
        ),
        P,
        docs=DOCS_WEBRTC,
        failures=("F48",),
        terms=("Failed to parse SessionDescription", "Expect line: v=", "SIPCC Failed to parse SDP"),
    ),
    entry(
        "webrtc_no_call_id",
        "Call created without a call id",
        "The 201 answer had no `Location: …/rtc_…` header, so the call can be neither hung up nor joined by a "
        "sideband socket. Something between you and the API dropped the header (a proxy, a CORS layer).",
        ("Expose the Location header through your server or proxy (CORS: Access-Control-Expose-Headers: Location).",),
        P,
        docs=DOCS_WEBRTC,
        failures=("F48",),
        terms=("Location",),
    ),
    entry(
        "webrtc_hangup_failed",
        "The test call could not be hung up",
        "POST /v1/realtime/calls/{id}/hangup did not succeed; the call realtime-check created may linger until "
        "it times out on the server (no media ever flows, so it costs nothing).",
        ("Nothing to fix for your app; if it repeats, quote the request id to support.",),
        Category.TEMPORARY,
        docs=DOCS_REALTIME,
        failures=("F48",),
        terms=("hangup",),
    ),
    entry(
        "sideband_call_not_found",
        "Sideband socket: no session for this call id",
        "`wss://…/v1/realtime?call_id=rtc_…` found no live call: the call already ended, the id is wrong, or the "
        "socket went to another host than the call (regional hosts, update N14).",
        (
            "Attach the sideband socket promptly after the 201, while the call is live.",
            "Use the host of the /calls answer's Location for the socket, with a standard API key.",
        ),
        P,
        docs=DOCS_WEBRTC,
        failures=("F48",),
        statuses=(404,),
        codes=("call_id_not_found",),
        terms=("N14", "No session found for the provided call_id", "call_id"),
    ),
)

DIAGNOSES = tuple(d for d, _ in ENTRIES)
MATCHERS = {d.id: m for d, m in ENTRIES}
