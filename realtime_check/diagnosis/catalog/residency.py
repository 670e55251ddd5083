"""Diagnoses for data-residency (regional) hosts: a key used on the wrong region's host.

Both answers are 401 but neither means the key is invalid (protocol update 2026-11 §1.8, N1, N2).
"""

from __future__ import annotations

from realtime_check.diagnosis.catalog._base import Entry, entry
from realtime_check.models import Category

DOCS_DATA_RESIDENCY = "https://developers.openai.com/api/docs/guides/data-residency"

ENTRIES: tuple[Entry, ...] = (
    entry(
        "incorrect_hostname",
        "Key belongs to a data-residency project: wrong regional host",
        "The key's project is pinned to a region (us, eu, ae, au, in, jp) and only works on that region's host, "
        "or a global key was sent to a regional host that redirects it to api.openai.com. The server answers "
        "401 incorrect_hostname: 'Attempted to access resource with incorrect regional hostname. Please make "
        "your request to <host>'. The key itself is valid.",
        (
            "Send every request, REST and WebSocket, to the host the message names: "
            "OPENAI_BASE_URL=https://<host>/v1 (the socket URL is derived from it; if you set "
            "OPENAI_WEBSOCKET_BASE_URL, use wss://<host>/v1 there).",
            "Do not create a new key: this one is fine on its own region's host.",
        ),
        Category.CONFIG,
        docs=DOCS_DATA_RESIDENCY,
        statuses=(401,),
        codes=("incorrect_hostname",),
        terms=("N1", "incorrect regional hostname", "make your request to"),
    ),
    entry(
        "geography_restricted_host",
        "Regional host refuses a global project's key",
        "Regional hosts (eu.api.openai.com and the others) serve only projects created with data residency "
        "(or with per-request data residency enabled). A key of a global project gets 401 'This endpoint is only "
        "accessible by projects with geography restrictions enabled.' The key itself is valid.",
        (
            "Use the global host: OPENAI_BASE_URL=https://api.openai.com/v1 (or unset it).",
            "Or use a key of a project created with data residency in this region, or enable per-request data "
            "residency on the project.",
        ),
        Category.CONFIG,
        docs=DOCS_DATA_RESIDENCY,
        statuses=(401,),
        terms=("N2", "geography restrictions enabled", "only accessible by projects with geography restrictions"),
    ),
    entry(
        "unknown_regional_host",
        "Base URL names a regional host that does not exist",
        "The host looks like an OpenAI regional host but is none of the seven the API serves: api.openai.com, "
        "us., eu., ae., au., in. and jp.api.openai.com.",
        (
            "Use one of api.openai.com, us.api.openai.com, eu.api.openai.com, ae.api.openai.com, "
            "au.api.openai.com, in.api.openai.com or jp.api.openai.com.",
            "The region must be the one the key's project was created in.",
        ),
        Category.CONFIG,
        docs=DOCS_DATA_RESIDENCY,
        terms=("data residency", "regional host"),
    ),
)

DIAGNOSES = tuple(d for d, _ in ENTRIES)
MATCHERS = {d.id: m for d, m in ENTRIES}
