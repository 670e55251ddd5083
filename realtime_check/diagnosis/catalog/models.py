"""Diagnoses about which model a key can use and for how long: the ladder, retirements,
per-project entitlement, and GPT-Live (a sibling API, not Realtime). Protocol update 2026-11 N3, N4, N19.
"""

from __future__ import annotations

from realtime_check.diagnosis.catalog._base import (
    DOCS_DEPRECATIONS,
    DOCS_PROJECTS,
    Entry,
    entry,
)
from realtime_check.models import Category

DOCS_GPT_LIVE = "https://developers.openai.com/api/reference/resources/live/methods/connect"

ENTRIES: tuple[Entry, ...] = (
    entry(
        "only_retiring_model_visible",
        "The only realtime model this key can use is being retired",
        "No model was configured, so the run took the newest realtime model the key can see; every newer one "
        "(gpt-realtime-2.1, gpt-realtime-2, gpt-realtime-1.5) is missing from GET /v1/models. Entitlement is per "
        "project and per model: some projects get gpt-realtime-2.1 only after allowlisting. After the shutdown "
        "date the remaining model fails with model_not_found.",
        (
            "Enable the successor for this project (Project settings → Limits → Model usage), or ask OpenAI to "
            "allowlist it; then re-run: the run picks it up by itself.",
            "Until then your app keeps working on the retiring model; set a reminder before the date shown.",
        ),
        Category.UNAVAILABLE,
        docs=DOCS_DEPRECATIONS,
        failures=("F21",),
        terms=("N19", "shutdown_date", "gpt-realtime-2.1", "ladder"),
    ),
    entry(
        "model_listed_but_refused",
        "Model is listed, but the project may not use it",
        "GET /v1/models lists the model, and minting a secret or even opening a socket can succeed, yet the "
        "model is refused when it has to work (a response, or /v1/realtime/calls answering 403 model_not_found). "
        "Entitlement is per project and per model; a listing is not proof of access.",
        (
            "Ask the project owner to enable the model (Project settings → Limits → Model usage) or to request "
            "allowlisting from OpenAI; allowlisting can take a while to propagate.",
            "Meanwhile use the newest model that passes `realtime-check models --deep`.",
        ),
        Category.UNAVAILABLE,
        docs=DOCS_PROJECTS,
        failures=("F22", "F41"),
        terms=("N4", "listed but refused", "allowlisted", "allowlisting"),
    ),
    entry(
        "gpt_live_model",
        "GPT-Live model used with the Realtime API",
        "gpt-live-* models belong to GPT-Live, a separate voice API at wss://api.openai.com/v1/live/sessions "
        "(first message session.start, answered by session.started). On /v1/realtime the server refuses them: "
        "'Model \"gpt-live-1\" is not supported in realtime mode' (invalid_model). gpt-live-transcribe is the "
        "exception: it is a Realtime transcription model.",
        (
            "For a Realtime app set a realtime model (gpt-realtime-2.1) as --model / OPENAI_REALTIME_MODEL.",
            "For GPT-Live connect to /v1/live/sessions with the GPT-Live SDK client (client.live.connect()); "
            "`realtime-check run --live` tests that API.",
        ),
        Category.CONFIG,
        docs=DOCS_GPT_LIVE,
        terms=("N3", "gpt-live-1", "/v1/live/sessions", "GPT-Live"),
    ),
    entry(
        "live_session_failed",
        "GPT-Live session did not start",
        "The GPT-Live socket (/v1/live/sessions) did not answer session.start with session.started: an error "
        "event, a close, or another first event.",
        (
            "Read the error code and close reason below; run with -v for the URL and headers sent.",
            "Check the GPT-Live model id (--live-model, e.g. gpt-live-1) and that the project may use it.",
        ),
        Category.PROTOCOL,
        docs=DOCS_GPT_LIVE,
        terms=("session.start", "session.started", "session.closed"),
    ),
    entry(
        "live_not_served",
        "This host does not serve GPT-Live",
        "The upgrade to /v1/live/sessions was refused with 404: a gateway or proxy that only routes /v1/realtime, "
        "or a provider without GPT-Live.",
        (
            "Point the check at a host that serves /v1/live/sessions (api.openai.com, or a gateway that supports it).",
            "Without GPT-Live, drop --live: the Realtime checks do not depend on it.",
        ),
        Category.UNAVAILABLE,
        docs=DOCS_GPT_LIVE,
        statuses=(404,),
    ),
)

DIAGNOSES = tuple(d for d, _ in ENTRIES)
MATCHERS = {d.id: m for d, m in ENTRIES}
