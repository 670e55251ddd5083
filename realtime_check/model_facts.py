"""What we know about OpenAI's realtime and transcription models, as data: the default ladder,
announced shutdowns and their successors, the GPT-Live model.

Pure (no I/O, no clock): callers pass `today`. Facts come from the 2026-11 protocol update
(shared/reference/protocol-update-2026-11.md §0, §1.1, §1.3). `/v1/models` `shutdown_date` is the
authoritative source at run time; this table is the fallback, so it carries its "as of" date.
Used by the run's checks, `realtime-check models` and the code scanner alike.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# The date these facts were last checked against OpenAI's deprecations page and SDK.
FACTS_AS_OF = dt.date(2026, 11, 30)
FACTS_SOURCE = "OpenAI deprecations page and openai-python 3.51.0"

# Realtime models to try, best first, when none is configured: the newest GA model the key can see.
LADDER: tuple[str, ...] = ("gpt-realtime-2.1", "gpt-realtime-2", "gpt-realtime-1.5", "gpt-realtime")
DEFAULT_MODEL = LADDER[0]

# GPT-Live is a separate voice API (/v1/live/sessions); this is the SDK's model literal.
GPT_LIVE_MODEL = "gpt-live-1"
# The recommended transcription model for live audio since the 2026-08 notice.
DEFAULT_TRANSCRIPTION_MODEL = "gpt-live-transcribe"
# Transcription models the Realtime API accepts in audio.input.transcription.model.
TRANSCRIPTION_MODELS: tuple[str, ...] = (
    "gpt-live-transcribe",
    "gpt-transcribe",
    "gpt-realtime-whisper",
    "gpt-4o-transcribe",
    "gpt-4o-mini-transcribe",
    "gpt-4o-mini-transcribe-2025-12-15",
    "gpt-4o-transcribe-diarize",
    "whisper-1",
)

# A retirement this close is urgent: the run warns, and --strict fails, well before the day.
RETIRING_SOON_DAYS = 30

_DATED = re.compile(r"-\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Retirement:
    """An announced (or past) shutdown of one model id."""

    model: str
    shutdown: dt.date
    successor: str | None
    # "listing": GET /v1/models shutdown_date; "table": this module, as of FACTS_AS_OF.
    source: str = "table"

    def days_left(self, today: dt.date) -> int:
        """Days until the shutdown; zero or less means the model is already gone."""
        return (self.shutdown - today).days

    def is_past(self, today: dt.date) -> bool:
        return self.days_left(today) <= 0

    def is_soon(self, today: dt.date) -> bool:
        return 0 < self.days_left(today) <= RETIRING_SOON_DAYS

    def source_note(self) -> str:
        """Where the date comes from, as shown to the user."""
        if self.source == "listing":
            return "shutdown_date from GET /v1/models"
        return f"built-in table as of {FACTS_AS_OF.isoformat()}"


_JAN_20 = dt.date(2027, 1, 20)
_FEB_26 = dt.date(2027, 2, 26)
_BETA_OFF = dt.date(2026, 5, 7)

# id -> (shutdown, successor). Dated snapshots of an alias are listed when OpenAI lists them.
_TABLE: dict[str, tuple[dt.date, str | None]] = {
    # Announced 2026-07-20 (SDK 3.51.0 docstring: "Announced shutdown date: 2027-01-20").
    "gpt-realtime": (_JAN_20, "gpt-realtime-2.1"),
    "gpt-realtime-2025-08-28": (_JAN_20, "gpt-realtime-2.1"),
    "gpt-realtime-mini": (_JAN_20, "gpt-realtime-2.1-mini"),
    "gpt-realtime-mini-2025-12-15": (_JAN_20, "gpt-realtime-2.1-mini"),
    # Not a realtime-named model, but in the same notice; the notice names no replacement.
    "gpt-audio-mini": (_JAN_20, None),
    "gpt-audio-mini-2025-12-15": (_JAN_20, None),
    # Announced 2026-08-26; gpt-live-transcribe is the recommended replacement for live audio.
    "whisper-1": (_FEB_26, DEFAULT_TRANSCRIPTION_MODEL),
    "gpt-4o-transcribe": (_FEB_26, DEFAULT_TRANSCRIPTION_MODEL),
    "gpt-4o-mini-transcribe": (_FEB_26, DEFAULT_TRANSCRIPTION_MODEL),
    "gpt-4o-mini-transcribe-2025-12-15": (_FEB_26, DEFAULT_TRANSCRIPTION_MODEL),
    "gpt-4o-transcribe-diarize": (_FEB_26, DEFAULT_TRANSCRIPTION_MODEL),
}
# Shut down with the beta interface; any dated snapshot of these families too.
_PREVIEW = re.compile(r"^gpt-4o(-mini)?-realtime-preview(-\d{4}-\d{2}-\d{2})?$")


def retirement(model_id: str) -> Retirement | None:
    """The built-in table's retirement of `model_id`, or None if none is known."""
    model_id = model_id.strip()
    if model_id in _TABLE:
        shutdown, succ = _TABLE[model_id]
        return Retirement(model_id, shutdown, succ)
    match = _PREVIEW.match(model_id)
    if match:
        return Retirement(model_id, _BETA_OFF, "gpt-realtime-2.1-mini" if match.group(1) else "gpt-realtime-2.1")
    return None


def successor(model_id: str) -> str | None:
    """What to move to from `model_id`: the announced replacement, else the newest model of its kind."""
    known = retirement(model_id)
    if known is not None and known.successor:
        return known.successor
    if is_transcription_model(model_id):
        return DEFAULT_TRANSCRIPTION_MODEL if model_id != DEFAULT_TRANSCRIPTION_MODEL else None
    if is_realtime_model(model_id):
        newest = "gpt-realtime-2.1-mini" if "mini" in model_id else DEFAULT_MODEL
        return newest if _undated(model_id) != newest else None
    return None


def from_listing(model_id: str, shutdown_date: object) -> Retirement | None:
    """The retirement of a model as `/v1/models` reports it, the table filling in when the field is empty.

    `shutdown_date` is the raw field (hostile: any JSON value); an unparseable one counts as absent.
    """
    day = parse_date(shutdown_date)
    if day is None:
        return retirement(model_id)
    return Retirement(model_id, day, successor(model_id), source="listing")


def parse_date(value: object) -> dt.date | None:
    """A YYYY-MM-DD (optionally followed by a time) or a Unix timestamp; anything else is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return dt.datetime.fromtimestamp(value, tz=dt.UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def ladder_choice(visible: set[str] | frozenset[str]) -> str | None:
    """The best ladder model among `visible` ids, or None when the key sees none of them."""
    return next((m for m in LADDER if m in visible), None)


def is_gpt_live(model_id: str) -> bool:
    """A GPT-Live model (its own API); gpt-live-transcribe is a Realtime transcription model despite its name."""
    return model_id.startswith("gpt-live-") and not is_transcription_model(model_id)


def is_transcription_model(model_id: str) -> bool:
    return model_id in TRANSCRIPTION_MODELS or "transcribe" in model_id or "whisper" in model_id


def is_realtime_model(model_id: str) -> bool:
    """A model for ?model= on /v1/realtime (gpt-realtime-whisper is transcription-only)."""
    if is_transcription_model(model_id) or is_gpt_live(model_id):
        return False
    return "realtime" in model_id or model_id.startswith("gpt-audio")


def _undated(model_id: str) -> str:
    return _DATED.sub("", model_id)
