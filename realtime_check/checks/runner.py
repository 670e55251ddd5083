"""Run the selected checks concurrently, each as soon as what it needs is known.

Every check starts at once and awaits only the results it depends on, so a run
costs about its longest chain of round trips, not their sum. One deadline bounds
the whole run; a check still waiting when it passes is reported as a timeout
of that check, and a bug inside a check becomes an `error` result.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import time
import traceback
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from realtime_check.checks import CHECKS, gates, spec
from realtime_check.checks.config import prepare
from realtime_check.checks.context import CheckContext, RunOptions
from realtime_check.models import CheckResult, Status
from realtime_check.redact import Redactor
from realtime_check.sanitize import safe_result
from realtime_check.settings import Settings

OnResult = Callable[[CheckResult], None]
T = TypeVar("T")


@dataclass
class Seams:
    """Injectable I/O. Anything left None is built from the settings.

    The clock is two seams that must agree: `clock` reads the time (durations, time
    left) and `sleep` waits on it (the run's deadline). A test's fake clock supplies
    both, so no deadline test waits for real time.
    """

    http: Any = None
    ws_connect: Any = None
    ssl_context: Any = None
    clock: Callable[[], float] = time.perf_counter
    today: Callable[[], dt.date] = lambda: dt.datetime.now(dt.UTC).date()
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep


async def _run_one(ctx: CheckContext, check_id: str) -> CheckResult:
    check = spec(check_id)
    func = check.load()
    started = ctx.clock()
    try:
        result = await func(ctx)
        if check.network_path is not None:
            result = await gates.defer_to_network(ctx, result, check.network_path)
    except asyncio.CancelledError:
        raise  # the run's deadline: run_checks reports it
    except Exception as exc:  # noqa: BLE001 - a bug in a check is a result, not a traceback
        result = _crashed(ctx, check_id, exc)
    if result.duration_ms is None and result.status is not Status.SKIP:
        from dataclasses import replace

        result = replace(result, duration_ms=(ctx.clock() - started) * 1000)
    # The one boundary for server text: nothing a check returns reaches a renderer unescaped.
    return safe_result(result, ctx.redactor)


def _timed_out(ctx: CheckContext, check_id: str) -> CheckResult:
    from realtime_check.diagnosis import catalog as diagnoses

    budget = ctx.settings.timeout
    waiting = ctx.waiting_on.get(check_id)
    if waiting is None:
        return CheckResult(check_id, Status.SKIP, f"not reached: the {budget:g} s time budget ran out first")
    diagnosis = diagnoses.get("timeout")
    # Every check starts with the run, so it waited from the run's start until now.
    waited_ms = (ctx.clock() - (ctx.deadline - budget)) * 1000
    return CheckResult(
        check_id,
        Status.FAIL,
        ctx.redactor.text(f"timed out after the {budget:g} s budget while waiting for {waiting}"),
        duration_ms=waited_ms,
        diagnosis=diagnosis.id,
        advice=diagnosis.advice,
        details={"waiting_for": ctx.redactor.text(waiting), "timeout_seconds": budget},
    )


def _crashed(ctx: CheckContext, check_id: str, exc: BaseException) -> CheckResult:
    from realtime_check.diagnosis import catalog as diagnoses

    diagnosis = diagnoses.get("internal_error")
    details: dict[str, Any] = {"exception": type(exc).__name__}
    if ctx.options.verbose:
        details["traceback"] = ctx.redactor.text("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    return CheckResult(
        check_id,
        Status.ERROR,
        ctx.redactor.text(f"internal error in the {check_id} check: {type(exc).__name__}: {exc}"),
        diagnosis=diagnosis.id,
        advice=diagnosis.advice,
        details=details,
    )


async def run_checks(
    settings: Settings,
    options: RunOptions,
    selected: list[str],
    redactor: Redactor,
    *,
    seams: Seams | None = None,
    on_result: OnResult | None = None,
) -> list[CheckResult]:
    """Run `selected` checks; results come back in report order."""
    seams = seams or Seams()
    ctx, owned_client = _new_context(settings, options, selected, redactor, seams)
    try:
        # One deadline for the whole run: when it passes, whatever is unfinished
        # is judged by what it was waiting on at that moment, then cancelled. Its
        # timer starts before any check, so it measures from the run's start.
        timer = asyncio.ensure_future(seams.sleep(ctx.remaining()))
        order = [c.id for c in CHECKS if c.id in selected]
        tasks = {cid: asyncio.ensure_future(_run_one(ctx, cid)) for cid in order}
        for cid, task in tasks.items():
            task.add_done_callback(functools.partial(_publish, ctx, cid, on_result=on_result))
        await _until_done_or_deadline(tasks.values(), timer)
        pending = {task for task in tasks.values() if not task.done()}
        late = {cid: safe_result(_timed_out(ctx, cid), ctx.redactor) for cid, task in tasks.items() if task in pending}
        for cid, result in late.items():
            _deliver(ctx, cid, result, on_result)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)  # let them close their sockets
        return [late[cid] if cid in late else tasks[cid].result() for cid in order]
    finally:
        leftover = ctx.take_live_socket()
        if leftover is not None:
            from realtime_check.probes.websocket import close_quietly

            await close_quietly(leftover)
        ctx.cancel_shared()
        if owned_client is not None:
            await owned_client.aclose()


def _new_context(
    settings: Settings, options: RunOptions, selected: list[str], redactor: Redactor, seams: Seams
) -> tuple[CheckContext, Any]:
    """A context with the configuration evaluated and the transports wired; also the HTTP client to close."""
    ctx = CheckContext(
        settings=settings,
        redactor=redactor,
        options=options,
        http=seams.http,
        ws_connect=seams.ws_connect,
        ssl_context=seams.ssl_context,
        clock=seams.clock,
        today=seams.today,
        deadline=seams.clock() + settings.timeout,
        selected=frozenset(selected),
    )
    prepare(ctx)
    return ctx, _wire_transports(ctx, seams)


async def run_in_context(
    settings: Settings,
    options: RunOptions,
    redactor: Redactor,
    work: Callable[[CheckContext], Awaitable[T]],
    *,
    seams: Seams | None = None,
) -> T | None:
    """Run `work` with a run's context (configuration, transports, deadline); None if the deadline passed first.

    For commands that are not a list of checks (`realtime-check models`) but need the same seams.
    """
    seams = seams or Seams()
    ctx, owned_client = _new_context(settings, options, [], redactor, seams)
    timer = asyncio.ensure_future(seams.sleep(ctx.remaining()))
    task = asyncio.ensure_future(work(ctx))
    try:
        await _until_done_or_deadline([task], timer)
        if not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            return None
        return task.result()
    finally:
        ctx.cancel_shared()
        if owned_client is not None:
            await owned_client.aclose()


async def _until_done_or_deadline(tasks: Iterable[asyncio.Future[Any]], timer: asyncio.Future[Any]) -> None:
    """Return when every task is done or `timer` (a sleep on the clock seam) ends, whichever is first."""
    tasks = list(tasks)
    if not tasks:
        timer.cancel()
        return
    all_done = asyncio.ensure_future(asyncio.wait(tasks))
    try:
        await asyncio.wait({timer, all_done}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        timer.cancel()
        all_done.cancel()  # stops waiting only; the checks themselves are the caller's to cancel


def _publish(ctx: CheckContext, check_id: str, task: asyncio.Future[CheckResult], on_result: OnResult | None) -> None:
    if not task.cancelled():
        _deliver(ctx, check_id, task.result(), on_result)


def _deliver(ctx: CheckContext, check_id: str, result: CheckResult, on_result: OnResult | None) -> None:
    """Make a result visible to the checks waiting on it and to the caller, exactly once."""
    future = ctx.result_future(check_id)
    if future.done():
        return
    future.set_result(result)
    if on_result is not None:
        on_result(result)


def _wire_transports(ctx: CheckContext, seams: Seams) -> Any:
    """Build what was not injected: the SSL context, proxies, HTTP client and socket opener.

    One SSL context serves both transports (HTTP/1.1 on both, so the ALPN httpx sets on
    it fits the socket too), and none is built when no URL of the run is TLS: loading a
    CA store is the largest cost before the first byte.
    """
    from realtime_check.probes import http, proxies, tls, websocket

    settings = ctx.settings
    plan = proxies.resolve_proxies(settings.base_url, settings.ws_url, settings.env)
    ctx.facts.proxy_plan = plan
    if ctx.ssl_context is None and _uses_tls(settings.base_url, settings.ws_url, plan.rest.url, plan.ws.url):
        try:
            ctx.ssl_context, ctx.facts.trust_source = tls.build_ssl_context(settings.ca_bundle, settings.env)
        except tls.TLSConfigError as exc:
            ctx.facts.tls_config_error = exc
            ctx.ssl_context = None
    owned = None
    if ctx.http is None:
        try:
            owned = ctx.http = http.build_http_client(ctx.ssl_context, plan.rest.url, settings.timeout)
        except (ImportError, ValueError) as exc:  # SOCKS without socksio, unsupported scheme (F12)
            ctx.facts.rest_proxy_error = exc
            owned = ctx.http = http.build_http_client(ctx.ssl_context, None, settings.timeout)
    if ctx.ws_connect is None:
        ctx.ws_connect = websocket.make_ws_connect(plan.ws.url)
        ctx.early_connections = plan.ws.url is None
    return owned


def _uses_tls(*urls: str | None) -> bool:

    # The scheme is read from the text: a proxy variable may hold a URL urlsplit refuses.
    return any(url and url.split("://", 1)[0].lower() in ("https", "wss") for url in urls)
