"""Diagnoses for failure modes first seen between September and November 2026 (protocol update
2026-11 §1.4, §2.4, §3.3, §4.1, §5 N7-N18) that are not about models, regional hosts or WebRTC
(catalog/webrtc.py has N5, N6 and N14; deep.py N11; azure.py N15, azure_entra_token_rejected). Messages quoted here are the exact strings from that update.
"""

from __future__ import annotations

from realtime_check.diagnosis.catalog._base import (
    DOCS_AUTH,
    DOCS_AZURE_REALTIME,
    DOCS_REALTIME,
    DOCS_REALTIME_TRANSCRIPTION,
    DOCS_REALTIME_WS,
    Entry,
    entry,
)
from realtime_check.models import Category

P = Category.PROTOCOL

ENTRIES: tuple[Entry, ...] = (
    entry(
        "ws_stale_org_project",
        "The socket is refused because of the OpenAI-Organization/OpenAI-Project headers",
        "Since openai-python 3.51 the SDK sends OpenAI-Organization and OpenAI-Project (from OPENAI_ORG_ID / "
        "OPENAI_PROJECT_ID) on the Realtime WebSocket too, so a stale org or project id that REST calls used to "
        "survive now gets the socket closed (3000) or refused (401). The same key without the headers works.",
        (
            "Unset the variable named below (a project key already implies its organization and project), or set "
            "the ids of the key's own organization and project.",
        ),
        Category.AUTH,
        docs=DOCS_AUTH,
        failures=("F06",),
        codes=("mismatched_organization", "mismatched_project"),
        terms=("N7", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID"),
    ),
    entry(
        "session_max_duration",
        "Session hit the 60-minute cap (close 1001)",
        "The server closes a Realtime session after 60 minutes with close 1001 'Your session hit the maximum "
        "duration of 60 minutes.' It is not an access problem. The SDK treats 1001 as recoverable, so its "
        "auto-reconnect silently starts a fresh session without the old context.",
        (
            "Plan for it: read expires_at from session.created and reconnect before it, replaying the context "
            "you need.",
            "If your app reconnects automatically, re-send session.update and the conversation state afterwards.",
        ),
        Category.TEMPORARY,
        docs=DOCS_REALTIME_WS,
        failures=("F45",),
        close_codes=(1001,),
        terms=("N13", "maximum duration of 60 minutes", "session hit the maximum duration"),
    ),
    entry(
        "transcription_turn_detection_unsupported",
        "This transcription model takes no turn detection",
        "gpt-live-transcribe rejects every turn_detection setting ('Turn detection is not supported for this "
        "transcription model'); gpt-realtime-whisper rejects server_vad as well.",
        ("Send audio.input.turn_detection: null and commit the audio buffer yourself.",),
        P,
        docs=DOCS_REALTIME_TRANSCRIPTION,
        terms=("N9", "Turn detection is not supported for this transcription model"),
    ),
    entry(
        "transcription_options_rejected",
        "Transcription options not valid for this model",
        "Transcription options are model-specific: `keywords` and `languages` only for gpt-transcribe and "
        "gpt-live-transcribe, `delay` only for gpt-realtime-whisper, `prompt` and server_vad not for "
        "gpt-realtime-whisper, and `language` together with `languages` is rejected.",
        (
            "Send only the fields valid for the transcription model; the error's param names the rejected one.",
            "With the gpt-transcribe family send `languages`, not `language`.",
        ),
        P,
        docs=DOCS_REALTIME_TRANSCRIPTION,
        terms=("N10", "languages", "gpt-realtime-whisper"),
    ),
    entry(
        "voice_locked",
        "Voice cannot change after the first audio output",
        "The voice is fixed once the model has answered with audio: 'Voice cannot be changed during the session "
        "once the model has responded with audio at least once'. A session.update with voice then gets an error.",
        ("Set audio.output.voice in the first session.update (or when minting), before any response.",),
        P,
        docs=DOCS_REALTIME,
        terms=("N17", "Voice cannot be changed"),
    ),
    entry(
        "benign_race",
        "Harmless race between client and server events",
        "conversation_already_has_active_response (a response.create while one is running, often because server "
        "VAD started one) and response_cancel_not_active (a cancel after the response ended) are recoverable: "
        "the session stays usable.",
        (
            "Nothing is broken. Wait for response.done before the next response.create, and cancel only while a "
            "response is active.",
            "Turn VAD off (turn_detection: null) in scripted probes so they do not race the server.",
        ),
        P,
        docs=DOCS_REALTIME,
        codes=("conversation_already_has_active_response", "response_cancel_not_active"),
        terms=("active response", "no active response found"),
    ),
    entry(
        "multi_item_response",
        "Several output items in one response (preambles)",
        "gpt-realtime-2.x can answer one turn with several message items (a preamble, then the answer). Code that "
        "expects exactly one message generation plays or parses only the first.",
        (
            "Collect every response.output_item.* and judge the response by response.done only.",
            "realtime-check's own response probe already does this.",
        ),
        P,
        docs=DOCS_REALTIME,
        terms=("N12", "expected to receive only one message generation", "preamble"),
    ),
    entry(
        "azure_model_retired",
        "Azure deployment of a retired model version",
        "Azure retires model versions on its own schedule, different from OpenAI's: gpt-realtime-2 (2026-05-06, "
        "preview) deployments were scheduled to retire on 2026-08-31, after which they answer 404 "
        "DeploymentNotFound.",
        (
            "Redeploy with gpt-realtime-2.1 (or gpt-realtime-2.1-mini) and use the new deployment name.",
            "Check the Azure model retirement schedule for your deployment's model version.",
        ),
        Category.UNAVAILABLE,
        docs=DOCS_AZURE_REALTIME,
        terms=("N16", "retirement schedule"),
    ),
    entry(
        "gateway_policy_close",
        "A gateway accepted the socket, then closed it (1008)",
        "Gateways such as LiteLLM accept the upgrade and then close with 1008 when their own auth, access rules or "
        "budget refuse the session; this is the gateway's policy, not OpenAI's.",
        (
            "Read the close reason shown; check the gateway's virtual key, model access list and budget.",
            "Compare with a direct run against https://api.openai.com/v1 to confirm OpenAI accepts the key.",
        ),
        Category.AUTH,
        docs=DOCS_REALTIME_WS,
        failures=("F13",),
        terms=("N18", "LiteLLM", "gateway policy"),
    ),
)

DIAGNOSES = tuple(d for d, _ in ENTRIES)
MATCHERS = {d.id: m for d, m in ENTRIES}
