"""One accepted /v1/live/sessions WebSocket: the GPT-Live sibling API (protocol-update-2026-11 §1.3).

The client speaks first: `session.start` with `session.model`, answered by `session.started`;
`session.close` is answered by `session.closed` (usage and reason), then a normal close.
A non-Live model gets invalid_model and close 4000; the scenario's `live_reject` refuses the start.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import WSMsgType, web

from realtime_check.emulator import scenarios as sc
from realtime_check.emulator.call import Call, KeyKind
from realtime_check.emulator.payloads import error_object, new_id
from realtime_check.emulator.scenarios import ErrorSpec, WsReject

NOT_LIVE = ErrorSpec('Model "${model}" is not supported in live mode.', code="invalid_model")


class LiveSocket:
    def __init__(self, call: Call, kind: KeyKind) -> None:
        self.call = call
        self.state = call.state
        self.kind = kind
        self.ws = web.WebSocketResponse(timeout=2.0, max_msg_size=16 * 2**20)
        self.started = False

    async def serve(self) -> web.WebSocketResponse:
        for name, value in self.call.headers().items():
            self.ws.headers[name] = value
        await self.ws.prepare(self.call.request)
        self.state.sockets.add(self.ws)
        try:
            if self.kind == "invalid":
                await self._reject(WsReject(3000, sc.INVALID_KEY))
            else:
                await self._run()
        except ConnectionError:
            pass
        finally:
            self.state.sockets.discard(self.ws)
            if not self.ws.closed:
                await self.ws.close()
        return self.ws

    async def _run(self) -> None:
        async for message in self.ws:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                event = json.loads(message.data)
            except ValueError:
                event = None
            kind = event.get("type") if isinstance(event, dict) else None
            if kind == "session.start" and not self.started:
                if not await self._start(event):
                    return
            elif kind == "session.close" and self.started:
                usage = {"active_seconds": 1, "input_audio_seconds": 0, "output_audio_seconds": 0}
                await self._send({"type": "session.closed", "reason": "client_requested", "usage": usage})
                await self.ws.close(code=1000, message=b"")
                return
            else:
                await self._send_error(ErrorSpec(f"Unexpected event: {json.dumps(kind)[:80]}", code="invalid_event"))

    async def _start(self, event: dict[str, Any]) -> bool:
        raw = event.get("session")
        session: dict[str, Any] = raw if isinstance(raw, dict) else {}
        model = session["model"] if isinstance(session.get("model"), str) else ""
        self.call.values["model"] = model[:100]
        entry = next((m for m in self.state.scenario.catalogue() if m.id == model), None)
        if entry is None or not entry.live:
            await self._reject(WsReject(4000, NOT_LIVE))
            return False
        if self.state.scenario.live_reject is not None:
            await self._reject(self.state.scenario.live_reject)
            return False
        self.started = True
        await self._send({"type": "session.started", "session": {"id": new_id("live_", fake=True), "model": model}})
        return True

    async def _send(self, event: dict[str, Any]) -> None:
        if not await self.state.pause(self.state.event_latency_ms) or self.ws.closed:
            raise ConnectionError
        await self.ws.send_str(json.dumps({"event_id": new_id("event_"), **event}))

    async def _send_error(self, spec: ErrorSpec) -> None:
        await self._send({"type": "error", "error": error_object(spec, self.call.values)})

    async def _reject(self, reject: WsReject) -> None:
        if reject.error is not None:
            await self._send_error(reject.error)
        await self.ws.close(code=reject.close_code, message=reject.close_reason().encode())
