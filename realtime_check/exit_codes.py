"""Exit codes: one enum, computed by one pure function from the check results."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import IntEnum

from realtime_check.models import Category, CheckResult, Status


class ExitCode(IntEnum):
    OK = 0
    INTERNAL = 1  # a bug in realtime-check itself
    USAGE = 2  # bad flags or arguments (Typer/Click's own code)
    CONFIG = 3  # no usable key, bad base URL, admin key, ...
    NETWORK = 4  # host unreachable: DNS, TCP, TLS, proxy
    AUTH = 5  # key rejected, permission, region, org/project mismatch
    UNAVAILABLE = 6  # model not available to this key, quota or billing
    TEMPORARY = 7  # rate limit, overload, 5xx, timeout: try again later
    PROTOCOL = 8  # the server answered in a shape the Realtime API should not
    FINDINGS = 9  # `scan` found retired patterns at or above --fail-on
    INTERRUPTED = 130  # Ctrl+C: 128 + SIGINT, what shells and CI runners expect


EXIT_CODE_DESCRIPTIONS: dict[ExitCode, str] = {
    ExitCode.OK: "every check passed (warnings allowed unless --strict / --fail-on warn)",
    ExitCode.INTERNAL: "internal error in realtime-check (please report it)",
    ExitCode.USAGE: "usage error: bad option or argument",
    ExitCode.CONFIG: "configuration: missing, malformed or unusable key or URL",
    ExitCode.NETWORK: "network: DNS, TCP, proxy or TLS failure reaching the API host",
    ExitCode.AUTH: "authentication or permission: key rejected, scope, region, org/project",
    ExitCode.UNAVAILABLE: "unavailable: model not accessible, quota or billing",
    ExitCode.TEMPORARY: "temporary: rate limit, overload, server error or timeout; retry later",
    ExitCode.PROTOCOL: "protocol: unexpected response, close code or event from the server",
    ExitCode.FINDINGS: "scan: findings at or above --fail-on (default error)",
    ExitCode.INTERRUPTED: "interrupted (Ctrl+C): no report was produced",
}

_CATEGORY_EXIT = {
    Category.USAGE: ExitCode.USAGE,
    Category.CONFIG: ExitCode.CONFIG,
    Category.NETWORK: ExitCode.NETWORK,
    Category.AUTH: ExitCode.AUTH,
    Category.UNAVAILABLE: ExitCode.UNAVAILABLE,
    Category.TEMPORARY: ExitCode.TEMPORARY,
    Category.PROTOCOL: ExitCode.PROTOCOL,
    Category.INTERNAL: ExitCode.INTERNAL,
}


def counts_as_failure(result: CheckResult, fail_on_warn: bool) -> bool:
    if result.status in (Status.FAIL, Status.ERROR):
        return True
    return fail_on_warn and result.status is Status.WARN


def compute(
    results: Iterable[CheckResult],
    category_of: Callable[[str | None], Category],
    fail_on_warn: bool = False,
) -> ExitCode:
    """The exit code of a run: the class of its first failing check, in check order.

    Checks run in dependency order, so the first failure is usually the root cause
    (a DNS failure explains the failed API calls after it).
    """
    for result in results:
        if not counts_as_failure(result, fail_on_warn):
            continue
        if result.status is Status.ERROR:
            return ExitCode.INTERNAL
        return _CATEGORY_EXIT[category_of(result.diagnosis)]
    return ExitCode.OK


# What a finished `run` (or `demo`) report can carry: every code but scan's, and not an
# interruption, which ends the process before any report exists.
RUN_EXIT_CODES = tuple(code for code in ExitCode if code not in (ExitCode.FINDINGS, ExitCode.INTERRUPTED))

# `scan --fail-on` levels, lowest first; "none" never fails.
SCAN_LEVELS = ("note", "warning", "error")


def for_findings(severities: Iterable[str], fail_on: str) -> ExitCode:
    """The exit code of a scan: FINDINGS if any finding's severity is at or above `fail_on`."""
    if fail_on == "none":
        return ExitCode.OK
    threshold = SCAN_LEVELS.index(fail_on)
    failing = any(SCAN_LEVELS.index(s) >= threshold for s in severities)
    return ExitCode.FINDINGS if failing else ExitCode.OK
