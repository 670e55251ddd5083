"""`--deep`, `--legacy` and `--transcription-model` through the real CLI, in its own process, over real sockets."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from realtime_check.emulator.serve import parse_phase_latencies
from realtime_check.emulator.server import Emulator

KEY = "sk-proj-FAKE0000000000000000000000000000000000000000CLI0"


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    return subprocess.run(
        [sys.executable, "-m", "realtime_check", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**clean, **(env or {})},
        stdin=subprocess.DEVNULL,
    )


def test_deep_demo_passes_and_ends_with_the_tokens_spent() -> None:
    """`demo --deep` runs response, audio and transcription; the report's last line says how many tokens they spent."""
    proc = cli("demo", "--deep", "--no-response")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert lines[-1].startswith("Tokens spent: ")
    assert "audio" in lines[-1] and "transcription" in lines[-1] and "response" in lines[-1]


def test_deep_json_reports_usage_and_phase_times() -> None:
    """With --json each deep check carries its usage and per-phase times."""
    report = json.loads(cli("demo", "--deep", "--json").stdout)
    by_id = {c["id"]: c for c in report["checks"]}
    assert [c["id"] for c in report["checks"]][-3:] == ["response", "audio", "transcription"]
    audio = by_id["audio"]["details"]
    assert audio["first_audio_ms"] <= audio["done_ms"] and audio["audio_ms"] > 0
    assert audio["usage"]["total_tokens"] > 0
    assert by_id["transcription"]["details"]["model"] == "gpt-live-transcribe"


def test_run_only_audio_runs_it_and_the_socket_it_needs() -> None:
    """`run --only audio` against a served emulator runs the websocket check and the audio check, nothing else."""
    with Emulator("healthy") as running:
        proc = cli(
            "run", "--only", "audio", "--json", "--no-dotenv", "--base-url", running.base_url,
            env={"OPENAI_API_KEY": KEY, "OPENAI_TRANSCRIPTION_MODEL": "whisper-1"},
        )  # fmt: skip
    report = json.loads(proc.stdout)
    assert [c["id"] for c in report["checks"]] == ["websocket", "audio"]
    assert report["ok"] and proc.returncode == 0
    assert KEY not in proc.stdout + proc.stderr


def test_transcription_model_flag_reaches_the_check() -> None:
    """--transcription-model names the model the transcription session is configured with."""
    with Emulator("healthy") as running:
        proc = cli(
            "run", "--only", "transcription", "--json", "--no-dotenv", "--base-url", running.base_url,
            "--transcription-model", "gpt-4o-mini-transcribe", env={"OPENAI_API_KEY": KEY},
        )  # fmt: skip
    details = next(c for c in json.loads(proc.stdout)["checks"] if c["id"] == "transcription")["details"]
    assert (details["model"], details["model_source"]) == ("gpt-4o-mini-transcribe", "flag")


def test_legacy_demo_warns_with_the_migration_and_never_leaks_a_secret() -> None:
    """`demo --legacy` against today's server: a warning (exit 0) whose advice is the migration; no ek_ shown."""
    proc = cli("demo", "--legacy", "--json")
    report = json.loads(proc.stdout)
    legacy = next(c for c in report["checks"] if c["id"] == "legacy_beta")
    assert (legacy["status"], legacy["diagnosis"]) == ("warn", "beta_interface_retired")
    assert proc.returncode == 0 and report["ok"]
    assert any("client_secrets" in line for line in legacy["advice"])
    assert "ek_FAKE" not in proc.stdout + proc.stderr
    assert "sk-proj-DEMO" not in proc.stdout + proc.stderr


def test_checks_and_help_label_the_token_costs() -> None:
    """`checks` marks response, audio and transcription as costing tokens; `run --help` says what --deep costs."""
    listed = {c["id"]: c for c in json.loads(cli("checks", "--json").stdout)["checks"]}
    assert {i for i, c in listed.items() if c["costs_tokens"]} == {"response", "audio", "transcription", "live"}
    assert listed["legacy_beta"]["costs_tokens"] is False and not listed["audio"]["default"]
    help_text = " ".join(cli("run", "--help", env={"COLUMNS": "200"}).stdout.split())
    assert "--deep" in help_text and "cost tokens" in help_text and "--legacy" in help_text
    assert "--transcription-model" in help_text


@pytest.mark.parametrize("check_id", ["audio", "transcription"])
def test_a_close_mid_conversation_is_diagnosed_end_to_end(check_id: str) -> None:
    """A server that closes 1011 on the first client event fails the deep check as a transient close, no secret shown."""
    proc = cli("demo", "--scenario", "mid-session-close", "--only", check_id, "--json")
    report = json.loads(proc.stdout)
    found = next(c for c in report["checks"] if c["id"] == check_id)
    assert (found["status"], found["diagnosis"], found["close_code"]) == ("fail", "ws_closed_transient", 1011)
    assert proc.returncode == report["exit_code"] != 0
    assert not re.search(r"sk-proj-DEMO|ek_FAKE[0-9a-f]{8}", proc.stdout + proc.stderr)


def test_emulate_phase_latency_is_parsed_and_bad_values_are_usage_errors() -> None:
    """`emulate --phase-latency PHASE=MS` reaches the emulator; an unknown phase or a malformed value exits 2."""
    assert parse_phase_latencies(["session_created=100", "mint=5"]) == {"session_created": 100, "mint": 5}
    unknown = cli("emulate", "--phase-latency", "first_byte=10")
    assert unknown.returncode == 2 and "session_created" in unknown.stderr
    malformed = cli("emulate", "--phase-latency", "mint")
    assert malformed.returncode == 2 and "PHASE=MS" in malformed.stderr
