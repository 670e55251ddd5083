"""`realtime-check explain`: every diagnosis can be found, nothing is found by accident, and it reads at 80 columns."""

from __future__ import annotations

import io

import pytest
from rich.cells import cell_len
from rich.console import Console

from realtime_check.diagnosis import catalog as diagnoses
from realtime_check.models import Diagnosis
from realtime_check.render.explain import print_explanations

ALL = diagnoses.all_diagnoses()


def match_keys(diagnosis: Diagnosis) -> list[str]:
    """Every term the catalogue says this diagnosis answers to, as a user would type it."""
    m = diagnoses.matcher(diagnosis.id)
    return [*m.error_codes, *m.error_types, *map(str, m.close_codes), *map(str, m.http_statuses), *m.terms]


def ids(term: str) -> list[str]:
    return [d.id for d in diagnoses.lookup(term)]


@pytest.mark.parametrize("diagnosis", ALL, ids=lambda d: d.id)
def test_every_diagnosis_is_found_first_by_its_own_id(diagnosis: Diagnosis) -> None:
    """`explain <id>` answers with that diagnosis first, for every entry of the catalogue."""
    assert ids(diagnosis.id)[0] == diagnosis.id


@pytest.mark.parametrize("diagnosis", ALL, ids=lambda d: d.id)
def test_every_diagnosis_is_found_by_one_of_its_match_keys(diagnosis: Diagnosis) -> None:
    """Each diagnosis declares match keys (status, close code, error code or message words), and they find it."""
    keys = match_keys(diagnosis)
    assert keys, f"{diagnosis.id} declares no match keys: add statuses, codes or terms to its entry"
    assert [key for key in keys if diagnosis.id in ids(key)], keys


@pytest.mark.parametrize(
    ("term", "first"),
    [
        pytest.param("407", "proxy_auth_required", id="proxy-status"),
        pytest.param("certificate verify failed", "tls_interception", id="tls-message"),
        pytest.param(
            "httpx.ConnectError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
            "self-signed certificate in certificate chain (_ssl.c:1006)",
            "tls_interception",
            id="pasted-tls-error",
        ),
        pytest.param("ENOTFOUND", "dns_failed", id="node-dns-errno"),
        pytest.param("[Errno -2] Name or service not known", "dns_failed", id="python-dns-error"),
        pytest.param("ECONNREFUSED", "tcp_refused", id="refused"),
        pytest.param("[SSL: WRONG_VERSION_NUMBER] wrong version number", "tls_wrong_version", id="wrong-version"),
        pytest.param("certificate has expired", "tls_expired", id="expired"),
        pytest.param(
            "Error code: 429 - {'error': {'message': 'You exceeded your current quota', "
            "'type': 'insufficient_quota', 'code': 'insufficient_quota'}}",
            "insufficient_quota",
            id="pasted-sdk-error-names-the-code",
        ),
        pytest.param("server rejected WebSocket connection: HTTP 401", "handshake_unauthorized", id="ws-401"),
    ],
)
def test_lookup_finds_network_and_pasted_errors(term: str, first: str) -> None:
    """Network diagnoses and whole pasted error messages are found, the most specific first."""
    assert ids(term)[:1] == [first]


@pytest.mark.parametrize(
    ("term", "not_found"),
    [
        pytest.param("ENOTFOUND", "dependency_missing", id="ENOTFOUND-is-not-ModuleNotFoundError"),
        pytest.param("found", "dependency_missing", id="word-inside-a-name"),
        pytest.param("verif", "org_verification_required", id="no-partial-word"),
        pytest.param("40", "forbidden", id="no-partial-status"),
        pytest.param("verify fail", "tls_interception", id="not-inside-failed"),
    ],
)
def test_lookup_has_no_substring_false_positives(term: str, not_found: str) -> None:
    """Text matches respect word boundaries: a term glued inside another word does not match."""
    assert not_found not in ids(term)


def test_explanation_keeps_bullet_indent_at_80_columns() -> None:
    """At 80 columns a wrapped advice line continues under the bullet's text, not at the panel's edge."""
    stream = io.StringIO()
    print_explanations("407", diagnoses.lookup("407"), Console(file=stream, width=80, color_system=None))
    lines = stream.getvalue().splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    first = next(i for i, line in enumerate(lines) if "• Put the credentials" in line)
    indent = lines[first].index("Put")
    assert lines[first + 1][:indent].strip("│ ") == "" and lines[first + 1][indent] != " "


def test_explanation_names_where_the_failure_ids_are_documented() -> None:
    """The failure-mode ids shown with a diagnosis point at docs/failures.md, which the repository ships."""
    stream = io.StringIO()
    print_explanations("407", diagnoses.lookup("407"), Console(file=stream, width=120, color_system=None))
    assert "F12 in docs/failures.md" in stream.getvalue()
