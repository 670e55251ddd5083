"""The opt-in `audio` check: speech in, speech out, on a session opened with the key.

Voice apps fail in ways a text round trip never sees: audio that never reaches the input
buffer, a response that carries no audio, an audio response that fails. The steps follow
protocol.md §3.4 and protocol-update-2026-11 §3.4: manual turn taking (no server VAD to race
our commit), ~1 s of generated speech-like PCM16 at 24 kHz, commit, then one audio response
with a small output cap. Each step's events are stamped on the run's clock (LiveSession.marks),
so per-phase times come from the same record as the verdict.
"""

from __future__ import annotations

from typing import Any

from realtime_check.checks import results
from realtime_check.checks.context import CheckContext
from realtime_check.checks.conversation import (
    Step,
    needs_working_socket,
    open_session,
    run_steps,
    socket_times,
    total_tokens,
    usage_of,
)
from realtime_check.checks.gates import api_blocker
from realtime_check.checks.model_choice import chosen_model
from realtime_check.checks.websocket import socket_url
from realtime_check.diagnosis import classify
from realtime_check.models import CheckResult, Finding, Status
from realtime_check.probes import speech_clip
from realtime_check.probes.live_session import AUDIO_DELTA_EVENTS, LiveSession

CHECK_ID = "audio"
PCM = {"type": "audio/pcm", "rate": speech_clip.SAMPLE_RATE}
SESSION_UPDATE = {
    "type": "session.update",
    "session": {
        "type": "realtime",
        "output_modalities": ["audio"],
        # turn_detection null: we commit and ask for the response ourselves (no VAD race).
        "audio": {"input": {"format": PCM, "turn_detection": None}, "output": {"format": PCM}},
    },
}
RESPONSE_CREATE = {
    "type": "response.create",
    "response": {
        "output_modalities": ["audio"],
        "instructions": "Reply with the single word: ok",
        # Small, but room for a spoken word: a cap that cuts the audio off proves less.
        "max_output_tokens": 64,
    },
}


async def run(ctx: CheckContext) -> CheckResult:
    blocked = await api_blocker(ctx, needs_standard_key=False, path="ws") or await needs_working_socket(ctx)
    if blocked:
        return results.skipped(CHECK_ID, blocked)
    started = ctx.clock()
    model = (await chosen_model(ctx)).model  # the configured model, or the ladder's choice
    opened = await open_session(ctx, CHECK_ID, socket_url(ctx.settings.ws_url, model))
    if isinstance(opened, CheckResult):
        return opened
    try:
        return await _round_trip(ctx, opened, started, model)
    finally:
        await opened.close()


async def _round_trip(ctx: CheckContext, session: LiveSession, started: float, model: str) -> CheckResult:
    details: dict[str, Any] = {"model": model, **socket_times(session)}
    clip = [*speech_clip.append_events(speech_clip.speech_like_pcm16()), {"type": "input_audio_buffer.commit"}]
    steps = [
        Step([SESSION_UPDATE], ("session.updated",), "session.updated"),
        Step(clip, ("input_audio_buffer.committed",), "input_audio_buffer.committed"),
        Step([RESPONSE_CREATE], ("response.done",), "response.done"),
    ]
    final = await run_steps(CHECK_ID, ctx, session, steps, started=started, details=details, refine=_buffer_too_small)
    if isinstance(final, CheckResult):
        return final
    return _judge(ctx, session, final, details, started)


def _buffer_too_small(finding: Finding, event: Any) -> Finding | None:
    """input_audio_buffer_commit_empty: our ~1 s clip did not reach the server's input buffer."""
    error = event.get("error") if isinstance(event, dict) else None
    if isinstance(error, dict) and error.get("code") == "input_audio_buffer_commit_empty":
        return Finding("audio_buffer_too_small", Status.FAIL, error=finding.error)
    return None


def _judge(
    ctx: CheckContext, session: LiveSession, done: dict[str, Any], details: dict[str, Any], started: float
) -> CheckResult:
    duration = (ctx.clock() - started) * 1000
    response = done.get("response")
    if not isinstance(response, dict):
        response = {}
    usage = usage_of(response)
    first_audio = session.first_of([f"got:{name}" for name in AUDIO_DELTA_EVENTS])
    details.update(
        {
            "response_status": response.get("status"),
            # From response.create to the first audio delta and to response.done (per-phase times).
            "first_audio_ms": session.ms_between("sent:response.create", first_audio) if first_audio else None,
            "done_ms": session.ms_between("sent:response.create", "got:response.done"),
            "audio_ms": round(speech_clip.duration_ms(session.audio_bytes), 1),
            "usage": usage,
            "events": session.events(),
        }
    )
    refusal = classify.from_response_done(response)
    if refusal is not None:
        return results.from_finding(
            CHECK_ID,
            refusal,
            f"audio response.done {response.get('status')} — {results.describe_error(refusal, 'failed')}",
            ctx.redactor,
            duration_ms=duration,
            details=details,
        )
    if first_audio is None:
        return results.from_finding(
            CHECK_ID,
            Finding("audio_missing", Status.FAIL),
            f"response.done {response.get('status')} without a single audio delta",
            ctx.redactor,
            duration_ms=duration,
            details=details,
        )
    tokens = total_tokens(usage)
    summary = f"{details['audio_ms'] / 1000:.1f} s of audio, first after {details['first_audio_ms']:.0f} ms" + (
        f" · {tokens} tokens" if tokens is not None else ""
    )
    return CheckResult(CHECK_ID, Status.PASS, summary, duration_ms=duration, details=ctx.redactor.value(details))
