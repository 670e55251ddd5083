"""The one way tests run the command line in-process: the real Typer app, stdout and stderr kept apart."""

from __future__ import annotations

from typer.testing import CliRunner, Result

from realtime_check.cli.app import app


def cli(*args: str, env: dict[str, str] | None = None) -> Result:
    """Invoke `realtime-check ARGS`; an unexpected exception fails the test with its traceback."""
    result = CliRunner().invoke(app, list(args), env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result
