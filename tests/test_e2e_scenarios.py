"""End to end: the real CLI, in its own process, against every emulator scenario over real sockets."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time

import pytest

from realtime_check.cli.demo import DEMO_KEY
from realtime_check.emulator.scenarios import list_scenarios

# Scenario -> the check that must fail (or warn, or pass with a note), and what it must report.
# status, diagnosis, then (http_status, error.code, close_code) where the scenario defines one.
EXPECTED: dict[str, tuple[str, str, str, int | None, str | None, int | None]] = {
    "invalid-key": ("api_key", "fail", "invalid_api_key", 401, "invalid_api_key", None),
    "restricted-key": ("api_key", "warn", "missing_scope_model_read", 401, "missing_scope", None),
    "model-missing": ("models", "fail", "model_not_found", 404, "model_not_found", None),
    "retired-preview": ("models", "fail", "model_retired", None, None, None),
    "project-allowlist": ("session", "fail", "model_project_allowlist", 403, "model_not_found", None),
    "org-verification": ("session", "fail", "org_verification_required", 400, "unsupported_value", None),
    "region-blocked": ("api_key", "fail", "region_blocked", 403, "unsupported_country_region_territory", None),
    "org-mismatch": ("api_key", "fail", "mismatched_organization", 401, "mismatched_organization", None),
    "no-organization": ("api_key", "fail", "no_organization", 401, "no_organization", None),
    "ip-not-authorized": ("api_key", "fail", "ip_not_authorized", 401, None, None),
    "quota": ("session", "fail", "insufficient_quota", 429, "insufficient_quota", None),
    "credit-exhausted": ("session", "fail", "insufficient_quota", 429, "credit_balance_exhausted", None),
    "rate-limited": ("session", "fail", "rate_limited", 429, "rate_limit_exceeded", None),
    "overloaded": ("api_key", "fail", "server_overloaded", 503, None, None),
    "html-502": ("api_key", "fail", "html_error_page", 502, None, None),
    "truncated-json": ("api_key", "fail", "invalid_json", 200, None, None),
    "unknown-url": ("api_key", "fail", "unknown_url", 404, "unknown_url", None),
    "handshake-403": ("websocket", "fail", "realtime_access_not_enabled", 403, "access_not_enabled", None),
    "handshake-500": ("websocket", "fail", "handshake_server_error", 500, None, None),
    "gateway-404": ("websocket", "fail", "handshake_intermediary", 404, None, None),
    "missing-auth-header": ("websocket", "fail", "handshake_missing_auth", 401, None, None),
    "invalid-model": ("websocket", "fail", "ws_invalid_model", None, "invalid_model", 4000),
    "model-not-found-ws": ("websocket", "fail", "ws_model_not_found", None, "model_not_found", 4004),
    "beta-shape": ("websocket", "fail", "beta_api_shape_disabled", None, "beta_api_shape_disabled", 4000),
    "silent-socket": ("websocket", "fail", "ws_silent", None, None, None),
    "garbage-frame": ("websocket", "fail", "ws_non_json_frame", None, None, None),
    "binary-frame": ("websocket", "fail", "ws_binary_frame", None, None, None),
    "mid-session-close": ("response", "fail", "ws_closed_transient", None, None, 1011),
    "response-failed-quota": ("response", "fail", "response_quota", None, "insufficient_quota", None),
    "response-model-not-found": ("response", "fail", "response_model_not_found", None, "model_not_found", None),
    "server-error": ("response", "fail", "server_error", None, None, None),
    "audio-failed": ("audio", "fail", "server_error", None, None, None),
    "audio-incomplete": ("audio", "warn", "response_incomplete", None, None, None),
    "audio-stripped": ("audio", "fail", "audio_missing", None, None, None),
    "audio-buffer-too-small": (
        "audio",
        "fail",
        "audio_buffer_too_small",
        None,
        "input_audio_buffer_commit_empty",
        None,
    ),
    "transcription-failed": (
        "transcription",
        "warn",
        "transcription_unintelligible",
        None,
        "audio_unintelligible",
        None,
    ),
    "transcription-model-unavailable": (
        "transcription",
        "fail",
        "transcription_model_unavailable",
        None,
        "model_not_found",
        None,
    ),
    "beta-accepted": ("legacy_beta", "pass", "beta_interface_deprecated", None, None, None),
    "ephemeral-rejected": ("websocket_ephemeral", "fail", "ephemeral_expired", None, "invalid_api_key", 3000),
    "expired-secret": ("session", "fail", "ephemeral_expired", 200, None, None),
    "slow-drip": ("api_key", "fail", "timeout", None, None, None),
    "huge-body": ("api_key", "fail", "response_too_large", 200, None, None),
    "tls-untrusted": ("network", "fail", "tls_interception", None, None, None),
    "webrtc-sdp-eof": ("webrtc", "fail", "webrtc_offer_truncated", 400, None, None),
    "webrtc-invalid-offer": ("webrtc", "fail", "webrtc_invalid_offer", 400, "invalid_offer", None),
    "webrtc-raw-sdp-refused": ("webrtc", "fail", "webrtc_body_shape", 400, "invalid_content_type", None),
    "webrtc-unsupported-content-type": (
        "webrtc",
        "fail",
        "webrtc_unsupported_content_type",
        400,
        "unsupported_content_type",
        None,
    ),
    "webrtc-model-not-entitled": ("webrtc", "fail", "webrtc_model_not_entitled", 403, "model_not_found", None),
    "webrtc-answer-not-sdp": ("webrtc", "fail", "webrtc_answer_not_sdp", 200, None, None),
    "webrtc-secret-rejected": ("webrtc", "fail", "ephemeral_expired", 401, "invalid_api_key", None),
    "webrtc-model-not-found": ("webrtc", "fail", "model_not_found", 404, "model_not_found", None),
    "webrtc-no-location": ("webrtc", "fail", "webrtc_no_call_id", 201, None, None),
    "webrtc-hangup-fails": ("webrtc", "warn", "webrtc_hangup_failed", 201, None, None),
    "sideband-not-found": ("webrtc", "fail", "sideband_call_not_found", 404, "call_id_not_found", None),
    # Protocol update 2026-11: the model ladder, entitlement, residency, socket headers, the 60-minute cap.
    "retiring-only": ("models", "warn", "only_retiring_model_visible", None, None, None),
    "entitlement": ("response", "fail", "model_project_allowlist", None, "model_not_found", None),
    "residency-pinned": ("api_key", "fail", "incorrect_hostname", 401, "incorrect_hostname", None),
    "residency-global-key": ("websocket", "fail", "geography_restricted_host", None, None, 3000),
    "stale-project-socket": ("websocket", "fail", "ws_stale_org_project", None, "mismatched_project", 3000),
    "session-max-duration": ("response", "fail", "session_max_duration", None, None, 1001),
    "gpt-live-on-realtime": ("websocket", "fail", "gpt_live_model", None, "invalid_model", 4000),
    "live-not-entitled": ("live", "fail", "model_project_allowlist", None, "model_not_found", 4004),
    # Azure OpenAI flavour (issue 13 §3).
    "azure-entra-wrong-audience": ("api_key", "fail", "azure_entra_token_rejected", 401, None, None),
    "azure-key-rejected": ("api_key", "fail", "azure_unauthorized", 401, None, None),
    "azure-deployment-not-found": ("session", "fail", "azure_deployment_not_found", 404, "DeploymentNotFound", None),
    "azure-operation-not-supported": (
        "websocket",
        "fail",
        "azure_operation_not_supported",
        400,
        "OpperationNotSupported",
        None,
    ),
    "azure-region-without-realtime": (
        "websocket",
        "fail",
        "azure_region_without_realtime",
        400,
        "OpperationNotSupported",
        None,
    ),
    "azure-api-version": ("config", "fail", "base_url_azure_api_version", None, None, None),
    "azure-preview-endpoint": ("config", "fail", "azure_preview_url", None, None, None),
    # Gateways (issue 13 §4): answers recorded from LiteLLM 1.108 in front of the emulator.
    "gateway-wrapped-secret": ("websocket_ephemeral", "fail", "gateway_secret_not_subprotocol_safe", None, None, None),
    "gateway-unknown-key": ("api_key", "fail", "gateway_request_rejected", 400, "400", None),
}
HEALTHY = {"healthy", "tls-trusted", "slow"}
# Healthy too, but the models check skips on Azure (deployments are not listed): tests/test_e2e_azure.py.
HEALTHY_ELSEWHERE = {"azure-healthy", "azure-entra"}
# Scenarios that must wait for the run's deadline get a short one; the rest a generous one.
SHORT_BUDGET = {"silent-socket": 2.0, "slow-drip": 2.0}
DEFAULT_BUDGET = 15.0
# Interpreter start-up, emulator start/stop and closing sockets, on a slow shared machine.
OVERHEAD_SECONDS = 6.0

SECRET_SHAPES = re.compile(r"(sk-proj-DEMO-FAKE-KEY-0{8,}|ek_FAKE[0-9a-f]{8,})")


def run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    return subprocess.run(
        [sys.executable, "-m", "realtime_check", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def test_every_scenario_has_an_expectation() -> None:
    """Each scenario the emulator offers is covered by this end-to-end table (no silent gaps)."""
    names = {s.name for s in list_scenarios()}
    assert names == set(EXPECTED) | HEALTHY | HEALTHY_ELSEWHERE


@pytest.mark.parametrize("scenario", sorted(EXPECTED))
def test_scenario_is_diagnosed(scenario: str) -> None:
    """The demo of each failure scenario names the failing check, its evidence, a diagnosis and advice."""
    check_id, status, diagnosis, http_status, code, close_code = EXPECTED[scenario]
    budget = SHORT_BUDGET.get(scenario, DEFAULT_BUDGET)
    started = time.monotonic()
    proc = run_cli("demo", "--scenario", scenario, "--json", "--timeout", str(budget))
    elapsed = time.monotonic() - started

    assert elapsed < budget + OVERHEAD_SECONDS, f"{scenario} took {elapsed:.1f}s for a {budget}s budget"
    report = json.loads(proc.stdout)  # stdout is exactly one JSON document
    assert report["demo"] == scenario
    result = next(c for c in report["checks"] if c["id"] == check_id)
    assert (result["status"], result["diagnosis"]) == (status, diagnosis), result
    assert result["http_status"] == http_status
    assert (result["error"] or {}).get("code") == code
    assert result["close_code"] == close_code
    assert result["advice"], "a problem always comes with advice"
    assert all(line.strip() for line in result["advice"])
    if status == "fail":
        assert not report["ok"] and proc.returncode == report["exit_code"] != 0
    else:
        assert report["ok"] and proc.returncode == 0
    assert not SECRET_SHAPES.search(proc.stdout + proc.stderr)


@pytest.mark.parametrize("scenario", sorted(HEALTHY))
def test_healthy_scenarios_pass(scenario: str) -> None:
    """Healthy scenarios (plain, over TLS with the test CA, and with latency) pass every check, exit 0."""
    proc = run_cli("demo", "--scenario", scenario, "--json")
    report = json.loads(proc.stdout)
    assert proc.returncode == 0 and report["ok"] and report["exit_code"] == 0
    assert [c["status"] for c in report["checks"]] == ["pass"] * len(report["checks"])
    assert [c["id"] for c in report["checks"]][-1] == "response"  # the demo proves a round trip too


@pytest.mark.parametrize("scenario", ["healthy", "invalid-key", "beta-shape", "tls-untrusted"])
def test_text_report_is_readable_and_redacted(scenario: str) -> None:
    """The terminal report (with -v) labels the demo, shows a verdict line, and leaks no secret."""
    proc = run_cli("demo", "--scenario", scenario, "-v")
    out = proc.stdout
    assert "DEMO" in out and scenario in out
    assert ("looks good" in out) == (scenario == "healthy")
    assert proc.stderr == ""  # no progress spinner when stderr is not a terminal
    assert DEMO_KEY not in out
    assert not SECRET_SHAPES.search(out)
