"""What a TLS failure means (docs/failures.md F12, F14, F15): expired, wrong host, interception, missing CA store.

Pure: reads exceptions and DER certificates; `cryptography` is imported lazily, only to name the
issuer of a chain that failed verification.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping, Sequence
from typing import Any

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
    {
        "WRONG_VERSION_NUMBER",
        "HTTP_REQUEST",
        "HTTPS_PROXY_REQUEST",
        "PACKET_LENGTH_TOO_LONG",
        "UNKNOWN_PROTOCOL",
        "RECORD_LAYER_FAILURE",
    }
)


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
        return (
            "tls_handshake_failed",
            "The connection was closed during the TLS handshake (an edge or middlebox refusing this client).",
        )
    if isinstance(exc, ConnectionResetError):
        return (
            "tls_handshake_failed",
            "The connection was reset during the TLS handshake (SNI filtering or a refusing edge).",
        )
    if isinstance(exc, ssl.SSLError):
        what = "The server sent a TLS alert" if "ALERT" in reason else "The TLS handshake failed"
        return (
            "tls_handshake_failed",
            f"{what}: {reason or exc}. This is the egress or the provider side, not your key.",
        )
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
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(
            x509.DNSName
        )
    except x509.ExtensionNotFound:
        names = []
    return {
        "issuer_o": first(cert.issuer, NameOID.ORGANIZATION_NAME),
        "issuer_cn": first(cert.issuer, NameOID.COMMON_NAME),
        "names": list(names),
        "not_before": cert.not_valid_before_utc.date().isoformat(),
        "not_after": cert.not_valid_after_utc.date().isoformat(),
    }
