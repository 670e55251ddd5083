"""The scanner's view of model retirements: where a model id stands in text, and what the shared
model facts (realtime_check.model_facts) say about it.

The facts themselves (shutdown dates, successors) live in model_facts, which the live checks and
`realtime-check models` use too; this module only finds candidate ids in code and config.
"""

from __future__ import annotations

import re

from realtime_check.model_facts import Retirement, retirement

# A model-shaped word: gpt-… or whisper-…, dots allowed inside ("gpt-realtime-2.1"), so an id is
# matched whole and "gpt-realtime" is never found inside "gpt-realtime-2.1". A trailing dot
# (end of a sentence) is not part of the id.
MODEL_ID = re.compile(r"(?<![\w.-])((?:gpt|whisper)-[A-Za-z0-9]+(?:[.-][A-Za-z0-9]+)*)(?![\w-])")

# Lower-case text every candidate contains: a file with neither has no model finding (the scan's prefilter).
TRIGGERS = ("gpt-", "whisper-")


def retirement_of(model: str) -> Retirement | None:
    """The announced shutdown of `model` (an exact id), or None if none is known."""
    return retirement(model)
