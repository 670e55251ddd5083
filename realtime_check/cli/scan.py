"""`realtime-check scan`: flags in, one scan, the chosen outputs, the exit code. The work is in realtime_check.scan."""

from __future__ import annotations

import io
import os
import secrets
import sys
from pathlib import Path
from typing import Annotated

import typer

from realtime_check.exit_codes import EXIT_CODE_DESCRIPTIONS, SCAN_LEVELS, ExitCode

SCAN_EPILOG = (
    "Exit codes:\n\n"
    + f"{int(ExitCode.OK)}  no finding at or above --fail-on\n\n"
    + "\n\n".join(
        f"{int(code)}  {EXIT_CODE_DESCRIPTIONS[code]}"
        for code in (ExitCode.FINDINGS, ExitCode.USAGE, ExitCode.INTERNAL)
    )
    # `\\[` keeps rich (the help renderer) from reading [rule-id] as markup.
    + "\n\nSilence a finding with a `realtime-check: ignore\\[rule-id]` comment on its line, or list paths in"
    " .realtime-check-ignore (.gitignore syntax, optionally followed by rule ids)."
)


class _Usage(Exception):
    pass


def register(app: typer.Typer) -> None:
    """Add the `scan` command to the application."""
    app.command("scan", epilog=SCAN_EPILOG)(scan)


def explain_scan_rule(term: str, json_: bool) -> bool:
    """`explain <rule-id>` for a scan rule; False if `term` is not one (it is then a diagnosis)."""
    from realtime_check.scan.explain import lookup, print_rule, rule_to_dict

    rule = lookup(term)
    if rule is None:
        return False
    if json_:
        from realtime_check.render.json_report import SCHEMA_VERSION, dumps

        # The same document as `explain <diagnosis> --json`, with the rule as its one match.
        typer.echo(dumps({"schema_version": SCHEMA_VERSION, "term": term, "matches": [rule_to_dict(rule)]}, indent=2))
    else:
        from realtime_check.cli.outputs import make_console

        print_rule(make_console(sys.stdout), rule)
    return True


def scan(
    paths: Annotated[
        list[str] | None, typer.Argument(help="Folders or files to scan (default: the current folder).")
    ] = None,
    json_: Annotated[
        bool, typer.Option("--json", help="Print one JSON document (schema_version 1) on stdout.")
    ] = False,
    sarif: Annotated[
        str | None, typer.Option("--sarif", help="Write SARIF 2.1.0 to this path, for GitHub code scanning.")
    ] = None,
    diff: Annotated[
        bool, typer.Option("--diff", help="Print the mechanical fixes as a unified diff (no file is changed).")
    ] = False,
    fail_on: Annotated[
        str, typer.Option("--fail-on", help="Lowest severity that fails: error, warning, note or none.")
    ] = "error",
    ci: Annotated[str, typer.Option("--ci", help="CI integration: auto, github or none.")] = "auto",
    max_files: Annotated[int, typer.Option("--max-files", help="Stop after this many files.")] = 100_000,
) -> None:
    """Find retired Realtime API patterns in code and config (beta header, endpoints, events, models, keys)."""
    from realtime_check.scan.engine import ScanUsageError
    from realtime_check.scan.engine import scan as run_scan

    try:
        _check_options(json_, diff, fail_on, ci, max_files)
        report = run_scan(paths or ["."], cwd=Path.cwd(), max_files=max_files)
    except (_Usage, ScanUsageError) as exc:
        _fail_usage(str(exc), json_)
    code = _exit_code(report, fail_on)
    problems = []
    if sarif:
        problems += _write_sarif(sarif, report)
    github = ci == "github" or (ci == "auto" and os.environ.get("GITHUB_ACTIONS") == "true")
    _emit(report, code, json_=json_, diff=diff, github=github)
    for problem in problems:
        typer.echo(f"realtime-check: error: {problem}", err=True)
    raise typer.Exit(int(code) or (int(ExitCode.USAGE) if problems else 0))


def _check_options(json_: bool, diff: bool, fail_on: str, ci: str, max_files: int) -> None:
    if fail_on not in (*SCAN_LEVELS, "none"):
        raise _Usage(f"--fail-on must be error, warning, note or none, not {fail_on!r}")
    if ci not in ("auto", "github", "none"):
        raise _Usage(f"--ci must be auto, github or none, not {ci!r}")
    if json_ and diff:
        raise _Usage("--json and --diff cannot be combined")
    if max_files < 1:
        raise _Usage("--max-files must be at least 1")


def _fail_usage(message: str, json_: bool) -> None:
    from realtime_check.redact import Redactor

    message = Redactor().text(message)
    if json_:
        from realtime_check.render.json_report import dumps

        typer.echo(dumps({"schema_version": 1, "kind": "scan", "error": message, "exit_code": int(ExitCode.USAGE)}))
    typer.echo(f"realtime-check: error: {message}", err=True)
    raise typer.Exit(int(ExitCode.USAGE))


def _exit_code(report, fail_on: str) -> ExitCode:
    from realtime_check.exit_codes import for_findings

    return for_findings((f.severity.value for f in report.findings), fail_on)


def _write_sarif(path: str, report) -> list[str]:
    from realtime_check.render._common import atomic_write_text
    from realtime_check.render.json_report import dumps
    from realtime_check.scan.report_json import report_to_sarif

    try:
        atomic_write_text(path, dumps(report_to_sarif(report), indent=2) + "\n")
    except OSError as exc:
        return [f"cannot write --sarif {path}: {exc.strerror or exc}"]
    return []


def _emit(report, code: ExitCode, *, json_: bool, diff: bool, github: bool) -> None:
    """stdout gets the JSON document, the diff or the text report; GitHub annotations go last (to stderr with --json)."""
    from realtime_check.cli.outputs import make_console, speaks_unicode

    stdout = sys.stdout
    if not speaks_unicode(stdout) and hasattr(stdout, "reconfigure"):
        # Quoted code and "…" become "?" on an ASCII terminal or log rather than a crash.
        stdout.reconfigure(errors="replace")
    if json_:
        from realtime_check.render.json_report import dumps
        from realtime_check.scan.report_json import report_to_dict

        stdout.write(dumps(report_to_dict(report, int(code)), indent=2, ascii_only=not speaks_unicode(stdout)) + "\n")
    elif diff or github:
        if diff:
            from realtime_check.scan.diff import unified_diff

            body = unified_diff(Path(report.root), report.findings)
        else:
            from realtime_check.scan.report_text import print_scan

            buffer = io.StringIO()
            print_scan(make_console(buffer), report)
            body = buffer.getvalue()
        if github:
            # The report quotes the scanned files; in a GitHub log a line of theirs must not run as a command.
            token = secrets.token_hex(16)
            body = f"::stop-commands::{token}\n{body}::{token}::\n"
        stdout.write(body)
    else:
        from realtime_check.scan.report_text import print_scan

        print_scan(make_console(stdout), report)
    if github:
        from realtime_check.scan.annotations import annotation_lines

        stream = sys.stderr if json_ else stdout
        stream.write("".join(line + "\n" for line in annotation_lines(report.findings)))
        stream.flush()
    stdout.flush()
