"""Settings from flags, the environment and .env, resolved the same way for every command that calls the API."""

from __future__ import annotations

import os
from typing import Any

from realtime_check.cli.options import UsageProblem


def resolve_settings(
    flags: dict[str, Any],
    *,
    env_file: str | None,
    no_dotenv: bool,
    timeout: float,
    ca_bundle: str | None = None,
) -> Any:
    """Settings with provenance; UsageProblem when --env-file names no file."""
    from realtime_check import settings as settings_mod

    if env_file and not os.path.isfile(env_file):
        raise UsageProblem(f"--env-file {env_file!r} does not exist")
    dotenv_path: str | None
    dotenv_values: dict[str, str]
    if no_dotenv:
        dotenv_path, dotenv_values = None, {}
    elif env_file:
        dotenv_path, dotenv_values = settings_mod.read_dotenv_file(env_file)
    else:
        dotenv_path, dotenv_values = settings_mod.read_dotenv()
    return settings_mod.resolve(
        flags,
        dict(os.environ),
        dotenv_values,
        dotenv_path,
        timeout=timeout,
        ca_bundle=ca_bundle,
        # A .env chosen or refused by a flag is the user's explicit choice (shown as such in provenance).
        dotenv_source="flag" if (no_dotenv or env_file) else None,
    )
