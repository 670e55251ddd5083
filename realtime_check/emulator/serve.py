"""The blocking function behind `realtime-check emulate`: run one scenario until Ctrl+C.

Prints plain text only (no keys, no secrets): what is being emulated and how to point
realtime-check at it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from realtime_check.emulator.scenarios import Scenario, get_scenario, list_scenarios

if TYPE_CHECKING:
    from realtime_check.emulator.server import Emulator

__all__ = ["format_banner", "get_scenario", "list_scenarios", "serve"]


def format_banner(emulator: Emulator) -> str:
    """What to tell the user once the emulator listens."""
    scenario = emulator.scenario
    hints = scenario.hints
    run = f"realtime-check run --base-url {emulator.base_url}"
    if emulator.ca_file is not None and hints.trust_ca:
        run += f" --ca-bundle {emulator.ca_file}"
    if hints.model:
        run += f" --model {hints.model}"
    lines = [
        f"realtime-check emulator: scenario '{scenario.name}'",
        f"  {scenario.description}",
    ]
    if scenario.failures:
        lines.append(f"  Emulates: {', '.join(scenario.failures)}")
    lines += [
        f"  Base URL:      {emulator.base_url}",
        f"  WebSocket URL: {emulator.ws_url}?model={hints.model or 'gpt-realtime'}",
    ]
    if emulator.ca_file is not None:
        lines.append(f"  CA file:       {emulator.ca_file}")
        if not hints.trust_ca:
            lines.append("  (this scenario is meant to be run WITHOUT --ca-bundle: verification should fail)")
    lines += [
        "",
        "Point realtime-check at it (any key starting with sk- is accepted, e.g. a FAKE one):"
        if scenario.accept_api_keys
        else "Point realtime-check at it (in this scenario every key is rejected):",
        f"  export OPENAI_BASE_URL={emulator.base_url}",
    ]
    if hints.organization:
        lines.append(f"  export OPENAI_ORG_ID={hints.organization}")
    lines += [f"  {run}", "", "Press Ctrl+C to stop."]
    return "\n".join(lines) + "\n"


def parse_phase_latencies(values: list[str]) -> dict[str, int]:
    """`--phase-latency PHASE=MS` values as a mapping; ValueError naming the bad one (the emulator checks the names)."""
    phases: dict[str, int] = {}
    for value in values:
        name, _, ms = value.partition("=")
        try:
            phases[name.strip()] = int(ms)
        except ValueError:
            raise ValueError(f"--phase-latency takes PHASE=MS, e.g. session_created=100, not {value!r}") from None
    return phases


def serve(
    scenario: str,
    host: str,
    port: int,
    tls: bool | None,
    latency_ms: int | None,
    out: TextIO,
    *,
    allow_public: bool = False,
    event_latency_ms: int | None = None,
    phase_latency_ms: dict[str, int] | None = None,
    stop: threading.Event | None = None,
    on_ready: Callable[[Emulator], None] | None = None,
) -> None:
    """Serve `scenario` until KeyboardInterrupt (or until `stop` is set, for tests).

    Raises KeyError for an unknown scenario and ValueError for a non-loopback host
    without `allow_public`; OSError if the port cannot be bound.
    """
    from realtime_check.emulator.server import Emulator, is_loopback

    chosen: Scenario = get_scenario(scenario)
    if not is_loopback(host) and not allow_public:
        raise ValueError(
            f"refusing to listen on {host!r}: the emulator accepts any sk- key and is meant for this machine only. "
            "Use a loopback address (127.0.0.1, ::1, localhost) or pass --allow-public."
        )
    emulator = Emulator(
        chosen,
        host=host,
        port=port,
        tls=tls or None,  # False/None: the scenario decides (tls-* scenarios always serve TLS)
        latency_ms=latency_ms,
        # One --latency-ms slows everything down unless events get their own value.
        event_latency_ms=latency_ms if event_latency_ms is None else event_latency_ms,
        phase_latency_ms=phase_latency_ms,
    )
    stop = stop or threading.Event()
    restore = _stop_on_sigterm(stop)
    emulator.start()
    try:
        out.write(format_banner(emulator))
        out.flush()
        if on_ready is not None:
            on_ready(emulator)
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()  # also removes the throwaway CA file
        restore()


def _stop_on_sigterm(stop: threading.Event) -> Callable[[], None]:
    """`kill`, `timeout` and process managers send SIGTERM: stop as cleanly as on Ctrl+C."""
    import signal

    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())

    def restore() -> None:
        signal.signal(signal.SIGTERM, previous)

    return restore
