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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from realtime_check.checks import CHECKS, spec
from realtime_check.checks.config import prepare
from realtime_check.checks.context import CheckContext, RunOptions
from realtime_check.models import CheckResult, Status
from realtime_check.redact import Redactor
from realtime_check.settings import Settings

OnResult = Callable[[CheckResult], None]


@dataclass
class Seams:
    """Injectable I/O. Anything left None is built from the settings."""

    http: Any = None
    ws_connect: Any = None
    ssl_context: Any = None
    clock: Callable[[], float] = time.perf_counter
    today: Callable[[], dt.date] = lambda: dt.datetime.now(dt.UTC).date()


def build_http_client(ssl_context: Any, proxy: str | None, timeout: float) -> Any:
    import httpx

    try:
        import h2  # noqa: F401 - HTTP/2 lets the concurrent REST checks share one connection

        http2 = True
    except ImportError:
        http2 = False
    return httpx.AsyncClient(
        verify=ssl_context if ssl_context is not None else True,
        proxy=proxy,
        trust_env=False,  # proxies come from our own resolution of the same env vars
        http2=http2,
        follow_redirects=False,  # never carry Authorization to another host
        timeout=httpx.Timeout(timeout),
        headers={"Accept": "application/json"},
    )


def make_ws_connect(proxy: str | None) -> Callable[..., Any]:
    from websockets.asyncio.client import connect

    def ws_connect(url: str, **kwargs: Any) -> Any:
        return connect(url, proxy=proxy, **kwargs)

    return ws_connect


async def _run_one(ctx: CheckContext, check_id: str) -> CheckResult:
    func = spec(check_id).load()
    started = ctx.clock()
    try:
        result = await func(ctx)
    except asyncio.CancelledError:
        raise  # the run's deadline: run_checks reports it
    except Exception as exc:  # noqa: BLE001 - a bug in a check is a result, not a traceback
        result = _crashed(ctx, check_id, exc)
    if result.duration_ms is None and result.status is not Status.SKIP:
        from dataclasses import replace

        result = replace(result, duration_ms=(ctx.clock() - started) * 1000)
    return result


def _timed_out(ctx: CheckContext, check_id: str) -> CheckResult:
    from realtime_check.diagnosis import catalog as diagnoses

    budget = ctx.settings.timeout
    waiting = ctx.waiting_on.get(check_id)
    if waiting is None:
        return CheckResult(check_id, Status.SKIP, f"not reached: the {budget:g} s time budget ran out first")
    diagnosis = diagnoses.get("timeout")
    return CheckResult(
        check_id,
        Status.FAIL,
        ctx.redactor.text(f"timed out after the {budget:g} s budget while waiting for {waiting}"),
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
    clock = seams.clock
    ctx = CheckContext(
        settings=settings,
        redactor=redactor,
        options=options,
        http=seams.http,
        ws_connect=seams.ws_connect,
        ssl_context=seams.ssl_context,
        clock=clock,
        today=seams.today,
        deadline=clock() + settings.timeout,
        selected=frozenset(selected),
    )
    prepare(ctx)
    owned_client = _wire_transports(ctx, seams)
    try:
        order = [c.id for c in CHECKS if c.id in selected]
        tasks = {cid: asyncio.ensure_future(_run_one(ctx, cid)) for cid in order}
        for cid, task in tasks.items():
            task.add_done_callback(functools.partial(_publish, ctx, cid, on_result=on_result))
        # One deadline for the whole run: when it passes, whatever is unfinished
        # is judged by what it was waiting on at that moment, then cancelled.
        _, pending = await asyncio.wait(tasks.values(), timeout=max(ctx.remaining(), 0.001))
        late = {cid: _timed_out(ctx, cid) for cid, task in tasks.items() if task in pending}
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
        for task in ctx._shared.values():
            task.cancel()
        if owned_client is not None:
            await owned_client.aclose()


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
    """Build what was not injected: the SSL context, proxies, HTTP client and socket opener."""
    from realtime_check.probes import proxies, tls

    settings = ctx.settings
    plan = proxies.resolve_proxies(settings.base_url, settings.ws_url, settings.env)
    ctx.facts.proxy_plan = plan
    if ctx.ssl_context is None:
        try:
            ctx.ssl_context, ctx.facts.trust_source = tls.build_ssl_context(settings.ca_bundle, settings.env)
        except tls.TLSConfigError as exc:
            ctx.facts.tls_config_error = exc
            ctx.ssl_context = None
    owned = None
    if ctx.http is None:
        # httpx sets ALPN (h2) on the context it is given; the socket must not be
        # offered h2, so the HTTP client gets a context of its own.
        http_ssl = None
        if ctx.ssl_context is not None:
            http_ssl, _ = tls.build_ssl_context(settings.ca_bundle, settings.env)
        try:
            owned = ctx.http = build_http_client(http_ssl, plan.rest.url, settings.timeout)
        except (ImportError, ValueError) as exc:  # SOCKS without socksio, unsupported scheme (F12)
            ctx.facts.rest_proxy_error = exc
            owned = ctx.http = build_http_client(http_ssl, None, settings.timeout)
    if ctx.ws_connect is None:
        ctx.ws_connect = make_ws_connect(plan.ws.url)
    return owned
