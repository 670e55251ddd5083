"""One request in flight: who is calling (key, its kind, beta or organization hints)
and how to answer in the API's voice (Cloudflare-fronted headers, JSON, error bodies).
"""

from __future__ import annotations

import base64
import binascii
import email.utils
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any, Literal

from aiohttp import web
from multidict import CIMultiDict, CIMultiDictProxy

from realtime_check.emulator import scenarios as sc
from realtime_check.emulator.payloads import error_body
from realtime_check.emulator.scenarios import ErrorSpec
from realtime_check.emulator.state import EmulatorState, SocketRecord

BETA_SUBPROTOCOL = "openai-beta.realtime-v1"
KEY_SUBPROTOCOL = "openai-insecure-api-key."
ORG_SUBPROTOCOL = "openai-organization."
KeyKind = Literal["api", "ephemeral", "invalid"]


@dataclass
class Call:
    """Per-request facts: ids and the values placeholders are filled from."""

    request: web.Request
    state: EmulatorState
    request_id: str = field(default_factory=lambda: f"req_{secrets.token_hex(16)}")
    started: float = field(default_factory=time.monotonic)
    values: dict[str, str] = field(default_factory=dict)
    body: Any = None  # the parsed JSON body of a client_secrets call
    socket_record: SocketRecord | None = None  # a /v1/realtime upgrade's record, for the bridge doctor

    def headers(self, intermediary: bool = False) -> dict[str, str]:
        out = {"Date": email.utils.formatdate(self.state.clock(), usegmt=True)}
        scenario = self.state.scenario
        if intermediary:
            return out
        if scenario.gateway is not None:  # a gateway's own answer: none of OpenAI's headers
            out.update(scenario.gateway.headers)
            return out
        if scenario.azure is not None:
            from realtime_check.emulator.azure import headers as azure_headers

            out.update(azure_headers(scenario.azure))
            return out
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


def sends_project(headers: CIMultiDictProxy[str]) -> bool:
    return bool(headers.get("OpenAI-Project"))


def server_key_hint(key: str) -> str:
    """The key as the real server echoes it: kind prefix, '...', last four characters."""
    head = next((p for p in ("sk-proj-", "sk-svcacct-", "sk-admin-", "sk-", "ek_") if key.startswith(p)), "")
    if len(key) <= len(head) + 4 or len(key) < 8:
        return f"{head}..."
    return f"{head}...{key[-4:]}"


def key_kind(key: str, state: EmulatorState) -> KeyKind:
    if key.startswith("ek_"):
        minted = state.secrets.get(key)
        return "ephemeral" if minted is not None and state.clock() < minted.expires_at else "invalid"
    if key.startswith("sk-") and not key.startswith("sk-admin-") and state.scenario.accept_api_keys:
        return "api"
    return "invalid"
