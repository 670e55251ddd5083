"""The diagnosis table: every failure realtime-check can name, why it happens and what to do.

Pure data split by stage (config, network, http, access, status, handshake, websocket, events, deep, generic);
this module joins the parts and answers `get`, `category_of` and `lookup` (`realtime-check explain TERM`).
"""

from __future__ import annotations

import re

from realtime_check.diagnosis.catalog import (
    access,
    azure,
    config,
    currency,
    deep,
    events,
    gateway,
    generic,
    handshake,
    http,
    models,
    network,
    relay,
    residency,
    status,
    webrtc,
    websocket,
)
from realtime_check.diagnosis.catalog._base import Matcher
from realtime_check.models import Category, Diagnosis

__all__ = ["Matcher", "all_diagnoses", "category_of", "exists", "get", "lookup", "matcher"]

UNKNOWN_ID = "unknown_error"

# Order matters only for ties in `lookup`: earlier stages first.
_MODULES = (
    config,
    models,
    residency,
    network,
    http,
    access,
    azure,
    gateway,
    status,
    handshake,
    websocket,
    events,
    deep,
    webrtc,
    relay,
    currency,
    generic,
)


def _build() -> tuple[dict[str, Diagnosis], dict[str, Matcher]]:
    table: dict[str, Diagnosis] = {}
    matchers: dict[str, Matcher] = {}
    for module in _MODULES:
        module_matchers = module.MATCHERS
        for diagnosis in module.DIAGNOSES:
            # First definition wins; tests/test_diagnoses.py fails on any duplicate id.
            if diagnosis.id not in table:
                table[diagnosis.id] = diagnosis
                matchers[diagnosis.id] = module_matchers.get(diagnosis.id, Matcher())
    return table, matchers


_TABLE, _MATCHERS = _build()


def get(diagnosis_id: str | None) -> Diagnosis:
    """The diagnosis with this id; unknown or missing ids give the generic `unknown_error`."""
    return _TABLE.get(diagnosis_id or "", _TABLE[UNKNOWN_ID])


def exists(diagnosis_id: str) -> bool:
    return diagnosis_id in _TABLE


def category_of(diagnosis_id: str | None) -> Category:
    """The failure class of a diagnosis id (what exit_codes.compute maps to an exit code)."""
    return get(diagnosis_id).category


def all_diagnoses() -> list[Diagnosis]:
    return list(_TABLE.values())


def matcher(diagnosis_id: str) -> Matcher:
    """The lookup keys of a diagnosis (empty for entries that declare none)."""
    return _MATCHERS.get(diagnosis_id, Matcher())


_F_ID = re.compile(r"^f0*(\d{1,2})$")
_CLOSE_REASON = re.compile(r"^[a-z_]+\.([a-z0-9_]+)$")


def lookup(term: str) -> list[Diagnosis]:
    """Diagnoses matching a term, best first.

    The term may be a diagnosis id, an API error code or type, an HTTP status, a WebSocket close
    code, a close reason ("invalid_request_error.invalid_model"), a docs/failures.md id ("F36"), or a
    fragment of an error message. Case-insensitive.
    """
    t = " ".join(term.strip().strip("\"'`").lower().split())
    t = re.sub(r"^(http|status|close|code)\s+", "", t)
    if not t:
        return []
    reason = _CLOSE_REASON.match(t)
    code_term = reason.group(1) if reason else t
    f_match = _F_ID.match(t)
    f_id = f"F{int(f_match.group(1)):02d}" if f_match else None
    number = int(t) if t.isdigit() and len(t) <= 4 else None

    scored: list[tuple[float, int, Diagnosis]] = []
    for index, diagnosis in enumerate(_TABLE.values()):
        score = _score(diagnosis, _MATCHERS[diagnosis.id], t, code_term, f_id, number)
        if score:
            scored.append((-score, index, diagnosis))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [diagnosis for _, _, diagnosis in scored]


def _score(d: Diagnosis, m: Matcher, t: str, code_term: str, f_id: str | None, number: int | None) -> float:
    """How well one diagnosis answers the term (0 = not at all).

    Text matches respect word boundaries, so "ENOTFOUND" does not find "ModuleNotFoundError".
    Among text matches the longer (more specific) key wins a tie.
    """
    scores: list[float] = [0]
    if d.id == t:
        scores.append(100)
    codes = [c.lower() for c in m.error_codes]
    if code_term in codes:
        scores.append(90)
    elif any(_has_words(t, code) for code in codes):  # a pasted body that names the code
        scores.append(60)
    if f_id is not None and f_id in d.failures:
        # The entry whose main failure mode this is comes before those that merely mention it.
        scores.append(85 if d.failures[0] == f_id else 70)
    if number is not None:
        if number in m.close_codes:
            scores.append(80)
        if number in m.http_statuses:
            scores.append(75 if m.bare_status else 60)
    if code_term in (x.lower() for x in m.error_types):
        scores.append(50)
    for term in m.terms:
        lowered = term.lower()
        specific = min(len(lowered), 99) / 1000
        if lowered == t:
            scores.append(65)
        elif len(lowered) >= 3 and _has_words(t, lowered):  # a pasted error message containing the term
            scores.append(55 + specific)
        elif len(t) >= 3 and _has_words(lowered, t):
            scores.append(40 + specific)
    if len(t) >= 3 and number is None and f_id is None:
        if _has_words(d.id, t):
            scores.append(30)
        elif _has_words(d.title.lower(), t):
            scores.append(20)
    return max(scores)


def _has_words(text: str, words: str) -> bool:
    """Whether `words` occurs in `text` with no letter or digit glued to either end
    (underscores, dots, quotes and spaces separate), both already lower-case."""
    start = text.find(words)
    while start != -1:
        end = start + len(words)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() and words[0].isalnum()) and not (after.isalnum() and words[-1].isalnum()):
            return True
        start = text.find(words, start + 1)
    return False
