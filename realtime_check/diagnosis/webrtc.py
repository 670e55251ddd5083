"""Pure classifier for answers of the WebRTC routes (`/v1/realtime/calls`, its hangup, the sideband upgrade).

The SDP-specific signals come first (update N5, N6, F48); anything else is read like any other REST
answer by classify.from_http, so a 401, a quota 429 or a proxy's HTML page get their usual diagnosis.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from realtime_check.diagnosis import classify
from realtime_check.diagnosis.bodies import ParsedBody
from realtime_check.models import Finding, Status


def from_calls(
    status: int, body: ParsedBody, headers: Mapping[str, str], *, key_kind: Any = None, stage: str = "webrtc"
) -> Finding:
    """Classify a non-success answer of POST /v1/realtime/calls (or its hangup, stage "webrtc_hangup")."""
    error = body.error
    code = (error.code or "").lower() if error else ""
    message = (error.message or "").lower() if error else ""
    text = message or (body.snippet or "").lower()

    def found(diagnosis: str) -> Finding:
        return Finding(diagnosis, Status.FAIL, error=error)

    if "unmarshal sdp" in text or "failed to parse offer" in text:
        return found("webrtc_offer_truncated")
    if code == "invalid_offer" or "whip-compliant" in text or "invalid sdp offer" in text:
        return found("webrtc_invalid_offer")
    if code == "invalid_content_type" or "reserved for ephemeral" in text:
        return found("webrtc_body_shape")
    if code == "unsupported_content_type" or "unsupported content type" in text or status == 415:
        return found("webrtc_unsupported_content_type")
    if code == "call_id_not_found" or "no session found for the provided call_id" in text:
        return found("sideband_call_not_found")
    if status == 403 and code == "model_not_found" and stage == "webrtc":
        return found("webrtc_model_not_entitled")
    if status == 401 and str(getattr(key_kind, "value", key_kind)) == "ephemeral":
        # The ek_ was minted moments ago by this run or the app's server: rejected means expired or used up.
        return found("ephemeral_expired")
    return classify.from_http(stage, status, body, headers, key_kind=key_kind)
