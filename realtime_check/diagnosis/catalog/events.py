"""Diagnoses for errors during a session (error events) and for response.done of the probe round trip."""

from __future__ import annotations

from realtime_check.diagnosis.catalog._base import (
    DOCS_BILLING,
    DOCS_MODELS,
    DOCS_REALTIME_API,
    DOCS_REALTIME_WS,
    Entry,
    entry,
)
from realtime_check.models import Category

P = Category.PROTOCOL
T = Category.TEMPORARY
U = Category.UNAVAILABLE

ENTRIES: tuple[Entry, ...] = (
    # --- Error events during the session ----------------------------------------------------------
    entry(
        "ws_session_param_rejected",
        "Session configuration field rejected",
        "The server rejected a field of the session config (param session.*). GA rejects the whole update on one "
        "bad field, so instructions, tools and voice are silently not applied.",
        (
            "Fix or remove the field named in `param`; GA fields are output_modalities, audio.input.*, "
            "audio.output.*, tools, instructions (no temperature).",
            "Wait for session.updated before relying on the new configuration.",
        ),
        P,
        docs=DOCS_REALTIME_API,
        failures=("F39", "F46"),
        statuses=(400,),
        codes=("unknown_parameter", "string_above_max_length"),
        terms=("Unknown parameter: 'session.",),
    ),
    entry(
        "ws_error_event",
        "Server sent an error event",
        "The server reported an error that realtime-check has no specific advice for.",
        ("Read the error code, message and param above; the message usually names the fix.",),
        P,
        docs=DOCS_REALTIME_API,
        failures=("F40",),
        codes=("invalid_event",),
        terms=("error event",),
    ),
    entry(
        "session_expired",
        "Session reached its maximum duration",
        "Realtime sessions have a maximum length (30 minutes for years, longer since); this is not an access problem.",
        ("Reconnect and replay the context you need; read expires_at from session.created to plan for it.",),
        T,
        docs=DOCS_REALTIME_WS,
        failures=("F45",),
        codes=("session_expired",),
        terms=("maximum duration",),
    ),
    # --- response.done -----------------------------------------------------------------------------
    entry(
        "response_model_not_found",
        "Response failed: no access to the model",
        "session.created arrived, but generating a response failed with model_not_found: model access is only "
        "enforced when a response is generated.",
        (
            "Use a Realtime model this key can access (see GET /v1/models), e.g. gpt-realtime-2.1 or gpt-realtime-2.1-mini.",
            "Check the project's allowed models include it.",
        ),
        U,
        docs=DOCS_MODELS,
        failures=("F41", "F21"),
        codes=("model_not_found",),
    ),
    entry(
        "response_quota",
        "Response failed: no credits or quota",
        "The connection worked, but the first response failed on billing (insufficient_quota or a billing code).",
        (
            "Add credits or a payment method at https://platform.openai.com/settings/organization/billing/overview",
            "Check the key's organization/project is the one holding the credits. Do not retry in a loop.",
        ),
        U,
        docs=DOCS_BILLING,
        failures=("F41", "F42"),
        codes=("insufficient_quota",),
    ),
    entry(
        "response_failed",
        "Response failed",
        "The connection and session worked, but response.done reported status failed without a cause "
        "realtime-check recognises.",
        (
            "Run with -v to see response.done.status_details.",
            "Try again; if it repeats, contact support with the session id (sess_...).",
        ),
        U,
        docs=DOCS_REALTIME_API,
        failures=("F41",),
        terms=("response.done", "status_details"),
    ),
    entry(
        "response_cancelled",
        "Response was cancelled",
        "response.done reported status cancelled: the response was interrupted (turn detection or a client "
        "response.cancel) before it finished.",
        ("Run again; if it repeats, run with -v to see status_details.reason.",),
        T,
        docs=DOCS_REALTIME_API,
        failures=("F41",),
        terms=("cancelled", "response.cancel", "turn_detected"),
    ),
    entry(
        "response_incomplete",
        "Response was cut short",
        "response.done reported status incomplete for a reason other than the output-token limit (e.g. "
        "content_filter).",
        ("Run with -v to read status_details.reason.",),
        T,
        docs=DOCS_REALTIME_API,
        failures=("F41",),
        terms=("incomplete", "content_filter"),
    ),
)

DIAGNOSES = tuple(d for d, _ in ENTRIES)
MATCHERS = {d.id: m for d, m in ENTRIES}
