"""Rules for text that is not parsed as code: .env files, YAML/TOML config, docs code blocks of other
languages; and the one rule that reads everything, comments included: a hard-coded key."""

from __future__ import annotations

import datetime as dt
import re

from realtime_check.keys import lint
from realtime_check.scan.literals import scan_literal
from realtime_check.scan.match_tokens import BETA_EVENTS, SOFT_EVENTS
from realtime_check.scan.models import Edit, Hit, Severity

_QUOTED_EVENT = re.compile(r"([\"'])(" + "|".join(re.escape(name) for name in BETA_EVENTS) + r")\1")
_CLIENT_SECRET = re.compile(r"\bclient_secret(\??\.)value\b|\[[\"']client_secret[\"']\]\[[\"']value[\"']\]")
_BETA_MEMBER = re.compile(r"\bbeta\.realtime\b")
_COMMENT = re.compile(r"(?m)(?:^|(?<=\s))#[^\n]*")
KEY = re.compile(r"(?<![\w-])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}")


def blank_comments(text: str) -> str:
    """`#` comments (at a line start or after whitespace) replaced by spaces: offsets stay the same."""
    return _COMMENT.sub(lambda m: " " * len(m.group()), text)


def match_text(text: str, today: dt.date) -> list[Hit]:
    hits = scan_literal(text, 0, code=False, today=today)
    for match in _QUOTED_EVENT.finditer(text):
        name = match.group(2)
        ga = BETA_EVENTS[name]
        start = match.start(2)
        hits.append(
            Hit(
                "beta-event-name",
                start,
                match.end(2),
                f"beta event `{name}`" + (f": GA sends `{ga}`" if ga else ""),
                edit=Edit(start, match.end(2), ga) if ga else None,
                severity=Severity.WARNING if name in SOFT_EVENTS else None,
            )
        )
    for match in _CLIENT_SECRET.finditer(text):
        hits.append(
            Hit(
                "beta-client-secret-field",
                match.start(),
                match.end(),
                "`client_secret.value` is the beta response shape: GA returns `value` at the top level",
            )
        )
    for match in _BETA_MEMBER.finditer(text):
        hits.append(
            Hit(
                "sdk-beta-realtime",
                match.start(),
                match.end(),
                "`beta.realtime`: the SDK's beta client speaks the retired beta interface",
            )
        )
    return hits


def match_keys(text: str) -> list[Hit]:
    """OpenAI keys anywhere in the file, comments included; placeholders (`sk-xxxx…`, `sk-your-key-here`) are not keys."""
    if "sk-" not in text:
        return []
    hits = []
    for match in KEY.finditer(text):
        _, problems = lint(match.group())
        if any(p.diagnosis == "key_placeholder" for p in problems):
            continue
        hits.append(Hit("hardcoded-key", match.start(), match.end(), "an OpenAI API key is written into this file"))
    return hits
