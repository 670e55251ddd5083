"""Pure classifiers: what an HTTP answer, a close, an error event, a response.done or an exception means.

Each returns a `Finding` naming a diagnosis id (realtime_check.diagnosis.catalog). Most specific signal first:
error.code, then error.type, then message wording, then the body's kind, then the bare status. No I/O and no network imports; exceptions are
classified in classify_exceptions.py, by class name, so importing either module stays cheap.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from realtime_check import residency
from realtime_check.diagnosis.bodies import (
    ParsedBody,
    api_error_from,
    split_close_reason,
)
from realtime_check.models import ApiError, Finding, Status

__all__ = [
    "Finding",
    "from_close",
    "from_error_event",
    "from_http",
    "from_response_done",
]


def _fail(diagnosis: str, error: ApiError | None = None, extra: tuple[str, ...] = ()) -> Finding:
    return Finding(diagnosis, Status.FAIL, error=error, extra_advice=extra)


# --- Matching an API error object (REST body, error event, close reason, response.done) ----------------

QUOTA_CODES = frozenset(
    {
        "insufficient_quota",
        "credit_balance_exhausted",
        "billing_hard_limit_reached",
        "billing_not_active",
        "quota_exceeded",
    }
)
# Scopes in "Missing scopes: ..." and the key-permission label that grants each (protocol.md §4.2).
SCOPE_LABELS = {
    "api.model.read": "Models: Read",
    "model.request": "Model capabilities: Write",
    "api.responses.write": "Responses: Write",
}
_MISSING_SCOPES = re.compile(r"missing scopes?:\s*(.+?)\.?(?:\s|$)", re.IGNORECASE)
_SESSION_ID = re.compile(r"\bsess_[A-Za-z0-9]+")
_REQUEST_ID = re.compile(r"\breq_[A-Za-z0-9]+")
_TRY_AGAIN = re.compile(r"try again in ([0-9][0-9hms.]*)", re.IGNORECASE)
_LIMIT_KIND = re.compile(r"\((RPM|RPD|TPM|TPD|IPM)\)")
# Recoverable races between client and server events; a probe must not fail on them (update §1.4).
BENIGN_RACE_CODES = frozenset({"conversation_already_has_active_response", "response_cancel_not_active"})
# A GPT-Live model named in an invalid_model message; gpt-live-transcribe is a Realtime model.
_GPT_LIVE = re.compile(r"gpt-live-(?!transcribe)[a-z0-9.]+", re.IGNORECASE)
_TRANSCRIPTION_MIXUP = (
    "must not provide a model parameter for transcription",
    "transcription mode",
    "transcription session update event",
    "transcription_session.",
)


@dataclass(frozen=True)
class _Where:
    """Where an error object was seen: 'rest', 'handshake', 'ws' (event or close) or 'response'."""

    place: str
    stage: str = ""
    key_kind: str | None = None
    status: int | None = None


def _match_error(err: ApiError, where: _Where) -> tuple[str, Status, tuple[str, ...]] | None:
    """The diagnosis an API error names, or None when it names nothing specific."""
    code = (err.code or "").lower()
    etype = (err.type or "").lower()
    msg = err.message or ""
    low = msg.lower()
    param = err.param or ""
    ws_side = where.place in ("handshake", "ws")
    fail = Status.FAIL

    if code == "beta_api_shape_disabled" or "beta api is no longer supported" in low:
        return "beta_api_shape_disabled", fail, ()
    # Regional hosts (N1, N2): 401s that are not about the key itself, so before invalid_api_key.
    if code == "incorrect_hostname" or "incorrect regional hostname" in low:
        return "incorrect_hostname", fail, _regional_host_advice(msg)
    if "geography restrictions enabled" in low:
        return "geography_restricted_host", fail, ()
    if code in BENIGN_RACE_CODES:
        return "benign_race", Status.WARN, ()
    if code == "invalid_api_key" or low.startswith("incorrect api key provided"):
        if where.key_kind == "ephemeral" and ws_side:
            return "ephemeral_expired", fail, ()
        if where.key_kind == "unknown":
            return "relay_key_rejected", fail, ()
        return ("ws_invalid_api_key" if where.place == "ws" else "invalid_api_key"), fail, ()
    if code == "mismatched_organization" or "no such organization" in low or "openai-organization header" in low:
        return "mismatched_organization", fail, ()
    if code == "mismatched_project" or "openai-project header" in low:
        return "mismatched_project", fail, ()
    if code == "no_organization" or "must be a member of an organization" in low:
        return "no_organization", fail, ()
    if code == "unsupported_country_region_territory" or "country, region, or territory not supported" in low:
        return "region_blocked", fail, ()
    if code == "ip_not_authorized" or "ip not authorized" in low:
        return "ip_not_authorized", fail, ()
    if code == "missing_scope" or "missing scopes" in low or "insufficient permissions" in low:
        return _missing_scope(msg, where)
    if "must be verified" in low:
        return "org_verification_required", fail, ()
    if code == "model_not_found" or ("does not have access to model" in low):
        if msg.lstrip().startswith("Project "):
            return "model_project_allowlist", fail, ()
        by_place = {
            "ws": "ws_model_not_found",
            "handshake": "ws_model_not_found",
            "response": "response_model_not_found",
        }
        return by_place.get(where.place, "model_not_found"), fail, ()
    if code in ("access_terminated", "account_deactivated"):
        return "access_terminated", fail, ()
    if etype == "insufficient_quota" or code in QUOTA_CODES:
        return ("response_quota" if where.place == "response" else "insufficient_quota"), fail, ()
    if "request too large" in low:
        return "request_too_large", fail, ()
    if code == "rate_limit_exceeded" or "rate limit reached" in low or etype in ("requests", "tokens"):
        diagnosis = "handshake_rate_limited" if where.place == "handshake" else "rate_limited"
        return diagnosis, fail, _rate_limit_advice(msg, {})
    if "overloaded" in low or code in ("server_overloaded", "engine_overloaded"):
        return "server_overloaded", fail, _support_ids(msg)
    if etype == "server_error" or code in ("server_error", "internal_error", "internal_server_error"):
        if where.place == "handshake":
            return "handshake_server_error", fail, _non_api_key_hint(where) + _support_ids(msg)
        return "server_error", fail, _support_ids(msg) + _svcacct_hint(where)
    if code == "session_expired" or "maximum duration" in low:
        return "session_expired", fail, ()
    if code == "input_audio_buffer_commit_empty" or "buffer too small" in low:
        return "audio_buffer_too_small", fail, ()
    if "turn detection is not supported" in low:
        return "transcription_turn_detection_unsupported", fail, ()
    if "voice cannot be changed" in low:
        return "voice_locked", fail, ()
    if code == "unknown_url" or low.startswith(("unknown request url", "invalid url")):
        return "unknown_url", fail, ()
    if code == "access_not_enabled" or "does not have access to the realtime api" in low:
        return "realtime_access_not_enabled", fail, ()
    if "missing bearer or basic authentication" in low:
        return "handshake_missing_auth", fail, ()
    if (
        param == "session.type" and code == "missing_required_parameter"
    ) or "missing required parameter: 'session.type'" in low:
        return "missing_session_type", fail, ()
    if code == "invalid_intent" or low.startswith("invalid intent"):
        return "ws_invalid_intent", fail, ()
    if code == "missing_model" or "must provide a model parameter" in low:
        return "ws_missing_model", fail, ()
    if any(fragment in low for fragment in _TRANSCRIPTION_MIXUP):
        return "ws_transcription_model_param", fail, ()
    if (code == "invalid_model" or "not supported in realtime mode" in low) and _GPT_LIVE.search(msg):
        return "gpt_live_model", fail, ()
    if code == "invalid_model" or "not supported in realtime mode" in low or param == "session.model":
        return "ws_invalid_model", fail, ()
    if param.startswith("session.audio.input.transcription") and param != "session.audio.input.transcription.model":
        return "transcription_options_rejected", fail, (f"Rejected field: {param}",)
    if param.startswith("session.") or "parameter: 'session." in low or "invalid 'session." in low:
        return "ws_session_param_rejected", fail, (f"Rejected field: {param}",) if param else ()
    if code == "deploymentnotfound":
        return "azure_deployment_not_found", fail, ()
    if code in ("opperationnotsupported", "operationnotsupported"):  # Azure's spelling has the typo
        return "azure_operation_not_supported", fail, ()
    if "expired" in low and any(word in low for word in ("client secret", "client_secret", "ephemeral")):
        return "ephemeral_expired", fail, ()
    return None


def _regional_host_advice(message: str) -> tuple[str, ...]:
    """The settings that send everything to the host an incorrect_hostname message names."""
    host = residency.named_host(message)
    if host is None:
        return ()
    base, ws_base = residency.settings_for(host)
    return (
        f"This key's project is served by {host}: set OPENAI_BASE_URL={base} (and OPENAI_WEBSOCKET_BASE_URL="
        f"{ws_base} if you set one), in the app as in this check.",
    )


def _missing_scope(message: str, where: _Where) -> tuple[str, Status, tuple[str, ...]]:
    match = _MISSING_SCOPES.search(message)
    scopes = [s for s in re.split(r"[,\s]+", match.group(1)) if s] if match else []
    if not scopes and "api.model.read" in message:
        scopes = ["api.model.read"]
    extra: tuple[str, ...] = ()
    if scopes:
        labels = ", ".join(f"{s} ({SCOPE_LABELS[s]})" if s in SCOPE_LABELS else s for s in scopes)
        extra = (f"Missing permission: {labels}.",)
    # Listing models is not needed for Realtime; a key without Models: Read may still work (F19).
    if scopes == ["api.model.read"] and where.stage in ("api_key", "models"):
        return "missing_scope_model_read", Status.WARN, extra
    return "missing_scope", Status.FAIL, extra


def _support_ids(message: str) -> tuple[str, ...]:
    ids = _SESSION_ID.findall(message) + _REQUEST_ID.findall(message)
    return (f"Quote {ids[0]} when you contact support.",) if ids else ()


def _non_api_key_hint(where: _Where) -> tuple[str, ...]:
    if where.key_kind == "unknown":
        return ("This token is not an API key: OAuth and gateway tokens get HTTP 500 at the upgrade; use an sk- key.",)
    return ()


def _svcacct_hint(where: _Where) -> tuple[str, ...]:
    if where.stage == "session" and where.key_kind == "service_account":
        return ("Minting once failed with 500 for service-account keys only: try a project key (sk-proj-) to compare.",)
    return ()


def _rate_limit_advice(message: str, headers: Mapping[str, str]) -> tuple[str, ...]:
    advice: list[str] = []
    wait = _retry_after(headers)
    if wait:
        advice.append(f"The server asked to wait {wait} before retrying.")
    else:
        match = _TRY_AGAIN.search(message)
        if match:
            advice.append(f"The server says to try again in {match.group(1).rstrip('.')}.")
    kind = _LIMIT_KIND.search(message)
    if kind:
        advice.append(
            f"The limit reached is {kind.group(1)} (RPM/RPD = requests per minute/day, TPM = tokens per minute)."
        )
    return tuple(advice)


def _retry_after(headers: Mapping[str, str]) -> str | None:
    """The wait the server asked for, from retry-after-ms (non-standard, used by OpenAI) or retry-after."""
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return f"{float(ms) / 1000:g} s"
        except ValueError:
            pass
    value = (headers.get("retry-after") or "").strip()
    if not value:
        return None
    try:
        return f"{float(value):g} s"
    except ValueError:
        return f"until {value[:40]}"  # an HTTP date


# --- HTTP answers ----------------------------------------------------------------------------------------

# Headers only OpenAI's (or Azure's) API edge sets. A non-101 upgrade answer without any of them, from a
# server that is not Cloudflare, came from something in between (F13).
_API_MARKERS = ("x-request-id", "cf-ray", "openai-", "x-openai-", "apim-request-id", "x-ms-region", "x-ratelimit-")


def from_http(
    stage: str,
    status: int,
    body: ParsedBody,
    headers: Mapping[str, str],
    *,
    key_kind: Any = None,
) -> Finding:
    """Classify a non-success HTTP answer. stage: "api_key", "models", "session" or "handshake".

    key_kind (optional, keys.KeyKind or its value) sharpens a few answers: an ek_ secret rejected at
    the upgrade is an expired secret, a non-sk- token rejected is a relay/OAuth token (F04, F34).
    """
    h = {str(k).lower(): str(v) for k, v in headers.items()}
    where = _Where("handshake" if stage == "handshake" else "rest", stage, _kind(key_kind), status)
    error = body.error

    if 300 <= status < 400:
        return _fail("redirected", error)
    if status == 407:
        return _fail("proxy_auth_required", error)
    if error is not None:
        matched = _match_error(error, where)
        if matched:
            diagnosis, verdict, extra = matched
            if diagnosis in ("rate_limited", "handshake_rate_limited"):
                extra = _rate_limit_advice(error.message or "", h)
            return Finding(diagnosis, verdict, error=error, extra_advice=extra)
    if body.kind == "html":
        return _from_html(stage, status, h, error)
    if status >= 500 or status == 408:
        if stage == "handshake":
            return _fail("handshake_server_error", error, _non_api_key_hint(where))
        if status == 503:
            return _fail("server_overloaded", error)
        return _fail("server_error", error, _svcacct_hint(where))
    if body.kind == "invalid_json":
        return _fail("invalid_json", error)
    if 200 <= status < 300:
        # A 2xx reaches us only when its body was unusable; at the upgrade anything but 101 is wrong.
        return _fail("handshake_intermediary" if stage == "handshake" else "unexpected_shape", error)
    if stage == "handshake" and error is None and _from_intermediary(h):
        return _fail("handshake_intermediary", error)
    return _bare_status(stage, status, error, h, where)


def _from_html(stage: str, status: int, h: Mapping[str, str], error: ApiError | None) -> Finding:
    cloudflare = "cloudflare" in h.get("server", "").lower() or "cf-ray" in h
    ray = (f"Cloudflare ray id: {h['cf-ray'][:40]} (quote it if you contact support).",) if "cf-ray" in h else ()
    if status >= 500 and (cloudflare or stage != "handshake"):
        return _fail("html_error_page", error, ray)
    if stage == "handshake":
        extra = (
            (
                "The 404 page came from a web server or gateway that does not route /v1/realtime: point the "
                "WebSocket at wss://api.openai.com/v1/realtime or a Realtime-capable route.",
            )
            if status == 404
            else ()
        )
        return _fail("handshake_intermediary", error, extra)
    if status == 404:
        return _fail(
            "not_found", error, ("The 404 came as an HTML page: the base URL points at a web server, not the API.",)
        )
    return _fail("html_not_api", error)


def _from_intermediary(h: Mapping[str, str]) -> bool:
    server = h.get("server", "").lower()
    if not server or "cloudflare" in server:
        return False
    return not any(name.startswith(_API_MARKERS) for name in h)


def _bare_status(stage: str, status: int, error: ApiError | None, h: Mapping[str, str], where: _Where) -> Finding:
    handshake = stage == "handshake"
    if status == 400:
        return _fail("handshake_bad_request" if handshake else "bad_request", error)
    if status == 401:
        if where.key_kind == "ephemeral" and handshake:
            return _fail("ephemeral_expired", error)
        if where.key_kind == "unknown":
            return _fail("relay_key_rejected", error)
        return _fail("handshake_unauthorized" if handshake else "unauthorized", error)
    if status == 403:
        return _fail("handshake_forbidden" if handshake else "forbidden", error)
    if status == 404:
        return _fail("handshake_not_found" if handshake else "not_found", error)
    if status == 429:
        extra = _rate_limit_advice(error.message if error and error.message else "", h)
        return _fail("handshake_rate_limited" if handshake else "rate_limited", error, extra)
    return _fail("unknown_error", error)


def _kind(key_kind: Any) -> str | None:
    if key_kind is None:
        return None
    return str(getattr(key_kind, "value", key_kind))


# --- WebSocket closes, error events, response.done ------------------------------------------------------

_TRANSIENT_CLOSES = frozenset({1001, 1005, 1011, 1012, 1013, 1014})
_ABNORMAL_CLOSES = frozenset({1006, 1015})
_PROTOCOL_CLOSES = frozenset({1002, 1003, 1007, 1009, 1010})


def from_close(
    code: int, reason: str | None, error_event: Mapping[str, Any] | None = None, *, key_kind: Any = None
) -> Finding:
    """Classify a close that ended a check early (before session.created or before response.done).

    The reason "<type>.<code>" is read like an API error; the error event sent before the close,
    when there was one, is the better source and wins.
    """
    rtype, rcode = split_close_reason(reason)
    error = _event_error(error_event)
    if error is None and (rtype or rcode):
        error = ApiError(type=rtype, code=rcode)
    elif error is not None and not error.code and rcode:
        error = replace(error, code=rcode, type=error.type or rtype)
    if error is not None:
        matched = _match_error(error, _Where("ws", "websocket", _kind(key_kind)))
        if matched:
            diagnosis, verdict, extra = matched
            return Finding(diagnosis, verdict, error=error, extra_advice=extra)
    if "maximum duration" in (reason or "").lower():
        return _fail("session_max_duration", error)
    if code == 3000:
        if _kind(key_kind) == "ephemeral":
            return _fail("ephemeral_expired", error)
        return _fail("ws_invalid_api_key", error)
    if code == 4004:
        return _fail("ws_model_not_found", error)
    if code == 1000:
        return _fail("ws_closed_normally_early", error)
    if code in _TRANSIENT_CLOSES:
        return _fail("ws_closed_transient", error)
    if code in _ABNORMAL_CLOSES:
        return _fail("ws_closed_abnormally", error)
    if code in _PROTOCOL_CLOSES:
        return _fail("ws_closed_protocol_error", error)
    if code == 1008:
        return _fail("ws_closed_policy", error)
    return _fail("ws_error_event" if error is not None else "ws_closed_unexpected", error)


def from_error_event(event: Mapping[str, Any], *, key_kind: Any = None) -> Finding:
    """Classify a GA `error` server event ({"type": "error", "error": {...}})."""
    error = _event_error(event)
    if error is None:
        return _fail("ws_error_event")
    matched = _match_error(error, _Where("ws", "websocket", _kind(key_kind)))
    if matched:
        diagnosis, verdict, extra = matched
        return Finding(diagnosis, verdict, error=error, extra_advice=extra)
    return _fail("ws_error_event", error)


def from_response_done(response: Mapping[str, Any]) -> Finding | None:
    """What a response.done says about access: None when the model answered.

    Accepts the `response` object or the whole response.done event. A response cut short by
    max_output_tokens still proves access (the probe asks for very few tokens).
    """
    if not isinstance(response, Mapping):
        return _fail("unexpected_shape")
    if response.get("type") == "response.done" and isinstance(response.get("response"), Mapping):
        response = response["response"]
    status = response.get("status")
    details = response.get("status_details")
    details = details if isinstance(details, Mapping) else {}
    if status == "completed":
        return None
    if status == "incomplete":
        if details.get("reason") in (None, "max_output_tokens"):
            return None
        return Finding("response_incomplete", Status.WARN)
    if status == "cancelled":
        return Finding("response_cancelled", Status.WARN)
    if status != "failed":
        return _fail("unexpected_shape")
    error = _event_error({"error": details.get("error")})
    if error is not None:
        matched = _match_error(error, _Where("response", "response"))
        if matched:
            diagnosis, verdict, extra = matched
            return Finding(diagnosis, verdict, error=error, extra_advice=extra)
    return _fail("response_failed", error)


def _event_error(event: Any) -> ApiError | None:
    """The error of an error event, of {"error": {...}}, or an error object given directly."""
    if not isinstance(event, Mapping):
        return None
    data = dict(event)
    if "error" not in data and any(k in data for k in ("code", "message")):
        data = {"error": data}
    return api_error_from(data)
