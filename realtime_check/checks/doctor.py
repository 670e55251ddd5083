"""One run, start to finish: settings in, finished Report out. No printing, no exiting."""

from __future__ import annotations

import asyncio
import datetime as dt
import time

from realtime_check import __version__, exit_codes, keys
from realtime_check.checks import CHECKS
from realtime_check.checks.context import RunOptions
from realtime_check.checks.runner import OnResult, Seams, run_checks
from realtime_check.diagnosis import catalog as diagnoses
from realtime_check.models import CheckResult, Report, Setting, Target
from realtime_check.redact import Redactor
from realtime_check.sanitize import LONG, clean
from realtime_check.settings import Settings


def make_redactor(settings: Settings) -> Redactor:
    """A redactor that knows every secret of this run before anything runs."""
    from realtime_check.probes.proxies import proxy_secrets

    redactor = Redactor(settings.api_key)
    for secret in proxy_secrets(settings.env):
        redactor.add(secret)
    return redactor


def target_of(settings: Settings, redactor: Redactor, results: list[CheckResult] | None = None) -> Target:
    """The report header. Redacted too: a base URL can carry a password or a pasted key.

    With no model configured the header shows the model the run chose, and why.
    """
    model, provenance = settings.model, settings.provenance
    choice = chosen_model_of(results or [])
    if choice is not None:
        model = choice["model"]
        provenance = tuple(
            Setting("model", model, choice["why"]) if s.name == "model" else s for s in settings.provenance
        )
    residency = residency_setting(settings.base_url)
    if residency is not None:
        provenance = (*provenance, residency)

    def shown(value: str) -> str:
        # Settings can come from a cloned repository's .env: controls escaped like server text.
        return clean(value, redactor, LONG)

    return Target(
        base_url=shown(settings.base_url),
        ws_url=shown(settings.ws_url),
        model=shown(model),
        key=keys.display(settings.api_key),
        settings=tuple(
            Setting(s.name, shown(s.value) if s.value is not None else None, shown(s.source)) for s in provenance
        ),
    )


def chosen_model_of(results: list[CheckResult]) -> dict[str, str] | None:
    """The model a run chose from the ladder (recorded by the checks that used it), or None if configured."""
    for result in results:
        choice = result.details.get("model_choice")
        if isinstance(choice, dict) and not choice.get("configured") and isinstance(choice.get("model"), str):
            return {"model": choice["model"], "why": str(choice.get("why", "chosen"))}
    return None


def residency_setting(base_url: str) -> Setting | None:
    """The data residency the base URL implies, for the header (None for hosts that are not OpenAI's)."""
    from realtime_check import residency

    region = residency.region_of(base_url)
    if region is None:
        return None
    return Setting("residency", residency.describe(region), "derived from base_url")


def finish(
    settings: Settings,
    results: list[CheckResult],
    *,
    started_at: dt.datetime,
    duration_ms: float,
    fail_on_warn: bool,
    demo: str | None = None,
    redactor: Redactor | None = None,
    not_selected: tuple[str, ...] = (),
) -> Report:
    code = exit_codes.compute(results, diagnoses.category_of, fail_on_warn=fail_on_warn)
    return Report(
        tool_version=__version__,
        started_at=started_at.isoformat(timespec="seconds").replace("+00:00", "Z"),
        duration_ms=duration_ms,
        target=target_of(settings, redactor or make_redactor(settings), results),
        checks=tuple(results),
        exit_code=int(code),
        ok=code is exit_codes.ExitCode.OK,
        strict=fail_on_warn,
        demo=demo,
        not_selected=not_selected,
    )


def run(
    settings: Settings,
    options: RunOptions,
    selected: list[str],
    *,
    fail_on_warn: bool = False,
    seams: Seams | None = None,
    on_result: OnResult | None = None,
    demo: str | None = None,
    redactor: Redactor | None = None,
) -> Report:
    redactor = redactor or make_redactor(settings)
    started_at = dt.datetime.now(dt.UTC)
    started = time.perf_counter()
    results = asyncio.run(run_checks(settings, options, selected, redactor, seams=seams, on_result=on_result))
    duration_ms = (time.perf_counter() - started) * 1000
    return finish(
        settings,
        results,
        started_at=started_at,
        duration_ms=duration_ms,
        fail_on_warn=fail_on_warn,
        demo=demo,
        redactor=redactor,
        not_selected=tuple(c.id for c in CHECKS if c.default and c.id not in selected),
    )
