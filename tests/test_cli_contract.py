"""The CLI's promises outside the report: help, version, light imports, listing and explaining,
the emulate command, where the key comes from, and the last-resort error line."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cli_runner import cli

from realtime_check import __version__
from realtime_check.checks import CHECK_IDS
from realtime_check.cli import app as cli_module
from realtime_check.diagnosis.catalog import get as get_diagnosis
from realtime_check.emulator.scenarios import list_scenarios
from realtime_check.emulator.server import Emulator
from realtime_check.exit_codes import EXIT_CODE_DESCRIPTIONS, ExitCode

FAKE_KEY = "sk-proj-FAKE0000000000000000000000000000000000000000TEST"  # as in conftest.py
OTHER_FAKE_KEY = "sk-proj-FAKE1111111111111111111111111111111111111111OTHR"
HEAVY_MODULES = ("httpx", "websockets", "aiohttp", "h2", "cryptography", "pydantic")


@pytest.fixture
def healthy() -> Iterator[Emulator]:
    """A healthy emulator on a free loopback port, stopped at teardown."""
    with Emulator("healthy") as emu:
        yield emu


def bearer_keys(emu: Emulator) -> set[str]:
    """The API keys the emulator received as `Authorization: Bearer`."""
    keys = set()
    for request in emu.requests:
        scheme, _, value = request.headers.get("Authorization", "").partition(" ")
        if scheme == "Bearer":
            keys.add(value)
    return keys


def config_check(stdout: str) -> dict[str, Any]:
    report = json.loads(stdout)
    return next(c for c in report["checks"] if c["id"] == "config")


def key_setting(stdout: str) -> dict[str, Any]:
    report = json.loads(stdout)
    return next(s for s in report["target"]["settings"] if s["name"] == "api_key")


# --- version and help --------------------------------------------------------------------------


def test_version_prints_the_version() -> None:
    """`--version` prints the tool name and version and exits 0."""
    result = cli("--version")
    assert result.exit_code == 0 and result.stdout == f"realtime-check {__version__}\n"


@pytest.mark.parametrize("args", [["--help"], ["run", "--help"]])
def test_help_lists_the_exit_codes(args: list[str]) -> None:
    """The top-level and `run` help both list every exit code with its meaning."""
    result = cli(*args)
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())  # rich wraps and pads help text
    assert "Exit codes" in text
    for code, description in EXIT_CODE_DESCRIPTIONS.items():
        assert f"{int(code)} {description}" in text


@pytest.mark.parametrize(
    "args", [["--help"], ["--version"], ["run", "--help"], ["demo", "--help"], ["checks"], ["checks", "--json"]]
)
def test_help_and_version_do_not_import_network_libraries(args: list[str]) -> None:
    """`--help`, `--version` and `checks` load no network or crypto library, so they stay instant."""
    program = (
        "import sys\n"
        f"sys.argv = ['realtime-check', *{args!r}]\n"
        "from realtime_check.cli.app import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        f"heavy = {HEAVY_MODULES!r}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy), file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout, "the command printed its help or version"
    assert proc.stderr.strip().splitlines()[-1] == "[]"


def test_listing_the_checks_imports_none_of_them() -> None:
    """`checks` lists every check from the registry without importing a single check module (loaders run only in a run)."""
    program = (
        "import sys\n"
        "sys.argv = ['realtime-check', 'checks', '--json']\n"
        "from realtime_check.checks import CHECKS\n"
        "from realtime_check.cli.app import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = [m for m in sys.modules if m.startswith('realtime_check.checks.')]\n"
        "print(sorted(loaded), file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)["checks"]) == len(CHECK_IDS)
    assert proc.stderr.strip().splitlines()[-1] == "[]"


# --- checks and explain ---------------------------------------------------------------------------


def test_checks_lists_every_check_and_marks_the_token_cost() -> None:
    """`checks` lists every check id; the token-costing ones (response, audio, transcription) are marked and opt-in,
    legacy_beta, webrtc and relay are opt-in and free."""
    result = cli("checks")
    assert result.exit_code == 0
    # A row starts at the left edge; a wrapped "proves" line is indented (and may start with a word like an id).
    starts = [line for line in result.stdout.splitlines() if line.strip() and not line.startswith("  ")]
    rows = {line.split()[0]: line for line in starts if line.split()[0] in CHECK_IDS}
    assert set(rows) == set(CHECK_IDS)
    # Columns: id, proves (wrapped), tokens, default.
    paid, free_opt_in = {"response", "audio", "transcription", "live"}, {"legacy_beta", "webrtc", "relay"}
    assert all(re.search(r"\byes\s+opt-in\s*$", rows[cid]) for cid in paid)
    assert all(re.search(r"\bno\s+opt-in\s*$", rows[cid]) for cid in free_opt_in)
    assert all(re.search(r"\bno\s+yes\s*$", line) for cid, line in rows.items() if cid not in paid | free_opt_in)


def test_checks_json_parses() -> None:
    """`checks --json` is one versioned JSON document listing every check with its token cost."""
    result = cli("checks", "--json")
    document = json.loads(result.stdout)
    assert document["schema_version"] == 1
    checks = document["checks"]
    assert [c["id"] for c in checks] == list(CHECK_IDS)
    assert {c["id"] for c in checks if c["costs_tokens"]} == {"response", "audio", "transcription", "live"}


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("insufficient_quota", "insufficient_quota"),
        ("403", "realtime_access_not_enabled"),
        ("403", "region_blocked"),
        ("4000", "beta_api_shape_disabled"),
        ("4000", "ws_invalid_model"),
        ("F36", "beta_api_shape_disabled"),
    ],
)
def test_explain_finds_the_diagnosis(term: str, expected: str) -> None:
    """`explain` finds a diagnosis by id, error code, HTTP status, close code or failures.md id."""
    result = cli("explain", term)
    assert result.exit_code == 0
    diagnosis = get_diagnosis(expected)
    text = " ".join(result.stdout.split())
    assert f"{diagnosis.id} — {diagnosis.title}" in text
    document = json.loads(cli("explain", term, "--json").stdout)
    assert (document["schema_version"], document["term"]) == (1, term)
    assert expected in [d["id"] for d in document["matches"] if d["kind"] == "diagnosis"]


def test_explain_unknown_term_exits_2() -> None:
    """`explain nonsense` says nothing matched and exits 2 (and --json lists no matches)."""
    result = cli("explain", "nonsense")
    assert result.exit_code == 2 and "No diagnosis matches 'nonsense'" in result.stdout
    as_json = cli("explain", "nonsense", "--json")
    assert as_json.exit_code == 2
    assert json.loads(as_json.stdout) == {"schema_version": 1, "term": "nonsense", "matches": []}


@pytest.mark.parametrize("command", ["demo", "emulate"])
def test_list_shows_every_scenario(command: str) -> None:
    """`demo --list` and `emulate --list` list every scenario by name and exit 0."""
    result = cli(command, "--list")
    assert result.exit_code == 0
    names = {line.split()[0] for line in result.stdout.splitlines() if line.strip()}
    assert {s.name for s in list_scenarios()} <= names


# --- emulate -----------------------------------------------------------------------------------------


def test_emulate_refuses_a_public_address_without_allow_public() -> None:
    """`emulate --host 0.0.0.0` refuses with exit 2 and says how to allow it."""
    result = cli("emulate", "--host", "0.0.0.0")
    assert result.exit_code == 2
    assert "--allow-public" in result.stderr and "Traceback" not in result.stderr


def _lines_of(stream: Any) -> tuple[queue.Queue[str | None], threading.Thread]:
    """Feed a pipe's lines into a queue from a thread, so the test can wait with a timeout."""
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        for line in stream:
            lines.put(line)
        lines.put(None)

    thread = threading.Thread(target=pump, daemon=True)
    thread.start()
    return lines, thread


def _wait_for_base_url(lines: queue.Queue[str | None], timeout: float) -> str:
    deadline = time.monotonic() + timeout
    seen = []
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if line is None:
            break
        seen.append(line)
        match = re.search(r"Base URL:\s+(http://127\.0\.0\.1:\d+/v1)\s*$", line)
        if match:
            return match.group(1)
    raise AssertionError(f"no base URL printed within {timeout}s: {''.join(seen)!r}")


def test_ctrl_c_during_a_run_exits_130_without_a_traceback(fake_key: str) -> None:
    """Ctrl+C while a run waits on the network ends it with ExitCode.INTERRUPTED (130) and no traceback."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(20)
        port = listener.getsockname()[1]
        proc = subprocess.Popen(
            [sys.executable, "-m", "realtime_check", "run", "--base-url", f"http://127.0.0.1:{port}/v1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "OPENAI_API_KEY": fake_key},
        )
        try:
            conn, _ = listener.accept()  # the run is under way: it has connected and waits for an answer
            with conn:
                proc.send_signal(signal.SIGINT)
                _, stderr = proc.communicate(timeout=15)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert proc.returncode == ExitCode.INTERRUPTED == 130
    assert b"Traceback" not in stderr


@pytest.mark.parametrize("stop", ["ctrl-c", "terminate"])
def test_emulate_serves_on_a_real_port_and_stops_promptly(fake_key: str, stop: str) -> None:
    """`emulate --port 0` prints its base URL, answers /v1/models, and exits promptly and cleanly when stopped."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "realtime_check", "emulate", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    lines, pump = _lines_of(proc.stdout)
    try:
        base_url = _wait_for_base_url(lines, timeout=20)
        response = httpx.get(f"{base_url}/models", headers={"Authorization": f"Bearer {fake_key}"}, timeout=10)
        assert response.status_code == 200
        assert "gpt-realtime" in [m["id"] for m in response.json()["data"]]
        started = time.monotonic()
        if stop == "ctrl-c":
            proc.send_signal(signal.SIGINT)
        else:
            proc.terminate()
        code = proc.wait(timeout=10)
        assert time.monotonic() - started < 6
        assert code == 0  # SIGTERM (kill, timeout, process managers) stops as cleanly as Ctrl+C
        stderr = proc.stderr.read() if proc.stderr else ""
        assert "Traceback" not in stderr
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        pump.join(10)  # the pipe is at EOF once the process is gone; never close it under the reader
        for pipe in (proc.stdout, proc.stderr):
            if pipe:
                pipe.close()


# --- where the key comes from --------------------------------------------------------------------


def test_dotenv_in_the_working_directory_is_used(healthy: Emulator, fake_key: str) -> None:
    """A .env in the current directory supplies the key, shown with source dotenv:<path>, and it is sent."""
    Path(".env").write_text(f"OPENAI_API_KEY={fake_key}\n", encoding="utf-8")
    result = cli("run", "--base-url", healthy.base_url, "--only", "config,api_key", "--json")
    assert result.exit_code == 0, result.stdout
    setting = key_setting(result.stdout)
    assert setting["source"] == f"dotenv:{Path('.env').resolve()}"
    assert config_check(result.stdout)["details"]["key_source"].startswith("dotenv:")
    assert bearer_keys(healthy) == {fake_key}


def test_the_report_names_the_dotenv_file_even_when_the_shell_key_wins(healthy: Emulator, fake_key: str) -> None:
    """The JSON settings and the console header say which .env file was read, though the key came from the shell."""
    Path(".env").write_text(f"OPENAI_API_KEY={OTHER_FAKE_KEY}\n", encoding="utf-8")
    args = ("run", "--base-url", healthy.base_url, "--only", "config")
    result = cli(*args, "--json", env={"OPENAI_API_KEY": fake_key})
    settings = {s["name"]: s for s in json.loads(result.stdout)["target"]["settings"]}
    assert (settings["dotenv"]["value"], settings["dotenv"]["source"]) == (str(Path(".env").resolve()), "search")
    console = cli(*args, env={"OPENAI_API_KEY": fake_key}).stdout
    assert str(Path(".env").resolve()) in console or "./.env" in console


def test_a_dotenv_above_the_working_directory_outside_a_project_is_ignored(
    healthy: Emulator, fake_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outside a git project only ./.env is read: a stray .env in a parent folder supplies no key (exit 3)."""
    Path(".env").write_text(f"OPENAI_API_KEY={fake_key}\n", encoding="utf-8")
    Path("sub").mkdir()
    monkeypatch.chdir("sub")
    result = cli("run", "--base-url", healthy.base_url, "--only", "config", "--json")
    assert result.exit_code == 3
    assert config_check(result.stdout)["diagnosis"] == "key_missing"


def test_no_dotenv_ignores_the_file(healthy: Emulator, fake_key: str) -> None:
    """--no-dotenv ignores the .env file: no key is found and the run exits 3."""
    Path(".env").write_text(f"OPENAI_API_KEY={fake_key}\n", encoding="utf-8")
    result = cli("run", "--base-url", healthy.base_url, "--no-dotenv", "--only", "config", "--json")
    assert result.exit_code == 3
    assert config_check(result.stdout)["diagnosis"] == "key_missing"
    assert key_setting(result.stdout)["source"] == "unset"


def test_shell_key_shadowing_a_different_dotenv_key_warns(healthy: Emulator, fake_key: str) -> None:
    """A shell OPENAI_API_KEY that differs from .env wins and the config check warns key_shadowed_by_env."""
    Path(".env").write_text(f"OPENAI_API_KEY={OTHER_FAKE_KEY}\n", encoding="utf-8")
    result = cli(
        "run", "--base-url", healthy.base_url, "--only", "config,api_key", "--json", env={"OPENAI_API_KEY": fake_key}
    )
    config = config_check(result.stdout)
    assert (config["status"], config["diagnosis"]) == ("warn", "key_shadowed_by_env")
    assert key_setting(result.stdout)["source"] == "env:OPENAI_API_KEY"
    assert bearer_keys(healthy) == {fake_key}
    assert result.exit_code == 0  # a warning, not a failure


def test_api_key_flag_wins_over_the_environment(healthy: Emulator, fake_key: str) -> None:
    """--api-key overrides $OPENAI_API_KEY: its source is `flag` and it is the key that is sent."""
    result = cli(
        "run",
        "--base-url",
        healthy.base_url,
        "--api-key",
        fake_key,
        "--only",
        "config,api_key",
        "--json",
        env={"OPENAI_API_KEY": OTHER_FAKE_KEY},
    )
    assert result.exit_code == 0
    assert key_setting(result.stdout)["source"] == "flag"
    assert bearer_keys(healthy) == {fake_key}


# --- the last line of defence -------------------------------------------------------------------


RELAY_TOKEN = "FAKErelayTokenQ7zR2wM9tL4bN6cV8d"  # a gateway token: not shaped like an OpenAI key


@pytest.mark.parametrize(
    ("via", "key"),
    [
        ("env", FAKE_KEY),
        ("flag", FAKE_KEY),
        ("dotenv", FAKE_KEY),
        ("env", RELAY_TOKEN),
        ("flag", RELAY_TOKEN),
        ("dotenv", RELAY_TOKEN),
    ],
)
def test_internal_error_is_one_redacted_line_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], via: str, key: str
) -> None:
    """A bug that raises with the key in its message ends in one line without the key, and exit 1."""
    from realtime_check.checks import doctor

    def broken_run(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"kaboom while holding {key}")

    monkeypatch.setattr(doctor, "run", broken_run)
    argv = ["realtime-check", "run", "--base-url", "http://127.0.0.1:9/v1", "--json"]
    if via == "env":
        monkeypatch.setenv("OPENAI_API_KEY", key)
    elif via == "flag":
        argv += ["--api-key", key]
    else:
        Path(".env").write_text(f"OPENAI_API_KEY={key}\n", encoding="utf-8")
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as exit_info:
        cli_module.main()
    captured = capsys.readouterr()
    assert exit_info.value.code == 1
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("realtime-check: internal error: RuntimeError: kaboom")
    assert key not in captured.err + captured.out and "Traceback" not in captured.err
    assert not any(key[i : i + 8] in captured.err for i in range(8, len(key) - 7)), "no piece of the key either"


def test_emulate_tls_removes_its_throwaway_ca_when_terminated() -> None:
    """`emulate --tls` prints a CA file to trust and deletes it again when the process is terminated."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "realtime_check", "emulate", "--tls", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    lines, pump = _lines_of(proc.stdout)
    try:
        ca_file = None
        deadline = time.monotonic() + 20
        while ca_file is None and time.monotonic() < deadline:
            try:
                line = lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                break
            if line is None:  # the process ended before printing its CA file
                break
            match = re.search(r"CA file:\s+(\S+)\s*$", line)
            ca_file = match.group(1) if match else None
        assert ca_file is not None and Path(ca_file).is_file()
        proc.terminate()
        assert proc.wait(timeout=10) == 0
        assert not Path(ca_file).exists()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        pump.join(10)
        for pipe in (proc.stdout, proc.stderr):
            if pipe:
                pipe.close()
