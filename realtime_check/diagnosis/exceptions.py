"""Classifying exceptions raised while a REST or WebSocket check ran (the checks' `results.from_exception`).

httpx, websockets, aiohttp and ssl exceptions are recognised by class name and message, never imported,
so this module stays as light as the rest of the classifiers.
"""

from __future__ import annotations

from typing import Any

from realtime_check.diagnosis.bodies import parse_error_body
from realtime_check.diagnosis.classify import from_close, from_http
from realtime_check.models import Finding, Status


def _fail(diagnosis: str) -> Finding:
    return Finding(diagnosis, Status.FAIL)


_DNS_TEXT = (
    "name or service not known",
    "temporary failure in name resolution",
    "nodename nor servname",
    "getaddrinfo",
    "no address associated",
    "could not resolve host",
    "enotfound",
)
_PLAIN_TEXT_TLS = (
    "wrong_version_number",
    "http_request",
    "https_proxy_request",
    "packet_length_too_long",
    "unknown_protocol",
)
_X509_EXPIRED = (9, 10)  # OpenSSL X509_V_ERR_CERT_NOT_YET_VALID, _HAS_EXPIRED
_X509_HOSTNAME = 62  # X509_V_ERR_HOSTNAME_MISMATCH
_ERRNO_UNREACHABLE = (101, 113, 10051, 10065)  # ENETUNREACH, EHOSTUNREACH (+ Windows)
_ERRNO_TIMEDOUT = (110, 60, 10060)  # ETIMEDOUT on Linux, macOS, Windows


def classify_exception(stage: str, exc: BaseException, *, key_kind: Any = None) -> Finding:
    """Classify an exception raised while a REST or WebSocket check ran.

    The exception chain is searched outermost first: a precise class (httpx.ConnectTimeout) wins, a
    vague wrapper (httpx.ConnectError) defers to its cause (ssl, socket.gaierror) or its message.
    Anything unrecognised is an internal error of realtime-check, never blamed on the user.
    """
    chain = _chain(exc)
    for link in chain:
        found = _by_class(stage, link, key_kind)
        if found:
            return found
    for link in chain:
        diagnosis = _by_text(_text(link))
        if diagnosis:
            return _fail(diagnosis)
    for link in chain:
        names = _class_names(link)
        if names & {"ProxyError"}:
            return _fail("proxy_connect_failed")
        if names & {"ConnectError", "NetworkError", "TransportError", "OSError"}:
            return _fail("connection_failed")
    return _fail("internal_error")


def _by_class(stage: str, e: BaseException, key_kind: Any) -> Finding | None:
    names = _class_names(e)
    text = _text(e)
    low = text.lower()
    own = getattr(e, "diagnosis_id", None)  # e.g. tls.TLSConfigError carries its own diagnosis
    if isinstance(own, str) and own:
        return _fail(own)
    if isinstance(e, TypeError) and ("extra_headers" in text or "additional_headers" in text):
        return _fail("websockets_version_mismatch")
    if isinstance(e, ImportError):
        return _fail("proxy_socks_missing_socksio" if "socks" in low else "dependency_missing")
    if names & {"InvalidStatus", "InvalidStatusCode", "WSServerHandshakeError"}:
        return _from_handshake_status(e, key_kind)
    if "InvalidProxyStatus" in names:
        response = getattr(e, "response", None)
        return _fail("proxy_auth_required" if getattr(response, "status_code", None) == 407 else "proxy_connect_failed")
    if names & {"InvalidProxyMessage", "ProxyError"}:
        # httpx words a SOCKS5 proxy's refused login "Invalid username/password" (no 407 in SOCKS).
        wants_login = "407" in text or "username/password" in low
        return _fail("proxy_auth_required" if wants_login else "proxy_connect_failed")
    if type(e).__module__.startswith("socksio"):
        # socksio raises its own errors unwrapped; "Malformed reply" is how it meets a SOCKS5 proxy
        # that accepts none of the offered methods, which in practice means it wants a login.
        return Finding(
            "proxy_connect_failed",
            Status.FAIL,
            extra_advice=(
                f"The SOCKS proxy's answer was not understood ({text[:80]}): SOCKS5 proxies answer this way "
                "when they require a username and password that the proxy URL does not carry "
                "(socks5://user:password@host:port).",
            ),
        )
    if "InvalidProxy" in names:
        return _fail("proxy_scheme_wrong")
    if "ConnectionClosed" in names:
        received = getattr(e, "rcvd", None)
        if received is None:
            return from_close(1006, None, key_kind=key_kind)
        return from_close(int(getattr(received, "code", 1006)), getattr(received, "reason", None), key_kind=key_kind)
    if names & {"InvalidURI", "InvalidURL"}:
        return _fail("base_url_invalid")
    if "InvalidMessage" in names:
        cause = e.__cause__ or e.__context__
        if isinstance(cause, (EOFError, ConnectionError)):
            return _fail("tcp_reset")
        return _fail("handshake_intermediary")
    if "InvalidHandshake" in names:
        return _fail("handshake_intermediary")
    if "SSLCertVerificationError" in names:
        return _fail(_verify_failure(getattr(e, "verify_code", None), low))
    if "SSLError" in names:
        reason = str(getattr(e, "reason", "") or "").lower()
        plain = any(marker in reason or marker in low for marker in _PLAIN_TEXT_TLS)
        return _fail("tls_wrong_version" if plain else "tls_handshake_failed")
    if "gaierror" in names:
        return _fail("dns_failed")
    if isinstance(e, ConnectionRefusedError):
        return _fail("tcp_refused")
    if isinstance(e, (ConnectionResetError, ConnectionAbortedError, BrokenPipeError, EOFError)):
        return _fail("tcp_reset")
    if names & {"ConnectTimeout"}:
        return _fail("tcp_timeout")
    if names & {"ReadTimeout", "WriteTimeout", "PoolTimeout", "CancelledError"}:
        return _fail("timeout")
    if "TimeoutError" in names:
        connecting = getattr(e, "errno", None) in _ERRNO_TIMEDOUT or stage in ("tcp", "connect")
        return _fail("tcp_timeout" if connecting else "timeout")
    if "UnsupportedProtocol" in names:
        return _fail("proxy_scheme_wrong" if "proxy" in low else "base_url_invalid")
    if "TooManyRedirects" in names:
        return _fail("redirected")
    if names & {"RemoteProtocolError"}:
        return _fail("tcp_reset")
    if names & {"DecodingError", "JSONDecodeError"}:
        return _fail("invalid_json")
    if isinstance(e, OSError) and getattr(e, "errno", None) in _ERRNO_UNREACHABLE:
        return _fail("host_unreachable")
    if isinstance(e, OSError) and getattr(e, "errno", None) in _ERRNO_TIMEDOUT:
        return _fail("tcp_timeout")
    return None


def _from_handshake_status(e: BaseException, key_kind: Any) -> Finding:
    """A websockets InvalidStatus (or aiohttp WSServerHandshakeError) that reached us unhandled."""
    response = getattr(e, "response", None)
    status = getattr(response, "status_code", None) or getattr(e, "status_code", None) or getattr(e, "status", None)
    if not isinstance(status, int):
        return _fail("handshake_intermediary")
    headers = getattr(response, "headers", None) or getattr(e, "headers", None) or {}
    try:
        header_map = {str(k).lower(): str(v) for k, v in headers.items()}
    except (AttributeError, TypeError):
        header_map = {}
    body = getattr(response, "body", None)
    parsed = parse_error_body(body if isinstance(body, (bytes, str)) else None, header_map.get("content-type"))
    return from_http("handshake", status, parsed, header_map, key_kind=key_kind)


def _verify_failure(verify_code: Any, low: str) -> str:
    if verify_code in _X509_EXPIRED or "has expired" in low or "not yet valid" in low:
        return "tls_expired"
    if verify_code == _X509_HOSTNAME or "hostname mismatch" in low or "doesn't match" in low:
        return "tls_hostname_mismatch"
    # Without the presented chain we cannot name the issuer; interception is by far the common case (F14).
    return "tls_interception"


def _by_text(text: str) -> str | None:
    """For wrappers that kept only the message of the real error."""
    low = text.lower()
    if "certificate verify failed" in low or "certificate_verify_failed" in low:
        return _verify_failure(None, low)
    if any(marker in low for marker in _PLAIN_TEXT_TLS):
        return "tls_wrong_version"
    if "handshake failure" in low or "tlsv1_alert" in low or "sslv3_alert" in low:
        return "tls_handshake_failed"
    if "socksio" in low or ("socks" in low and "not installed" in low):
        return "proxy_socks_missing_socksio"
    if "unknown scheme for proxy" in low:
        return "proxy_scheme_wrong"
    if "407" in low and "proxy" in low:
        return "proxy_auth_required"
    if "tunnel connection failed" in low:
        return "proxy_connect_failed"
    if any(marker in low for marker in _DNS_TEXT):
        return "dns_failed"
    if "connection refused" in low or "errno 111" in low or "econnrefused" in low or "10061" in low:
        return "tcp_refused"
    if "connection reset" in low or "econnreset" in low or "errno 104" in low:
        return "tcp_reset"
    if "network is unreachable" in low or "no route to host" in low:
        return "host_unreachable"
    if "timed out" in low or "errno 110" in low or "10060" in low or "etimedout" in low:
        return "tcp_timeout"
    return None


def _chain(exc: BaseException) -> list[BaseException]:
    """exc, its cause or context, theirs, ... (outermost first, bounded, cycle-safe)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 10 and all(current is not seen for seen in chain):
        chain.append(current)
        group = getattr(current, "exceptions", None)  # ExceptionGroup from task groups: look at the first
        if isinstance(group, (list, tuple)) and group and isinstance(group[0], BaseException):
            current = group[0]
            continue
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return chain


def _text(e: BaseException) -> str:
    try:
        return str(e)
    except Exception:  # noqa: BLE001 - a broken __str__ must not turn a diagnosis into a traceback
        return type(e).__name__


def _class_names(e: BaseException) -> set[str]:
    return {cls.__name__ for cls in type(e).__mro__}
