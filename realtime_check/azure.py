"""Azure OpenAI facts, pure: which hosts are Azure, the GA URL shapes, Entra tokens, realtime regions.

Sources: protocol.md §6 and protocol-update-2026-11.md §4 (which wins: the v1 Entra scope is
https://ai.azure.com/.default, C5). Nothing here does I/O or verifies a token.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit, urlunsplit

HOST_SUFFIXES = (".openai.azure.com", ".cognitiveservices.azure.com", ".services.ai.azure.com")
# The GA (v1) endpoint wants this audience; the older one is for dated api-versions (update C5).
ENTRA_SCOPE = "https://ai.azure.com/.default"
LEGACY_ENTRA_SCOPE = "https://cognitiveservices.azure.com/.default"
# Regions with global realtime deployments (protocol.md §6, the 2026 supported-deployments list).
REALTIME_REGIONS = ("eastus2", "swedencentral")
GA_PATH = "/openai/v1"

# /openai/realtime (the socket) or /openai/realtimeapi[/sessions] (minting), possibly with more appended.
_PREVIEW_PATH = re.compile(r"/openai/realtime(api)?(/|$)")
_JWT = re.compile(r"^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")


def is_azure_host(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host.endswith(HOST_SUFFIXES)


def ga_base_url(endpoint: str) -> str:
    """The GA REST base for an AZURE_OPENAI_ENDPOINT: https://res.openai.azure.com -> …/openai/v1.

    An endpoint that already names a path under /openai is kept as it is (the config check lints it).
    """
    endpoint = endpoint.strip()
    parts = urlsplit(endpoint)
    path = parts.path.rstrip("/")
    if path in ("", "/openai"):
        path = GA_PATH
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def looks_like_entra_token(token: str | None) -> bool:
    """An Entra access token is a JWT (three base64url parts, the header starting eyJ); keys are not."""
    return bool(token) and _JWT.match(token or "") is not None


def token_audience(token: str | None) -> str | None:
    """The `aud` claim of a JWT, read without verifying it, to tell a wrong scope (N15); never the token."""
    if not looks_like_entra_token(token):
        return None
    payload = (token or "").split(".")[1]
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, UnicodeDecodeError):
        return None
    aud = claims.get("aud") if isinstance(claims, dict) else None
    if isinstance(aud, list):
        aud = next((a for a in aud if isinstance(a, str)), None)
    if not isinstance(aud, str) or not aud.strip():
        return None
    return aud.strip()[:200]


def audience_is_v1(aud: str | None) -> bool:
    """Is this the audience the GA endpoint documents (https://ai.azure.com, with or without /.default)?"""
    return bool(aud) and (aud or "").rstrip("/").removesuffix("/.default") == "https://ai.azure.com"


@dataclass(frozen=True)
class PreviewUrl:
    """A deprecated preview-protocol URL and what it carried."""

    kind: str  # "websocket" (/openai/realtime) or "sessions" (/openai/realtimeapi/sessions)
    api_version: str | None
    deployment: str | None


def preview_url(url: str) -> PreviewUrl | None:
    """Recognise the preview URLs many samples still use (deprecated from 2026-04-30)."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/").lower()
    query = parse_qs(parts.query)
    version = next(iter(query.get("api-version", [])), None)
    deployment = next(iter(query.get("deployment", [])), None)
    match = _PREVIEW_PATH.search(path)
    # The preview socket always carried api-version; without it /openai/realtime is just a derived GA-less path.
    if match is None or (not match.group(1) and version is None and deployment is None):
        return None
    return PreviewUrl("sessions" if match.group(1) else "websocket", version, deployment)


def ga_urls_for(url: str, deployment: str | None) -> tuple[str, str]:
    """The GA REST base and socket URL that replace a preview URL on the same resource."""
    parts = urlsplit(url)
    scheme = "https" if parts.scheme in ("https", "wss") else "http"
    base = urlunsplit((scheme, parts.netloc, GA_PATH, "", ""))
    ws_scheme = "wss" if scheme == "https" else "ws"
    socket = urlunsplit((ws_scheme, parts.netloc, GA_PATH + "/realtime", f"model={deployment or '<deployment>'}", ""))
    return base, socket


def normalise_region(region: str | None) -> str | None:
    """x-ms-region comes as "East US 2" or "eastus2"; compare them in one form."""
    if not region:
        return None
    flat = re.sub(r"[^a-z0-9]", "", region.lower())
    return flat or None


def region_offers_realtime(region: str | None) -> bool | None:
    """Whether a region has realtime deployments; None when the region is unknown."""
    flat = normalise_region(region)
    if flat is None:
        return None
    return flat in REALTIME_REGIONS
