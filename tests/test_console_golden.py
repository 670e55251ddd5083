"""The console report as a person reads it, pinned at 80 and 120 columns (NO_COLOR, piped).

The expected text lives in tests/golden/. After an intended change to the report, rewrite
them with `UPDATE_GOLDEN=1 python -m pytest tests/test_console_golden.py` and review the diff.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from report_factory import _passing_checks, build_report, failing_report, healthy_report
from rich.cells import cell_len

from realtime_check.cli.outputs import make_console
from realtime_check.models import Report
from realtime_check.render.console import print_report

GOLDEN = Path(__file__).parent / "golden"


def partial_report() -> Report:
    """`run --only config`: one check ran and passed, the rest of a full run did not run."""
    return build_report(
        _passing_checks()[:1],
        not_selected=("dns", "tcp", "tls", "models", "model", "client_secret", "websocket", "session", "round_trip"),
        duration_ms=3.0,
    )


REPORTS = {"passing": healthy_report, "failing": failing_report, "partial": partial_report}


def render(report: Report, columns: int, monkeypatch: pytest.MonkeyPatch) -> str:
    """The report as the CLI prints it to a pipe, with COLUMNS and NO_COLOR set."""
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.setenv("NO_COLOR", "1")
    stream = io.StringIO()
    print_report(make_console(stream), report)
    return stream.getvalue()


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("name", sorted(REPORTS))
def test_console_report_matches_golden(name: str, columns: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The passing, failing (with advice) and partial reports read exactly as pinned at 80 and 120 columns."""
    text = render(REPORTS[name](), columns, monkeypatch)
    path = GOLDEN / f"console_{name}_{columns}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("name", sorted(REPORTS))
def test_no_line_is_wider_than_the_terminal_or_ends_in_blanks(
    name: str, columns: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every line fits the width (in terminal cells) and carries no trailing blanks into a log."""
    lines = render(REPORTS[name](), columns, monkeypatch).splitlines()
    assert max(cell_len(line) for line in lines) <= columns
    assert [line for line in lines if line != line.rstrip()] == []


def test_passing_checks_take_one_line_each_at_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """At 80 columns no passing check wraps: each check's line is followed by the next check or the verdict."""
    lines = render(healthy_report(), 80, monkeypatch).splitlines()
    checks = lines[lines.index("") + 1 : -2]
    assert len(checks) == len(healthy_report().checks)
    assert all(line.startswith("[✓] ") for line in checks)


def test_long_summary_wraps_under_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    """A summary too long for the line continues under the summary column, not under the mark or the id."""
    lines = render(failing_report(), 80, monkeypatch).splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("[✗] websocket "))
    column = lines[first].index("server closed")
    assert lines[first + 1].startswith(" " * column) and lines[first + 1][column] != " "


def test_partial_run_does_not_claim_realtime_access(monkeypatch: pytest.MonkeyPatch) -> None:
    """A passing run that left checks out says what did not run instead of "Realtime access looks good"."""
    text = render(partial_report(), 120, monkeypatch)
    assert "looks good" not in text
    assert "The selected checks pass" in text and "not run (--only/--skip): dns, tcp" in text
    assert "Realtime access looks good" in render(healthy_report(), 120, monkeypatch)


def _demo(*args: str, columns: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    env["NO_COLOR"] = "1"
    if columns is not None:
        env["COLUMNS"] = columns
    proc = subprocess.run(
        [sys.executable, "-m", "realtime_check", "demo", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode in (0, 5, 6, 7), proc.stderr
    return proc.stdout


@pytest.mark.parametrize("scenario", ["healthy", "invalid-key", "quota", "rate-limited"])
def test_demo_at_80_columns_prints_no_wider_line(scenario: str) -> None:
    """`COLUMNS=80 NO_COLOR=1 realtime-check demo` never prints a line wider than 80 columns."""
    out = _demo("--scenario", scenario, "--response", columns="80")
    assert max(cell_len(line) for line in out.splitlines()) <= 80


def test_healthy_demo_fits_every_passing_check_on_one_line_at_80_columns() -> None:
    """In the healthy demo at 80 columns, opt-in checks included, each check is one line: nothing wraps."""
    lines = _demo("--deep", "--webrtc", columns="80").splitlines()
    assert lines[-1].startswith("Tokens spent: ")  # the paid response check: the last line says what it cost
    checks = lines[lines.index("") + 1 : -3]
    assert checks and all(line.startswith("[✓] ") for line in checks), checks


def test_piped_output_without_columns_is_80_wide() -> None:
    """Piped with COLUMNS unset, the report is laid out for 80 columns (not a fixed 100)."""
    lines = _demo("--scenario", "quota", columns=None).splitlines()
    assert 70 < max(cell_len(line) for line in lines) <= 80


def test_counts_read_as_words_not_placeholders() -> None:
    """One-line verdicts say "1 warning" / "2 warnings", never "warning(s)"."""
    from report_factory import warning_report

    from realtime_check.render._common import verdict

    assert "with 2 warnings:" in verdict(warning_report())
    one = build_report([_passing_checks()[0], *warning_report().checks[4:5]])
    assert "with 1 warning:" in verdict(one)


def test_partial_run_summary_line_names_what_did_not_run() -> None:
    """The one-line verdict of CI summaries (GitHub, GitLab) for a partial run says which checks did not run."""
    from realtime_check.render._common import verdict

    line = verdict(partial_report())
    assert line.startswith("realtime-check passed: 1 of 1 checks passed") and "not run: dns, tcp" in line
    assert "not run" not in verdict(healthy_report())


def test_a_long_url_in_a_summary_stays_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """A URL too long for the summary column is not folded mid-word: the summary continues under the id instead."""
    from report_factory import check

    from realtime_check.models import Status

    url = "https://platform.openai.com/docs/guides/error-codes/api-errors."
    failing = check(
        "client_secret",
        Status.FAIL,
        f"POST /v1/realtime/client_secrets: HTTP 429 — No credits or quota left: You exceeded your current quota, "
        f"please check your plan and billing details. For more information on this error, read the docs: {url}",
        diagnosis="insufficient_quota",
    )
    lines = render(build_report([_passing_checks()[0], failing]), 80, monkeypatch).splitlines()
    assert any(line.strip() == url for line in lines), lines
    assert max(cell_len(line) for line in lines) <= 80
