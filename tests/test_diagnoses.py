"""The diagnosis table: complete, consistent, current, and searchable with `explain`."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import realtime_check.diagnosis.classify
import realtime_check.diagnosis.exceptions
from realtime_check.diagnosis import catalog as diagnoses
from realtime_check.exit_codes import ExitCode, compute
from realtime_check.models import Category, CheckResult, Status

# Every module of the catalogue folder, found on disk: a module the registry forgot is caught too.
MODULES = tuple(
    importlib.import_module(f"realtime_check.diagnosis.catalog.{info.name}")
    for info in pkgutil.iter_modules(diagnoses.__path__)
    if not info.name.startswith("_")
)
ALL = diagnoses.all_diagnoses()
BY_ID = {d.id: d for d in ALL}

# Ids that other modules (checks, key lint, runner) refer to by name.
REQUIRED_IDS = """
key_missing key_whitespace key_quoted key_non_ascii key_placeholder key_admin key_ephemeral key_unknown_format
key_shadowed_by_env base_url_invalid base_url_missing_v1 base_url_endpoint_pasted base_url_azure_api_version
model_retired model_not_realtime model_shutdown_scheduled transcription_model_missing org_id_malformed
project_id_malformed unknown_error timeout internal_error redirected response_too_large html_error_page invalid_json
unexpected_shape invalid_api_key relay_key_rejected missing_scope_model_read missing_scope mismatched_organization
mismatched_project no_organization ip_not_authorized region_blocked insufficient_quota rate_limited server_overloaded
server_error unknown_url model_not_found model_project_allowlist org_verification_required beta_endpoint_retired
missing_session_type ephemeral_expired beta_api_shape_disabled ws_invalid_api_key ws_model_not_found ws_invalid_model
ws_missing_model ws_invalid_intent ws_transcription_model_param handshake_forbidden handshake_unauthorized
handshake_missing_auth handshake_not_found handshake_server_error handshake_rate_limited handshake_intermediary
ws_silent ws_non_json_frame ws_binary_frame ws_unexpected_first_event ws_closed_abnormally ws_closed_transient
ws_closed_normally_early ws_error_event ws_session_param_rejected response_failed response_model_not_found
response_quota session_expired bad_request not_found forbidden unauthorized websockets_version_mismatch ws_model_differs
dns_failed tcp_refused tcp_timeout tcp_reset tls_interception tls_ca_store_missing tls_hostname_mismatch
tls_handshake_failed tls_wrong_version proxy_socks_missing_socksio proxy_auth_required proxy_connect_failed
proxy_scheme_wrong
""".split()

# failures.md modes of stages S0-S9 (F01-F47) that no diagnosis needs to name, with the reason.
# Every other mode must appear in some diagnosis's `failures`.
NOT_AT_OUR_STAGES: dict[str, str] = {}
STAGED_FAILURES = [f"F{n:02d}" for n in range(1, 48)]

OUTDATED = re.compile(
    r"openai-beta|/v1/realtime/sessions|gpt-4o(-mini)?-realtime-preview|[?&]authorization=|authorization=bearer"
    r"|beta (access|invitation|program)|client_secret\.value",
    re.IGNORECASE,
)
NEGATION = re.compile(
    r"\b(no|not|never|stop|remove|drop|don't|do not|without|instead of|replace|retired|no longer|rather than)\b",
    re.IGNORECASE,
)


def test_ids_are_unique_across_modules() -> None:
    """No two modules define the same diagnosis id (the registry would silently keep the first)."""
    ids = [d.id for module in MODULES for d in module.DIAGNOSES]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert duplicates == []
    assert len(ALL) == len(ids)


@pytest.mark.parametrize("diagnosis", ALL, ids=lambda d: d.id)
def test_entry_is_complete(diagnosis: diagnoses.Diagnosis) -> None:
    """Every diagnosis has a snake_case id, a title, a cause, concrete advice, a category and a valid docs link."""
    assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", diagnosis.id)
    assert diagnosis.title.strip() and diagnosis.cause.strip()
    assert diagnosis.advice and all(isinstance(line, str) and line.strip() for line in diagnosis.advice)
    assert isinstance(diagnosis.category, Category)
    assert diagnosis.docs is None or diagnosis.docs.startswith("https://")
    assert all(re.fullmatch(r"F\d\d", f) for f in diagnosis.failures)


@pytest.mark.parametrize("diagnosis", ALL, ids=lambda d: d.id)
def test_advice_never_recommends_the_retired_beta(diagnosis: diagnoses.Diagnosis) -> None:
    """No advice line tells users to use the beta header, /v1/realtime/sessions, preview models, query-string
    tokens or beta access, unless the line tells them to stop."""
    for line in diagnosis.advice:
        match = OUTDATED.search(line)
        if match:
            assert NEGATION.search(line[: match.start()]), f"{diagnosis.id}: {line!r}"


def test_required_ids_exist() -> None:
    """Every id used by the checks, key lint and runner is in the table."""
    assert sorted(i for i in REQUIRED_IDS if i not in BY_ID) == []


def _ids_produced_by_classify() -> set[str]:
    """String literals in diagnosis positions of the classifiers: the first argument of _fail/Finding, the first
    element of the (diagnosis, status, advice) triples, returned strings, and `by_place`/`diagnosis = ...` values."""
    sources = (realtime_check.diagnosis.classify.__file__, realtime_check.diagnosis.exceptions.__file__)
    tree = ast.Module(
        body=[n for f in sources for n in ast.parse(Path(f).read_text(encoding="utf-8")).body], type_ignores=[]
    )
    found: set[str] = set()

    def strings(node: ast.AST) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.add(node.value)
        elif isinstance(node, ast.IfExp):
            strings(node.body)
            strings(node.orelse)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "get" and len(node.args) == 2:
            strings(node.args[1])  # by_place.get(place, "default_id")

    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("_fail", "Finding") and node.args:
            strings(node.args[0])
        elif isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple) and len(node.value.elts) == 3:
            strings(node.value.elts[0])
        elif isinstance(node, ast.Return) and node.value is not None:
            strings(node.value)
        elif isinstance(node, ast.Assign) and any(
            getattr(t, "id", None) in ("by_place", "diagnosis") for t in node.targets
        ):
            for value in node.value.values if isinstance(node.value, ast.Dict) else [node.value]:
                if value is not None:
                    strings(value)
    return found


def test_every_id_classify_returns_exists() -> None:
    """Every diagnosis id the classifiers can return is defined in the table."""
    produced = _ids_produced_by_classify()
    assert len(produced) > 80  # the extractor really sees the classifiers' ids
    assert sorted(i for i in produced if i not in BY_ID) == []


def test_every_staged_failure_mode_is_diagnosed() -> None:
    """Each failures.md mode of stages S0-S9 is named by at least one diagnosis (or listed as out of reach)."""
    covered = {f for d in ALL for f in d.failures}
    missing = [f for f in STAGED_FAILURES if f not in covered and f not in NOT_AT_OUR_STAGES]
    assert missing == []


def test_get_falls_back_to_unknown_error() -> None:
    """Unknown or missing ids give the generic unknown_error diagnosis instead of raising."""
    assert diagnoses.get(None).id == "unknown_error"
    assert diagnoses.get("no_such_diagnosis").id == "unknown_error"
    assert diagnoses.category_of("no_such_diagnosis") is diagnoses.get("unknown_error").category


@pytest.mark.parametrize(
    ("diagnosis_id", "category"),
    [
        ("key_missing", Category.CONFIG),
        ("base_url_missing_v1", Category.CONFIG),
        ("dns_failed", Category.NETWORK),
        ("handshake_intermediary", Category.NETWORK),
        ("invalid_api_key", Category.AUTH),
        ("region_blocked", Category.AUTH),
        ("mismatched_organization", Category.AUTH),
        ("ip_not_authorized", Category.AUTH),
        ("missing_scope", Category.AUTH),
        ("model_not_found", Category.UNAVAILABLE),
        ("insufficient_quota", Category.UNAVAILABLE),
        ("response_quota", Category.UNAVAILABLE),
        ("rate_limited", Category.TEMPORARY),
        ("server_error", Category.TEMPORARY),
        ("timeout", Category.TEMPORARY),
        ("ws_closed_transient", Category.TEMPORARY),
        ("beta_api_shape_disabled", Category.PROTOCOL),
        ("invalid_json", Category.PROTOCOL),
        ("ws_closed_protocol_error", Category.PROTOCOL),
        ("internal_error", Category.INTERNAL),
    ],
)
def test_category(diagnosis_id: str, category: Category) -> None:
    """Each failure class lands in the category (and so the exit code) the CLI documents."""
    assert diagnoses.category_of(diagnosis_id) is category


def test_exit_code_follows_the_diagnosis_category() -> None:
    """exit_codes.compute turns the first failing check's diagnosis into its category's exit code."""
    results = [
        CheckResult("config", Status.PASS, "ok"),
        CheckResult("api_key", Status.WARN, "cannot list models", diagnosis="missing_scope_model_read"),
        CheckResult("session", Status.FAIL, "no credits", diagnosis="insufficient_quota"),
        CheckResult("websocket", Status.FAIL, "closed", diagnosis="ws_closed_transient"),
    ]
    assert compute(results, diagnoses.category_of) is ExitCode.UNAVAILABLE


# --- The setup notes' 400/401/403/404 table, corrected ---------------------------------------------------------


def _advice(*ids: str) -> str:
    return "\n".join(line for i in ids for line in diagnoses.get(i).advice).lower()


def test_403_advice_is_corrected() -> None:
    """403 no longer means 'request beta access': the advice names region, allowlist, permissions and GA URLs."""
    text = _advice("forbidden", "handshake_forbidden")
    assert "generally available" in text or "no beta access" in text
    assert "region" in text and "allowed models" in text and "/v1/realtime" in text
    for diagnosis in diagnoses.lookup("403"):
        for line in diagnosis.advice:
            assert (
                not re.search(r"(?<!not )request (explicit )?(beta )?access", line.lower()) or "do not" in line.lower()
            )


def test_404_advice_is_corrected() -> None:
    """404 no longer means 'check the session ID': no 404 advice mentions a session id; it points at the URL."""
    for diagnosis in diagnoses.lookup("404"):
        assert "session id" not in "\n".join(diagnosis.advice).lower(), diagnosis.id
    text = _advice("not_found", "handshake_not_found")
    assert "https://api.openai.com/v1" in text and "wss://api.openai.com/v1/realtime?model=gpt-realtime" in text


def test_401_advice_is_corrected() -> None:
    """401 advice goes beyond 'verify your key': org/project headers and the Authorization header are named."""
    text = _advice("unauthorized")
    assert "openai_org_id" in text and "authorization: bearer" in text


def test_400_advice_is_corrected() -> None:
    """400 advice explains the GA request shape instead of a vague 'check request body format'."""
    text = _advice("bad_request")
    assert "/v1/realtime/client_secrets" in text and '"type": "realtime"' in text


@pytest.mark.parametrize("status", ["400", "401", "403", "404"])
def test_setup_note_statuses_are_explained(status: str) -> None:
    """`explain 400/401/403/404` answers with the generic status entry first, then the specific causes."""
    found = diagnoses.lookup(status)
    assert found and diagnoses.matcher(found[0].id).bare_status
    assert len(found) >= 3


# --- lookup (`realtime-check explain TERM`) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "first"),
    [
        pytest.param("insufficient_quota", "insufficient_quota", id="by-id"),
        pytest.param("INSUFFICIENT_QUOTA", "insufficient_quota", id="case-insensitive"),
        pytest.param("credit_balance_exhausted", "insufficient_quota", id="by-error-code"),
        pytest.param("unsupported_country_region_territory", "region_blocked", id="by-region-code"),
        pytest.param("request_forbidden", "region_blocked", id="by-error-type"),
        pytest.param("beta_api_shape_disabled", "beta_api_shape_disabled", id="by-beta-code"),
        pytest.param("403", "forbidden", id="by-status"),
        pytest.param("HTTP 429", "rate_limited", id="by-status-with-prefix"),
        pytest.param("4000", "beta_api_shape_disabled", id="by-close-4000"),
        pytest.param("3000", "ws_invalid_api_key", id="by-close-3000"),
        pytest.param("4004", "ws_model_not_found", id="by-close-4004"),
        pytest.param("1006", "ws_closed_abnormally", id="by-close-1006"),
        pytest.param("F36", "beta_api_shape_disabled", id="by-failure-id"),
        pytest.param("f42", "insufficient_quota", id="by-failure-id-lowercase"),
        pytest.param("F9", "dns_failed", id="by-failure-id-unpadded"),
        pytest.param("invalid_request_error.invalid_model", "ws_invalid_model", id="by-close-reason"),
        pytest.param("Incorrect API key provided: sk-proj-...XXXX.", "invalid_api_key", id="by-pasted-message"),
        pytest.param("extra_headers", "websockets_version_mismatch", id="by-exception-text"),
    ],
)
def test_lookup_best_first(term: str, first: str) -> None:
    """`explain TERM` finds diagnoses by id, error code or type, status, close code, close reason, F-id or text."""
    found = diagnoses.lookup(term)
    assert found and found[0].id == first


def test_lookup_by_status_lists_specific_causes() -> None:
    """A status lists every diagnosis that can answer with it (403: region, allowlist, handshake, ...)."""
    ids = [d.id for d in diagnoses.lookup("403")]
    assert {"forbidden", "handshake_forbidden", "region_blocked", "model_project_allowlist"} <= set(ids)


@pytest.mark.parametrize("failure", [f for f in STAGED_FAILURES if f not in NOT_AT_OUR_STAGES])
def test_lookup_finds_every_failure_mode(failure: str) -> None:
    """Every failures.md id can be explained."""
    assert diagnoses.lookup(failure)


@pytest.mark.parametrize("term", ["", "   ", "no-such-thing-anywhere", "9999"])
def test_lookup_unknown_terms_find_nothing(term: str) -> None:
    """Terms that match nothing give an empty list, not an error."""
    assert diagnoses.lookup(term) == []


def test_every_matcher_status_and_close_code_is_plausible() -> None:
    """Lookup keys are well-formed: HTTP statuses 100-599, close codes 1000-4999, bare-status entries have a status."""
    for diagnosis in ALL:
        m = diagnoses.matcher(diagnosis.id)
        assert all(100 <= s <= 599 for s in m.http_statuses), diagnosis.id
        assert all(1000 <= c <= 4999 for c in m.close_codes), diagnosis.id
        assert not m.bare_status or m.http_statuses, diagnosis.id
