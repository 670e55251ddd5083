"""Rules decided on the token stream of Python or JS/TS/JSON code: literals plus the few tokens around them.

What "the few tokens around" buys: a header is a key/value pair (`"OpenAI-Beta": "realtime=v1"`),
`client_secret.value` is a member chain, and a beta session field is a *key* of an object that is a
session (its owner is `session: {…}`, `sessionConfig = {…}`, `updateSession({…})`) — `voice` in
another object is not a finding.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from realtime_check.scan.literals import scan_literal
from realtime_check.scan.models import Edit, Hit, Severity
from realtime_check.scan.tokens import Kind, Token

# Beta event → GA event (None: no one-for-one rename, the fix needs judgement).
BETA_EVENTS: dict[str, str | None] = {
    "response.audio.delta": "response.output_audio.delta",
    "response.audio.done": "response.output_audio.done",
    "response.text.delta": "response.output_text.delta",
    "response.text.done": "response.output_text.done",
    "response.audio_transcript.delta": "response.output_audio_transcript.delta",
    "response.audio_transcript.done": "response.output_audio_transcript.done",
    "conversation.item.created": "conversation.item.added",
    "transcription_session.update": None,
}
# Still listed in the GA spec, so a listener may fire: a warning, not an error.
SOFT_EVENTS = {"conversation.item.created"}

# Fields only the beta session had: a finding wherever they are an object key.
BETA_ONLY_FIELDS = {
    "input_audio_format": '`audio.input.format` ({type: "audio/pcm", rate: 24000})',
    "output_audio_format": "`audio.output.format`",
    "input_audio_transcription": "`audio.input.transcription`",
    "max_response_output_tokens": "`max_output_tokens`",
}
# Fields GA moved or removed: a finding only at the top of a session object.
SESSION_TOP_FIELDS = {
    "modalities": '`output_modalities` (["audio"] or ["text"], not both)',
    "voice": "`audio.output.voice`",
    "turn_detection": "`audio.input.turn_detection`",
    "temperature": "nothing: GA sessions have no temperature",
}
_FIELDS = frozenset(BETA_ONLY_FIELDS) | frozenset(SESSION_TOP_FIELDS)
_CHAIN_HEADS = frozenset({"beta", "client_secret"})
_SESSION_OWNER = re.compile(r"(?i)session")
_REALTIME_FILE = re.compile(r"(?i)realtime|session\.update|input_audio_buffer")
_HEADER_NAME = re.compile(r"(?i)^\s*openai-beta\s*$")
_HEADER_VALUE = re.compile(r"(?i)^\s*realtime=v1\s*$")
_MEMBER = (".", "?.")
# The whole literal is an https URL whose path ends at /v1/realtime (GA WebRTC goes to /v1/realtime/calls).
_BETA_WEBRTC_URL = re.compile(r"https://[^\s/'\"`]+/v1/realtime(?:\?[^\s'\"`]*)?$")


def match_tokens(text: str, tokens: list[Token], today: dt.date) -> list[Hit]:
    realtime_file = _REALTIME_FILE.search(text) is not None
    webrtc_file: bool | None = None  # does the code (not a comment) handle SDP? decided on first need
    hits: list[Hit] = []
    stack: list[tuple[str, _Object | None]] = []  # open brackets; for `{`, what the object is known to hold
    for i, tok in enumerate(tokens):
        if tok.kind is Kind.OP:
            if tok.text in ("{", "[", "("):
                stack.append((tok.text, _Object(_owner(tokens, i)) if tok.text == "{" else None))
            elif tok.text in ("}", "]", ")") and stack:
                _, closed = stack.pop()
                if closed is not None and closed.voice is not None and closed.beta_fields:
                    hits.append(closed.voice)
            continue
        if tok.kind is Kind.NAME:
            if tok.text in _CHAIN_HEADS:
                hits.extend(_member_chains(tokens, i))
        elif tok.kind is Kind.STR:
            hits.extend(_literal(text, tokens, i, today, realtime_file))
            if tok.text.startswith("https://") and _BETA_WEBRTC_URL.match(tok.text):
                if webrtc_file is None:
                    webrtc_file = any("sdp" in t.text.lower() for t in tokens if t.kind in (Kind.STR, Kind.NAME))
                if webrtc_file:
                    hits.extend(_beta_webrtc_url(tok))
        if stack and (frame := stack[-1][1]) is not None and tok.text in _FIELDS and _is_key(tokens, i):
            found = _session_field(tok, frame.owner, realtime_file)
            if found and tok.text == "voice" and frame.owner != "session":
                # SDK configs (the Agents SDK's sessionConfig) take a top-level voice too: only an object
                # that also holds a beta field is a beta session.
                frame.voice = found[0]
            else:
                frame.beta_fields = frame.beta_fields or bool(found)
                hits.extend(found)
    return hits


@dataclass
class _Object:
    """An object literal being read: whose it is, and what decides about a top-level `voice` in it."""

    owner: str | None
    beta_fields: bool = False
    voice: Hit | None = None


def _at(tokens: list[Token], i: int) -> Token | None:
    return tokens[i] if 0 <= i < len(tokens) else None


def _is_op(tok: Token | None, *ops: str) -> bool:
    return tok is not None and tok.kind is Kind.OP and tok.text in ops


def _owner(tokens: list[Token], i: int) -> str | None:
    """The name an object literal opened at tokens[i] belongs to: its key, variable, callee or type."""
    before, before2 = _at(tokens, i - 1), _at(tokens, i - 2)
    if before is None:
        return None
    if _is_op(before, ":", "=") and before2 is not None and before2.kind in (Kind.NAME, Kind.STR):
        return before2.text
    if _is_op(before, "(") and before2 is not None and before2.kind is Kind.NAME:
        return before2.text
    if before.kind is Kind.NAME and before2 is not None and before2.text in ("interface", "class"):
        return before.text
    return None


def _is_key(tokens: list[Token], i: int) -> bool:
    tok = tokens[i]
    if tok.kind not in (Kind.NAME, Kind.STR):
        return False
    before, after = _at(tokens, i - 1), _at(tokens, i + 1)
    if not _is_op(before, "{", ",", ";"):
        return False
    if _is_op(after, ":"):
        return True
    if _is_op(after, "?") and _is_op(_at(tokens, i + 2), ":"):  # TypeScript optional member
        return True
    return tok.kind is Kind.NAME and _is_op(after, ",", "}")  # JS shorthand { voice, modalities }


def _session_field(key: Token, owner: str | None, realtime_file: bool) -> list[Hit]:
    name = key.text
    if name in BETA_ONLY_FIELDS:
        return [
            Hit(
                "beta-session-field",
                key.start,
                key.end,
                f"beta session field `{name}`: GA uses {BETA_ONLY_FIELDS[name]}",
            )
        ]
    if not realtime_file or owner is None or name not in SESSION_TOP_FIELDS:
        return []
    if _SESSION_OWNER.search(owner) or (name == "modalities" and owner == "response"):
        where = "response.create" if owner == "response" else "the session"
        return [
            Hit(
                "beta-session-field",
                key.start,
                key.end,
                f"`{name}` at the top of {where}: GA uses {SESSION_TOP_FIELDS[name]}",
            )
        ]
    return []


def _member_chains(tokens: list[Token], i: int) -> list[Hit]:
    tok, dot, nxt = tokens[i], _at(tokens, i + 1), _at(tokens, i + 2)
    if dot is None or nxt is None or not _is_op(dot, *_MEMBER) or nxt.kind is not Kind.NAME:
        return []
    if tok.text == "beta" and nxt.text == "realtime":
        return [
            Hit(
                "sdk-beta-realtime",
                tok.start,
                nxt.end,
                "`beta.realtime`: the SDK's beta client speaks the retired beta interface",
            )
        ]
    if tok.text == "client_secret" and nxt.text == "value":
        before = _at(tokens, i - 1)
        edit = Edit(tok.start, nxt.start, "") if _is_op(before, *_MEMBER) else None
        return [
            Hit(
                "beta-client-secret-field",
                tok.start,
                nxt.end,
                "`client_secret.value` is the beta response shape: GA returns `value` at the top level",
                edit=edit,
            )
        ]
    return []


def _literal(text: str, tokens: list[Token], i: int, today: dt.date, realtime_file: bool) -> list[Hit]:
    tok = tokens[i]
    after = _at(tokens, i + 1)
    continues = (
        _is_op(after, "+")
        or text.startswith("${", tok.end)
        or (
            _is_op(after, "{") and after is not None and after.start == tok.end  # Python 3.12 f-string hole
        )
    )

    def context() -> str:
        line_start = text.rfind("\n", 0, tok.group_start) + 1
        line_end = text.find("\n", tok.group_end)
        return text[line_start : line_end if line_end != -1 else len(text)]

    hits = scan_literal(tok.text, tok.content_start, code=True, today=today, continues=continues, context=context)
    hits = [_with_element_removal(text, h, tokens, i) if h.rule == "beta-header" else h for h in hits]
    if _HEADER_NAME.match(tok.text):
        hits.extend(_header_pair(text, tokens, i))
    if tok.text in BETA_EVENTS and realtime_file:
        hits.extend(_beta_event(tok))
    hits.extend(_client_secret_subscript(tokens, i))
    return hits


def _beta_webrtc_url(tok: Token) -> list[Hit]:
    """`https://…/v1/realtime` (plus a query) in a file that handles SDP: the beta WebRTC offer URL."""
    match = _BETA_WEBRTC_URL.match(tok.text)
    if match is None:
        return []
    return [
        Hit(
            "beta-sessions-endpoint",
            tok.content_start,
            tok.content_start + match.end(),
            "beta WebRTC URL: GA takes the SDP offer at /v1/realtime/calls",
        )
    ]


def _beta_event(tok: Token) -> list[Hit]:
    ga = BETA_EVENTS[tok.text]
    soft = tok.text in SOFT_EVENTS
    if ga is None:
        message = f'beta event `{tok.text}`: GA sends `session.update` with session.type "transcription"'
    else:
        message = f"beta event `{tok.text}`: the GA server sends `{ga}`" + (
            " (and `conversation.item.done`); the old name is still listed in the spec" if soft else ", never this"
        )
    return [
        Hit(
            "beta-event-name",
            tok.content_start,
            tok.content_start + len(tok.text),
            message,
            fix=f"Listen for `{ga}`." if ga else None,
            edit=Edit(tok.content_start, tok.content_start + len(tok.text), ga) if ga else None,
            severity=Severity.WARNING if soft else None,
        )
    ]


def _header_pair(text: str, tokens: list[Token], i: int) -> list[Hit]:
    """`"OpenAI-Beta": "realtime=v1"`, `("OpenAI-Beta", "realtime=v1")`, `.set("OpenAI-Beta", "realtime=v1")`."""
    key = tokens[i]
    j = i + 1
    while j < len(tokens) and j <= i + 3 and _is_op(tokens[j], ":", ",", "]", "=", "=>"):
        j += 1
    value = _at(tokens, j)
    if value is None or value.kind is not Kind.STR or not _HEADER_VALUE.match(value.text):
        return []
    return [
        Hit("beta-header", key.start, value.end, "`OpenAI-Beta: realtime=v1` header", edit=_removal(text, tokens, i, j))
    ]


def _with_element_removal(text: str, hit: Hit, tokens: list[Token], i: int) -> Hit:
    """A whole-literal header/subprotocol string in a list: removing the element is the mechanical fix."""
    tok = tokens[i]
    if hit.start != tok.content_start or hit.end != tok.content_start + len(tok.text):
        return hit
    return Hit(hit.rule, hit.start, hit.end, hit.message, hit.fix, _removal(text, tokens, i, i), hit.severity)


def _removal(text: str, tokens: list[Token], first: int, last: int) -> Edit | None:
    """Remove tokens[first..last] as one element of an object, list or tuple, with one separating comma;
    a line left empty goes too."""
    span = _element_span(tokens, first, last)
    if span is None:
        return None
    start, end = span
    while end < len(text) and text[end] in " \t":
        end += 1
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    if not text[line_start:start].strip() and not text[end:line_end].strip():
        return Edit(line_start, min(line_end + 1, len(text)), "")
    return Edit(start, end, "")


def _element_span(tokens: list[Token], first: int, last: int) -> tuple[int, int] | None:
    before, after = _at(tokens, first - 1), _at(tokens, last + 1)
    pairs = {"(": ")", "[": "]"}
    if before is not None and after is not None and _is_op(before, "(", "[") and after.text == pairs[before.text]:
        outer_before, outer_after = _at(tokens, first - 2), _at(tokens, last + 2)
        if _is_op(outer_before, ",", "[", "(") or _is_op(outer_after, ","):  # a (name, value) pair in a list
            return _element_span(tokens, first - 1, last + 1)
        return None
    start, end = tokens[first].start, tokens[last].end
    if after is not None and _is_op(after, ","):
        return start, after.end
    if before is not None and _is_op(before, ","):
        return before.start, end
    if _is_op(before, "{", "[", "(") and _is_op(after, "}", "]", ")"):
        return start, end
    return None


def _client_secret_subscript(tokens: list[Token], i: int) -> list[Hit]:
    """`["client_secret"]["value"]` and `.get("client_secret", {}).get("value")`."""
    tok = tokens[i]
    if tok.text != "client_secret":
        return []
    before = _at(tokens, i - 1)
    if _is_op(before, "[") and _is_op(_at(tokens, i + 1), "]"):
        j = i + 2
        if _is_op(_at(tokens, j), "?."):
            j += 1
        if _is_op(_at(tokens, j), "[") and _text(_at(tokens, j + 1)) == "value" and _is_op(_at(tokens, j + 2), "]"):
            assert before is not None
            return [
                Hit(
                    "beta-client-secret-field",
                    before.start,
                    tokens[j + 2].end,
                    '`["client_secret"]["value"]` is the beta response shape: GA returns `value` at the top level',
                    edit=Edit(before.start, tokens[j].start, ""),
                )
            ]
    if _is_op(before, "(") and _text(_at(tokens, i - 2)) == "get" and _is_op(_at(tokens, i - 3), "."):
        close = _matching_paren(tokens, i - 1)
        if (
            close is not None
            and _is_op(_at(tokens, close + 1), ".")
            and _text(_at(tokens, close + 2)) == "get"
            and _is_op(_at(tokens, close + 3), "(")
            and _text(_at(tokens, close + 4)) == "value"
        ):
            last = tokens[close + 5] if _is_op(_at(tokens, close + 5), ")") else tokens[close + 4]
            return [
                Hit(
                    "beta-client-secret-field",
                    tokens[i - 3].start,
                    last.end,
                    '`.get("client_secret").get("value")` is the beta response shape: GA returns `value` at the top level',
                    edit=Edit(tokens[i - 3].start, tokens[close + 1].start, ""),
                )
            ]
    return []


def _text(tok: Token | None) -> str | None:
    return tok.text if tok is not None and tok.kind in (Kind.STR, Kind.NAME) else None


def _matching_paren(tokens: list[Token], open_index: int) -> int | None:
    depth = 0
    for j in range(open_index, min(len(tokens), open_index + 64)):
        if _is_op(tokens[j], "(", "[", "{"):
            depth += 1
        elif _is_op(tokens[j], ")", "]", "}"):
            depth -= 1
            if depth == 0:
                return j
    return None
