"""End to end: the real CLI against the emulator's Azure OpenAI flavour (the failing scenarios are in
test_e2e_scenarios.py's table; here the healthy runs, the Azure variables, request ids and secrets)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_secret_sweep import assert_no_leak, collect, mode_args
from typer.testing import CliRunner

from realtime_check.cli.app import app
from realtime_check.cli.demo import demo_entra_token
from realtime_check.emulator import Emulator
from realtime_check.emulator.call import KEY_SUBPROTOCOL

AZURE_KEY = "FAKEazureSWEEPkey0Q7zR2wM9tL4bN6"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "AZURE_OPENAI_"))}
    return subprocess.run(
        [sys.executable, "-m", "realtime_check", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**base, **(env or {})},
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("scenario", ["azure-healthy", "azure-entra"])
def test_azure_demo_passes_with_the_deployment_as_model(scenario: str) -> None:
    """Against the Azure flavour (api-key or Entra) every check passes except models, which Azure cannot list."""
    proc = run_cli("demo", "--scenario", scenario, "--json")
    report = json.loads(proc.stdout)
    statuses = {c["id"]: c["status"] for c in report["checks"]}
    assert proc.returncode == 0 and report["ok"]
    assert statuses.pop("models") == "skip"
    assert set(statuses.values()) == {"pass"} and "response" in statuses
    socket = next(c for c in report["checks"] if c["id"] == "websocket")
    assert socket["details"]["url"].endswith("/openai/v1/realtime?model=realtime-prod")
    assert UUID.match(socket["request_id"]), "apim-request-id is the request id on Azure"
    assert socket["details"]["x-ms-region"] == "East US 2"


def test_run_configured_by_azure_variables_alone() -> None:
    """AZURE_OPENAI_ENDPOINT/_API_KEY/_DEPLOYMENT drive a whole run: GA paths, api-key header, provenance shown."""
    with Emulator("azure-healthy") as emu:
        env = {
            "AZURE_OPENAI_ENDPOINT": emu.root_url,
            "AZURE_OPENAI_API_KEY": AZURE_KEY,
            "AZURE_OPENAI_DEPLOYMENT": "realtime-prod",
        }
        proc = run_cli("run", "--provider", "azure", "--json", "--no-dotenv", env=env)
        requests = emu.requests.snapshot()
    report = json.loads(proc.stdout)
    assert proc.returncode == 0, proc.stdout
    settings = next(c for c in report["checks"] if c["id"] == "config")["details"]["settings"]
    assert settings["base_url"] == {"value": emu.root_url + "/openai/v1", "source": "env:AZURE_OPENAI_ENDPOINT"}
    assert settings["model"]["source"] == "env:AZURE_OPENAI_DEPLOYMENT"
    assert settings["azure_auth"]["value"] == "api-key header"
    assert next(c for c in report["checks"] if c["id"] == "config")["summary"].startswith("Azure resource key from")
    assert {r.path for r in requests} == {
        "/openai/v1/models",
        "/openai/v1/realtime/client_secrets",
        "/openai/v1/realtime",
    }
    keyed = [r for r in requests if r.headers.get("api-key")]
    assert keyed and all(r.headers["api-key"] == AZURE_KEY and "Authorization" not in r.headers for r in keyed)
    assert AZURE_KEY not in proc.stdout + proc.stderr


def test_region_and_request_id_are_shown_on_an_azure_failure() -> None:
    """A refusal from a region without realtime names the region (x-ms-region) and Azure's apim-request-id."""
    proc = run_cli("demo", "--scenario", "azure-region-without-realtime", "-v")
    shown = " ".join(proc.stdout.split())  # the terminal report wraps long lines
    assert proc.returncode != 0
    assert "West Europe" in shown and "diagnosis: azure_region_without_realtime" in shown
    assert re.search(r"request id: [0-9a-f]{8}-", shown)


@pytest.mark.parametrize("scenario", ["azure-entra", "azure-entra-wrong-audience"])
@pytest.mark.parametrize("mode", ["text-verbose", "json-lines", "all-verbose", "all-json-lines"])
def test_entra_token_and_minted_secrets_never_shown(scenario: str, mode: str, tmp_path: Path) -> None:
    """An Entra token from AZURE_OPENAI_AD_TOKEN, and what Azure mints with it, stay out of every output."""
    out = tmp_path / "out"
    out.mkdir()
    args, extra_env = mode_args(mode, out)
    audience = "https://ai.azure.com" if scenario == "azure-entra" else "https://cognitiveservices.azure.com"
    token = demo_entra_token(audience)
    with Emulator(scenario) as emu:
        env = {**extra_env, "AZURE_OPENAI_ENDPOINT": emu.root_url, "AZURE_OPENAI_AD_TOKEN": token}
        result = CliRunner().invoke(
            app, ["run", "--provider", "azure", "--model", "realtime-prod", "--response", *args], env=env
        )
        minted = {
            proto.strip()[len(KEY_SUBPROTOCOL) :]
            for r in emu.requests.snapshot()
            for proto in ",".join(r.headers.getall("Sec-WebSocket-Protocol", [])).split(",")
            if proto.strip().startswith(KEY_SUBPROTOCOL)
        }
        bearer_sent = [r for r in emu.requests.snapshot() if r.headers.get("Authorization") == f"Bearer {token}"]
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert bearer_sent, "the token really went out, as a Bearer token"
    assert (result.exit_code == 0) == (scenario == "azure-entra"), result.stdout
    secrets = {token: "eyJ", **{s: "ek_FAKE" for s in minted}}
    assert_no_leak(collect(result.stdout_bytes, result.stderr_bytes, out), secrets)


@pytest.mark.parametrize("scenario", ["azure-healthy", "azure-key-rejected"])
@pytest.mark.parametrize("mode", ["all-verbose", "all-json-lines"])
def test_azure_resource_key_never_shown(scenario: str, mode: str, tmp_path: Path) -> None:
    """An Azure resource key from AZURE_OPENAI_API_KEY (no prefix to recognise it by) stays out of every output."""
    out = tmp_path / "out"
    out.mkdir()
    args, extra_env = mode_args(mode, out)
    with Emulator(scenario) as emu:
        env = {**extra_env, "AZURE_OPENAI_ENDPOINT": emu.root_url, "AZURE_OPENAI_API_KEY": AZURE_KEY}
        result = CliRunner().invoke(app, ["run", "--provider", "azure", "--model", "realtime-prod", *args], env=env)
        sent = [r for r in emu.requests.snapshot() if r.headers.get("api-key") == AZURE_KEY]
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert sent, "the key really went out, as the api-key header"
    assert (result.exit_code == 0) == (scenario == "azure-healthy"), result.stdout
    assert_no_leak(collect(result.stdout_bytes, result.stderr_bytes, out), {AZURE_KEY: "FAKE"})
