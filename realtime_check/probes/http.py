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


def build_http_client(ssl_context: Any, proxy: str | None, timeout: float, *, transport: Any = None) -> Any:
    """The one HTTP client every REST check uses. `transport` replaces the network (tests pass a
    respx/MockTransport); everything else, the redirect policy above all, is the product's own."""
    import httpx

    try:
        import h2  # noqa: F401 - HTTP/2 lets the concurrent REST checks share one connection

        http2 = True
    except ImportError:
        http2 = False
    return httpx.AsyncClient(
        verify=ssl_context if ssl_context is not None else True,
        proxy=proxy,
        trust_env=False,  # proxies come from our own resolution of the same env vars
        http2=http2,
        follow_redirects=False,  # never carry Authorization to another host
        timeout=httpx.Timeout(timeout),
        headers={"Accept": "application/json"},
        transport=transport,
    )


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
    content: bytes | None = None,
    max_bytes: int,
    clock: Any = time.perf_counter,
) -> HttpExchange:
    """Send one request and read at most `max_bytes` of the body (then stop reading).

    `content` goes out byte for byte (an SDP offer must keep every CRLF); `json` is encoded by httpx.
    """
    started = clock()
    request = client.build_request(method, url, headers=dict(headers), json=json, content=content)
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
