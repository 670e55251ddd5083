"""The staged checks, in report order, with what each proves.

Kept import-light: `realtime-check checks` lists them without loading any
network library; the check functions are imported when a run starts.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CheckSpec:
    id: str
    title: str
    proves: str
    module: str  # realtime_check.checks.<module>
    function: str = "run"
    costs_tokens: bool = False
    default: bool = True  # run unless deselected; opt-in checks are False


CHECKS: tuple[CheckSpec, ...] = (
    CheckSpec(
        "config",
        "Configuration and key",
        "settings resolve, the key is well-formed and of a kind that can call models (nothing is sent)",
        "config",
    ),
    CheckSpec("network", "Network", "DNS, TCP, proxy and TLS to the API host work from this machine", "network"),
    CheckSpec("api_key", "API key", "the API accepts the key (GET /v1/models)", "api_key"),
    CheckSpec(
        "models",
        "Model access",
        "the configured realtime model is visible to the key; which realtime and transcription models are",
        "model_access",
    ),
    CheckSpec(
        "session",
        "Ephemeral session",
        "the key can mint an ephemeral client secret (POST /v1/realtime/client_secrets)",
        "session",
    ),
    CheckSpec(
        "websocket",
        "WebSocket (API key)",
        "a GA socket opens with the key and the first server event is session.created",
        "websocket",
    ),
    CheckSpec(
        "websocket_ephemeral",
        "WebSocket (ephemeral secret)",
        "the minted secret opens a socket the way a browser does",
        "websocket",
        "run_ephemeral",
    ),
    CheckSpec(
        "response",
        "Text response",
        "one tiny text response completes: model access and billing (opt-in: --response)",
        "response",
        costs_tokens=True,
        default=False,
    ),
    CheckSpec(
        "webrtc",
        "WebRTC call",
        "POST /v1/realtime/calls answers an SDP offer with 201 and a call id, and the call hangs up "
        "(opt-in: --webrtc; signalling only, no media)",
        "webrtc",
        default=False,
    ),
)

CHECK_IDS: tuple[str, ...] = tuple(spec.id for spec in CHECKS)


def spec(check_id: str) -> CheckSpec:
    return next(s for s in CHECKS if s.id == check_id)


def select(only: list[str] | None, skip: list[str] | None, *, probe_response: bool, webrtc: bool = False) -> list[str]:
    """Check ids to run, in report order. Unknown ids raise ValueError naming the valid ones."""
    wanted = [*(only or []), *(skip or [])]
    unknown = [c for c in wanted if c not in CHECK_IDS]
    if unknown:
        raise ValueError(f"unknown check id(s): {', '.join(unknown)} (valid: {', '.join(CHECK_IDS)})")
    if only:
        chosen = [s.id for s in CHECKS if s.id in only]
    else:
        opted_in = {"response": probe_response, "webrtc": webrtc}
        chosen = [s.id for s in CHECKS if s.default or opted_in.get(s.id, False)]
    return [c for c in chosen if c not in (skip or [])]
