"""The local `config` check (checks/config.py): key lint, URL and model sanity, and which key later checks may use."""

from __future__ import annotations

import json

import pytest

from realtime_check.checks.config import evaluate
from realtime_check.diagnosis import catalog as diagnoses
from realtime_check.models import CheckResult, Status
from realtime_check.settings import resolve

KEY = "sk-proj-FAKE0000000000000000000000000000000000000000TEST"
OTHER_KEY = "sk-proj-FAKE1111111111111111111111111111111111111111OTHR"
EPHEMERAL = "ek_FAKE0000000000000000000000000000EPHM"
RELAY = "FAKErelay00000000000000000000000000000RELY"
AZURE = "https://fake-res.openai.azure.com/openai/v1"


def run(
    env: dict[str, str] | None = None,
    dotenv: dict[str, str] | None = None,
    dotenv_path: str | None = None,
    **flags: str,
) -> tuple[CheckResult, str | None]:
    return evaluate(resolve(flags, env or {}, dotenv, dotenv_path))


def shown_text(result: CheckResult) -> str:
    """Everything a renderer may print for this result."""
    return json.dumps([result.summary, list(result.advice), dict(result.details)], ensure_ascii=False)


def leaked(secret: str, text: str, size: int = 8) -> set[str]:
    """8-character pieces of a secret (after its public sk-proj- prefix) found in text."""
    body_start = 8 if secret.startswith("sk-proj-") else 0
    return {secret[i : i + size] for i in range(body_start, len(secret) - size + 1) if secret[i : i + size] in text}


def problem_ids(result: CheckResult) -> list[str]:
    return [p["diagnosis"] for p in result.details["problems"]]


# --- the key -------------------------------------------------------------------------------


def test_missing_key_names_every_source_checked() -> None:
    """With no key anywhere, config fails and says it looked at --api-key, $OPENAI_API_KEY and .env."""
    result, usable = run()
    assert (result.status, result.diagnosis, usable) == (Status.FAIL, "key_missing", None)
    for source in ("--api-key", "OPENAI_API_KEY", ".env"):
        assert source in result.summary


def test_missing_key_names_the_dotenv_file_that_was_read() -> None:
    """When a .env was found but holds no key, the message names that file so the user can open it."""
    result, _ = run(dotenv={"OPENAI_BASE_URL": "https://api.openai.com/v1"}, dotenv_path="/project/.env")
    assert result.diagnosis == "key_missing"
    assert "/project/.env" in result.summary


@pytest.mark.parametrize(
    ("raw", "diagnosis"),
    [
        pytest.param(f'"{KEY}"', "key_quoted", id="double-quoted"),
        pytest.param(f"'{KEY}'", "key_quoted", id="single-quoted"),
        pytest.param(f"{KEY}\n", "key_whitespace", id="trailing-newline"),
        pytest.param(f"{KEY}\r\n", "key_whitespace", id="trailing-crlf"),
        pytest.param(f"  {KEY}", "key_whitespace", id="leading-spaces"),
        pytest.param(f'"{KEY}"\n', "key_whitespace", id="quoted-and-newline"),
    ],
)
def test_quoted_or_padded_key_fails_config_but_is_still_tried(raw: str, diagnosis: str) -> None:
    """Quotes or outer whitespace fail config, yet the cleaned key is passed on so the user learns if the key itself works."""
    result, usable = run(api_key=raw)
    assert result.status is Status.FAIL
    assert diagnosis in problem_ids(result)
    assert usable == KEY


@pytest.mark.parametrize(
    ("raw", "diagnosis"),
    [
        pytest.param("YOUR_OPENAI_API_KEY", "key_placeholder", id="placeholder"),
        pytest.param("sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "key_placeholder", id="sk-xxxx"),
        pytest.param("https://api.openai.com/v1", "key_placeholder", id="url"),
        pytest.param("sk-FAKE1234", "key_placeholder", id="fragment"),
        pytest.param("sk-admin-FAKE000000000000000000000000ADMN", "key_admin", id="admin"),
        pytest.param(KEY[:24] + "\u200b" + KEY[24:], "key_non_ascii", id="zero-width-space"),
        pytest.param("sk-proj-FAKE\u0410" + KEY[13:], "key_non_ascii", id="cyrillic"),
        pytest.param("\u201c" + KEY + "\u201d", "key_non_ascii", id="smart-quotes"),
        pytest.param(KEY[:24] + " " + KEY[24:], "key_whitespace", id="inner-space"),
    ],
)
def test_unusable_key_fails_and_is_not_sent(raw: str, diagnosis: str) -> None:
    """Placeholders, admin keys, invisible characters and inner spaces fail config and no later check sends them."""
    result, usable = run(api_key=raw)
    assert result.status is Status.FAIL
    assert result.diagnosis == diagnosis
    assert usable is None


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(KEY, id="project"),
        pytest.param("sk-svcacct-FAKE00000000000000000000000000000000SVCA", id="service-account"),
        pytest.param("sk-FAKE0000000000000000000000000000000000000000LEGY", id="legacy"),
        pytest.param("sk-None-FAKE000000000000000000000000000000000000NONE", id="sk-None"),
    ],
)
def test_good_key_with_defaults_passes(key: str) -> None:
    """A well-formed key with default URL and model passes config and is handed to later checks unchanged."""
    result, usable = run(api_key=key)
    assert (result.status, result.diagnosis, result.advice) == (Status.PASS, None, ())
    assert usable == key


@pytest.mark.parametrize(
    ("key", "base_url", "status", "diagnosis"),
    [
        pytest.param(EPHEMERAL, None, Status.WARN, "key_ephemeral", id="ephemeral-warns"),
        pytest.param(RELAY, None, Status.WARN, "key_unknown_format", id="relay-token-warns"),
        pytest.param("FAKE0000000000000000000000000000", AZURE, Status.PASS, None, id="azure-key-passes-on-azure"),
    ],
)
def test_unusual_but_possible_keys_are_still_tried(
    key: str, base_url: str | None, status: Status, diagnosis: str | None
) -> None:
    """Ephemeral secrets and gateway tokens warn but are still tried; Azure keys are normal on Azure hosts."""
    # The model is given, so that an Azure run does not also warn about a missing deployment.
    result, usable = run(api_key=key, model="gpt-realtime", **({"base_url": base_url} if base_url else {}))
    assert (result.status, result.diagnosis) == (status, diagnosis)
    assert usable == key


def test_shadowed_key_warns_and_names_the_dotenv_file() -> None:
    """A shell OPENAI_API_KEY that differs from .env warns and names the .env being ignored."""
    result, usable = run(env={"OPENAI_API_KEY": KEY}, dotenv={"OPENAI_API_KEY": OTHER_KEY}, dotenv_path="/project/.env")
    assert (result.status, result.diagnosis) == (Status.WARN, "key_shadowed_by_env")
    assert "/project/.env" in result.summary
    assert usable == KEY


# --- base URL, model, org -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base_url", "status", "diagnosis"),
    [
        pytest.param("https://api.openai.com/v1", Status.PASS, None, id="openai"),
        pytest.param("https://api.openai.com/v1/", Status.PASS, None, id="trailing-slash"),
        pytest.param("https://gw.example.com/custom/prefix/v1", Status.PASS, None, id="gateway-with-v1"),
        pytest.param("http://127.0.0.1:8080/v1", Status.PASS, None, id="http-loopback-ipv4"),
        pytest.param("http://localhost:8080/v1", Status.PASS, None, id="http-localhost"),
        pytest.param("http://[::1]:8080/v1", Status.PASS, None, id="http-loopback-ipv6"),
        pytest.param(AZURE, Status.PASS, None, id="azure-ga"),
        pytest.param("ftp://api.openai.com/v1", Status.FAIL, "base_url_invalid", id="ftp"),
        pytest.param("api.openai.com/v1", Status.FAIL, "base_url_invalid", id="no-scheme"),
        pytest.param("https:///v1", Status.FAIL, "base_url_invalid", id="no-host"),
        pytest.param(
            "https://api.openai.com/v1/chat/completions", Status.FAIL, "base_url_endpoint_pasted", id="chat-completions"
        ),
        pytest.param("https://api.openai.com/v1/responses", Status.FAIL, "base_url_endpoint_pasted", id="responses"),
        pytest.param("https://api.openai.com/v1/realtime", Status.FAIL, "base_url_endpoint_pasted", id="realtime"),
        pytest.param("https://api.openai.com", Status.WARN, "base_url_missing_v1", id="missing-v1"),
        pytest.param("https://gw.example.com/openai", Status.WARN, "base_url_missing_v1", id="gateway-missing-v1"),
        pytest.param(
            AZURE + "?api-version=2025-04-01-preview", Status.FAIL, "base_url_azure_api_version", id="azure-api-version"
        ),
        pytest.param(
            "https://fake-res.openai.azure.com/openai", Status.WARN, "base_url_missing_v1", id="azure-missing-v1"
        ),
        pytest.param("http://gw.example.com/v1", Status.WARN, "base_url_invalid", id="plain-http-remote"),
    ],
)
def test_base_url_problems(base_url: str, status: Status, diagnosis: str | None) -> None:
    """Base URLs that cannot work fail, likely mistakes warn, and correct ones pass."""
    result, usable = run(api_key=KEY, base_url=base_url, model="gpt-realtime")
    assert (result.status, result.diagnosis) == (status, diagnosis)
    assert usable == KEY  # a URL problem never makes the key itself unusable


def test_plain_http_warning_says_the_key_would_travel_unencrypted() -> None:
    """The plain-http warning explains the risk rather than only calling the URL invalid."""
    result, _ = run(api_key=KEY, base_url="http://gw.example.com/v1")
    assert "unencrypted" in result.summary


@pytest.mark.parametrize(
    ("model", "base_url", "status", "diagnosis"),
    [
        pytest.param("gpt-realtime", None, Status.PASS, None, id="gpt-realtime"),
        pytest.param("gpt-realtime-mini", None, Status.PASS, None, id="gpt-realtime-mini"),
        pytest.param("gpt-realtime-2025-08-28", None, Status.PASS, None, id="dated-snapshot"),
        pytest.param("gpt-realtime-2.1", None, Status.PASS, None, id="gpt-realtime-2.1"),
        pytest.param("gpt-4o-realtime-preview", None, Status.WARN, "model_retired", id="preview-alias"),
        pytest.param("gpt-4o-realtime-preview-2024-12-17", None, Status.WARN, "model_retired", id="preview-snapshot"),
        pytest.param("gpt-4o-realtime-preview-2024-10-01", None, Status.WARN, "model_retired", id="first-preview"),
        pytest.param("gpt-4o-mini-realtime-preview", None, Status.WARN, "model_retired", id="mini-preview"),
        pytest.param("whisper-1", None, Status.WARN, "model_not_realtime", id="whisper-1"),
        pytest.param("gpt-4o-transcribe", None, Status.WARN, "model_not_realtime", id="transcribe"),
        pytest.param("gpt-4o", None, Status.WARN, "model_not_realtime", id="chat-model"),
        pytest.param("prod-voice", AZURE, Status.PASS, None, id="azure-deployment-name"),
    ],
)
def test_model_problems(model: str, base_url: str | None, status: Status, diagnosis: str | None) -> None:
    """Retired preview models and non-realtime models warn; Azure deployment names are accepted as given."""
    result, _ = run(api_key=KEY, model=model, **({"base_url": base_url} if base_url else {}))
    assert (result.status, result.diagnosis) == (status, diagnosis)


@pytest.mark.parametrize(
    ("flags", "status", "diagnosis"),
    [
        pytest.param({"organization": "org-FAKE0000"}, Status.PASS, None, id="org-id"),
        pytest.param({"organization": "Personal"}, Status.WARN, "org_id_malformed", id="org-name"),
        pytest.param({"organization": "My Company"}, Status.WARN, "org_id_malformed", id="org-name-with-space"),
        pytest.param({"project": "proj_FAKE0000"}, Status.PASS, None, id="project-id"),
        pytest.param({"project": "Default project"}, Status.WARN, "project_id_malformed", id="project-name"),
    ],
)
def test_org_and_project_ids(flags: dict[str, str], status: Status, diagnosis: str | None) -> None:
    """An organization or project given by name instead of its org-/proj_ id warns before it causes a 401."""
    result, _ = run(api_key=KEY, **flags)
    assert (result.status, result.diagnosis) == (status, diagnosis)


# --- the result as a whole ------------------------------------------------------------------


def test_failure_outranks_warnings_and_the_rest_are_listed() -> None:
    """The worst problem is the summary, and every other problem is still listed so nothing is hidden."""
    result, _ = run(api_key=f'"{KEY}"', model="gpt-4o-realtime-preview", organization="Personal")
    assert (result.status, result.diagnosis) == (Status.FAIL, "key_quoted")
    assert result.summary.endswith("(+2 more)")
    also = [a for a in result.advice if a.startswith("Also: ")]
    assert len(also) == 2 and any("gpt-4o-realtime-preview" in a for a in also)
    assert problem_ids(result) == ["key_quoted", "model_retired", "org_id_malformed"]


def test_advice_comes_from_the_diagnosis_table() -> None:
    """The advice shown for every problem of the worst severity is the diagnosis table's advice for it."""
    result, _ = run(api_key=KEY, model="gpt-4o-realtime-preview", organization="Personal")
    assert result.status is Status.WARN
    for diagnosis in ("model_retired", "org_id_malformed"):
        for line in diagnoses.get(diagnosis).advice:
            assert line in result.advice


@pytest.mark.parametrize(
    "settings",
    [
        pytest.param({}, id="missing-key"),
        pytest.param({"api_key": "'" + KEY + "'"}, id="quoted"),
        pytest.param({"api_key": "sk-admin-FAKE000000000000000000000000ADMN"}, id="admin"),
        pytest.param({"api_key": EPHEMERAL}, id="ephemeral"),
        pytest.param({"api_key": RELAY}, id="relay"),
        pytest.param({"api_key": KEY, "base_url": "https://api.openai.com/v1/chat/completions"}, id="endpoint-pasted"),
        pytest.param({"api_key": KEY, "model": "whisper-1"}, id="whisper"),
        pytest.param({"api_key": KEY, "base_url": "http://gw.example.com"}, id="http-missing-v1"),
        pytest.param({"api_key": KEY, "organization": "Personal"}, id="org-name"),
        pytest.param({"api_key": KEY, "project": "Default project"}, id="project-name"),
    ],
)
def test_every_reportable_problem_has_specific_advice(settings: dict[str, str]) -> None:
    """Each problem config reports has its own entry in the diagnosis table, so the advice is never generic."""
    result, _ = run(**settings)
    for diagnosis in problem_ids(result):
        assert diagnoses.exists(diagnosis), diagnosis
    if result.status is not Status.PASS:
        assert diagnoses.get(result.diagnosis).advice[0] in result.advice


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(KEY, id="clean"),
        pytest.param(f'"{KEY}"', id="quoted"),
        pytest.param(f"{KEY}\n", id="newline"),
        pytest.param(KEY[:24] + " " + KEY[24:], id="inner-space"),
        pytest.param(KEY[:24] + "\u200b" + KEY[24:], id="zero-width"),
        pytest.param("sk-admin-FAKE0000000000000000000000000000000000ADMN", id="admin"),
        pytest.param(RELAY, id="relay"),
    ],
)
def test_result_never_contains_the_raw_key(raw: str) -> None:
    """Summary, advice and details show the key only as kind, last four and fingerprint."""
    result, _ = run(api_key=raw, model="gpt-4o-realtime-preview", base_url="http://gw.example.com")
    clean = raw.strip().strip('"')
    assert not leaked(clean, shown_text(result))
    assert not leaked(clean, result.summary + result.details["key"])


def test_details_say_where_the_key_came_from() -> None:
    """The details name the key's kind and source, so the user can find which file or variable to fix."""
    result, _ = run(env={"OPENAI_API_KEY": KEY})
    assert result.details["key_kind"] == "project"
    assert result.details["key_source"] == "env:OPENAI_API_KEY"
    assert result.details["settings"]["api_key"]["source"] == "env:OPENAI_API_KEY"
    assert result.summary == "project key from environment (OPENAI_API_KEY)"


@pytest.mark.parametrize(
    ("flags", "secret"),
    [
        pytest.param({"base_url": KEY}, KEY, id="key-as-base-url"),
        pytest.param({"ws_base_url": KEY}, KEY, id="key-as-ws-base-url"),
        pytest.param({"organization": KEY}, KEY, id="key-as-org"),
        pytest.param({"project": KEY}, KEY, id="key-as-project"),
        pytest.param({"model": KEY}, KEY, id="key-as-model"),
        pytest.param({"base_url": "https://alice:FAKEpassw0rd@gw.example.com/v1"}, "FAKEpassw0rd", id="url-password"),
        pytest.param(
            {"base_url": "https://gw.example.com/v1?api-key=FAKEgatewayKey0"}, "FAKEgatewayKey0", id="url-query-key"
        ),
    ],
)
def test_secrets_in_other_settings_are_not_echoed(flags: dict[str, str], secret: str) -> None:
    """A key pasted into the wrong setting, or credentials inside the base URL, never appear raw in the result."""
    result, _ = run(api_key=OTHER_KEY, **flags)
    assert not leaked(secret, shown_text(result))


def test_details_are_json_serialisable() -> None:
    """The config details can be written to the JSON report as they are."""
    result, _ = run(api_key=f'"{KEY}"', base_url="http://gw.example.com", organization="Personal")
    assert json.loads(json.dumps(dict(result.details)))["key_source"] == "flag"
