"""Prerequisites shared by the checks that talk to the API.

A check whose prerequisite cannot hold is skipped with the reason instead of
being run into a wall (no key, host unreachable).
"""

from __future__ import annotations

from realtime_check.checks.context import CheckContext


async def api_blocker(ctx: CheckContext, *, needs_standard_key: bool, path: str = "rest") -> str | None:
    """Why an API check cannot run, or None if it can."""
    key = ctx.facts.key  # set by the runner from the config evaluation
    if key is None:
        return "skipped: no usable API key (see config)"
    if needs_standard_key and key.startswith("ek_"):
        return "skipped: an ephemeral client secret only opens Realtime sockets"
    if ctx.facts.base_url_invalid:
        return "skipped: the base URL is unusable (see config)"
    network = await ctx.result("network")
    # The network check records which paths ("rest", "ws") it found unreachable.
    if network is not None and path in ctx.facts.unreachable:
        what = "API host" if path == "rest" else "Realtime socket host"
        return f"skipped: the {what} is unreachable (see network)"
    return None
