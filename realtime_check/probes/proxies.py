"""Which proxy each transport will use, read from an env mapping (docs/failures.md F11, F12).

httpx and websockets both start from urllib's `getproxies()` but pick from it
differently; this module replays both rules without touching os.environ.
"""

from __future__ import annotations

import difflib
import importlib.util
import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import SplitResult, unquote, urlsplit

from realtime_check.models import Finding, Status
from realtime_check.redact import Redactor

# Ports on which proxies nearly always speak plain HTTP: an https:// URL there
# makes the client send a ClientHello to an HTTP parser (WRONG_VERSION_NUMBER).
PLAIN_HTTP_PROXY_PORTS = frozenset({80, 3128, 3129, 8000, 8080, 8081, 8118, 8888, 9090})

# Prefixes of "<scheme>_proxy" variables that urllib legitimately reads.
_KNOWN_PREFIXES = frozenset({"http", "https", "all", "no", "ws", "wss", "socks", "ftp"})
# Names we compare misspellings against.
_PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "wss_proxy")
_HTTPX_SCHEMES = ("http", "https", "socks5", "socks5h")
_WEBSOCKETS_SCHEMES = ("http", "https", "socks5", "socks5h", "socks4", "socks4a")
_HOST_PORT = re.compile(r"^[A-Za-z0-9.\-\[\]:]+:\d{1,5}/?$")


@dataclass(frozen=True)
class ProxyRoute:
    """The proxy one transport will use for one URL, and why."""

    transport: str  # "httpx" or "websockets"
    # The raw proxy URL, credentials included: needed to authenticate the
    # probe's CONNECT. Never shown; use `display`.
    url: str | None = field(default=None, repr=False)
    source: str | None = None  # the env var it came from, e.g. "HTTPS_PROXY"
    bypassed_by: str | None = None  # the NO_PROXY entry that sent it direct

    @property
    def display(self) -> str | None:
        return display_proxy(self.url) if self.url else None

    @property
    def scheme(self) -> str | None:
        return _scheme(self.url) if self.url else None

    def describe(self) -> str:
        if self.url:
            return f"{self.display} (from {self.source})"
        if self.bypassed_by:
            return f"direct (NO_PROXY entry {self.bypassed_by!r})"
        return "direct"


@dataclass(frozen=True)
class ProxyPlan:
    rest: ProxyRoute
    ws: ProxyRoute
    problems: tuple[Finding, ...] = ()


def display_proxy(url: str) -> str:
    """A proxy URL safe to show: user info replaced by *** whatever its shape."""
    # Textual, so even a URL urllib cannot parse is masked.
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
    authority, slash, tail = rest.partition("/")
    if "@" in authority:
        authority = "***@" + authority.rsplit("@", 1)[1]
    return Redactor().text(f"{scheme}{sep}{authority}{slash}{tail}")


def resolve_proxies(
    target_url: str,
    ws_url: str,
    env: Mapping[str, str],
    *,
    system_proxies: Mapping[str, str] | None = None,
    module_available: Callable[[str], bool] | None = None,
    redactor: Redactor | None = None,
) -> ProxyPlan:
    """Replay httpx's and websockets' proxy choice for the REST and WS URLs.

    `system_proxies` is what `urllib.request.getproxies()` finds in the OS
    (macOS/Windows settings); like urllib, it is used only when no proxy env var
    is set. Proxy passwords found are registered with `redactor`, if given.
    """
    has = module_available or _importable
    proxies, sources = proxies_from_env(env)
    if not proxies and system_proxies:
        proxies = {k.lower(): v for k, v in system_proxies.items() if v}
        sources = {k: "system proxy settings" for k in proxies}

    rest = _httpx_route(target_url, proxies, sources)
    ws = _websockets_route(ws_url, proxies, sources)
    if redactor is not None:
        for secret in proxy_secrets(env):
            redactor.add(secret)

    problems: list[Finding] = []
    problems += _scheme_problems(ws, proxies, sources, has)
    problems += _typo_problems(env)
    both_parse = _endpoint(target_url)[1] and _endpoint(ws_url)[1]
    if both_parse and _route_key(rest) != _route_key(ws):
        problems.append(
            Finding(
                "proxy_transports_differ",
                Status.WARN,
                f"REST ({target_url}) goes {rest.describe()}, but the WebSocket ({_strip_query(ws_url)}) "
                f"goes {ws.describe()}: a check that works for REST can still fail for the socket.",
            )
        )
    return ProxyPlan(rest=rest, ws=ws, problems=tuple(problems))


def proxy_secrets(env: Mapping[str, str]) -> list[str]:
    """The credentials in every proxy variable the transports read (not only the chosen ones:
    any may show up in an error), percent-decoded and as written.

    Read from the text, so a URL urllib cannot parse still gives up its password; variables
    that merely contain PROXY in their name (GRPC_PROXY_EXP) are not proxy settings and not read.
    """
    proxies, _ = proxies_from_env(env)
    found: list[str] = []
    for key, value in proxies.items():
        if key == "no":
            continue
        authority = value.split("://", 1)[-1].split("/", 1)[0]
        if "@" not in authority:
            continue
        userinfo = authority.rsplit("@", 1)[0]
        # A token alone in the user part (http://TOKEN@proxy) is a secret too.
        secret = userinfo.split(":", 1)[1] if ":" in userinfo else userinfo
        if secret:
            found += [secret, unquote(secret)]
    return list(dict.fromkeys(found))


def proxies_from_env(env: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """urllib's `getproxies_environment()` over a mapping: {scheme: url}, {scheme: var name}.

    Any `<scheme>_proxy` counts, case-insensitively; lower-case names win, and an
    empty lower-case value removes the upper-case one (CPython's two passes).
    """
    proxies: dict[str, str] = {}
    sources: dict[str, str] = {}
    for name, value in env.items():
        if value and name.lower().endswith("_proxy"):
            scheme = name.lower()[:-6]
            proxies[scheme], sources[scheme] = value, name
    # CVE-2016-1000110: under CGI, HTTP_PROXY can come from a request header.
    if "REQUEST_METHOD" in env:
        proxies.pop("http", None)
        sources.pop("http", None)
    for name, value in env.items():
        if name.endswith("_proxy"):  # lower-case spelling only
            scheme = name.lower()[:-6]
            if value:
                proxies[scheme], sources[scheme] = value, name
            else:
                proxies.pop(scheme, None)
                sources.pop(scheme, None)
    return proxies, sources


# --- httpx ----------------------------------------------------------------


def _httpx_route(url: str, proxies: dict[str, str], sources: dict[str, str]) -> ProxyRoute:
    """httpx `_utils.get_environment_proxies` + its most-specific-pattern-wins lookup."""
    scheme, host, port = _endpoint(url)
    bypass = _httpx_no_proxy_match(proxies.get("no", ""), scheme, host, port)
    if bypass is not None:
        return ProxyRoute("httpx", bypassed_by=bypass)
    # "https://" outranks "all://" (a longer scheme is more specific).
    for key in (scheme, "all"):
        if key in ("http", "https", "all") and proxies.get(key):
            value = proxies[key]
            return ProxyRoute("httpx", url=value if "://" in value else f"http://{value}", source=sources.get(key))
    return ProxyRoute("httpx")


def _httpx_no_proxy_match(no_proxy: str, scheme: str, host: str, port: int | None) -> str | None:
    for raw in no_proxy.split(","):
        entry = raw.strip()
        if entry == "*":
            return entry
        if not entry:
            continue
        if "://" in entry:
            e = _split(entry)
            if e is None:
                continue
            if e.scheme not in ("all", scheme):
                continue
            if e.port is not None and e.port != port:
                continue
            if _host_pattern_matches((e.hostname or "*"), host):
                return entry
        elif _is_ip(entry) or entry.lower() == "localhost":
            if host == entry.split("/")[0].lower().strip("[]"):
                return entry
        elif _host_pattern_matches(f"*{entry.lower()}", host):
            return entry
    return None


def _host_pattern_matches(pattern: str, host: str) -> bool:
    """httpx URLPattern host rules: '*' any, '*.d' strict subdomains, '*d' d or any subdomain."""
    if pattern in ("", "*"):
        return True
    if pattern.startswith("*."):
        return host.endswith(pattern[1:]) and host != pattern[2:]
    if pattern.startswith("*"):
        domain = pattern[1:]
        return host == domain or host.endswith("." + domain)
    return host == pattern


# --- websockets -------------------------------------------------------------


def _websockets_route(url: str, proxies: dict[str, str], sources: dict[str, str]) -> ProxyRoute:
    """websockets `proxy.get_proxy`: urllib `proxy_bypass`, then wss/ws, socks, https[, http]."""
    scheme, host, port = _endpoint(url)
    secure = scheme in ("wss", "https")
    bypass = _urllib_no_proxy_match(proxies.get("no", ""), host, port)
    if bypass is not None:
        return ProxyRoute("websockets", bypassed_by=bypass)
    # Note: no "all" here, so ALL_PROXY never reaches the socket.
    for key in ["wss", "socks", "https"] if secure else ["ws", "socks", "https", "http"]:
        value = proxies.get(key)
        if value:
            if key == "socks" and value.startswith("http://"):
                value = "socks5h://" + value[7:]
            return ProxyRoute("websockets", url=value, source=sources.get(key))
    return ProxyRoute("websockets")


def _urllib_no_proxy_match(no_proxy: str, host: str, port: int) -> str | None:
    """urllib `proxy_bypass_environment`: suffix match on host or host:port."""
    if no_proxy == "*":
        return "*"
    host_port = f"{host}:{port}"
    for raw in no_proxy.split(","):
        name = raw.strip().lstrip(".").lower()
        if not name:
            continue
        if name in (host, host_port) or host.endswith("." + name) or host_port.endswith("." + name):
            return raw.strip()
    return None


# --- problems ----------------------------------------------------------------


def _scheme_problems(
    ws: ProxyRoute,
    proxies: dict[str, str],
    sources: dict[str, str],
    has: Callable[[str], bool],
) -> list[Finding]:
    problems: list[Finding] = []

    def add(diagnosis_id: str, message: str) -> None:
        if all(p.message != message for p in problems):
            problems.append(Finding(diagnosis_id, Status.WARN, message))

    # httpx builds a transport for every http/https/all proxy variable when the
    # client is created, so a bad one breaks every request, whichever host.
    for key in ("http", "https", "all"):
        value = proxies.get(key)
        if not value:
            continue
        shown = f"{sources.get(key, key)}={display_proxy(value)}"
        scheme = _scheme(value) or "http"  # httpx prefixes a bare host:port with http://
        if _split(value if "://" in value else f"http://{value}") is None:
            add("proxy_scheme_wrong", f"{shown} is not a valid proxy URL (expected http://host:port).")
        elif scheme not in _HTTPX_SCHEMES:
            add(
                "proxy_scheme_wrong",
                f"{shown}: httpx refuses {scheme}:// proxies and fails on creating the client (use http:// or socks5h://).",
            )
        elif scheme.startswith("socks") and not has("socksio"):
            add(
                "proxy_socks_missing_socksio",
                f"{shown} is a SOCKS proxy but socksio is not installed, so every httpx request fails: "
                'pip install "httpx[socks]" (or unset it).',
            )

    # websockets looks at its one chosen proxy, when connecting.
    if ws.url:
        shown = f"{ws.source}={ws.display}"
        scheme = ws.scheme or ""
        if _split(ws.url) is None:
            add("proxy_scheme_wrong", f"{shown} is not a valid proxy URL (expected http://host:port).")
        elif "://" not in ws.url:
            add(
                "proxy_scheme_wrong",
                f"{shown} has no scheme: websockets rejects it (httpx assumes http://). Write http://{ws.display}.",
            )
        elif scheme not in _WEBSOCKETS_SCHEMES:
            add(
                "proxy_scheme_wrong",
                f"{shown}: websockets does not support {scheme}:// proxies (use http:// or socks5h://).",
            )
        elif scheme.startswith("socks") and not has("python_socks"):
            add(
                "proxy_socks_missing_socksio",
                f"{shown} is a SOCKS proxy but python-socks is not installed, so the WebSocket cannot use it: "
                'pip install "python-socks[asyncio]".',
            )

    # https:// on a plain-HTTP port: check every proxy variable, not just the
    # chosen ones, since other tools (curl, pip) may pick a different one.
    for key, value in proxies.items():
        parts = _split(value) if key != "no" else None
        if parts is not None and parts.scheme.lower() == "https" and _port(parts) in PLAIN_HTTP_PROXY_PORTS:
            add(
                "proxy_scheme_wrong",
                f"{sources.get(key, key)}={display_proxy(value)} uses https:// on port {_port(parts)}, where "
                f"proxies speak plain HTTP: expect [SSL: WRONG_VERSION_NUMBER]. "
                f"Use http://{parts.netloc.rsplit('@', 1)[-1]}.",
            )
    return problems


def _typo_problems(env: Mapping[str, str]) -> list[Finding]:
    """Names close to a proxy variable that urllib will never read (HTTP_PORXY, HTTPSPROXY)."""
    problems: list[Finding] = []
    for name, value in env.items():
        if not value or not value.strip():
            continue
        lower = name.lower()
        if lower.endswith("_proxy") and lower[:-6] in _KNOWN_PREFIXES:
            continue  # a real variable
        if lower.endswith("_proxy"):
            # Read by urllib, but for a scheme nobody asks for (HTTSP_PROXY).
            prefix = _closest(lower[:-6], ("http", "https", "all", "no", "wss"), cutoff=0.75)
            match = f"{prefix}_proxy" if prefix else None
        else:
            # 0.85 keeps look-alikes such as HTTP_PROXY_HOST out.
            match = _closest(lower, _PROXY_VARS, cutoff=0.85)
        if match is None or not _looks_like_proxy_value(match, value):
            continue
        intended = match.upper() if name.isupper() else match
        problems.append(
            Finding(
                "proxy_env_typo",
                Status.WARN,
                f"{name} is set but nothing reads it; did you mean {intended}? "
                + (
                    "Until then no host is exempted from the proxy."
                    if match == "no_proxy"
                    else "Until then that proxy is not used."
                ),
            )
        )
    return problems


def _closest(word: str, candidates: tuple[str, ...], *, cutoff: float) -> str | None:
    """Best candidate: a transposition or missing separator first (HTTSP, HTTPSPROXY), else difflib."""
    letters = sorted(word.replace("_", "").replace("-", ""))
    for candidate in candidates:
        if sorted(candidate.replace("_", "")) == letters:
            return candidate
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff)
    return close[0] if close else None


def _looks_like_proxy_value(var: str, value: str) -> bool:
    value = value.strip()
    if var == "no_proxy":
        return "," in value or "." in value or value in ("*", "localhost")
    return "://" in value or bool(_HOST_PORT.match(value))


# --- helpers ----------------------------------------------------------------


def _endpoint(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a target URL; a malformed one yields empty parts, not an error."""
    parts = _split(url)
    if parts is None:
        return "", "", 0
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or (443 if scheme in ("https", "wss") else 80)


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def _scheme(url: str) -> str:
    return url.split("://", 1)[0].lower() if "://" in url else ""


def _split(url: str) -> SplitResult | None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return None
    return parts


def _port(parts: SplitResult) -> int:
    return parts.port or (443 if parts.scheme.lower() == "https" else 80)


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text.split("/")[0].strip("[]"))
    except ValueError:
        return False
    return True


def _route_key(route: ProxyRoute) -> str | None:
    """Two routes are the same if they reach the same proxy (credentials aside)."""
    if not route.url:
        return None
    value = route.url if "://" in route.url else f"http://{route.url}"
    parts = _split(value)
    if parts is None:
        return value
    scheme = parts.scheme.lower()
    # websockets turns a socks_proxy "http://" into socks5h; httpx's socks5 and
    # socks5h differ only in where DNS happens, which does not change the route.
    scheme = "socks5" if scheme.startswith("socks5") else scheme
    return f"{scheme}://{(parts.hostname or '').lower()}:{_port(parts)}"


def _strip_query(url: str) -> str:
    return url.split("?", 1)[0]


def basic_credentials(proxy_url: str) -> tuple[str, str] | None:
    """(user, password) from a proxy URL, percent-decoded, or None."""
    parts = _split(proxy_url)
    if parts is None or parts.username is None:
        return None
    return unquote(parts.username), unquote(parts.password or "")


__all__ = [
    "PLAIN_HTTP_PROXY_PORTS",
    "ProxyPlan",
    "ProxyRoute",
    "basic_credentials",
    "display_proxy",
    "proxies_from_env",
    "proxy_secrets",
    "resolve_proxies",
]
