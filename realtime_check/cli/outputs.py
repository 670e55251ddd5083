"""Where a finished report goes: terminal, JSON, JSON lines, JUnit, Prometheus, CI.

Chooses and calls the renderers; renderers themselves never decide where to write.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TextIO

from realtime_check.models import CheckResult, Report


@dataclass(frozen=True)
class OutputOptions:
    json: bool = False
    json_lines: bool = False
    verbose: bool = False
    junit_xml: str | None = None
    prometheus: str | None = None
    ci: str = "auto"  # auto | github | gitlab | none
    fail_on_warn: bool = False

    @property
    def machine(self) -> bool:
        """stdout belongs to a machine format: nothing else may be written there."""
        return self.json or self.json_lines


def ci_flavour(choice: str, env: Mapping[str, str]) -> str | None:
    if choice == "none":
        return None
    if choice in ("github", "gitlab"):
        return choice
    if env.get("GITHUB_ACTIONS") == "true":
        return "github"
    if env.get("GITLAB_CI") == "true":
        return "gitlab"
    return None


def on_github(choice: str, env: Mapping[str, str]) -> bool:
    """Whether stdout is read by GitHub's runner: --ci github, or any run inside GitHub Actions."""
    return choice == "github" or env.get("GITHUB_ACTIONS") == "true"


def github_fence() -> str:
    """A stop-commands token: random per run, so no server text can guess it and end the fence early."""
    import secrets

    return secrets.token_hex(16)


def speaks_unicode(stream: TextIO) -> bool:
    """Whether the stream can take any text (a C/ASCII locale or a legacy console cannot)."""
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
    return encoding.startswith(("utf-8", "utf8", "utf-16", "utf-32"))


def line_streamer(out: TextIO) -> Callable[[CheckResult], None]:
    """For --json-lines: one event per check, written the moment it finishes."""
    from realtime_check.render.json_report import check_event, dumps

    ascii_only = not speaks_unicode(out)

    def emit(result: CheckResult) -> None:
        out.write(dumps(check_event(result), ascii_only=ascii_only) + "\n")
        out.flush()

    return emit


def emit_report(
    report: Report,
    options: OutputOptions,
    env: Mapping[str, str],
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> list[str]:
    """Write every requested output. Returns the problems writing report files (one line each)."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    ascii_only = not speaks_unicode(stdout)
    if options.json_lines:
        from realtime_check.render.json_report import dumps, report_event

        stdout.write(dumps(report_event(report), ascii_only=ascii_only) + "\n")
    elif options.json:
        from realtime_check.render.json_report import dumps, report_to_dict

        stdout.write(dumps(report_to_dict(report), ascii_only=ascii_only) + "\n")
    else:
        from realtime_check.render.console import print_report

        # On GitHub Actions every stdout line is scanned for `::command::`; a wrapped line of
        # server text could start with one, so the whole report is fenced off from the runner.
        fence = github_fence() if on_github(options.ci, env) else None
        if fence:
            stdout.write(f"::stop-commands::{fence}\n")
        print_report(make_console(stdout), report, verbose=options.verbose)
        if fence:
            stdout.write(f"::{fence}::\n")
    stdout.flush()

    problems: list[str] = []
    if options.junit_xml:
        from realtime_check.render.junit import write_junit

        try:
            write_junit(options.junit_xml, report, fail_on_warn=options.fail_on_warn)
        except OSError as exc:
            problems.append(f"cannot write --junit-xml {options.junit_xml}: {exc.strerror or exc}")
    if options.prometheus:
        from realtime_check.render.prometheus import write_prometheus_report

        try:
            write_prometheus_report(options.prometheus, report)
        except OSError as exc:
            problems.append(f"cannot write --prometheus {options.prometheus}: {exc.strerror or exc}")

    flavour = ci_flavour(options.ci, env)
    # Workflow commands are read from stderr too, so machine formats keep stdout clean.
    ci_stream = stderr if options.machine else stdout
    if flavour == "github":
        from realtime_check.render.github import write_github

        write_github(report, env, ci_stream, fail_on_warn=options.fail_on_warn)
    elif flavour == "gitlab":
        from realtime_check.render.gitlab import write_gitlab

        write_gitlab(report, ci_stream)
    ci_stream.flush()
    return problems


def make_console(stream: TextIO):  # -> rich.console.Console
    from rich.console import Console

    if not speaks_unicode(stream) and hasattr(stream, "reconfigure"):
        # "…" and "·" in summaries become "?" rather than a crash on an ASCII terminal.
        stream.reconfigure(errors="replace")

    console = Console(file=stream, highlight=False, soft_wrap=False, width=output_width(stream, os.environ))
    # rich turns a broken pipe into exit 1, which would read as "the run failed"; the
    # command line's edge gives it the SIGPIPE status instead (cli/errors.py).
    console.on_broken_pipe = _broken_pipe  # type: ignore[method-assign]
    return console


def _broken_pipe() -> None:
    import errno

    raise BrokenPipeError(errno.EPIPE, "the reader of this output went away")


def output_width(stream: TextIO, env: Mapping[str, str]) -> int | None:
    """Columns to render for: rich's own choice on a terminal (COLUMNS, else the terminal's);
    when piped, COLUMNS if set, else 80, the width of most CI logs (not the terminal of stderr)."""
    if stream.isatty():
        return None
    columns = env.get("COLUMNS", "").strip()
    return int(columns) if columns.isdigit() and int(columns) > 0 else 80
