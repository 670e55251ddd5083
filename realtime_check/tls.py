"""The one SSL context both transports use, and what a TLS failure means (failures.md F12, F14, F15).

`cryptography` is imported lazily, only to name the issuer of a chain that
failed verification.
"""

from __future__ import annotations

import asyncio
import os
import ssl
from typing import Any, Awaitable, Callable, Mapping, Sequence

# Issuer organisations / names of public CAs that sign api.openai.com-style
# certificates. If one of these issued the chain and verification still failed,
# the local trust store is the problem, not the network (F14, second half).
PUBLIC_CA_MARKERS: tuple[str, ...] = (
    "digicert",
    "let's encrypt",
    "internet security research group",
    "isrg",
    "google trust services",
    "sectigo",
    "comodo",
    "usertrust",
    "globalsign",
    "amazon",
    "cloudflare",
    "microsoft corporation",
    "entrust",
    "godaddy",
    "go daddy",
    "starfield",
    "baltimore",
    "cybertrust",
    "identrust",
    "quovadis",
    "geotrust",
    "thawte",
    "rapidssl",
    "verisign",
    "symantec",
    "certum",
    "buypass",
    "ssl.com",
    "zerossl",
    "actalis",
    "harica",
    "swisssign",
    "telekom security",
    "apple inc",
)

# OpenSSL X509_V_ERR_* codes we give a specific meaning.
_EXPIRED = 10
_NOT_YET_VALID = 9
_HOSTNAME_MISMATCH = 62

# ssl.SSLError.reason values that mean the peer answered in plain text.
_PLAIN_TEXT_REASONS = frozenset(
    {"WRONG_VERSION_NUMBER", "HTTP_REQUEST", "HTTPS_PROXY_REQUEST", "PACKET_LENGTH_TOO_LONG", "UNKNOWN_PROTOCOL", "RECORD_LAYER_FAILURE"}
)


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
                raise TLSConfigError(f"{source}={path} is a directory; it must be a PEM file (use SSL_CERT_DIR for directories)", source=source, path=path)
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
        return ssl.create_default_context(), f"system default store ({paths.cafile or paths.openssl_cafile}, {paths.capath or paths.openssl_capath})"
    where = certifi.where()
    return ssl.create_default_context(cafile=where), f"certifi {where} (httpx's default)"


def _ignored_bundle_note(env: Mapping[str, str]) -> str:
    ignored = [name for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE") if env.get(name)]
    if not ignored:
        return ""
    names = " and ".join(ignored)
    return f"; {names} set but ignored by httpx and websockets (use SSL_CERT_FILE)"


# --- what a failure means ------------------------------------------------------


def describe_verify_failure(
    exc: ssl.SSLCertVerificationError, presented_chain_der: Sequence[bytes] | None
) -> tuple[str, str]:
    """(diagnosis id, message) for a certificate verification failure."""
    code = getattr(exc, "verify_code", None)
    reason = getattr(exc, "verify_message", None) or str(exc)
    chain = list(presented_chain_der or [])
    leaf = _parse(chain[0]) if chain else None

    if code in (_EXPIRED, _NOT_YET_VALID):
        when = "not yet valid" if code == _NOT_YET_VALID else "expired"
        validity = f" (valid {leaf['not_before']} to {leaf['not_after']})" if leaf else ""
        return "tls_expired", f"The certificate is {when}{validity}: check this machine's clock (`date -u`)."
    if code == _HOSTNAME_MISMATCH:
        names = f"; it covers {', '.join(leaf['names'])}" if leaf and leaf["names"] else ""
        return "tls_hostname_mismatch", f"{reason.rstrip('.')}{names}."

    issuer = _issuer_name(chain)
    if issuer is None:
        return (
            "tls_interception",
            f"Certificate verification failed ({reason}) and the presented certificate could not be read. "
            "Most often a TLS-inspection proxy re-signs traffic with a corporate CA: add that CA with "
            "--ca-bundle or SSL_CERT_FILE. If no proxy inspects your traffic, the local CA store may be "
            "missing (install certifi). Never turn verification off.",
        )
    if is_public_ca(issuer):
        return (
            "tls_ca_store_missing",
            f"The certificate was issued by {issuer}, a public CA, yet verification failed ({reason}): "
            "this Python's CA store lacks public roots. Install certifi or the OS CA bundle "
            '(python.org macOS: run "Install Certificates.command").',
        )
    return (
        "tls_interception",
        f"The certificate was presented by {issuer}, not a public CA ({reason}): likely TLS inspection "
        "(Zscaler, Netskope, a firewall or antivirus). Add your corporate CA with --ca-bundle or "
        "SSL_CERT_FILE; never turn verification off.",
    )


def classify_tls_error(exc: BaseException, presented_chain_der: Sequence[bytes] | None = None) -> tuple[str, str]:
    """(diagnosis id, message) for anything raised during a TLS handshake."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return describe_verify_failure(exc, presented_chain_der)
    reason = getattr(exc, "reason", None) or ""
    if isinstance(exc, ssl.SSLError) and reason in _PLAIN_TEXT_REASONS:
        return (
            "tls_wrong_version",
            f"[SSL: {reason}]: the other end answered the TLS handshake in plain HTTP. If this goes through "
            "a proxy written https://…, write it http://…",
        )
    if isinstance(exc, (ssl.SSLEOFError, ssl.SSLZeroReturnError)) or "EOF" in reason:
        return "tls_handshake_failed", "The connection was closed during the TLS handshake (an edge or middlebox refusing this client)."
    if isinstance(exc, ConnectionResetError):
        return "tls_handshake_failed", "The connection was reset during the TLS handshake (SNI filtering or a refusing edge)."
    if isinstance(exc, ssl.SSLError):
        what = "The server sent a TLS alert" if "ALERT" in reason else "The TLS handshake failed"
        return "tls_handshake_failed", f"{what}: {reason or exc}. This is the egress or the provider side, not your key."
    return "tls_handshake_failed", f"The TLS handshake failed: {type(exc).__name__}: {exc}"


def is_public_ca(name: str) -> bool:
    lowered = name.lower()
    return any(marker in lowered for marker in PUBLIC_CA_MARKERS)


def issuer_from_peercert(cert: Mapping[str, Any] | None) -> str | None:
    """Issuer organisation (else CN) from `SSLSocket.getpeercert()`'s dict form."""
    if not cert:
        return None
    fields = {k: v for rdn in cert.get("issuer", ()) for k, v in rdn}
    return fields.get("organizationName") or fields.get("commonName")


def _issuer_name(chain: list[bytes]) -> str | None:
    """'Org (CN)' of whoever signed the leaf; the leaf's issuer is always present in a chain."""
    leaf = _parse(chain[0]) if chain else None
    if leaf is None:
        return None
    org, cn = leaf["issuer_o"], leaf["issuer_cn"]
    if org and cn and cn != org:
        return f"'{org}' ({cn})"
    return f"'{org or cn}'" if (org or cn) else None


def _parse(der: bytes) -> dict[str, Any] | None:
    try:
        from cryptography import x509
        from cryptography.x509.oid import NameOID
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    try:
        cert = x509.load_der_x509_certificate(der)
    except ValueError:
        return None

    def first(name: x509.Name, oid: x509.ObjectIdentifier) -> str | None:
        attrs = name.get_attributes_for_oid(oid)
        return str(attrs[0].value) if attrs else None

    try:
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.DNSName)
    except x509.ExtensionNotFound:
        names = []
    return {
        "issuer_o": first(cert.issuer, NameOID.ORGANIZATION_NAME),
        "issuer_cn": first(cert.issuer, NameOID.COMMON_NAME),
        "names": list(names),
        "not_before": cert.not_valid_before_utc.date().isoformat(),
        "not_after": cert.not_valid_after_utc.date().isoformat(),
    }


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
        transport, transport.get_protocol(), ctx, server_hostname=server_hostname, ssl_handshake_timeout=max(timeout, 0.001)
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
            start_tls(writer, unverified_context(), server_hostname, deadline - loop.time()), max(deadline - loop.time(), 0.001)
        )
        writer = tls
        return peer_chain(tls.get_extra_info("ssl_object")) or None
    except (OSError, ssl.SSLError, asyncio.TimeoutError, EOFError, ValueError):
        return None
    finally:
        if writer is not None:
            await close_stream(writer)


async def close_stream(stream: Any, grace: float = 0.5) -> None:
    """Close a writer/transport without waiting on a silent peer for long."""
    try:
        stream.close()
        if hasattr(stream, "wait_closed"):
            await asyncio.wait_for(stream.wait_closed(), grace)
    except (OSError, ssl.SSLError, asyncio.TimeoutError):
        transport = getattr(stream, "transport", stream)
        abort = getattr(transport, "abort", None)
        if abort is not None:
            abort()
