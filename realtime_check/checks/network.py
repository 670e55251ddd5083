"""The `network` check: DNS, TCP, proxy and TLS to the API host (and the socket host, if different).

It gates the API checks: a host that cannot be reached skips them with the
reason, instead of three identical connection errors.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from realtime_check.checks import results
from realtime_check.checks.context import CheckContext
from realtime_check.diagnosis import catalog as diagnoses
from realtime_check.diagnosis.network_summary import network_summary
from realtime_check.models import CheckResult, Status
from realtime_check.network_facts import NetworkProbe
from realtime_check.probes.network import probe_network

CHECK_ID = "network"


def _http_form(ws_url: str) -> str:
    """The probe speaks TCP/TLS, so a ws(s) URL is probed as its http(s) twin."""
    parts = urlsplit(ws_url)
    scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
    return urlunsplit((scheme, parts.netloc, parts.path, "", ""))


def _endpoint(url: str) -> tuple[str, int | None]:
    parts = urlsplit(url)
    default = 443 if parts.scheme in ("https", "wss") else 80
    return (parts.hostname or "", parts.port or default)


def _problem_result(
    ctx: CheckContext, diagnosis_id: str, message: str, status: Status, details: dict[str, Any]
) -> CheckResult:
    diagnosis = diagnoses.get(diagnosis_id)
    return CheckResult(
        CHECK_ID,
        status,
        ctx.redactor.text(message),
        diagnosis=diagnosis.id,
        advice=tuple(ctx.redactor.text(a) for a in diagnosis.advice),
        details=ctx.redactor.value(details),
    )


async def run(ctx: CheckContext) -> CheckResult:
    if ctx.facts.base_url_invalid:
        ctx.facts.unreachable = frozenset({"rest", "ws"})
        return results.skipped(CHECK_ID, "skipped: the base URL is unusable (see config)")
    settings = ctx.settings
    plan = ctx.facts.proxy_plan
    details: dict[str, Any] = {
        "rest_proxy": plan.rest.describe(),
        "ws_proxy": plan.ws.describe(),
        "trust_store": ctx.facts.trust_source,
    }
    tls_error = ctx.facts.tls_config_error
    if tls_error is not None:
        ctx.facts.unreachable = frozenset({"rest", "ws"})
        return _problem_result(ctx, "ca_bundle_unreadable", str(tls_error), Status.FAIL, details)
    socks_error = ctx.facts.rest_proxy_error
    if socks_error is not None:
        ctx.facts.unreachable = frozenset({"rest"})
        return _problem_result(
            ctx,
            "proxy_socks_missing_socksio",
            f"the REST client cannot use the proxy: {socks_error}",
            Status.FAIL,
            details,
        )

    rest_url = settings.base_url
    ws_url = _http_form(settings.ws_url)
    same_route = _endpoint(rest_url) == _endpoint(ws_url) and plan.rest.url == plan.ws.url
    ctx.wait_note(CHECK_ID, f"DNS/TCP/TLS to {urlsplit(rest_url).hostname}")

    async def probe(url: str, proxy: str | None) -> NetworkProbe:
        return await probe_network(
            url, ssl_context=ctx.ssl_context, proxy=proxy, timeout=max(ctx.remaining(), 0.001), clock=ctx.clock
        )

    started = ctx.clock()
    if same_route:
        rest_probe = await probe(rest_url, plan.rest.url)
        ws_probe = rest_probe
    else:
        rest_probe, ws_probe = await asyncio.gather(probe(rest_url, plan.rest.url), probe(ws_url, plan.ws.url))
    duration = (ctx.clock() - started) * 1000

    unreachable = set()
    if not rest_probe.ok:
        unreachable.add("rest")
    if not ws_probe.ok:
        unreachable.add("ws")
    ctx.facts.unreachable = frozenset(unreachable)

    status, summary, advice, probe_details = network_summary(rest_probe)
    details.update(probe_details)
    if not same_route:
        ws_status, ws_summary, ws_advice, ws_details = network_summary(ws_probe)
        details["ws_probe"] = ws_details
        if rest_probe.ok and not ws_probe.ok:
            status, summary, advice = ws_status, f"socket host: {ws_summary}", ws_advice
            rest_probe = ws_probe  # report the failing one
        elif rest_probe.ok:
            summary += f" · socket host {urlsplit(ws_url).hostname} OK"
    if status is not Status.PASS:
        diagnosis = diagnoses.get(rest_probe.diagnosis or "unknown_error")
        return CheckResult(
            CHECK_ID,
            status,
            ctx.redactor.text(summary),
            duration_ms=duration,
            diagnosis=diagnosis.id if status is not Status.ERROR else "internal_error",
            advice=tuple(ctx.redactor.text(a) for a in (advice or diagnosis.advice)),
            details=ctx.redactor.value(details),
        )

    # Reachable; proxy configuration that will bite one transport is still worth a warning.
    if plan.problems:
        first = plan.problems[0]
        advice_lines = [f"Also: {p.message}" for p in plan.problems[1:]] + list(diagnoses.get(first.diagnosis).advice)
        return CheckResult(
            CHECK_ID,
            Status.WARN,
            ctx.redactor.text(f"{summary} · but: {first.message}"),
            duration_ms=duration,
            diagnosis=first.diagnosis,
            advice=tuple(ctx.redactor.text(a) for a in advice_lines),
            details=ctx.redactor.value(details),
        )
    return CheckResult(
        CHECK_ID, Status.PASS, ctx.redactor.text(summary), duration_ms=duration, details=ctx.redactor.value(details)
    )
