"""TLS I/O for both transports: the one SSL context they share, and TLS handshakes over asyncio streams.

What a TLS failure *means* is decided in `realtime_check.diagnosis.certificates`.
"""

from __future__ import annotations

import asyncio
import os
import ssl
from collections.abc import Awaitable, Callable, Mapping
from typing import Any


class TLSConfigError(Exception):
    """The configured CA bundle cannot be used (diagnosis `ca_bundle_unreadable`)."""

    diagnosis_id = "ca_bundle_unreadable"

    def __init__(self, message: str, *, source: str, path: str) -> None:
        super().__init__(message)
        self.source = source
        self.path = path


def build_ssl_context(ca_bundle: str | None, env: Mapping[str, str]) -> tuple[ssl.SSLContext, str]:
    """The SSL context for httpx (verify=ctx) and websockets (ssl=ctx), and where its trust comes from.

    Order: --ca-bundle, then SSL_CERT_FILE, then SSL_CERT_DIR (what httpx reads),
    then certifi (httpx's default), then the OpenSSL default store. A bundle
    *replaces* the defaults, as it does in httpx, so the check sees the trust
    the user's app gets. REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE are not honoured,
    because neither httpx nor websockets reads them; the description says so.
    """
    if ca_bundle:
        ctx = _load(ca_bundle, source="--ca-bundle")
        description = f"--ca-bundle {ca_bundle}"
    elif env.get("SSL_CERT_FILE"):
        path = env["SSL_CERT_FILE"]
        ctx = _load(path, source="SSL_CERT_FILE", directory_ok=False)
        description = f"SSL_CERT_FILE={path}"
    elif env.get("SSL_CERT_DIR"):
        path = env["SSL_CERT_DIR"]
        ctx = _load(path, source="SSL_CERT_DIR", directory_ok=True, file_ok=False)
        description = f"SSL_CERT_DIR={path}"
    else:
        ctx, description = _default_context()
    return ctx, description + _ignored_bundle_note(env)


def _load(path: str, *, source: str, directory_ok: bool = True, file_ok: bool = True) -> ssl.SSLContext:
    expanded = os.path.expanduser(path)
    try:
        if os.path.isdir(expanded):
            if not directory_ok:
                raise TLSConfigError(
                    f"{source}={path} is a directory; it must be a PEM file (use SSL_CERT_DIR for directories)",
                    source=source,
                    path=path,
                )
            return ssl.create_default_context(capath=expanded)
        if not file_ok:
            raise TLSConfigError(f"{source}={path} is not a directory", source=source, path=path)
        return ssl.create_default_context(cafile=expanded)
    except TLSConfigError:
        raise
    except FileNotFoundError:
        raise TLSConfigError(f"{source} {path}: no such file", source=source, path=path) from None
    except PermissionError:
        raise TLSConfigError(f"{source} {path}: permission denied", source=source, path=path) from None
    except ssl.SSLError:
        raise TLSConfigError(f"{source} {path}: no PEM certificate in it", source=source, path=path) from None
    except OSError as exc:
        raise TLSConfigError(f"{source} {path}: {exc.strerror or exc}", source=source, path=path) from None


def _default_context() -> tuple[ssl.SSLContext, str]:
    try:
        import certifi
    except ImportError:
        paths = ssl.get_default_verify_paths()
        return (
            ssl.create_default_context(),
            f"system default store ({paths.cafile or paths.openssl_cafile}, {paths.capath or paths.openssl_capath})",
        )
    where = certifi.where()
    return ssl.create_default_context(cafile=where), f"certifi {where} (httpx's default)"


def _ignored_bundle_note(env: Mapping[str, str]) -> str:
    ignored = [name for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE") if env.get(name)]
    if not ignored:
        return ""
    names = " and ".join(ignored)
    return f"; {names} set but ignored by httpx and websockets (use SSL_CERT_FILE)"


# --- handshakes over asyncio streams -------------------------------------------------


async def start_tls(writer: asyncio.StreamWriter, ctx: ssl.SSLContext, server_hostname: str, timeout: float) -> Any:
    """Upgrade an open stream to TLS; returns an object with `get_extra_info` and `close`.

    Python 3.11+ has `StreamWriter.start_tls`; 3.10 needs the loop-level call.
    """
    if hasattr(writer, "start_tls"):
        await writer.start_tls(ctx, server_hostname=server_hostname, ssl_handshake_timeout=max(timeout, 0.001))
        return writer
    loop = asyncio.get_running_loop()
    transport = writer.transport
    return await loop.start_tls(  # pragma: no cover - Python 3.10 only
        transport,
        transport.get_protocol(),
        ctx,
        server_hostname=server_hostname,
        ssl_handshake_timeout=max(timeout, 0.001),
    )


def peer_chain(ssl_object: Any) -> list[bytes]:
    """DER certificates the peer presented: the whole chain on 3.13+, else the leaf."""
    getter = getattr(ssl_object, "get_unverified_chain", None)
    chain = [c for c in (getter() or []) if isinstance(c, bytes)] if getter is not None else []
    if chain:
        return chain
    leaf = ssl_object.getpeercert(binary_form=True)
    return [leaf] if leaf else []


def unverified_context() -> ssl.SSLContext:
    """Only for reading a presented chain after a verify failure; never carries a request."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


async def fetch_presented_chain(
    open_stream: Callable[[], Awaitable[tuple[asyncio.StreamReader, asyncio.StreamWriter]]],
    server_hostname: str,
    timeout: float,
) -> list[bytes] | None:
    """Reconnect with verification off, only to read the presented certificates.

    `open_stream` opens a fresh plain connection to the server (direct, or a
    proxy tunnel). Nothing but the TLS handshake is sent: no request, no key.
    Best effort: None if anything fails or the time runs out.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    writer: Any = None
    try:
        _, writer = await asyncio.wait_for(open_stream(), timeout)
        tls = await asyncio.wait_for(
            start_tls(writer, unverified_context(), server_hostname, deadline - loop.time()),
            max(deadline - loop.time(), 0.001),
        )
        writer = tls
        return peer_chain(tls.get_extra_info("ssl_object")) or None
    except (TimeoutError, OSError, ssl.SSLError, EOFError, ValueError):
        return None
    finally:
        if writer is not None:
            await close_stream(writer)


async def close_stream(stream: Any) -> None:
    """Drop a probe connection at once: it carried no request, so no goodbye is owed.

    A graceful TLS close waits for the peer's close_notify (a round trip, or the whole
    grace period on a silent peer); aborting the transport costs nothing.
    """
    transport = getattr(stream, "transport", stream)
    abort = getattr(transport, "abort", None)
    try:
        if abort is not None:
            abort()
        else:
            stream.close()
    except (OSError, RuntimeError):
        pass
    await asyncio.sleep(0)
