"""The four bare-status entries (400, 401, 403, 404), for answers that name no specific cause.

They replace the table of the original setup notes, whose advice ("request beta access", "ensure the
session ID is correct") belongs to the retired beta (reference/original-setup-notes.md).
"""

from __future__ import annotations

from realtime_check.diagnosis.catalog._base import (
    DOCS_AUTH,
    DOCS_ERRORS,
    Entry,
    entry,
)
from realtime_check.models import Category

A = Category.AUTH

_SHOW_BODY = "Run with -v to see the full error body and x-request-id; the error code names the cause."

ENTRIES: tuple[Entry, ...] = (
    entry(
        "bad_request",
        "Request rejected as invalid (400)",
        "The API refused the request's shape. Since the 2026 beta shut-off this is most often a beta-era "
        "request: the OpenAI-Beta header, the retired /v1/realtime/sessions endpoint, or flat session fields.",
        (
            _SHOW_BODY + " Its `param` names the rejected field.",
            "Send no OpenAI-Beta header; mint secrets with POST /v1/realtime/client_secrets.",
            'Use GA session objects: {"type": "realtime", "model": "gpt-realtime-2.1", "output_modalities": [...], '
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
            "The Realtime WebSocket is wss://api.openai.com/v1/realtime?model=gpt-realtime-2.1: nothing goes after "
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
