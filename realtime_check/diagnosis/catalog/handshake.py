"""Diagnoses for a WebSocket upgrade that did not answer 101 Switching Protocols.

Most clients drop the body of a failed upgrade, so users only saw "Unexpected server response: 403"
(docs/failures.md F32). We keep the body; these entries are what remains when it names nothing.
"""

from __future__ import annotations

from realtime_check.diagnosis.catalog._base import (
    DOCS_ERRORS,
    DOCS_REALTIME_WS,
    DOCS_SUPPORTED_COUNTRIES,
    Entry,
    entry,
)
from realtime_check.models import Category

ENTRIES: tuple[Entry, ...] = (
    entry(
        "handshake_forbidden",
        "WebSocket upgrade refused (403)",
        "The server refused the upgrade. In 2024 this meant the account was not yet enabled for the beta; today "
        "Realtime is generally available and a 403 comes from an unsupported region, a project model allowlist, "
        "key permissions, a mismatched minting/connect endpoint, or a gateway route without WebSocket support.",
        (
            "There is no beta access to request: do not wait for an invitation.",
            "Read the upgrade's body and x-request-id (-v); an error code there names the cause.",
            "Check the egress country (VPN, cloud region) and that HTTPS_PROXY applies to the WebSocket too.",
            "Check the project's allowed models include the Realtime model.",
            "Connect to wss://api.openai.com/v1/realtime?model=gpt-realtime-2.1 with an Authorization: Bearer header "
            "and no OpenAI-Beta header.",
        ),
        Category.AUTH,
        docs=DOCS_SUPPORTED_COUNTRIES,
        failures=("F25", "F32", "F17", "F22", "F30"),
        statuses=(403,),
        bare_status=True,
        terms=("Unexpected server response: 403", "WSServerHandshakeError", "InvalidStatus"),
    ),
    entry(
        "handshake_unauthorized",
        "WebSocket upgrade not authenticated (401)",
        "The upgrade's credentials were rejected: a wrong or expired key, a stale organization/project header, "
        "an expired ek_ secret, or credentials sent in a way the server does not read (query string).",
        (
            "Send `Authorization: Bearer <key>` on the upgrade; browsers use the subprotocols `realtime` and "
            "`openai-insecure-api-key.<ek_ secret>`.",
            "If REST calls with the same key pass, compare the headers your WebSocket client really sends "
            "(some SDK versions dropped Authorization).",
            "Ephemeral secrets: mint a fresh one right before connecting.",
        ),
        Category.AUTH,
        docs=DOCS_REALTIME_WS,
        failures=("F32", "F08", "F28"),
        statuses=(401,),
        bare_status=True,
        terms=("Unexpected server response: 401", "server rejected WebSocket connection: HTTP 401"),
    ),
    entry(
        "handshake_missing_auth",
        "No credentials reached the WebSocket upgrade",
        "The server saw no Authorization header ('Missing bearer or basic authentication in header'). Browser and "
        "edge-runtime WebSocket APIs cannot set headers, and some proxies strip them.",
        (
            "Server side: send `Authorization: Bearer <key>` as a header on the upgrade request.",
            "Browser: mint an ek_ secret on your server and pass the subprotocols `realtime` and "
            "`openai-insecure-api-key.<ek_ secret>`; never ship a standard key to the browser.",
            "Behind a proxy, make sure it forwards the Authorization header.",
        ),
        Category.AUTH,
        docs=DOCS_REALTIME_WS,
        failures=("F31",),
        statuses=(401,),
        terms=("Missing bearer or basic authentication", "openai-insecure-api-key"),
    ),
    entry(
        "handshake_not_found",
        "Realtime WebSocket path not found (404)",
        "Nothing serves the Realtime socket at this URL: a base URL without /v1 or with doubled /v1, a REST-only "
        "gateway used for WebSockets, a session id or endpoint pasted into the path, or a dead call_id.",
        (
            "Connect to wss://api.openai.com/v1/realtime?model=gpt-realtime-2.1, with nothing after /realtime in the path.",
            "If OPENAI_BASE_URL points at a REST-only gateway, set a separate WebSocket base URL "
            "(--ws-base-url or OPENAI_WEBSOCKET_BASE_URL) or use api.openai.com for Realtime.",
            "Azure: wss://<resource>.openai.azure.com/openai/v1/realtime?model=<deployment>.",
        ),
        Category.CONFIG,
        docs=DOCS_REALTIME_WS,
        failures=("F33", "F05"),
        statuses=(404,),
        bare_status=True,
        terms=("Unexpected server response: 404", "server rejected WebSocket connection: HTTP 404"),
    ),
    entry(
        "handshake_bad_request",
        "WebSocket upgrade rejected as invalid (400)",
        "The upgrade request was malformed for the server: a proxy dropped the Upgrade/Connection headers, the "
        "query has both model and intent, or a beta subprotocol (openai-beta.realtime-v1) was offered.",
        (
            "Use exactly one of ?model=, ?intent=transcription or ?call_id= in the URL.",
            "Offer no openai-beta.realtime-v1 subprotocol and send no OpenAI-Beta header.",
            "Behind nginx or a gateway: enable WebSocket passthrough (proxy_http_version 1.1 and the Upgrade and "
            "Connection headers).",
        ),
        Category.PROTOCOL,
        docs=DOCS_REALTIME_WS,
        failures=("F13", "F32"),
        statuses=(400,),
        bare_status=True,
        terms=("Unexpected server response: 400", "server rejected WebSocket connection: HTTP 400"),
    ),
    entry(
        "handshake_server_error",
        "WebSocket upgrade failed with a server error (5xx)",
        "The server failed the upgrade. Usually transient; since the 2026 beta shut-off, ChatGPT/Codex OAuth "
        "tokens (not API keys) also get HTTP 500 here on every model.",
        (
            "Use an OpenAI API key (sk-proj-...) rather than an OAuth or gateway token.",
            "Otherwise retry after a minute and check https://status.openai.com",
        ),
        Category.TEMPORARY,
        docs=DOCS_ERRORS,
        failures=("F34",),
        statuses=(500, 502, 503, 504),
        bare_status=True,
        terms=(
            "Unexpected server response: 500",
            "server rejected WebSocket connection: HTTP 500",
            "HTTP 502",
            "HTTP 503",
        ),
    ),
    entry(
        "handshake_rate_limited",
        "WebSocket upgrade rate limited (429)",
        "Too many connections or requests, or no quota left; the upgrade answer rarely says which.",
        (
            "Honour retry-after if present and retry with backoff.",
            "Check billing and rate limits: quota problems may also show as a 429 here.",
        ),
        Category.TEMPORARY,
        docs=DOCS_ERRORS,
        failures=("F35",),
        statuses=(429,),
        bare_status=True,
        terms=("Unexpected server response: 429", "server rejected WebSocket connection: HTTP 429"),
    ),
    entry(
        "handshake_intermediary",
        "Something other than the Realtime API answered the upgrade",
        "The upgrade got an HTML page or a non-101 answer from a server that is not OpenAI's edge: a reverse "
        "proxy without WebSocket support, a corporate proxy, a captive portal, or a gateway route.",
        (
            "Check which host answered (server header, -v) and whether a proxy sits in between.",
            "nginx: proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; "
            'proxy_set_header Connection "upgrade";',
            "Gateways: use a route documented to support Realtime WebSockets, or connect to api.openai.com directly.",
        ),
        Category.NETWORK,
        docs=DOCS_REALTIME_WS,
        failures=("F13",),
        terms=("101 Switching Protocols", "InvalidUpgrade", "InvalidMessage", "nginx"),
    ),
)

DIAGNOSES = tuple(d for d, _ in ENTRIES)
MATCHERS = {d.id: m for d, m in ENTRIES}
