"""What runs before the first byte and after the last: nothing heavy, nothing slow."""

from __future__ import annotations

import subprocess
import sys

import pytest

from realtime_check.cli import entry


def _imports_during(*args: str) -> str:
    """Every module the real process imports for these arguments (stderr of `python -X importtime`)."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "realtime_check", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return proc.stderr


def test_run_json_never_imports_pydantic() -> None:
    """`run --json` keeps pydantic out of the process: Typer's pydantic coercion is not on the path."""
    imported = _imports_during("run", "--json", "--base-url", "http://127.0.0.1:9/v1", "--timeout", "2")
    assert "realtime_check.checks.runner" in imported  # the run really happened
    assert "pydantic" not in imported


def test_version_is_answered_without_loading_the_command_line() -> None:
    """`--version`, run before every CI step, imports neither Typer nor rich."""
    imported = _imports_during("--version")
    assert "realtime_check.cli.entry" in imported
    assert "typer" not in imported and "rich" not in imported


def test_run_loads_httpx_without_its_command_line_tool() -> None:
    """The run imports httpx but not httpx._main (click, rich.progress, pygments), which it never uses."""
    imported = _imports_during("run", "--json", "--base-url", "http://127.0.0.1:9/v1", "--timeout", "2")
    assert "| httpx\n" in imported or "|   httpx\n" in imported or " httpx\n" in imported
    assert "httpx._main" not in imported


@pytest.mark.parametrize(("code", "status"), [(None, 0), (0, 0), (3, 3), (130, 130), (256 + 2, 2)])
def test_exit_status_follows_sys_exit(code: object, status: int) -> None:
    """The fast exit keeps sys.exit's meaning of its argument."""
    assert entry._exit_status(code) == status


def test_exit_status_of_a_message_is_1_and_the_message_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    """sys.exit("text") prints the text on stderr and exits 1, as the interpreter would."""
    assert entry._exit_status("gone wrong") == 1
    assert capsys.readouterr().err == "gone wrong\n"


def test_a_reader_that_went_away_is_exit_141(monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken pipe at the final flush is the shell's SIGPIPE status, not a traceback."""

    class Gone:
        def flush(self) -> None:
            raise BrokenPipeError

    monkeypatch.setattr(sys, "stdout", Gone())
    assert entry.flush_outputs(0) == entry.EXIT_BROKEN_PIPE
    assert entry.flush_outputs(3) == 3  # a run that already failed keeps its own code


def test_the_process_exit_code_survives_the_fast_exit() -> None:
    """The real process exits with the report's code (3: API unreachable) after printing one document."""
    proc = subprocess.run(
        [sys.executable, "-m", "realtime_check", "run", "--json", "--base-url", "http://127.0.0.1:9/v1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.stdout.count('"schema_version"') == 1 and proc.stdout.endswith("}\n")
    assert proc.returncode != 0
    import json

    assert json.loads(proc.stdout)["exit_code"] == proc.returncode
