"""The scan rules, as data: a stable id, a severity, why the pattern fails today and what to write instead.

The matchers (match_tokens, match_text, match_python_ast) decide *where* a rule fires; this table is
the one place that says *what it means*. `realtime-check explain <rule-id>` and the SARIF rule
descriptors are generated from it, so they cannot drift from the findings.
"""

from __future__ import annotations

from dataclasses import dataclass

from realtime_check.scan.models import Severity

DOCS = "https://developers.openai.com/api/docs/guides/realtime"


@dataclass(frozen=True)
class Rule:
    id: str
    name: str  # SARIF reportingDescriptor.name: PascalCase
    severity: Severity
    title: str
    why: str  # why it fails today, with the live server's answer where there is one
    fix: str
    bad: str  # a one-line example the rule finds
    good: str  # its replacement
    help_uri: str = DOCS


RULES: tuple[Rule, ...] = (
    Rule(
        "beta-header",
        "BetaHeader",
        Severity.ERROR,
        "The beta header OpenAI-Beta: realtime=v1",
        "The Realtime beta interface was shut down in May 2026. A socket opened with this header is accepted, "
        'then the server sends error `beta_api_shape_disabled` ("The Realtime Beta API is no longer supported. '
        'Please use /v1/realtime for the GA API.") and closes with 4000; the beta SDP shape gets the same body '
        "as HTTP 400. The `openai-beta.realtime-v1` subprotocol is the same header in browser form.",
        "Remove the header (and the `openai-beta.realtime-v1` subprotocol); then migrate the event names and the "
        "session shape, which the GA interface expects.",
        '{"Authorization": f"Bearer {key}", "OpenAI-Beta": "realtime=v1"}',
        '{"Authorization": f"Bearer {key}"}',
    ),
    Rule(
        "beta-sessions-endpoint",
        "BetaSessionsEndpoint",
        Severity.ERROR,
        "The beta endpoints: /v1/realtime/sessions and the beta WebRTC URL",
        "`POST /v1/realtime/sessions` and `/v1/realtime/transcription_sessions` belong to the retired beta "
        "interface; GA requests fail with `Missing required parameter: 'session.type'.` "
        "(`missing_required_parameter`), and code that reads `client_secret.value` finds nothing. The beta "
        "WebRTC offer (`POST https://api.openai.com/v1/realtime?model=…` with the SDP) gets HTTP 400 "
        "`beta_api_shape_disabled`.",
        'POST to `/v1/realtime/client_secrets` with `{"session": {"type": "realtime", "model": …}}` '
        "(type `transcription` for transcription) and read the top-level `value` (an `ek_…` secret); "
        "WebRTC posts its SDP offer to `/v1/realtime/calls`.",
        'fetch("https://api.openai.com/v1/realtime/sessions", …)',
        'fetch("https://api.openai.com/v1/realtime/client_secrets", …)',
    ),
    Rule(
        "beta-client-secret-field",
        "BetaClientSecretField",
        Severity.ERROR,
        "Reading client_secret.value (the beta response shape)",
        "The GA `/v1/realtime/client_secrets` response has `value` and `expires_at` at the top level; there is "
        "no `client_secret` wrapper, so this reads undefined/None and the socket or WebRTC call is then made "
        "without a credential (401).",
        'Read `value` from the response itself: `data.value` / `data["value"]`.',
        "const token = data.client_secret.value;",
        "const token = data.value;",
    ),
    Rule(
        "legacy-socket-url",
        "LegacySocketUrl",
        Severity.ERROR,
        "A session id in the socket path or a credential in its query string",
        "`wss://api.openai.com/v1/realtime/{sessionId}?authorization=Bearer…` was never an OpenAI URL: the path "
        "takes no session id and the server reads no credential from the query string, so the upgrade is "
        "refused (404 for the path, 401 for the missing header).",
        "Connect to `wss://api.openai.com/v1/realtime?model=<model>` (or `?call_id=…`, `?intent=transcription`) "
        "with `Authorization: Bearer <key or ek_ secret>`; a browser sends the ephemeral secret as the "
        "subprotocol `openai-insecure-api-key.<ek_…>` instead.",
        "new WebSocket(`wss://api.openai.com/v1/realtime/${sessionId}?authorization=Bearer%20${token}`)",
        'new WebSocket("wss://api.openai.com/v1/realtime?model=gpt-realtime-2.1", ["realtime", `openai-insecure-api-key.${ek}`])',
    ),
    Rule(
        "retired-model",
        "RetiredModel",
        Severity.ERROR,
        "A retired model id",
        "This model has been shut down. The socket closes with 4004 `invalid_request_error.model_not_found` "
        "(or the first response fails with `model_not_found`).",
        "Use the successor named in the finding, and check that your project has it with `GET /v1/models` "
        "(or `realtime-check run --model <id>`).",
        'model = "gpt-4o-realtime-preview-2024-12-17"',
        'model = "gpt-realtime-2.1"',
    ),
    Rule(
        "model-retiring",
        "ModelRetiring",
        Severity.WARNING,
        "A model with an announced shutdown date",
        "OpenAI has announced a shutdown date for this model; from that day requests fail with "
        "`model_not_found` (close 4004 on the socket).",
        "Move to the successor named in the finding before the shutdown date; `GET /v1/models` shows each "
        "model's `shutdown_date`.",
        'model: "gpt-realtime"',
        'model: "gpt-realtime-2.1"',
    ),
    Rule(
        "beta-event-name",
        "BetaEventName",
        Severity.ERROR,
        "A beta event name that GA renamed",
        "The GA server never sends this event, so a listener for it never fires: the app connects, the model "
        "answers, and nothing plays or prints. (`conversation.item.created` is still listed in the GA spec, "
        "hence only a warning.)",
        "Listen for the GA name given in the finding.",
        "case 'response.audio.delta':",
        "case 'response.output_audio.delta':",
    ),
    Rule(
        "beta-session-field",
        "BetaSessionField",
        Severity.ERROR,
        "A beta (flat) session field",
        "GA sessions are nested and typed (`type`, `output_modalities`, `audio.input.*`, `audio.output.*`); "
        'the server rejects the whole `session.update` with `unknown_parameter` (e.g. "Unknown parameter: '
        "'session.input_audio_format'.\") or `Missing required parameter: 'session.type'.`, so instructions, "
        "tools and voice are silently not applied.",
        'Use the GA shape given in the finding: `{type: "realtime", output_modalities: ["audio"], audio: '
        "{input: {format, transcription, turn_detection}, output: {format, voice}}}`.",
        "session: { modalities: ['audio', 'text'], voice: 'alloy', input_audio_format: 'pcm16' }",
        "session: { type: 'realtime', output_modalities: ['audio'], audio: { input: { format: { type: 'audio/pcm', rate: 24000 } }, output: { voice: 'alloy' } } }",
    ),
    Rule(
        "websockets-extra-headers",
        "WebsocketsExtraHeaders",
        Severity.ERROR,
        "websockets.connect(..., extra_headers=...)",
        "websockets 14 replaced the connect implementation and renamed `extra_headers` to "
        "`additional_headers`; with websockets ≥ 14 the call raises `TypeError: ... unexpected keyword "
        "argument 'extra_headers'` before any request is sent.",
        "Pass the headers as `additional_headers=` (websockets ≥ 14).",
        "websockets.connect(url, extra_headers=headers)",
        "websockets.connect(url, additional_headers=headers)",
        "https://websockets.readthedocs.io/en/stable/howto/upgrade.html",
    ),
    Rule(
        "sdk-beta-realtime",
        "SdkBetaRealtime",
        Severity.ERROR,
        "The SDKs' beta Realtime client",
        "`client.beta.realtime` (openai-python, openai-node), `openai/beta/realtime/*` and the "
        "`openai-realtime-api-beta` package speak the beta interface: they send `OpenAI-Beta: realtime=v1`, so "
        "the server answers `beta_api_shape_disabled` and closes with 4000.",
        "Use the GA client: `client.realtime.connect(model=…)` (Python), `OpenAIRealtimeWebSocket` / "
        "`OpenAIRealtimeWS` from `openai/realtime/websocket` / `openai/realtime/ws` (Node), or the Agents SDK.",
        "async with client.beta.realtime.connect(model=MODEL) as conn:",
        "async with client.realtime.connect(model=MODEL) as conn:",
    ),
    Rule(
        "azure-preview-url",
        "AzurePreviewUrl",
        Severity.ERROR,
        "An Azure OpenAI preview Realtime URL",
        "Azure deprecated the preview Realtime API (`/openai/realtime?api-version=…&deployment=…`, "
        "`/openai/realtimeapi/sessions`, `realtimeapi-preview.ai.azure.com`) from April 30, 2026; putting "
        "`api-version` on the GA URL gives 401.",
        "Use `wss://<resource>.openai.azure.com/openai/v1/realtime?model=<deployment>` (no `api-version`) and "
        "mint at `/openai/v1/realtime/client_secrets`; WebRTC goes to `/openai/v1/realtime/calls`.",
        '"wss://my-res.openai.azure.com/openai/realtime?api-version=2025-04-01-preview&deployment=rt"',
        '"wss://my-res.openai.azure.com/openai/v1/realtime?model=rt"',
        "https://learn.microsoft.com/azure/ai-foundry/openai/how-to/realtime-audio-websockets",
    ),
    Rule(
        "hardcoded-key",
        "HardcodedKey",
        Severity.ERROR,
        "An OpenAI API key in source or committed config",
        "Anyone who can read the repository (or the browser bundle) can use the key; OpenAI and GitHub "
        "secret scanning revoke leaked keys, and the app then fails with 401 `invalid_api_key`.",
        "Revoke the key at https://platform.openai.com/api-keys, read it from the environment "
        "(`OPENAI_API_KEY`), and give browsers only short-lived `ek_` secrets minted by your server.",
        'const apiKey = "sk-proj-…";',
        "const apiKey = process.env.OPENAI_API_KEY;",
        "https://platform.openai.com/api-keys",
    ),
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
