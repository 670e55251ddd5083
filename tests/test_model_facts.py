"""model_facts and residency: the ladder, retirements and successors, regional hosts, as pure data."""

from __future__ import annotations

import datetime as dt

import pytest

from realtime_check import model_facts, residency

TODAY = dt.date(2026, 11, 30)


def test_ladder_is_newest_first_and_the_default_is_its_top() -> None:
    """With no model configured the run starts from gpt-realtime-2.1 and ends at the retiring gpt-realtime."""
    assert model_facts.LADDER == ("gpt-realtime-2.1", "gpt-realtime-2", "gpt-realtime-1.5", "gpt-realtime")
    assert model_facts.DEFAULT_MODEL == "gpt-realtime-2.1"


@pytest.mark.parametrize(
    ("visible", "chosen"),
    [
        ({"gpt-realtime", "gpt-realtime-2.1", "gpt-realtime-1.5"}, "gpt-realtime-2.1"),
        ({"gpt-realtime", "gpt-realtime-1.5"}, "gpt-realtime-1.5"),
        ({"gpt-realtime", "gpt-realtime-mini"}, "gpt-realtime"),
        ({"gpt-realtime-mini", "whisper-1"}, None),
    ],
)
def test_ladder_choice_takes_the_best_visible_model(visible: set[str], chosen: str | None) -> None:
    """The ladder picks the newest model the key sees, and nothing when it sees none of the ladder."""
    assert model_facts.ladder_choice(frozenset(visible)) == chosen


@pytest.mark.parametrize(
    ("model", "shutdown", "successor"),
    [
        ("gpt-realtime", "2027-01-20", "gpt-realtime-2.1"),
        ("gpt-realtime-2025-08-28", "2027-01-20", "gpt-realtime-2.1"),
        ("gpt-realtime-mini", "2027-01-20", "gpt-realtime-2.1-mini"),
        ("gpt-realtime-mini-2025-12-15", "2027-01-20", "gpt-realtime-2.1-mini"),
        ("gpt-audio-mini", "2027-01-20", None),
        ("whisper-1", "2027-02-26", "gpt-live-transcribe"),
        ("gpt-4o-transcribe-diarize", "2027-02-26", "gpt-live-transcribe"),
        ("gpt-4o-mini-transcribe-2025-12-15", "2027-02-26", "gpt-live-transcribe"),
        ("gpt-4o-realtime-preview-2024-12-17", "2026-05-07", "gpt-realtime-2.1"),
        ("gpt-4o-mini-realtime-preview", "2026-05-07", "gpt-realtime-2.1-mini"),
    ],
)
def test_announced_retirements_with_successors(model: str, shutdown: str, successor: str | None) -> None:
    """Every model of the 2027-01-20 and 2027-02-26 notices (and the shut-down previews) has its date and successor."""
    known = model_facts.retirement(model)
    assert known is not None
    assert known.shutdown.isoformat() == shutdown
    assert known.successor == successor
    assert known.source == "table"


@pytest.mark.parametrize(
    "model", ["gpt-realtime-2.1", "gpt-realtime-2.1-mini", "gpt-realtime-2", "gpt-realtime-1.5", "gpt-live-transcribe"]
)
def test_current_models_have_no_retirement(model: str) -> None:
    """Models not in any notice have no retirement (the 2026-11 update lists none for them)."""
    assert model_facts.retirement(model) is None


def test_days_left_and_soon_follow_the_given_date() -> None:
    """Days left count from the date passed in; within 30 days is 'soon'; on the day it is past."""
    known = model_facts.retirement("gpt-realtime")
    assert known is not None
    assert known.days_left(TODAY) == 51
    assert not known.is_soon(TODAY)
    assert known.is_soon(dt.date(2026, 12, 21))  # 30 days before
    assert not known.is_past(dt.date(2027, 1, 19))
    assert known.is_past(dt.date(2027, 1, 20))


def test_listing_date_wins_over_the_table() -> None:
    """A shutdown_date from /v1/models replaces the table's date; an empty or broken one falls back to the table."""
    listed = model_facts.from_listing("gpt-realtime", "2027-03-01")
    assert listed is not None and listed.shutdown == dt.date(2027, 3, 1) and listed.source == "listing"
    assert listed.successor == "gpt-realtime-2.1"
    for hostile in (None, "", "soon", {"date": "2027-01-01"}, True, 10**30):
        fallback = model_facts.from_listing("gpt-realtime", hostile)
        assert fallback is not None and fallback.source == "table", hostile
    assert model_facts.from_listing("gpt-realtime-2.1", None) is None


def test_listing_date_for_an_unknown_model_names_the_newest_of_its_kind() -> None:
    """A listed shutdown for a model the table does not know still names a successor of the same kind."""
    realtime = model_facts.from_listing("gpt-realtime-1.5", "2027-06-01")
    mini = model_facts.from_listing("gpt-realtime-1.5-mini", "2027-06-01")
    assert realtime is not None and realtime.successor == "gpt-realtime-2.1"
    assert mini is not None and mini.successor == "gpt-realtime-2.1-mini"


def test_unix_timestamp_shutdown_dates_are_read() -> None:
    """A shutdown_date given as Unix seconds is read as its UTC date."""
    assert model_facts.parse_date(1800403200) == dt.date(2027, 1, 20)


@pytest.mark.parametrize(
    ("model", "live", "transcription", "realtime"),
    [
        ("gpt-live-1", True, False, False),
        ("gpt-live-1.1", True, False, False),
        ("gpt-live-transcribe", False, True, False),  # the naming trap: a Realtime transcription model
        ("gpt-realtime-whisper", False, True, False),
        ("gpt-realtime-2.1", False, False, True),
        ("gpt-audio-mini", False, False, True),
    ],
)
def test_model_kinds(model: str, live: bool, transcription: bool, realtime: bool) -> None:
    """GPT-Live, transcription and realtime models are told apart, gpt-live-transcribe included."""
    assert model_facts.is_gpt_live(model) is live
    assert model_facts.is_transcription_model(model) is transcription
    assert model_facts.is_realtime_model(model) is realtime


@pytest.mark.parametrize(
    ("url", "region"),
    [
        ("https://api.openai.com/v1", "global"),
        ("https://eu.api.openai.com/v1", "eu"),
        ("wss://jp.api.openai.com/v1/realtime", "jp"),
        ("https://IN.API.OPENAI.COM/v1", "in"),
        ("https://my-gateway.example/v1", None),
        ("not a url [", None),
    ],
)
def test_region_of_a_url(url: str, region: str | None) -> None:
    """The seven hosts map to their region; any other host has none."""
    assert residency.region_of(url) == region


def test_seven_hosts_are_known() -> None:
    """global, us, eu, ae, au, in and jp, as openai-python 3.51 knows them."""
    assert sorted(residency.HOSTS.values()) == sorted(["global", "us", "eu", "ae", "au", "in", "jp"])


def test_unknown_regional_host_is_spotted() -> None:
    """A regional-looking host that is none of the seven is reported; real ones and other hosts are not."""
    assert residency.unknown_regional_host("https://uk.api.openai.com/v1") == "uk.api.openai.com"
    assert residency.unknown_regional_host("https://eu.api.openai.com/v1") is None
    assert residency.unknown_regional_host("https://gateway.example/v1") is None


@pytest.mark.parametrize(
    ("message", "host"),
    [
        (
            "Attempted to access resource with incorrect regional hostname. Please make your request to us.api.openai.com",
            "us.api.openai.com",
        ),
        (
            "Attempted to access resource with incorrect regional hostname. Please make your request to api.openai.com",
            "api.openai.com",
        ),
        ("Please make your request to evil.example.com", None),  # never echo an arbitrary host as advice
        ("Please make your request to xx.api.openai.com", None),
        (None, None),
    ],
)
def test_host_named_in_an_incorrect_hostname_message(message: str | None, host: str | None) -> None:
    """Only one of the seven OpenAI hosts is taken from the message; anything else is ignored."""
    assert residency.named_host(message) == host


def test_header_shows_the_residency_the_base_url_implies() -> None:
    """An OpenAI regional base URL puts its region in the report header; other hosts add nothing."""
    from realtime_check.checks import doctor
    from realtime_check.settings import resolve

    eu = resolve({"base_url": "https://eu.api.openai.com/v1"}, {})
    rows = {s.name: (s.value, s.source) for s in doctor.target_of(eu, doctor.make_redactor(eu)).settings}
    assert rows["residency"] == ("eu (eu.api.openai.com)", "derived from base_url")
    gateway = resolve({"base_url": "https://gateway.example/v1"}, {})
    assert "residency" not in {s.name for s in doctor.target_of(gateway, doctor.make_redactor(gateway)).settings}


@pytest.mark.parametrize(
    ("base_url", "diagnosis"),
    [("https://uk.api.openai.com/v1", "unknown_regional_host"), ("https://jp.api.openai.com/v1", None)],
)
def test_config_accepts_the_seven_hosts_and_fails_a_made_up_region(base_url: str, diagnosis: str | None) -> None:
    """The config lint knows the seven hosts; a regional-looking host that is none of them fails config."""
    from realtime_check.checks.config import evaluate
    from realtime_check.settings import resolve

    result, _ = evaluate(resolve({"base_url": base_url, "api_key": "sk-proj-FAKE0000000000000000TEST"}, {}))
    assert result.diagnosis == diagnosis


def test_gpt_live_model_configured_for_realtime_fails_config_with_the_two_apis_explained() -> None:
    """A gpt-live-* model fails config as gpt_live_model; gpt-live-transcribe as the Realtime model is only not-realtime."""
    from realtime_check.checks.config import evaluate
    from realtime_check.settings import resolve

    key = "sk-proj-FAKE0000000000000000TEST"
    live, _ = evaluate(resolve({"model": "gpt-live-1", "api_key": key}, {}))
    assert (live.status.value, live.diagnosis) == ("fail", "gpt_live_model")
    assert "/v1/live/sessions" in live.summary
    trap, _ = evaluate(resolve({"model": "gpt-live-transcribe", "api_key": key}, {}))
    assert trap.diagnosis == "model_not_realtime"
