"""The terminal report: colour rules, glyph fallback, and what a problem line carries."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys

from rich.console import Console

from realtime_check.models import ApiError, CheckResult, Report, Setting, Status, Target
from realtime_check.render.console import print_report

ANSI = re.compile(r"\x1b\[[0-9;]*m")
COLOUR = re.compile(r"\x1b\[[0-9;]*(3[0-7]|9[0-7]|38;[25])[;m]")


def demo_output(**env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environ.update(env)
    proc = subprocess.run(
        [sys.executable, "-m", "realtime_check", "demo", "--only", "config"],
        capture_output=True,
        timeout=60,
        env=environ,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.decode(environ.get("PYTHONIOENCODING", "utf-8"), errors="replace")


def test_piped_output_has_no_escape_codes() -> None:
    """When stdout is not a terminal the report is plain text, fit for logs and grep."""
    assert not ANSI.search(demo_output())


def test_force_color_colours_piped_output() -> None:
    """FORCE_COLOR=1 keeps colour even through a pipe (CI logs that render ANSI)."""
    assert COLOUR.search(demo_output(FORCE_COLOR="1", TERM="xterm-256color"))


def test_no_color_wins_over_force_color() -> None:
    """NO_COLOR removes colour (bold may stay, as the NO_COLOR convention allows)."""
    assert not COLOUR.search(demo_output(FORCE_COLOR="1", NO_COLOR="1", TERM="xterm-256color"))


def test_ascii_terminal_gets_ascii_glyphs() -> None:
    """On a terminal that cannot encode ✓ the report falls back to ASCII marks instead of crashing."""
    out = demo_output(PYTHONIOENCODING="ascii")
    assert "[ok]" in out and "✓" not in out


def test_json_on_an_ascii_stdout_is_escaped_not_a_crash() -> None:
    """--json on an ASCII-only stdout still prints one valid JSON document (non-ASCII as \\u escapes)."""
    import json

    environ = {**os.environ, "PYTHONIOENCODING": "ascii"}
    proc = subprocess.run(
        [sys.executable, "-m", "realtime_check", "demo", "--only", "config", "--json"],
        capture_output=True,
        timeout=60,
        env=environ,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr
    proc.stdout.decode("ascii")  # nothing outside ASCII
    assert json.loads(proc.stdout)["target"]["key"].startswith("project key \u2026")


def _report(result: CheckResult) -> Report:
    target = Target(
        "https://api.openai.com/v1",
        "wss://api.openai.com/v1/realtime",
        "gpt-realtime",
        "project key …FAKE",
        (Setting("api_key", "project key …FAKE", "env:OPENAI_API_KEY"),),
    )
    return Report("0.1.0", "2026-11-24T00:00:00Z", 12.0, target, (result,), exit_code=5, ok=False)


def test_problem_line_shows_advice_and_evidence() -> None:
    """A failed check is followed by its advice and one line of evidence: diagnosis, HTTP status, code, request id."""
    result = CheckResult(
        "api_key",
        Status.FAIL,
        "GET /v1/models: HTTP 401 — API key rejected",
        duration_ms=40.0,
        http_status=401,
        error=ApiError("invalid_request_error", "invalid_api_key", "Incorrect API key provided", None),
        request_id="req_FAKE123",
        diagnosis="invalid_api_key",
        advice=("Create a new key.",),
    )
    stream = io.StringIO()
    print_report(Console(file=stream, width=120, color_system=None), _report(result))
    text = stream.getvalue()
    assert "Create a new key." in text
    assert "diagnosis: invalid_api_key · HTTP 401 · error code: invalid_api_key · request id: req_FAKE123" in text
    assert "exit 5" in text and "not working at api_key" in text


def test_verbose_shows_details_only_when_asked() -> None:
    """-v adds a check's details under it; without -v they stay out of the way."""
    result = CheckResult("network", Status.PASS, "api.openai.com → 1.2.3.4", details={"rest_proxy": "direct"})
    quiet, loud = io.StringIO(), io.StringIO()
    print_report(Console(file=quiet, width=120, color_system=None), _report(result))
    print_report(Console(file=loud, width=120, color_system=None), _report(result), verbose=True)
    assert "rest_proxy" not in quiet.getvalue()
    assert "rest_proxy: direct" in loud.getvalue()


def test_repeated_advice_is_referred_to_not_repeated() -> None:
    """When two checks fail for the same cause (an invalid key), the second points to the first's advice."""
    first = CheckResult("api_key", Status.FAIL, "HTTP 401", diagnosis="invalid_api_key", advice=("Create a new key.",))
    second = CheckResult("session", Status.FAIL, "HTTP 401", diagnosis="invalid_api_key", advice=("Create a new key.",))
    report = _report(first)
    report = Report(report.tool_version, report.started_at, 1.0, report.target, (first, second), exit_code=5, ok=False)
    stream = io.StringIO()
    print_report(Console(file=stream, width=120, color_system=None), report)
    text = stream.getvalue()
    assert text.count("Create a new key.") == 1
    assert "Same cause as api_key" in text
