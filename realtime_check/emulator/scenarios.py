"""The emulator's scenario library: each way a Realtime setup fails, described as data.

Pure data, no I/O: app.py interprets any Scenario generically. Messages, codes and
close codes are the ones real servers were reported to send (docs/failures.md); `${name}`
placeholders (model, key_hint, session_id, request_id, project, org, method, path)
are filled in per request by app.py.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from typing import Literal

# Endpoints a fault can target. "realtime" is the WebSocket upgrade request.
# "calls" is the WebRTC SDP exchange, "calls.hangup" its follow-up, "sideband" the ?call_id= socket upgrade.
Endpoint = Literal["models.list", "models.get", "client_secrets", "realtime", "calls", "calls.hangup", "sideband"]
ALL_REST: tuple[Endpoint, ...] = ("models.list", "models.get", "client_secrets")
EVERYWHERE: tuple[Endpoint, ...] = (*ALL_REST, "realtime")

# normal: as is. truncated: the JSON document cut in half (Content-Length matches the cut).
# slow_drip: one byte per drip interval, forever in practice. huge: a ~64 MiB JSON list.
Delivery = Literal["normal", "truncated", "slow_drip", "huge"]
# When a fault applies: always, only if the request carries OpenAI-Organization (or
# OpenAI-Project), or only when the credential is an ephemeral ek_ secret.
Condition = Literal["always", "organization_header", "project_header", "ephemeral_key"]

FAKE_ORG = "org-FAKE00000000000000000000"
FAKE_PROJECT = "proj_FAKE00000000000000000000"


# Points where the emulator can wait, to inject a known delay into one phase of a client's path:
# before answering the mint, before accepting the upgrade (101), before session.created, before a
# response's first output delta (text or audio), and before response.done.
PHASES: tuple[str, ...] = ("mint", "upgrade", "session_created", "first_delta", "response_done")


@dataclass(frozen=True)
class ErrorSpec:
    """An API error object `{message, type, param, code}`; message may hold ${placeholders}."""

    message: str
    type: str = "invalid_request_error"
    code: str | None = None
    param: str | None = None


@dataclass(frozen=True)
class HttpFault:
    """Replace (or alter) the normal HTTP answer of some endpoints."""

    endpoints: tuple[Endpoint, ...]
    status: int | None = None  # None: keep the endpoint's own status and body, change delivery/headers
    error: ErrorSpec | None = None  # JSON error body
    text: str | None = None  # raw body instead (HTML pages from proxies and CDNs)
    content_type: str = "application/json"
    headers: tuple[tuple[str, str], ...] = ()
    delivery: Delivery = "normal"
    when: Condition = "always"
    # Edge faults (CDN, region, proxies) answer before the key is even looked at.
    before_auth: bool = False
    # Answered by a proxy/CDN, not by OpenAI: no x-request-id or openai-* headers.
    intermediary: bool = False
    drip_interval_ms: int = 500
    huge_bytes: int = 64 * 1024 * 1024


@dataclass(frozen=True)
class WsReject:
    """A fatal in-band rejection after the 101: optional `error` event, then a close."""

    close_code: int
    error: ErrorSpec | None = None  # None: bare close, no error event
    reason: str | None = None  # default "<error.type>.<error.code>", like the real server

    def close_reason(self) -> str:
        if self.reason is not None:
            return self.reason
        if self.error is None:
            return ""
        return f"{self.error.type}.{self.error.code}" if self.error.code else self.error.type


@dataclass(frozen=True)
class SocketPlan:
    """What the server does once the WebSocket is accepted and the credential checked."""

    reject: WsReject | None = None
    first_frame: str | bytes | None = None  # a raw frame sent instead of session.created
    silent: bool = False  # send nothing (more) at all
    close_on_client_event: int | None = None  # close with this code on the first client event
    close_reason: str = ""  # ... and this reason
    # The socket's own reject when the request carries OpenAI-Organization/OpenAI-Project (F06 / N7).
    reject_with_org_headers: WsReject | None = None
    # input_audio_buffer.append is accepted but the audio never reaches the buffer (a relay
    # that drops it, or audio sent in another field): the commit then finds it too small.
    drop_audio: bool = False


@dataclass(frozen=True)
class ResponseOutcome:
    """How `response.create` ends."""

    status: Literal["completed", "failed", "incomplete"] = "completed"
    error: ErrorSpec | None = None  # status_details.error when failed
    error_event: bool = False  # also send the error as an `error` event before response.done
    incomplete_reason: str = "content_filter"  # status_details.reason when incomplete
    # True: the outcome applies to audio responses only; text responses complete normally.
    audio_only: bool = False
    # False: audio responses stream their transcript but no response.output_audio.delta
    # (what a relay that drops audio events looks like to the client).
    audio_deltas: bool = True


@dataclass(frozen=True)
class TranscriptionOutcome:
    """How a committed buffer in a transcription session ends."""

    status: Literal["completed", "failed"] = "completed"
    transcript: str = ""  # synthetic audio has no words: the real model returns an empty transcript
    error: ErrorSpec | None = None  # the `.failed` event's error
    # An error event answering the transcription session.update instead (the model is not available).
    update_error: ErrorSpec | None = None


# Where a listed model the project is not entitled to is refused (protocol-update-2026-11 N4):
# minting, the socket, or only the response (mint and socket succeed: the misleading case).
RefusedAt = Literal["mint", "socket", "response"]


@dataclass(frozen=True)
class ModelEntry:
    """One /v1/models entry. `snapshot` is the dated id a session reports for this alias."""

    id: str
    created: int
    owned_by: str = "system"
    shutdown_date: str | None = None  # YYYY-MM-DD; on or after it the socket closes 4004
    snapshot: str | None = None
    refused_at: RefusedAt | None = None  # listed, but the project may not use it
    live: bool = False  # a GPT-Live model: served on /v1/live/sessions, refused on /v1/realtime


@dataclass(frozen=True)
class AzureFlavour:
    """Answer as Azure OpenAI: routes under /openai/v1, deployments, api-key or Entra auth, Azure's
    error shapes and headers (apim-request-id, x-ms-region), per protocol.md §6 and update §4."""

    deployments: tuple[str, ...] = ("realtime-prod",)  # realtime deployments on the resource
    other_deployments: tuple[str, ...] = ()  # deployments of models that cannot do realtime
    region: str = "East US 2"
    # Entra tokens are accepted only for this audience; others get the Azure 401 shape (N15).
    entra_audience: str = "https://ai.azure.com"


@dataclass(frozen=True)
class GatewayVoice:
    """Answer as a gateway in front of the API (recorded from LiteLLM 1.108, issue 13): its own
    headers instead of OpenAI's, and client secrets of its own making."""

    headers: tuple[tuple[str, str], ...] = (("server", "uvicorn"), ("x-litellm-version", "1.108.0"))
    # LiteLLM wraps the upstream secret: 304 characters of base64, padding '=' included.
    wrapped_secrets: bool = False


@dataclass(frozen=True)
class ClientHints:
    """How the demo should run the client so that the scenario shows what it is about."""

    model: str | None = None
    organization: str | None = None
    project: str | None = None
    live: bool = False  # run the opt-in GPT-Live check
    base_path: str = "/v1"
    provider: str | None = None  # "azure" for the Azure flavour
    # The demo's credential: an API key, an Azure resource key, or an Entra token with this audience.
    credential: Literal["openai_key", "azure_key", "entra_token"] = "openai_key"
    entra_audience: str = "https://ai.azure.com"
    trust_ca: bool = True
    probe_response: bool = True
    deep: bool = False  # the scenario is about the audio or transcription round trips (--deep)
    legacy: bool = False  # the scenario is about the retired beta interface (--legacy)
    webrtc: bool = False  # the scenario is about the WebRTC path: the demo runs the webrtc check
    sideband: bool = False


@dataclass(frozen=True)
class Scenario:
    name: str  # kebab-case
    description: str  # one line
    failures: tuple[str, ...] = ()  # docs/failures.md ids
    http_faults: tuple[HttpFault, ...] = ()  # first match wins
    socket: SocketPlan = SocketPlan()
    ephemeral_socket: SocketPlan | None = None  # overrides `socket` for ek_ credentials
    response: ResponseOutcome = ResponseOutcome()
    transcription: TranscriptionOutcome = TranscriptionOutcome()
    # A host that still speaks the retired beta interface (an old gateway or self-hosted proxy);
    # api.openai.com refuses it since May 2026.
    beta_accepted: bool = False
    models: tuple[ModelEntry, ...] = ()  # empty: DEFAULT_MODELS
    accept_api_keys: bool = True  # False: every sk- key is rejected as invalid
    mint_expired: bool = False  # client_secrets hands out secrets already past expires_at
    latency_ms: int = 0  # before every HTTP response
    event_latency_ms: int = 0  # before every server WebSocket event
    tls: bool = False
    hints: ClientHints = ClientHints()
    # GPT-Live (/v1/live/sessions): refuse session.start this way instead of starting the session.
    live_reject: WsReject | None = None
    azure: AzureFlavour | None = None  # set: the emulator speaks as Azure OpenAI
    gateway: GatewayVoice | None = None  # set: the emulator speaks as a gateway (no OpenAI headers)

    def catalogue(self) -> tuple[ModelEntry, ...]:
        return self.models or DEFAULT_MODELS


# Announced shutdowns as /v1/models lists them (protocol-update-2026-11 §1.1).
REALTIME_SHUTDOWN = "2027-01-20"
TRANSCRIPTION_SHUTDOWN = "2027-02-26"

# The gpt-realtime family a project has had since 2025, all retiring on 2027-01-20.
_RETIRING_REALTIME: tuple[ModelEntry, ...] = (
    ModelEntry("gpt-realtime", 1756339200, shutdown_date=REALTIME_SHUTDOWN, snapshot="gpt-realtime-2025-08-28"),
    ModelEntry("gpt-realtime-2025-08-28", 1756339200, shutdown_date=REALTIME_SHUTDOWN),
    ModelEntry(
        "gpt-realtime-mini", 1759708800, shutdown_date=REALTIME_SHUTDOWN, snapshot="gpt-realtime-mini-2025-12-15"
    ),
    ModelEntry("gpt-realtime-mini-2025-10-06", 1759708800),
    ModelEntry("gpt-realtime-mini-2025-12-15", 1765756800, shutdown_date=REALTIME_SHUTDOWN),
)
_TRANSCRIPTION: tuple[ModelEntry, ...] = (
    ModelEntry("whisper-1", 1677532384, owned_by="openai-internal", shutdown_date=TRANSCRIPTION_SHUTDOWN),
    ModelEntry("gpt-4o-transcribe", 1742068463, shutdown_date=TRANSCRIPTION_SHUTDOWN),
    ModelEntry("gpt-4o-mini-transcribe", 1742068596, shutdown_date=TRANSCRIPTION_SHUTDOWN),
    ModelEntry("gpt-live-transcribe", 1785456000),
)
DEFAULT_MODELS: tuple[ModelEntry, ...] = (
    *_RETIRING_REALTIME,
    ModelEntry("gpt-realtime-1.5", 1771804800),
    ModelEntry("gpt-realtime-2", 1777593600),
    ModelEntry("gpt-realtime-2.1", 1783900800),
    ModelEntry("gpt-realtime-2.1-mini", 1783900800),
    ModelEntry("gpt-live-1", 1788048000, live=True),
    ModelEntry("gpt-4o", 1715367049),
    ModelEntry("gpt-4o-mini", 1721172741),
    *_TRANSCRIPTION,
)
_RETIRED_PREVIEWS = (
    ModelEntry("gpt-4o-realtime-preview", 1727659998, shutdown_date="2026-05-07"),
    ModelEntry("gpt-4o-realtime-preview-2024-12-17", 1733945430, shutdown_date="2026-05-07"),
    ModelEntry("gpt-4o-mini-realtime-preview", 1734387380, shutdown_date="2026-05-07"),
)

# --- Error bodies, verbatim from the references -------------------------------------------

INVALID_KEY = ErrorSpec(
    "Incorrect API key provided: ${key_hint}. You can find your API key at https://platform.openai.com/account/api-keys.",
    code="invalid_api_key",
)
MISSING_AUTH = ErrorSpec("Missing bearer or basic authentication in header")
BETA_DISABLED_WS = ErrorSpec(
    "The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API.",
    code="beta_api_shape_disabled",
)
BETA_DISABLED_REST = ErrorSpec(
    "The Realtime Beta API is no longer supported. Please use /v1/realtime/client_secrets for the GA API.",
    code="beta_api_shape_disabled",
)
MODEL_NOT_FOUND = ErrorSpec(
    "The model `${model}` does not exist or you do not have access to it.", code="model_not_found"
)
SDP_EOF = ErrorSpec("Failed to parse offer: failed to unmarshal SDP: EOF")  # update N5, verbatim
INVALID_OFFER = ErrorSpec(
    "Invalid SDP offer. Please try again with a WHIP-compliant offer.", code="invalid_offer"
)  # docs/failures.md F48, verbatim
# The next two are the emulator's own wording: the real server's text is not on record.
RAW_SDP_RESERVED = ErrorSpec(
    "application/sdp is reserved for ephemeral client secrets (ek_); with an API key send multipart/form-data "
    "with an 'sdp' part.",
    code="invalid_content_type",
)
UNSUPPORTED_CALL_CONTENT_TYPE = ErrorSpec(
    "Unsupported content type '${content_type}': send application/sdp or multipart/form-data.",
    code="unsupported_content_type",
)
CALL_ID_NOT_FOUND = ErrorSpec("No session found for the provided call_id", code="call_id_not_found")  # update N14
PROXY_PAGE = "<html><head><title>Access denied</title></head><body>Blocked by policy.</body></html>"
BARE_ANSWER_SDP = "v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 3478 UDP/TLS/RTP/SAVPF 111\r\n"
MISSING_MODEL = ErrorSpec(
    "You must provide a model parameter, for example wss://api.openai.com/v1/realtime?model=gpt-realtime",
    code="missing_model",
)
INVALID_INTENT = ErrorSpec("Invalid intent", code="invalid_intent")
INVALID_MODEL = ErrorSpec('Model "${model}" is not supported in realtime mode.', code="invalid_model")
MODEL_WITH_TRANSCRIPTION = ErrorSpec(
    "You must not provide a model parameter for transcription sessions.", code="invalid_model"
)
MISSING_SCOPE = ErrorSpec(
    "You have insufficient permissions for this operation. Missing scopes: api.model.read. Check that you have "
    "the correct role in your organization (Reader, Writer, Owner) and project (Member, Owner), and if you're "
    "using a restricted API key, that it has the necessary scopes.",
    code="missing_scope",
)
PROJECT_NO_ACCESS = ErrorSpec("Project `${project}` does not have access to model `${model}`", code="model_not_found")
ORG_UNVERIFIED = ErrorSpec(
    "Your organization must be verified to use the model `${model}`. Please go to: "
    "https://platform.openai.com/settings/organization/general and click on Verify Organization. "
    "If you just verified, it can take up to 15 minutes for access to propagate.",
    code="unsupported_value",
    param="session.model",
)
REGION_BLOCKED = ErrorSpec(
    "Country, region, or territory not supported",
    type="request_forbidden",
    code="unsupported_country_region_territory",
)
ORG_MISMATCH = ErrorSpec(
    "OpenAI-Organization header should match organization for API key", code="mismatched_organization"
)
NO_ORGANIZATION = ErrorSpec(
    "You must be a member of an organization to use the API. Please contact us through our help center at "
    "help.openai.com.",
    code="no_organization",
)
# The error-codes guide gives only the text; no code was seen in captures, so none is invented.
IP_NOT_AUTHORIZED = ErrorSpec("IP not authorized")
INSUFFICIENT_QUOTA = ErrorSpec(
    "You exceeded your current quota, please check your plan and billing details. For more information on this "
    "error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
    type="insufficient_quota",
    code="insufficient_quota",
)
CREDIT_EXHAUSTED = ErrorSpec(
    "You have no credits remaining. Add credits to your account to continue using the API.",
    type="insufficient_quota",
    code="credit_balance_exhausted",
)
RATE_LIMITED = ErrorSpec(
    "Rate limit reached for ${model} in organization ${org} on requests per min (RPM): Limit 3, Used 3, "
    "Requested 1. Please try again in 1.5s. Visit https://platform.openai.com/account/rate-limits to learn more.",
    type="requests",
    code="rate_limit_exceeded",
)
OVERLOADED = ErrorSpec(
    "That model is currently overloaded with other requests. You can retry your request, or contact us through "
    "our help center at help.openai.com if the error persists. (Please include the request ID ${request_id} in "
    "your message.)",
    type="server_error",
)
SERVER_ERROR = ErrorSpec(
    "The server had an error while processing your request. Sorry about that! You can retry your request, or "
    "contact us through our help center at help.openai.com if the error persists. (Please include the session "
    "ID ${session_id} in your message.)",
    type="server_error",
)
HANDSHAKE_SERVER_ERROR = ErrorSpec(
    "The server had an error while processing your request. Sorry about that!", type="server_error"
)
# Data residency (protocol-update-2026-11 §1.4, N1/N2), verbatim.
INCORRECT_HOSTNAME = ErrorSpec(
    "Attempted to access resource with incorrect regional hostname. Please make your request to eu.api.openai.com",
    code="incorrect_hostname",
)
GEOGRAPHY_RESTRICTED = ErrorSpec(
    "This endpoint is only accessible by projects with geography restrictions enabled.", code=None
)
PROJECT_MISMATCH = ErrorSpec("OpenAI-Project header should match project for API key", code="mismatched_project")
MAX_DURATION_REASON = "Your session hit the maximum duration of 60 minutes."
ACCESS_NOT_ENABLED = ErrorSpec("Your organization does not have access to the Realtime API.", code="access_not_enabled")
# The spec's example for conversation.item.input_audio_transcription.failed gives the type and code;
# the message is ours (no capture of the server's wording was found).
AUDIO_UNINTELLIGIBLE = ErrorSpec(
    "The audio could not be transcribed.", type="transcription_error", code="audio_unintelligible"
)
TRANSCRIPTION_MODEL_NOT_FOUND = ErrorSpec(
    MODEL_NOT_FOUND.message, code="model_not_found", param="session.audio.input.transcription.model"
)

CF_RAY = "8e3f0c2b9a7d4e51"
CLOUDFLARE_502 = f"""<!DOCTYPE html>
<html class="no-js" lang="en-US">
<head>
<title>api.openai.com | 502: Bad gateway</title>
<meta charset="UTF-8" />
<style>body{{font-family:sans-serif}} .cf-error-code{{color:#999}}</style>
</head>
<body>
<div id="cf-wrapper">
<h1><span class="cf-error-type">Bad gateway</span> <span class="cf-error-code">Error code 502</span></h1>
<p>Visit <a href="https://www.cloudflare.com/5xx-error-landing">cloudflare.com</a> for more information.</p>
<p>The web server reported a bad gateway error.</p>
<div class="cf-footer">
<span>Cloudflare Ray ID: <strong>{CF_RAY}</strong></span>
<span>Your IP: <span id="cf-footer-ip">203.0.113.7</span></span>
<span>Performance &amp; security by Cloudflare</span>
</div>
</div>
</body>
</html>
"""
NGINX_404 = (
    "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
    "<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n"
)

_RATE_HEADERS = (
    ("retry-after", "2"),
    ("retry-after-ms", "1500"),
    ("x-ratelimit-limit-requests", "3"),
    ("x-ratelimit-remaining-requests", "0"),
    ("x-ratelimit-reset-requests", "1.5s"),
    ("x-ratelimit-limit-tokens", "40000"),
    ("x-ratelimit-remaining-tokens", "40000"),
    ("x-ratelimit-reset-tokens", "0s"),
)


def _api_fault(
    endpoints: tuple[Endpoint, ...],
    status: int,
    error: ErrorSpec,
    *,
    headers: tuple[tuple[str, str], ...] = (),
    when: Condition = "always",
    before_auth: bool = False,
) -> HttpFault:
    """An OpenAI error answer; the keywords (HttpFault's own defaults) are the ones the scenarios vary."""
    return HttpFault(
        endpoints=endpoints, status=status, error=error, headers=headers, when=when, before_auth=before_auth
    )


def _ws_error(code: int, error: ErrorSpec) -> SocketPlan:
    return SocketPlan(reject=WsReject(code, error))


_WITHOUT_2_1 = tuple(m for m in DEFAULT_MODELS if m.id != "gpt-realtime-2.1")
# A project that never got the newer models: the ladder finds only the retiring gpt-realtime.
_RETIRING_ONLY = (*_RETIRING_REALTIME, ModelEntry("gpt-4o", 1715367049), *_TRANSCRIPTION)
# Listed but not entitled (N4): 2.1 passes mint and socket and fails only in a response; 2.1-mini is
# refused at the socket; gpt-realtime-2 at minting.
_REFUSED: dict[str, RefusedAt] = {
    "gpt-realtime-2.1": "response",
    "gpt-realtime-2.1-mini": "socket",
    "gpt-realtime-2": "mint",
}
_ENTITLEMENT = tuple(replace(m, refused_at=_REFUSED.get(m.id)) for m in DEFAULT_MODELS)

SCENARIOS: tuple[Scenario, ...] = (
    Scenario("healthy", "Everything works: key, models, ephemeral secrets, socket, text and audio round trips."),
    Scenario(
        "invalid-key",
        "Every key is rejected: 401 invalid_api_key on REST, error event then close 3000 on the socket.",
        ("F02", "F03", "F37"),
        accept_api_keys=False,
    ),
    Scenario(
        "restricted-key",
        "Restricted key without Models: Read: listing models fails with Missing scopes, realtime still works.",
        ("F19",),
        http_faults=(_api_fault(("models.list", "models.get"), 401, MISSING_SCOPE),),
    ),
    Scenario(
        "model-missing",
        "The configured gpt-realtime-2.1 is absent from the model list; GET gives 404 and the socket closes 4004.",
        ("F21",),
        models=_WITHOUT_2_1,
        hints=ClientHints(model="gpt-realtime-2.1"),
    ),
    Scenario(
        "retiring-only",
        "The key sees only the gpt-realtime family (shutdown 2027-01-20): the ladder falls back to it, with a warning.",
        ("F21",),
        models=_RETIRING_ONLY,
    ),
    Scenario(
        "entitlement",
        "Listed is not entitled: gpt-realtime-2.1 fails only in a response, -2.1-mini at the socket, -2 at minting.",
        ("F22", "F41"),
        models=_ENTITLEMENT,
    ),
    Scenario(
        "residency-pinned",
        "The key's project is pinned to the EU: 401 incorrect_hostname naming eu.api.openai.com, REST and socket.",
        (),
        http_faults=(_api_fault(ALL_REST, 401, INCORRECT_HOSTNAME),),
        socket=_ws_error(3000, INCORRECT_HOSTNAME),
    ),
    Scenario(
        "residency-global-key",
        "A global project's key on a regional host: 401 'only accessible by projects with geography restrictions'.",
        (),
        http_faults=(_api_fault(ALL_REST, 401, GEOGRAPHY_RESTRICTED),),
        socket=_ws_error(3000, GEOGRAPHY_RESTRICTED),
    ),
    Scenario(
        "stale-project-socket",
        "A stale OpenAI-Project header breaks the socket (the SDK now sends it there): close 3000 mismatched_project.",
        ("F06",),
        http_faults=(_api_fault(ALL_REST, 401, PROJECT_MISMATCH, when="project_header"),),
        socket=SocketPlan(reject_with_org_headers=WsReject(3000, PROJECT_MISMATCH)),
        hints=ClientHints(project="proj_FAKESTALE"),
    ),
    Scenario(
        "session-max-duration",
        "The session ends at the 60-minute cap: close 1001 'Your session hit the maximum duration of 60 minutes.'",
        ("F45",),
        socket=SocketPlan(close_on_client_event=1001, close_reason=MAX_DURATION_REASON),
    ),
    Scenario(
        "live-not-entitled",
        "GPT-Live refuses the project: session.start gets error model_not_found 'Project … does not have access', 4004.",
        ("F22",),
        live_reject=WsReject(4004, PROJECT_NO_ACCESS),
        hints=ClientHints(live=True),
    ),
    Scenario(
        "gpt-live-on-realtime",
        "A GPT-Live model (gpt-live-1) configured for Realtime: invalid_model 'not supported in realtime mode', 4000.",
        ("F24",),
        hints=ClientHints(model="gpt-live-1"),
    ),
    Scenario(
        "retired-preview",
        "The client asks for gpt-4o-realtime-preview, listed with shutdown_date 2026-05-07; the socket closes 4004.",
        ("F21",),
        models=DEFAULT_MODELS + _RETIRED_PREVIEWS,
        hints=ClientHints(model="gpt-4o-realtime-preview"),
    ),
    Scenario(
        "project-allowlist",
        "The project's model allowlist excludes the model: 403 model_not_found 'Project … does not have access'.",
        ("F22", "F32"),
        http_faults=(_api_fault(("models.get", "client_secrets", "realtime"), 403, PROJECT_NO_ACCESS),),
    ),
    Scenario(
        "org-verification",
        "The model needs a verified organization: 403 on the model, 400 on minting, failed responses.",
        ("F23",),
        http_faults=(
            _api_fault(("models.get",), 403, ErrorSpec(ORG_UNVERIFIED.message, code="unsupported_value")),
            _api_fault(("client_secrets",), 400, ORG_UNVERIFIED),
        ),
        response=ResponseOutcome("failed", ErrorSpec(ORG_UNVERIFIED.message, code="unsupported_value")),
    ),
    Scenario(
        "region-blocked",
        "The request comes from an unsupported country: 403 unsupported_country_region_territory everywhere.",
        ("F17",),
        http_faults=(_api_fault(EVERYWHERE, 403, REGION_BLOCKED, before_auth=True),),
    ),
    Scenario(
        "org-mismatch",
        "An OpenAI-Organization header that is not the key's organization gets 401 mismatched_organization.",
        ("F06",),
        http_faults=(_api_fault(EVERYWHERE, 401, ORG_MISMATCH, when="organization_header"),),
        hints=ClientHints(organization="org-FAKEOTHER"),
    ),
    Scenario(
        "no-organization",
        "The key's user belongs to no organization: 401 no_organization, close 3000 on the socket.",
        ("F16",),
        http_faults=(_api_fault(ALL_REST, 401, NO_ORGANIZATION),),
        socket=_ws_error(3000, NO_ORGANIZATION),
    ),
    Scenario(
        "ip-not-authorized",
        "The project has an IP allowlist that excludes this address: 401 IP not authorized.",
        ("F18",),
        # The allowlist is enforced before any socket exists, so the upgrade itself is refused.
        http_faults=(_api_fault(EVERYWHERE, 401, IP_NOT_AUTHORIZED),),
    ),
    Scenario(
        "quota",
        "No quota left: minting gives 429 insufficient_quota (no retry-after); responses fail the same way.",
        ("F42", "F41"),
        http_faults=(_api_fault(("client_secrets",), 429, INSUFFICIENT_QUOTA),),
        response=ResponseOutcome("failed", INSUFFICIENT_QUOTA),
    ),
    Scenario(
        "credit-exhausted",
        "Prepaid credits used up: 429 credit_balance_exhausted on minting and in response.done.",
        ("F42", "F41"),
        http_faults=(_api_fault(("client_secrets",), 429, CREDIT_EXHAUSTED),),
        response=ResponseOutcome("failed", CREDIT_EXHAUSTED),
    ),
    Scenario(
        "rate-limited",
        "Requests-per-minute limit hit: 429 rate_limit_exceeded with retry-after and x-ratelimit-* on minting.",
        ("F43",),
        http_faults=(_api_fault(("client_secrets",), 429, RATE_LIMITED, headers=_RATE_HEADERS),),
    ),
    Scenario(
        "overloaded",
        "Listing models answers 503 'That model is currently overloaded'.",
        ("F20",),
        http_faults=(_api_fault(("models.list",), 503, OVERLOADED),),
    ),
    Scenario(
        "html-502",
        "Cloudflare answers REST calls with an HTML 502 page (cf-ray header, client IP inside the page).",
        ("F20",),
        http_faults=(
            HttpFault(
                ALL_REST,
                status=502,
                text=CLOUDFLARE_502,
                content_type="text/html; charset=UTF-8",
                headers=(("server", "cloudflare"), ("cf-ray", f"{CF_RAY}-SJC")),
                before_auth=True,
                intermediary=True,
            ),
        ),
    ),
    Scenario(
        "truncated-json",
        "GET /v1/models answers 200 with a JSON document cut in the middle.",
        ("F20",),
        http_faults=(HttpFault(("models.list",), delivery="truncated"),),
    ),
    Scenario(
        "unknown-url",
        "The base URL lacks /v1, so every call is 404 unknown_url 'Unknown request URL: GET /models…'.",
        ("F05",),
        hints=ClientHints(base_path=""),
    ),
    Scenario(
        "handshake-403",
        "The WebSocket upgrade is refused with 403 and a JSON body: Realtime not enabled for the organization.",
        ("F25", "F32"),
        http_faults=(_api_fault(("realtime",), 403, ACCESS_NOT_ENABLED),),
    ),
    Scenario(
        "handshake-500",
        "The WebSocket upgrade fails with HTTP 500 (as seen with non-API-key credentials after the beta shut-off).",
        ("F34", "F32"),
        http_faults=(_api_fault(("realtime",), 500, HANDSHAKE_SERVER_ERROR, before_auth=True),),
    ),
    Scenario(
        "gateway-404",
        "A REST-only gateway answers the WebSocket upgrade with an nginx HTML 404 page.",
        ("F13", "F33"),
        http_faults=(
            HttpFault(
                ("realtime",),
                status=404,
                text=NGINX_404,
                content_type="text/html",
                headers=(("server", "nginx/1.25.3"),),
                before_auth=True,
                intermediary=True,
            ),
        ),
    ),
    Scenario(
        "missing-auth-header",
        "A proxy strips Authorization from the upgrade: 401 'Missing bearer or basic authentication in header'.",
        ("F31",),
        http_faults=(_api_fault(("realtime",), 401, MISSING_AUTH, before_auth=True),),
    ),
    Scenario(
        "invalid-model",
        "The socket answers error invalid_model 'not supported in realtime mode', then closes 4000.",
        ("F38", "F24"),
        socket=_ws_error(4000, INVALID_MODEL),
    ),
    Scenario(
        "model-not-found-ws",
        "REST shows the model, but the socket closes 4004 invalid_request_error.model_not_found with no event.",
        ("F21",),
        socket=SocketPlan(reject=WsReject(4004, reason="invalid_request_error.model_not_found")),
    ),
    Scenario(
        "beta-shape",
        "The socket behaves as if OpenAI-Beta: realtime=v1 were sent: error beta_api_shape_disabled, close 4000.",
        ("F36",),
        socket=_ws_error(4000, BETA_DISABLED_WS),
    ),
    Scenario(
        "silent-socket",
        "The upgrade succeeds but the server never sends a single event.",
        ("F40",),
        socket=SocketPlan(silent=True),
    ),
    Scenario(
        "garbage-frame",
        "The first frame is non-JSON text (an upstream proxy's error page), then silence.",
        ("F40",),
        socket=SocketPlan(first_frame="upstream connect error or disconnect/reset before headers", silent=True),
    ),
    Scenario(
        "binary-frame",
        "The first frame is binary instead of a JSON text event, then silence.",
        ("F40",),
        socket=SocketPlan(first_frame=b"\x00\x01\x02FAKE-binary-frame\xff", silent=True),
    ),
    Scenario(
        "mid-session-close",
        "session.created arrives, then the server closes 1011 on the first client event.",
        ("F40",),
        socket=SocketPlan(close_on_client_event=1011),
    ),
    Scenario(
        "response-failed-quota",
        "Everything connects, but response.done is failed with insufficient_quota.",
        ("F41", "F42"),
        response=ResponseOutcome("failed", INSUFFICIENT_QUOTA),
    ),
    Scenario(
        "response-model-not-found",
        "Everything connects, but response.done is failed with model_not_found.",
        ("F41", "F21"),
        response=ResponseOutcome("failed", MODEL_NOT_FOUND),
    ),
    Scenario(
        "server-error",
        "response.create gets an error event server_error naming the sess_ id, then a failed response.done.",
        ("F44", "F41"),
        response=ResponseOutcome("failed", SERVER_ERROR, error_event=True),
    ),
    Scenario(
        "audio-failed",
        "Text responses work, but every audio response ends in response.done failed with server_error.",
        ("F41", "F44"),
        response=ResponseOutcome("failed", SERVER_ERROR, audio_only=True),
        hints=ClientHints(deep=True),
    ),
    Scenario(
        "audio-incomplete",
        "Audio responses stop early: response.done incomplete (content_filter) before any audio.",
        ("F41",),
        response=ResponseOutcome("incomplete", audio_only=True),
        hints=ClientHints(deep=True),
    ),
    Scenario(
        "audio-stripped",
        "Audio responses complete, but no response.output_audio.delta ever arrives (a relay drops them).",
        ("F40", "F41"),
        response=ResponseOutcome(audio_deltas=False),
        hints=ClientHints(deep=True),
    ),
    Scenario(
        "audio-buffer-too-small",
        "Appended audio never reaches the input buffer: the commit gets input_audio_buffer_commit_empty.",
        ("F46",),
        socket=SocketPlan(drop_audio=True),
        hints=ClientHints(deep=True),
    ),
    Scenario(
        "transcription-failed",
        "Transcription sessions open, but the committed audio ends in …transcription.failed (audio_unintelligible).",
        ("F38",),
        transcription=TranscriptionOutcome("failed", error=AUDIO_UNINTELLIGIBLE),
        hints=ClientHints(deep=True),
    ),
    Scenario(
        "transcription-model-unavailable",
        "The transcription session.update is answered with an error event: model_not_found for the model.",
        ("F21", "F38"),
        transcription=TranscriptionOutcome(update_error=TRANSCRIPTION_MODEL_NOT_FOUND),
        hints=ClientHints(deep=True),
    ),
    Scenario(
        "beta-accepted",
        "A host that still speaks the retired beta interface (an old gateway): OpenAI-Beta sessions still open.",
        ("F36", "F26"),
        beta_accepted=True,
        hints=ClientHints(legacy=True),
    ),
    Scenario(
        "ephemeral-rejected",
        "Sockets opened with the API key work; sockets opened with an ek_ secret are rejected (close 3000).",
        ("F28",),
        ephemeral_socket=_ws_error(3000, INVALID_KEY),
    ),
    Scenario(
        "expired-secret",
        "client_secrets hands out secrets whose expires_at is already in the past; they open no socket.",
        ("F28",),
        mint_expired=True,
    ),
    # --- WebRTC (/v1/realtime/calls): the demo runs the opt-in webrtc check for these ------------
    Scenario(
        "webrtc-sdp-eof",
        "POST /v1/realtime/calls answers 400 'failed to unmarshal SDP: EOF': the offer lost its final CRLF.",
        ("F48",),
        http_faults=(_api_fault(("calls",), 400, SDP_EOF),),
        hints=ClientHints(webrtc=True),
    ),
    Scenario(
        "webrtc-invalid-offer",
        "POST /v1/realtime/calls answers 400 invalid_offer (not a WHIP-compliant offer).",
        ("F48",),
        http_faults=(_api_fault(("calls",), 400, INVALID_OFFER),),
        hints=ClientHints(webrtc=True),
    ),
    Scenario(
        "webrtc-raw-sdp-refused",
        "POST /v1/realtime/calls refuses the raw application/sdp body: reserved for ek_ secrets (update N6).",
        ("F48",),
        http_faults=(_api_fault(("calls",), 400, RAW_SDP_RESERVED),),
        hints=ClientHints(webrtc=True),
    ),
    Scenario(
        "webrtc-unsupported-content-type",
        "POST /v1/realtime/calls answers 400 unsupported_content_type.",
        ("F48",),
        http_faults=(_api_fault(("calls",), 400, UNSUPPORTED_CALL_CONTENT_TYPE),),
        hints=ClientHints(webrtc=True),
    ),
    Scenario(
        "webrtc-model-not-entitled",
        "Minting and the socket work, but /v1/realtime/calls answers 403 model_not_found (update N4).",
        ("F48",),
        http_faults=(_api_fault(("calls",), 403, MODEL_NOT_FOUND),),
        hints=ClientHints(webrtc=True),
    ),
    Scenario(
        "webrtc-secret-rejected",
        "POST /v1/realtime/calls answers 401 invalid_api_key to the ek_ secret (expired before the call).",
        ("F28", "F48"),
        http_faults=(_api_fault(("calls",), 401, INVALID_KEY, when="ephemeral_key"),),
        hints=ClientHints(webrtc=True),
    ),
    Scenario(
        "webrtc-model-not-found",
        "POST /v1/realtime/calls answers 404 model_not_found for the session's model.",
        ("F21", "F48"),
        http_faults=(_api_fault(("calls",), 404, MODEL_NOT_FOUND),),
        hints=ClientHints(webrtc=True),
    ),
    Scenario(
        "webrtc-answer-not-sdp",
        "POST /v1/realtime/calls answers 200 with a proxy's HTML page instead of an SDP answer (F48).",
        ("F48",),
        http_faults=(HttpFault(("calls",), status=200, text=PROXY_PAGE, content_type="text/html", intermediary=True),),
        hints=ClientHints(webrtc=True),
    ),
    Scenario(
        "webrtc-no-location",
        "POST /v1/realtime/calls answers 201 with SDP but no Location header: no call id to hang up.",
        ("F48",),
        http_faults=(HttpFault(("calls",), status=201, text=BARE_ANSWER_SDP, content_type="application/sdp"),),
        hints=ClientHints(webrtc=True),
    ),
    Scenario(
        "webrtc-hangup-fails",
        "The call is created, but POST /v1/realtime/calls/{id}/hangup answers 500.",
        ("F48",),
        http_faults=(_api_fault(("calls.hangup",), 500, SERVER_ERROR),),
        hints=ClientHints(webrtc=True),
    ),
    Scenario(
        "sideband-not-found",
        "The call is created, but the ?call_id= sideband upgrade answers 404 call_id_not_found (update N14).",
        ("F48",),
        http_faults=(_api_fault(("sideband",), 404, CALL_ID_NOT_FOUND),),
        hints=ClientHints(webrtc=True, sideband=True),
    ),
    Scenario(
        "slow-drip",
        "GET /v1/models dribbles its body one byte every 0.5 s: it would take many minutes to finish.",
        ("F10", "F40"),
        http_faults=(HttpFault(("models.list",), delivery="slow_drip"),),
    ),
    Scenario(
        "huge-body",
        "GET /v1/models streams about 64 MiB of valid-looking JSON.",
        (),
        http_faults=(HttpFault(("models.list",), delivery="huge"),),
    ),
    Scenario(
        "slow",
        "Healthy, but every HTTP response and every socket event is delayed by 300 ms.",
        (),
        latency_ms=300,
        event_latency_ms=300,
    ),
    Scenario("tls-trusted", "Healthy over TLS; the client is given the emulator's test CA.", ("F14",), tls=True),
    Scenario(
        "tls-untrusted",
        "Healthy over TLS, but the client is not given the test CA: verification must fail.",
        ("F14",),
        tls=True,
        hints=ClientHints(trust_ca=False),
    ),
)

# --- Azure OpenAI flavour (protocol.md §6, update §4, F50) ---------------------------------

_AZURE = ClientHints(model="realtime-prod", base_path="/openai/v1", provider="azure", credential="azure_key")
_AZURE_ENTRA = ClientHints(model="realtime-prod", base_path="/openai/v1", provider="azure", credential="entra_token")

AZURE_SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "azure-healthy",
        "Azure OpenAI, GA /openai/v1 routes, api-key auth: mint, socket and round trip all work.",
        ("F50",),
        azure=AzureFlavour(),
        hints=_AZURE,
    ),
    Scenario(
        "azure-entra",
        "Azure OpenAI with a Microsoft Entra token for https://ai.azure.com sent as Bearer: everything works.",
        ("F50",),
        azure=AzureFlavour(),
        hints=_AZURE_ENTRA,
    ),
    Scenario(
        "azure-entra-wrong-audience",
        "An Entra token for the old cognitiveservices audience: 401 {statusCode, message} 'audience is incorrect'.",
        ("F50",),
        azure=AzureFlavour(),
        hints=replace(_AZURE_ENTRA, entra_audience="https://cognitiveservices.azure.com"),
    ),
    Scenario(
        "azure-key-rejected",
        "The api-key is not a key of this resource: 401 'Access denied due to invalid subscription key'.",
        ("F50",),
        azure=AzureFlavour(),
        accept_api_keys=False,
        hints=_AZURE,
    ),
    Scenario(
        "azure-deployment-not-found",
        "The model id gpt-realtime is given where Azure wants the deployment name: 404 DeploymentNotFound.",
        ("F50",),
        azure=AzureFlavour(),
        hints=replace(_AZURE, model="gpt-realtime"),
    ),
    Scenario(
        "azure-operation-not-supported",
        "The deployment runs a chat model: 400 OpperationNotSupported (sic) on minting and at the upgrade.",
        ("F50",),
        azure=AzureFlavour(other_deployments=("chat-gpt-4o",)),
        hints=replace(_AZURE, model="chat-gpt-4o"),
    ),
    Scenario(
        "azure-region-without-realtime",
        "A resource in West Europe, which offers no realtime models: 400 OperationNotSupported, x-ms-region shown.",
        ("F50",),
        azure=AzureFlavour(deployments=(), other_deployments=("realtime-prod",), region="West Europe"),
        hints=_AZURE,
    ),
    Scenario(
        "azure-api-version",
        "The GA base URL carries ?api-version=…: Azure answers 401 to every call.",
        ("F50",),
        azure=AzureFlavour(),
        hints=replace(_AZURE, base_path="/openai/v1?api-version=2025-04-01-preview"),
    ),
    Scenario(
        "azure-preview-endpoint",
        "The deprecated preview URL /openai/realtime?api-version=…&deployment=… is configured.",
        ("F50",),
        azure=AzureFlavour(),
        hints=replace(_AZURE, base_path="/openai/realtime?api-version=2025-04-01-preview&deployment=realtime-prod"),
    ),
)

# --- Gateways: answers recorded from a LiteLLM 1.108 proxy in front of the emulator (issue 13) --------

# LiteLLM without a database looks every key other than its master key up in the database it lacks.
NO_CONNECTED_DB = ErrorSpec("No connected db.", type="no_db_connection", code="400", param="None")
GATEWAY_AUTH_ERROR = ErrorSpec(
    "Authentication Error, Invalid proxy server token passed.", type="auth_error", code="403", param="None"
)

GATEWAY_SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "gateway-wrapped-secret",
        "A LiteLLM-style gateway mints its own 304-character secret with '=' padding: no browser can send it.",
        ("F04",),
        gateway=GatewayVoice(wrapped_secrets=True),
    ),
    Scenario(
        "gateway-unknown-key",
        "A LiteLLM-style gateway without a database: 400 'No connected db.' on REST, 403 at the upgrade.",
        ("F04", "F13"),
        gateway=GatewayVoice(),
        http_faults=(
            HttpFault(ALL_REST, status=400, error=NO_CONNECTED_DB, before_auth=True),
            HttpFault(("realtime",), status=403, error=GATEWAY_AUTH_ERROR, before_auth=True),
        ),
    ),
)

SCENARIOS = SCENARIOS + AZURE_SCENARIOS + GATEWAY_SCENARIOS

_BY_NAME = {s.name: s for s in SCENARIOS}


def list_scenarios() -> list[Scenario]:
    return list(SCENARIOS)


def get_scenario(name: str) -> Scenario:
    """The scenario called `name`; KeyError naming the closest matches otherwise."""
    try:
        return _BY_NAME[name]
    except KeyError:
        close = difflib.get_close_matches(name, list(_BY_NAME), n=3, cutoff=0.5)
        hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise KeyError(f"unknown scenario {name!r}.{hint} Known scenarios: {', '.join(_BY_NAME)}") from None
