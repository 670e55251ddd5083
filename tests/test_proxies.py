"""Which proxy httpx and websockets will use, and the proxy mistakes users make (failures.md F11, F12)."""

from __future__ import annotations

import pytest

from realtime_check.probes.proxies import (
    display_proxy,
    proxies_from_env,
    resolve_proxies,
)
from realtime_check.redact import Redactor

REST = "https://api.openai.com/v1"
WS = "wss://api.openai.com/v1/realtime?model=gpt-realtime"


def plan(env: dict[str, str], *, installed: tuple[str, ...] = ("socksio", "python_socks"), **kwargs: object):  # type: ignore[no-untyped-def]
    return resolve_proxies(REST, WS, env, module_available=lambda name: name in installed, **kwargs)  # type: ignore[arg-type]


def ids(env: dict[str, str], **kwargs: object) -> list[str]:
    return [p.diagnosis for p in plan(env, **kwargs).problems]


# (env, REST proxy, REST source, WS proxy, WS source)
ROUTES = [
    ({}, None, None, None, None),
    (
        {"HTTPS_PROXY": "http://proxy.corp:3128"},
        "http://proxy.corp:3128",
        "HTTPS_PROXY",
        "http://proxy.corp:3128",
        "HTTPS_PROXY",
    ),
    (
        {"https_proxy": "http://lower:3128", "HTTPS_PROXY": "http://upper:3128"},
        "http://lower:3128",
        "https_proxy",
        "http://lower:3128",
        "https_proxy",
    ),
    # An empty lower-case variable switches the upper-case one off (CPython's second pass).
    ({"HTTPS_PROXY": "http://proxy.corp:3128", "https_proxy": ""}, None, None, None, None),
    # websockets never reads ALL_PROXY; httpx does.
    ({"ALL_PROXY": "http://all.corp:3128"}, "http://all.corp:3128", "ALL_PROXY", None, None),
    # HTTP_PROXY is for http:// URLs only: neither client uses it for https/wss.
    ({"HTTP_PROXY": "http://plain.corp:3128"}, None, None, None, None),
    # WSS_PROXY outranks HTTPS_PROXY for websockets only.
    (
        {"WSS_PROXY": "http://ws.corp:8080", "HTTPS_PROXY": "http://proxy.corp:3128"},
        "http://proxy.corp:3128",
        "HTTPS_PROXY",
        "http://ws.corp:8080",
        "WSS_PROXY",
    ),
    # httpx prefixes a bare host:port with http://; websockets takes it as is.
    ({"HTTPS_PROXY": "proxy.corp:3128"}, "http://proxy.corp:3128", "HTTPS_PROXY", "proxy.corp:3128", "HTTPS_PROXY"),
    # A socks_proxy "http://" URL is SOCKS for websockets.
    ({"socks_proxy": "http://socks.corp:1080"}, None, None, "socks5h://socks.corp:1080", "socks_proxy"),
    ({"HTTPS_PROXY": "http://proxy.corp:3128", "NO_PROXY": "api.openai.com"}, None, None, None, None),
    ({"HTTPS_PROXY": "http://proxy.corp:3128", "NO_PROXY": "openai.com"}, None, None, None, None),
    ({"HTTPS_PROXY": "http://proxy.corp:3128", "NO_PROXY": "*"}, None, None, None, None),
    # ".openai.com": httpx reads it as strict subdomains (api.* matches), urllib strips the dot.
    ({"HTTPS_PROXY": "http://proxy.corp:3128", "no_proxy": "localhost, .openai.com"}, None, None, None, None),
    (
        {"HTTPS_PROXY": "http://proxy.corp:3128", "NO_PROXY": "localhost,127.0.0.1"},
        "http://proxy.corp:3128",
        "HTTPS_PROXY",
        "http://proxy.corp:3128",
        "HTTPS_PROXY",
    ),
    # Under CGI, HTTP_PROXY may come from a request header and is ignored.
    (
        {"REQUEST_METHOD": "GET", "HTTPS_PROXY": "http://proxy.corp:3128"},
        "http://proxy.corp:3128",
        "HTTPS_PROXY",
        "http://proxy.corp:3128",
        "HTTPS_PROXY",
    ),
]


@pytest.mark.parametrize(("env", "rest", "rest_source", "ws", "ws_source"), ROUTES)
def test_routes_replay_each_client(
    env: dict[str, str], rest: str | None, rest_source: str | None, ws: str | None, ws_source: str | None
) -> None:
    """Each transport gets the proxy (and source variable) its library would pick from that environment."""
    result = plan(env)
    assert (result.rest.url, result.rest.source) == (rest, rest_source)
    assert (result.ws.url, result.ws.source) == (ws, ws_source)


def test_no_proxy_bypass_is_explained() -> None:
    """A route sent direct by NO_PROXY says which entry did it."""
    result = plan({"HTTPS_PROXY": "http://proxy.corp:3128", "NO_PROXY": "localhost,api.openai.com"})
    assert result.rest.bypassed_by == "api.openai.com"
    assert result.rest.describe() == "direct (NO_PROXY entry 'api.openai.com')"


def test_system_proxies_apply_only_without_env_proxies() -> None:
    """OS proxy settings (macOS/Windows) are used like urllib does: only when no proxy variable is set."""
    system = {"https": "http://system.corp:8080"}
    assert plan({}, system_proxies=system).rest.source == "system proxy settings"
    assert plan({"HTTPS_PROXY": "http://env.corp:3128"}, system_proxies=system).rest.url == "http://env.corp:3128"


# (env, installed modules, expected problem ids in order)
PROBLEMS = [
    ({"HTTPS_PROXY": "http://proxy.corp:3128"}, ("socksio", "python_socks"), []),
    # F12: SOCKS in ALL_PROXY without socksio breaks every httpx request; websockets ignores ALL_PROXY.
    ({"ALL_PROXY": "socks5://127.0.0.1:1080"}, (), ["proxy_socks_missing_socksio", "proxy_transports_differ"]),
    ({"ALL_PROXY": "socks5://127.0.0.1:1080"}, ("socksio",), ["proxy_transports_differ"]),
    # httpx builds every proxy variable at client creation, even HTTP_PROXY for an https URL.
    ({"HTTP_PROXY": "socks5h://127.0.0.1:1080"}, (), ["proxy_socks_missing_socksio"]),
    ({"HTTPS_PROXY": "socks5h://127.0.0.1:1080"}, ("socksio",), ["proxy_socks_missing_socksio"]),
    ({"HTTPS_PROXY": "socks5h://127.0.0.1:1080"}, ("socksio", "python_socks"), []),
    ({"HTTPS_PROXY": "socks4://127.0.0.1:1080"}, ("socksio", "python_socks"), ["proxy_scheme_wrong"]),
    # F12: https:// on a plain-HTTP proxy port means WRONG_VERSION_NUMBER.
    ({"HTTPS_PROXY": "https://proxy.corp:3128"}, (), ["proxy_scheme_wrong"]),
    ({"HTTPS_PROXY": "https://proxy.corp:8080"}, (), ["proxy_scheme_wrong"]),
    ({"HTTPS_PROXY": "https://proxy.corp"}, (), []),
    ({"HTTPS_PROXY": "proxy.corp:3128"}, (), ["proxy_scheme_wrong"]),
    ({"HTTPS_PROXY": "http://[bad"}, (), ["proxy_scheme_wrong"]),  # said once, not once per client
    # F11: typos that leave traffic going direct.
    ({"HTTP_PORXY": "http://proxy.corp:3128"}, (), ["proxy_env_typo"]),
    ({"HTTPSPROXY": "http://proxy.corp:3128"}, (), ["proxy_env_typo"]),
    ({"HTTSP_PROXY": "http://proxy.corp:3128"}, (), ["proxy_env_typo"]),
    ({"NOPROXY": "localhost,.corp"}, (), ["proxy_env_typo"]),
    # Look-alikes that are not proxy settings stay quiet.
    ({"HTTP_PROXY_HOST": "proxy.corp:3128", "FTP_PROXY": "http://ftp.corp:21", "HTTPSPROXY": "yes"}, (), []),
    ({"WSS_PROXY": "http://ws.corp:8080", "HTTPS_PROXY": "http://proxy.corp:3128"}, (), ["proxy_transports_differ"]),
    # Same proxy, different credentials or spelling: one route, no warning.
    ({"HTTPS_PROXY": "http://a:b@proxy.corp:3128", "WSS_PROXY": "http://PROXY.corp:3128/"}, (), []),
]


@pytest.mark.parametrize(("env", "installed", "expected"), PROBLEMS)
def test_problems_table(env: dict[str, str], installed: tuple[str, ...], expected: list[str]) -> None:
    """Each misconfiguration from failures.md F11/F12 is flagged with its diagnosis id, and clean setups are not."""
    assert ids(env, installed=installed) == expected


def test_typo_message_names_the_intended_variable() -> None:
    """A misspelt variable is named together with the spelling that would work, in the same case."""
    (problem,) = plan({"HTTP_PORXY": "http://proxy.corp:3128"}).problems
    assert "HTTP_PORXY" in problem.message and "did you mean HTTP_PROXY?" in problem.message


def test_transports_differ_message_names_both_routes() -> None:
    """The REST/WS split warning says where each one goes (F11: works for REST, not for the socket)."""
    (problem,) = plan({"ALL_PROXY": "http://all.corp:3128"}).problems
    assert "http://all.corp:3128 (from ALL_PROXY)" in problem.message and "goes direct" in problem.message
    assert "?model" not in problem.message


def test_credentials_are_never_shown_but_registered_for_redaction() -> None:
    """A proxy URL with credentials works, is displayed masked everywhere, and its password is redacted later."""
    redactor = Redactor()
    env = {
        "HTTPS_PROXY": "http://alice:hunter2-FAKE@proxy.corp:8080",
        "ALL_PROXY": "socks5://bob:pw-FAKE-123@socks.corp:1080",
    }
    result = plan(env, installed=(), redactor=redactor)
    assert result.rest.url == "http://alice:hunter2-FAKE@proxy.corp:8080"
    shown = " ".join(
        [result.rest.describe(), result.ws.describe(), repr(result)] + [p.message for p in result.problems]
    )
    assert "hunter2" not in shown and "pw-FAKE" not in shown and "alice" not in shown
    assert "hunter2-FAKE" not in redactor.text("proxy said: bad password hunter2-FAKE")
    assert "pw-FAKE-123" not in redactor.text("socks auth failed for pw-FAKE-123")


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://user:pass@proxy:3128", "http://***@proxy:3128"),
        ("http://token-only@proxy:3128/", "http://***@proxy:3128/"),
        ("http://us@r:p@ss@proxy:3128", "http://***@proxy:3128"),
        ("http://[broken@proxy", "http://***@proxy"),
        ("http://proxy:3128", "http://proxy:3128"),
    ],
)
def test_display_proxy_masks_any_user_info(url: str, shown: str) -> None:
    """User info is masked whatever its shape, even in URLs urllib cannot parse."""
    assert display_proxy(url) == shown


def test_proxies_from_env_reads_any_scheme_like_urllib() -> None:
    """Any <scheme>_proxy variable is read, case-insensitively, empty values ignored."""
    proxies, sources = proxies_from_env(
        {"FTP_PROXY": "http://f:21", "Https_Proxy": "http://h:1", "NO_PROXY": "", "PATH": "/bin"}
    )
    assert proxies == {"ftp": "http://f:21", "https": "http://h:1"}
    assert sources == {"ftp": "FTP_PROXY", "https": "Https_Proxy"}
