"""REST probes: build the request headers, send one request, read a capped body.

Redirects are never followed (httpx's default): a 3xx is reported instead, so
Authorization can never travel to another host.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from realtime_check.settings import Settings


@dataclass(frozen=True)
class HttpExchange:
    method: str
    url: str
    status: int
    headers: dict[str, str]  # lower-cased names
    body: bytes
    too_large: bool  # the body went past the cap and was not read to the end
    duration_ms: float
    # What was sent, for -v. Raw: show it only through Redactor.headers().
    request_headers: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def request_id(self) -> str | None:
        return self.headers.get("x-request-id") or self.headers.get("apim-request-id")

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


def user_agent() -> str:
    from realtime_check import __version__

    return f"realtime-check/{__version__}"


def auth_headers(settings: Settings, key: str, *, with_org: bool = True) -> dict[str, str]:
    """The headers an SDK would send: Bearer auth (api-key on Azure) and optional org/project."""
    headers = {"User-Agent": user_agent()}
    azure = settings.provider == "azure"
    if azure and not settings.entra_token and not key.startswith(("sk-", "ek_")):
        headers["api-key"] = key  # Azure resource keys; Entra tokens use Bearer
    else:
        headers["Authorization"] = f"Bearer {key}"
    if azure:
        return headers  # OpenAI-Organization/-Project mean nothing to Azure
    if with_org and settings.organization:
        headers["OpenAI-Organization"] = settings.organization
    if with_org and settings.project:
        headers["OpenAI-Project"] = settings.project
    return headers


def api_url(settings: Settings, path: str) -> str:
    """The endpoint under the base URL; a query on the base (Azure's api-version) stays a query."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(settings.base_url)
    full = parts.path.rstrip("/") + "/" + path.lstrip("/")
    return urlunsplit((parts.scheme, parts.netloc, full, parts.query, ""))


async def fetch(
    client: Any,
    method: str,
    url: str,
    *,
    headers: Mapping[str, str],
    json: Any = None,
    max_bytes: int,
    clock: Any = time.perf_counter,
) -> HttpExchange:
    """Send one request and read at most `max_bytes` of the body (then stop reading)."""
    started = clock()
    request = client.build_request(method, url, headers=dict(headers), json=json)
    response = await client.send(request, stream=True)
    try:
        chunks: list[bytes] = []
        size = 0
        too_large = False
        # Decoded bytes are counted, so a small gzip bomb cannot get past the cap.
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > max_bytes:
                too_large = True
                break
            chunks.append(chunk)
        body = b"".join(chunks)
    finally:
        await response.aclose()
    return HttpExchange(
        method=method,
        url=url,
        status=response.status_code,
        headers={k.lower(): v for k, v in response.headers.items()},
        body=body,
        too_large=too_large,
        duration_ms=(clock() - started) * 1000,
        request_headers=dict(headers),
    )
