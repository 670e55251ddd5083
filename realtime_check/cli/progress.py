"""Live progress while checks run: a spinner on stderr, only when stderr is a terminal.

Piped output and CI logs never see it, so stdout stays exactly the report.
"""

from __future__ import annotations

from typing import Any

from realtime_check.models import CheckResult, Status

_MARKS = {Status.PASS: "✓", Status.WARN: "!", Status.FAIL: "✗", Status.ERROR: "✗", Status.SKIP: "-"}


class Progress:
    def __init__(self, selected: list[str], *, enabled: bool) -> None:
        self._pending = list(selected)
        self._done: list[str] = []
        self._enabled = enabled
        self._status: Any = None

    def _text(self) -> str:
        done = " ".join(self._done)
        running = ", ".join(self._pending)
        return f"{done}  checking {running}…" if running else done

    def __enter__(self) -> Progress:
        if self._enabled:
            from rich.console import Console

            self._status = Console(stderr=True).status(self._text(), spinner="dots")
            self._status.__enter__()
        return self

    def update(self, result: CheckResult) -> None:
        if result.id in self._pending:
            self._pending.remove(result.id)
        self._done.append(f"{_MARKS[result.status]} {result.id}")
        if self._status is not None:
            self._status.update(self._text())

    def __exit__(self, *exc: object) -> None:
        if self._status is not None:
            self._status.__exit__(*exc)
