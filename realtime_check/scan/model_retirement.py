"""Which Realtime-related model ids are retired or retiring, and what replaces them.

A minimal table of our own, behind `retirement_of`, until the shared model-facts module
lands; swapping it means changing this one function. Source:
shared/reference/protocol-update-2026-11.md §1.1 (SDK 3.51.0 docstrings) and protocol.md §2.6.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Retirement:
    model: str
    shutdown: dt.date
    successor: str | None  # None: no announced one-for-one replacement


_REALTIME_SHUTDOWN = dt.date(2027, 1, 20)
_TRANSCRIBE_SHUTDOWN = dt.date(2027, 2, 26)
_PREVIEW_SHUTDOWN = dt.date(2026, 5, 7)  # the gpt-4o preview realtime models and the beta interface

# Preview ids keep a dated suffix family; matched as a family, the rest by exact id.
_PREVIEW_FAMILIES = (
    (re.compile(r"gpt-4o-realtime-preview(?:-\d{4}-\d{2}-\d{2})?"), "gpt-realtime-2.1"),
    (re.compile(r"gpt-4o-mini-realtime-preview(?:-\d{4}-\d{2}-\d{2})?"), "gpt-realtime-2.1-mini"),
)

_EXACT: dict[str, Retirement] = {
    r.model: r
    for r in (
        Retirement("gpt-realtime", _REALTIME_SHUTDOWN, "gpt-realtime-2.1"),
        Retirement("gpt-realtime-2025-08-28", _REALTIME_SHUTDOWN, "gpt-realtime-2.1"),
        Retirement("gpt-realtime-mini", _REALTIME_SHUTDOWN, "gpt-realtime-2.1-mini"),
        Retirement("gpt-realtime-mini-2025-12-15", _REALTIME_SHUTDOWN, "gpt-realtime-2.1-mini"),
        Retirement("gpt-audio-mini", _REALTIME_SHUTDOWN, None),
        Retirement("gpt-audio-mini-2025-12-15", _REALTIME_SHUTDOWN, None),
        Retirement("whisper-1", _TRANSCRIBE_SHUTDOWN, "gpt-live-transcribe"),
        Retirement("gpt-4o-transcribe", _TRANSCRIBE_SHUTDOWN, "gpt-live-transcribe"),
        Retirement("gpt-4o-mini-transcribe", _TRANSCRIBE_SHUTDOWN, "gpt-live-transcribe"),
        Retirement("gpt-4o-mini-transcribe-2025-12-15", _TRANSCRIBE_SHUTDOWN, "gpt-live-transcribe"),
        Retirement("gpt-4o-transcribe-diarize", _TRANSCRIBE_SHUTDOWN, None),
    )
}

# Every id above, longest first so "gpt-realtime-mini" wins over "gpt-realtime"; an id must
# stand alone: "gpt-realtime" inside "gpt-realtime-2.1" is another model.
MODEL_ID = re.compile(
    r"(?<![\w.-])("
    + "|".join(
        [p.pattern for p, _ in _PREVIEW_FAMILIES] + [re.escape(m) for m in sorted(_EXACT, key=len, reverse=True)]
    )
    + r")(?![\w-]|\.\d)"
)


# Lower-case text every id above contains: a file with none of them has no model finding (the scan's prefilter).
TRIGGERS = ("gpt-4o", "gpt-realtime", "gpt-audio", "whisper-1")


def retirement_of(model: str) -> Retirement | None:
    """The announced shutdown of `model` (an exact id), or None if none is known."""
    if model in _EXACT:
        return _EXACT[model]
    for family, successor in _PREVIEW_FAMILIES:
        if family.fullmatch(model):
            return Retirement(model, _PREVIEW_SHUTDOWN, successor)
    return None
