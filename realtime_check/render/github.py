"""GitHub Actions output: annotations, the job step summary, step outputs and log groups.

Workflow commands are parsed from stdout, so every piece of server-provided text is
escaped (annotations) or fenced with ::stop-commands:: (log groups) before it is printed.
"""

# No `from __future__ import annotations` in this module, unlike the rest: it binds the
# name `annotations`, which here is a public function, and the checker then sees the
# function as a redefinition of that import. Every annotation below is valid at run
# time on Python 3.10, so nothing else changes.

import html
import secrets
from collections.abc import Callable, Mapping
from typing import TextIO

from realtime_check.exit_codes import counts_as_failure
from realtime_check.models import CheckResult, Report, Status
from realtime_check.render._common import (
    explain,
    facts,
    first_failure,
    milliseconds,
    plural,
    strip_controls,
    utf8_safe,
    verdict,
)
from realtime_check.render.json_report import check_to_dict, dumps, summary_counts

# GitHub shows at most 10 error and 10 warning annotations per step and drops the rest.
MAX_ANNOTATIONS = 10

STATUS_EMOJI = {
    Status.PASS: "✅",
    Status.WARN: "⚠️",
    Status.FAIL: "❌",
    Status.SKIP: "⏭️",
    Status.ERROR: "💥",
}


def escape_data(text: str) -> str:
    """Escape the message part of a workflow command (after the final `::`)."""
    return utf8_safe(strip_controls(text)).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value of a workflow command (title=..., file=...)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation_message(result: CheckResult) -> str:
    lines = [result.summary]
    lines.extend(f"→ {advice}" for advice in result.advice)
    evidence = [f"{label}: {value}" for label, value in facts(result) if label != "Error message"]
    if evidence:
        lines.append(" · ".join(evidence))
    return "\n".join(lines)


def _annotation(level: str, result: CheckResult) -> str:
    title = escape_property(f"realtime-check: {result.id}")
    return f"::{level} title={title}::{escape_data(_annotation_message(result))}"


def annotations(report: Report, fail_on_warn: bool | None = None) -> list[str]:
    """One `::error` per failing check and one `::warning` per warning, within GitHub's limits.

    With fail_on_warn (default: report.strict) warnings are errors. If some are
    dropped, a final `::notice` says how many and points to the step summary.
    """
    strict = report.strict if fail_on_warn is None else fail_on_warn
    errors = [c for c in report.checks if counts_as_failure(c, strict)]
    warnings = [c for c in report.checks if c.status is Status.WARN and not counts_as_failure(c, strict)]
    lines = [_annotation("error", c) for c in errors[:MAX_ANNOTATIONS]]
    lines += [_annotation("warning", c) for c in warnings[:MAX_ANNOTATIONS]]
    dropped = max(0, len(errors) - MAX_ANNOTATIONS) + max(0, len(warnings) - MAX_ANNOTATIONS)
    if dropped:
        lines.append(
            f"::notice title=realtime-check::{plural(dropped, 'more annotation')} not shown "
            f"(GitHub shows {MAX_ANNOTATIONS} errors and {MAX_ANNOTATIONS} warnings per step); see the job summary"
        )
    return lines


def _one_line(text: str) -> str:
    return " ".join(strip_controls(text).split())


def _md(text: str) -> str:
    """Inline Markdown text that cannot become markup, a link or a table break."""
    escaped = html.escape(_one_line(text), quote=False)
    for char in ("\\", "`", "[", "]", "|"):
        escaped = escaped.replace(char, "\\" + char)
    return escaped


def _html(text: str) -> str:
    """Text inside an HTML element (Markdown is not parsed there), newlines kept as <br>."""
    return html.escape(strip_controls(text)).replace("\r\n", "\n").replace("\n", "<br>")


def _time(ms: float | None) -> str:
    rounded = milliseconds(ms)
    return "—" if rounded is None else f"{rounded:.1f} ms"


def _check_block(result: CheckResult) -> list[str]:
    emoji = STATUS_EMOJI[result.status]
    lines = [f"<details><summary>{emoji} <code>{_html(result.id)}</code>: {_html(result.summary)}</summary>", ""]
    if result.diagnosis:
        lines += [f"**Diagnosis:** {_md(result.diagnosis)}", ""]
    if result.advice:
        lines += ["**What to do:**", ""] + [f"- {_md(a)}" for a in result.advice] + [""]
    evidence = facts(result)
    if evidence:
        lines += ["| | |", "|---|---|"] + [f"| {_md(label)} | {_md(value)} |" for label, value in evidence] + [""]
    lines += ["</details>", ""]
    return lines


def step_summary(report: Report) -> str:
    """The Markdown written to $GITHUB_STEP_SUMMARY: verdict, a table of checks, then each problem explained."""
    icon = "❌" if not report.ok else ("⚠️" if summary_counts(report)["warn"] else "✅")
    target = report.target
    about = f"Model {_md(target.model)} · {_md(target.base_url)} · key {_md(target.key)} · realtime-check {_md(report.tool_version)}"
    if report.demo:
        about += f" · demo scenario {_md(report.demo)}"
    lines = [f"## {icon} {_md(verdict(report))}", "", about, ""]
    if report.checks:
        lines += ["| Check | Status | Summary | Time |", "|---|---|---|---|"]
        for c in report.checks:
            lines.append(
                f"| {_md(c.id)} | {STATUS_EMOJI[c.status]} {c.status.value} | {_md(c.summary)} | {_time(c.duration_ms)} |"
            )
        lines.append("")
    for c in report.checks:
        if c.status in (Status.FAIL, Status.ERROR, Status.WARN):
            lines += _check_block(c)
    return utf8_safe("\n".join(lines)) + "\n"


def outputs(report: Report) -> dict[str, str]:
    """Step outputs: ok, exit_code, failed_check and diagnosis (first failing check, empty if none), summary."""
    culprit = first_failure(report)
    return {
        "ok": "true" if report.ok else "false",
        "exit_code": str(report.exit_code),
        "failed_check": culprit.id if culprit else "",
        "diagnosis": (culprit.diagnosis or "") if culprit else "",
        "summary": verdict(report),
    }


def format_outputs(values: Mapping[str, str], new_token: Callable[[], str] = lambda: secrets.token_hex(16)) -> str:
    """Lines for $GITHUB_OUTPUT in the `name<<DELIMITER` form, safe for any value.

    The delimiter is random so a value cannot end the block early and set other outputs.
    """
    chunks = []
    for name, value in values.items():
        value = utf8_safe(value)
        delimiter = f"ghadelimiter_{new_token()}"
        while delimiter in value:
            delimiter = f"ghadelimiter_{new_token()}"
        chunks.append(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
    return "".join(chunks)


def group(title: str, body: str, token: str | None = None) -> str:
    """A collapsible log group whose body cannot run workflow commands (it is fenced by ::stop-commands::)."""
    token = token or secrets.token_hex(16)
    return (
        f"::group::{escape_data(title)}\n"
        f"::stop-commands::{token}\n"
        f"{utf8_safe(strip_controls(body))}\n"
        f"::{token}::\n"
        f"::endgroup::"
    )


def details_groups(report: Report, token: str | None = None) -> list[str]:
    """One collapsed log group per check that has more to say than its summary line."""
    out = []
    for c in report.checks:
        if not (c.diagnosis or c.advice or facts(c) or c.details):
            continue
        body = explain(c)
        if c.details:
            body += "\nDetails:\n" + dumps(check_to_dict(c)["details"], indent=2)
        out.append(group(f"realtime-check: {c.id} ({c.status.value})", body, token))
    return out


def _append(path: str, text: str) -> None:
    with open(path, "a", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def write_github(
    report: Report,
    env: Mapping[str, str],
    stream: TextIO,
    *,
    fail_on_warn: bool | None = None,
    details: bool = True,
) -> None:
    """Print annotations (and detail groups) to `stream`; append to $GITHUB_STEP_SUMMARY and $GITHUB_OUTPUT.

    A summary or output file that cannot be written becomes a `::warning`, not an
    exception: the run's verdict must not change because a CI file was unwritable.
    """
    lines = annotations(report, fail_on_warn)
    if details:
        lines += details_groups(report)
    for line in lines:
        print(line, file=stream)
    for variable, text in (
        ("GITHUB_STEP_SUMMARY", step_summary(report)),
        ("GITHUB_OUTPUT", format_outputs(outputs(report))),
    ):
        path = env.get(variable)
        if not path:
            continue
        try:
            _append(path, text)
        except OSError as exc:
            message = f"could not write ${variable} ({path}): {exc.strerror or exc}"
            print(f"::warning title=realtime-check::{escape_data(message)}", file=stream)
