"""Real forward proxies for the end-to-end proxy tests: proxy.py (HTTP CONNECT, Basic auth, TLS interception,
plugins) and pproxy (SOCKS5), each started in its own process on a free loopback port and stopped after."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PLUGINS = Path(__file__).resolve().parent / "proxy_plugins"
START_TIMEOUT = 20.0


@dataclass
class RunningProxy:
    url: str  # without credentials
    port: int
    log: Path  # proxy.py's access log: one line per finished CONNECT

    def connects(self) -> list[str]:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return [line for line in text.splitlines() if " - CONNECT " in line]


def _wait_for_port(port_file: Path, proc: subprocess.Popen[bytes]) -> int:
    """The port the proxy wrote, once it accepts connections (bounded: a proxy that never starts fails the test)."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"proxy exited with {proc.returncode}")
        text = port_file.read_text().strip() if port_file.exists() else ""
        if text.isdigit():
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", int(text)), timeout=1):
                return int(text)
        time.sleep(0.05)  # polling a child's start-up: there is no event to wait on across processes
    raise RuntimeError("proxy did not start in time")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def proxy_py(tmp: Path, *args: str) -> Iterator[RunningProxy]:
    """proxy.py on 127.0.0.1 with one acceptor and worker, its access log in `tmp`."""
    port_file, log = tmp / "proxy.port", tmp / "proxy.log"
    command = [sys.executable, "-m", "proxy", "--hostname", "127.0.0.1", "--port", "0", "--port-file", str(port_file)]
    command += ["--num-acceptors", "1", "--num-workers", "1", "--log-file", str(log), "--log-level", "INFO", *args]
    env = {**os.environ, "PYTHONPATH": str(PLUGINS)}
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp)
    try:
        port = _wait_for_port(port_file, proc)
        yield RunningProxy(f"http://127.0.0.1:{port}", port, log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def pproxy_socks5(tmp: Path, auth: str | None = None) -> Iterator[RunningProxy]:
    """pproxy serving SOCKS5 on 127.0.0.1 (optionally with user:password).

    `--auth 0`: pproxy otherwise remembers an authenticated client IP for days and lets later
    connections from it in without a login, which would make every test after the first pass.
    """
    port = _free_port()
    listen = f"socks5://127.0.0.1:{port}" + (f"#{auth}" if auth else "")
    log = tmp / "pproxy.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "pproxy", "-l", listen, "-v", "--auth", "0"],
            stdout=sink,
            stderr=subprocess.STDOUT,
            cwd=tmp,
        )
        try:
            marker = tmp / "pproxy.port"
            marker.write_text(str(port))
            _wait_for_port(marker, proc)
            yield RunningProxy(f"socks5://127.0.0.1:{port}", port, log)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
