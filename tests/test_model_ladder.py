"""The default model ladder and retirement warnings, through real check runs (respx REST, a real socket)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import subprocess
import sys
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

from check_harness import (
    BASE_URL,
    FAKE_KEY,
    MODELS_URL,
    SECRETS_URL,
    TODAY,
    Run,
    json_response,
    listing,
    make_settings,
    minted,
    model_entry,
    new_router,
    run,
    run_async,
    ws_server,
)

from realtime_check import settings as settings_mod
from realtime_check.checks import doctor
from realtime_check.diagnosis import catalog as diagnoses
from realtime_check.exit_codes import ExitCode, compute
from realtime_check.models import Status

RUN = ["config", "api_key", "models", "session", "websocket"]


async def _echo_model(ws: Any) -> None:
    """A socket that greets with session.created for whatever ?model= was asked for."""
    model = parse_qs(urlsplit(ws.request.path).query)["model"][0]
    await ws.send(json.dumps({"type": "session.created", "session": {"id": "sess_FAKEladder", "model": model}}))
    await ws.wait_closed()


def _run_against(models: dict[str, Any], *, model: str | None = None, today: dt.date = TODAY) -> tuple[Run, Any, Any]:
    """A full run (no model configured unless given) against a listing; returns the run, the mint route, the server."""

    async def scenario() -> tuple[Run, Any, Any]:
        router = new_router()
        router.get(MODELS_URL).mock(return_value=json_response(200, models))
        mint = router.post(SECRETS_URL).mock(return_value=json_response(200, minted(expires_at=time.time() + 60)))
        async with ws_server(_echo_model) as server:
            settings = make_settings(ws_base_url=server.ws_base_url, model=model)
            outcome = await run_async(settings, RUN, router=router, today=today)
            return outcome, mint, server

    return asyncio.run(scenario())


def _asked_model(server: Any) -> str:
    return parse_qs(urlsplit(server.requests[0].path).query)["model"][0]


def test_no_model_configured_uses_the_newest_visible_model_everywhere() -> None:
    """With gpt-realtime-2.1 visible and no model configured, the mint and the socket use it and every check passes."""
    outcome, mint, server = _run_against(listing("gpt-realtime", "gpt-realtime-2.1", "gpt-realtime-1.5", "whisper-1"))
    assert [r.status for r in outcome.results] == [Status.PASS] * len(RUN), [r.summary for r in outcome.results]
    assert _asked_model(server) == "gpt-realtime-2.1"
    assert json.loads(mint.calls.last.request.content)["session"]["model"] == "gpt-realtime-2.1"
    assert outcome["models"].details["model_choice"]["why"] == "chosen: newest visible"


def test_header_shows_the_chosen_model_and_why() -> None:
    """The report header names the model the run chose and, as its provenance, that it was chosen."""
    outcome, _, _ = _run_against(listing("gpt-realtime-1.5", "whisper-1"))
    settings = make_settings()
    target = doctor.target_of(settings, doctor.make_redactor(settings), outcome.results)
    assert target.model == "gpt-realtime-1.5"
    model_setting = next(s for s in target.settings if s.name == "model")
    assert (model_setting.value, model_setting.source) == ("gpt-realtime-1.5", "chosen: newest visible")


def test_only_retiring_model_visible_passes_with_a_warning_that_strict_fails() -> None:
    """Seeing only gpt-realtime: the run uses it and passes with a warning naming 2027-01-20, 51 days and the successor."""
    outcome, _, server = _run_against(listing("gpt-realtime", "gpt-realtime-2025-08-28", "whisper-1"))
    assert _asked_model(server) == "gpt-realtime"
    models = outcome["models"]
    assert models.status is Status.WARN
    assert models.diagnosis == "only_retiring_model_visible"
    assert "2027-01-20" in models.summary and "51 days left" in models.summary and "gpt-realtime-2.1" in models.summary
    assert any("does not see gpt-realtime-2.1" in line and "allowlist" in line for line in models.advice)
    assert models.details["retirement"]["source"] == "built-in table as of 2026-11-30"
    assert compute(outcome.results, diagnoses.category_of) is ExitCode.OK
    assert compute(outcome.results, diagnoses.category_of, fail_on_warn=True) is not ExitCode.OK


def test_configured_model_retiring_within_30_days_is_a_soon_warning() -> None:
    """A configured model 15 days from its listed shutdown is a warning marked soon, naming the days left."""
    outcome, _, _ = _run_against(
        listing(model_entry("gpt-realtime", "2027-01-20"), "gpt-realtime-2.1", "whisper-1"),
        model="gpt-realtime",
        today=dt.date(2027, 1, 5),
    )
    models = outcome["models"]
    assert models.status is Status.WARN
    assert models.diagnosis == "model_shutdown_scheduled"
    assert "15 days left" in models.summary and "soon" in models.summary
    assert models.details["retirement"]["source"] == "shutdown_date from GET /v1/models"
    assert any(line.startswith("Move to gpt-realtime-2.1 before 2027-01-20") for line in models.advice)
    assert compute(outcome.results, diagnoses.category_of, fail_on_warn=True) is not ExitCode.OK


def test_configured_model_past_its_table_date_fails() -> None:
    """On the shutdown day a configured gpt-realtime with no listed date fails as retired, from the table."""
    outcome, _, _ = _run_against(
        listing("gpt-realtime", "gpt-realtime-2.1", "whisper-1"), model="gpt-realtime", today=dt.date(2027, 1, 20)
    )
    assert outcome["models"].status is Status.FAIL
    assert outcome["models"].diagnosis == "model_retired"
    assert "2027-01-20" in outcome["models"].summary


def test_retirement_is_warned_from_the_table_when_the_listing_is_unavailable() -> None:
    """A key that cannot list models still gets the retirement warning for its configured model, with the table's date."""
    router = new_router()
    router.get(MODELS_URL).mock(
        return_value=json_response(
            401, {"error": {"code": "missing_scope", "message": "Missing scopes: api.model.read"}}
        )
    )
    outcome = run(make_settings(model="gpt-realtime-mini"), ["config", "api_key", "models"], router=router)
    models = outcome["models"]
    assert models.status is Status.WARN
    assert "2027-01-20" in models.summary and "gpt-realtime-2.1-mini" in models.summary
    assert any("as of 2026-11-30" in line for line in models.advice)


def test_no_ladder_model_visible_falls_back_to_the_top_and_says_why() -> None:
    """A key that sees no ladder model is tested with gpt-realtime-2.1, and the choice says none was visible."""
    router = new_router()
    router.get(MODELS_URL).mock(return_value=json_response(200, listing("gpt-realtime-mini", "whisper-1")))
    router.get(f"{MODELS_URL}/gpt-realtime-2.1").mock(
        return_value=json_response(404, {"error": {"code": "model_not_found", "message": "nope"}})
    )
    outcome = run(make_settings(), ["config", "api_key", "models"], router=router)
    models = outcome["models"]
    assert models.status is Status.FAIL and models.diagnosis == "model_not_found"
    assert models.details["model_choice"]["why"] == "default: newest on the ladder (no ladder model is visible)"
    assert BASE_URL in str(router.calls.last.request.url)


def test_configured_transcription_model_retiring_is_a_warning_naming_its_successor() -> None:
    """--transcription-model whisper-1 (listed with 2027-02-26) warns with the days left and gpt-live-transcribe."""
    router = new_router()
    router.get(MODELS_URL).mock(
        return_value=json_response(200, listing("gpt-realtime-2.1", model_entry("whisper-1", "2027-02-26")))
    )
    settings = settings_mod.resolve(
        {"api_key": FAKE_KEY, "base_url": BASE_URL, "transcription_model": "whisper-1"}, {}, {}, None, timeout=5
    )
    models = run(settings, ["config", "api_key", "models"], router=router)["models"]
    assert (models.status, models.diagnosis) == (Status.WARN, "model_shutdown_scheduled")
    assert (
        models.summary
        == "transcription model whisper-1 shuts down on 2027-02-26 (88 days left; successor gpt-live-transcribe)"
    )
    assert any("gpt-live-transcribe (--transcription-model" in line for line in models.advice)


def test_default_transcription_model_is_not_warned_about() -> None:
    """With no transcription model configured, a retiring whisper-1 in the listing is no warning of this run."""
    router = new_router()
    router.get(MODELS_URL).mock(
        return_value=json_response(200, listing("gpt-realtime-2.1", model_entry("whisper-1", "2027-02-26")))
    )
    models = run(make_settings(), ["config", "api_key", "models"], router=router)["models"]
    assert models.status is Status.PASS


def test_strict_fails_the_demo_where_only_a_retiring_model_is_visible() -> None:
    """End to end: `demo --scenario retiring-only` exits 0 with the warning; with --strict it exits non-zero."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    base = [sys.executable, "-m", "realtime_check", "demo", "--scenario", "retiring-only", "--json", "--no-response"]
    plain = subprocess.run(base, env=env, capture_output=True, text=True, timeout=120)
    strict = subprocess.run([*base, "--strict"], env=env, capture_output=True, text=True, timeout=120)
    report = json.loads(plain.stdout)
    models = next(c for c in report["checks"] if c["id"] == "models")
    assert plain.returncode == 0 and report["ok"]
    assert "2027-01-20" in models["summary"] and "gpt-realtime-2.1" in models["summary"]
    assert report["target"]["model"] == "gpt-realtime"
    assert strict.returncode != 0 and not json.loads(strict.stdout)["ok"]
