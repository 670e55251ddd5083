"""Which realtime model this run tests: the configured one, or the best the key can see.

With no model configured (flag, env, .env) the run does not assume a model: it walks the ladder in
model_facts (newest first) over `GET /v1/models` and takes the first the key can see. The choice
is made once per run and shared by every check that names a model (models, session, websocket).
"""

from __future__ import annotations

from dataclasses import dataclass

from realtime_check import model_facts
from realtime_check.checks.api_key import model_listing
from realtime_check.checks.context import CheckContext
from realtime_check.checks.gates import api_blocker


@dataclass(frozen=True)
class ModelChoice:
    model: str
    configured: bool  # False: picked by the ladder (or its top rung as a fallback)
    # Shown as the model's provenance in the report header.
    why: str
    # The ladder found only models with an announced shutdown (the successor is not enabled).
    retiring_only: bool = False


def configured(ctx: CheckContext) -> bool:
    return ctx.settings.model_source != "default"


async def chosen_model(ctx: CheckContext) -> ModelChoice:
    """The model this run tests (waits for the model list when it has to choose)."""

    async def choose() -> ModelChoice:
        settings = ctx.settings
        if configured(ctx):
            return ModelChoice(settings.model, True, f"from {settings.model_source}")
        if ctx.facts.azure:
            # Azure takes deployment names, which no ladder can guess.
            return ModelChoice(settings.model, False, "default (Azure: set --model to your deployment name)")
        blocked = await api_blocker(ctx, needs_standard_key=True)
        if blocked:
            return ModelChoice(model_facts.DEFAULT_MODEL, False, "default: newest on the ladder (model list not read)")
        listing = await model_listing(ctx)
        if listing.models is None:
            return ModelChoice(
                model_facts.DEFAULT_MODEL, False, "default: newest on the ladder (model list not available)"
            )
        visible = frozenset(m["id"] for m in listing.models)
        picked = model_facts.ladder_choice(visible)
        if picked is None:
            return ModelChoice(
                model_facts.DEFAULT_MODEL, False, "default: newest on the ladder (no ladder model is visible)"
            )
        entry = next(m for m in listing.models if m["id"] == picked)
        retiring = model_facts.from_listing(picked, entry.get("shutdown_date")) is not None
        return ModelChoice(picked, False, "chosen: newest visible", retiring_only=retiring)

    choice: ModelChoice = await ctx.once("model_choice", choose)
    return choice
