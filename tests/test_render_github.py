"""GitHub Actions output: annotations, step summary, step outputs, log groups and the files they go to."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import report_factory as factory

from realtime_check.render.github import (
    annotations,
    details_groups,
    escape_data,
    escape_property,
    format_outputs,
    group,
    outputs,
    step_summary,
    write_github,
)


def parse_output_file(text: str) -> dict[str, str]:
    """Read $GITHUB_OUTPUT the way the runner does (name=value or name<<DELIMITER blocks)."""
    values: dict[str, str] = {}
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line:
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, i + 1)
            values[name] = "\n".join(lines[i + 1 : end])
            i = end + 1
        elif "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
            i += 1
        else:
            i += 1
    return values


@pytest.mark.parametrize(
    ("raw", "data", "prop"),
    [
        ("50% done", "50%25 done", "50%25 done"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("x: y, z", "x: y, z", "x%3A y%2C z"),
        ("%0A", "%250A", "%250A"),
    ],
)
def test_escaping_follows_githubs_workflow_command_rules(raw: str, data: str, prop: str) -> None:
    """Data escapes %, CR and LF; properties also escape : and ,."""
    assert escape_data(raw) == data
    assert escape_property(raw) == prop


def test_failing_checks_become_error_annotations() -> None:
    """Each failed or errored check is one ::error line titled with its id, carrying advice and evidence."""
    lines = annotations(factory.failing_report())
    assert [line.split("::")[1] for line in lines] == [
        "error title=realtime-check%3A models",
        "error title=realtime-check%3A websocket",
        "error title=realtime-check%3A round_trip",
    ]
    first = lines[0]
    assert first.endswith("Request id: req_fail401")
    assert "%0A→ Check that OPENAI_API_KEY holds the whole key" in first
    assert "HTTP status: 401" in first and "Error code: invalid_api_key" in first
    assert "Close code: 3000" in lines[1]


def test_healthy_run_has_no_annotations() -> None:
    """A fully passing run adds nothing to the pull request."""
    assert annotations(factory.healthy_report()) == []


@pytest.mark.parametrize(
    ("report", "fail_on_warn", "level"),
    [
        (factory.warning_report(), None, "warning"),
        (factory.warning_report(), True, "error"),
        (factory.warning_report(strict=True), None, "error"),
    ],
    ids=["default", "fail-on-warn", "report-strict"],
)
def test_warnings_are_warnings_unless_they_fail_the_run(report: object, fail_on_warn: bool | None, level: str) -> None:
    """Warnings are ::warning, or ::error when warnings fail the run."""
    lines = annotations(report, fail_on_warn)  # type: ignore[arg-type]
    assert len(lines) == 2
    assert all(line.startswith(f"::{level} title=realtime-check%3A ") for line in lines)


def test_annotation_limits_and_the_notice_for_the_rest() -> None:
    """At most 10 errors and 10 warnings are printed, then one notice counts the dropped ones."""
    lines = annotations(factory.many_failures_report(12, 11))
    assert sum(line.startswith("::error ") for line in lines) == 10
    assert sum(line.startswith("::warning ") for line in lines) == 10
    assert lines[-1].startswith("::notice title=realtime-check::3 more annotations not shown")
    assert "fail_10" not in "".join(lines)


def test_hostile_text_cannot_break_out_of_an_annotation() -> None:
    """Newlines, % and property separators from the server are escaped so each annotation stays one command."""
    lines = annotations(factory.hostile_report())
    assert len(lines) == 2
    for line in lines:
        assert "\n" not in line and "\r" not in line and "\x1b" not in line
    title = lines[0].split("::")[1]
    assert title == "error title=realtime-check%3A weird id/with spaces%3Aand%2Ccommas"
    assert "50%25" in lines[0] and "%0A::error::injected" in lines[0]


def test_step_summary_has_verdict_table_and_explanations() -> None:
    """The summary heads with the verdict, lists every check, and explains each failure with its evidence."""
    report = factory.failing_report()
    text = step_summary(report)
    assert text.startswith("## ❌ realtime-check failed at models: the API rejected the key")
    table = text.split("\n\n")[2].splitlines()
    assert table[0] == "| Check | Status | Summary | Time |"
    assert [row.split(" | ")[0] for row in table[2:]] == [f"| {c.id}" for c in report.checks]
    assert "| models | ❌ fail | the API rejected the key (401 invalid_api_key) | 153.3 ms |" in text
    assert text.count("<details>") == 3  # two failures and the internal error
    assert "<details><summary>❌ <code>models</code>: the API rejected the key" in text
    assert "- Check that OPENAI_API_KEY holds the whole key" in text
    for fact in (
        "| HTTP status | 401 |",
        "| Error code | invalid_api_key |",
        "| Close code | 3000 (invalid_request_error.invalid_api_key) |",
        "| Request id | req_ws3000 |",
    ):
        assert fact in text


def test_step_summary_for_a_healthy_run() -> None:
    """A passing run gets a green verdict, a table and no problem blocks."""
    text = step_summary(factory.healthy_report())
    assert text.startswith("## ✅ realtime-check passed: 10 of 10 checks passed for gpt-realtime")
    assert "<details>" not in text


def test_step_summary_escapes_markup_from_the_server() -> None:
    """Server text cannot inject HTML, links or extra table columns into the summary."""
    text = step_summary(factory.hostile_report())
    assert "<script>" not in text and "\x1b" not in text
    row = next(line for line in text.splitlines() if line.startswith("| dns |"))
    assert len(re.findall(r"(?<!\\)\|", row)) == 5  # four cells, no more
    assert factory.FAKE_KEY not in text


@pytest.mark.parametrize(
    ("report", "expected"),
    [
        (
            factory.failing_report(),
            {"ok": "false", "exit_code": "5", "failed_check": "models", "diagnosis": "invalid_api_key"},
        ),
        (factory.healthy_report(), {"ok": "true", "exit_code": "0", "failed_check": "", "diagnosis": ""}),
        (factory.warning_report(), {"ok": "true", "exit_code": "0", "failed_check": "", "diagnosis": ""}),
        (
            factory.warning_report(strict=True),
            {"ok": "false", "exit_code": "3", "failed_check": "config", "diagnosis": "legacy_user_key"},
        ),
    ],
    ids=["failing", "healthy", "warning", "strict-warning"],
)
def test_outputs_name_the_first_failing_check(report: object, expected: dict[str, str]) -> None:
    """Outputs give ok, exit code, and the first check that failed the run with its diagnosis."""
    values = outputs(report)  # type: ignore[arg-type]
    assert {k: values[k] for k in expected} == expected
    assert values["summary"].startswith("realtime-check ")


def test_output_file_blocks_survive_hostile_values() -> None:
    """Multi-line values round-trip, and a value containing the delimiter gets a different one."""
    tokens = iter(["aaaa", "bbbb", "cccc"])
    text = format_outputs({"summary": "line1\nghadelimiter_aaaa\nok=true", "ok": "false"}, lambda: next(tokens))
    assert parse_output_file(text) == {"summary": "line1\nghadelimiter_aaaa\nok=true", "ok": "false"}
    assert "summary<<ghadelimiter_bbbb\n" in text


def test_group_fences_its_body_against_workflow_commands() -> None:
    """A log group stops command processing around its body, so echoed text cannot run commands."""
    text = group("realtime-check: models", "::error::injected\n::add-mask::x", token="tok123")
    assert text.splitlines() == [
        "::group::realtime-check: models",
        "::stop-commands::tok123",
        "::error::injected",
        "::add-mask::x",
        "::tok123::",
        "::endgroup::",
    ]


def test_details_groups_cover_checks_with_something_to_say() -> None:
    """Each check with details, advice or evidence gets a group holding its redacted details."""
    groups = details_groups(factory.failing_report(), token="t")
    titles = [g.splitlines()[0] for g in groups]
    assert "::group::realtime-check: models (fail)" in titles
    assert "::group::realtime-check: tcp (pass)" not in titles
    models = next(g for g in groups if "models (fail)" in g)
    assert '"Authorization": "Bearer ***"' in models and factory.FAKE_KEY not in models


def test_write_github_prints_and_appends(tmp_path: Path) -> None:
    """write_github prints annotations and appends the summary and outputs without clobbering earlier steps."""
    summary, output = tmp_path / "summary.md", tmp_path / "output"
    summary.write_text("earlier step\n", encoding="utf-8")
    output.write_text("previous=1\n", encoding="utf-8")
    stream = io.StringIO()
    env = {"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(output)}
    write_github(factory.failing_report(), env, stream)
    printed = stream.getvalue()
    assert printed.startswith("::error title=realtime-check%3A models::")
    assert "::group::realtime-check: models (fail)" in printed
    assert summary.read_text(encoding="utf-8").startswith("earlier step\n## ❌ realtime-check failed")
    values = parse_output_file(output.read_text(encoding="utf-8"))
    assert values["previous"] == "1" and values["failed_check"] == "models" and values["exit_code"] == "5"
    everything = printed + summary.read_text(encoding="utf-8") + output.read_text(encoding="utf-8")
    assert factory.FAKE_KEY not in everything and factory.FAKE_OTHER_KEY not in everything


def test_write_github_outside_actions_only_prints() -> None:
    """Without the GitHub file variables, write_github only prints annotations."""
    stream = io.StringIO()
    write_github(factory.warning_report(), {}, stream, details=False)
    assert stream.getvalue().count("\n") == 2


def test_unwritable_summary_becomes_a_warning(tmp_path: Path) -> None:
    """A summary path that cannot be written is reported as a ::warning instead of raising."""
    stream = io.StringIO()
    write_github(
        factory.healthy_report(), {"GITHUB_STEP_SUMMARY": str(tmp_path / "no" / "such.md")}, stream, details=False
    )
    assert stream.getvalue().startswith("::warning title=realtime-check::could not write $GITHUB_STEP_SUMMARY")
