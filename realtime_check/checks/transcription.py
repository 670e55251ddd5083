"""The opt-in `transcription` check: a transcription session transcribes the generated clip.

GA transcription (protocol-update-2026-11 §2): a socket with `?intent=transcription` and no
model, a `session.update` of type transcription naming the model, audio appended, a commit.
The verdict is `conversation.item.input_audio_transcription.completed`: an empty transcript of
synthetic audio still proves the model ran. `…transcription.failed`, an error event or a
close go through the diagnosis table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from realtime_check.checks import results
from realtime_check.checks.context import CheckContext
from realtime_check.checks.conversation import (
    Step,
    needs_working_socket,
    open_session,
    run_steps,
    socket_times,
)
from realtime_check.checks.gates import api_blocker
from realtime_check.diagnosis import classify
from realtime_check.models import ApiError, CheckResult, Finding, Status
from realtime_check.probes import speech_clip
from realtime_check.probes.live_session import LiveSession

CHECK_ID = "transcription"
COMPLETED = "conversation.item.input_audio_transcription.completed"
FAILED = "conversation.item.input_audio_transcription.failed"
# The GA guide says session.updated; F38 shows clients confused by beta `transcription_session.*`
# names. A server that acknowledges with the beta name has still applied the update, so both count.
UPDATED = ("session.updated", "transcription_session.updated")


def transcription_url(ws_url: str) -> str:
    parts = urlsplit(ws_url)
    query = "&".join(q for q in (parts.query, urlencode({"intent": "transcription"})) if q)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def session_update(model: str) -> dict[str, Any]:
    return {
        "type": "session.update",
        "session": {
            "type": "transcription",
            "audio": {
                "input": {
                    "format": {"type": "audio/pcm", "rate": speech_clip.SAMPLE_RATE},
                    "transcription": {"model": model},
                    # Manual commit; gpt-live-transcribe rejects any turn detection (protocol-update §2.4).
                    "turn_detection": None,
                }
            },
        },
    }


async def run(ctx: CheckContext) -> CheckResult:
    blocked = await api_blocker(ctx, needs_standard_key=False, path="ws") or await needs_working_socket(ctx)
    if blocked:
        return results.skipped(CHECK_ID, blocked)
    started = ctx.clock()
    opened = await open_session(ctx, CHECK_ID, transcription_url(ctx.settings.ws_url))
    if isinstance(opened, CheckResult):
        return opened
    try:
        return await _transcribe(ctx, opened, started)
    finally:
        await opened.close()


async def _transcribe(ctx: CheckContext, session: LiveSession, started: float) -> CheckResult:
    model = ctx.settings.transcription_model
    details: dict[str, Any] = {
        "model": model,
        "model_source": ctx.settings.transcription_model_source,
        **socket_times(session),
    }
    audio = [*speech_clip.append_events(speech_clip.speech_like_pcm16()), {"type": "input_audio_buffer.commit"}]
    steps = [
        Step([session_update(model)], UPDATED, "session.updated"),
        Step(audio, ("input_audio_buffer.committed",), "input_audio_buffer.committed"),
        Step([], (COMPLETED, FAILED), "the transcription"),
    ]
    final = await run_steps(CHECK_ID, ctx, session, steps, started=started, details=details, refine=_about_the_model)
    if isinstance(final, CheckResult):
        return final
    duration = (ctx.clock() - started) * 1000
    details["transcript_ms"] = session.ms_between("sent:input_audio_buffer.commit", f"got:{final.get('type')}")
    details["events"] = session.events()
    usage = final.get("usage")
    if isinstance(usage, Mapping):
        # {type:"tokens",…} or {type:"duration", seconds} (protocol-update §2.2): kept as sent.
        details["usage"] = dict(usage)
    if final.get("type") == FAILED:
        finding = _failed(final)
        return results.from_finding(
            CHECK_ID,
            finding,
            f"transcription failed with {model} — {results.describe_error(finding, 'failed')}",
            ctx.redactor,
            duration_ms=duration,
            details=details,
        )
    transcript = final.get("transcript")
    words = len(transcript.split()) if isinstance(transcript, str) else 0
    # The time is in the details (transcript_ms): the line fits 80 columns.
    summary = f"transcript from {model} ({words} words)"
    return CheckResult(CHECK_ID, Status.PASS, summary, duration_ms=duration, details=ctx.redactor.value(details))


def _about_the_model(finding: Finding, event: Mapping[str, Any]) -> Finding | None:
    """An error naming the model in a transcription session is about the transcription model."""
    if finding.diagnosis in ("ws_model_not_found", "ws_invalid_model", "model_not_found", "ws_session_param_rejected"):
        error = finding.error
        if error is not None and ("transcription" in (error.param or "") or error.code == "model_not_found"):
            return Finding("transcription_model_unavailable", Status.FAIL, error=error)
    return None


def _failed(event: Mapping[str, Any]) -> Finding:
    """…transcription.failed: its `error` read like any API error, refined for the transcription model."""
    raw = event.get("error")
    error = ApiError(
        **{k: raw.get(k) if isinstance(raw.get(k), str) else None for k in ("type", "code", "message", "param")}
    ) if isinstance(raw, Mapping) else None  # fmt: skip
    finding = classify.from_error_event({"type": "error", "error": dict(raw)} if isinstance(raw, Mapping) else {})
    refined = _about_the_model(finding, event)
    if refined is not None:
        return refined
    if error is not None and error.code == "audio_unintelligible":
        # The model ran and found no speech it could read in our synthetic clip: access is proven,
        # the clip is the likelier cause, so this warns rather than fails.
        return Finding("transcription_unintelligible", Status.WARN, error=error)
    if finding.diagnosis in ("ws_error_event", "unknown_error"):
        return Finding("transcription_failed", Status.FAIL, error=error)
    return finding
