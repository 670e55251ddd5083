"""Diagnoses for REST answers: GET /v1/models, GET /v1/models/{id}, POST /v1/realtime/client_secrets.

The four generic status entries (bad_request, unauthorized, forbidden, not_found) replace the
advice of the original setup notes, which pointed at the retired beta (failures.md, setup notes).
"""

from __future__ import annotations

from realtime_check.diagnoses._base import (
    DOCS_API_KEYS,
    DOCS_AUTH,
    DOCS_AZURE_REALTIME,
    DOCS_BILLING,
    DOCS_CLIENT_SECRETS,
    DOCS_ERRORS,
    DOCS_MODELS,
    DOCS_ORG_SETTINGS,
    DOCS_PROJECTS,
    DOCS_RATE_LIMITS,
    DOCS_REALTIME,
    DOCS_SUPPORTED_COUNTRIES,
    Entry,
    entry,
)
from realtime_check.models import Category

A = Category.AUTH
U = Category.UNAVAILABLE
T = Category.TEMPORARY

_SHOW_BODY = "Run with -v to see the full error body and x-request-id; the error code names the cause."

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
            "If it persists, try another Realtime model (e.g. gpt-realtime-mini) to see if one snapshot is affected.",
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
    # --- URL and model -----------------------------------------------------------------------
    entry(
        "unknown_url",
        "Unknown request URL",
        "The path does not exist on the API: usually a base URL without /v1, with an endpoint pasted in, or "
        "with /v1 doubled; or a gateway that does not implement this endpoint (e.g. /v1/realtime/client_secrets).",
        (
            "Set the base URL to exactly https://api.openai.com/v1 (or your gateway's /v1 root).",
            "Compare the path in the message ('Unknown request URL: ...') with the one you expect.",
        ),
        Category.CONFIG,
        docs=DOCS_AUTH,
        failures=("F05",),
        statuses=(404,),
        codes=("unknown_url",),
        terms=("Unknown request URL", "Invalid URL"),
    ),
    entry(
        "model_not_found",
        "Model does not exist or this key has no access to it",
        "The model id is wrong, retired (gpt-4o-realtime-preview snapshots), not yet released, or not enabled "
        "for this organization/project.",
        (
            "Use a Realtime model your key lists in GET /v1/models, e.g. gpt-realtime or gpt-realtime-mini.",
            "Prefer current aliases over dated snapshots copied from old samples.",
        ),
        U,
        docs=DOCS_MODELS,
        failures=("F21",),
        statuses=(404,),
        codes=("model_not_found",),
        terms=("does not exist or you do not have access to it",),
    ),
    entry(
        "model_project_allowlist",
        "Project does not allow this model",
        "The key's project has an allowed-models list that excludes this model (set in project settings or "
        "by Terraform). It is a permission, not a typo.",
        (
            "Add the Realtime model to the project's allowed models (Project settings → Limits → Model usage).",
            "Or use a key from a project that allows it.",
        ),
        U,
        docs=DOCS_PROJECTS,
        failures=("F22",),
        statuses=(403, 404),
        terms=("does not have access to model",),
    ),
    entry(
        "org_verification_required",
        "Organization must be verified for this model",
        "Some models and features are only available to verified organizations; appearing in /v1/models does "
        "not prove access.",
        (
            "Verify the organization at https://platform.openai.com/settings/organization/general "
            "(Verify Organization).",
            "After verifying, wait up to 15 minutes for access to propagate, then run the check again.",
        ),
        U,
        docs=DOCS_ORG_SETTINGS,
        failures=("F23",),
        statuses=(400, 403),
        terms=("must be verified", "Verify Organization"),
    ),
    # --- Ephemeral secret minting -----------------------------------------------------------------
    entry(
        "beta_endpoint_retired",
        "Beta minting endpoint POST /v1/realtime/sessions is retired",
        "Ephemeral secrets were minted by the beta POST /v1/realtime/sessions (client_secret.value); the beta "
        "interface was shut down in 2026.",
        (
            "Stop calling POST /v1/realtime/sessions: mint with POST /v1/realtime/client_secrets and body "
            '{"session": {"type": "realtime", "model": "gpt-realtime"}}.',
            "Read the secret from the top-level `value` (ek_...) and `expires_at`, not client_secret.value.",
        ),
        Category.PROTOCOL,
        docs=DOCS_CLIENT_SECRETS,
        failures=("F26",),
        terms=("/v1/realtime/sessions", "client_secret.value", "transcription_sessions"),
    ),
    entry(
        "missing_session_type",
        "Session config lacks session.type",
        "The GA API requires session.type (\"realtime\" or \"transcription\"); a beta-shaped, flat session "
        "config was sent.",
        (
            'Add "type": "realtime" (or "transcription") to the session object.',
            "Move beta fields to the GA shape: output_modalities, audio.input.*, audio.output.*; drop temperature.",
        ),
        Category.PROTOCOL,
        docs=DOCS_CLIENT_SECRETS,
        failures=("F26", "F39"),
        statuses=(400,),
        codes=("missing_required_parameter",),
        terms=("session.type",),
    ),
    # --- Azure OpenAI ------------------------------------------------------------------------------
    entry(
        "azure_deployment_not_found",
        "Azure deployment not found",
        "Azure OpenAI looks models up by deployment name; no deployment with this name exists on the resource "
        "(a model name was used, or the deployment is in another resource).",
        (
            "Use the deployment name from the Azure AI Foundry portal as the model, not the model name.",
            "Check the resource endpoint and that the deployment finished provisioning.",
        ),
        U,
        docs=DOCS_AZURE_REALTIME,
        failures=("F50",),
        statuses=(404,),
        codes=("DeploymentNotFound",),
    ),
    entry(
        "azure_operation_not_supported",
        "Azure deployment does not support Realtime",
        "The deployment's model cannot serve the realtime operation (a non-realtime model, or one not offered "
        "in this region).",
        (
            "Deploy a Realtime model (e.g. gpt-realtime) in a supported region (East US 2, Sweden Central) and "
            "use that deployment name.",
            "Use the GA URL wss://<resource>.openai.azure.com/openai/v1/realtime?model=<deployment>, with no "
            "api-version.",
        ),
        U,
        docs=DOCS_AZURE_REALTIME,
        failures=("F50",),
        statuses=(400,),
        codes=("OpperationNotSupported", "OperationNotSupported"),
    ),
    # --- Bare statuses: the setup notes' table, corrected ------------------------------------------
    entry(
        "bad_request",
        "Request rejected as invalid (400)",
        "The API refused the request's shape. Since the 2026 beta shut-off this is most often a beta-era "
        "request: the OpenAI-Beta header, the retired /v1/realtime/sessions endpoint, or flat session fields.",
        (
            _SHOW_BODY + " Its `param` names the rejected field.",
            "Send no OpenAI-Beta header; mint secrets with POST /v1/realtime/client_secrets.",
            'Use GA session objects: {"type": "realtime", "model": "gpt-realtime", "output_modalities": [...], '
            '"audio": {"input": {...}, "output": {...}}}.',
        ),
        Category.PROTOCOL,
        docs=DOCS_ERRORS,
        failures=("F30", "F39"),
        statuses=(400,),
        bare_status=True,
        codes=("invalid_value",),
    ),
    entry(
        "unauthorized",
        "Not authenticated (401)",
        "The credentials were not accepted. Besides a wrong key this happens with a stale organization/project "
        "header, an IP allowlist, an expired ephemeral secret, a relay key, or no Authorization header at all.",
        (
            _SHOW_BODY,
            "Check the key is current at https://platform.openai.com/api-keys; create a new one if it was deleted "
            "or rotated.",
            "Unset OPENAI_ORG_ID / OPENAI_PROJECT_ID if they may belong to another account.",
            "Send the key as an `Authorization: Bearer ...` header; keys in the URL query string are not read.",
        ),
        A,
        docs=DOCS_AUTH,
        failures=("F03", "F06", "F18"),
        statuses=(401,),
        bare_status=True,
    ),
    entry(
        "forbidden",
        "Request not permitted (403)",
        "The key was recognised but this request is not allowed. Realtime is generally available, so there is "
        "no beta access to wait for; a 403 comes from the region, a project model allowlist, key permissions, "
        "organization verification, or a proxy in between.",
        (
            "Do not request beta access: Realtime is generally available to every API account.",
            _SHOW_BODY,
            "If you are in, or route through, an unsupported country/region (VPN exits, some cloud regions), "
            "change the egress location.",
            "Check the project's allowed models include the Realtime model, and that a restricted key has "
            "'Model capabilities: Write'.",
            "Send no OpenAI-Beta header; use the GA endpoints (/v1/realtime, /v1/realtime/client_secrets).",
        ),
        A,
        docs=DOCS_ERRORS,
        failures=("F17", "F19", "F22"),
        statuses=(403,),
        bare_status=True,
    ),
    entry(
        "not_found",
        "Not found (404)",
        "The URL does not exist at this host. Realtime URLs contain no session id; a 404 means the base URL or "
        "path is wrong, or a gateway in between does not serve this route.",
        (
            "Set the base URL to https://api.openai.com/v1 with no endpoint path after /v1.",
            "The Realtime WebSocket is wss://api.openai.com/v1/realtime?model=gpt-realtime: nothing goes after "
            "/realtime in the path.",
            "If a gateway or proxy sits in front, check that it forwards this route.",
        ),
        Category.CONFIG,
        docs=DOCS_AUTH,
        failures=("F05",),
        statuses=(404,),
        bare_status=True,
    ),
)

DIAGNOSES = tuple(d for d, _ in ENTRIES)
MATCHERS = {d.id: m for d, m in ENTRIES}
