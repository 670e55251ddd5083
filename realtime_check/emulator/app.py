"""The emulator's aiohttp application: one port for REST and the Realtime WebSocket.

Every request goes through `_dispatch`, which routes it, applies the scenario's faults
(data from scenarios.py, interpreted generically, including their delivery: truncated,
slow drip, huge) and otherwise answers like the GA server described in reference/protocol.md.
Client secrets are minted in client_secrets.py; the socket side lives in realtime_socket.py.
"""

from __future__ import annotations

import asyncio
import json
from string import Template

from aiohttp import web
from multidict import CIMultiDict, CIMultiDictProxy

from realtime_check.emulator import azure
from realtime_check.emulator import scenarios as sc
from realtime_check.emulator.call import (
    KEY_SUBPROTOCOL,
    Call,
    credential,
    key_kind,
    sends_organization,
    sends_project,
    server_key_hint,
)
from realtime_check.emulator.calls import create_call, hangup
from realtime_check.emulator.client_secrets import mint_beta_session, mint_client_secret, read_json
from realtime_check.emulator.live_socket import LiveSocket
from realtime_check.emulator.payloads import DEFAULT_MODEL, error_body, model_object
from realtime_check.emulator.realtime_socket import RealtimeSocket
from realtime_check.emulator.scenarios import ErrorSpec, HttpFault, Scenario
from realtime_check.emulator.state import (
    STATE,
    EmulatorState,
    RecordedRequest,
    RequestLog,
    SocketRecord,
)

# Moved to state.py and call.py; still importable from here (server.py and tests use them).
__all__ = ["KEY_SUBPROTOCOL", "EmulatorState", "RecordedRequest", "RequestLog", "build_app", "fault_for", "route"]


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


def route(method: str, path: str, upgrade: bool) -> tuple[str, str | None] | None:
    """(endpoint, argument) for a request, or None for an unknown URL."""
    if path == "/v1/models" and method == "GET":
        return "models.list", None
    if path.startswith("/v1/models/") and method == "GET" and len(path) > len("/v1/models/"):
        return "models.get", path[len("/v1/models/") :]
    if path == "/v1/live/sessions" and method == "GET" and upgrade:
        return "live", None  # GPT-Live, the sibling voice API
    if path == "/v1/realtime/client_secrets" and method == "POST":
        return "client_secrets", None
    if path in ("/v1/realtime/sessions", "/v1/realtime/transcription_sessions") and method == "POST":
        return "beta", None
    if path == "/v1/realtime/calls" and method == "POST":
        return "calls", None
    if path.startswith("/v1/realtime/calls/") and path.endswith("/hangup") and method == "POST":
        call_id = path[len("/v1/realtime/calls/") : -len("/hangup")]
        return ("calls.hangup", call_id) if call_id and "/" not in call_id else None
    if path == "/v1/realtime":
        if method == "GET":
            return ("realtime", None) if upgrade else ("realtime.plain", None)
        if method == "POST":  # the beta WebRTC SDP exchange
            return "beta", None
    return None


def fault_for(
    scenario: Scenario, endpoint: str, headers: CIMultiDictProxy[str], key: str | None, before_auth: bool
) -> HttpFault | None:
    for fault in scenario.http_faults:
        if endpoint not in fault.endpoints or fault.before_auth != before_auth:
            continue
        if fault.when == "organization_header" and not sends_organization(headers):
            continue
        if fault.when == "project_header" and not sends_project(headers):
            continue
        if fault.when == "ephemeral_key" and not (key or "").startswith("ek_"):
            continue
        return fault
    return None


async def _dispatch(request: web.Request) -> web.StreamResponse:
    call = Call(request, request.app[STATE])
    response = await _route_and_answer(request, call)
    if call.socket_record is not None and response.status != 101:
        call.socket_record.http_status = response.status  # the upgrade was refused with a plain HTTP answer
    return response


async def _route_and_answer(request: web.Request, call: Call) -> web.StreamResponse:
    state = call.state
    state.requests.append(
        RecordedRequest(
            request.method, request.path, dict(request.query), CIMultiDictProxy(CIMultiDict(request.headers))
        )
    )
    await state.pause(state.latency_ms)
    upgrade = request.headers.get("Upgrade", "").lower() == "websocket"
    flavour = state.scenario.azure
    path = request.path
    if flavour is not None:
        refused = azure.refuse_request(request, flavour)
        if refused is not None:
            return refused
        path = azure.ga_path(path) or path
    routed = route(request.method, path, upgrade)
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
    entra = False
    if flavour is not None:
        key, entra = azure.credential(request)
        key = key or credential(request.headers)  # a browser's ek_ comes as a subprotocol
    if endpoint in ("client_secrets", "beta"):
        call.body = body = await read_json(request)
        session = body.get("session") if isinstance(body, dict) else None
        if isinstance(session, dict) and isinstance(session.get("model"), str):
            call.values["model"] = session["model"]
    elif endpoint == "models.get" and argument:
        call.values["model"] = argument
    elif endpoint == "realtime" and request.query.get("model"):
        call.values["model"] = request.query["model"]
    elif endpoint == "calls":
        call.values["content_type"] = request.content_type[:80]
    if endpoint == "realtime" and "call_id" in request.query:
        endpoint = "sideband"  # a socket attached to a WebRTC call (protocol.md §2.3)
    if endpoint == "realtime":
        record = SocketRecord({k.lower(): v for k, v in request.headers.items()}, dict(request.query))
        call.socket_record = record
        state.socket_log.append(record)
    call.values["key_hint"] = server_key_hint(key or "")

    fault = fault_for(state.scenario, endpoint, request.headers, key, before_auth=True)
    if fault is not None:
        return await _answer_fault(call, fault, endpoint)
    if flavour is not None:
        refused = azure.refuse_call(
            endpoint, key, entra, call.values.get("model"), flavour, state.scenario.accept_api_keys
        )
        if refused is not None:
            return refused
    if key is None:
        return call.error(401, sc.MISSING_AUTH)
    # Azure resource keys and Entra tokens have no sk- prefix; refuse_call has already judged them.
    kind = "api" if flavour is not None and not key.startswith("ek_") else key_kind(key, state)
    if endpoint == "live":
        return await LiveSocket(call, kind).serve()
    if endpoint == "calls" and kind != "invalid":
        # The browser path: an ek_ secret is as good as a key here (it chooses the body shape).
        fault = fault_for(state.scenario, endpoint, request.headers, key, before_auth=False)
        if fault is not None:
            return await _answer_fault(call, fault, endpoint)
        return await create_call(call, kind, key)
    if endpoint == "sideband" and kind == "api":
        fault = fault_for(state.scenario, endpoint, request.headers, key, before_auth=False)
        if fault is not None:
            return await _answer_fault(call, fault, endpoint)
        live = state.calls.get(request.query["call_id"])
        if live is None or live.ended:
            return call.error(404, sc.CALL_ID_NOT_FOUND)
        return await RealtimeSocket(call, key, kind, session=live.session).serve()
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


async def _answer_endpoint(call: Call, endpoint: str, argument: str | None) -> web.StreamResponse:
    scenario = call.state.scenario
    if endpoint == "models.list":
        return call.json(200, {"object": "list", "data": [model_object(m) for m in scenario.catalogue()]})
    if endpoint == "models.get":
        entry = next((m for m in scenario.catalogue() if m.id == argument), None)
        if entry is None:
            return call.error(404, sc.MODEL_NOT_FOUND)
        return call.json(200, model_object(entry))
    if endpoint == "client_secrets":
        await call.state.phase("mint")
        return mint_client_secret(call, call.body)
    if endpoint == "beta":
        if scenario.beta_accepted and call.request.path == "/v1/realtime/sessions":
            return mint_beta_session(call, call.body)
        return call.error(400, sc.BETA_DISABLED_REST)
    if endpoint == "calls.hangup" and argument:
        return await hangup(call, argument)
    return call.error(400, ErrorSpec("This endpoint accepts only WebSocket upgrades (GET with Upgrade: websocket)."))


async def _answer_fault(call: Call, fault: HttpFault, endpoint: str) -> web.StreamResponse:
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
    call: Call, status: int, body: bytes, headers: dict[str, str], interval_ms: int
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


async def _huge_models_list(call: Call, status: int, headers: dict[str, str], size: int) -> web.StreamResponse:
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
