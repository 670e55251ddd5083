"""One accepted /v1/realtime WebSocket session, driven by the scenario's SocketPlan:
open it from ?model=, ?intent= or the client secret, then answer the GA client events.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web

from realtime_check.emulator import scenarios as sc
from realtime_check.emulator.call import BETA_SUBPROTOCOL, Call, KeyKind, sends_beta, sends_organization, sends_project
from realtime_check.emulator.payloads import (
    REALTIME_SESSION_KEYS,
    TRANSCRIPTION_SESSION_KEYS,
    TRANSCRIPTION_USAGE,
    beta_session,
    deep_merge,
    error_object,
    new_id,
    realtime_session,
    transcription_session,
    unknown_parameter,
    usage_object,
)
from realtime_check.emulator.scenarios import ErrorSpec, Scenario, SocketPlan, WsReject

MIN_COMMIT_BYTES = 4800  # 100 ms of 24 kHz mono PCM16: the server's minimum for a commit
SESSION_TTL_S = 3600  # sessions report expires_at one hour ahead (the 2026 cap)


def model_rejection(model: str, scenario: Scenario, today: str) -> WsReject | None:
    """Why `?model=` cannot open a session, following the observed close codes (protocol.md §3.3)."""
    if scenario.azure is not None and model in scenario.azure.deployments:
        return None  # on Azure the model is a deployment name (refused at the upgrade otherwise)
    entry = next((m for m in scenario.catalogue() if m.id == model), None)
    not_found = WsReject(4004, reason="invalid_request_error.model_not_found")
    if entry is None:
        # A realtime-looking name the key cannot see is "not found"; anything else is not a realtime model.
        return not_found if "realtime" in model else WsReject(4000, sc.INVALID_MODEL)
    if entry.shutdown_date is not None and today >= entry.shutdown_date:
        return not_found
    if "realtime" not in entry.id:
        return WsReject(4000, sc.INVALID_MODEL)
    if entry.refused_at == "socket":
        return WsReject(4004, sc.PROJECT_NO_ACCESS)
    return None


def refused_in_response(model: str, scenario: Scenario) -> bool:
    """A listed model the project may not use that opens sessions but fails every response (N4)."""
    entry = next((m for m in scenario.catalogue() if m.id == model), None)
    return entry is not None and entry.refused_at == "response"


def served_model(model: str, scenario: Scenario) -> str:
    """The dated snapshot a session reports for an alias (F47: compare it with what was asked)."""
    entry = next((m for m in scenario.catalogue() if m.id == model), None)
    return entry.snapshot if entry is not None and entry.snapshot else model


class _Closed(Exception):
    """The socket is gone; unwind the session quietly."""


class RealtimeSocket:
    """One accepted /v1/realtime connection, driven by the scenario's SocketPlan."""

    def __init__(self, call: Call, key: str, kind: KeyKind, session: dict[str, Any] | None = None) -> None:
        self.call = call
        self.call_session = session  # a sideband socket joins its WebRTC call's session
        self.state = call.state
        self.key = key
        self.kind = kind
        self.ws = web.WebSocketResponse(protocols=("realtime", BETA_SUBPROTOCOL), timeout=2.0, max_msg_size=16 * 2**20)
        self.session: dict[str, Any] = {}
        self.record = call.socket_record  # None on a sideband socket
        self.items: list[str] = []
        self.audio_bytes = 0
        self.plan = SocketPlan()

    async def serve(self) -> web.WebSocketResponse:
        for name, value in self.call.headers().items():
            self.ws.headers[name] = value
        if not await self.state.phase("upgrade"):
            return self.ws
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
            if scenario.beta_accepted and self.kind != "invalid":
                return await self._serve_beta()
            return await self._reject(WsReject(4000, sc.BETA_DISABLED_WS))
        if self.kind == "invalid":
            return await self._reject(WsReject(3000, sc.INVALID_KEY))
        session_id = new_id("sess_", fake=True)
        values["session_id"] = session_id
        opened = self.call_session if self.call_session is not None else self._open_session(session_id)
        if isinstance(opened, WsReject):
            return await self._reject(opened)
        self.session = opened
        plan = scenario.ephemeral_socket if self.kind == "ephemeral" and scenario.ephemeral_socket else scenario.socket
        self.plan = plan
        if plan.reject is not None:
            return await self._reject(plan.reject)
        headers = self.call.request.headers
        if plan.reject_with_org_headers is not None and (sends_organization(headers) or sends_project(headers)):
            return await self._reject(plan.reject_with_org_headers)
        if plan.first_frame is not None:
            await self._raw(plan.first_frame)
        if plan.silent:
            async for _ in self.ws:  # read (and ignore) until the client or the emulator closes
                pass
            return None
        if not await self.state.phase("session_created"):
            raise _Closed
        await self.send({"type": "session.created", "session": self.session})
        async for message in self.ws:
            if plan.close_on_client_event is not None:
                await self.ws.close(code=plan.close_on_client_event, message=plan.close_reason.encode())
                return None
            if message.type == WSMsgType.TEXT:
                await self._on_text(message.data)
            elif message.type == WSMsgType.BINARY:
                await self.send_error(
                    ErrorSpec("Binary frames are not supported: send client events as JSON text.", code="invalid_event")
                )
        return None

    async def _serve_beta(self) -> None:
        """A host that still speaks beta: a flat beta session.created, then client events are ignored."""
        model = self.call.request.query.get("model") or sc.DEFAULT_MODELS[0].id
        expires_at = int(self.state.clock()) + SESSION_TTL_S
        await self.send(
            {"type": "session.created", "session": beta_session(new_id("sess_", fake=True), model, expires_at)}
        )
        async for _ in self.ws:  # the beta protocol is not modelled further
            pass

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
        today = datetime.fromtimestamp(self.state.clock(), tz=UTC).date().isoformat()
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
        if self.record is not None and self.record.first_server_event is None:
            self.record.first_server_event = str(event.get("type"))
        await self._raw(json.dumps({"event_id": new_id("event_"), **event}))

    async def send_error(self, spec: ErrorSpec, client_event_id: str | None = None) -> None:
        error = {**error_object(spec, self.call.values), "event_id": client_event_id}
        if self.record is not None and self.record.error_code is None:
            self.record.error_code = spec.code
        await self.send({"type": "error", "error": error})

    async def _reject(self, reject: WsReject) -> None:
        if reject.error is not None:
            await self.send_error(reject.error)
        if self.record is not None:
            self.record.close_code = reject.close_code
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
        if self.record is not None and len(self.record.client_events) < 100:  # a chatty bridge cannot grow it
            self.record.client_events.append(str(event_type)[:64])
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
        if self.record is not None and isinstance(update, dict):
            # The bridge doctor reports the shape: beta updates have no type and beta-only fields.
            allowed_any = REALTIME_SESSION_KEYS | TRANSCRIPTION_SESSION_KEYS
            missing = [] if "type" in update else ["type (missing)"]
            self.record.rejected_session_fields += missing + [str(k)[:64] for k in update if k not in allowed_any]
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
        if self.session["type"] == "transcription":
            refused = self._transcription_update_error(update)
            if refused is not None:
                return await self.send_error(refused, event_id)
        allowed = REALTIME_SESSION_KEYS if self.session["type"] == "realtime" else TRANSCRIPTION_SESSION_KEYS
        for name in update:  # GA rejects the whole update on any unknown (e.g. beta) field (F39)
            if name not in allowed:
                return await self.send_error(unknown_parameter(f"session.{name}"), event_id)
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
        self.session = deep_merge(self.session, update)
        await self.send({"type": "session.updated", "session": self.session})

    def _transcription_update_error(self, update: dict[str, Any]) -> ErrorSpec | None:
        """The scenario's refusal of the transcription model named in the update, if any."""
        spec = self.state.scenario.transcription.update_error
        model: Any = update
        for name in ("audio", "input", "transcription", "model"):
            model = model.get(name) if isinstance(model, dict) else None
        if spec is None or not isinstance(model, str):
            return None
        self.call.values["model"] = model
        return spec

    async def _audio_append(self, event: dict[str, Any]) -> None:
        try:
            decoded = len(base64.b64decode(event.get("audio") or "", validate=True))
            if not self.plan.drop_audio:
                self.audio_bytes += decoded
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
        if self.session.get("type") == "transcription":
            await self._transcribe(item_id)

    async def _transcribe(self, item_id: str) -> None:
        """The transcription events for a committed item (protocol-update §2.2)."""
        outcome = self.state.scenario.transcription
        ids = {"item_id": item_id, "content_index": 0}
        if outcome.status == "failed":
            error = error_object(outcome.error or sc.AUDIO_UNINTELLIGIBLE, self.call.values)
            return await self.send(
                {"type": "conversation.item.input_audio_transcription.failed", **ids, "error": error}
            )
        if outcome.transcript:
            await self.send(
                {"type": "conversation.item.input_audio_transcription.delta", **ids, "delta": outcome.transcript}
            )
        await self.send(
            {
                "type": "conversation.item.input_audio_transcription.completed",
                **ids,
                "transcript": outcome.transcript,
                "usage": TRANSCRIPTION_USAGE,
            }
        )

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
        wants_audio = "audio" in modalities
        if outcome.audio_only and not wants_audio:
            outcome = sc.ResponseOutcome()
        if refused_in_response(self.call.values.get("model", ""), self.state.scenario):
            outcome = sc.ResponseOutcome("failed", sc.PROJECT_NO_ACCESS)
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
            usage = usage_object(0, 0, audio=False)
            return await self.send(
                {
                    "type": "response.done",
                    "response": {**response, "status": "failed", "status_details": failed, "usage": usage},
                }
            )
        if outcome.status == "incomplete":
            incomplete = {"type": "incomplete", "reason": outcome.incomplete_reason}
            usage = usage_object(12, 0, audio=wants_audio)
            return await self.send(
                {
                    "type": "response.done",
                    "response": {**response, "status": "incomplete", "status_details": incomplete, "usage": usage},
                }
            )
        await self._stream_output(response, audio=wants_audio, audio_deltas=outcome.audio_deltas)

    async def _stream_output(self, response: dict[str, Any], audio: bool, audio_deltas: bool = True) -> None:
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
        if not await self.state.phase("first_delta"):
            raise _Closed
        if audio:
            silence = base64.b64encode(bytes(MIN_COMMIT_BYTES)).decode()  # 100 ms of 24 kHz PCM16 silence
            for word in words:
                if audio_deltas:
                    await self.send(
                        {"type": "response.output_audio.delta", **ids, "content_index": 0, "delta": silence}
                    )
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
        done = {**response, "status": "completed", "output": [item], "usage": usage_object(12, len(words) * 3, audio)}
        if not await self.state.phase("response_done"):
            raise _Closed
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
