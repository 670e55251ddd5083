"""`--help` at 80 columns: nothing wider than the terminal, and no default cut off."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from rich.cells import cell_len


def help_text(*command: str) -> str:
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "realtime_check", *command, "--help"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.parametrize("command", [(), ("run",), ("demo",), ("explain",), ("emulate",)], ids=" ".join)
def test_help_fits_80_columns(command: tuple[str, ...]) -> None:
    """Each command's help stays within 80 columns."""
    assert max(cell_len(line) for line in help_text(*command).splitlines()) <= 80


@pytest.mark.parametrize(
    ("command", "defaults"),
    [
        (("run",), ["30.0", "fail", "auto"]),
        (("demo",), ["healthy", "fail"]),
    ],
)
def test_help_shows_every_default_whole(command: tuple[str, ...], defaults: list[str]) -> None:
    """Every `[default: …]` is printed whole on one line, and the defaults the help promises are there."""
    text = help_text(*command)
    shown = re.findall(r"\[default: ([^\]│]*)\]", text)
    assert text.count("[default:") == len(shown)
    assert set(defaults) <= {value.strip() for value in shown}
    # The defaults named in the words of the target options survive the wrapping too.
    if command == ("run",):
        flat = " ".join(text.replace("│", " ").split())
        for words in (
            "$OPENAI_API_KEY",
            "$OPENAI_BASE_URL or https://api.openai.com/v1",
            "gpt-realtime the key can see)",
        ):
            assert words in flat


def listing(*command: str) -> str:
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "realtime_check", *command],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.parametrize("command", [("checks",), ("emulate", "--list")], ids=" ".join)
def test_listings_fit_80_columns_without_cutting_words(command: tuple[str, ...]) -> None:
    """`checks` and `emulate --list` wrap their text at 80 columns instead of cutting it off with "…"."""
    text = listing(*command)
    assert max(cell_len(line) for line in text.splitlines()) <= 80
    if command == ("checks",):
        assert "…" not in text  # no "proves" text carries one of its own
    else:
        from realtime_check.emulator.scenarios import list_scenarios

        first_words = {line.split()[0] for line in text.splitlines() if line.startswith(" ") and line.split()}
        assert {s.name for s in list_scenarios()} <= first_words
