"""The process entry point: run the command line, flush every output, and leave at once.

Tearing down the interpreter after the last byte (finalising some 500 modules, closing
sockets the run has already given up on) costs ~45 ms and changes nothing the user sees,
so once stdout and stderr are flushed the process exits with `os._exit`, keeping the exit
code contract. Every file the tool writes is closed before this point (atomic writes).
"""

from __future__ import annotations

import os
import sys

# 128 + SIGPIPE: what a shell reports for a writer whose reader went away (`| head`).
EXIT_BROKEN_PIPE = 141


def main() -> None:
    # Started with stdout or stderr closed (`>&-`): Python then has None there. Such a stream
    # is treated as /dev/null, so the run still happens and its exit code still says how it went.
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if sys.argv[1:] == ["--version"]:
        # Asked by scripts and CI before every step: answered without loading the command line.
        from realtime_check import __version__

        print(f"realtime-check {__version__}")
        os._exit(flush_outputs(0))
    from realtime_check.cli.app import main as run_cli

    try:
        run_cli()
        code = 0
    except SystemExit as exc:
        code = _exit_status(exc.code)
        if _reader_went_away():
            code = EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        from realtime_check.exit_codes import ExitCode

        code = int(ExitCode.INTERRUPTED)
    os._exit(flush_outputs(code))


def _exit_status(code: object) -> int:
    """What `sys.exit(code)` would make the exit status: None is 0, text is printed and 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    try:
        print(code, file=sys.stderr)
    except (OSError, ValueError):
        pass
    return 1


def _reader_went_away() -> bool:
    """Whether Click met a broken pipe (`| head`): it then wraps both streams to stay quiet and exits 1.

    That 1 would read as "the run failed"; the run is fine, its reader left, so the
    status is the one a shell gives a writer killed by SIGPIPE.
    """
    return any(type(stream).__name__ == "PacifyFlushWrapper" for stream in (sys.stdout, sys.stderr))


def flush_outputs(code: int) -> int:
    """Flush stdout and stderr; a reader that went away turns the status into 141, quietly."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except BrokenPipeError:
            code = code or EXIT_BROKEN_PIPE
        except (OSError, ValueError):
            pass  # a closed stream: nothing more can be said on it
    return code
