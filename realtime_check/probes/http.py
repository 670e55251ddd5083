"""REST probes: build the request headers, send one request, read a capped body.

Redirects are never followed (httpx's default): a 3xx is reported instead, so
Authorization can never travel to another host. Bodies are decoded here, not by
httpx, so the cap counts decompressed bytes as they are produced: httpx inflates
each chunk whole, and 1 kB of `gzip, gzip` is half a gigabyte.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from realtime_check.settings import Settings
from realtime_check.timings import HttpTrace


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
    # Phase by phase (realtime_check.timings): dns, tcp, tls, ttfb, total, reused_connection.
    timings: dict[str, Any] = field(default_factory=dict)

    @property
    def request_id(self) -> str | None:
        return self.headers.get("x-request-id") or self.headers.get("apim-request-id")

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


def import_httpx() -> Any:
    """httpx, without its command-line tool.

    httpx's package imports `httpx._main` (its CLI: click, rich.progress, pygments) whenever
    click is installed, as it is in many environments; that costs tens of milliseconds
    before our first byte and is never used here. A placeholder module stands in for it.
    """
    import sys
    import types

    if "httpx" not in sys.modules and "httpx._main" not in sys.modules:
        placeholder = types.ModuleType("httpx._main")
        placeholder.main = _no_httpx_cli  # type: ignore[attr-defined]
        sys.modules["httpx._main"] = placeholder
    import httpx

    return httpx


def _no_httpx_cli() -> None:
    raise RuntimeError("httpx's command line is not loaded inside realtime-check")


def build_http_client(ssl_context: Any, proxy: str | None, timeout: float, *, transport: Any = None) -> Any:
    """The one HTTP client every REST check uses. `transport` replaces the network (tests pass a
    respx/MockTransport); everything else, the redirect policy above all, is the product's own.

    HTTP/1.1, not HTTP/2: the checks' requests start together, and against a server that
    turns out to speak HTTP/1.1 an h2-enabled client queues the second request on the first
    connection until ALPN says no (+2 RTT); against an h2 server the shared connection saves a
    handshake's CPU, never a round trip (measured on bench/bench_network.py's modelled network).
    """
    httpx = import_httpx()
    try:
        return _client(httpx, ssl_context, proxy, timeout, transport)
    except httpx.InvalidURL as exc:  # a proxy URL httpx cannot parse: a configuration problem, like the others
        raise ValueError(f"invalid proxy URL: {exc}") from exc


def _client(httpx: Any, ssl_context: Any, proxy: str | None, timeout: float, transport: Any) -> Any:
    return httpx.AsyncClient(
        # Without a context (no URL of this run is TLS) httpx would load a CA store it never
        # uses; a bare context that trusts no CA verifies nothing, so it fails closed.
        verify=ssl_context if ssl_context is not None else _trusts_nothing(),
        proxy=proxy,
        trust_env=False,  # proxies come from our own resolution of the same env vars
        http2=False,
        follow_redirects=False,  # never carry Authorization to another host
        timeout=httpx.Timeout(timeout),
        headers={"Accept": "application/json"},
        transport=transport,
    )


def _trusts_nothing() -> Any:
    import ssl

    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # CERT_REQUIRED and hostname checks, no CA loaded


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
    trace = HttpTrace(clock)
    # Only codings we can inflate a step at a time are asked for (no br or zstd).
    request = client.build_request(
        method,
        url,
        headers={"Accept-Encoding": ACCEPTED_CODINGS, **headers},
        json=json,
        content=content,
        extensions={"trace": trace},
    )
    response = await client.send(request, stream=True)
    try:
        if response.is_stream_consumed:
            # Already read into memory (a mocked transport): nothing left to bound but the size.
            reader = CappedBody("", max_bytes)
            reader.feed(response.content)
        else:
            reader = CappedBody(response.headers.get("content-encoding", ""), max_bytes)
            async for chunk in response.aiter_raw():
                if not reader.feed(chunk):
                    break
        body, too_large = reader.body, reader.too_large
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
        timings=trace.phases(started, clock()),
    )


ACCEPTED_CODINGS = "gzip, deflate"
# Inflate at most this much per step, so one small compressed chunk cannot become a huge string.
_STEP = 64 * 1024


class CappedBody:
    """A response body decoded as it streams in, stopping once `max_bytes` of decoded data are exceeded.

    Every coding layer (`Content-Encoding: gzip, gzip` has two) inflates in bounded
    steps; raw bytes count against the cap too. A coding that cannot be decoded this
    way leaves the body as it came (capped), which then reads as unusable.
    """

    def __init__(self, content_encoding: str, max_bytes: int) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        self._layers: list[Any] | None = []
        for coding in reversed(codings):  # listed in the order they were applied
            if coding in ("gzip", "x-gzip"):
                self._layers.append(zlib.decompressobj(zlib.MAX_WBITS | 16))
            elif coding == "deflate":
                self._layers.append(_Deflate())
            else:
                self._layers = None  # br, zstd, anything else: not decoded
                break
        self._max = max_bytes
        self._chunks: list[bytes] = []
        self._size = 0
        self._raw = 0
        self.too_large = False

    @property
    def body(self) -> bytes:
        return b"".join(self._chunks)

    def feed(self, raw: bytes) -> bool:
        """Take the next raw chunk; False once the cap is passed (stop reading)."""
        self._raw += len(raw)
        if self._raw > self._max:
            self.too_large = True
        elif self._layers is None or not self._layers:
            self._keep(raw)
        else:
            try:
                self._inflate(0, raw)
            except zlib.error:
                self._layers = None  # corrupt: what was decoded so far is the body
        return not self.too_large

    def _keep(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._max:
            self.too_large = True
        else:
            self._chunks.append(data)

    def _inflate(self, level: int, data: bytes) -> None:
        assert self._layers is not None
        if level == len(self._layers):
            self._keep(data)
            return
        layer = self._layers[level]
        while data and not self.too_large and not layer.eof:
            out = layer.decompress(data, _STEP)
            data = layer.unconsumed_tail
            if out:
                self._inflate(level + 1, out)


class _Deflate:
    """`deflate` as servers send it: zlib-wrapped per the RFC, or raw (what many actually send)."""

    def __init__(self) -> None:
        self._inner = zlib.decompressobj()
        self._first = True

    @property
    def eof(self) -> bool:
        return self._inner.eof

    @property
    def unconsumed_tail(self) -> bytes:
        return self._inner.unconsumed_tail

    def decompress(self, data: bytes, max_length: int) -> bytes:
        if self._first:
            self._first = False
            try:
                return self._inner.decompress(data, max_length)
            except zlib.error:
                self._inner = zlib.decompressobj(-zlib.MAX_WBITS)
        return self._inner.decompress(data, max_length)
