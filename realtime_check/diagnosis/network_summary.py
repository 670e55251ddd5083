"""How a network probe's facts read: status, one-line summary, advice, details."""

from __future__ import annotations

from typing import Any

from realtime_check.diagnosis.catalog.network import BY_ID
from realtime_check.models import Status
from realtime_check.network_facts import NetworkProbe


def network_summary(probe: NetworkProbe) -> tuple[Status, str, tuple[str, ...], dict[str, Any]]:
    """(status, one-line summary, advice, details) for the check wrapper to turn into a CheckResult."""
    details = _details(probe)
    if probe.ok:
        return Status.PASS, _success_line(probe), (), details
    if probe.diagnosis is None:
        return Status.ERROR, probe.message or "network probe failed", (), details
    diagnosis = BY_ID.get(probe.diagnosis)
    advice = diagnosis.advice if diagnosis is not None else ()
    return Status.FAIL, probe.message or (diagnosis.title if diagnosis else probe.diagnosis), advice, details


def _success_line(probe: NetworkProbe) -> str:
    steps = {s.name: s for s in probe.steps}
    parts: list[str] = []
    if probe.proxy:
        head = f"{probe.host} via {'SOCKS ' if probe.proxy_kind == 'socks' else ''}proxy {probe.proxy}"
        if probe.connected_to and probe.connected_to != probe.resolved_host:
            head += f" ({probe.connected_to})"
    else:
        head = f"{probe.host} → {probe.connected_to or '?'}"
    parts.append(head)
    # Each step's time is in the details (-v, JSON) and the whole in the duration column:
    # the line names the route and the trust, and keeps to one line at 80 columns.
    if "proxy_tls" in steps and steps["proxy_tls"].ok:
        parts.append("proxy over TLS")
    if probe.tls is not None:
        version = (probe.tls.version or "TLS").replace("TLSv", "TLS ")
        issuer = f" (issuer: {probe.tls.issuer})" if probe.tls.issuer else ""
        parts.append(f"{version}{issuer}")
    elif probe.proxy_kind == "socks":
        parts.append("tunnel not probed")
    elif not probe.tls_expected:
        parts.append("plain HTTP, no TLS")
    return " · ".join(parts)


def _details(probe: NetworkProbe) -> dict[str, Any]:
    return {
        "host": probe.host,
        "port": probe.port,
        "proxy": probe.proxy,
        "resolved_host": probe.resolved_host,
        "addresses": [{"ip": a.ip, "family": a.family} for a in probe.addresses],
        "connected_to": probe.connected_to,
        "steps": [{"name": s.name, "ok": s.ok, "ms": s.ms, "detail": s.detail} for s in probe.steps],
        "tls": None
        if probe.tls is None
        else {
            "version": probe.tls.version,
            "cipher": probe.tls.cipher,
            "issuer": probe.tls.issuer,
            "sni": probe.tls.sni,
            "ms": probe.tls.ms,
            "alpn": probe.tls.alpn,
        },
        "diagnosis": probe.diagnosis,
        "exception_type": probe.exception_type,
    }
