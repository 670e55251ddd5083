"""Diagnoses for answers that came from a gateway (LiteLLM, one-api, an API manager), not from OpenAI.

The advice is about the gateway: it answered, so its configuration, its keys and its logs hold the cause.
"""

from __future__ import annotations

from realtime_check.diagnosis.catalog._base import Entry, entry
from realtime_check.models import Category

DOCS_LITELLM_REALTIME = "https://docs.litellm.ai/docs/realtime"

ENTRIES: tuple[Entry, ...] = (
    entry(
        "gateway_auth_rejected",
        "The gateway refused the credential",
        "The gateway in front of the API refused this request itself (its answer carries none of OpenAI's "
        "headers): the key is not one the gateway knows, or its rules deny this route, model or user.",
        (
            "Use a key issued by this gateway (its master or virtual key), not an OpenAI key, unless the gateway "
            "is documented to pass keys through.",
            "Read the gateway's logs for this request: the refusal is its own, OpenAI never saw the request.",
        ),
        Category.AUTH,
        docs=DOCS_LITELLM_REALTIME,
        failures=("F04", "F13"),
        terms=("Invalid proxy server token passed", "auth_error"),
    ),
    entry(
        "gateway_request_rejected",
        "The gateway rejected the request",
        "The gateway in front of the API answered with an error of its own (no OpenAI request id or openai-* "
        "headers): its configuration or state, not OpenAI, decided this. LiteLLM without a database, for "
        "example, answers 400 'No connected db.' to every key but its master key.",
        (
            "Read the gateway's message and its logs: the cause is in the gateway's configuration.",
            "LiteLLM: use the master key, or attach the database that holds the virtual keys.",
            "To tell the gateway from OpenAI, run realtime-check once with --base-url https://api.openai.com/v1 "
            "and an OpenAI key.",
        ),
        Category.CONFIG,
        docs=DOCS_LITELLM_REALTIME,
        failures=("F04", "F05"),
        codes=("no_db_connection",),
        terms=("No connected db.",),
    ),
    entry(
        "gateway_server_error",
        "The gateway failed",
        "The gateway in front of the API answered with a server error of its own (no OpenAI request id): it "
        "could not reach its upstream, or it crashed handling the request.",
        (
            "Check that the gateway is running and reaches its upstream (its health endpoint and logs).",
            "Compare with a direct run against https://api.openai.com/v1.",
        ),
        Category.UNAVAILABLE,
        failures=("F13",),
        statuses=(500, 502, 503, 504),
        terms=("gateway error", "upstream connect error", "no OpenAI request id"),
    ),
    entry(
        "gateway_secret_not_subprotocol_safe",
        "The browser path through this gateway cannot work",
        "The gateway mints client secrets of its own, and this one contains characters a WebSocket subprotocol "
        "cannot carry (such as '=' or '/'). Browsers can only authenticate a Realtime socket with the secret in "
        "the Sec-WebSocket-Protocol header, so every browser refuses to open it, exactly as this check did.",
        (
            "Connect browsers with WebRTC through the gateway's /realtime/calls route (which takes the secret in the "
            "Authorization header), or run your own server-side relay that holds the key.",
            "Or ask the gateway's maintainers for subprotocol-safe secrets (base64url without padding).",
        ),
        Category.CONFIG,
        docs=DOCS_LITELLM_REALTIME,
        failures=("F04", "F48"),
        terms=("invalid subprotocol",),
    ),
)

DIAGNOSES = tuple(d for d, _ in ENTRIES)
MATCHERS = {d.id: m for d, m in ENTRIES}
