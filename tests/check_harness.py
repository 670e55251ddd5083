"""Driving real check runs in tests through the injected seams: no global patching, no internet.

REST goes through a respx router mounted on an httpx.AsyncClient passed in as `Seams.http`; the
Realtime socket goes to a real `websockets` server on 127.0.0.1 port 0 whose behaviour each test scripts.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import email.utils
import json
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import respx
from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, serve
from websockets.datastructures import Headers
from websockets.http11 import Request, Response

from realtime_check import settings as settings_mod
from realtime_check.checks import CHECKS, doctor
from realtime_check.checks.context import RunOptions
from realtime_check.checks.runner import Seams, run_checks
from realtime_check.models import CheckResult
from realtime_check.probes.http import build_http_client
from realtime_check.redact import Redactor
from realtime_check.settings import Settings

# Obviously fake credentials (the word FAKE in each, per the shared rules).
FAKE_KEY = "sk-proj-FAKE0000000000000000000000000000000000000000TEST"
FAKE_EK = "ek_FAKE0123456789abcdef0123456789ab"
FAKE_ORG = "org-FAKE0000000000000000000000"
# .test never resolves (RFC 2606): if a request ever escaped the mock it could not reach anything.
BASE_URL = "https://api.openai.test/v1"
MODELS_URL = f"{BASE_URL}/models"
SECRETS_URL = f"{BASE_URL}/realtime/client_secrets"
REST_CHECKS = ["config", "api_key", "models", "session"]
# The date runs see (the seam for shutdown dates): the day the 2026-11 model facts were taken.
TODAY = dt.date(2026, 11, 30)

DATED = "gpt-realtime-2025-08-28"
# A listing a healthy project key might see: realtime models and a transcription model.
HEALTHY_IDS = (
    "gpt-realtime-2.1",
    "gpt-realtime",
    DATED,
    "gpt-realtime-mini",
    "gpt-4o-transcribe",
    "whisper-1",
    "gpt-4.1",
)


# --- settings and the run ---------------------------------------------------------------------------


def make_settings(
    *,
    api_key: str | None = FAKE_KEY,
    base_url: str = BASE_URL,
    ws_base_url: str | None = None,
    model: str | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 5.0,
) -> Settings:
    """Settings as the CLI resolves them, from flags and an explicit environment (never os.environ)."""
    flags = {"api_key": api_key, "base_url": base_url, "ws_base_url": ws_base_url, "model": model}
    return settings_mod.resolve(flags, env=dict(env or {}), dotenv={}, timeout=timeout)


def mock_client(router: respx.Router) -> httpx.AsyncClient:
    """The product's own HTTP client (its redirect policy, headers, timeouts) with the respx router as its network."""
    client: httpx.AsyncClient = build_http_client(
        None, None, timeout=30.0, transport=httpx.MockTransport(router.async_handler)
    )
    return client


def new_router() -> respx.Router:
    """A router that refuses (raises inside the transport) any request a test did not script."""
    return respx.Router(assert_all_called=False, assert_all_mocked=True)


class FakeClock:
    """The run's clock seam (`Seams.clock` and `Seams.sleep`) under the test's control.

    Time stands still until the test calls `advance`; a sleeper wakes when the time
    it waits for has been reached, so deadline tests never wait for real time.
    """

    def __init__(self) -> None:
        self.now = 0.0
        self._sleepers: list[tuple[float, asyncio.Future[None]]] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        wake = asyncio.get_running_loop().create_future()
        self._sleepers.append((self.now + seconds, wake))
        await wake

    @property
    def sleeping(self) -> bool:
        """Someone is still waiting on this clock."""
        return any(not wake.done() for _, wake in self._sleepers)

    def advance(self, seconds: float) -> None:
        self.now += seconds
        for due, wake in self._sleepers:
            if due <= self.now and not wake.done():
                wake.set_result(None)


class RecordingConnect:
    """The `ws_connect` seam: the real websockets client (no proxy), remembering every call's arguments."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, url: str, **kwargs: Any) -> Any:
        self.calls.append((url, kwargs))
        return connect(url, proxy=None, **kwargs)


_SSL: ssl.SSLContext | None = None


def client_ssl_context() -> ssl.SSLContext:
    """One shared default context, so runs do not rebuild the trust store (only wss/https would use it)."""
    global _SSL
    if _SSL is None:
        _SSL = ssl.create_default_context()
    return _SSL


@dataclass
class Run:
    """The results of one run, in the order the runner returned them, plus its redactor."""

    results: list[CheckResult]
    redactor: Redactor
    finished: list[str] = field(default_factory=list)  # check ids in the order they finished

    def __getitem__(self, check_id: str) -> CheckResult:
        return next(r for r in self.results if r.id == check_id)

    @property
    def ids(self) -> list[str]:
        return [r.id for r in self.results]


async def run_async(
    settings: Settings,
    selected: Iterable[str],
    *,
    router: respx.Router | None = None,
    http: Any = None,
    ws_connect: Any = None,
    options: RunOptions | None = None,
    on_result: Callable[[CheckResult], None] | None = None,
    today: dt.date = TODAY,
    clock: FakeClock | None = None,
) -> Run:
    """Run the selected checks in the current event loop with every I/O seam injected (today's date too)."""
    redactor = doctor.make_redactor(settings)
    finished: list[str] = []

    def record(result: CheckResult) -> None:
        finished.append(result.id)
        if on_result is not None:
            on_result(result)

    owned = None
    if http is None:
        owned = http = mock_client(router if router is not None else new_router())
    seams = Seams(
        http=http,
        ws_connect=ws_connect if ws_connect is not None else RecordingConnect(),
        ssl_context=client_ssl_context(),
        today=lambda: today,
    )
    if clock is not None:
        seams.clock, seams.sleep = clock, clock.sleep
    try:
        results = await run_checks(
            settings, options or RunOptions(), list(selected), redactor, seams=seams, on_result=record
        )
    finally:
        if owned is not None:
            await owned.aclose()
    return Run(results, redactor, finished)


def run(settings: Settings, selected: Iterable[str], **kwargs: Any) -> Run:
    """`run_async` in a fresh event loop, for tests that need no server."""
    return asyncio.run(run_async(settings, selected, **kwargs))


def report_order(selected: Iterable[str]) -> list[str]:
    chosen = set(selected)
    return [c.id for c in CHECKS if c.id in chosen]


# --- what the user sees -------------------------------------------------------------------------------


def shown_text(result: CheckResult) -> str:
    """Every string of a result that reaches a user (console, -v, JSON), joined."""
    parts = [result.summary, *result.advice, json.dumps(result.details, default=str)]
    if result.error is not None:
        parts.extend(v or "" for v in result.error.as_dict().values())
    parts.extend(x for x in (result.close_reason, result.request_id, result.diagnosis) if x)
    return "\n".join(parts)


def assert_secret_hidden(results: Iterable[CheckResult], secret: str) -> None:
    """Neither the secret nor any 12-character piece of it shows up in anything shown."""
    pieces = {secret[i : i + 12] for i in range(len(secret) - 11)}
    for result in results:
        text = shown_text(result)
        assert secret not in text, f"{result.id} shows the whole secret"
        leaked = [p for p in pieces if p in text]
        assert not leaked, f"{result.id} shows part of the secret: {leaked[:3]}"


# --- REST bodies ----------------------------------------------------------------------------------------


def model_entry(model_id: str, shutdown_date: str | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": model_id, "object": "model", "created": 1700000000, "owned_by": "system"}
    if shutdown_date is not None:
        entry["shutdown_date"] = shutdown_date
    return entry


def listing(*entries: str | dict[str, Any]) -> dict[str, Any]:
    """A `GET /v1/models` body; plain ids become model objects."""
    return {"object": "list", "data": [model_entry(e) if isinstance(e, str) else e for e in entries]}


def api_error(
    code: str | None, message: str, type_: str = "invalid_request_error", param: str | None = None
) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


def json_response(
    status: int, body: Any, *, request_id: str | None = None, headers: Mapping[str, str] | None = None
) -> httpx.Response:
    extra = dict(headers or {})
    if request_id:
        extra["x-request-id"] = request_id
    return httpx.Response(status, json=body, headers=extra)


def http_date(timestamp: float) -> str:
    return email.utils.formatdate(timestamp, usegmt=True)


def minted(secret: str = FAKE_EK, *, expires_at: float, model: str = "gpt-realtime") -> dict[str, Any]:
    """A GA `POST /v1/realtime/client_secrets` answer (protocol.md §2.1)."""
    return {
        "value": secret,
        "expires_at": expires_at,
        "session": {"type": "realtime", "object": "realtime.session", "id": "sess_FAKEminted01", "model": model},
    }


class CountingStream(httpx.AsyncByteStream):
    """A response body of `chunks` pieces of `size` bytes that counts how many were actually read."""

    def __init__(self, chunks: int, size: int) -> None:
        self.chunks = chunks
        self.size = size
        self.read = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(self.chunks):
            self.read += 1
            yield b"x" * self.size


def blocked_until(
    event: asyncio.Event, response: httpx.Response
) -> Callable[[httpx.Request], Awaitable[httpx.Response]]:
    """A respx side effect that answers only once `event` is set."""

    async def answer(request: httpx.Request) -> httpx.Response:
        await event.wait()
        return response

    return answer


# --- a scripted Realtime server --------------------------------------------------------------------------

Handler = Callable[[ServerConnection], Awaitable[None]]


@dataclass
class WsServer:
    port: int
    requests: list[Request]  # every upgrade request received, as received

    @property
    def ws_base_url(self) -> str:
        """The value for --ws-base-url; the tool appends /realtime?model=…"""
        return f"ws://127.0.0.1:{self.port}/v1"

    @property
    def headers(self) -> Headers:
        """Headers of the only upgrade request the server saw."""
        assert len(self.requests) == 1, f"expected one upgrade request, got {len(self.requests)}"
        return self.requests[0].headers


def _pick_realtime(connection: ServerConnection, offered: Any) -> Any:
    # Like the API: answer the browser subprotocol offer with `realtime`; accept sockets that offer none.
    return "realtime" if "realtime" in offered else None


@contextlib.asynccontextmanager
async def ws_server(
    handler: Handler,
    *,
    refuse: Callable[[ServerConnection, Request], Response | None] | None = None,
) -> AsyncIterator[WsServer]:
    """A real websockets server on 127.0.0.1:0 running `handler`; `refuse` may answer the upgrade instead."""
    requests: list[Request] = []

    def process_request(connection: ServerConnection, request: Request) -> Response | None:
        requests.append(request)
        return refuse(connection, request) if refuse is not None else None

    async with serve(
        handler, "127.0.0.1", 0, process_request=process_request, select_subprotocol=_pick_realtime, ping_interval=None
    ) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        yield WsServer(port, requests)


def refusal(
    status: int, body: Any, *, request_id: str | None = None, extra: Mapping[str, str] | None = None
) -> Response:
    """An upgrade answer other than 101, with a JSON body (what the API edge sends)."""
    payload = json.dumps(body).encode()
    headers = Headers({"Content-Type": "application/json", "Content-Length": str(len(payload))})
    if request_id:
        headers["x-request-id"] = request_id
    for name, value in (extra or {}).items():
        headers[name] = value
    reasons = {
        400: "Bad Request",
        401: "Unauthorized",
        403: "Forbidden",
        404: "Not Found",
        500: "Internal Server Error",
    }
    return Response(status, reasons.get(status, "Error"), headers, payload)


def session_created(model: str = DATED, session_id: str = "sess_FAKEsocket01") -> str:
    """The GA first server event (protocol.md §3.1)."""
    return json.dumps(
        {
            "type": "session.created",
            "event_id": "event_FAKE01",
            "session": {"type": "realtime", "object": "realtime.session", "id": session_id, "model": model},
        }
    )


def error_event(code: str, message: str, type_: str = "invalid_request_error") -> str:
    return json.dumps(
        {
            "type": "error",
            "event_id": "event_FAKE02",
            "error": {"type": type_, "code": code, "message": message, "param": None},
        }
    )
