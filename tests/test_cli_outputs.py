"""Every output of the real CLI, parsed the way its consumer parses it, against a live emulator.

In-process runs go through Typer's CliRunner (stdout and stderr are kept apart); a few
runs use a real `python -m realtime_check` process to prove the same holds end to end.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_runner import cli
from jsonschema import Draft202012Validator
from prometheus_client.parser import text_string_to_metric_families
from referencing import Registry, Resource

from realtime_check.emulator.server import Emulator
from realtime_check.render.json_report import load_schema

SCHEMA = load_schema()
_REGISTRY = Registry().with_resource(SCHEMA["$id"], Resource.from_contents(SCHEMA))
REPORT_VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _def_validator(name: str) -> Draft202012Validator:
    """A validator for one `$defs` entry, resolving its refs (including `#`) inside the committed schema."""
    return Draft202012Validator(
        {"$ref": f"{SCHEMA['$id']}#/$defs/{name}"},
        registry=_REGISTRY,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


EVENT_VALIDATOR = _def_validator("event")
CHECK_VALIDATOR = _def_validator("check")
DEFAULT_CHECKS = ["config", "network", "api_key", "models", "session", "websocket", "websocket_ephemeral"]

StartEmulator = Callable[[str], Emulator]


@pytest.fixture
def emulator() -> Iterator[StartEmulator]:
    """Start emulators for a test (any scenario); every one is stopped at teardown."""
    started: list[Emulator] = []

    def start(scenario: str = "healthy") -> Emulator:
        emu = Emulator(scenario).start()
        started.append(emu)
        return emu

    yield start
    for emu in started:
        emu.stop()


@pytest.fixture
def refused_url() -> Iterator[str]:
    """A loopback base URL whose port is bound but not listening, so every connect is refused."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
    sock.close()


def one_json_document(stdout: str) -> dict[str, Any]:
    """stdout must be exactly one JSON document and nothing else."""
    assert stdout.endswith("\n") and stdout.count("\n") == 1, stdout[-500:]
    return json.loads(stdout)


def valid_report(stdout: str) -> dict[str, Any]:
    document = one_json_document(stdout)
    REPORT_VALIDATOR.validate(document)
    return document


def parse_github_output(text: str) -> dict[str, str]:
    """Read $GITHUB_OUTPUT strictly in the `name<<DELIMITER` heredoc form realtime-check writes."""
    values: dict[str, str] = {}
    lines = text.split("\n")
    assert lines[-1] == "", "the file ends with a newline"
    i = 0
    while i < len(lines) - 1:
        name, sep, delimiter = lines[i].partition("<<")
        assert sep and name and delimiter, f"not a heredoc header: {lines[i]!r}"
        end = lines.index(delimiter, i + 1)
        values[name] = "\n".join(lines[i + 1 : end])
        i = end + 1
    return values


def key_env(key: str, **extra: str) -> dict[str, str]:
    return {"OPENAI_API_KEY": key, **extra}


# --- --json -------------------------------------------------------------------------------------


def test_json_healthy_run_validates(emulator: StartEmulator, fake_key: str) -> None:
    """A healthy `run --json` prints one schema-valid document with every default check passing."""
    emu = emulator("healthy")
    result = cli("run", "--base-url", emu.base_url, "--json", env=key_env(fake_key))
    report = valid_report(result.stdout)
    assert result.exit_code == 0 == report["exit_code"] and report["ok"] is True
    assert [c["id"] for c in report["checks"]] == DEFAULT_CHECKS
    assert {c["status"] for c in report["checks"]} == {"pass"}
    assert report["target"]["base_url"] == emu.base_url


def test_json_failing_run_validates(emulator: StartEmulator, fake_key: str) -> None:
    """A failing `run --json` is schema-valid, not ok, and its exit_code is the process's exit code."""
    emu = emulator("invalid-key")
    result = cli("run", "--base-url", emu.base_url, "--json", env=key_env(fake_key))
    report = valid_report(result.stdout)
    assert result.exit_code == report["exit_code"] == 5 and report["ok"] is False
    api_key = next(c for c in report["checks"] if c["id"] == "api_key")
    assert (api_key["status"], api_key["diagnosis"], api_key["http_status"]) == ("fail", "invalid_api_key", 401)


def test_json_with_skips_validates(emulator: StartEmulator, fake_key: str) -> None:
    """Skipped checks (after a failure, and by --skip) still validate and are counted in the summary."""
    emu = emulator("invalid-key")
    result = cli("run", "--base-url", emu.base_url, "--skip", "session", "--json", env=key_env(fake_key))
    report = valid_report(result.stdout)
    statuses = Counter(c["status"] for c in report["checks"])
    assert statuses["skip"] >= 1
    assert report["summary"] == {s: statuses.get(s, 0) for s in ("pass", "warn", "fail", "skip", "error")}
    assert "session" not in [c["id"] for c in report["checks"]]


def test_json_no_key_is_a_config_failure(emulator: StartEmulator) -> None:
    """Without any key the JSON report validates, names key_missing, and the run exits 3."""
    emu = emulator("healthy")
    result = cli("run", "--base-url", emu.base_url, "--json")
    report = valid_report(result.stdout)
    assert result.exit_code == report["exit_code"] == 3
    config = report["checks"][0]
    assert (config["id"], config["status"], config["diagnosis"]) == ("config", "fail", "key_missing")
    assert report["target"]["key"] == "(none)"


def test_json_usage_error_is_a_valid_document() -> None:
    """`--only bogus --json` exits 2 with a schema-valid usage document on stdout and the message on stderr."""
    result = cli("run", "--only", "bogus", "--json")
    report = valid_report(result.stdout)
    assert result.exit_code == report["exit_code"] == 2
    assert [c["diagnosis"] for c in report["checks"]] == ["usage_error"]
    assert "bogus" in report["checks"][0]["summary"]
    assert "bogus" in result.stderr


# --- --json-lines -------------------------------------------------------------------------------


@pytest.mark.parametrize("scenario", ["healthy", "invalid-key"])
def test_json_lines_one_event_per_check_then_the_report(emulator: StartEmulator, fake_key: str, scenario: str) -> None:
    """--json-lines writes one valid `check` event per check, then exactly one valid `report` event last."""
    emu = emulator(scenario)
    result = cli("run", "--base-url", emu.base_url, "--json-lines", env=key_env(fake_key))
    lines = result.stdout.splitlines()
    assert result.stdout.endswith("\n") and all(lines)
    events = [json.loads(line) for line in lines]
    for event in events:
        EVENT_VALIDATOR.validate(event)
    *checks, last = events
    assert [e["event"] for e in checks] == ["check"] * len(checks)
    assert last["event"] == "report"
    report = last["report"]
    REPORT_VALIDATOR.validate(report)
    for event in checks:
        CHECK_VALIDATOR.validate(event["check"])
    assert sorted(e["check"]["id"] for e in checks) == sorted(c["id"] for c in report["checks"])
    # The streamed events are the same results the report holds.
    by_id = {c["id"]: c for c in report["checks"]}
    assert all(e["check"]["status"] == by_id[e["check"]["id"]]["status"] for e in checks)
    assert result.exit_code == report["exit_code"]


def test_json_lines_usage_error_is_a_report_event() -> None:
    """`--only bogus --json-lines` exits 2 and its one line is a valid `report` event."""
    result = cli("run", "--only", "bogus", "--json-lines")
    assert result.exit_code == 2
    (line,) = result.stdout.splitlines()
    event = json.loads(line)
    EVENT_VALIDATOR.validate(event)
    assert event["event"] == "report" and event["report"]["exit_code"] == 2


# --- --junit-xml --------------------------------------------------------------------------------


@pytest.mark.parametrize("scenario", ["healthy", "invalid-key"])
def test_junit_xml_matches_the_report(emulator: StartEmulator, fake_key: str, tmp_path: Path, scenario: str) -> None:
    """--junit-xml writes parseable XML: one testcase per check, failure/skip counts equal to the report's."""
    emu = emulator(scenario)
    path = tmp_path / "junit.xml"
    result = cli("run", "--base-url", emu.base_url, "--json", "--junit-xml", str(path), env=key_env(fake_key))
    report = valid_report(result.stdout)
    root = ET.parse(path).getroot()
    suite = root.find("testsuite")
    assert root.tag == "testsuites" and suite is not None
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [c["id"] for c in report["checks"]]
    failed = [c["id"] for c in report["checks"] if c["status"] == "fail"]
    skipped = [c["id"] for c in report["checks"] if c["status"] == "skip"]
    assert [c.get("name") for c in cases if c.find("failure") is not None] == failed
    assert [c.get("name") for c in cases if c.find("skipped") is not None] == skipped
    assert int(suite.get("tests", "-1")) == len(cases)
    assert int(suite.get("failures", "-1")) == len(failed) == report["summary"]["fail"]
    assert int(suite.get("skipped", "-1")) == len(skipped) == report["summary"]["skip"]
    assert int(suite.get("errors", "-1")) == report["summary"]["error"] == 0
    for case in cases:
        failure = case.find("failure")
        if failure is not None:
            check = next(c for c in report["checks"] if c["id"] == case.get("name"))
            assert failure.get("type") == check["diagnosis"]
    assert (scenario == "healthy") == (not failed)


# --- --prometheus -------------------------------------------------------------------------------


@pytest.mark.parametrize("scenario", ["healthy", "invalid-key"])
def test_prometheus_matches_the_report(emulator: StartEmulator, fake_key: str, tmp_path: Path, scenario: str) -> None:
    """--prometheus writes text prometheus_client parses: realtime_check_up is the verdict, one success per check."""
    emu = emulator(scenario)
    path = tmp_path / "realtime_check.prom"
    result = cli("run", "--base-url", emu.base_url, "--json", "--prometheus", str(path), env=key_env(fake_key))
    report = valid_report(result.stdout)
    families = {f.name: f for f in text_string_to_metric_families(path.read_text(encoding="utf-8"))}
    assert families["realtime_check_up"].type == "gauge"
    assert [s.value for s in families["realtime_check_up"].samples] == [1.0 if report["ok"] else 0.0]
    assert [s.value for s in families["realtime_check_exit_code"].samples] == [float(report["exit_code"])]
    success = {s.labels["check"]: s.value for s in families["realtime_check_check_success"].samples}
    expected = {c["id"]: 1.0 if c["status"] in ("pass", "warn") else 0.0 for c in report["checks"]}
    assert success == expected
    status = {
        (s.labels["check"], s.labels["status"]) for s in families["realtime_check_check_status"].samples if s.value == 1
    }
    assert status == {(c["id"], c["status"]) for c in report["checks"]}


# --- GitHub Actions ------------------------------------------------------------------------------


def github_env(tmp_path: Path, **extra: str) -> tuple[dict[str, str], Path, Path]:
    summary, outputs = tmp_path / "step_summary.md", tmp_path / "github_output"
    summary.write_text("# earlier step\n", encoding="utf-8")  # the runner's file may already hold content
    outputs.write_text("", encoding="utf-8")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(outputs), **extra}
    return env, summary, outputs


def test_github_failing_run_annotates_summarises_and_sets_outputs(
    emulator: StartEmulator, fake_key: str, tmp_path: Path
) -> None:
    """In GitHub Actions a failing run prints ::error per failed check, appends a summary and sets the outputs."""
    emu = emulator("invalid-key")
    env, summary, outputs = github_env(tmp_path, OPENAI_API_KEY=fake_key)
    result = cli("run", "--base-url", emu.base_url, env=env)
    assert result.exit_code == 5
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    failed = ["api_key", "session", "websocket"]
    assert [line.split("::", 2)[1] for line in errors] == [f"error title=realtime-check%3A {c}" for c in failed]
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# earlier step\n"), "the summary is appended, never overwritten"
    assert "\n## ❌ " in text and "| api_key | ❌ fail |" in text
    values = parse_github_output(outputs.read_text(encoding="utf-8"))
    assert {k: values[k] for k in ("ok", "exit_code", "failed_check", "diagnosis")} == {
        "ok": "false",
        "exit_code": "5",
        "failed_check": "api_key",
        "diagnosis": "invalid_api_key",
    }
    assert "api_key" in values["summary"]


def test_github_healthy_run_sets_ok_outputs(emulator: StartEmulator, fake_key: str, tmp_path: Path) -> None:
    """In GitHub Actions a healthy run prints no ::error and sets ok=true, exit_code=0 and empty culprits."""
    emu = emulator("healthy")
    env, summary, outputs = github_env(tmp_path, OPENAI_API_KEY=fake_key)
    result = cli("run", "--base-url", emu.base_url, env=env)
    assert result.exit_code == 0
    assert "::error" not in result.stdout + result.stderr
    assert "\n## ✅ " in summary.read_text(encoding="utf-8")
    values = parse_github_output(outputs.read_text(encoding="utf-8"))
    assert {k: values[k] for k in ("ok", "exit_code", "failed_check", "diagnosis")} == {
        "ok": "true",
        "exit_code": "0",
        "failed_check": "",
        "diagnosis": "",
    }


def test_github_with_json_keeps_stdout_one_document(emulator: StartEmulator, fake_key: str, tmp_path: Path) -> None:
    """With --json in GitHub Actions the annotations go to stderr and stdout stays exactly one JSON document."""
    emu = emulator("invalid-key")
    env, summary, outputs = github_env(tmp_path, OPENAI_API_KEY=fake_key)
    result = cli("run", "--base-url", emu.base_url, "--json", env=env)
    report = valid_report(result.stdout)
    assert "::" not in result.stdout
    assert "::error title=realtime-check%3A api_key::" in result.stderr
    assert parse_github_output(outputs.read_text(encoding="utf-8"))["exit_code"] == str(report["exit_code"]) == "5"


def test_github_outputs_from_a_real_process(emulator: StartEmulator, fake_key: str, tmp_path: Path) -> None:
    """End to end in a real process: GITHUB_* files are written and the exit code matches the outputs."""
    emu = emulator("invalid-key")
    env, summary, outputs = github_env(tmp_path, OPENAI_API_KEY=fake_key)
    proc = subprocess.run(
        [sys.executable, "-m", "realtime_check", "run", "--base-url", emu.base_url, "--timeout", "10"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 5, proc.stderr
    assert "::error title=realtime-check%3A api_key::" in proc.stdout
    values = parse_github_output(outputs.read_text(encoding="utf-8"))
    assert (values["ok"], values["exit_code"], values["failed_check"]) == ("false", "5", "api_key")
    assert "| api_key | ❌ fail |" in summary.read_text(encoding="utf-8")


# --- GitLab and --ci none -----------------------------------------------------------------------


def test_gitlab_sections_wrap_every_check(emulator: StartEmulator, fake_key: str) -> None:
    """With GITLAB_CI=true the job log gets one section_start/section_end pair per check."""
    emu = emulator("invalid-key")
    result = cli("run", "--base-url", emu.base_url, env=key_env(fake_key, GITLAB_CI="true"))
    starts = [line for line in result.stdout.splitlines() if "section_start:" in line]
    ends = [line for line in result.stdout.splitlines() if "section_end:" in line]
    assert len(starts) == len(ends) == len(DEFAULT_CHECKS)
    assert "_api_key[collapsed=true]" in "".join(starts)


def test_gitlab_with_json_keeps_stdout_one_document(emulator: StartEmulator, fake_key: str) -> None:
    """With --json under GitLab CI the sections go to stderr and stdout stays exactly one JSON document."""
    emu = emulator("invalid-key")
    result = cli("run", "--base-url", emu.base_url, "--json", env=key_env(fake_key, GITLAB_CI="true"))
    valid_report(result.stdout)
    assert "section_start:" not in result.stdout
    assert result.stderr.count("section_start:") == result.stderr.count("section_end:") == len(DEFAULT_CHECKS)


def test_github_unwritable_summary_is_a_warning_not_a_crash(
    emulator: StartEmulator, fake_key: str, tmp_path: Path
) -> None:
    """A $GITHUB_STEP_SUMMARY in a missing directory becomes a ::warning; the run's verdict and outputs stand."""
    emu = emulator("healthy")
    env, _, outputs = github_env(tmp_path, OPENAI_API_KEY=fake_key)
    env["GITHUB_STEP_SUMMARY"] = str(tmp_path / "missing" / "summary.md")
    result = cli("run", "--base-url", emu.base_url, env=env)
    assert result.exit_code == 0
    assert "::warning title=realtime-check::could not write $GITHUB_STEP_SUMMARY" in result.stdout
    assert parse_github_output(outputs.read_text(encoding="utf-8"))["ok"] == "true"
    assert "Traceback" not in result.stdout + result.stderr


def test_ci_none_writes_no_ci_markup(emulator: StartEmulator, fake_key: str, tmp_path: Path) -> None:
    """--ci none ignores GITHUB_ACTIONS and GITLAB_CI: no annotations, no sections, no files touched."""
    emu = emulator("invalid-key")
    env, summary, outputs = github_env(tmp_path, OPENAI_API_KEY=fake_key, GITLAB_CI="true")
    result = cli("run", "--base-url", emu.base_url, "--ci", "none", env=env)
    assert result.exit_code == 5
    everything = result.stdout + result.stderr
    assert "::error" not in everything and "::group::" not in everything and "section_start" not in everything
    assert summary.read_text(encoding="utf-8") == "# earlier step\n"
    assert outputs.read_text(encoding="utf-8") == ""


# --- --strict / --fail-on warn ------------------------------------------------------------------


def test_warning_only_run_passes_by_default(emulator: StartEmulator, fake_key: str) -> None:
    """A run with only warnings (restricted key) exits 0 and reports ok."""
    emu = emulator("restricted-key")
    result = cli("run", "--base-url", emu.base_url, "--json", env=key_env(fake_key))
    report = valid_report(result.stdout)
    assert result.exit_code == 0 and report["ok"] and report["summary"]["warn"] >= 1
    assert report["summary"]["fail"] == report["summary"]["error"] == 0


@pytest.mark.parametrize("flag", [["--strict"], ["--fail-on", "warn"]])
def test_strict_turns_warnings_into_a_failure(emulator: StartEmulator, fake_key: str, flag: list[str]) -> None:
    """--strict and --fail-on warn make a warning-only run fail with the same code in text and JSON mode."""
    emu = emulator("restricted-key")
    text = cli("run", "--base-url", emu.base_url, *flag, env=key_env(fake_key))
    as_json = cli("run", "--base-url", emu.base_url, *flag, "--json", env=key_env(fake_key))
    report = valid_report(as_json.stdout)
    assert report["strict"] is True and report["ok"] is False
    assert text.exit_code == as_json.exit_code == report["exit_code"] == 5


def test_strict_run_fails_the_same_way_in_every_output(emulator: StartEmulator, fake_key: str, tmp_path: Path) -> None:
    """Under --strict the warned check is a JUnit failure, an ::error annotation and the GitHub failed_check."""
    emu = emulator("restricted-key")
    env, summary, outputs = github_env(tmp_path, OPENAI_API_KEY=fake_key)
    junit = tmp_path / "junit.xml"
    result = cli("run", "--base-url", emu.base_url, "--strict", "--json", "--junit-xml", str(junit), env=env)
    report = valid_report(result.stdout)
    warned = [c["id"] for c in report["checks"] if c["status"] == "warn"]
    assert warned == ["api_key"]
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and int(suite.get("failures", "-1")) == 1
    assert [c.get("name") for c in suite.findall("testcase") if c.find("failure") is not None] == warned
    assert "::error title=realtime-check%3A api_key::" in result.stderr
    values = parse_github_output(outputs.read_text(encoding="utf-8"))
    assert (values["ok"], values["exit_code"], values["failed_check"]) == ("false", str(result.exit_code), "api_key")
    assert values["diagnosis"] == next(c["diagnosis"] for c in report["checks"] if c["id"] == "api_key")


# --- exit codes are the same in text and JSON mode ----------------------------------------------


@pytest.mark.parametrize(
    ("case", "expected"),
    [("config", 3), ("auth", 5), ("protocol", 8), ("network-tls", 4), ("network-refused", 4)],
)
def test_exit_code_is_the_same_in_text_and_json(
    emulator: StartEmulator, refused_url: str, fake_key: str, case: str, expected: int
) -> None:
    """Each failure class has its documented exit code, identical with and without --json."""
    env: dict[str, str] = {}
    if case == "config":
        args = ["run", "--base-url", emulator("healthy").base_url]
    elif case == "network-refused":
        args, env = ["run", "--base-url", refused_url, "--timeout", "5"], key_env(fake_key)
    else:
        scenario = {"auth": "invalid-key", "protocol": "beta-shape", "network-tls": "tls-untrusted"}[case]
        args = ["demo", "--scenario", scenario, "--timeout", "5"]
    text = cli(*args, env=env)
    as_json = cli(*args, "--json", env=env)
    assert text.exit_code == as_json.exit_code == valid_report(as_json.stdout)["exit_code"] == expected
    assert f"exit {expected}" in text.stdout  # the verdict line names the code


@pytest.mark.parametrize(
    "args",
    [
        ["run", "--no-such-flag"],
        ["run", "--fail-on", "sometimes"],
        ["run", "--timeout", "0"],
        ["demo", "--timeout", "0"],
    ],
)
def test_usage_errors_exit_2_in_text_and_json(args: list[str]) -> None:
    """Bad flags and bad flag values exit 2 with and without --json, never with a traceback."""
    text = cli(*args)
    as_json = cli(*args, "--json")
    assert text.exit_code == as_json.exit_code == 2
    assert "Traceback" not in text.stderr + as_json.stderr


def test_usage_error_exit_code_from_a_real_process() -> None:
    """A real process given an unknown flag with --json exits 2: usage on stderr, one JSON document on stdout."""
    proc = subprocess.run(
        [sys.executable, "-m", "realtime_check", "run", "--no-such-flag", "--json"],
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 2
    assert "--no-such-flag" in proc.stderr and "Traceback" not in proc.stderr
    document = json.loads(proc.stdout)  # exactly one document, as with every --json run
    assert document["exit_code"] == 2 and document["checks"][0]["diagnosis"] == "usage_error"


# --- report files that cannot be written ---------------------------------------------------------


@pytest.mark.parametrize("flag", ["--junit-xml", "--prometheus"])
def test_unwritable_report_file_is_one_clear_line(
    emulator: StartEmulator, fake_key: str, tmp_path: Path, flag: str
) -> None:
    """A report path in a missing directory gives one `error:` line naming it, exit 2, no traceback."""
    emu = emulator("healthy")
    path = tmp_path / "missing-dir" / "report.out"
    result = cli("run", "--base-url", emu.base_url, "--json", flag, str(path), env=key_env(fake_key))
    report = valid_report(result.stdout)  # stdout still holds the (passing) report
    assert report["ok"] is True and result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and errors[0].startswith("realtime-check: error: cannot write " + flag)
    assert str(path) in errors[0] and "Traceback" not in result.stderr


def test_unwritable_report_file_keeps_the_failure_code(emulator: StartEmulator, fake_key: str, tmp_path: Path) -> None:
    """When the run itself failed, an unwritable --junit-xml does not hide why: the failure's code stays."""
    emu = emulator("invalid-key")
    result = cli(
        "run", "--base-url", emu.base_url, "--junit-xml", str(tmp_path / "nope" / "j.xml"), env=key_env(fake_key)
    )
    assert result.exit_code == 5
    assert "cannot write --junit-xml" in result.stderr and "Traceback" not in result.stderr
