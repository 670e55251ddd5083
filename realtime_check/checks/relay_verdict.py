"""Judging the user's relay from three views: what came through it, the direct socket, and (bridge doctor)
what the bridge sent upstream. Pure: no I/O; the relay check gathers the evidence and calls `judge`.

The relay's own outcome names the symptom; the direct check and the upstream view name the hop at fault.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from realtime_check.checks import results
from realtime_check.checks.context import UpstreamSocket
from realtime_check.diagnosis import classify
from realtime_check.diagnosis.bodies import parse_error_body
from realtime_check.models import CheckResult, Finding, Status
from realtime_check.probes import websocket as wsprobe

# Close codes a relay uses when it does not pass the upstream's on: normal, none given, dropped.
GENERIC_CLOSES = frozenset({1000, 1005, 1006})
# Headers only OpenAI's edge (or the emulator standing in for it) sets: their presence on a refused
# upgrade means the relay passed the upstream's answer through rather than refusing by itself.
_UPSTREAM_MARKERS = ("x-request-id", "openai-", "cf-ray")


def event_type(event: dict[str, object]) -> str:
    """An event's type for display: whatever a relay sends, short and a plain string."""
    kind = event.get("type")
    return kind[:80] if isinstance(kind, str) else repr(kind)[:40]


@dataclass(frozen=True)
class Judgement:
    finding: Finding
    summary: str
    hop: str  # "relay", "upstream", "both", "none" (it works) or "unknown"
    hop_statement: str


def upstream_closed(direct: CheckResult | None, upstream: Sequence[UpstreamSocket] | None) -> int | None:
    """The close code the upstream used, from the bridge doctor or else the direct check."""
    if upstream:
        return upstream[0].close_code
    if direct is not None and direct.failed:
        return direct.close_code
    return None


def judge(
    outcome: wsprobe.SocketOutcome,
    direct: CheckResult | None,
    upstream: Sequence[UpstreamSocket] | None,
    *,
    upstream_name: str = "OpenAI",
) -> Judgement:
    """The relay's verdict. `upstream` is None without the bridge doctor, empty if the bridge never connected."""
    finding, summary = _symptom(outcome, direct, upstream)
    finding, summary = _doctor_overrides(finding, summary, outcome, upstream)
    hop, statement = hop_of(finding, direct, upstream, upstream_name)
    return Judgement(finding, summary, hop, statement)


def _symptom(
    outcome: wsprobe.SocketOutcome, direct: CheckResult | None, upstream: Sequence[UpstreamSocket] | None
) -> tuple[Finding, str]:
    """What the client saw through the relay, as a finding (PASS only for session.created)."""
    first = upstream[0] if upstream else None
    if outcome.outcome == wsprobe.REFUSED:
        status = outcome.http_status or 0
        parsed = parse_error_body(outcome.body, outcome.headers.get("content-type"))
        if any(name.startswith(_UPSTREAM_MARKERS) for name in outcome.headers):
            found = classify.from_http("handshake", status, parsed, outcome.headers)
            return found, f"the relay passed on the upstream's HTTP {status}"
        diagnosis = "relay_auth_rejected" if status in (401, 403) else "relay_upgrade_refused"
        return Finding(diagnosis, error=parsed.error), f"the relay answered the upgrade with HTTP {status}"
    if outcome.outcome in (wsprobe.NON_JSON, wsprobe.BINARY):
        return Finding("relay_non_json_frame"), "the relay's first frame is not a JSON event"
    if outcome.outcome == wsprobe.SILENT:
        waited = ((outcome.elapsed_ms or 0) - (outcome.handshake_ms or 0)) / 1000
        quiet = f"the relay opened the socket, then sent nothing for {waited:.1f} s"
        if first is not None and first.error_code:
            return Finding("relay_swallowed_error"), f"{quiet}; upstream had sent error {first.error_code}"
        if first is not None and first.first_server_event == "session.created":
            return Finding("relay_dropped_session_created"), f"{quiet}; upstream had sent session.created"
        if upstream is None and direct is not None and direct.failed and direct.diagnosis:
            return Finding("relay_swallowed_error"), f"{quiet}; the direct socket fails with {direct.diagnosis}"
        return Finding("relay_silent"), quiet
    if outcome.outcome == wsprobe.CLOSED:
        code = outcome.close_code or 1006
        reason = f" {outcome.close_reason}" if outcome.close_reason else ""
        seen = f"the relay closed the socket before any event: {code}{reason}"
        real = upstream_closed(direct, upstream)
        if code in GENERIC_CLOSES and real is not None and real != code:
            return Finding("relay_close_code_replaced"), f"{seen}; upstream closed with {real}"
        if code in GENERIC_CLOSES and first is not None and first.error_code:
            return Finding("relay_swallowed_error"), f"{seen}; upstream had sent error {first.error_code}"
        if code in GENERIC_CLOSES and (upstream or (direct is not None and direct.status is Status.PASS)):
            return Finding("relay_closed_early"), seen
        found = classify.from_close(code, outcome.close_reason)
        return found, f"{seen} (passed through) — {results.describe_error(found, 'closed')}"
    event = outcome.event or {}
    kind = event_type(event)
    if kind == "error":
        found = classify.from_error_event(event)
        if found.diagnosis == "beta_api_shape_disabled":
            # realtime-check sent no beta header to the relay: whatever sent one is behind it.
            found = Finding("relay_adds_beta_header", error=found.error)
        return found, f"the relay forwarded an error event — {results.describe_error(found, 'error')}"
    if kind != "session.created":
        if first is not None and first.first_server_event == "session.created":
            return Finding("relay_dropped_session_created"), f"first event through the relay was {kind!r}"
        return Finding("relay_unexpected_first_event"), f"first event through the relay was {kind!r}"
    return Finding("relay_ok", Status.PASS), f"session.created through the relay in {outcome.first_event_ms:.0f} ms"


def _doctor_overrides(
    finding: Finding, summary: str, outcome: wsprobe.SocketOutcome, upstream: Sequence[UpstreamSocket] | None
) -> tuple[Finding, str]:
    """What the bridge doctor saw upstream outranks the symptom: it is the cause."""
    if upstream is None:
        return finding, summary
    if not upstream:
        status = Status.WARN if finding.status is Status.PASS else Status.FAIL
        return Finding("relay_no_upstream_connection", status), summary + "; the upstream emulator saw no socket"
    first = upstream[0]
    if first.beta_header:
        return Finding("relay_adds_beta_header", error=finding.error), summary + "; the bridge sent OpenAI-Beta"
    if first.auth == "none":
        return Finding("relay_upstream_no_auth", error=finding.error), summary + "; the bridge sent no credentials"
    return with_shape_advice(finding, upstream), summary


def with_shape_advice(finding: Finding, upstream: Sequence[UpstreamSocket] | None) -> Finding:
    """A failure gets one more line when the doctor saw the bridge send a beta-shaped session.update."""
    if not upstream or not upstream[0].rejected_session_fields or finding.status is Status.PASS:
        return finding
    fields = ", ".join(upstream[0].rejected_session_fields[:8])
    shape = (
        f"Your bridge's session.update has the beta shape ({fields}): send session.type = realtime, "
        "output_modalities, audio.input/audio.output (voice under audio.output)."
    )
    return replace(finding, extra_advice=(shape, *finding.extra_advice))


def hop_of(
    finding: Finding, direct: CheckResult | None, upstream: Sequence[UpstreamSocket] | None, upstream_name: str
) -> tuple[str, str]:
    """Which hop fails, said in one sentence."""
    relay_fails = finding.status is not Status.PASS
    relay_specific = finding.diagnosis.startswith("relay_")
    if direct is None or direct.status is Status.SKIP:
        if upstream is not None and relay_fails:
            return "relay", "The bridge doctor saw both ends: the fault is in the relay."
        return "unknown", "No direct comparison (no usable API key): the relay's answer is all there is."
    direct_ok = direct.status in (Status.PASS, Status.WARN)
    if direct_ok and relay_fails:
        return (
            "relay",
            f"{upstream_name} accepts this key and model directly; the relay fails: the fault is in the relay.",
        )
    if direct_ok:
        return "none", f"{upstream_name} accepts this key and model directly, and so does the relay."
    if not relay_fails:
        return (
            "none",
            f"The relay works; the direct socket with this key fails ({direct.diagnosis}): the relay uses its own "
            "credentials or model.",
        )
    if relay_specific:
        return (
            "both",
            f"The direct socket fails too ({direct.diagnosis}), and the relay makes it worse: fix both.",
        )
    return (
        "upstream",
        f"The direct socket fails the same way ({direct.diagnosis}): the fault is upstream of the relay (key, "
        "model or account), not in the relay.",
    )
