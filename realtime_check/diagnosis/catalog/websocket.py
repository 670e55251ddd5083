"""Diagnoses after the upgrade: close codes (naming a cause or not) and the first server event.

Fatal server errors arrive as one `error` event and then a close whose reason is
"<error.type>.<error.code>" (3000 auth, 4000 request shape, 4004 not found; protocol.md §3.3).
"""

from __future__ import annotations

from realtime_check.diagnosis.catalog._base import (
    DOCS_CLIENT_SECRETS,
    DOCS_DEPRECATIONS,
    DOCS_MODELS,
    DOCS_REALTIME,
    DOCS_REALTIME_API,
    DOCS_REALTIME_TRANSCRIPTION,
    DOCS_REALTIME_WS,
    Entry,
    entry,
)
from realtime_check.models import Category

A = Category.AUTH
C = Category.CONFIG
P = Category.PROTOCOL
T = Category.TEMPORARY
U = Category.UNAVAILABLE

ENTRIES: tuple[Entry, ...] = (
    # --- Close codes and errors that name the cause ------------------------------------------
    entry(
        "beta_api_shape_disabled",
        "Beta Realtime protocol used after its shut-off",
        "The client still sent the beta protocol (OpenAI-Beta: realtime=v1 header or the openai-beta.realtime-v1 "
        "subprotocol). The beta interface was shut down in May-June 2026; the server answers with "
        "beta_api_shape_disabled and close 4000.",
        (
            "Remove the OpenAI-Beta: realtime=v1 header and the openai-beta.realtime-v1 subprotocol.",
            'Then migrate to GA events and session shape: session.type "realtime", output_modalities, '
            "audio.input/audio.output, response.output_text.delta / response.output_audio.delta.",
            "Upgrade SDKs that still speak beta (openai-python >= 1.107 uses client.realtime, not client.beta.realtime).",
        ),
        P,
        docs=DOCS_REALTIME,
        failures=("F36", "F39"),
        statuses=(400,),
        codes=("beta_api_shape_disabled",),
        close_codes=(4000,),
        terms=("OpenAI-Beta", "realtime=v1", "The Realtime Beta API is no longer supported"),
    ),
    entry(
        "ws_invalid_api_key",
        "API key rejected on the WebSocket (close 3000)",
        "The upgrade was accepted but the key was rejected in-band: error invalid_api_key, then close 3000 "
        "invalid_request_error.invalid_api_key.",
        (
            "Compare the key's last four characters with https://platform.openai.com/api-keys; create a new key if "
            "it was deleted or rotated.",
            "Make sure the WebSocket uses the same key as your REST calls (some apps read it from another variable).",
        ),
        A,
        docs=DOCS_REALTIME_WS,
        failures=("F37", "F02", "F03"),
        close_codes=(3000,),
        codes=("invalid_api_key",),
    ),
    entry(
        "ws_model_not_found",
        "Realtime model not found (close 4004)",
        "The socket was closed with 4004 model_not_found: the model in ?model= is retired (gpt-4o-realtime-preview "
        "aliases), misspelt, or not available to this project.",
        (
            "Connect with a current model: wss://api.openai.com/v1/realtime?model=gpt-realtime-2.1",
            "Check which gpt-realtime* ids GET /v1/models lists for this key and pick one of them.",
        ),
        U,
        docs=DOCS_DEPRECATIONS,
        failures=("F21",),
        close_codes=(4004,),
        codes=("model_not_found",),
    ),
    entry(
        "ws_invalid_model",
        "Model not supported for Realtime sessions",
        "The server accepts the model id but not in realtime mode (invalid_model): a chat, audio or "
        "transcription model was given as the session model.",
        (
            "Use a Realtime model such as gpt-realtime-2.1 in ?model= and in session.model.",
            "For transcription-only sessions connect with ?intent=transcription and put the transcription model "
            "in audio.input.transcription.model.",
        ),
        C,
        docs=DOCS_MODELS,
        failures=("F38", "F24"),
        close_codes=(4000,),
        codes=("invalid_model",),
        terms=("not supported in realtime mode",),
    ),
    entry(
        "ws_missing_model",
        "WebSocket URL has no model",
        "The socket was opened without ?model= (or intent/call_id), so the server does not know what session to start.",
        (
            "Connect to wss://api.openai.com/v1/realtime?model=gpt-realtime-2.1",
            "With an ek_ secret, connect to /v1/realtime: the model comes from the secret's session config.",
        ),
        C,
        docs=DOCS_REALTIME_WS,
        failures=("F29",),
        close_codes=(4000,),
        codes=("missing_model",),
        terms=("You must provide a model parameter",),
    ),
    entry(
        "ws_invalid_intent",
        "Invalid intent in the WebSocket URL",
        "The ?intent= value is not one the server knows; only intent=transcription exists.",
        (
            "Use ?intent=transcription (without model) for transcription sessions, or ?model=gpt-realtime-2.1 for "
            "conversations.",
        ),
        C,
        docs=DOCS_REALTIME_TRANSCRIPTION,
        failures=("F38",),
        close_codes=(4000,),
        codes=("invalid_intent",),
        terms=("Invalid intent",),
    ),
    entry(
        "ws_transcription_model_param",
        "Transcription session set up like a conversation",
        "Transcription and conversation setups were mixed: a model parameter on a transcription session, a "
        "transcription model in ?model=, or a transcription update sent to a realtime session (including the "
        "removed beta event transcription_session.update).",
        (
            "Connect with wss://api.openai.com/v1/realtime?intent=transcription and no model parameter.",
            'Then send session.update with {"type": "transcription", "audio": {"input": {"transcription": '
            '{"model": "gpt-4o-transcribe"}}}}.',
            "Replace transcription_session.update with session.update; wait for session.created, not "
            "transcription_session.created.",
        ),
        C,
        docs=DOCS_REALTIME_TRANSCRIPTION,
        failures=("F38", "F30"),
        close_codes=(4000,),
        terms=(
            "You must not provide a model parameter for transcription sessions",
            "not supported in transcription mode",
            "transcription_session.update",
        ),
    ),
    entry(
        "ephemeral_expired",
        "Ephemeral client secret rejected",
        "The ek_ secret was refused when connecting: it expired (TTL defaults to 10 minutes in GA, 1 minute in "
        "beta), was minted by another host or gateway, was minted for a transcription session, or was combined "
        "with a conflicting ?model=.",
        (
            "Mint one secret per connection with POST /v1/realtime/client_secrets and use it immediately.",
            "Connect with the secret to wss://api.openai.com/v1/realtime (the session config, model included, "
            "comes from the secret).",
            "Compare expires_at with the server's Date header, not the local clock, if they seem to disagree.",
        ),
        A,
        docs=DOCS_CLIENT_SECRETS,
        failures=("F28", "F29", "F30"),
        statuses=(401,),
        terms=("ek_", "expires_at", "client_secrets"),
    ),
    # --- Close codes that name no cause ----------------------------------------------------------
    entry(
        "ws_closed_abnormally",
        "Connection dropped without a close frame (1006)",
        "The TCP connection ended without a WebSocket close: a proxy or load balancer cut it, the network "
        "dropped, or an idle timeout fired.",
        (
            "Run again; if it repeats, try from another network or without the VPN/proxy.",
            "Keep pings running on long-lived sockets and reconnect with backoff.",
        ),
        T,
        docs=DOCS_REALTIME_WS,
        failures=("F40",),
        close_codes=(1006, 1015),
        terms=("no close frame received or sent", "ConnectionClosedError"),
    ),
    entry(
        "ws_closed_transient",
        "Server closed the connection temporarily",
        "The server went away or restarted (1001 going away, 1011 internal error, 1012 service restart, "
        "1013 try again later); clients are expected to reconnect.",
        ("Reconnect after a short wait with backoff.", "Check https://status.openai.com if it keeps happening."),
        T,
        docs=DOCS_REALTIME_WS,
        failures=("F40",),
        close_codes=(1001, 1005, 1011, 1012, 1013, 1014),
    ),
    entry(
        "ws_closed_normally_early",
        "Server closed the connection before the session started (1000)",
        "A normal close arrived before session.created, without an error event: often a gateway that rejects "
        "the request silently, or a server-side rejection whose error frame was not sent.",
        (
            "Run with -v to see every frame received before the close.",
            "If you connect through a gateway, try api.openai.com directly to compare.",
        ),
        P,
        docs=DOCS_REALTIME_WS,
        failures=("F40",),
        close_codes=(1000,),
    ),
    entry(
        "ws_closed_protocol_error",
        "Connection closed for a WebSocket protocol error",
        "A peer or intermediary reported a framing problem (1002 protocol error, 1003 unsupported data, 1007 bad "
        "data, 1009 message too big, 1010 missing extension); seen with some hosting proxies (Render, Heroku).",
        (
            "Try from another network or without the proxy to see whether an intermediary causes it.",
            "Keep individual messages small (audio chunks of a few hundred milliseconds).",
        ),
        P,
        docs=DOCS_REALTIME_WS,
        failures=("F40",),
        close_codes=(1002, 1003, 1007, 1009, 1010),
    ),
    entry(
        "ws_closed_policy",
        "Connection closed for a policy violation (1008)",
        "The server or a gateway closed the socket for breaking its policy, usually authentication or access "
        "rules at a gateway.",
        ("Run with -v to read the close reason.", "If a gateway is in between, check its access rules and logs."),
        P,
        docs=DOCS_REALTIME_WS,
        failures=("F40",),
        close_codes=(1008,),
    ),
    entry(
        "ws_closed_unexpected",
        "Connection closed with an unexpected code",
        "The socket closed with a code and reason realtime-check does not recognise.",
        ("Run with -v to see the close code, the reason and the frames before it.",),
        P,
        docs=DOCS_REALTIME_WS,
        failures=("F40",),
        terms=("unexpected close code", "ConnectionClosedOK"),
    ),
    # --- First server event ----------------------------------------------------------------------
    entry(
        "ws_silent",
        "No server event after connecting",
        "The upgrade succeeded but no session.created (or any event) arrived within the time budget: a proxy "
        "buffering the stream, a stalled server, or a very slow network.",
        (
            "Run again with a longer --timeout.",
            "If it repeats, try without the proxy/VPN; some proxies accept the upgrade but do not pass frames.",
        ),
        T,
        docs=DOCS_REALTIME_WS,
        failures=("F40", "F11"),
        terms=("no server event", "no session.created", "X-Accel-Buffering"),
    ),
    entry(
        "ws_non_json_frame",
        "Server sent a text frame that is not JSON",
        "Realtime events are JSON text frames; a non-JSON frame means a gateway or proxy is speaking instead of "
        "the API.",
        ("Check that the WebSocket URL points at api.openai.com or a gateway that supports Realtime.",),
        P,
        docs=DOCS_REALTIME_API,
        failures=("F13",),
        terms=("non-JSON frame", "not JSON"),
    ),
    entry(
        "ws_binary_frame",
        "Server sent a binary frame",
        "The Realtime API sends only JSON text frames (audio is base64 inside them); a binary frame points at "
        "a non-OpenAI server or gateway.",
        ("Check that the WebSocket URL points at api.openai.com or a gateway that supports Realtime.",),
        P,
        docs=DOCS_REALTIME_API,
        failures=("F13",),
        terms=("binary frame", "bytes frame"),
    ),
    entry(
        "ws_unexpected_first_event",
        "First server event was not session.created",
        "A GA session starts with session.created; another first event (e.g. transcription_session.created) "
        "means a different protocol generation or a gateway that translates events.",
        (
            "Run with -v to see the event received.",
            "Use the GA protocol end to end: no OpenAI-Beta header, GA event names (session.created, "
            "conversation.item.added, response.output_text.delta).",
        ),
        P,
        docs=DOCS_REALTIME_API,
        failures=("F38", "F39"),
        terms=("transcription_session.created", "first event"),
    ),
    entry(
        "ws_beta_session_shape",
        "Session answered in the beta shape",
        "session.created arrived without session.type and with flat beta fields (modalities, voice, "
        "input_audio_format): the server or gateway is still on the beta protocol.",
        (
            "If a gateway sits in between, upgrade it to a GA-capable version or bypass it.",
            "Clients must send GA session objects with session.type set.",
        ),
        P,
        docs=DOCS_REALTIME,
        failures=("F39", "F36"),
        terms=("input_audio_format", "modalities", "beta session shape"),
    ),
    entry(
        "ws_model_differs",
        "Session runs a different model than requested",
        "session.created reports a model from another family than the one requested (a dated snapshot of the same "
        "alias is normal). The URL or ephemeral secret decides the model, not session.update.",
        (
            "Set the model in ?model= (or in the client_secrets request for ek_ secrets).",
            "Check libraries and gateways for a hard-coded model.",
        ),
        C,
        docs=DOCS_MODELS,
        failures=("F47",),
        terms=("different model", "dated snapshot", "wrong model"),
    ),
)

DIAGNOSES = tuple(d for d, _ in ENTRIES)
MATCHERS = {d.id: m for d, m in ENTRIES}
