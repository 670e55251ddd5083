"""Diagnoses of the deep checks (audio and transcription round trips) and of the retired beta interface probe."""

from __future__ import annotations

from realtime_check.diagnosis.catalog._base import (
    DOCS_CLIENT_SECRETS,
    DOCS_DEPRECATIONS,
    DOCS_MODELS,
    DOCS_REALTIME_API,
    DOCS_REALTIME_TRANSCRIPTION,
    Entry,
    entry,
)
from realtime_check.models import Category

P = Category.PROTOCOL
U = Category.UNAVAILABLE

# The migration from the setup notes' beta interface to GA, one line per thing to change.
BETA_MIGRATION: tuple[str, ...] = (
    "Header: drop `OpenAI-Beta: realtime=v1` (and the `openai-beta.realtime-v1` subprotocol); send none.",
    "Minting: replace `POST /v1/realtime/sessions` with `POST /v1/realtime/client_secrets` and "
    '`{"session": {"type": "realtime", "model": …}}`.',
    "Secret: read `value` at the top level of the answer instead of `client_secret.value`.",
    "Socket URL: `wss://…/v1/realtime?model=<model>` with `Authorization: Bearer <key or ek_>`, never a session id "
    "in the path or a token in the query string (that form never existed and puts the secret in proxy logs); "
    "browsers send two subprotocols: `realtime`, and openai-insecure-api-key. followed by the ek_ secret.",
    "Events: `response.text.delta` → `response.output_text.delta`, `response.audio.delta` → "
    "`response.output_audio.delta`, `response.audio_transcript.delta` → `response.output_audio_transcript.delta`, "
    "`conversation.item.created` → `conversation.item.added`/`.done`, `transcription_session.update` → "
    '`session.update` with `"type": "transcription"`.',
    "Session fields: flat `modalities`, `voice`, `input_audio_format`, `turn_detection`, `temperature` → "
    "`type` (required), `output_modalities`, `audio.input.{format,turn_detection,transcription}`, "
    "`audio.output.{format,voice}`; `temperature` is gone.",
    "Models: stop using the retired gpt-4o-realtime-preview models; use a current Realtime model.",
)

ENTRIES: tuple[Entry, ...] = (
    entry(
        "audio_missing",
        "No audio came back",
        "The audio response finished without a single response.output_audio.delta: a relay or proxy between you "
        "and the API that forwards text events but drops audio ones, or a session whose output modalities did "
        "not take.",
        (
            "If you connect through your own relay, make it forward every server event (audio deltas are large "
            "JSON text frames, not binary).",
            "Ask for audio with output_modalities: ['audio'] in session.update or response.create.",
            "Run with -v to see the events that did arrive.",
        ),
        P,
        docs=DOCS_REALTIME_API,
        failures=("F40", "F41"),
        terms=("response.output_audio.delta", "no audio"),
    ),
    entry(
        "audio_buffer_too_small",
        "The server got too little audio to commit",
        "input_audio_buffer.commit was answered with input_audio_buffer_commit_empty although about a second of "
        "audio was appended: the audio did not reach the buffer (a relay that drops appends, audio in a field the "
        "server ignores) or it was read in another format or rate.",
        (
            "Send input_audio_buffer.append with base64 PCM16 mono at 24 kHz in `audio`, and at least 100 ms "
            "(4,800 bytes) before a commit.",
            "Declare the format in session.update: audio.input.format {type: 'audio/pcm', rate: 24000}.",
            "With server VAD on, the server commits by itself: turn it off (turn_detection: null) if you commit.",
        ),
        P,
        docs=DOCS_REALTIME_API,
        failures=("F46",),
        codes=("input_audio_buffer_commit_empty",),
        terms=(
            "N11",
            "buffer too small",
        ),
    ),
    entry(
        "transcription_model_unavailable",
        "Transcription model not available",
        "The transcription session refused the transcription model: it does not exist, the key's project may not "
        "use it, or it was retired.",
        (
            "Pick a transcription model this key can see (the models check lists them) with --transcription-model "
            "or OPENAI_TRANSCRIPTION_MODEL.",
            "whisper-1 and gpt-4o(-mini)-transcribe shut down on 2027-02-26; gpt-live-transcribe replaces them.",
            "Check the project's allowed models include it.",
        ),
        U,
        docs=DOCS_MODELS,
        failures=("F21", "F38"),
        terms=("session.audio.input.transcription.model",),
    ),
    entry(
        "transcription_failed",
        "Transcription failed",
        "The transcription session opened and took the audio, but conversation.item.input_audio_transcription."
        "failed came back.",
        (
            "Read the error's code and message above (-v shows the events).",
            "Try another transcription model with --transcription-model.",
        ),
        U,
        docs=DOCS_REALTIME_TRANSCRIPTION,
        failures=("F38",),
        terms=("input_audio_transcription.failed", "transcription_error"),
    ),
    entry(
        "transcription_unintelligible",
        "The model could not make out the test clip",
        "The transcription model ran but called the generated test clip unintelligible. Access works; the clip "
        "is synthetic speech-like sound, not words.",
        ("Nothing to fix for access. If your own audio gets this, check it is PCM16 mono at 24 kHz, not silence.",),
        Category.TEMPORARY,
        docs=DOCS_REALTIME_TRANSCRIPTION,
        failures=("F38",),
        codes=("audio_unintelligible",),
    ),
    entry(
        "beta_interface_retired",
        "Your code's beta interface is retired",
        "The server refuses the beta Realtime interface the old setup notes prescribe (OpenAI-Beta: realtime=v1, "
        "POST /v1/realtime/sessions, client_secret.value, a session-id socket URL). It was shut off in May 2026. "
        "Your access is fine (see the other checks); code written that way is not.",
        BETA_MIGRATION,
        P,
        docs=DOCS_CLIENT_SECRETS,
        failures=("F36", "F26", "F39"),
        terms=("OpenAI-Beta", "realtime=v1", "/v1/realtime/sessions", "client_secret.value"),
    ),
    entry(
        "beta_interface_deprecated",
        "This host still speaks the retired beta interface",
        "The host accepted the beta interface. api.openai.com refuses it since May 2026; a gateway or proxy that "
        "still accepts it will stop, and code written for it breaks when pointed at OpenAI directly.",
        BETA_MIGRATION,
        P,
        docs=DOCS_DEPRECATIONS,
        failures=("F36", "F26"),
        terms=("beta interface", "gateway accepts beta", "realtime=v1 accepted"),
    ),
)

DIAGNOSES = tuple(d for d, _ in ENTRIES)
MATCHERS = {d.id: m for d, m in ENTRIES}
