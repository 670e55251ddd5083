"""Prerequisites shared by the checks that talk to the API, and how their failures defer to `network`.

A check whose prerequisite cannot hold is skipped with the reason instead of being run
into a wall (no key, unusable base URL). No check waits for the `network` probe before it
starts: every check opens its own connection at t = 0, and only a check that *failed* on
a path the probe found unreachable reads "see network", exactly as if it had waited —
one round trip saved on every healthy run, the same report on a broken one.
"""

from __future__ import annotations

from realtime_check.checks import results
from realtime_check.checks.context import CheckContext
from realtime_check.models import CheckResult, Status

_PATH_NAMES = {"rest": "API host", "ws": "Realtime socket host"}
NO_KEY = "skipped: no usable API key (see config)"
EPHEMERAL_KEY = "skipped: an ephemeral client secret only opens Realtime sockets"
BAD_BASE_URL = "skipped: the base URL is unusable (see config)"
# Reasons that hold whatever the network does: they are never rewritten to "see network".
_STATIC_REASONS = frozenset({NO_KEY, EPHEMERAL_KEY, BAD_BASE_URL})


async def api_blocker(ctx: CheckContext, *, needs_standard_key: bool, path: str = "rest") -> str | None:
    """Why an API check cannot run, or None if it can. Never waits for another check."""
    key = ctx.facts.key  # set by the runner from the config evaluation
    if key is None:
        return NO_KEY
    if needs_standard_key and key.startswith("ek_"):
        return EPHEMERAL_KEY
    if ctx.facts.base_url_invalid:
        return BAD_BASE_URL
    # Only what the network check already knows (it finishes first on a dead host).
    if _network_done(ctx) and path in ctx.facts.unreachable:
        return _see_network(path)
    return None


async def defer_to_network(ctx: CheckContext, result: CheckResult, path: str) -> CheckResult:
    """A failure on a path the `network` check finds unreachable is that check's to report.

    So is a skip for want of what another check on that path failed to get (the model
    list, the minted secret); skips for configuration reasons stand as they are.
    """
    if result.status not in (Status.FAIL, Status.SKIP) or result.summary in _STATIC_REASONS:
        return result
    if "network" not in ctx.selected:
        return result
    ctx.wait_note(result.id, "the network check")
    await ctx.result("network")
    if path not in ctx.facts.unreachable:
        return result
    return results.skipped(result.id, _see_network(path))


def _network_done(ctx: CheckContext) -> bool:
    return "network" in ctx.selected and ctx.result_future("network").done()


def _see_network(path: str) -> str:
    return f"skipped: the {_PATH_NAMES.get(path, path)} is unreachable (see network)"
