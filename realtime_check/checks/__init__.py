"""The staged checks, in report order, with what each proves.

Kept import-light: `realtime-check checks` and `--help` list them without loading
any network library. So each spec holds a *loader*: a tiny function that imports
the check's module when called and returns the check itself. That is a real
reference (mypy checks the function exists and has the check signature, a rename
breaks the type check, not a run), yet nothing is imported until a run starts.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from realtime_check.checks.context import CheckContext
    from realtime_check.models import CheckResult

CheckFunction = Callable[["CheckContext"], Awaitable["CheckResult"]]


@dataclass(frozen=True)
class CheckSpec:
    id: str
    title: str
    proves: str
    load: Callable[[], CheckFunction]  # imports the check's module on first call; see the module docstring
    costs_tokens: bool = False
    default: bool = True  # run unless deselected; opt-in checks are False
    # The opt-in group that selects it: "deep" (--deep), "legacy" (--legacy), "webrtc" (--webrtc), "live" (--live);
    # response also has --response.
    group: str | None = None
    # Checks whose results it builds on: `--only` runs them too.
    needs: tuple[str, ...] = ()
    # The route the check connects over ("rest" or "ws"): its failure defers to the
    # network check when that route is unreachable (gates.defer_to_network).
    network_path: str | None = None


# One loader per check; each imports only when a run starts.
def _config() -> CheckFunction:
    from realtime_check.checks import config

    return config.run


def _network() -> CheckFunction:
    from realtime_check.checks import network

    return network.run


def _api_key() -> CheckFunction:
    from realtime_check.checks import api_key

    return api_key.run


def _models() -> CheckFunction:
    from realtime_check.checks import model_access

    return model_access.run


def _session() -> CheckFunction:
    from realtime_check.checks import session

    return session.run


def _websocket() -> CheckFunction:
    from realtime_check.checks import websocket

    return websocket.run


def _websocket_ephemeral() -> CheckFunction:
    from realtime_check.checks import websocket

    return websocket.run_ephemeral


def _response() -> CheckFunction:
    from realtime_check.checks import response

    return response.run


def _live() -> CheckFunction:
    from realtime_check.checks import live

    return live.run


def _relay() -> CheckFunction:
    from realtime_check.checks import relay

    return relay.run


def _audio() -> CheckFunction:
    from realtime_check.checks import audio

    return audio.run


def _transcription() -> CheckFunction:
    from realtime_check.checks import transcription

    return transcription.run


def _legacy_beta() -> CheckFunction:
    from realtime_check.checks import legacy_beta

    return legacy_beta.run


def _webrtc() -> CheckFunction:
    from realtime_check.checks import webrtc

    return webrtc.run


CHECKS: tuple[CheckSpec, ...] = (
    CheckSpec(
        "config",
        "Configuration and key",
        "settings resolve, the key is well-formed and of a kind that can call models (nothing is sent)",
        _config,
    ),
    CheckSpec("network", "Network", "DNS, TCP, proxy and TLS to the API host work from this machine", _network),
    CheckSpec("api_key", "API key", "the API accepts the key (GET /v1/models)", _api_key, network_path="rest"),
    CheckSpec(
        "models",
        "Model access",
        "the configured realtime model is visible to the key; which realtime and transcription models are",
        _models,
        network_path="rest",
    ),
    CheckSpec(
        "session",
        "Ephemeral session",
        "the key can mint an ephemeral client secret (POST /v1/realtime/client_secrets)",
        _session,
        network_path="rest",
    ),
    CheckSpec(
        "websocket",
        "WebSocket (API key)",
        "a GA socket opens with the key and the first server event is session.created",
        _websocket,
        network_path="ws",
    ),
    CheckSpec(
        "websocket_ephemeral",
        "WebSocket (ephemeral secret)",
        "the minted secret opens a socket the way a browser does",
        _websocket_ephemeral,
        network_path="ws",
    ),
    CheckSpec(
        "response",
        "Text response",
        "one tiny text response completes: model access and billing (opt-in: --response or --deep)",
        _response,
        costs_tokens=True,
        default=False,
        group="deep",
        needs=("websocket",),
    ),
    CheckSpec(
        "audio",
        "Audio round trip",
        "~1 s of generated speech in, an audio response out: voice works end to end (opt-in: --deep)",
        _audio,
        costs_tokens=True,
        default=False,
        group="deep",
        needs=("websocket",),
        network_path="ws",
    ),
    CheckSpec(
        "transcription",
        "Transcription",
        "a transcription session transcribes the same clip with the transcription model (opt-in: --deep)",
        _transcription,
        costs_tokens=True,
        default=False,
        group="deep",
        needs=("websocket",),
        network_path="ws",
    ),
    CheckSpec(
        "legacy_beta",
        "Retired beta interface",
        "what the old beta setup notes prescribe, and what the server answers to it today (opt-in: --legacy)",
        _legacy_beta,
        default=False,
        group="legacy",
        network_path="rest",
    ),
    CheckSpec(
        "webrtc",
        "WebRTC call",
        "POST /v1/realtime/calls answers an SDP offer with 201 and a call id, and the call hangs up "
        "(opt-in: --webrtc; signalling only, no media)",
        _webrtc,
        default=False,
        group="webrtc",
    ),
    CheckSpec(
        "live",
        "GPT-Live session",
        "a GPT-Live session starts (session.start → session.started) and closes (session.closed, with usage); "
        "opt-in: --live; GPT-Live bills per active minute, this session lasts about a second",
        _live,
        costs_tokens=True,
        default=False,
        group="live",
        network_path="ws",
    ),
    CheckSpec(
        "relay",
        "Your relay",
        "your own bridge relays session.created the way a browser client reaches it, and which hop fails if not "
        "(`realtime-check relay URL`)",
        _relay,
        default=False,
    ),
)

CHECK_IDS: tuple[str, ...] = tuple(spec.id for spec in CHECKS)


def spec(check_id: str) -> CheckSpec:
    return next(s for s in CHECKS if s.id == check_id)


def select(
    only: list[str] | None,
    skip: list[str] | None,
    *,
    probe_response: bool,
    deep: bool = False,
    legacy: bool = False,
    webrtc: bool = False,
    live: bool = False,
) -> list[str]:
    """Check ids to run, in report order. Unknown ids raise ValueError naming the valid ones.

    `--only X` runs X and the checks X builds on (`--only audio` opens the socket it needs).
    """
    wanted = [*(only or []), *(skip or [])]
    unknown = [c for c in wanted if c not in CHECK_IDS]
    if unknown:
        raise ValueError(f"unknown check id(s): {', '.join(unknown)} (valid: {', '.join(CHECK_IDS)})")
    if only:
        chosen = set(only)
        for check_id in only:
            chosen.update(spec(check_id).needs)
    else:
        groups = {name for name, on in (("deep", deep), ("legacy", legacy), ("webrtc", webrtc), ("live", live)) if on}
        chosen = {s.id for s in CHECKS if s.default or s.group in groups or (s.id == "response" and probe_response)}
    return [s.id for s in CHECKS if s.id in chosen and s.id not in (skip or [])]
