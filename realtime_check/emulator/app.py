"""The emulator's aiohttp application: one port for REST and the Realtime WebSocket.

Every request goes through `_dispatch`, which routes it, applies the scenario's faults
(data from scenarios.py, interpreted generically) and otherwise answers like the GA
server described in reference/protocol.md. The socket side lives in `RealtimeSocket`.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import email.utils
import json
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from string import Template
from typing import Any, Literal

from aiohttp import WSMsgType, web
from multidict import CIMultiDict, CIMultiDictProxy

from realtime_check.emulator import scenarios as sc
from realtime_check.emulator.scenarios import ErrorSpec, HttpFault, Scenario, WsReject

DEFAULT_MODEL = "gpt-realtime"
BETA_SUBPROTOCOL = "openai-beta.realtime-v1"
KEY_SUBPROTOCOL = "openai-insecure-api-key."
ORG_SUBPROTOCOL = "openai-organization."
MIN_COMMIT_BYTES = 4800  # 100 ms of 24 kHz mono PCM16: the server's minimum for a commit
SESSION_TTL_S = 3600  # sessions report expires_at one hour ahead (the 2026 cap)
KeyKind = Literal["api", "ephemeral", "invalid"]


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the emulator saw it (REST call or WebSocket upgrade)."""

    method: str
    path: str
    query: dict[str, str]
    headers: CIMultiDictProxy[str]


class RequestLog:
    """Thread-safe, append-only list of recorded requests, readable from any thread."""

    def __init__(self) -> None:
        self._items: list[RecordedRequest] = []
        self._lock = threading.Lock()

    def append(self, item: RecordedRequest) -> None:
        with self._lock:
            self._items.append(item)

    def snapshot(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __iter__(self) -> Iterator[RecordedRequest]:
        return iter(self.snapshot())

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __getitem__(self, index: int) -> RecordedRequest:
        with self._lock:
            return self._items[index]


@dataclass
class MintedSecret:
    expires_at: int
    session: dict[str, Any]


@dataclass
class EmulatorState:
    """Everything the handlers share. Lives on the server's event loop thread."""

    scenario: Scenario
    clock: Callable[[], float] = time.time
    latency_ms: int = 0
    event_latency_ms: int = 0
    requests: RequestLog = field(default_factory=RequestLog)
    secrets: dict[str, MintedSecret] = field(default_factory=dict)
    sockets: set[web.WebSocketResponse] = field(default_factory=set)
    stopping: asyncio.Event = field(default_factory=asyncio.Event)

    async def pause(self, ms: float) -> bool:
        """Sleep `ms`, returning False at once if the emulator is stopping."""
        if self.stopping.is_set():
            return False
        if ms <= 0:
            return True
        try:
            await asyncio.wait_for(self.stopping.wait(), ms / 1000)
        except asyncio.TimeoutError:
            return True
        return False


STATE = web.AppKey("emulator_state", EmulatorState)


def build_app(state: EmulatorState) -> web.Application:
    app = web.Application()
    app[STATE] = state
    app.router.add_route("*", "/{tail:.*}", _dispatch)
    app.on_shutdown.append(_close_sockets)
    return app


async def _close_sockets(app: web.Application) -> None:
    state = app[STATE]
    state.stopping.set()
    closes = [ws.close(code=1001, message=b"emulator stopping") for ws in list(state.sockets)]
    await asyncio.gather(*closes, return_exceptions=True)


# --- Pure helpers ----------------------------------------------------------------------------


def route(method: str, path: str, upgrade: bool) -> tuple[str, str | None] | None:
    """(endpoint, argument) for a request, or None for an unknown URL."""
    if path == "/v1/models" and method == "GET":
        return "models.list", None
    if path.startswith("/v1/models/") and method == "GET" and len(path) > len("/v1/models/"):
        return "models.get", path[len("/v1/models/") :]
    if path == "/v1/realtime/client_secrets" and method == "POST":
        return "client_secrets", None
    if path in ("/v1/realtime/sessions", "/v1/realtime/transcription_sessions") and method == "POST":
        return "beta", None
    if path == "/v1/realtime":
        if method == "GET":
            return ("realtime", None) if upgrade else ("realtime.plain", None)
        if method == "POST":  # the beta WebRTC SDP exchange
            return "beta", None
    return None


def error_body(spec: ErrorSpec, values: dict[str, str]) -> dict[str, Any]:
    """The API's error body, all four keys present, placeholders filled."""
    return {"error": error_object(spec, values)}


def error_object(spec: ErrorSpec, values: dict[str, str]) -> dict[str, Any]:
    message = Template(spec.message).safe_substitute(values)
    return {"message": message, "type": spec.type, "param": spec.param, "code": spec.code}


def server_key_hint(key: str) -> str:
    """The key as the real server echoes it: kind prefix, '...', last four characters."""
    head = next((p for p in ("sk-proj-", "sk-svcacct-", "sk-admin-", "sk-", "ek_") if key.startswith(p)), "")
    if len(key) <= len(head) + 4 or len(key) < 8:
        return f"{head}..."
    return f"{head}...{key[-4:]}"


def credential(headers: CIMultiDictProxy[str] | CIMultiDict[str]) -> str | None:
    """The key from `Authorization: Bearer`/`Basic`, or the browser subprotocol."""
    auth = headers.get("Authorization", "").strip()
    scheme, _, value = auth.partition(" ")
    value = value.strip()
    if scheme.lower() == "bearer" and value:
        return value
    if scheme.lower() == "basic" and value:
        try:
            _, _, password = base64.b64decode(value).decode("utf-8", "replace").partition(":")
        except (binascii.Error, ValueError):
            return None
        return password or None
    for proto in subprotocols(headers):
        if proto.startswith(KEY_SUBPROTOCOL) and len(proto) > len(KEY_SUBPROTOCOL):
            return proto[len(KEY_SUBPROTOCOL) :]
    return None


def subprotocols(headers: CIMultiDictProxy[str] | CIMultiDict[str]) -> list[str]:
    raw = ",".join(headers.getall("Sec-WebSocket-Protocol", []))
    return [p.strip() for p in raw.split(",") if p.strip()]


def sends_beta(headers: CIMultiDictProxy[str]) -> bool:
    """Did the client ask for the retired beta protocol (header or browser subprotocol)?"""
    return "realtime" in headers.get("OpenAI-Beta", "").lower() or BETA_SUBPROTOCOL in subprotocols(headers)


def sends_organization(headers: CIMultiDictProxy[str]) -> bool:
    return bool(headers.get("OpenAI-Organization")) or any(p.startswith(ORG_SUBPROTOCOL) for p in subprotocols(headers))


def key_kind(key: str, state: EmulatorState) -> KeyKind:
    if key.startswith("ek_"):
        minted = state.secrets.get(key)
        return "ephemeral" if minted is not None and state.clock() < minted.expires_at else "invalid"
    if key.startswith("sk-") and not key.startswith("sk-admin-") and state.scenario.accept_api_keys:
        return "api"
    return "invalid"


def fault_for(
    scenario: Scenario, endpoint: str, headers: CIMultiDictProxy[str], key: str | None, before_auth: bool
) -> HttpFault | None:
    for fault in scenario.http_faults:
        if endpoint not in fault.endpoints or fault.before_auth != before_auth:
            continue
        if fault.when == "organization_header" and not sends_organization(headers):
            continue
        if fault.when == "ephemeral_key" and not (key or "").startswith("ek_"):
            continue
        return fault
    return None


def model_rejection(model: str, scenario: Scenario, today: str) -> WsReject | None:
    """Why `?model=` cannot open a session, following the observed close codes (protocol.md §3.3)."""
    entry = next((m for m in scenario.catalogue() if m.id == model), None)
    not_found = WsReject(4004, reason="invalid_request_error.model_not_found")
    if entry is None:
        # A realtime-looking name the key cannot see is "not found"; anything else is not a realtime model.
        return not_found if "realtime" in model else WsReject(4000, sc.INVALID_MODEL)
    if entry.shutdown_date is not None and today >= entry.shutdown_date:
        return not_found
    if "realtime" not in entry.id:
        return WsReject(4000, sc.INVALID_MODEL)
    return None


def served_model(model: str, scenario: Scenario) -> str:
    """The dated snapshot a session reports for an alias (F47: compare it with what was asked)."""
    entry = next((m for m in scenario.catalogue() if m.id == model), None)
    return entry.snapshot if entry is not None and entry.snapshot else model


def model_object(entry: sc.ModelEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "object": "model",
        "created": entry.created,
        "owned_by": entry.owned_by,
        "shutdown_date": entry.shutdown_date,
    }


def new_id(prefix: str, fake: bool = False) -> str:
    return f"{prefix}{'FAKE' if fake else ''}{secrets.token_hex(10)}"


def realtime_session(session_id: str, model: str, expires_at: int) -> dict[str, Any]:
    pcm = {"type": "audio/pcm", "rate": 24000}
    return {
        "type": "realtime",
        "object": "realtime.session",
        "id": session_id,
        "model": model,
        "output_modalities": ["audio"],
        "instructions": "You are a helpful assistant.",
        "tools": [],
        "tool_choice": "auto",
        "max_output_tokens": "inf",
        "tracing": None,
        "truncation": "auto",
        "prompt": None,
        "expires_at": expires_at,
        "audio": {
            "input": {
                "format": pcm,
                "transcription": None,
                "noise_reduction": None,
                "turn_detection": {
                    "type": "server_vad",
                    "threshold": 0.5,
                    "prefix_padding_ms": 300,
                    "silence_duration_ms": 200,
                    "idle_timeout_ms": None,
                    "create_response": True,
                    "interrupt_response": True,
                },
            },
            "output": {"format": pcm, "voice": "alloy", "speed": 1.0},
        },
        "include": None,
    }


def transcription_session(session_id: str, expires_at: int) -> dict[str, Any]:
    return {
        "type": "transcription",
        "object": "realtime.transcription_session",
        "id": session_id,
        "expires_at": expires_at,
        "audio": {
            "input": {
                "format": {"type": "audio/pcm", "rate": 24000},
                "transcription": {"model": "gpt-4o-transcribe", "language": None, "prompt": ""},
                "noise_reduction": None,
                "turn_detection": {
                    "type": "server_vad",
                    "threshold": 0.5,
                    "prefix_padding_ms": 300,
                    "silence_duration_ms": 500,
                },
            }
        },
        "include": None,
    }


# --- HTTP side -------------------------------------------------------------------------------

INVALID_JSON_BODY = ErrorSpec(
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP "
    "library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you "
    "have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)"
)
REALTIME_SESSION_KEYS = {
    "type", "model", "output_modalities", "instructions", "audio", "include", "tools", "tool_choice",
    "parallel_tool_calls", "reasoning", "max_output_tokens", "tracing", "truncation", "prompt",
}  # fmt: skip
TRANSCRIPTION_SESSION_KEYS = {"type", "audio", "include"}


@dataclass
class _Call:
    """Per-request facts: ids and the values placeholders are filled from."""

    request: web.Request
    state: EmulatorState
    request_id: str = field(default_factory=lambda: f"req_{secrets.token_hex(16)}")
    started: float = field(default_factory=time.monotonic)
    values: dict[str, str] = field(default_factory=dict)
    body: Any = None  # the parsed JSON body of a client_secrets call

    def headers(self, intermediary: bool = False) -> dict[str, str]:
        out = {"Date": email.utils.formatdate(self.state.clock(), usegmt=True)}
        if not intermediary:
            out.update(
                {
                    # api.openai.com sits behind Cloudflare; F13 tells intermediaries apart by this.
                    "server": "cloudflare",
                    "cf-ray": f"{secrets.token_hex(8)}-SJC",
                    "x-request-id": self.request_id,
                    "openai-processing-ms": str(int((time.monotonic() - self.started) * 1000)),
                    "openai-version": "2020-10-01",
                    "openai-organization": sc.FAKE_ORG,
                }
            )
        return out

    def json(self, status: int, payload: Any, extra: tuple[tuple[str, str], ...] = ()) -> web.Response:
        headers = self.headers()
        headers["Content-Type"] = "application/json"
        headers.update(extra)
        return web.Response(status=status, body=json.dumps(payload).encode(), headers=headers)

    def error(self, status: int, spec: ErrorSpec) -> web.Response:
        return self.json(status, error_body(spec, self.values))


async def _dispatch(request: web.Request) -> web.StreamResponse:
    state = request.app[STATE]
    state.requests.append(
        RecordedRequest(
            request.method, request.path, dict(request.query), CIMultiDictProxy(CIMultiDict(request.headers))
        )
    )
    call = _Call(request, state)
    await state.pause(state.latency_ms)
    upgrade = request.headers.get("Upgrade", "").lower() == "websocket"
    routed = route(request.method, request.path, upgrade)
    call.values = {
        "request_id": call.request_id,
        "project": sc.FAKE_PROJECT,
        "org": sc.FAKE_ORG,
        "method": request.method,
        "path": request.path,
        "model": state.scenario.hints.model or DEFAULT_MODEL,
    }
    if routed is None:
        if request.path.startswith("/v1/"):
            return call.error(404, ErrorSpec(f"Invalid URL ({request.method} {request.path})"))
        return call.error(
            404,
            ErrorSpec(
                f"Unknown request URL: {request.method} {request.path}. Please check the URL for typos, or see the "
                "docs at https://platform.openai.com/docs/api-reference/.",
                code="unknown_url",
            ),
        )
    endpoint, argument = routed
    key = credential(request.headers)
    if endpoint == "client_secrets":
        call.body = body = await _read_json(request)
        session = body.get("session") if isinstance(body, dict) else None
        if isinstance(session, dict) and isinstance(session.get("model"), str):
            call.values["model"] = session["model"]
    elif endpoint == "models.get" and argument:
        call.values["model"] = argument
    elif endpoint == "realtime" and request.query.get("model"):
        call.values["model"] = request.query["model"]
    call.values["key_hint"] = server_key_hint(key or "")

    fault = fault_for(state.scenario, endpoint, request.headers, key, before_auth=True)
    if fault is not None:
        return await _answer_fault(call, fault, endpoint)
    if key is None:
        return call.error(401, sc.MISSING_AUTH)
    kind = key_kind(key, state)
    if endpoint == "realtime":
        # An invalid key is rejected in-band after the 101 (F37), so account-level faults only
        # show to keys the server recognises (F25: a random key got a different failure).
        if kind != "invalid":
            fault = fault_for(state.scenario, endpoint, request.headers, key, before_auth=False)
            if fault is not None:
                return await _answer_fault(call, fault, endpoint)
        return await RealtimeSocket(call, key, kind).serve()
    if kind != "api":
        return call.error(401, sc.INVALID_KEY)
    fault = fault_for(state.scenario, endpoint, request.headers, key, before_auth=False)
    if fault is not None:
        return await _answer_fault(call, fault, endpoint)
    return await _answer_endpoint(call, endpoint, argument)


async def _read_json(request: web.Request) -> Any:
    try:
        return json.loads(await request.read() or b"null")
    except (ValueError, UnicodeDecodeError):
        return _INVALID


_INVALID = object()


async def _answer_endpoint(call: _Call, endpoint: str, argument: str | None) -> web.StreamResponse:
    scenario = call.state.scenario
    if endpoint == "models.list":
        return call.json(200, {"object": "list", "data": [model_object(m) for m in scenario.catalogue()]})
    if endpoint == "models.get":
        entry = next((m for m in scenario.catalogue() if m.id == argument), None)
        if entry is None:
            return call.error(404, sc.MODEL_NOT_FOUND)
        return call.json(200, model_object(entry))
    if endpoint == "client_secrets":
        return mint_client_secret(call, call.body)
    if endpoint == "beta":
        return call.error(400, sc.BETA_DISABLED_REST)
    return call.error(400, ErrorSpec("This endpoint accepts only WebSocket upgrades (GET with Upgrade: websocket)."))


def mint_client_secret(call: _Call, body: Any) -> web.Response:
    """POST /v1/realtime/client_secrets with the GA body; 400s shaped like the real validator's."""
    if body is _INVALID:
        return call.error(400, INVALID_JSON_BODY)
    if body is None:
        body = {}
    if not isinstance(body, dict):
        return call.error(400, ErrorSpec("Invalid type for request body: expected an object.", code="invalid_type"))
    for name in body:
        if name not in ("expires_after", "session"):
            return call.error(400, _unknown_parameter(name))
    seconds, problem = _expiry_seconds(body.get("expires_after"))
    if problem is not None:
        return call.error(400, problem)
    session = body.get("session")
    if not isinstance(session, dict) or "type" not in session:
        return call.error(
            400,
            ErrorSpec(
                "Missing required parameter: 'session.type'.", code="missing_required_parameter", param="session.type"
            ),
        )
    kind = session["type"]
    if kind not in ("realtime", "transcription"):
        return call.error(
            400,
            ErrorSpec(
                f"Invalid value: {json.dumps(kind)}. Supported values are: 'realtime' and 'transcription'.",
                code="invalid_value",
                param="session.type",
            ),
        )
    allowed = REALTIME_SESSION_KEYS if kind == "realtime" else TRANSCRIPTION_SESSION_KEYS
    for name in session:
        if name not in allowed:
            return call.error(400, _unknown_parameter(f"session.{name}"))
    now = int(call.state.clock())
    # expired-secret: a secret whose lifetime is over before the client sees it (F28).
    expires_at = now - 60 if call.state.scenario.mint_expired else now + seconds
    session_id = new_id("sess_", fake=True)
    if kind == "realtime":
        model = session.get("model") or DEFAULT_MODEL
        shown = realtime_session(session_id, str(model), 0)
        for name in ("instructions", "output_modalities", "tools", "tool_choice"):
            if name in session:
                shown[name] = session[name]
    else:
        shown = transcription_session(session_id, 0)
    value = new_id("ek_", fake=True)
    call.state.secrets[value] = MintedSecret(expires_at, shown)
    return call.json(200, {"value": value, "expires_at": expires_at, "session": shown})


def _unknown_parameter(name: str) -> ErrorSpec:
    return ErrorSpec(f"Unknown parameter: '{name}'.", code="unknown_parameter", param=name)


def _expiry_seconds(expires_after: Any) -> tuple[int, ErrorSpec | None]:
    if expires_after is None:
        return 600, None
    if not isinstance(expires_after, dict):
        return 0, ErrorSpec(
            "Invalid type for 'expires_after': expected an object.", code="invalid_type", param="expires_after"
        )
    anchor = expires_after.get("anchor", "created_at")
    if anchor != "created_at":
        return 0, ErrorSpec(
            f"Invalid value: {json.dumps(anchor)}. Supported values are: 'created_at'.",
            code="invalid_value",
            param="expires_after.anchor",
        )
    seconds = expires_after.get("seconds", 600)
    param = "expires_after.seconds"
    if not isinstance(seconds, int) or isinstance(seconds, bool):
        return 0, ErrorSpec(f"Invalid type for '{param}': expected an integer.", code="invalid_type", param=param)
    if seconds < 10:
        return 0, ErrorSpec(
            f"Invalid '{param}': integer below minimum value. Expected a value >= 10, but got {seconds} instead.",
            code="integer_below_min_value",
            param=param,
        )
    if seconds > 7200:
        return 0, ErrorSpec(
            f"Invalid '{param}': integer above maximum value. Expected a value <= 7200, but got {seconds} instead.",
            code="integer_above_max_value",
            param=param,
        )
    return seconds, None


async def _answer_fault(call: _Call, fault: HttpFault, endpoint: str) -> web.StreamResponse:
    if fault.status is None:  # same answer, different delivery
        natural = await _answer_endpoint(call, endpoint, call.values.get("model"))
        status, body = natural.status, getattr(natural, "body", b"") or b""
        content_type = "application/json"
    elif fault.text is not None:
        status, body, content_type = (
            fault.status,
            Template(fault.text).safe_substitute(call.values).encode(),
            fault.content_type,
        )
    else:
        error = fault.error or ErrorSpec("", type="server_error")
        status, body, content_type = (
            fault.status,
            json.dumps(error_body(error, call.values)).encode(),
            fault.content_type,
        )
    headers = call.headers(intermediary=fault.intermediary)
    headers["Content-Type"] = content_type
    headers.update(fault.headers)
    if fault.delivery == "truncated":
        return web.Response(status=status, body=body[: len(body) // 2], headers=headers)
    if fault.delivery == "slow_drip":
        return await _slow_drip(call, status, body, headers, fault.drip_interval_ms)
    if fault.delivery == "huge":
        return await _huge_models_list(call, status, headers, fault.huge_bytes)
    return web.Response(status=status, body=body, headers=headers)


async def _slow_drip(
    call: _Call, status: int, body: bytes, headers: dict[str, str], interval_ms: int
) -> web.StreamResponse:
    # Leading whitespace keeps the JSON valid while guaranteeing the body outlasts a minute.
    minimum = int(120_000 / max(interval_ms, 1)) + 1
    if len(body) < minimum:
        body = b" " * (minimum - len(body)) + body
    response = web.StreamResponse(status=status, headers=headers)
    response.content_length = len(body)
    await response.prepare(call.request)
    try:
        for i in range(len(body)):
            await response.write(body[i : i + 1])
            if not await call.state.pause(interval_ms):
                break
    except ConnectionError:  # the client went away; nothing more to do
        pass
    return response


async def _huge_models_list(call: _Call, status: int, headers: dict[str, str], size: int) -> web.StreamResponse:
    """Stream about `size` bytes of a valid models list, built from one reused chunk."""
    entry = json.dumps(model_object(sc.ModelEntry("gpt-FAKE-filler-model", 1700000000))).encode() + b","
    chunk = entry * max(1, (256 * 1024) // len(entry))
    response = web.StreamResponse(status=status, headers=headers)
    response.enable_chunked_encoding()
    await response.prepare(call.request)
    try:
        await response.write(b'{"object":"list","data":[')
        for _ in range(max(1, size // len(chunk))):
            if call.state.stopping.is_set():
                return response
            await response.write(chunk)  # waits for the socket to drain: memory stays flat
        await response.write(json.dumps(model_object(sc.DEFAULT_MODELS[0])).encode() + b"]}")
        await response.write_eof()
    except ConnectionError:
        pass
    return response


# --- WebSocket side --------------------------------------------------------------------------


class _Closed(Exception):
    """The socket is gone; unwind the session quietly."""


class RealtimeSocket:
    """One accepted /v1/realtime connection, driven by the scenario's SocketPlan."""

    def __init__(self, call: _Call, key: str, kind: KeyKind) -> None:
        self.call = call
        self.state = call.state
        self.key = key
        self.kind = kind
        self.ws = web.WebSocketResponse(protocols=("realtime", BETA_SUBPROTOCOL), timeout=2.0, max_msg_size=16 * 2**20)
        self.session: dict[str, Any] = {}
        self.items: list[str] = []
        self.audio_bytes = 0

    async def serve(self) -> web.WebSocketResponse:
        for name, value in self.call.headers().items():
            self.ws.headers[name] = value
        await self.ws.prepare(self.call.request)
        self.state.sockets.add(self.ws)
        try:
            await self._run()
        except _Closed:
            pass
        finally:
            self.state.sockets.discard(self.ws)
            if not self.ws.closed:
                await self.ws.close()
        return self.ws

    async def _run(self) -> None:
        scenario = self.state.scenario
        values = self.call.values
        # After the May 2026 shut-off the beta shape is refused in every account (F36).
        if sends_beta(self.call.request.headers):
            return await self._reject(WsReject(4000, sc.BETA_DISABLED_WS))
        if self.kind == "invalid":
            return await self._reject(WsReject(3000, sc.INVALID_KEY))
        session_id = new_id("sess_", fake=True)
        values["session_id"] = session_id
        opened = self._open_session(session_id)
        if isinstance(opened, WsReject):
            return await self._reject(opened)
        self.session = opened
        plan = scenario.ephemeral_socket if self.kind == "ephemeral" and scenario.ephemeral_socket else scenario.socket
        if plan.reject is not None:
            return await self._reject(plan.reject)
        if plan.first_frame is not None:
            await self._raw(plan.first_frame)
        if plan.silent:
            async for _ in self.ws:  # read (and ignore) until the client or the emulator closes
                pass
            return None
        await self.send({"type": "session.created", "session": self.session})
        async for message in self.ws:
            if plan.close_on_client_event is not None:
                await self.ws.close(code=plan.close_on_client_event, message=b"")
                return None
            if message.type == WSMsgType.TEXT:
                await self._on_text(message.data)
            elif message.type == WSMsgType.BINARY:
                await self.send_error(
                    ErrorSpec("Binary frames are not supported: send client events as JSON text.", code="invalid_event")
                )
        return None

    def _open_session(self, session_id: str) -> dict[str, Any] | WsReject:
        """Pick the session from ?model= / ?intent= / the ephemeral secret (exactly one selector)."""
        query = self.call.request.query
        model, intent = query.get("model"), query.get("intent")
        expires_at = int(self.state.clock()) + SESSION_TTL_S
        if intent is not None:
            if intent != "transcription":
                return WsReject(4000, sc.INVALID_INTENT)
            if model:
                return WsReject(4000, sc.MODEL_WITH_TRANSCRIPTION)
            return transcription_session(session_id, expires_at)
        minted = self.state.secrets.get(self.key) if self.kind == "ephemeral" else None
        if not model and minted is not None:
            if minted.session["type"] == "transcription":
                return {**minted.session, "id": session_id, "expires_at": expires_at}
            model = minted.session.get("model")
        if not model:
            return WsReject(4000, sc.MISSING_MODEL)
        self.call.values["model"] = model
        today = datetime.fromtimestamp(self.state.clock(), tz=timezone.utc).date().isoformat()
        rejection = model_rejection(model, self.state.scenario, today)
        if rejection is not None:
            return rejection
        session = realtime_session(session_id, served_model(model, self.state.scenario), expires_at)
        if minted is not None:
            for name in ("instructions", "output_modalities", "tools", "tool_choice"):
                session[name] = minted.session.get(name, session[name])
        return session

    # sending

    async def _raw(self, frame: str | bytes) -> None:
        if not await self.state.pause(self.state.event_latency_ms) or self.ws.closed:
            raise _Closed
        try:
            if isinstance(frame, bytes):
                await self.ws.send_bytes(frame)
            else:
                await self.ws.send_str(frame)
        except ConnectionError as exc:
            raise _Closed from exc

    async def send(self, event: dict[str, Any]) -> None:
        await self._raw(json.dumps({"event_id": new_id("event_"), **event}))

    async def send_error(self, spec: ErrorSpec, client_event_id: str | None = None) -> None:
        error = {**error_object(spec, self.call.values), "event_id": client_event_id}
        await self.send({"type": "error", "error": error})

    async def _reject(self, reject: WsReject) -> None:
        if reject.error is not None:
            await self.send_error(reject.error)
        await self.ws.close(code=reject.close_code, message=reject.close_reason().encode())

    # client events

    async def _on_text(self, data: str) -> None:
        try:
            event = json.loads(data)
        except ValueError:
            event = None
        if not isinstance(event, dict):
            return await self.send_error(
                ErrorSpec(
                    "We could not parse the JSON body of your client event: it must be a JSON object.",
                    code="invalid_json",
                )
            )
        event_type, event_id = event.get("type"), event.get("event_id")
        handler = _CLIENT_EVENTS.get(event_type) if isinstance(event_type, str) else None
        if event_type is None:
            return await self.send_error(ErrorSpec("The 'type' field is missing.", code="invalid_event"), event_id)
        if handler is None:
            supported = ", ".join(f"'{name}'" for name in _CLIENT_EVENTS)
            return await self.send_error(
                ErrorSpec(
                    f"Invalid value: {json.dumps(event_type)}. Supported values are: {supported}.",
                    code="invalid_event",
                    param="type",
                ),
                event_id,
            )
        await handler(self, event)

    async def _session_update(self, event: dict[str, Any]) -> None:
        event_id = event.get("event_id")
        update = event.get("session")
        if not isinstance(update, dict) or "type" not in update:
            return await self.send_error(
                ErrorSpec(
                    "Missing required parameter: 'session.type'.",
                    code="missing_required_parameter",
                    param="session.type",
                ),
                event_id,
            )
        if update["type"] != self.session.get("type"):
            return await self.send_error(
                ErrorSpec(
                    f"Passing a {update['type']} session update event to a {self.session.get('type')} session "
                    "is not allowed.",
                    code="invalid_value",
                    param="session.type",
                ),
                event_id,
            )
        allowed = REALTIME_SESSION_KEYS if self.session["type"] == "realtime" else TRANSCRIPTION_SESSION_KEYS
        for name in update:  # GA rejects the whole update on any unknown (e.g. beta) field (F39)
            if name not in allowed:
                return await self.send_error(_unknown_parameter(f"session.{name}"), event_id)
        modalities = update.get("output_modalities")
        if modalities is not None and modalities not in (["text"], ["audio"]):
            return await self.send_error(
                ErrorSpec(
                    "Invalid 'session.output_modalities': expected ['text'] or ['audio'].",
                    code="invalid_value",
                    param="session.output_modalities",
                ),
                event_id,
            )
        update = {k: v for k, v in update.items() if k != "model"}  # the model is fixed by the URL
        self.session = _deep_merge(self.session, update)
        await self.send({"type": "session.updated", "session": self.session})

    async def _audio_append(self, event: dict[str, Any]) -> None:
        try:
            self.audio_bytes += len(base64.b64decode(event.get("audio") or "", validate=True))
        except (binascii.Error, ValueError, TypeError):
            await self.send_error(
                ErrorSpec("Invalid 'audio': expected base64-encoded audio bytes.", code="invalid_value", param="audio"),
                event.get("event_id"),
            )

    async def _audio_commit(self, event: dict[str, Any]) -> None:
        if self.audio_bytes < MIN_COMMIT_BYTES:
            ms = self.audio_bytes / 48  # 48 bytes per ms of 24 kHz PCM16
            return await self.send_error(
                ErrorSpec(
                    "Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, "
                    f"but buffer only has {ms:.2f}ms of audio.",
                    code="input_audio_buffer_commit_empty",
                ),
                event.get("event_id"),
            )
        item_id = new_id("item_")
        previous = self.items[-1] if self.items else None
        self.audio_bytes = 0
        await self.send({"type": "input_audio_buffer.committed", "previous_item_id": previous, "item_id": item_id})
        item = {
            "id": item_id,
            "object": "realtime.item",
            "type": "message",
            "status": "completed",
            "role": "user",
            "content": [{"type": "input_audio", "transcript": None}],
        }
        await self._add_item(item)

    async def _audio_clear(self, event: dict[str, Any]) -> None:
        self.audio_bytes = 0
        await self.send({"type": "input_audio_buffer.cleared"})

    async def _item_create(self, event: dict[str, Any]) -> None:
        item = event.get("item")
        if not isinstance(item, dict):
            return await self.send_error(
                ErrorSpec("Missing required parameter: 'item'.", code="missing_required_parameter", param="item"),
                event.get("event_id"),
            )
        await self._add_item({"id": new_id("item_"), "object": "realtime.item", "status": "completed", **item})

    async def _add_item(self, item: dict[str, Any]) -> None:
        previous = self.items[-1] if self.items else None
        self.items.append(item["id"])
        for event_type in ("conversation.item.added", "conversation.item.done"):
            await self.send({"type": event_type, "previous_item_id": previous, "item": item})

    async def _response_create(self, event: dict[str, Any]) -> None:
        options: dict[str, Any] = event["response"] if isinstance(event.get("response"), dict) else {}
        modalities = options.get("output_modalities") or self.session.get("output_modalities") or ["audio"]
        outcome = self.state.scenario.response
        response: dict[str, Any] = {
            "object": "realtime.response",
            "id": new_id("resp_"),
            "status": "in_progress",
            "status_details": None,
            "output": [],
            "conversation_id": new_id("conv_"),
            "output_modalities": modalities,
            "max_output_tokens": options.get("max_output_tokens", "inf"),
            "usage": None,
            "metadata": None,
        }
        await self.send({"type": "response.created", "response": response})
        await self.send(
            {
                "type": "rate_limits.updated",
                "rate_limits": [
                    {"name": "requests", "limit": 5000, "remaining": 4999, "reset_seconds": 0.012},
                    {"name": "tokens", "limit": 40000, "remaining": 39000, "reset_seconds": 1.5},
                ],
            }
        )
        if outcome.status == "failed":
            spec = outcome.error or sc.SERVER_ERROR
            if outcome.error_event:
                await self.send_error(spec, event.get("event_id"))
            error = error_object(spec, self.call.values)
            failed = {
                "type": "failed",
                "reason": None,
                "error": {"type": error["type"], "code": error["code"], "message": error["message"]},
            }
            usage = _usage(0, 0, audio=False)
            return await self.send(
                {
                    "type": "response.done",
                    "response": {**response, "status": "failed", "status_details": failed, "usage": usage},
                }
            )
        await self._stream_output(response, audio="audio" in modalities)

    async def _stream_output(self, response: dict[str, Any], audio: bool) -> None:
        ids = {"response_id": response["id"], "item_id": new_id("item_"), "output_index": 0}
        words = ["Hello", " from", " the", " realtime-check", " emulator."]
        text = "".join(words)
        part_type = "output_audio" if audio else "output_text"
        item = {
            "id": ids["item_id"],
            "object": "realtime.item",
            "type": "message",
            "role": "assistant",
            "status": "in_progress",
            "content": [],
        }
        await self.send(
            {"type": "response.output_item.added", "response_id": response["id"], "output_index": 0, "item": item}
        )
        empty = {"type": part_type, "transcript": ""} if audio else {"type": part_type, "text": ""}
        await self.send({"type": "response.content_part.added", **ids, "content_index": 0, "part": empty})
        if audio:
            silence = base64.b64encode(bytes(MIN_COMMIT_BYTES)).decode()  # 100 ms of 24 kHz PCM16 silence
            for word in words:
                await self.send({"type": "response.output_audio.delta", **ids, "content_index": 0, "delta": silence})
                await self.send(
                    {"type": "response.output_audio_transcript.delta", **ids, "content_index": 0, "delta": word}
                )
            await self.send({"type": "response.output_audio.done", **ids, "content_index": 0})
            await self.send(
                {"type": "response.output_audio_transcript.done", **ids, "content_index": 0, "transcript": text}
            )
            part = {"type": part_type, "transcript": text}
        else:
            for word in words:
                await self.send({"type": "response.output_text.delta", **ids, "content_index": 0, "delta": word})
            await self.send({"type": "response.output_text.done", **ids, "content_index": 0, "text": text})
            part = {"type": part_type, "text": text}
        await self.send({"type": "response.content_part.done", **ids, "content_index": 0, "part": part})
        item = {**item, "status": "completed", "content": [part]}
        await self.send(
            {"type": "response.output_item.done", "response_id": response["id"], "output_index": 0, "item": item}
        )
        done = {**response, "status": "completed", "output": [item], "usage": _usage(12, len(words) * 3, audio)}
        await self.send({"type": "response.done", "response": done})

    async def _response_cancel(self, event: dict[str, Any]) -> None:
        await self.send_error(
            ErrorSpec("Cancellation failed: no active response found", code="response_cancel_not_active"),
            event.get("event_id"),
        )

    async def _accepted(self, event: dict[str, Any]) -> None:
        """A valid GA client event the emulator does not model further."""


_CLIENT_EVENTS: dict[str, Callable[[RealtimeSocket, dict[str, Any]], Any]] = {
    "session.update": RealtimeSocket._session_update,
    "input_audio_buffer.append": RealtimeSocket._audio_append,
    "input_audio_buffer.commit": RealtimeSocket._audio_commit,
    "input_audio_buffer.clear": RealtimeSocket._audio_clear,
    "conversation.item.create": RealtimeSocket._item_create,
    "conversation.item.retrieve": RealtimeSocket._accepted,
    "conversation.item.truncate": RealtimeSocket._accepted,
    "conversation.item.delete": RealtimeSocket._accepted,
    "response.create": RealtimeSocket._response_create,
    "response.cancel": RealtimeSocket._response_cancel,
    "output_audio_buffer.clear": RealtimeSocket._accepted,
}


def _usage(input_tokens: int, output_tokens: int, audio: bool) -> dict[str, Any]:
    return {
        "total_tokens": input_tokens + output_tokens,
        "input_tokens": input_tokens,
        "output_tokens": output_tokens,
        "input_token_details": {"text_tokens": input_tokens, "audio_tokens": 0, "cached_tokens": 0},
        "output_token_details": {
            "text_tokens": 0 if audio else output_tokens,
            "audio_tokens": output_tokens if audio else 0,
        },
    }


def _deep_merge(base: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for name, value in update.items():
        if isinstance(value, dict) and isinstance(merged.get(name), dict):
            merged[name] = _deep_merge(merged[name], value)
        else:
            merged[name] = value
    return merged
