"""The deep checks (response, audio, transcription) and legacy_beta against the real emulator over real sockets."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from realtime_check import checks
from realtime_check import settings as settings_mod
from realtime_check.checks import doctor
from realtime_check.checks.context import RunOptions
from realtime_check.checks.legacy_beta import session_id_url
from realtime_check.checks.transcription import FAILED, _failed
from realtime_check.emulator.server import Emulator
from realtime_check.models import CheckResult, Report, Status
from realtime_check.probes import speech_clip
from realtime_check.probes.live_session import MAX_KEPT_EVENTS, LiveSession

KEY = "sk-proj-FAKE0000000000000000000000000000000000000000DEEP"
DEEP = ["config", "websocket", "response", "audio", "transcription"]


@contextmanager
def emulator(scenario: str) -> Iterator[Emulator]:
    with Emulator(scenario) as running:
        yield running


def run_against(running: Emulator, selected: list[str], *, timeout: float = 10.0, **flags: Any) -> Report:
    settings = settings_mod.resolve(
        {"api_key": KEY, "base_url": running.base_url, **flags}, {}, {}, None, timeout=timeout
    )
    return doctor.run(settings, RunOptions(), selected)


def result(report: Report, check_id: str) -> CheckResult:
    found = report.check(check_id)
    assert found is not None, [c.id for c in report.checks]
    return found


def test_speech_clip_is_a_second_of_pcm16_that_is_neither_silence_nor_clipped() -> None:
    """The generated clip is ~1 s of 24 kHz PCM16 with real signal, sent in 100 ms appends."""
    pcm = speech_clip.speech_like_pcm16()
    samples = memoryview(pcm).cast("h")
    assert 900 <= speech_clip.duration_ms(len(pcm)) <= 1100
    assert max(abs(s) for s in samples) in range(8000, 32767)  # loud, not clipped
    assert sum(1 for s in samples if s == 0) < len(samples) / 2  # mostly voice, not silence
    events = speech_clip.append_events(pcm)
    assert len(events) == 11 and all(e["type"] == "input_audio_buffer.append" for e in events)


def test_healthy_deep_run_passes_with_phase_times_and_usage() -> None:
    """On a healthy server each deep check passes; audio reports first audio before done, and bytes as duration."""
    with emulator("healthy") as running:
        report = run_against(running, DEEP)
    assert [c.status for c in report.checks] == [Status.PASS] * len(DEEP)
    audio = result(report, "audio").details
    assert 0 <= audio["first_audio_ms"] <= audio["done_ms"]
    assert audio["audio_ms"] == 500.0  # five 100 ms deltas from the emulator
    assert audio["usage"]["total_tokens"] > 0
    transcription = result(report, "transcription").details
    assert transcription["model"] == "gpt-live-transcribe" and transcription["transcript_ms"] >= 0
    assert transcription["usage"]["type"] == "tokens"


def test_audio_check_sends_what_the_recipe_prescribes() -> None:
    """Manual turn taking, ~1 s of audio in 100 ms appends, a commit, and one capped audio response."""
    with emulator("healthy") as running:
        run_against(running, ["config", "websocket", "audio"])
        upgrades = [r for r in running.requests if r.path.endswith("/realtime")]
    assert len(upgrades) == 2  # the websocket check's socket and the audio check's own
    assert all(r.query.get("model") == "gpt-realtime-2.1" for r in upgrades)  # no model set: the ladder's choice


def test_transcription_uses_intent_and_the_configured_model() -> None:
    """The transcription socket is ?intent=transcription with no model; --transcription-model is the one used."""
    with emulator("healthy") as running:
        report = run_against(running, ["config", "websocket", "transcription"], transcription_model="whisper-1")
        upgrades = [r.query for r in running.requests if r.path.endswith("/realtime")]
    assert {"intent": "transcription"} in upgrades
    details = result(report, "transcription").details
    assert (details["model"], details["model_source"]) == ("whisper-1", "flag")


def test_transcription_model_from_the_environment() -> None:
    """OPENAI_TRANSCRIPTION_MODEL sets the model when no flag does; the default is gpt-live-transcribe."""
    env = settings_mod.resolve({}, {"OPENAI_TRANSCRIPTION_MODEL": "gpt-4o-transcribe"}, {}, None)
    assert (env.transcription_model, env.transcription_model_source) == (
        "gpt-4o-transcribe",
        "env:OPENAI_TRANSCRIPTION_MODEL",
    )
    assert settings_mod.resolve({}, {}, {}, None).transcription_model == "gpt-live-transcribe"


@pytest.mark.parametrize(
    ("scenario", "check_id", "status", "diagnosis"),
    [
        ("audio-failed", "audio", Status.FAIL, "server_error"),
        ("audio-incomplete", "audio", Status.WARN, "response_incomplete"),
        ("audio-stripped", "audio", Status.FAIL, "audio_missing"),
        ("audio-buffer-too-small", "audio", Status.FAIL, "audio_buffer_too_small"),
        ("mid-session-close", "audio", Status.FAIL, "ws_closed_transient"),
        ("response-failed-quota", "audio", Status.FAIL, "response_quota"),
        ("transcription-failed", "transcription", Status.WARN, "transcription_unintelligible"),
        ("transcription-model-unavailable", "transcription", Status.FAIL, "transcription_model_unavailable"),
        ("mid-session-close", "transcription", Status.FAIL, "ws_closed_transient"),
    ],
)
def test_deep_failures_are_diagnosed(scenario: str, check_id: str, status: Status, diagnosis: str) -> None:
    """Each way a voice round trip fails gets its own diagnosis, with advice."""
    with emulator(scenario) as running:
        found = result(run_against(running, ["config", "websocket", check_id]), check_id)
    assert (found.status, found.diagnosis) == (status, diagnosis), found
    assert found.advice and found.duration_ms is not None


def test_audio_failed_leaves_the_text_response_passing() -> None:
    """A failure that hits audio only is reported on the audio check, not on the text response."""
    with emulator("audio-failed") as running:
        report = run_against(running, DEEP)
    assert result(report, "response").status is Status.PASS
    assert result(report, "audio").status is Status.FAIL


def test_deep_checks_skip_when_the_socket_cannot_open() -> None:
    """With a rejected key no deep check talks to the server: each is skipped, naming the websocket check."""
    with emulator("invalid-key") as running:
        report = run_against(running, DEEP)
    assert result(report, "websocket").status is Status.FAIL
    for check_id in ("audio", "transcription"):
        assert result(report, check_id).status is Status.SKIP
        assert "websocket" in result(report, check_id).summary


def test_only_a_deep_check_runs_what_it_needs() -> None:
    """`--only audio` selects the websocket check it builds on; --deep adds response, audio and transcription."""
    assert checks.select(["audio"], None, probe_response=False) == ["websocket", "audio"]
    assert checks.select(["transcription"], None, probe_response=False) == ["websocket", "transcription"]
    deep = checks.select(None, None, probe_response=False, deep=True)
    assert deep[-3:] == ["response", "audio", "transcription"] and "legacy_beta" not in deep
    assert checks.select(None, None, probe_response=False, legacy=True)[-1] == "legacy_beta"
    assert {c.id for c in checks.CHECKS if c.costs_tokens} == {"response", "audio", "transcription", "live"}


# --- legacy_beta ------------------------------------------------------------------------------------------


def test_legacy_beta_warns_with_the_migration_when_the_server_rejects_it() -> None:
    """Against today's server every beta step is refused: a warning whose advice is the migration list."""
    with emulator("healthy") as running:
        found = result(run_against(running, ["config", "legacy_beta"]), "legacy_beta")
    assert (found.status, found.diagnosis) == (Status.WARN, "beta_interface_retired")
    probes = found.details["probes"]
    assert probes["beta_mint"]["http_status"] == 400
    assert probes["beta_mint"]["error_code"] == "beta_api_shape_disabled"
    assert probes["beta_socket_header"]["close_code"] == 4000
    assert probes["beta_socket_subprotocol"]["close_code"] == 4000
    assert probes["session_id_url"]["http_status"] == 404
    advice = "\n".join(found.advice)
    for fragment in ("OpenAI-Beta", "/v1/realtime/client_secrets", "`value`", "openai-insecure-api-key.",
                     "response.output_audio.delta", "output_modalities"):  # fmt: skip
        assert fragment in advice


def test_legacy_beta_never_puts_the_api_key_in_a_url() -> None:
    """Every request the legacy check makes keeps the API key out of the path and query; the URL probe uses an ek_."""
    with emulator("healthy") as running:
        run_against(running, ["config", "legacy_beta"])
        recorded = running.requests.snapshot()
    old_url = [r for r in recorded if r.path.startswith("/v1/realtime/sess_")]
    assert len(old_url) == 1
    assert old_url[0].query["authorization"].startswith("Bearer ek_")
    for request in recorded:
        assert KEY not in request.path and KEY not in "".join(f"{k}={v}" for k, v in request.query.items())
    with pytest.raises(ValueError):
        session_id_url("wss://api.openai.test/v1/realtime", "sess_FAKE", KEY)


def test_legacy_beta_passes_with_a_note_where_beta_is_still_accepted() -> None:
    """A host that still speaks beta passes, with the deprecation and the migration as advice."""
    with emulator("beta-accepted") as running:
        found = result(run_against(running, ["config", "legacy_beta"]), "legacy_beta")
    assert (found.status, found.diagnosis) == (Status.PASS, "beta_interface_deprecated")
    assert "deprecated" in found.summary and found.advice
    assert found.details["probes"]["beta_mint"]["answer"] == "accepted"
    assert found.details["probes"]["session_id_url"]["answer"] == "refused"  # that URL never existed


def test_legacy_beta_with_a_rejected_key_reports_the_key_not_the_beta() -> None:
    """When the key itself is refused the check says so instead of blaming the beta interface."""
    with emulator("invalid-key") as running:
        found = result(run_against(running, ["config", "legacy_beta"]), "legacy_beta")
    assert found.status is Status.FAIL and found.diagnosis == "invalid_api_key"


class ScriptedConnection:
    """A socket stand-in for LiveSession: yields the given frames, records what is sent."""

    def __init__(self, frames: list[str | bytes]) -> None:
        self.frames = list(frames)
        self.sent: list[str] = []

    async def send(self, data: str) -> None:
        self.sent.append(data)

    async def recv(self) -> str | bytes:
        if not self.frames:
            await asyncio.Event().wait()  # nothing more: silent until the caller gives up
        return self.frames.pop(0)


def test_live_session_counts_audio_under_both_names_and_bounds_what_it_keeps() -> None:
    """GA and beta audio delta names both count as audio; a flood of events keeps a bounded list."""
    chunk = base64.b64encode(bytes(4800)).decode()
    flood = [json.dumps({"type": "rate_limits.updated"})] * (MAX_KEPT_EVENTS + 50)
    frames: list[str | bytes] = [
        *flood,
        json.dumps({"type": "response.output_audio.delta", "delta": chunk}),
        json.dumps({"type": "response.audio.delta", "delta": chunk}),
        json.dumps({"type": "response.done", "response": {"status": "completed"}}),
    ]
    session = LiveSession(ScriptedConnection(frames), clock=lambda: 0.0)
    verdict = asyncio.run(session.exchange([{"type": "response.create"}], {"response.done"}, timeout=5))
    assert verdict.event is not None and verdict.event["type"] == "response.done"
    assert session.audio_bytes == 9600
    assert len(session.events()) == MAX_KEPT_EVENTS + 1 and session.events()[-1] == "... 53 more"


def test_live_session_gives_up_on_a_silent_server_and_cuts_hostile_type_names() -> None:
    """A server that stops talking ends the wait as SILENT within the timeout; a huge event type is cut short."""
    frames: list[str | bytes] = [json.dumps({"type": "x" * 10_000})]
    session = LiveSession(ScriptedConnection(frames), clock=lambda: 0.0)
    verdict = asyncio.run(session.exchange([], {"response.done"}, timeout=0.05))
    assert verdict.outcome == "silent"
    assert session.events() == ["x" * 80]


@pytest.mark.parametrize(
    ("error", "diagnosis", "status"),
    [
        ({"type": "transcription_error", "code": "audio_unintelligible", "message": "?"}, "transcription_unintelligible", Status.WARN),
        ({"type": "invalid_request_error", "code": "model_not_found", "message": "no"}, "transcription_model_unavailable", Status.FAIL),
        ({"type": "transcription_error", "code": "FAKE_new_code", "message": "odd"}, "transcription_failed", Status.FAIL),
        ({"type": "insufficient_quota", "code": "insufficient_quota", "message": "pay"}, "insufficient_quota", Status.FAIL),
    ],
)  # fmt: skip
def test_transcription_failed_event_is_read_like_an_api_error(error: dict, diagnosis: str, status: Status) -> None:
    """…transcription.failed goes through the diagnosis table, refined for the transcription model."""
    finding = _failed({"type": FAILED, "item_id": "item_FAKE", "error": error})
    assert (finding.diagnosis, finding.status) == (diagnosis, status)


# --- latency injected per phase ----------------------------------------------------------------------------

INJECTED_MS = 100
SANE_MS = 5000  # loopback on a busy shared machine: far below this


def phase_run(phase: str, selected: list[str]) -> Report:
    with Emulator("healthy", phase_latency_ms={phase: INJECTED_MS}) as running:
        return run_against(running, selected)


# Lower bounds hold strictly only for spans that contain the whole server-side wait: a span that
# starts when the client *receives* something (the 101, the first delta) can be shortened by the
# client's own scheduling, so those are asserted as ordering, not as >= the injected delay.


def test_latency_on_session_created_shows_in_first_event() -> None:
    """100 ms injected before session.created: every socket's first_event_ms >= 100, after its handshake."""
    report = phase_run("session_created", ["config", "websocket", "audio"])
    for check_id in ("websocket", "audio"):
        details = result(report, check_id).details
        assert details["handshake_ms"] <= details["first_event_ms"], details
        assert INJECTED_MS <= details["first_event_ms"] < INJECTED_MS + SANE_MS, (check_id, details)


def test_latency_on_the_upgrade_shows_in_the_handshake() -> None:
    """100 ms injected before the 101: handshake_ms >= 100, and session.created follows it."""
    details = result(phase_run("upgrade", ["config", "websocket"]), "websocket").details
    assert INJECTED_MS <= details["handshake_ms"] <= details["first_event_ms"] < INJECTED_MS + SANE_MS


def test_latency_before_the_first_delta_shows_in_first_audio_and_done() -> None:
    """100 ms injected before the first output delta: first_audio_ms >= 100 and done_ms after it; text alike."""
    report = phase_run("first_delta", ["config", "websocket", "response", "audio"])
    audio = result(report, "audio").details
    assert INJECTED_MS <= audio["first_audio_ms"] <= audio["done_ms"] < INJECTED_MS + SANE_MS
    assert INJECTED_MS <= result(report, "response").details["done_ms"] < INJECTED_MS + SANE_MS


def test_latency_before_response_done_shows_in_done_only() -> None:
    """100 ms injected before response.done: done_ms >= 100, and the first audio came before it."""
    audio = result(phase_run("response_done", ["config", "websocket", "audio"]), "audio").details
    assert audio["first_audio_ms"] <= audio["done_ms"]
    assert INJECTED_MS <= audio["done_ms"] < INJECTED_MS + SANE_MS


def test_latency_on_the_mint_slows_the_session_check() -> None:
    """100 ms injected before the mint answers: the session check takes at least that long."""
    session = result(phase_run("mint", ["config", "session"]), "session")
    assert session.status is Status.PASS
    assert session.duration_ms is not None and INJECTED_MS <= session.duration_ms < INJECTED_MS + SANE_MS


def test_unknown_phase_or_negative_delay_is_refused() -> None:
    """A phase name the emulator does not know, or a negative delay, is a ValueError naming the phases."""
    with pytest.raises(ValueError, match="first_delta"):
        Emulator("healthy", phase_latency_ms={"first_byte": 10})
    with pytest.raises(ValueError, match="zero or more"):
        Emulator("healthy", phase_latency_ms={"mint": -1})


def test_live_session_lists_a_stream_of_deltas_once_with_its_count() -> None:
    """Many deltas of one kind are listed once, where the first arrived, with their count: -v stays readable."""
    delta = json.dumps({"type": "response.output_audio.delta", "delta": "AAAA"})
    frames: list[str | bytes] = [delta, json.dumps({"type": "response.output_audio_transcript.delta"}), delta, delta]
    frames.append(json.dumps({"type": "response.done", "response": {"status": "completed"}}))
    session = LiveSession(ScriptedConnection(frames), clock=lambda: 0.0)
    asyncio.run(session.exchange([], {"response.done"}, timeout=5))
    assert session.events() == [
        "response.output_audio.delta x3",
        "response.output_audio_transcript.delta",
        "response.done",
    ]
