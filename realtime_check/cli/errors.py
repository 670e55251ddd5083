"""The command line's edge: where errors become redacted lines and exit codes.

Click's own usage errors and any crash pass through here, so a key pasted in
the wrong place is never echoed and --json modes always get their document.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any, Protocol, TypeGuard

import typer
from typer.core import TyperGroup

from realtime_check import __version__
from realtime_check.exit_codes import EXIT_CODE_DESCRIPTIONS, ExitCode

# Secrets this process has read (e.g. from .env), so a crash message cannot echo them.
_RUN_SECRETS: list[str | None] = []


def remember_secret(secret: str | None) -> None:
    """Register a secret read during this run (e.g. from .env) with the crash handler."""
    _RUN_SECRETS.append(secret)


def machine_mode(json_: bool, json_lines: bool) -> str | None:
    return "json-lines" if json_lines else ("json" if json_ else None)


def emit_usage_document(message: str, mode: str | None) -> None:
    """In machine modes stdout still carries its one document: a report (or report event) with exit 2."""
    if mode is None:
        return
    from realtime_check.render.json_report import (
        SCHEMA_VERSION,
        dumps,
        usage_error_document,
    )

    document = usage_error_document(message, __version__)
    if mode == "json-lines":
        document = {"schema_version": SCHEMA_VERSION, "event": "report", "report": document}
    typer.echo(dumps(document))


def fail_usage(message: str, mode: str | None) -> None:
    """Exit 2 with the message; `mode` is "json", "json-lines" or None (see machine_mode)."""
    emit_usage_document(message, mode)
    from realtime_check.redact import Redactor

    # The message quotes the bad value, which may be a key pasted into the wrong flag.
    typer.echo(f"realtime-check: error: {Redactor().text(message)}", err=True)
    raise typer.Exit(int(ExitCode.USAGE))


class SafeGroup(TyperGroup):
    """The command group, with errors that end in redacted lines and a meaningful exit code.

    Click's own usage errors echo what was typed (a key pasted as an argument, say),
    so they are shown through the redactor, and in --json modes stdout still gets
    its one JSON document. A bug ends in one redacted line and exit 1, never a traceback.
    """

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        # Click's own signature, so the override is checked; windows_expand_args is passed on as given.
        if not standalone_mode:
            return super().main(
                args, prog_name, complete_var, standalone_mode=False, windows_expand_args=windows_expand_args, **extra
            )
        argv = list(sys.argv[1:] if args is None else args)
        mode = machine_mode("--json" in argv, "--json-lines" in argv)
        try:
            code = super().main(
                argv, prog_name, complete_var, standalone_mode=False, windows_expand_args=windows_expand_args, **extra
            )
        except KeyboardInterrupt:
            typer.echo("realtime-check: interrupted", err=True)
            sys.exit(int(ExitCode.INTERRUPTED))
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            redactor = _crash_redactor(argv)
            if _is_click_error(exc):
                emit_usage_document(redactor.text(exc.format_message()), mode)
                exc.show(file=_RedactingWriter(sys.stderr, redactor))
                sys.exit(exc.exit_code)
            if type(exc).__name__ == "Abort":
                typer.echo("realtime-check: aborted", err=True)
                sys.exit(int(ExitCode.INTERRUPTED))
            from realtime_check.sanitize import LONG, clean

            # An exception's text can quote a server: escaped and bounded like any server text.
            message = clean(f"{type(exc).__name__}: {exc}", redactor, LONG)
            if mode is not None:
                from realtime_check.render.json_report import (
                    dumps,
                    usage_error_document,
                )

                document = usage_error_document(f"internal error: {message}", __version__)
                document.update(exit_code=int(ExitCode.INTERNAL), exit_reason=EXIT_CODE_DESCRIPTIONS[ExitCode.INTERNAL])
                typer.echo(dumps(document))
            typer.echo(f"realtime-check: internal error: {message} (please report this)", err=True)
            sys.exit(int(ExitCode.INTERNAL))
        sys.exit(code if isinstance(code, int) else 0)


class _ClickError(Protocol):
    """What SafeGroup uses of Click's ClickException (Typer vendors Click in a private module)."""

    exit_code: int

    def format_message(self) -> str: ...

    # Click types `file` as IO[Any] but only echoes to it; we pass _RedactingWriter,
    # a duck-typed text stream that is not an IO subclass.
    def show(self, file: Any = None) -> None: ...


def _is_click_error(exc: BaseException) -> TypeGuard[_ClickError]:
    """Click's (Typer's vendored Click's) ClickException, matched by shape: no private import."""
    return hasattr(exc, "format_message") and hasattr(exc, "show") and isinstance(getattr(exc, "exit_code", None), int)


def _crash_redactor(args: list[str]):
    from realtime_check.redact import Redactor

    return Redactor(os.environ.get("OPENAI_API_KEY"), *_argv_secrets(args), *_RUN_SECRETS)


class _RedactingWriter:
    """A text stream that redacts everything written through it."""

    def __init__(self, stream, redactor) -> None:
        self._stream = stream
        self._redactor = redactor

    def write(self, text: str) -> int:
        return self._stream.write(self._redactor.text(text))

    def flush(self) -> None:
        self._stream.flush()

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def _argv_secrets(argv: list[str]) -> list[str]:
    """The value of --api-key, however it was written, so a crash message cannot echo it."""
    found = []
    for i, arg in enumerate(argv):
        if arg == "--api-key" and i + 1 < len(argv):
            found.append(argv[i + 1])
        elif arg.startswith("--api-key="):
            found.append(arg.split("=", 1)[1])
    return found
