"""A local emulator of the OpenAI Realtime API (GA, late 2026) with a library of failure scenarios.

Importing this package is cheap: the aiohttp server loads only when an Emulator is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from realtime_check.emulator.scenarios import (
    ClientHints,
    Scenario,
    get_scenario,
    list_scenarios,
)

if TYPE_CHECKING:
    from realtime_check.emulator.server import Emulator

__all__ = ["ClientHints", "Emulator", "Scenario", "get_scenario", "list_scenarios"]


def __getattr__(name: str) -> Any:
    if name == "Emulator":
        from realtime_check.emulator.server import Emulator

        return Emulator
    raise AttributeError(name)
