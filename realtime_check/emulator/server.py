"""Start and stop the emulator in a background thread with its own event loop.

Used by tests, by the demo and by `realtime-check emulate` (through serve.py).
`start()` returns only once the port is listening; `stop()` returns promptly even with
slow-drip bodies or silent sockets still open.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from realtime_check.emulator.scenarios import PHASES, Scenario, get_scenario

if TYPE_CHECKING:  # the server stack loads only when an emulator starts
    from aiohttp import web

    from realtime_check.emulator.tls import ServerTls

_STOP_TIMEOUT_S = 5.0


class Emulator:
    """The OpenAI Realtime API emulator, bound to loopback by default.

    Attributes once started: `root_url` (scheme://host:port), `base_url` (root + the
    scenario's base path, normally /v1), `ws_url` (the realtime socket URL, no query),
    `port`, `ca_file` (the PEM to trust when serving TLS, else None), `scenario`, and
    `requests`, the thread-safe log of every request the server received, and `socket_log`,
    what happened on each /v1/realtime socket (what the bridge doctor reports).
    """

    def __init__(
        self,
        scenario: str | Scenario = "healthy",
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        tls: bool | None = None,
        latency_ms: int | None = None,
        event_latency_ms: int | None = None,
        phase_latency_ms: Mapping[str, int] | None = None,
        clock: Callable[[], float] | None = None,
        ca_organization: str | None = None,
    ) -> None:
        from realtime_check.emulator.app import RequestLog
        from realtime_check.emulator.state import SocketLog

        self.scenario = get_scenario(scenario) if isinstance(scenario, str) else scenario
        self.host = host
        self.port = port
        self.tls = self.scenario.tls if tls is None else tls
        self.latency_ms = self.scenario.latency_ms if latency_ms is None else latency_ms
        self.event_latency_ms = self.scenario.event_latency_ms if event_latency_ms is None else event_latency_ms
        self.phase_latency_ms = _checked_phases(phase_latency_ms or {})
        self.clock = clock or time.time
        self.ca_organization = ca_organization
        self.requests = RequestLog()
        self.socket_log = SocketLog()
        self.ca_file: Path | None = None
        self._tls_material: ServerTls | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None

    # URLs

    @property
    def root_url(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://{_url_host(self.host)}:{self.port}"

    @property
    def base_url(self) -> str:
        return self.root_url + self.scenario.hints.base_path

    @property
    def ws_url(self) -> str:
        scheme = "wss" if self.tls else "ws"
        return f"{scheme}://{_url_host(self.host)}:{self.port}{self.scenario.hints.base_path}/realtime"

    # lifecycle

    def start(self) -> Emulator:
        if self._thread is not None:
            raise RuntimeError("this emulator is already started")
        if self.tls:
            from realtime_check.emulator.tls import (
                DEFAULT_CA_ORGANIZATION,
                make_server_tls,
            )

            self._tls_material = make_server_tls(self.ca_organization or DEFAULT_CA_ORGANIZATION)
            self.ca_file = self._tls_material.ca_file
        self._thread = threading.Thread(target=self._run, name=f"emulator-{self.scenario.name}", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._startup_error is not None:
            self._thread.join(_STOP_TIMEOUT_S)
            self._thread = None
            self._cleanup_tls()
            raise OSError(f"the emulator could not listen on {self.host}:{self.port}: {self._startup_error}") from (
                self._startup_error
            )
        return self

    def stop(self) -> None:
        """Close every connection and the listening socket; safe to call twice."""
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            return
        if loop.is_running():
            future = asyncio.run_coroutine_threadsafe(self._shutdown(), loop)
            # A stuck connection must not keep the caller waiting.
            with contextlib.suppress(Exception):
                future.result(_STOP_TIMEOUT_S)
            loop.call_soon_threadsafe(loop.stop)
        thread.join(_STOP_TIMEOUT_S)
        self._thread = None
        self._cleanup_tls()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # the loop thread

    def _run(self) -> None:
        try:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            loop.run_until_complete(self._startup())
        except BaseException as exc:  # report to start(), which raises in the caller's thread
            self._startup_error = exc
            self._ready.set()
            if self._loop is not None:
                self._loop.close()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _startup(self) -> None:
        from aiohttp import web

        from realtime_check.emulator.app import EmulatorState, build_app

        state = EmulatorState(
            scenario=self.scenario,
            clock=self.clock,
            latency_ms=self.latency_ms,
            event_latency_ms=self.event_latency_ms,
            phase_latency_ms=dict(self.phase_latency_ms),
            requests=self.requests,
            socket_log=self.socket_log,
        )
        # A short shutdown timeout: our handlers stop on their own when told, this is the backstop.
        runner = web.AppRunner(build_app(state), access_log=None, shutdown_timeout=1.0, handle_signals=False)
        await runner.setup()
        context = self._tls_material.context if self._tls_material is not None else None
        # "localhost" may resolve to two families; with port 0 each would get its own port.
        bind = "127.0.0.1" if self.host == "localhost" else self.host
        site = web.TCPSite(runner, bind, self.port, ssl_context=context)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self.port = runner.addresses[0][1]

    async def _shutdown(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def _cleanup_tls(self) -> None:
        if self._tls_material is not None:
            self._tls_material.cleanup()
            self._tls_material = None
            self.ca_file = None


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _checked_phases(latencies: Mapping[str, int]) -> dict[str, int]:
    """Per-phase delays, refused early when a phase name is unknown or a delay negative."""
    unknown = sorted(set(latencies) - set(PHASES))
    if unknown:
        raise ValueError(f"unknown phase(s) {', '.join(unknown)}; phases are: {', '.join(PHASES)}")
    negative = sorted(name for name, ms in latencies.items() if ms < 0)
    if negative:
        raise ValueError(f"a phase delay must be zero or more ({', '.join(negative)})")
    return dict(latencies)
