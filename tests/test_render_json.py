"""The JSON report, the --json-lines events and the committed JSON Schema."""

from __future__ import annotations

import copy
import json
import math
import os
from pathlib import Path
from typing import Any

import pytest
import report_factory as factory
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from realtime_check.exit_codes import EXIT_CODE_DESCRIPTIONS, RUN_EXIT_CODES, ExitCode
from realtime_check.models import Status
from realtime_check.render.json_report import (
    check_event,
    check_to_dict,
    dumps,
    format_json,
    load_schema,
    report_event,
    report_to_dict,
    usage_error_document,
    write_json,
)

REPORTS = factory.all_reports()
SCHEMA = load_schema()
REGISTRY = Registry().with_resource(SCHEMA["$id"], Resource.from_contents(SCHEMA))
FORMATS = Draft202012Validator.FORMAT_CHECKER


def report_validator() -> Draft202012Validator:
    return Draft202012Validator(SCHEMA, format_checker=FORMATS)


def event_validator() -> Draft202012Validator:
    return Draft202012Validator({"$ref": SCHEMA["$id"] + "#/$defs/event"}, registry=REGISTRY, format_checker=FORMATS)


def errors_of(instance: Any) -> list[str]:
    return [e.message for e in report_validator().iter_errors(instance)]


def test_schema_is_valid_draft_2020_12() -> None:
    """The committed schema is itself a valid draft 2020-12 schema."""
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_report_keys_follow_the_documented_order() -> None:
    """Top-level, target and check keys appear in the documented contract order."""
    data = report_to_dict(factory.failing_report())
    assert list(data) == [
        "schema_version",
        "tool",
        "ok",
        "exit_code",
        "exit_reason",
        "strict",
        "demo",
        "started_at",
        "duration_ms",
        "target",
        "summary",
        "checks",
    ]
    assert list(data["target"]) == ["base_url", "ws_url", "model", "key", "settings"]
    assert list(data["summary"]) == ["pass", "warn", "fail", "skip", "error"]
    assert list(data["checks"][0]) == [
        "id",
        "status",
        "summary",
        "duration_ms",
        "http_status",
        "error",
        "close_code",
        "close_reason",
        "request_id",
        "diagnosis",
        "advice",
        "details",
    ]


def test_failing_report_values() -> None:
    """A failing run carries its verdict, exit reason, counts and the failing check's evidence."""
    report = factory.failing_report()
    data = report_to_dict(report)
    assert data["schema_version"] == 1
    assert data["tool"] == {"name": "realtime-check", "version": factory.VERSION}
    assert data["ok"] is False
    assert data["exit_code"] == ExitCode.AUTH
    assert data["exit_reason"] == EXIT_CODE_DESCRIPTIONS[ExitCode.AUTH]
    assert data["summary"] == {"pass": 4, "warn": 0, "fail": 2, "skip": 3, "error": 1}
    models = next(c for c in data["checks"] if c["id"] == "models")
    assert models["status"] == "fail"
    assert models["http_status"] == 401
    assert models["error"]["code"] == "invalid_api_key"
    assert models["error"]["param"] is None
    assert models["request_id"] == "req_fail401"
    assert models["diagnosis"] == "invalid_api_key"
    assert models["advice"][0].startswith("Check that OPENAI_API_KEY")
    websocket = next(c for c in data["checks"] if c["id"] == "websocket")
    assert (websocket["close_code"], websocket["close_reason"]) == (3000, "invalid_request_error.invalid_api_key")
    assert data["target"]["settings"][3] == {"name": "organization", "value": None, "source": "unset"}


def test_durations_are_rounded_to_a_tenth_of_a_millisecond() -> None:
    """Durations are rounded to 0.1 ms; an unmeasured or non-finite duration is null."""
    assert check_to_dict(factory.check("a", duration_ms=12.345))["duration_ms"] == 12.3
    assert check_to_dict(factory.check("a", duration_ms=None))["duration_ms"] is None
    assert check_to_dict(factory.check("a", duration_ms=math.inf))["duration_ms"] is None
    assert report_to_dict(factory.healthy_report())["duration_ms"] == 1834.6


def test_unknown_exit_code_gets_a_reason_instead_of_a_crash() -> None:
    """An exit code this version does not know still renders, with a generic reason."""
    data = report_to_dict(factory.build_report([], exit_code=42, ok=False))
    assert data["exit_reason"] == "unknown exit code 42"


def test_details_that_are_not_json_still_serialise() -> None:
    """Tuples, enums, bytes, sets and NaN inside details become JSON values instead of raising."""
    result = factory.check("a", details={"t": (1, 2), "s": Status.WARN, "b": b"\xffok", "n": math.nan, "x": {3}})
    details = json.loads(dumps(check_to_dict(result)))["details"]
    assert details == {"t": [1, 2], "s": "warn", "b": "\ufffdok", "n": None, "x": "{3}"}


def test_dumps_is_one_line_unicode_and_refuses_nan() -> None:
    """dumps gives one line with UTF-8 text kept, and refuses NaN rather than write invalid JSON."""
    text = dumps(report_to_dict(factory.hostile_report()))
    assert "\n" not in text and "ünïcødé" in text
    json.loads(text)
    with pytest.raises(ValueError):
        dumps({"x": math.nan})


def test_format_json_is_indented_and_round_trips() -> None:
    """The --json document is indented, ends in a newline and parses back to report_to_dict."""
    report = factory.warning_report()
    text = format_json(report)
    assert text.endswith("}\n") and '\n  "tool": {' in text
    assert json.loads(text) == report_to_dict(report)


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_every_factory_report_validates_against_the_schema(name: str) -> None:
    """Every kind of report (healthy, warnings, failures, hostile text, empty, demo) matches the schema."""
    data = json.loads(dumps(report_to_dict(REPORTS[name])))
    assert errors_of(data) == []


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_json_lines_events_validate_and_parse_line_by_line(name: str) -> None:
    """Each --json-lines event is one line that parses and matches $defs/event."""
    report = REPORTS[name]
    events = [check_event(c) for c in report.checks] + [report_event(report)]
    lines = "".join(dumps(e) + "\n" for e in events).splitlines()
    assert len(lines) == len(events)
    parsed = [json.loads(line) for line in lines]
    validator = event_validator()
    for event in parsed:
        assert list(validator.iter_errors(event)) == []
    assert [e["event"] for e in parsed] == ["check"] * len(report.checks) + ["report"]
    assert parsed[-1]["report"] == json.loads(dumps(report_to_dict(report)))
    if report.checks:
        assert parsed[0] == {
            "schema_version": 1,
            "event": "check",
            "check": json.loads(dumps(check_to_dict(report.checks[0]))),
        }


def _broken(mutate: Any) -> dict[str, Any]:
    data = copy.deepcopy(json.loads(dumps(report_to_dict(factory.failing_report()))))
    mutate(data)
    return data


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda d: d.pop("exit_code"), id="missing-exit-code"),
        pytest.param(lambda d: d["checks"][0].pop("advice"), id="check-missing-advice"),
        pytest.param(lambda d: d["checks"][0].update(status="passed"), id="bad-status"),
        pytest.param(lambda d: d.update(ok="yes"), id="ok-not-boolean"),
        pytest.param(lambda d: d.update(exit_code=9), id="exit-code-out-of-range"),
        pytest.param(lambda d: d["checks"][1].update(duration_ms="12"), id="duration-string"),
        pytest.param(lambda d: d["checks"][4].update(http_status=42), id="http-status-out-of-range"),
        pytest.param(lambda d: d.update(api_key="sk-proj-FAKE"), id="extra-top-level-field"),
        pytest.param(lambda d: d["checks"][0].update(extra=1), id="extra-check-field"),
        pytest.param(lambda d: d["checks"][0].update(details=[]), id="details-not-object"),
        pytest.param(lambda d: d["summary"].pop("skip"), id="summary-missing-status"),
        pytest.param(lambda d: d.update(started_at="yesterday"), id="started-at-not-iso"),
        pytest.param(lambda d: d["checks"][4]["error"].pop("param"), id="error-missing-param"),
        pytest.param(lambda d: d.update(schema_version=2), id="wrong-schema-version"),
    ],
)
def test_schema_rejects_broken_reports(mutate: Any) -> None:
    """The schema rejects missing fields, bad enums, wrong types and unknown fields."""
    assert errors_of(_broken(mutate)) != []


def test_schema_keeps_details_open() -> None:
    """New facts inside details are allowed without a schema change."""
    data = _broken(lambda d: d["checks"][0]["details"].update(anything={"nested": [1, "x"]}))
    assert errors_of(data) == []


def test_schema_event_rejects_unknown_event_kind() -> None:
    """A json-lines event with an unknown kind or missing payload is rejected."""
    validator = event_validator()
    assert list(validator.iter_errors({"schema_version": 1, "event": "progress", "check": {}}))
    assert list(validator.iter_errors({"schema_version": 1, "event": "check"}))


def test_schema_enums_match_the_code() -> None:
    """The schema's status and exit-code enums list exactly the Status members and the codes a run can exit with."""
    assert SCHEMA["$defs"]["status"]["enum"] == [s.value for s in Status]
    assert SCHEMA["properties"]["exit_code"]["enum"] == [int(c) for c in RUN_EXIT_CODES]


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_raw_key_never_appears(name: str) -> None:
    """No JSON output contains the raw FAKE key, only its redacted display form."""
    text = format_json(REPORTS[name]) + dumps(report_event(REPORTS[name]))
    assert factory.FAKE_KEY not in text
    assert factory.FAKE_OTHER_KEY not in text
    if name == "failing":
        assert factory.FAKE_FINGERPRINT in text


def test_write_json_replaces_the_file_atomically(tmp_path: Path) -> None:
    """write_json replaces an existing file with the full document and leaves no temp file behind."""
    path = tmp_path / "report.json"
    path.write_text("old", encoding="utf-8")
    write_json(path, factory.failing_report())
    assert json.loads(path.read_text(encoding="utf-8"))["exit_code"] == ExitCode.AUTH
    assert os.listdir(tmp_path) == ["report.json"]


def test_write_json_into_missing_directory_raises_oserror(tmp_path: Path) -> None:
    """Writing into a directory that does not exist raises OSError naming the place, and creates nothing."""
    with pytest.raises(OSError):
        write_json(tmp_path / "missing" / "report.json", factory.healthy_report())
    assert os.listdir(tmp_path) == []


def test_usage_error_document_is_a_valid_report() -> None:
    """A usage error in --json mode is a schema-valid report with exit code 2, the message, and no key."""
    data = usage_error_document(f"unexpected argument {factory.FAKE_KEY!r}", "9.9.9", started_at=factory.STARTED_AT)
    assert errors_of(json.loads(dumps(data))) == []
    assert (data["ok"], data["exit_code"], data["exit_reason"]) == (False, 2, EXIT_CODE_DESCRIPTIONS[ExitCode.USAGE])
    assert data["tool"]["version"] == "9.9.9"
    assert data["checks"][0]["id"] == "usage" and data["checks"][0]["summary"].startswith(
        "unexpected argument 'sk-proj-"
    )
    assert factory.FAKE_KEY not in dumps(data)
    assert errors_of(usage_error_document("bad flag", "0.1.0")) == []  # with the current time as started_at
