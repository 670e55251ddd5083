"""Exit codes (exit_codes.py): the first failing check, in check order, decides how the run exits."""

from __future__ import annotations

import pytest

from realtime_check.exit_codes import EXIT_CODE_DESCRIPTIONS, ExitCode, compute
from realtime_check.models import Category, CheckResult, Status

# A tiny stand-in for diagnoses.category_of: one diagnosis id per category. Unknown ids
# raise, so a test fails if compute asks about a check that should not count.
CATEGORIES = {
    "cfg": Category.CONFIG,
    "net": Category.NETWORK,
    "auth": Category.AUTH,
    "model": Category.UNAVAILABLE,
    "rate": Category.TEMPORARY,
    "proto": Category.PROTOCOL,
    "bug": Category.INTERNAL,
}


def category_of(diagnosis: str | None) -> Category:
    return CATEGORIES[diagnosis]  # type: ignore[index]


def check(status: Status, diagnosis: str | None = None, check_id: str = "c") -> CheckResult:
    return CheckResult(check_id, status, f"{status.value} {diagnosis}", diagnosis=diagnosis)


PASS = check(Status.PASS, "not-consulted")
SKIP = check(Status.SKIP, "not-consulted")


@pytest.mark.parametrize(
    ("diagnosis", "code"),
    [
        pytest.param("cfg", ExitCode.CONFIG, id="config-3"),
        pytest.param("net", ExitCode.NETWORK, id="network-4"),
        pytest.param("auth", ExitCode.AUTH, id="auth-5"),
        pytest.param("model", ExitCode.UNAVAILABLE, id="unavailable-6"),
        pytest.param("rate", ExitCode.TEMPORARY, id="temporary-7"),
        pytest.param("proto", ExitCode.PROTOCOL, id="protocol-8"),
        pytest.param("bug", ExitCode.INTERNAL, id="internal-1"),
    ],
)
def test_a_failure_exits_with_its_category(diagnosis: str, code: ExitCode) -> None:
    """A failed check exits with the code of its diagnosis category, so scripts can branch on the cause."""
    assert compute([PASS, check(Status.FAIL, diagnosis), SKIP], category_of) is code


def test_documented_exit_code_numbers() -> None:
    """The exit code numbers scripts depend on never change."""
    assert {c.name: int(c) for c in ExitCode} == {
        "OK": 0,
        "INTERNAL": 1,
        "USAGE": 2,
        "CONFIG": 3,
        "NETWORK": 4,
        "AUTH": 5,
        "UNAVAILABLE": 6,
        "TEMPORARY": 7,
        "PROTOCOL": 8,
        "FINDINGS": 9,
        "INTERRUPTED": 130,
    }
    assert set(EXIT_CODE_DESCRIPTIONS) == set(ExitCode)


@pytest.mark.parametrize(
    "results",
    [
        pytest.param([], id="no-checks"),
        pytest.param([PASS], id="pass"),
        pytest.param([SKIP, SKIP], id="only-skips"),
        pytest.param([PASS, SKIP, PASS], id="pass-and-skips"),
    ],
)
def test_passes_and_skips_exit_ok(results: list[CheckResult]) -> None:
    """Passed and skipped checks never fail a run, and their diagnosis is not even consulted."""
    assert compute(results, category_of) is ExitCode.OK
    assert compute(results, category_of, fail_on_warn=True) is ExitCode.OK


@pytest.mark.parametrize(
    ("fail_on_warn", "code"),
    [
        pytest.param(False, ExitCode.OK, id="warn-allowed"),
        pytest.param(True, ExitCode.AUTH, id="fail-on-warn"),
    ],
)
def test_warnings_fail_only_with_fail_on_warn(fail_on_warn: bool, code: ExitCode) -> None:
    """A warning passes the run unless --strict / --fail-on warn asks for warnings to fail it."""
    assert compute([PASS, check(Status.WARN, "auth")], category_of, fail_on_warn) is code


def test_unconsulted_warning_without_fail_on_warn() -> None:
    """Without --fail-on warn the diagnosis of a warning is not looked up at all."""
    assert compute([check(Status.WARN, "not-consulted")], category_of) is ExitCode.OK


@pytest.mark.parametrize(
    ("results", "fail_on_warn", "code"),
    [
        pytest.param(
            [check(Status.FAIL, "net"), check(Status.FAIL, "auth")], False, ExitCode.NETWORK, id="first-fail-wins"
        ),
        pytest.param(
            [check(Status.FAIL, "auth"), check(Status.FAIL, "net")], False, ExitCode.AUTH, id="order-not-severity"
        ),
        pytest.param(
            [SKIP, check(Status.FAIL, "rate"), check(Status.ERROR, "bug")],
            False,
            ExitCode.TEMPORARY,
            id="skip-before-fail",
        ),
        pytest.param(
            [check(Status.WARN, "cfg"), check(Status.FAIL, "auth")], False, ExitCode.AUTH, id="warn-ignored-before-fail"
        ),
        pytest.param(
            [check(Status.WARN, "cfg"), check(Status.FAIL, "auth")], True, ExitCode.CONFIG, id="strict-warn-first"
        ),
        pytest.param(
            [check(Status.FAIL, "proto"), check(Status.ERROR, None)], False, ExitCode.PROTOCOL, id="fail-before-error"
        ),
    ],
)
def test_first_failing_check_in_order_decides(results: list[CheckResult], fail_on_warn: bool, code: ExitCode) -> None:
    """The earliest failing check decides the exit code, because checks run in dependency order and it is the root cause."""
    assert compute(results, category_of, fail_on_warn) is code


@pytest.mark.parametrize(
    "diagnosis",
    [pytest.param(None, id="no-diagnosis"), pytest.param("net", id="with-diagnosis")],
)
def test_a_crashed_check_is_an_internal_error(diagnosis: str | None) -> None:
    """A check that crashed (ERROR) exits 1, whatever diagnosis it carries, so tool bugs are not blamed on the API."""
    assert compute([PASS, check(Status.ERROR, diagnosis)], category_of) is ExitCode.INTERNAL


def test_compute_accepts_any_iterable() -> None:
    """Results may come from a generator (streamed checks), not only a list."""
    assert compute((r for r in [PASS, check(Status.FAIL, "cfg")]), category_of) is ExitCode.CONFIG
