"""The network probe: DNS, TCP, proxy CONNECT and TLS to the API host, each step timed.

Every step is bounded by what is left of one overall timeout, so a black-holed
address or a silent proxy ends in a diagnosis, never a hang (docs/failures.md S1–S3).
"""

from __future__ import annotations

import asyncio
import base64
import errno
import re
import socket
import ssl
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from realtime_check.diagnosis import certificates
from realtime_check.models import Finding, Status
from realtime_check.network_facts import Address, NetworkProbe, Step, TLSInfo
from realtime_check.probes import tls as tlsmod
from realtime_check.probes.proxies import basic_credentials, display_proxy

Resolver = Callable[..., Awaitable[list[Any]]]
OpenConnection = Callable[..., Awaitable[tuple[asyncio.StreamReader, asyncio.StreamWriter]]]

_UNREACHABLE_ERRNOS = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EADDRNOTAVAIL, errno.ENETDOWN, errno.EHOSTDOWN}
# When every address fails, the most telling failure names the problem: an
# IPv6 "network unreachable" on an IPv4-only host is noise next to an IPv4 timeout.
_TCP_RANK = ("tcp_refused", "tcp_reset", "tcp_timeout", "host_unreachable")
_STATUS_LINE = re.compile(r"^HTTP/\d(?:\.\d)? (\d{3})(?: (.*))?$")
_MAX_CONNECT_RESPONSE = 16 * 1024


class _Failed(Exception):
    """A step failed: unwinds the probe carrying its Finding to the one place that builds the result."""

    def __init__(
        self, diagnosis: str, message: str, exc: BaseException | None = None, status: Status = Status.FAIL
    ) -> None:
        super().__init__(message)
        self.finding = Finding(diagnosis, status, message)
        self.exception_type = type(exc).__name__ if exc is not None else None


@dataclass
class _Run:
    """Mutable state of one probe: the deadline, the clock and what each step found."""

    deadline: float
    clock: Callable[[], float]
    timeout: float
    steps: list[Step] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    resolved_host: str | None = None
    connected_to: str | None = None
    tls: TLSInfo | None = None
    writers: list[Any] = field(default_factory=list)

    def left(self) -> float:
        return self.deadline - asyncio.get_running_loop().time()

    def record(self, name: str, ok: bool | None, started: float | None, detail: str) -> None:
        ms = None if started is None else round((self.clock() - started) * 1000, 1)
        self.steps.append(Step(name, ok, ms, detail))

    async def bounded(self, awaitable: Awaitable[Any], share: float = 1.0) -> Any:
        """Await within `share` of the time left; raises asyncio.TimeoutError past it."""
        left = self.left()
        if left <= 0:
            if hasattr(awaitable, "close"):
                awaitable.close()  # an un-awaited coroutine would warn
            raise TimeoutError
        return await asyncio.wait_for(awaitable, left * share)


async def probe_network(
    url: str,
    *,
    ssl_context: ssl.SSLContext | None,
    proxy: str | None,
    timeout: float,
    resolver: Resolver | None = None,
    open_connection: OpenConnection = asyncio.open_connection,
    clock: Callable[[], float] = time.perf_counter,
) -> NetworkProbe:
    """Probe the host of `url` (https/wss: with TLS) directly or through `proxy`.

    `clock` times the steps; the overall `timeout` runs on the event loop's own
    clock, so a fake clock in tests can never stretch it.
    """
    parts = _target(url)
    if parts is None:
        return NetworkProbe(
            url=url, host="", port=0, tls_expected=False, message=f"not a URL the probe can use: {url!r}"
        )
    scheme, host, port = parts
    tls_expected = scheme in ("https", "wss")
    loop = asyncio.get_running_loop()
    run = _Run(deadline=loop.time() + timeout, clock=clock, timeout=timeout)
    resolve = resolver or _getaddrinfo_in_daemon_thread
    proxy_display = display_proxy(proxy) if proxy else None
    proxy_kind = _proxy_kind(proxy) if proxy else None
    if tls_expected and ssl_context is None:
        ssl_context = ssl.create_default_context()

    failure: _Failed | None = None
    try:
        if proxy:
            await _via_proxy(run, proxy, host, port, tls_expected, ssl_context, resolve, open_connection)
        else:
            reader_writer = await _resolve_and_connect(run, host, port, resolve, open_connection)
            if tls_expected:
                assert ssl_context is not None
                ip = run.connected_to or host
                await _handshake(run, reader_writer[1], ssl_context, host, lambda: open_connection(ip, port))
    except _Failed as exc:
        failure = exc
    except Exception as exc:  # a bug in the probe becomes a result, not a traceback
        failure = _Failed(
            "internal_error", f"internal error in the network probe: {type(exc).__name__}: {exc}", exc, Status.ERROR
        )
    finally:
        # After StreamWriter.start_tls the same writer may be listed twice.
        unique = {id(w): w for w in run.writers}.values()
        await asyncio.gather(*(tlsmod.close_stream(w) for w in unique))

    return NetworkProbe(
        url=url,
        host=host,
        port=port,
        tls_expected=tls_expected,
        steps=tuple(run.steps),
        resolved_host=run.resolved_host,
        addresses=tuple(run.addresses),
        connected_to=run.connected_to,
        tls=run.tls,
        proxy=proxy_display,
        proxy_kind=proxy_kind,
        # A bug in the probe names no diagnosis of the network: the summary reports it as an error.
        diagnosis=failure.finding.diagnosis if failure and failure.finding.status is Status.FAIL else None,
        message=failure.finding.message if failure else None,
        exception_type=failure.exception_type if failure else None,
    )


# --- steps ---------------------------------------------------------------------


async def _resolve_and_connect(
    run: _Run, host: str, port: int, resolve: Resolver, open_connection: OpenConnection
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    await _dns(run, host, port, resolve)
    return await _tcp(run, host, port, open_connection)


async def _dns(run: _Run, host: str, port: int, resolve: Resolver) -> None:
    run.resolved_host = host
    started = run.clock()
    try:
        infos = await run.bounded(resolve(host, port, type=socket.SOCK_STREAM))
    except TimeoutError as exc:
        run.record("dns", False, started, f"{host}: no answer")
        raise _Failed("dns_failed", f"Resolving {host} took longer than {run.timeout:g} s.", exc) from None
    except socket.gaierror as exc:
        run.record("dns", False, started, f"{host}: {exc.strerror or exc}")
        raise _Failed(
            "dns_failed", f"{host} did not resolve: [Errno {exc.errno}] {exc.strerror or exc}.", exc
        ) from None
    except (OSError, UnicodeError) as exc:
        run.record("dns", False, started, f"{host}: {exc}")
        raise _Failed("dns_failed", f"{host} did not resolve: {exc}.", exc) from None
    seen: set[str] = set()
    for family, _type, _proto, _canon, sockaddr in infos:
        ip = str(sockaddr[0])
        if ip not in seen:
            seen.add(ip)
            run.addresses.append(Address(ip, "IPv6" if family == socket.AF_INET6 else "IPv4"))
    if not run.addresses:
        run.record("dns", False, started, f"{host}: no addresses")
        raise _Failed("dns_failed", f"{host} resolved to no usable address.")
    run.record("dns", True, started, f"{host} → {', '.join(a.ip for a in run.addresses)}")


async def _tcp(
    run: _Run, host: str, port: int, open_connection: OpenConnection
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    failures: list[tuple[str, str, BaseException]] = []
    addresses = list(run.addresses)
    first_started = run.clock()
    for index, address in enumerate(addresses):
        started = run.clock()
        try:
            # Split what is left between the addresses still to try, so one
            # black-holed address cannot eat the whole budget.
            reader, writer = await run.bounded(open_connection(address.ip, port), share=1 / (len(addresses) - index))
        except (TimeoutError, OSError) as exc:
            failures.append((*_classify_connect_error(exc), exc))
            continue
        run.writers.append(writer)
        run.connected_to = address.ip
        tried = "; ".join(f"{_ip(a)} {why}" for a, (_, why, _) in zip(addresses, failures, strict=False))
        run.record("tcp", True, started, f"{_ip(address)}:{port}" + (f" (after {tried})" if tried else ""))
        return reader, writer
    diagnosis, _, _ = min(failures, key=lambda f: _TCP_RANK.index(f[0]))
    detail = "; ".join(f"{_ip(a)} {why}" for a, (_, why, _) in zip(addresses, failures, strict=False))
    run.record("tcp", False, first_started, detail)
    cause = next(f[2] for f in failures if f[0] == diagnosis)
    raise _Failed(diagnosis, f"TCP connect to {host}:{port} failed: {detail}.", cause)


def _classify_connect_error(exc: BaseException) -> tuple[str, str]:
    if isinstance(exc, ConnectionRefusedError):
        return "tcp_refused", "refused"
    if isinstance(exc, ConnectionResetError):
        return "tcp_reset", "reset"
    if isinstance(exc, asyncio.TimeoutError) or getattr(exc, "errno", None) == errno.ETIMEDOUT:
        return "tcp_timeout", "timed out"
    if getattr(exc, "errno", None) in _UNREACHABLE_ERRNOS:
        return "host_unreachable", getattr(exc, "strerror", None) or "unreachable"
    return "host_unreachable", f"{type(exc).__name__}: {exc}"


async def _handshake(
    run: _Run,
    writer: asyncio.StreamWriter,
    ctx: ssl.SSLContext,
    server_hostname: str,
    reopen: Callable[[], Awaitable[tuple[asyncio.StreamReader, asyncio.StreamWriter]]],
    *,
    step: str = "tls",
    what: str = "",
) -> Any:
    """TLS over an open stream; on failure, name the cause (and the presented issuer)."""
    started = run.clock()
    try:
        # The handshake's own timeout is set past ours so wait_for decides, with one message.
        tls_stream = await run.bounded(tlsmod.start_tls(writer, ctx, server_hostname, run.left() + 1))
    except TimeoutError as exc:
        run.record(step, False, started, "no answer")
        raise _Failed(
            "tls_handshake_failed",
            f"{what}The TLS handshake with {server_hostname} did not finish within {run.timeout:g} s "
            "(a middlebox swallowing the ClientHello, or a very slow link).",
            exc,
        ) from None
    except (ssl.SSLError, OSError) as exc:
        run.record(
            step,
            False,
            started,
            getattr(exc, "verify_message", None) or getattr(exc, "reason", None) or type(exc).__name__,
        )
        chain = None
        if isinstance(exc, ssl.SSLCertVerificationError) and run.left() > 0:
            chain = await tlsmod.fetch_presented_chain(reopen, server_hostname, run.left())
        diagnosis, message = certificates.classify_tls_error(exc, chain)
        if step == "proxy_tls" and diagnosis == "tls_wrong_version":
            message = f"{message.split(':', 1)[0]}: the proxy speaks plain HTTP, so its URL must start with http://, not https://."
        raise _Failed(diagnosis, what + message, exc) from None
    obj = tls_stream.get_extra_info("ssl_object")
    cipher = obj.cipher() if obj is not None else None
    info = TLSInfo(
        version=obj.version() if obj is not None else None,
        cipher=cipher[0] if cipher else None,
        issuer=certificates.issuer_from_peercert(obj.getpeercert() if obj is not None else None),
        sni=server_hostname,
        ms=round((run.clock() - started) * 1000, 1),
        alpn=obj.selected_alpn_protocol() if obj is not None else None,
    )
    run.record(step, True, started, f"{info.version} {info.cipher}, issuer {info.issuer}, SNI {server_hostname}")
    if step == "tls":
        run.tls = info
    return tls_stream


# --- through a proxy ---------------------------------------------------------------


async def _via_proxy(
    run: _Run,
    proxy: str,
    host: str,
    port: int,
    tls_expected: bool,
    ctx: ssl.SSLContext | None,
    resolve: Resolver,
    open_connection: OpenConnection,
) -> None:
    kind = _proxy_kind(proxy)
    parts = _target(proxy if "://" in proxy else f"http://{proxy}")
    if parts is None or kind is None:
        raise _Failed(
            "proxy_scheme_wrong",
            f"The proxy {display_proxy(proxy)} is not a URL the probe can use (expected http://host:port).",
        )
    proxy_scheme, proxy_host, proxy_port = parts
    shown = display_proxy(proxy)
    what = f"Via proxy {shown}: "

    try:
        reader, writer = await _resolve_and_connect(run, proxy_host, proxy_port, resolve, open_connection)
    except _Failed as failed:
        # The proxy itself is down or mistyped (often a VPN app's variable left behind):
        # say so, rather than advising about the API host's port.
        raise _Failed("proxy_unreachable", f"{what}cannot reach the proxy itself. {failed.finding.message}") from None
    if kind == "socks":
        run.steps.append(Step("socks", None, None, "SOCKS tunnel not probed"))
        if not _importable("socksio"):
            raise _Failed(
                "proxy_socks_missing_socksio",
                f"The proxy {shown} is a SOCKS proxy, but socksio is not installed, so httpx cannot use it: "
                'pip install "httpx[socks]".',
            )
        return

    proxy_ip = run.connected_to or proxy_host
    if kind == "https":
        if not hasattr(writer, "start_tls"):  # pragma: no cover - Python 3.10 only
            run.steps.append(Step("proxy_tls", None, None, "TLS to an https:// proxy needs Python 3.11+ to probe"))
            return
        assert ctx is not None or not tls_expected
        proxy_ctx = ctx or ssl.create_default_context()
        writer = await _handshake(
            run,
            writer,
            proxy_ctx,
            proxy_host,
            lambda: open_connection(proxy_ip, proxy_port),
            step="proxy_tls",
            what=f"Proxy {shown}: ",
        )
        run.writers.append(writer)

    credentials = basic_credentials(proxy)
    started = run.clock()
    try:
        status, reason, headers = await run.bounded(_send_connect(reader, writer, host, port, credentials))
    except TimeoutError as exc:
        run.record("proxy_connect", False, started, "no answer")
        raise _Failed(
            "proxy_connect_failed", f"{what}no answer to CONNECT {host}:{port} within {run.timeout:g} s.", exc
        ) from None
    except (OSError, ValueError, EOFError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
        run.record("proxy_connect", False, started, type(exc).__name__)
        raise _Failed(
            "proxy_connect_failed", f"{what}the proxy did not answer CONNECT like an HTTP proxy ({_short(exc)}).", exc
        ) from None
    run.record("proxy_connect", 200 <= status < 300, started, f"CONNECT {host}:{port} → {status} {reason}".rstrip())
    if status == 407:
        offered = ", ".join(v.split(" ", 1)[0] for k, v in headers if k == "proxy-authenticate") or "no scheme named"
        sent = "the credentials in the proxy URL were rejected" if credentials else "the proxy URL has no credentials"
        raise _Failed(
            "proxy_auth_required", f"{what}407 Proxy Authentication Required: {sent} (the proxy offers: {offered})."
        )
    if not 200 <= status < 300:
        raise _Failed(
            "proxy_connect_failed",
            f"{what}the proxy answered CONNECT {host}:{port} with {status} {reason}".rstrip() + ".",
        )

    if tls_expected:
        assert ctx is not None

        async def reopen() -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
            # A fresh tunnel to read the presented chain; only the proxy's own
            # credentials travel on it, never the API key.
            r, w = await open_connection(proxy_ip, proxy_port)
            try:
                if kind == "https":
                    w = await tlsmod.start_tls(w, ctx or ssl.create_default_context(), proxy_host, run.left())
                code, _, _ = await _send_connect(r, w, host, port, credentials)
            except BaseException:
                await tlsmod.close_stream(w)
                raise
            if not 200 <= code < 300:
                await tlsmod.close_stream(w)
                raise OSError(f"CONNECT answered {code}")
            return r, w

        tls_stream = await _handshake(run, writer, ctx, host, reopen, what=what)
        run.writers.append(tls_stream)


async def _send_connect(
    reader: asyncio.StreamReader,
    writer: Any,
    host: str,
    port: int,
    credentials: tuple[str, str] | None,
) -> tuple[int, str, list[tuple[str, str]]]:
    """Send CONNECT and read the proxy's answer: (status, reason, [(lower name, value)])."""
    from realtime_check import __version__

    authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    lines = [f"CONNECT {authority} HTTP/1.1", f"Host: {authority}", f"User-Agent: realtime-check/{__version__}"]
    if credentials is not None:
        token = base64.b64encode(f"{credentials[0]}:{credentials[1]}".encode()).decode("ascii")
        lines.append(f"Proxy-Authorization: Basic {token}")
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace"))
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    if len(head) > _MAX_CONNECT_RESPONSE:
        raise ValueError("answer too long")
    text = head.decode("latin-1").split("\r\n")
    match = _STATUS_LINE.match(text[0])
    if match is None:
        raise ValueError(f"not an HTTP status line: {text[0][:60]!r}")
    headers = [(k.strip().lower(), v.strip()) for k, _, v in (line.partition(":") for line in text[1:] if line)]
    return int(match.group(1)), (match.group(2) or "").strip(), headers


# --- helpers -----------------------------------------------------------------------


def _target(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https", "ws", "wss", "socks5", "socks5h", "socks4", "socks4a") or not parts.hostname:
        return None
    return (
        scheme,
        parts.hostname,
        port or (443 if scheme in ("https", "wss") else 1080 if scheme.startswith("socks") else 80),
    )


def _proxy_kind(proxy: str) -> str | None:
    scheme = proxy.split("://", 1)[0].lower() if "://" in proxy else "http"
    if scheme in ("http", "https"):
        return scheme
    return "socks" if scheme.startswith("socks") else None


def _ip(address: Address) -> str:
    return f"[{address.ip}]" if address.family == "IPv6" else address.ip


def _short(exc: BaseException) -> str:
    if isinstance(exc, asyncio.IncompleteReadError):
        return "it closed the connection"
    if isinstance(exc, asyncio.LimitOverrunError):
        return "answer too long"
    return str(exc) or type(exc).__name__


def _importable(module: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


async def _getaddrinfo_in_daemon_thread(host: str, port: int, **kwargs: Any) -> list[Any]:
    """socket.getaddrinfo in a daemon thread.

    loop.getaddrinfo uses the default executor, which asyncio.run joins on exit:
    a resolver stuck for 30 s would hold the CLI open long after our timeout.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[list[Any]] = loop.create_future()

    def settle(result: Any, error: BaseException | None) -> None:
        if not future.done():
            future.set_exception(error) if error is not None else future.set_result(result)

    def work() -> None:
        try:
            result, error = socket.getaddrinfo(host, port, **kwargs), None
        except BaseException as exc:  # handed to the awaiting task
            result, error = None, exc
        try:
            loop.call_soon_threadsafe(settle, result, error)
        except RuntimeError:
            pass  # the loop is gone: nobody is waiting any more

    threading.Thread(target=work, name="realtime-check-dns", daemon=True).start()
    return await future
