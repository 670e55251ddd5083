"""Diagnoses found before any network call: the key, the URLs, the model and org/project ids."""

from __future__ import annotations

from realtime_check.diagnosis.catalog._base import (
    DOCS_API_KEYS,
    DOCS_AUTH,
    DOCS_AZURE_REALTIME,
    DOCS_DEPRECATIONS,
    DOCS_MODELS,
    DOCS_REALTIME_TRANSCRIPTION,
    DOCS_REALTIME_WS,
    Entry,
    entry,
)
from realtime_check.models import Category

C = Category.CONFIG

_NEW_KEY = "Create a new key at https://platform.openai.com/api-keys if you are unsure which one is current."

ENTRIES: tuple[Entry, ...] = (
    # --- The API key (keys.lint) -------------------------------------------------------
    entry(
        "key_missing",
        "No API key found",
        "No key was given with --api-key, in OPENAI_API_KEY, or in a .env file, so nothing can be tested.",
        (
            "Export the key in the same shell that runs the check: export OPENAI_API_KEY=sk-...",
            "Or put OPENAI_API_KEY=sk-... in a .env file in the current directory, or pass --api-key.",
            "If your app reads the key from a .env file, make sure it actually loads that file (and restart the IDE or container after changing it).",
        ),
        C,
        docs=DOCS_API_KEYS,
        failures=("F01",),
        terms=("OPENAI_API_KEY", "api_key client option must be set"),
    ),
    entry(
        "key_whitespace",
        "API key contains whitespace or a newline",
        "Spaces or a line break were copied with the key; the server receives them as part of the key and rejects it.",
        (
            "Re-copy the key without leading/trailing spaces or line breaks.",
            "In .env files write OPENAI_API_KEY=sk-... with nothing else on the line.",
        ),
        C,
        docs=DOCS_API_KEYS,
        failures=("F02",),
        terms=("Illegal header value", "LocalProtocolError", "newline in the key", "whitespace"),
    ),
    entry(
        "key_quoted",
        "API key is wrapped in quotes",
        "The quotes became part of the value (common with Docker --env-file, systemd and some .env loaders).",
        (
            "Remove the quotes around the key where it is set.",
            "Docker --env-file and systemd EnvironmentFile do not strip quotes: write the bare value there.",
        ),
        C,
        docs=DOCS_API_KEYS,
        failures=("F02",),
        terms=("quotes around the key", "quoted key", "--env-file"),
    ),
    entry(
        "key_non_ascii",
        "API key contains non-ASCII or invisible characters",
        "A smart quote, zero-width space or similar character was pasted with the key (word processors and chat apps add them).",
        (
            "Copy the key again directly from https://platform.openai.com/api-keys into a plain-text editor.",
            "Watch for curly quotes, non-breaking spaces and zero-width characters around or inside the value.",
        ),
        C,
        docs=DOCS_API_KEYS,
        failures=("F02",),
        terms=("UnicodeEncodeError", "'ascii' codec can't encode", "zero-width space", "non-ASCII"),
    ),
    entry(
        "key_placeholder",
        "API key is placeholder text, a URL or a fragment",
        "The configured value looks like template text (YOUR_OPENAI_API_KEY, <key>, sk-...), a URL or a truncated key, not a real key.",
        (
            "Replace the placeholder with a real key from https://platform.openai.com/api-keys.",
            "If the API echoes 'Incorrect API key provided: ...', the masked value shows what it actually received.",
        ),
        C,
        docs=DOCS_API_KEYS,
        failures=("F02",),
        terms=("YOUR_OPENAI_API_KEY", "placeholder"),
    ),
    entry(
        "key_admin",
        "Admin API key cannot call models",
        "sk-admin- keys only manage the organization (/v1/organization/*); they cannot call models or open Realtime sessions.",
        (
            "Use a project key (sk-proj-) or a service-account key (sk-svcacct-) instead.",
            "Create one under the project's API keys page: https://platform.openai.com/api-keys",
        ),
        C,
        docs=DOCS_API_KEYS,
        terms=("sk-admin",),
    ),
    entry(
        "key_ephemeral",
        "Key is an ephemeral client secret",
        "ek_ secrets are minted by POST /v1/realtime/client_secrets; they expire within minutes and only open Realtime connections.",
        (
            "Test with the standard key your server uses to mint secrets (sk-proj- or sk-svcacct-).",
            "Mint a fresh ek_ secret per connection and use it right away; never store it as a long-lived key.",
        ),
        C,
        docs=DOCS_REALTIME_WS,
        failures=("F28",),
        terms=("ek_",),
    ),
    entry(
        "key_unknown_format",
        "Key does not look like an OpenAI API key",
        "It does not start with sk- or ek_: relay, gateway (litellm, one-api) and ChatGPT/Codex OAuth tokens only work where they were issued.",
        (
            "If the token came from a relay or gateway, set the base URL to that service, not api.openai.com.",
            "For api.openai.com use an OpenAI API key (sk-proj-...); OAuth tokens stopped working on the Realtime endpoint.",
        ),
        C,
        docs=DOCS_API_KEYS,
        failures=("F04", "F34"),
        terms=("OAuth token", "Codex token", "ChatGPT token", "not an OpenAI key"),
    ),
    entry(
        "key_shadowed_by_env",
        "Shell OPENAI_API_KEY differs from the .env file",
        "OPENAI_API_KEY in the environment overrides the key in .env, so the key being tested (and the one your app uses) may not be the one you edited.",
        (
            "Unset the shell variable (unset OPENAI_API_KEY) if the .env value is the one you want, or update it.",
            "Check your shell profile, IDE run configuration and container env for a stale OPENAI_API_KEY.",
        ),
        C,
        docs=DOCS_API_KEYS,
        failures=("F01", "F03"),
        terms=("shadowed", "load_dotenv", "override=True"),
    ),
    # --- Base URL ------------------------------------------------------------------------
    entry(
        "base_url_invalid",
        "Base URL is not a valid http(s) URL",
        "The configured base URL cannot be parsed, has no scheme or host, or uses a scheme other than http/https.",
        (
            "Set the base URL to https://api.openai.com/v1 (or your gateway's URL ending in /v1).",
            "Use --base-url or OPENAI_BASE_URL; the WebSocket URL is derived from it unless --ws-base-url (OPENAI_WEBSOCKET_BASE_URL) is set.",
        ),
        C,
        docs=DOCS_AUTH,
        failures=("F05",),
        terms=("OPENAI_BASE_URL", "UnsupportedProtocol", "InvalidURI"),
    ),
    entry(
        "base_url_missing_v1",
        "Base URL does not end in /v1",
        'Without /v1 requests go to /models and /realtime, which answer 404 unknown_url ("Unknown request URL").',
        (
            "Append /v1: https://api.openai.com/v1",
            "For gateways, use the path under which they expose the OpenAI API (usually ending in /v1).",
        ),
        C,
        docs=DOCS_AUTH,
        failures=("F05",),
        terms=("without /v1", "missing /v1"),
    ),
    entry(
        "base_url_endpoint_pasted",
        "Base URL contains an endpoint path",
        "An endpoint such as /chat/completions or /realtime was pasted into the base URL, so clients build URLs like /v1/chat/completions/chat/completions.",
        (
            "Set the base URL to the API root only: https://api.openai.com/v1",
            "Clients append /realtime (and ?model=...) themselves.",
        ),
        C,
        docs=DOCS_AUTH,
        failures=("F05",),
        terms=("/chat/completions", "endpoint path", "/v1/realtime/realtime"),
    ),
    entry(
        "base_url_double_v1",
        "Base URL repeats /v1",
        "The URL ends in /v1/v1 (or a gateway adds its own /v1), so every request goes to a path that does not exist.",
        ("Keep exactly one /v1 at the end of the base URL.",),
        C,
        docs=DOCS_AUTH,
        failures=("F05",),
        terms=("/v1/v1",),
    ),
    entry(
        "base_url_azure_api_version",
        "Azure GA URL carries api-version",
        "The Azure GA endpoint (/openai/v1/...) rejects an api-version query parameter with 401; api-version belongs to the deprecated preview API.",
        (
            "Remove api-version from the URL: wss://<resource>.openai.azure.com/openai/v1/realtime?model=<deployment>",
            "Pass the deployment name (not the model name) as model=.",
        ),
        C,
        docs=DOCS_AZURE_REALTIME,
        failures=("F50",),
        terms=("api-version", "azure"),
    ),
    entry(
        "ws_url_legacy_form",
        "WebSocket URL uses a form OpenAI never accepted",
        "URLs like wss://api.openai.com/v1/realtime/{sessionId}?authorization=Bearer%20... come from outdated notes and other vendors; OpenAI has no session-id path and ignores credentials in the query string.",
        (
            "Connect to wss://api.openai.com/v1/realtime?model=gpt-realtime-2.1",
            "Send the key as an `Authorization: Bearer ...` header; browsers use the subprotocol openai-insecure-api-key.<ek_ secret> instead.",
            "Stop putting the token in an ?authorization= query parameter: it is not read and may be logged by proxies.",
        ),
        C,
        docs=DOCS_REALTIME_WS,
        failures=("F05", "F31"),
        terms=("?authorization=", "authorization=Bearer", "sessionId"),
    ),
    # --- Model ---------------------------------------------------------------------------
    entry(
        "model_retired",
        "Configured model has been shut down",
        "The model is a retired id (the gpt-4o-realtime-preview family was shut down with the beta interface in 2026) or its shutdown_date has passed.",
        (
            "Use gpt-realtime-2.1 (or gpt-realtime-2.1-mini, or another realtime id your key lists without a shutdown date).",
            "Replace hard-coded gpt-4o-realtime-preview snapshots in code and config; they now fail with model_not_found.",
        ),
        C,
        docs=DOCS_DEPRECATIONS,
        failures=("F21",),
        terms=("gpt-4o-realtime-preview", "gpt-4o-mini-realtime-preview", "shutdown_date", "deprecated"),
    ),
    entry(
        "model_shutdown_scheduled",
        "Configured model has a shutdown date",
        "The model still works, but /v1/models lists a shutdown_date for it; after that date it will fail with model_not_found.",
        (
            "Plan the move to the replacement listed on the deprecations page (e.g. gpt-realtime-2.1 or gpt-realtime-2.1-mini).",
            "`realtime-check models` lists every realtime model this key can see with its shutdown date and successor.",
        ),
        C,
        docs=DOCS_DEPRECATIONS,
        failures=("F21",),
        terms=("shutdown date", "scheduled shutdown", "retiring"),
    ),
    entry(
        "model_not_realtime",
        "Configured model is not a Realtime model",
        "A chat, audio-completion or transcription model was given as the Realtime session model; ?model= only accepts Realtime models.",
        (
            "Use a Realtime model such as gpt-realtime-2.1 for ?model= and for session.model.",
            "Transcription models (gpt-4o-transcribe, whisper-1, ...) go in audio.input.transcription.model, not in the URL.",
            "For transcription-only sessions connect with ?intent=transcription and no model.",
        ),
        C,
        docs=DOCS_MODELS,
        failures=("F24", "F38"),
        terms=("not a chat model", "transcribe"),
    ),
    entry(
        "transcription_model_missing",
        "No transcription model visible to this key",
        "/v1/models lists no transcription model, so input-audio transcription (audio.input.transcription) may fail even if the Realtime session works.",
        (
            "If you need transcripts, check the project's model allowlist for gpt-4o-transcribe / gpt-4o-mini-transcribe / whisper-1.",
            "Ignore this warning if you do not transcribe user audio.",
        ),
        C,
        docs=DOCS_REALTIME_TRANSCRIPTION,
        failures=("F22",),
        terms=("gpt-4o-transcribe", "whisper-1", "audio.input.transcription", "input_audio_transcription"),
    ),
    # --- Organization / project ids --------------------------------------------------------
    entry(
        "org_id_malformed",
        "Organization id does not start with org-",
        'OPENAI_ORG_ID / OpenAI-Organization must be an id like org-abc123, not an organization name ("Personal") or an empty value.',
        (
            "Unset OPENAI_ORG_ID (and OPENAI_ORGANIZATION): a project key already implies its organization.",
            "If you need it, copy the id (org-...) from https://platform.openai.com/settings/organization/general",
        ),
        C,
        docs=DOCS_AUTH,
        failures=("F06",),
        terms=("OPENAI_ORG_ID", "OPENAI_ORGANIZATION", "OpenAI-Organization"),
    ),
    entry(
        "project_id_malformed",
        "Project id does not start with proj_",
        "OPENAI_PROJECT_ID / OpenAI-Project must be an id like proj_abc123, not a project name.",
        (
            "Unset OPENAI_PROJECT_ID: a project key (sk-proj-) already implies its project.",
            "If you need it, copy the id (proj_...) from the project's settings page.",
        ),
        C,
        docs=DOCS_AUTH,
        failures=("F06",),
        terms=("OPENAI_PROJECT_ID", "OpenAI-Project"),
    ),
)

DIAGNOSES = tuple(d for d, _ in ENTRIES)
MATCHERS = {d.id: m for d, m in ENTRIES}
