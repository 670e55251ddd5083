"""Building blocks for the diagnosis table: the lookup keys of an entry, and docs links.

`Diagnosis` (models.py) says what to show; `Matcher` says which terms a user can pass to
`realtime-check explain` to find it (an error code, an HTTP status, a close code, ...).
"""

from __future__ import annotations

from dataclasses import dataclass

from realtime_check.models import Category, Diagnosis

# Docs pages we link to. Kept to long-lived guide and settings pages.
DOCS_ERRORS = "https://platform.openai.com/docs/guides/error-codes"
DOCS_REALTIME = "https://platform.openai.com/docs/guides/realtime"
DOCS_REALTIME_WS = "https://platform.openai.com/docs/guides/realtime-websocket"
DOCS_REALTIME_TRANSCRIPTION = "https://platform.openai.com/docs/guides/realtime-transcription"
DOCS_REALTIME_API = "https://platform.openai.com/docs/api-reference/realtime"
DOCS_CLIENT_SECRETS = "https://platform.openai.com/docs/api-reference/realtime-sessions"
DOCS_AUTH = "https://platform.openai.com/docs/api-reference/authentication"
DOCS_API_KEYS = "https://platform.openai.com/api-keys"
DOCS_MODELS = "https://platform.openai.com/docs/models"
DOCS_DEPRECATIONS = "https://platform.openai.com/docs/deprecations"
DOCS_RATE_LIMITS = "https://platform.openai.com/docs/guides/rate-limits"
DOCS_BILLING = "https://platform.openai.com/settings/organization/billing/overview"
DOCS_ORG_SETTINGS = "https://platform.openai.com/settings/organization/general"
DOCS_PROJECTS = "https://platform.openai.com/settings/organization/projects"
DOCS_SUPPORTED_COUNTRIES = "https://platform.openai.com/docs/supported-countries"
DOCS_AZURE_REALTIME = "https://learn.microsoft.com/azure/ai-foundry/openai/how-to/realtime-audio-websockets"


@dataclass(frozen=True)
class Matcher:
    """The terms a diagnosis answers to in `lookup` (all optional)."""

    http_statuses: tuple[int, ...] = ()
    # True when this entry is the answer for a bare status (no body): listed first for that status.
    bare_status: bool = False
    error_codes: tuple[str, ...] = ()
    error_types: tuple[str, ...] = ()
    close_codes: tuple[int, ...] = ()
    # Other words users search for: exception names, message fragments, header names.
    terms: tuple[str, ...] = ()


Entry = tuple[Diagnosis, Matcher]


def entry(
    id: str,
    title: str,
    cause: str,
    advice: tuple[str, ...] | list[str],
    category: Category,
    *,
    docs: str | None = None,
    failures: tuple[str, ...] = (),
    statuses: tuple[int, ...] = (),
    bare_status: bool = False,
    codes: tuple[str, ...] = (),
    types: tuple[str, ...] = (),
    close_codes: tuple[int, ...] = (),
    terms: tuple[str, ...] = (),
) -> Entry:
    """One row of the table: the diagnosis and its lookup keys, declared together."""
    diagnosis = Diagnosis(
        id=id,
        title=title,
        cause=cause,
        advice=tuple(advice),
        category=category,
        docs=docs,
        failures=failures,
    )
    matcher = Matcher(
        http_statuses=statuses,
        bare_status=bare_status,
        error_codes=codes,
        error_types=types,
        close_codes=close_codes,
        terms=terms,
    )
    return diagnosis, matcher
