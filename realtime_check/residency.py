"""OpenAI's data-residency hosts: which region a base URL implies, and the host an error names.

Pure. A key of a region-pinned project works only on its region's host; the SDK knows seven
(`DataResidency` in openai-python 3.51.0; protocol-update-2026-11 §1.8).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

GLOBAL_HOST = "api.openai.com"
REGIONS: tuple[str, ...] = ("global", "us", "eu", "ae", "au", "in", "jp")

# "Attempted to access resource with incorrect regional hostname. Please make your request to us.api.openai.com"
_NAMED_HOST = re.compile(r"make your request to\s+(?:https?://)?((?:[a-z]{2}\.)?api\.openai\.com)\b", re.IGNORECASE)


def host_for(region: str) -> str:
    return GLOBAL_HOST if region == "global" else f"{region}.{GLOBAL_HOST}"


HOSTS: dict[str, str] = {host_for(region): region for region in REGIONS}


def _host(url: str) -> str:
    try:
        return (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return ""


def region_of(url: str) -> str | None:
    """The region of an OpenAI API URL ("global", "eu", ...), or None for any other host."""
    return HOSTS.get(_host(url))


def unknown_regional_host(url: str) -> str | None:
    """A host that looks like an OpenAI regional host but is none of the seven (a typo), else None."""
    host = _host(url)
    if host.endswith("." + GLOBAL_HOST) and host not in HOSTS:
        return host
    return None


def describe(region: str) -> str:
    """The region and its host, as the report header shows them."""
    if region == "global":
        return f"global ({GLOBAL_HOST}, no data residency)"
    return f"{region} ({host_for(region)})"


def named_host(message: str | None) -> str | None:
    """The host an `incorrect_hostname` message tells us to use, if it names one of the seven."""
    match = _NAMED_HOST.search(message or "")
    if match is None:
        return None
    host = match.group(1).lower()
    return host if host in HOSTS else None


def settings_for(host: str) -> tuple[str, str]:
    """The base URL and the socket base that point an app at `host`."""
    return f"https://{host}/v1", f"wss://{host}/v1"
