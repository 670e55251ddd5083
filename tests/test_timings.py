"""Every network check says where its time went, phase by phase, measured on real connections."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from realtime_check.checks import doctor
from realtime_check.checks.context import RunOptions
from realtime_check.emulator.server import Emulator
from realtime_check.render.json_report import report_to_dict
from realtime_check.settings import resolve

FAKE_KEY = "sk-proj-FAKE0000000000000000000000000000000000000000TEST"
SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "realtime_check/schema/report.schema.json").read_text())
CHECKS = ["config", "api_key", "session", "websocket", "websocket_ephemeral"]


@pytest.fixture(scope="module")
def tls_run_with_latency() -> dict:
    """One run against the TLS emulator holding back the mint's answer and session.created 100 ms each."""
    with Emulator("healthy", tls=True, phase_latency_ms={"mint": 100, "session_created": 100}) as emulator:
        settings = resolve(
            {
                "api_key": FAKE_KEY,
                "base_url": emulator.base_url,
                "model": "gpt-realtime",
            },
            {},
            {},
            timeout=20,
            ca_bundle=str(emulator.ca_file),
        )
        report = doctor.run(settings, RunOptions(), CHECKS)
    return report_to_dict(report)


def _timings(report: dict, check_id: str) -> dict:
    check = next(c for c in report["checks"] if c["id"] == check_id)
    assert check["status"] == "pass", check["summary"]
    return check["details"]["timings"]


def test_rest_timings_split_tcp_tls_and_time_to_first_byte(tls_run_with_latency: dict) -> None:
    """A REST check over TLS reports TCP and TLS apart, and a time to first byte that holds the server's delay."""
    timings = _timings(tls_run_with_latency, "session")
    assert timings["dns_ms"] is None  # an IP address: nothing was resolved
    assert timings["tcp_ms"] is not None and timings["tls_ms"] is not None
    assert timings["ttfb_ms"] >= 100  # the emulator held the response back 100 ms
    assert timings["total_ms"] >= timings["ttfb_ms"] + timings["tls_ms"]
    assert timings["reused_connection"] is False


def test_socket_timings_put_the_event_delay_in_first_event(tls_run_with_latency: dict) -> None:
    """Both sockets report DNS/TCP/TLS, the upgrade and the first event; the injected delay lands in first_event_ms."""
    for check_id in ("websocket", "websocket_ephemeral"):
        timings = _timings(tls_run_with_latency, check_id)
        assert timings["tcp_ms"] is not None and timings["tls_ms"] is not None, check_id
        assert timings["upgrade_ms"] is not None, check_id
        # The server sends 101 and then waits 100 ms: from our request to the event is at least that,
        # and the wait lands in first_event, not in the upgrade (a loaded client reads the 101 late).
        assert timings["upgrade_ms"] + timings["first_event_ms"] >= 100, check_id
        assert timings["first_event_ms"] > timings["upgrade_ms"], check_id
        phases = timings["tcp_ms"] + timings["tls_ms"] + timings["upgrade_ms"] + timings["first_event_ms"]
        assert timings["total_ms"] >= phases - 1, check_id  # rounding to 0.1 ms per phase


def test_timings_validate_against_the_committed_schema(tls_run_with_latency: dict) -> None:
    """The report with timings validates against report.schema.json."""
    jsonschema.validate(tls_run_with_latency, SCHEMA)


def test_plain_http_has_no_tls_phase() -> None:
    """Without TLS the tls phases are null, never a made-up 0."""
    with Emulator("healthy") as emulator:
        settings = resolve(
            {"api_key": FAKE_KEY, "base_url": emulator.base_url, "model": "gpt-realtime"}, {}, {}, timeout=20
        )
        report = report_to_dict(doctor.run(settings, RunOptions(), ["config", "api_key", "websocket"]))
    assert _timings(report, "api_key")["tls_ms"] is None
    assert _timings(report, "websocket")["tls_ms"] is None
    assert _timings(report, "websocket")["tcp_ms"] is not None


def test_verbose_text_shows_one_timing_line_per_check(tls_run_with_latency: dict) -> None:
    """`-v` prints the phases that were measured on one line, skipping the ones that did not happen."""
    from realtime_check.render.console import format_timings

    line = format_timings(_timings(tls_run_with_latency, "session"))
    assert line.startswith("tcp ") and " · tls " in line and " · ttfb " in line and " · total " in line
    assert "dns" not in line  # null: not measured on its own, so not shown as 0
