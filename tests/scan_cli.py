"""Running the real `realtime-check scan` in its own process, as CI and pre-commit do."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

APPS = Path(__file__).resolve().parent / "scan_apps"


def run_scan(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "realtime_check", "scan", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def copy_app(name: str, into: Path) -> Path:
    """A copy of an example app outside this repository, so its .realtime-check-ignore does not apply."""
    target = into / name
    shutil.copytree(APPS / name, target, ignore=shutil.ignore_patterns("*.expect"))
    return target
