"""Diagnoses for REST answers about the key and the account: credentials, org/project headers, region,
scopes, billing, rate limits and server errors (GET /v1/models, POST /v1/realtime/client_secrets).
"""

from __future__ import annotations

from realtime_check.diagnosis.catalog._base import (
    DOCS_API_KEYS,
    DOCS_AUTH,
    DOCS_BILLING,
    DOCS_ERRORS,
    DOCS_RATE_LIMITS,
    DOCS_REALTIME,
    DOCS_SUPPORTED_COUNTRIES,
    Entry,
    entry,
)
from realtime_check.models import Category

A = Category.AUTH
T = Category.TEMPORARY
U = Category.UNAVAILABLE

ENTRIES: tuple[Entry, ...] = (
    # --- Key and account ---------------------------------------------------------------------
    entry(
        "invalid_api_key",
        "API key rejected (invalid_api_key)",
        "The server does not recognise the key: a typo or placeholder, a key that was deleted, revoked or "
        "auto-rotated after a leak, or a key cached by a long-running process.",
        (
            "Compare the key's last four characters with the list at https://platform.openai.com/api-keys.",
            "If it is not listed, create a new key and update every place it is stored (.env, CI secrets, "
            "container env), then restart the process.",
            "The masked value in 'Incorrect API key provided: ...' shows what the server received: placeholder "
            "text or a URL there means the wrong value is configured.",
        ),
        A,
        docs=DOCS_API_KEYS,
        failures=("F02", "F03"),
        statuses=(401,),
        codes=("invalid_api_key",),
        terms=("Incorrect API key provided",),
    ),
    entry(
        "relay_key_rejected",
        "Non-OpenAI token rejected by the API",
        "The token is not an OpenAI API key (no sk- prefix): relay, gateway and OAuth tokens are only valid at "
        "the service that issued them.",
        (
            "Use the relay's own base URL together with its key, or an OpenAI key (sk-proj-...) with "
            "https://api.openai.com/v1.",
            "ChatGPT/Codex OAuth tokens do not work for the Realtime API: create an API key.",
        ),
        A,
        docs=DOCS_API_KEYS,
        failures=("F04", "F34"),
        statuses=(401,),
        terms=("relay token", "gateway token", "litellm", "one-api"),
    ),
    entry(
        "mismatched_organization",
        "OpenAI-Organization header does not match the key",
        "An organization id was sent (usually from a stale OPENAI_ORG_ID or OPENAI_ORGANIZATION) that the key "
        "does not belong to, or an organization name such as 'Personal' was sent instead of an org- id.",
        (
            "Unset OPENAI_ORG_ID and OPENAI_ORGANIZATION: a project key already implies its organization.",
            "If you belong to several organizations, set the org- id shown at "
            "https://platform.openai.com/settings/organization/general",
        ),
        A,
        docs=DOCS_AUTH,
        failures=("F06",),
        statuses=(401,),
        codes=("mismatched_organization",),
        terms=("No such organization", "OpenAI-Organization"),
    ),
    entry(
        "mismatched_project",
        "OpenAI-Project header does not match the key",
        "A project id was sent (usually from OPENAI_PROJECT_ID) that the key does not belong to.",
        (
            "Unset OPENAI_PROJECT_ID: a project key (sk-proj-) already implies its project.",
            "Or use a key created in the project you name.",
        ),
        A,
        docs=DOCS_AUTH,
        failures=("F06",),
        statuses=(401,),
        codes=("mismatched_project",),
        terms=("OpenAI-Project",),
    ),
    entry(
        "no_organization",
        "Account is not a member of any organization",
        "The key belongs to a user with no organization (legacy user keys after the move to projects, or "
        "membership removed).",
        (
            "Create a new project key at https://platform.openai.com/api-keys and use it instead.",
            "If that is not possible, ask an organization owner to re-invite you.",
        ),
        A,
        docs=DOCS_ERRORS,
        failures=("F16",),
        statuses=(401,),
        codes=("no_organization",),
        terms=("must be a member of an organization",),
    ),
    entry(
        "ip_not_authorized",
        "Request came from an IP address the project does not allow",
        "The organization or project has an IP allowlist and this machine's public address is not on it "
        "(CI runners, VPNs and laptops on other networks change it).",
        (
            "Run the check from an allowed network, or add this machine's egress IP to the allowlist in the "
            "organization/project security settings.",
        ),
        A,
        docs=DOCS_ERRORS,
        failures=("F18",),
        statuses=(401,),
        codes=("ip_not_authorized",),
        terms=("IP not authorized",),
    ),
    entry(
        "region_blocked",
        "Country, region or territory not supported",
        "The request reached OpenAI from an IP in an unsupported location: the host itself, a cloud region, a "
        "VPN exit, or a code path that bypasses your proxy.",
        (
            "Send the requests from a supported location (see the supported countries list).",
            "Make sure every request, including the WebSocket, goes through the same proxy/VPN (HTTPS_PROXY).",
        ),
        A,
        docs=DOCS_SUPPORTED_COUNTRIES,
        failures=("F17",),
        statuses=(403,),
        codes=("unsupported_country_region_territory",),
        types=("request_forbidden",),
        terms=("Country, region, or territory not supported",),
    ),
    entry(
        "missing_scope_model_read",
        "Key cannot list models (missing api.model.read)",
        "The key is restricted and lacks the Models: Read permission. It may still be allowed to use models, "
        "so the Realtime checks continue.",
        (
            "To let tools list models, give the key 'Models: Read' in its permissions at "
            "https://platform.openai.com/api-keys",
            "Otherwise ignore this warning: listing models is not needed for Realtime sessions.",
        ),
        A,
        docs=DOCS_API_KEYS,
        failures=("F19",),
        statuses=(401, 403),
        terms=("api.model.read",),
    ),
    entry(
        "missing_scope",
        "Restricted key lacks a required permission",
        "The key (or the user's role) lacks a scope the request needs, e.g. model.request for calling models.",
        (
            "Edit the key's permissions at https://platform.openai.com/api-keys: set 'Model capabilities' to "
            "Write (or use 'All').",
            "Check your role: organization Reader and project Member roles cannot do everything an Owner can.",
        ),
        A,
        docs=DOCS_API_KEYS,
        failures=("F19",),
        statuses=(401, 403),
        codes=("missing_scope",),
        terms=("Missing scopes", "insufficient permissions"),
    ),
    entry(
        "realtime_access_not_enabled",
        "Organization has no access to the Realtime API",
        "The API reported that this organization cannot use the Realtime API. Realtime is generally available, "
        "so this points at an organization or project restriction rather than a missing beta invitation.",
        (
            "Check the project's allowed models include a Realtime model (Project settings → Limits).",
            "Try the Realtime playground with the same project; contact support with the x-request-id if it "
            "fails there too.",
        ),
        A,
        docs=DOCS_REALTIME,
        failures=("F25",),
        statuses=(403,),
        codes=("access_not_enabled",),
        terms=("does not have access to the Realtime API",),
    ),
    # --- Billing and limits --------------------------------------------------------------------
    entry(
        "insufficient_quota",
        "No credits or quota left",
        "The organization has no usable balance: prepaid credits at zero, expired free credits, no payment "
        "method, a monthly budget cap, or credits in a different organization/project than the key. A ChatGPT "
        "subscription does not fund the API.",
        (
            "Add credits or a payment method at https://platform.openai.com/settings/organization/billing/overview",
            "Check that the key belongs to the organization and project that holds the credits.",
            "Do not retry: this 429 is not a rate limit. If it persists after adding credits, create a new key.",
        ),
        U,
        docs=DOCS_BILLING,
        failures=("F42",),
        statuses=(429,),
        codes=(
            "insufficient_quota",
            "credit_balance_exhausted",
            "billing_hard_limit_reached",
            "billing_not_active",
            "quota_exceeded",
        ),
        types=("insufficient_quota",),
        terms=("exceeded your current quota", "no credits remaining"),
    ),
    entry(
        "access_terminated",
        "Account or organization access terminated",
        "The API reports that access was terminated or the account deactivated, usually after a policy or "
        "billing problem.",
        (
            "Read the email OpenAI sent to the organization owner, then contact support via https://help.openai.com",
            "Do not retry or rotate keys: new keys in the same organization are refused too.",
        ),
        U,
        docs=DOCS_ERRORS,
        failures=("F42",),
        statuses=(401, 403, 429),
        codes=("access_terminated", "account_deactivated"),
    ),
    entry(
        "rate_limited",
        "Rate limit reached",
        "The organization's requests-per-minute/day or tokens-per-minute limit for this model is used up. "
        "Realtime reserves max output tokens up front, so a fresh session already counts against TPM.",
        (
            "Wait for the time the server names, then retry with backoff.",
            "Lower max_output_tokens in the session to reserve fewer tokens per response.",
            "Check your limits and usage tier at https://platform.openai.com/settings/organization/limits",
        ),
        T,
        docs=DOCS_RATE_LIMITS,
        failures=("F43",),
        statuses=(429,),
        bare_status=True,
        codes=("rate_limit_exceeded",),
        types=("requests", "tokens"),
        terms=("Rate limit reached", "retry-after", "x-ratelimit"),
    ),
    entry(
        "request_too_large",
        "Request larger than the tokens-per-minute limit",
        "A single request needs more tokens than the per-minute limit allows, so waiting will not help.",
        (
            "Reduce the request: shorter instructions and history, or a lower max_output_tokens.",
            "Or raise the limit by moving to a higher usage tier.",
        ),
        U,
        docs=DOCS_RATE_LIMITS,
        failures=("F43",),
        statuses=(429,),
        terms=("Request too large",),
    ),
    # --- Server side ---------------------------------------------------------------------------
    entry(
        "server_overloaded",
        "Model overloaded",
        "The model is temporarily overloaded with other requests.",
        (
            "Retry after a short wait with exponential backoff.",
            "Check https://status.openai.com for ongoing incidents.",
        ),
        T,
        docs=DOCS_ERRORS,
        failures=("F20",),
        statuses=(503,),
        bare_status=True,
        codes=("server_overloaded", "engine_overloaded"),
        terms=("overloaded",),
    ),
    entry(
        "server_error",
        "Server error",
        "OpenAI failed while processing the request. Usually transient; some accounts saw it persistently on "
        "one model snapshot.",
        (
            "Retry in a minute; check https://status.openai.com",
            "If it persists, try another Realtime model (e.g. gpt-realtime-2.1-mini) to see if one snapshot is affected.",
            "Contact https://help.openai.com with the session id (sess_...) or x-request-id shown above.",
        ),
        T,
        docs=DOCS_ERRORS,
        failures=("F44", "F27", "F20"),
        statuses=(500, 502, 503, 504),
        bare_status=True,
        codes=("server_error", "internal_error"),
        types=("server_error",),
        terms=("The server had an error", "sess_"),
    ),
)

DIAGNOSES = tuple(d for d, _ in ENTRIES)
MATCHERS = {d.id: m for d, m in ENTRIES}
