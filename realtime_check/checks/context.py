"""What every check receives: settings, the shared I/O seams and the run's clock.

Checks never build their own HTTP client or read os.environ: they get both
from here, so tests inject respx, the emulator or a fake clock without patching.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from realtime_check.models import CheckResult
from realtime_check.probes.proxies import ProxyPlan, ProxyRoute
from realtime_check.redact import Redactor
from realtime_check.settings import Settings


@dataclass(frozen=True)
class UpstreamSocket:
    """One socket the user's bridge opened to the bridge doctor's emulator, as the emulator saw it."""

    beta_header: bool  # OpenAI-Beta: realtime=v1 (or the beta subprotocol) was sent
    auth: str  # how it authenticated: "bearer", "api-key", "subprotocol" or "none"
    model: str | None  # ?model= on the upstream URL
    http_status: int | None  # the upgrade's plain HTTP answer when it was refused
    first_server_event: str | None  # what the emulator sent first: session.created, error, ...
    error_code: str | None
    close_code: int | None  # the emulator's own close, if it closed
    client_events: tuple[str, ...]  # client event types the bridge forwarded upstream
    rejected_session_fields: tuple[str, ...]  # session.update fields the GA server refused (beta shape)


@dataclass(frozen=True)
class RelayTarget:
    """The user's own bridge, reached the way their browser client does (`realtime-check relay URL`)."""

    url: str
    # Secrets may be inside: they are registered with the run's redactor by the command that builds this.
    headers: tuple[tuple[str, str], ...] = ()
    subprotocols: tuple[str, ...] = ()
    ephemeral: bool = False  # also send the minted ek_ as the browser subprotocols
    # The bridge doctor: what the emulator saw from the bridge so far (None without --upstream-emulator).
    upstream: Callable[[], Sequence[UpstreamSocket]] | None = None
    upstream_name: str = "OpenAI"  # who the direct check talks to, for the hop statement


@dataclass(frozen=True)
class RunOptions:
    verbose: bool = False
    # Opt-in: one tiny text response over the socket. It proves model access and
    # billing (docs/failures.md F41) but costs a few tokens, so it is off by default.
    probe_response: bool = False
    # Cap for the first server event on a socket (protocol.md §8: ~10 s).
    first_event_timeout: float = 10.0
    # Response bodies are read up to this many bytes; larger ones are refused.
    max_body_bytes: int = 1024 * 1024
    # Lifetime asked for the probe's ephemeral secret: short, it is thrown away.
    ephemeral_ttl_seconds: int = 60
    # With the webrtc check: also attach the ?call_id= sideband socket to the test call.
    sideband: bool = False
    # The live check's GPT-Live model (--live-model); None: model_facts.GPT_LIVE_MODEL.
    live_model: str | None = None
    # `realtime-check relay URL`: the bridge the relay check connects to.
    relay: RelayTarget | None = None


@dataclass
class RunFacts:
    """Facts one check (or the runner) learns and another uses, one typed field each.

    A new fact is a new field with a default meaning "not learned (yet)"; mypy then
    finds every reader. Written before the checks start unless noted.
    """

    # From the configuration (config.prepare): the key later checks send, cleaned of
    # quotes and whitespace, or None when there is no usable one.
    key: str | None = None
    config_result: CheckResult | None = None
    azure: bool = False
    base_url_invalid: bool = False
    # From the runner's wiring of the transports.
    proxy_plan: ProxyPlan = field(default_factory=lambda: ProxyPlan(ProxyRoute("httpx"), ProxyRoute("websockets")))
    trust_source: str | None = None  # where the CA trust comes from (--ca-bundle, SSL_CERT_FILE, ...)
    tls_config_error: Exception | None = None  # a CA bundle that could not be loaded
    rest_proxy_error: Exception | None = None  # a proxy httpx cannot use (SOCKS without socksio, ...)
    # From the network check: which paths ("rest", "ws") cannot be reached.
    unreachable: frozenset[str] = frozenset()
    # From the session check: the minted ephemeral client secret (a secret: the redactor has it).
    ephemeral_secret: str | None = None
    # From the websocket check, for the response probe: the still-open socket, whoever
    # takes it closes it (the runner closes it if nobody did).
    live_socket: Any = None

    def key_to_send(self) -> str:
        """The key, for a check past the api_blocker gate (which skips every check when there is none)."""
        if self.key is None:
            raise RuntimeError("no usable key: this check should have been skipped by its gate")
        return self.key


@dataclass
class CheckContext:
    settings: Settings
    redactor: Redactor
    options: RunOptions
    # Seams: an httpx.AsyncClient (or anything with its interface), a websockets
    # `connect` callable, the SSL context both transports use, and a clock.
    http: Any
    ws_connect: Callable[..., Any]
    ssl_context: Any
    clock: Callable[[], float] = time.perf_counter
    # Whether a socket's connection may be opened ahead of its upgrade (probes/preconnect.py):
    # only when the runner built the socket opener itself and no proxy is in the way.
    early_connections: bool = False
    # Today's date (UTC), for shutdown dates and days left; tests pin it.
    today: Callable[[], dt.date] = lambda: dt.datetime.now(dt.UTC).date()
    deadline: float = float("inf")
    selected: frozenset[str] = frozenset()
    facts: RunFacts = field(default_factory=RunFacts)
    # What each running check is waiting on right now, for timeout messages.
    waiting_on: dict[str, str] = field(default_factory=dict)
    _results: dict[str, asyncio.Future[CheckResult]] = field(default_factory=dict)
    _shared: dict[str, asyncio.Task[Any]] = field(default_factory=dict)

    def remaining(self) -> float:
        return max(0.0, self.deadline - self.clock())

    def result_future(self, check_id: str) -> asyncio.Future[CheckResult]:
        if check_id not in self._results:
            self._results[check_id] = asyncio.get_running_loop().create_future()
        return self._results[check_id]

    async def result(self, check_id: str) -> CheckResult | None:
        """The result of another check, waiting for it; None if it was not selected."""
        if check_id not in self.selected:
            return None
        return await asyncio.shield(self.result_future(check_id))

    def once(self, key: str, make: Callable[[], Awaitable[Any]]) -> Awaitable[Any]:
        """Run `make()` once per run and share its outcome (e.g. the model listing)."""
        if key not in self._shared:
            self._shared[key] = asyncio.ensure_future(make())
        return asyncio.shield(self._shared[key])

    def wait_note(self, check_id: str, what: str) -> None:
        self.waiting_on[check_id] = what

    def take_live_socket(self) -> Any:
        """The open socket the websocket check left, handed over once (None if there is none)."""
        conn, self.facts.live_socket = self.facts.live_socket, None
        return conn

    def cancel_shared(self) -> None:
        """Stop shared work nobody is waiting for any more (the run is over)."""
        for task in self._shared.values():
            task.cancel()
