"""`realtime-check demo`: the real checks against the built-in emulator.

Hermetic on purpose: the user's own OPENAI_* variables, proxies and .env are
ignored, so the demo shows the same thing on every machine.
"""

from __future__ import annotations

from typing import Any

from realtime_check import settings as settings_mod

# Obviously fake: the emulator accepts any sk- key; this one is never valid anywhere.
DEMO_KEY = "sk-proj-DEMO-FAKE-KEY-0000000000000000000000000000000000"
# An Azure resource key has no prefix: 32 characters, obviously fake.
DEMO_AZURE_KEY = "DEMOFAKEAZUREKEY0000000000000000"


def demo_entra_token(audience: str) -> str:
    """An unsigned JWT shaped like an Entra access token for `audience` (the emulator reads only `aud`)."""
    import base64
    import json

    def part(data: dict[str, str]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part({'aud': audience, 'sub': 'FAKE-demo-0000'})}.FAKE0000"


def demo_credential(hints: Any) -> str:
    if hints.credential == "azure_key":
        return DEMO_AZURE_KEY
    if hints.credential == "entra_token":
        return demo_entra_token(hints.entra_audience)
    return DEMO_KEY


def start_demo_emulator(scenario: str) -> Any:
    """Start the emulator for `scenario` on a free loopback port (KeyError if unknown)."""
    from realtime_check.emulator.scenarios import get_scenario
    from realtime_check.emulator.server import Emulator

    emulator = Emulator(get_scenario(scenario))
    emulator.start()
    return emulator


def demo_settings(
    emulator: Any, timeout: float, transcription_model: str | None = None
) -> tuple[settings_mod.Settings, Any]:
    hints = emulator.scenario.hints
    flags = {
        "api_key": demo_credential(hints),
        "provider": hints.provider,
        "base_url": emulator.base_url,
        "model": hints.model,
        "organization": hints.organization,
        "project": hints.project,
        "transcription_model": transcription_model,
    }
    ca_bundle = str(emulator.ca_file) if (hints.trust_ca and emulator.ca_file) else None
    settings = settings_mod.resolve(flags, {}, {}, None, timeout=timeout, ca_bundle=ca_bundle)
    return settings, hints
