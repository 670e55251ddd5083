"""Run the checks with live progress, emit every requested output, exit with the run's code.

Shared by `run`, `demo` and `relay`, which differ only in the settings and options they build.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import typer

from realtime_check.exit_codes import ExitCode


def execute(
    settings: Any, out: Any, selected: list[str], options: Any, demo: str | None = None, redactor: Any = None
) -> None:
    """Never returns: raises typer.Exit with the report's exit code. `redactor`: one that knows extra secrets."""
    from realtime_check.checks import doctor
    from realtime_check.cli.outputs import emit_report, line_streamer
    from realtime_check.cli.progress import Progress

    quiet_library_loggers()
    streamer = line_streamer(sys.stdout) if out.json_lines else None
    with Progress(selected, enabled=sys.stderr.isatty() and not os.environ.get("CI")) as progress:

        def on_result(result: Any) -> None:
            progress.update(result)
            if streamer:
                streamer(result)

        report = doctor.run(
            settings,
            options,
            selected,
            fail_on_warn=out.fail_on_warn,
            on_result=on_result,
            demo=demo,
            redactor=redactor,
        )
    problems = emit_report(report, out, os.environ)
    for problem in problems:
        typer.echo(f"realtime-check: error: {problem}", err=True)
    # A report file that could not be written fails an otherwise green run (usage:
    # the path is wrong); a failing run keeps the code that says why it failed.
    code = report.exit_code or (int(ExitCode.USAGE) if problems else 0)
    raise typer.Exit(code)


def quiet_library_loggers() -> None:
    """asyncio, websockets and aiohttp log connection chatter (e.g. Python 3.10's 'returning true
    from eof_received()' on a refused TLS handshake); with no handler Python prints it to stderr.
    What matters is already in the report, so it must not corrupt the output."""
    import logging

    for name in ("asyncio", "websockets", "aiohttp"):
        logging.getLogger(name).addHandler(logging.NullHandler())
