"""Proxies tested for real: the CLI, in its own process, through real forward proxies on loopback
(proxy.py for HTTP CONNECT, Basic auth, refusal and TLS interception; pproxy for SOCKS5) to the emulator over TLS.

Each transport is exercised on its own (`--only api_key` is httpx, `--only websocket` is websockets), so a
proxy that wants a login proves which transport went through it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from real_proxies import RunningProxy, pproxy_socks5, proxy_py

from realtime_check.emulator import Emulator

KEY = "sk-proj-FAKE0000000000000000000000000000000000"
PASSWORD = "FAKEproxyPASS0000"  # the proxy password: must never be shown
REST, SOCKET = "api_key", "websocket"


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    """The healthy emulator over TLS (so both transports tunnel with CONNECT), shared by the module."""
    with Emulator("tls-trusted") as emu:
        yield emu


@pytest.fixture(scope="module")
def login_proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningProxy]:
    """One proxy.py that wants user:PASSWORD (Basic), shared by the tests that need a login."""
    with proxy_py(tmp_path_factory.mktemp("login-proxy"), "--basic-auth", f"user:{PASSWORD}") as proxy:
        yield proxy


@pytest.fixture(scope="module")
def socks_login_proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningProxy]:
    """One pproxy SOCKS5 server that wants user:PASSWORD."""
    with pproxy_socks5(tmp_path_factory.mktemp("socks-proxy"), f"user:{PASSWORD}") as proxy:
        yield proxy


def run_cli(emu: Emulator, env: dict[str, str], *args: str, prelude: str = "") -> subprocess.CompletedProcess[str]:
    """`realtime-check run` against the emulator with exactly these proxy variables (none inherited)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_") and "proxy" not in k.lower()}
    argv = ["run", "--base-url", emu.base_url, "--ca-bundle", str(emu.ca_file), "--api-key", KEY, "--no-dotenv"]
    argv += ["--timeout", "20", *args]
    # `prelude` runs first in the child: how a test makes an optional dependency look missing.
    code = f"{prelude}\nimport runpy, sys\nsys.argv = ['realtime-check', *{argv!r}]\nrunpy.run_module('realtime_check', run_name='__main__')"
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=90,
        env={**base, **env},
        stdin=subprocess.DEVNULL,
    )


def checks(proc: subprocess.CompletedProcess[str]) -> dict[str, dict]:
    return {c["id"]: c for c in json.loads(proc.stdout)["checks"]}


def with_login(url: str, password: str = PASSWORD) -> str:
    return url.replace("://", f"://user:{password}@", 1)


def test_connect_proxy_without_auth_carries_every_check(emulator: Emulator, tmp_path: Path) -> None:
    """Through a plain CONNECT proxy every check passes, and the proxy really tunnelled the run."""
    with proxy_py(tmp_path) as proxy:
        proc = run_cli(emulator, {"HTTPS_PROXY": proxy.url}, "--json")
        network = checks(proc)["network"]
    assert proc.returncode == 0, proc.stdout
    assert network["details"]["rest_proxy"].startswith(proxy.url)
    assert network["details"]["ws_proxy"].startswith(proxy.url)


@pytest.mark.parametrize("transport", [REST, SOCKET])
def test_407_is_diagnosed_for_each_transport_and_login_fixes_it(
    emulator: Emulator, login_proxy: RunningProxy, transport: str
) -> None:
    """A proxy wanting a login gets proxy_auth_required from httpx and websockets alike; with user:password it passes."""
    refused = run_cli(emulator, {"HTTPS_PROXY": login_proxy.url}, "--json", "--only", transport)
    accepted = run_cli(emulator, {"HTTPS_PROXY": with_login(login_proxy.url)}, "--json", "--only", transport)
    result = checks(refused)[transport]
    assert (result["status"], result["diagnosis"]) == ("fail", "proxy_auth_required")
    assert result["advice"] and refused.returncode != 0
    assert checks(accepted)[transport]["status"] == "pass" and accepted.returncode == 0


@pytest.mark.parametrize("mode", [["-v"], ["--json-lines"]])
def test_proxy_password_never_shown(emulator: Emulator, login_proxy: RunningProxy, mode: list[str]) -> None:
    """The proxy password stays out of every output: a full run with it, and a run where the proxy rejects it."""
    good = run_cli(emulator, {"HTTPS_PROXY": with_login(login_proxy.url)}, *mode)
    wrong_password = "FAKEwrongPASS0000"
    bad = run_cli(emulator, {"HTTPS_PROXY": with_login(login_proxy.url, wrong_password)}, *mode)
    assert good.returncode == 0 and bad.returncode != 0
    shown = good.stdout + good.stderr + bad.stdout + bad.stderr
    assert PASSWORD not in shown and wrong_password not in shown
    assert "Traceback" not in shown
    assert "***@127.0.0.1" in shown  # the proxy is named, its credentials masked


def test_no_proxy_is_honoured_by_both_transports(emulator: Emulator, tmp_path: Path) -> None:
    """NO_PROXY=127.0.0.1 sends REST and sockets direct: a proxy that refuses everyone sees no tunnel at all."""
    with proxy_py(tmp_path, "--basic-auth", f"user:{PASSWORD}") as proxy:
        proc = run_cli(emulator, {"HTTPS_PROXY": proxy.url, "NO_PROXY": "127.0.0.1"}, "--json")
        network = checks(proc)["network"]
    assert proc.returncode == 0, proc.stdout  # any use of the proxy would have been a 407
    assert proxy.connects() == []  # its own log: nothing was even attempted
    assert "NO_PROXY" in network["details"]["rest_proxy"] and "NO_PROXY" in network["details"]["ws_proxy"]


def test_proxy_refusing_connect_is_the_proxys_fault(emulator: Emulator, tmp_path: Path) -> None:
    """A proxy that answers CONNECT with 403 is named as the cause, for the network check and the socket alike."""
    with proxy_py(tmp_path, "--plugins", "refuse_connect.RefuseConnect") as proxy:
        full = run_cli(emulator, {"HTTPS_PROXY": proxy.url}, "--json")
        socket_only = run_cli(emulator, {"HTTPS_PROXY": proxy.url}, "--json", "--only", SOCKET)
    network = checks(full)["network"]
    assert (network["status"], network["diagnosis"]) == ("fail", "proxy_connect_failed")
    assert "403" in network["summary"] and proxy.url in network["summary"]
    assert checks(socket_only)[SOCKET]["diagnosis"] == "proxy_connect_failed"


def test_tls_intercepting_proxy_is_diagnosed_naming_its_issuer(emulator: Emulator, tmp_path: Path) -> None:
    """A proxy re-signing TLS with its own CA is diagnosed as interception, naming that CA's issuer."""
    ca = trustme.CA(organization_name="FAKE Corp Inspection")
    ca.private_key_pem.write_to_path(str(tmp_path / "ca.key"))
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    (tmp_path / "certs").mkdir()
    interception = ["--ca-key-file", str(tmp_path / "ca.key"), "--ca-cert-file", str(tmp_path / "ca.pem")]
    interception += ["--ca-signing-key-file", str(tmp_path / "ca.key"), "--ca-cert-dir", str(tmp_path / "certs")]
    interception += ["--ca-file", str(emulator.ca_file)]  # the proxy itself trusts the emulator upstream
    with proxy_py(tmp_path, *interception) as proxy:
        proc = run_cli(emulator, {"HTTPS_PROXY": proxy.url}, "--json")
    network = checks(proc)["network"]
    assert (network["status"], network["diagnosis"]) == ("fail", "tls_interception")
    assert "FAKE Corp Inspection" in network["summary"]


@pytest.mark.parametrize("transport", [REST, SOCKET])
def test_socks5_proxy_with_the_extra_installed(
    emulator: Emulator, socks_login_proxy: RunningProxy, transport: str
) -> None:
    """With the socks extra, each transport goes through a SOCKS5 proxy that wants a login: refused without, passes with."""
    proxy = socks_login_proxy
    refused = run_cli(emulator, {"HTTPS_PROXY": proxy.url}, "--json", "--only", transport)
    accepted = run_cli(emulator, {"HTTPS_PROXY": with_login(proxy.url)}, "--json", "--only", transport)
    result = checks(refused)[transport]
    assert result["status"] == "fail" and result["diagnosis"] in ("proxy_auth_required", "proxy_connect_failed")
    assert checks(accepted)[transport]["status"] == "pass", accepted.stdout
    assert PASSWORD not in refused.stdout + accepted.stdout + refused.stderr + accepted.stderr


def test_socks5_without_the_extra_is_a_clear_error(emulator: Emulator, tmp_path: Path) -> None:
    """Without socksio/python-socks a SOCKS proxy is a named configuration problem with the pip command, no traceback."""
    hide = "import sys\nsys.modules['socksio'] = None\nsys.modules['python_socks'] = None"
    with pproxy_socks5(tmp_path) as proxy:
        proc = run_cli(emulator, {"ALL_PROXY": proxy.url, "HTTPS_PROXY": proxy.url}, "--json", prelude=hide)
    report = json.loads(proc.stdout)
    failing = [c for c in report["checks"] if c["diagnosis"] == "proxy_socks_missing_socksio"]
    assert failing, report["checks"]
    assert any("pip install" in line for c in failing for line in [c["summary"], *c["advice"]])
    assert proc.returncode == report["exit_code"] != 0
    assert "Traceback" not in proc.stdout + proc.stderr
