"""JUnit XML: structure, counts, failure bodies, warnings, escaping and redaction."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import report_factory as factory

from realtime_check.models import Status
from realtime_check.render.junit import report_to_junit, write_junit, xml_safe


def parse(xml: str) -> ET.Element:
    return ET.fromstring(xml.encode("utf-8"))


def suite_of(xml: str) -> ET.Element:
    root = parse(xml)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1
    return suites[0]


def case(suite: ET.Element, check_id: str) -> ET.Element:
    matches = [c for c in suite.findall("testcase") if c.get("name") == check_id]
    assert len(matches) == 1
    return matches[0]


def test_one_testcase_per_check_in_one_suite() -> None:
    """A single realtime-check suite holds one testcase per check, in order, with times in seconds."""
    report = factory.failing_report()
    suite = suite_of(report_to_junit(report))
    assert suite.get("name") == "realtime-check"
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [c.id for c in report.checks]
    assert {c.get("classname") for c in cases} == {"realtime-check"}
    assert case(suite, "models").get("time") == "0.153"
    assert case(suite, "model").get("time") == "0.000"
    assert suite.get("time") == "0.612"
    assert suite.get("timestamp") == "2026-11-24T10:00:00"


def test_counts_match_the_testcases() -> None:
    """tests/failures/errors/skipped on both the suite and the root agree with the testcases."""
    xml = report_to_junit(factory.failing_report())
    root, suite = parse(xml), suite_of(xml)
    expected = {"tests": "10", "failures": "2", "errors": "1", "skipped": "3"}
    for element in (root, suite):
        assert {k: element.get(k) for k in expected} == expected
    assert len(suite.findall("testcase/failure")) == 2
    assert len(suite.findall("testcase/error")) == 1
    assert len(suite.findall("testcase/skipped")) == 3


def test_failure_carries_summary_diagnosis_advice_and_evidence() -> None:
    """A failed check becomes <failure> with the summary, diagnosis type and every fact needed for support."""
    suite = suite_of(report_to_junit(factory.failing_report()))
    failure = case(suite, "models").find("failure")
    assert failure is not None
    assert failure.get("message") == "the API rejected the key (401 invalid_api_key)"
    assert failure.get("type") == "invalid_api_key"
    text = failure.text or ""
    assert "  - Check that OPENAI_API_KEY holds the whole key" in text
    assert "HTTP status: 401" in text
    assert "Error code: invalid_api_key" in text
    assert "Request id: req_fail401" in text
    ws_text = case(suite, "websocket").findtext("failure") or ""
    assert "Close code: 3000 (invalid_request_error.invalid_api_key)" in ws_text


def test_error_and_skip_elements() -> None:
    """An internal error becomes <error>, a skipped check <skipped> with its reason."""
    suite = suite_of(report_to_junit(factory.failing_report()))
    error = case(suite, "round_trip").find("error")
    assert error is not None and error.get("type") == "internal_error"
    assert error.get("message", "").startswith("internal error: KeyError")
    skipped = case(suite, "model").find("skipped")
    assert skipped is not None and skipped.get("message") == "skipped: the key was rejected"
    assert case(suite, "dns").find("failure") is None


def test_warning_passes_with_a_warning_in_system_out() -> None:
    """A warning is a passing testcase whose system-out starts with WARNING and explains it."""
    suite = suite_of(report_to_junit(factory.warning_report()))
    config = case(suite, "config")
    assert config.find("failure") is None
    out = config.findtext("system-out") or ""
    assert out.startswith("WARNING: legacy user key")
    assert "Create a project key" in out
    assert suite.get("failures") == "0"


@pytest.mark.parametrize(
    ("report", "fail_on_warn", "failures"),
    [
        (factory.warning_report(), True, "2"),
        (factory.warning_report(strict=True), None, "2"),
        (factory.warning_report(strict=True), False, "0"),
    ],
    ids=["flag", "report-strict", "flag-overrides-strict"],
)
def test_warnings_fail_when_asked(report: object, fail_on_warn: bool | None, failures: str) -> None:
    """With fail_on_warn (default: the report's strict flag) each warning becomes a <failure>."""
    suite = suite_of(report_to_junit(report, fail_on_warn=fail_on_warn))  # type: ignore[arg-type]
    assert suite.get("failures") == failures
    if failures != "0":
        failure = case(suite, "models").find("failure")
        assert failure is not None
        assert failure.get("message", "").startswith("WARNING: key cannot list models")
        assert failure.get("type") == "missing_scope"


def test_properties_describe_the_run() -> None:
    """The suite's properties give the tool version, base URL and model."""
    suite = suite_of(report_to_junit(factory.healthy_report()))
    props = {p.get("name"): p.get("value") for p in suite.findall("properties/property")}
    assert props["realtime-check.version"] == factory.VERSION
    assert props["base_url"] == factory.BASE_URL
    assert props["model"] == factory.MODEL
    assert props["exit_code"] == "0"
    # The JUnit XSD orders <properties> before the testcases.
    assert list(suite)[0].tag == "properties"


def test_details_are_in_system_out_and_the_key_is_not() -> None:
    """Redacted details appear in system-out; the raw FAKE key appears nowhere, its fingerprint does."""
    xml = report_to_junit(factory.failing_report())
    out = case(suite_of(xml), "models").findtext("system-out") or ""
    assert '"Authorization": "Bearer ***"' in out
    assert factory.FAKE_KEY not in xml and factory.FAKE_OTHER_KEY not in xml
    assert factory.FAKE_FINGERPRINT in xml


def test_hostile_text_is_escaped_and_stripped() -> None:
    """Markup survives as text, control characters illegal in XML 1.0 are removed, and the file parses."""
    xml = report_to_junit(factory.hostile_report())
    suite = suite_of(xml)
    weird = case(suite, "weird id/with spaces:and,commas")
    message = weird.find("failure").get("message", "")  # type: ignore[union-attr]
    assert "<script>alert(1)</script>" in message and 'a < b & "c"' in message
    for bad in ("\x00", "\x07", "\x1b", "\ufffe", "\ud800"):
        assert bad not in xml
    assert "[31m" not in message  # the whole ANSI sequence goes, not just its ESC
    assert "ünïcødé ✓" in message


def test_xml_safe_removes_only_illegal_characters() -> None:
    """xml_safe keeps tab, newline and any legal Unicode, and drops controls and ANSI sequences."""
    assert xml_safe("a\tb\nc\x0bd\x1b[1;31me😀\uffff") == "a\tb\ncd" + "e😀"


def test_empty_report_is_a_valid_empty_suite() -> None:
    """A run with no checks gives a parseable suite with zero tests."""
    suite = suite_of(report_to_junit(factory.empty_report()))
    assert suite.get("tests") == "0" and suite.findall("testcase") == []


def test_write_junit_writes_the_document(tmp_path: Path) -> None:
    """write_junit writes the same document report_to_junit returns, with no temp file left over."""
    path = tmp_path / "realtime-check.xml"
    report = factory.failing_report()
    write_junit(path, report)
    assert path.read_text(encoding="utf-8") == report_to_junit(report)
    assert [p.name for p in tmp_path.iterdir()] == ["realtime-check.xml"]


def test_status_enum_is_fully_handled() -> None:
    """Every status renders (a new status would need a decision here)."""
    checks = [factory.check(f"c_{s.value}", s, s.value) for s in Status]
    suite = suite_of(report_to_junit(factory.build_report(checks)))
    assert len(suite.findall("testcase")) == len(Status)
