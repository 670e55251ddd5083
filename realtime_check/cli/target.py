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
    if (flags.get("provider") or "auto").strip().lower() not in settings_mod.PROVIDERS:
        raise UsageProblem(f"--provider must be one of {', '.join(settings_mod.PROVIDERS)}")
    dotenv_path: str | None
    dotenv_values: dict[str, str]
    try:
        if no_dotenv:
            dotenv_path, dotenv_values = None, {}
        elif env_file:
            dotenv_path, dotenv_values = settings_mod.read_dotenv_file(env_file)
        else:
            dotenv_path, dotenv_values = settings_mod.read_dotenv()
    except settings_mod.DotenvTooLarge as exc:
        raise UsageProblem(f"refusing to read the .env file: {exc} (use --env-file or --no-dotenv)") from exc
    try:
        settings = settings_mod.resolve(
            flags,
            dict(os.environ),
            dotenv_values,
            dotenv_path,
            timeout=timeout,
            ca_bundle=ca_bundle,
            # A .env chosen or refused by a flag is the user's explicit choice (shown as such in provenance).
            dotenv_source="flag" if (no_dotenv or env_file) else None,
        )
    except ValueError as exc:  # a URL urllib cannot even split ("http://[::1/v1")
        raise UsageProblem(f"the base URL is not a valid URL: {exc}") from exc
    check_urls(settings)
    return settings


def check_urls(settings: Any) -> None:
    """UsageProblem for a base or socket URL no client could use, or one carrying credentials."""
    from urllib.parse import urlsplit

    sources = {s.name: s.source for s in settings.provenance}
    for name, label, url in (
        ("base_url", "base URL", settings.base_url),
        ("ws_url", "WebSocket URL", settings.ws_url),
    ):
        where = f" (from {sources.get(name, 'default')})"
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises ValueError for a port above 65535 or not a number
        except ValueError as exc:
            raise UsageProblem(f"the {label}{where} is not a valid URL: {exc}") from exc
        if parts.username is not None or parts.password is not None:
            # httpx would send them as `Authorization: Basic`, in place of the API key.
            raise UsageProblem(
                f"the {label}{where} contains credentials (user:password@): they would be sent instead of "
                "the API key. Remove them; the key goes in OPENAI_API_KEY (or --api-key)."
            )
