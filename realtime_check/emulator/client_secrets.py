"""POST /v1/realtime/client_secrets: validate the GA body as the real server does, then mint an ephemeral key."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from realtime_check.emulator import scenarios as sc
from realtime_check.emulator.call import Call
from realtime_check.emulator.payloads import (
    DEFAULT_MODEL,
    REALTIME_SESSION_KEYS,
    TRANSCRIPTION_SESSION_KEYS,
    beta_session,
    new_id,
    realtime_session,
    transcription_session,
    unknown_parameter,
    wrapped_secret,
)
from realtime_check.emulator.scenarios import ErrorSpec
from realtime_check.emulator.state import MintedSecret

INVALID_JSON_BODY = ErrorSpec(
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP "
    "library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you "
    "have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)"
)


async def read_json(request: web.Request) -> Any:
    try:
        return json.loads(await request.read() or b"null")
    except (ValueError, UnicodeDecodeError):
        return _INVALID


_INVALID = object()


def mint_client_secret(call: Call, body: Any) -> web.Response:
    """POST /v1/realtime/client_secrets with the GA body; 400s shaped like the real validator's."""
    if body is _INVALID:
        return call.error(400, INVALID_JSON_BODY)
    if body is None:
        body = {}
    if not isinstance(body, dict):
        return call.error(400, ErrorSpec("Invalid type for request body: expected an object.", code="invalid_type"))
    for name in body:
        if name not in ("expires_after", "session"):
            return call.error(400, unknown_parameter(name))
    seconds, problem = _expiry_seconds(body.get("expires_after"))
    if problem is not None:
        return call.error(400, problem)
    session = body.get("session")
    if not isinstance(session, dict) or "type" not in session:
        return call.error(
            400,
            ErrorSpec(
                "Missing required parameter: 'session.type'.", code="missing_required_parameter", param="session.type"
            ),
        )
    kind = session["type"]
    if kind not in ("realtime", "transcription"):
        return call.error(
            400,
            ErrorSpec(
                f"Invalid value: {json.dumps(kind)}. Supported values are: 'realtime' and 'transcription'.",
                code="invalid_value",
                param="session.type",
            ),
        )
    allowed = REALTIME_SESSION_KEYS if kind == "realtime" else TRANSCRIPTION_SESSION_KEYS
    for name in session:
        if name not in allowed:
            return call.error(400, unknown_parameter(f"session.{name}"))
    now = int(call.state.clock())
    # expired-secret: a secret whose lifetime is over before the client sees it (F28).
    expires_at = now - 60 if call.state.scenario.mint_expired else now + seconds
    session_id = new_id("sess_", fake=True)
    if kind == "realtime":
        model = session.get("model") or DEFAULT_MODEL
        entry = next((m for m in call.state.scenario.catalogue() if m.id == model), None)
        if entry is not None and entry.refused_at == "mint":
            return call.error(403, sc.PROJECT_NO_ACCESS)
        shown = realtime_session(session_id, str(model), 0)
        for name in ("instructions", "output_modalities", "tools", "tool_choice"):
            if name in session:
                shown[name] = session[name]
    else:
        shown = transcription_session(session_id, 0)
    gateway = call.state.scenario.gateway
    value = wrapped_secret() if gateway is not None and gateway.wrapped_secrets else new_id("ek_", fake=True)
    call.state.secrets[value] = MintedSecret(expires_at, shown)
    return call.json(200, {"value": value, "expires_at": expires_at, "session": shown})


def _expiry_seconds(expires_after: Any) -> tuple[int, ErrorSpec | None]:
    if expires_after is None:
        return 600, None
    if not isinstance(expires_after, dict):
        return 0, ErrorSpec(
            "Invalid type for 'expires_after': expected an object.", code="invalid_type", param="expires_after"
        )
    anchor = expires_after.get("anchor", "created_at")
    if anchor != "created_at":
        return 0, ErrorSpec(
            f"Invalid value: {json.dumps(anchor)}. Supported values are: 'created_at'.",
            code="invalid_value",
            param="expires_after.anchor",
        )
    seconds = expires_after.get("seconds", 600)
    param = "expires_after.seconds"
    if not isinstance(seconds, int) or isinstance(seconds, bool):
        return 0, ErrorSpec(f"Invalid type for '{param}': expected an integer.", code="invalid_type", param=param)
    if seconds < 10:
        return 0, ErrorSpec(
            f"Invalid '{param}': integer below minimum value. Expected a value >= 10, but got {seconds} instead.",
            code="integer_below_min_value",
            param=param,
        )
    if seconds > 7200:
        return 0, ErrorSpec(
            f"Invalid '{param}': integer above maximum value. Expected a value <= 7200, but got {seconds} instead.",
            code="integer_above_max_value",
            param=param,
        )
    return seconds, None


def mint_beta_session(call: Call, body: Any) -> web.Response:
    """The retired beta `POST /v1/realtime/sessions`, for hosts that still speak it (protocol.md §1.1).

    The secret sits in `client_secret.value` and lives one minute, as the beta SDK documented.
    """
    if body is _INVALID:
        return call.error(400, INVALID_JSON_BODY)
    model = body.get("model") if isinstance(body, dict) else None
    now = int(call.state.clock())
    session = beta_session(new_id("sess_", fake=True), str(model or DEFAULT_MODEL), now + 60)
    value = new_id("ek_", fake=True)
    call.state.secrets[value] = MintedSecret(now + 60, {**session, "type": "realtime"})
    return call.json(200, {**session, "client_secret": {"value": value, "expires_at": now + 60}})
