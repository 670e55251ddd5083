"""Diagnoses for the network stage: DNS, TCP, proxies and TLS (docs/failures.md S1–S3).

Pure data. Advice never suggests turning certificate verification off: a tool
that tells people to do that teaches them to hide interception (F14).
"""

from __future__ import annotations

from realtime_check.diagnosis.catalog._base import Matcher
from realtime_check.models import Category, Diagnosis

_HTTPX_ENV_DOCS = "https://www.python-httpx.org/environment_variables/"
_WS_PROXY_DOCS = "https://websockets.readthedocs.io/en/stable/topics/proxies.html"
_HTTPX_SSL_DOCS = "https://www.python-httpx.org/advanced/ssl/"
_STATUS_PAGE = "https://status.openai.com"

DIAGNOSES: tuple[Diagnosis, ...] = (
    # --- S1 DNS -----------------------------------------------------------
    Diagnosis(
        id="dns_failed",
        title="The API host name does not resolve",
        cause=(
            "The resolver could not turn the host name into an address: no working DNS in this "
            "container or network, a captive portal, or DNS filtering."
        ),
        advice=(
            "Check the host name in the base URL for typos.",
            'In a container, give it working DNS: `docker run --dns 1.1.1.1 …`, or set "dns" in '
            "/etc/docker/daemon.json, and check /etc/resolv.conf inside the container.",
            "On a laptop, try `nslookup api.openai.com`; if it fails too, fix the network's DNS "
            "(captive portal, VPN split DNS, corporate DNS filter).",
        ),
        category=Category.NETWORK,
        docs="https://docs.docker.com/engine/network/",
        failures=("F09",),
    ),
    # --- S2 TCP -----------------------------------------------------------
    Diagnosis(
        id="tcp_refused",
        title="The connection was refused",
        cause=(
            "Something at that address answered but nothing accepts connections on that port: a "
            "wrong port or base URL, a local relay or proxy that is not running, or a firewall "
            "that rejects instead of dropping."
        ),
        advice=(
            "Check the host and port in the base URL (the API listens on 443).",
            "If the URL points at a local relay or gateway, start it, or point at https://api.openai.com/v1 instead.",
            "If a firewall rejects outbound 443, allow egress to api.openai.com:443 or use an "
            "approved proxy (HTTPS_PROXY).",
        ),
        category=Category.NETWORK,
        failures=("F10",),
    ),
    Diagnosis(
        id="tcp_timeout",
        title="The connection timed out (egress blocked or black-holed)",
        cause=(
            "Packets to the API host went unanswered: an egress firewall that drops outbound 443, "
            "a region where the host is unreachable without a proxy, or a dead VPN exit."
        ),
        advice=(
            "Allow egress to api.openai.com:443 on the firewall or security group, or go through an "
            "approved proxy by exporting HTTPS_PROXY=http://proxy:port.",
            "If a VPN is on, try another exit or turn it off; if your browser works through a "
            '"system proxy" app, Python still needs HTTPS_PROXY set.',
            "Compare with `curl -v https://api.openai.com/v1/models` from the same machine.",
        ),
        category=Category.NETWORK,
        failures=("F10", "F11"),
    ),
    Diagnosis(
        id="tcp_reset",
        title="The connection was reset",
        cause=(
            "A middlebox (firewall, DPI filter, VPN) tore the connection down, or a local relay "
            "crashed while accepting it."
        ),
        advice=(
            "Try another network or an approved proxy; resets on connect usually come from a "
            "filtering firewall, not from the API.",
            "If the URL points at your own relay, check its logs.",
        ),
        category=Category.NETWORK,
        failures=("F10",),
    ),
    Diagnosis(
        id="host_unreachable",
        title="No route to the API host",
        cause=(
            "The operating system has no route to the address (network down, IPv6-only or "
            "IPv4-only network, VPN routing), so no packet left the machine."
        ),
        advice=(
            "Check that this machine is online (`ping 1.1.1.1`) and that a VPN is not swallowing the route.",
            "In a container, check its network mode and egress rules.",
        ),
        category=Category.NETWORK,
        failures=("F10",),
    ),
    # --- S2 proxies -------------------------------------------------------
    Diagnosis(
        id="proxy_socks_missing_socksio",
        title="A SOCKS proxy is configured but the library that speaks SOCKS is missing",
        cause=(
            "httpx needs the `socksio` package for socks5:// proxies and websockets needs "
            "`python-socks`; without them every request fails before leaving the machine."
        ),
        advice=(
            'Install the extra: `pip install "httpx[socks]"` (REST) and '
            '`pip install "python-socks[asyncio]"` (WebSocket).',
            "Or unset ALL_PROXY / all_proxy if you did not mean to use a SOCKS proxy.",
        ),
        category=Category.CONFIG,
        docs=_HTTPX_ENV_DOCS,
        failures=("F12",),
    ),
    Diagnosis(
        id="proxy_auth_required",
        title="The proxy wants credentials (HTTP 407)",
        cause="The proxy answered the CONNECT with 407 Proxy Authentication Required.",
        advice=(
            "Put the credentials in the proxy URL: HTTPS_PROXY=http://user:password@proxy:port "
            "(percent-encode special characters such as @ or :).",
            "Proxies that only offer NTLM or Kerberos (Proxy-Authenticate: Negotiate/NTLM) do not "
            "accept URL credentials: run a local helper such as cntlm or px and point HTTPS_PROXY "
            "at it.",
        ),
        category=Category.NETWORK,
        docs=_HTTPX_ENV_DOCS,
        failures=("F12",),
    ),
    Diagnosis(
        id="proxy_unreachable",
        title="The configured proxy cannot be reached",
        cause=(
            "A proxy variable (HTTPS_PROXY, ALL_PROXY, WSS_PROXY, ...) sends traffic to a proxy that does not "
            "resolve or does not accept connections: the proxy or VPN app is not running, the variable is left "
            "over from another network, or its host or port is mistyped."
        ),
        advice=(
            "Check the proxy's host and port in the variable shown with -v (network: rest_proxy / ws_proxy).",
            "If you are not behind a proxy on this network, unset the variable (HTTPS_PROXY, https_proxy, "
            "ALL_PROXY, all_proxy).",
            "If the proxy belongs to a VPN or security app, start it and run realtime-check again.",
        ),
        category=Category.NETWORK,
        failures=("F11", "F12"),
    ),
    Diagnosis(
        id="proxy_connect_failed",
        title="The proxy refused to open a tunnel to the API host",
        cause=(
            "The proxy answered the CONNECT with an error status or closed the connection: the "
            "destination is blocked by policy, the proxy cannot reach it, or it is not an HTTP "
            "proxy at all."
        ),
        advice=(
            "Ask the proxy's owners to allow CONNECT to api.openai.com:443.",
            "Check that the proxy URL points at an HTTP proxy (not a SOCKS or PAC endpoint).",
        ),
        category=Category.NETWORK,
        failures=("F11", "F12"),
    ),
    Diagnosis(
        id="proxy_scheme_wrong",
        title="The proxy URL is written in a way the clients cannot use",
        cause=(
            "An https:// proxy URL on a port that speaks plain HTTP (3128, 8080, 80, …) makes the "
            "client start TLS with a plain HTTP proxy ([SSL: WRONG_VERSION_NUMBER]); other "
            "schemes (socks4://, a URL without scheme) work for one client and not the other."
        ),
        advice=(
            "Write HTTP proxies as http://host:port, even for HTTPS traffic: the tunnel is "
            "encrypted end to end anyway.",
            "Use http://, https:// (only for a proxy that itself speaks TLS) or socks5h://.",
        ),
        category=Category.CONFIG,
        docs=_HTTPX_ENV_DOCS,
        failures=("F12",),
    ),
    Diagnosis(
        id="proxy_env_typo",
        title="A proxy variable looks misspelt and is ignored",
        cause=(
            "Python only reads variables named exactly <scheme>_proxy (any case), such as "
            "HTTPS_PROXY; a misspelt name is silently ignored and traffic goes direct."
        ),
        advice=("Rename the variable to HTTPS_PROXY (and HTTP_PROXY / NO_PROXY as needed).",),
        category=Category.CONFIG,
        docs=_HTTPX_ENV_DOCS,
        failures=("F11",),
    ),
    Diagnosis(
        id="proxy_transports_differ",
        title="REST and the WebSocket take different routes",
        cause=(
            "httpx reads HTTPS_PROXY/ALL_PROXY while websockets reads wss_proxy/https_proxy and "
            "ignores ALL_PROXY, so a key check can pass while the realtime socket goes another "
            "way (or direct) and fails."
        ),
        advice=(
            "Set HTTPS_PROXY (both clients read it) rather than ALL_PROXY, or give both the same proxy explicitly.",
            "Check NO_PROXY and WSS_PROXY for entries that apply to only one of the two URLs.",
        ),
        category=Category.NETWORK,
        docs=_WS_PROXY_DOCS,
        failures=("F11",),
    ),
    # --- S3 TLS -----------------------------------------------------------
    Diagnosis(
        id="tls_interception",
        title="Something between you and the API re-signs TLS (inspection proxy)",
        cause=(
            "The certificate presented for the API host was issued by a CA that is not a public "
            "one, typically a corporate TLS-inspection proxy (Zscaler, Netskope, Palo Alto, "
            "Fortinet, antivirus web shields) whose root is not in Python's trust store."
        ),
        advice=(
            "Get your organisation's root CA certificate (PEM) and pass it: "
            "`realtime-check --ca-bundle corp-ca.pem`, and in your app set "
            "SSL_CERT_FILE=/path/to/bundle.pem (httpx and websockets both honour it).",
            "Build that bundle as certifi's bundle plus your corporate root, so other hosts keep working.",
            "Never turn certificate verification off: it hides the interception instead of "
            "fixing trust, and exposes your API key to anything on the path.",
        ),
        category=Category.NETWORK,
        docs=_HTTPX_SSL_DOCS,
        failures=("F14",),
    ),
    Diagnosis(
        id="tls_ca_store_missing",
        title="The certificate is from a public CA, but this Python cannot verify it",
        cause=(
            "The chain was issued by a well-known public CA yet verification failed: the local CA "
            "store is missing or empty (python.org macOS builds, slim container images) or "
            "SSL_CERT_FILE points at a bundle without public roots."
        ),
        advice=(
            'python.org macOS builds: run "Install Certificates.command" from the Python folder in Applications.',
            "Containers: install the OS CA bundle (`apt-get install ca-certificates`) or "
            "`pip install certifi` and use its bundle.",
            "If you set SSL_CERT_FILE or --ca-bundle, make it a full bundle (certifi's plus your "
            "own roots), not only your corporate root.",
        ),
        category=Category.NETWORK,
        docs=_HTTPX_SSL_DOCS,
        failures=("F14",),
    ),
    Diagnosis(
        id="tls_hostname_mismatch",
        title="The certificate is for a different host name",
        cause=(
            "The server presented a certificate that does not cover the host in the URL: a wrong "
            "base URL, DNS pointing at another server, or a proxy answering for the host."
        ),
        advice=(
            "Check the host in the base URL and what it resolves to.",
            "If a gateway serves the API under its own name, use that name in the base URL.",
        ),
        category=Category.NETWORK,
        failures=("F05", "F14"),
    ),
    Diagnosis(
        id="tls_handshake_failed",
        title="The TLS handshake was refused",
        cause=(
            "The server or something on the path aborted the handshake (an alert, or a reset "
            "right after the ClientHello): the API edge rejecting this egress IP or proxy exit, "
            "SNI filtering, or a provider-side TLS incident."
        ),
        advice=(
            "Try another egress (network, proxy exit or VPN location); restricted-region exits "
            "are refused at the edge.",
            f"If it started suddenly for everyone, check {_STATUS_PAGE} and retry later.",
        ),
        category=Category.NETWORK,
        docs=_STATUS_PAGE,
        failures=("F15",),
    ),
    Diagnosis(
        id="tls_wrong_version",
        title="Plain HTTP where TLS was expected",
        cause=(
            "The other end answered the TLS ClientHello with plain HTTP "
            "([SSL: WRONG_VERSION_NUMBER]): usually an https:// proxy URL for a proxy that "
            "speaks plain HTTP, or an https:// base URL on an http-only port."
        ),
        advice=(
            "Write the proxy as http://host:port (HTTPS_PROXY=http://…).",
            "If the base URL points at a local relay that serves plain HTTP, use http:// in it.",
        ),
        category=Category.CONFIG,
        failures=("F12",),
    ),
    Diagnosis(
        id="tls_expired",
        title="The certificate is expired or not yet valid",
        cause=(
            "The presented certificate is outside its validity period, or this machine's clock "
            "is wrong (common on fresh VMs and devices without NTP)."
        ),
        advice=(
            "Check the system clock and time zone (`date -u`), and enable NTP.",
            "If the clock is right, the certificate really is expired: report it to whoever runs "
            "that endpoint (your proxy or gateway).",
        ),
        category=Category.NETWORK,
        failures=("F14",),
    ),
    Diagnosis(
        id="ca_bundle_unreadable",
        title="The CA bundle cannot be read",
        cause=(
            "The file given with --ca-bundle or SSL_CERT_FILE (or the SSL_CERT_DIR directory) is "
            "missing, unreadable, or holds no PEM certificate."
        ),
        advice=(
            "Check the path and permissions; the file must contain PEM blocks (-----BEGIN CERTIFICATE-----).",
            "Convert a DER file with `openssl x509 -inform der -in ca.cer -out ca.pem`.",
            "Unset SSL_CERT_FILE if it points at a file that no longer exists.",
        ),
        category=Category.CONFIG,
        docs=_HTTPX_SSL_DOCS,
        failures=("F14",),
    ),
)

BY_ID: dict[str, Diagnosis] = {d.id: d for d in DIAGNOSES}

# What users paste into `realtime-check explain` for each: the errno names and messages of
# Python, Node and curl, and the exception names of httpx and websockets.
MATCHERS: dict[str, Matcher] = {
    "dns_failed": Matcher(
        terms=(
            "ENOTFOUND",
            "EAI_AGAIN",
            "getaddrinfo failed",
            "gaierror",
            "Name or service not known",
            "nodename nor servname provided",
            "Temporary failure in name resolution",
            "Could not resolve host",
            "DNS",
        )
    ),
    "tcp_refused": Matcher(terms=("ECONNREFUSED", "Connection refused", "ConnectionRefusedError", "Errno 111")),
    "tcp_timeout": Matcher(terms=("ETIMEDOUT", "ConnectTimeout", "Connection timed out", "egress", "firewall")),
    "tcp_reset": Matcher(terms=("ECONNRESET", "Connection reset by peer", "ConnectionResetError")),
    "host_unreachable": Matcher(terms=("EHOSTUNREACH", "ENETUNREACH", "No route to host", "Network is unreachable")),
    "proxy_socks_missing_socksio": Matcher(
        terms=("socksio", "python-socks", "socks5://", "Using SOCKS proxy, but the 'socksio' package is not installed")
    ),
    "proxy_auth_required": Matcher(
        http_statuses=(407,),
        bare_status=True,
        terms=("Proxy Authentication Required", "Proxy-Authenticate", "Proxy-Authorization", "NTLM", "cntlm"),
    ),
    "proxy_unreachable": Matcher(terms=("ProxyError", "Cannot connect to proxy", "Unable to connect to proxy")),
    "proxy_connect_failed": Matcher(terms=("Tunnel connection failed", "CONNECT tunnel failed", "proxy CONNECT")),
    "proxy_scheme_wrong": Matcher(terms=("https:// proxy", "proxy URL", "proxy scheme")),
    "proxy_env_typo": Matcher(terms=("HTTPS_PROXY", "HTTP_PROXY", "HTTPSPROXY", "HTTP_PROXIES")),
    "proxy_transports_differ": Matcher(terms=("ALL_PROXY", "WSS_PROXY", "NO_PROXY")),
    "tls_interception": Matcher(
        terms=(
            "certificate verify failed",
            "CERTIFICATE_VERIFY_FAILED",
            "self-signed certificate in certificate chain",
            "self signed certificate in certificate chain",
            "SELF_SIGNED_CERT_IN_CHAIN",
            "SSLCertVerificationError",
            "Zscaler",
            "Netskope",
            "TLS inspection",
        )
    ),
    "tls_ca_store_missing": Matcher(
        terms=(
            "unable to get local issuer certificate",
            "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
            "Install Certificates.command",
            "certifi",
            "ca-certificates",
        )
    ),
    "tls_hostname_mismatch": Matcher(
        terms=("Hostname mismatch", "certificate is not valid for", "ERR_TLS_CERT_ALTNAME_INVALID", "SNI")
    ),
    "tls_handshake_failed": Matcher(
        terms=(
            "SSLV3_ALERT_HANDSHAKE_FAILURE",
            "handshake failure",
            "EOF occurred in violation of protocol",
            "UNEXPECTED_EOF_WHILE_READING",
        )
    ),
    "tls_wrong_version": Matcher(terms=("WRONG_VERSION_NUMBER", "wrong version number")),
    "tls_expired": Matcher(terms=("certificate has expired", "CERT_HAS_EXPIRED", "certificate is not yet valid")),
    "ca_bundle_unreadable": Matcher(
        terms=("SSL_CERT_FILE", "SSL_CERT_DIR", "--ca-bundle", "no certificate or crl found", "PEM")
    ),
}
