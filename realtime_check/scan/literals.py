"""Rules decided by the content of one string literal (in code) or of a config/docs text.

In code (`code=True`) a literal must look like a value, not a sentence: a URL or path must start the
literal (or a template chunk), a model id must be the whole literal or a `model=` query value. A log
message that *mentions* `/v1/realtime/sessions` is prose, not a call.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from realtime_check.scan.model_retirement import MODEL_ID, retirement_of
from realtime_check.scan.models import Edit, Hit

HEADER_FORM = re.compile(r"(?i)openai-beta[\"']?\s*[:=]\s*[\"']?realtime=v1")
SUBPROTOCOL = re.compile(r"(?i)openai-beta\.realtime-v1")
SESSIONS_PATH = re.compile(r"/realtime/(transcription_sessions|sessions)(?![\w-])")
SESSION_IN_PATH = re.compile(r"/v1/realtime/(?:\$\{[^}]*\}?|\{[^}]*\}?|sess_[\w-]+)")
SOCKET_BASE_AT_END = re.compile(r"(?:wss?://[^\s'\"`]*|/v1)/realtime/$")
QUERY_AUTHORIZATION = re.compile(r"(?i)[?&](?:authorization|access_token)=[^&\s'\"`]*")
QUERY_API_KEY = re.compile(r"(?i)[?&]api[_-]?key=[^&\s'\"`]*")
AZURE_PREVIEW = re.compile(
    r"(?i)/openai/realtime\?(?:[^\s'\"`]*?&)?(?:api-version|deployment)=[^&\s'\"`]*"
    r"|/openai/realtimeapi/sessions|[\w.-]*realtimeapi-preview\.ai\.azure\.com"
)
SDK_MODULES = ("openai/beta/realtime", "@openai/realtime-api-beta", "openai-realtime-api-beta")
_SDK_MODULE_TEXT = re.compile(
    r"openai/beta/realtime[\w/.-]*|@openai/realtime-api-beta|(?<![\w@/-])openai-realtime-api-beta"
)
# A Sec-WebSocket-Protocol value: one protocol token or a comma-separated list of them, never prose.
_PROTOCOL_LIST = re.compile(r"^\s*[\w.-]+(?:\s*,\s*[\w.-]+)*\s*$")
# Every pattern below needs one of these in the literal itself.
_LITERAL_TRIGGERS = (
    "realtime",
    "openai-beta",
    "gpt-",
    "whisper-1",
    "authorization=",
    "api_key=",
    "api-key=",
    "apikey=",
    "access_token=",
)
_OTHER_VENDORS = re.compile(r"(?i)\bx\.ai\b|api\.x\.ai|stepfun|minimax")


def scan_literal(
    content: str,
    offset: int,
    *,
    code: bool,
    today: dt.date,
    continues: bool = False,
    context: Callable[[], str] = str,
) -> list[Hit]:
    """Hits in one literal's raw content, which starts at file offset `offset`.

    `continues`: the literal is followed by an expression (`+ id`, a `${…}` hole), so a URL that ends
    in `/realtime/` gets a session id appended. `context`: the surrounding literal and line, to tell an
    OpenAI socket URL from another vendor's.
    """
    lowered = content.lower()
    if not any(trigger in lowered for trigger in _LITERAL_TRIGGERS):
        return []  # most literals are short words: one cheap test instead of a dozen patterns
    hits: list[Hit] = []
    for match in HEADER_FORM.finditer(content):
        if code and content[: match.start()].strip():
            continue  # in code, a header line starts its literal; elsewhere it is a sentence about it
        hits.append(_hit("beta-header", match, offset, "`OpenAI-Beta: realtime=v1` header"))
    for match in SUBPROTOCOL.finditer(content):
        if code and not _PROTOCOL_LIST.match(content):
            continue
        hits.append(_hit("beta-header", match, offset, "`openai-beta.realtime-v1` subprotocol (the beta header)"))
    for match in SESSIONS_PATH.finditer(content):
        if code and not _starts_value(content, match.start()):
            continue
        segment_start = offset + match.start(1)
        hits.append(
            Hit(
                "beta-sessions-endpoint",
                offset + match.start(),
                offset + match.end(),
                f"beta endpoint `/v1/realtime/{match.group(1)}`: GA mints ephemeral secrets at /v1/realtime/client_secrets",
                edit=Edit(segment_start, segment_start + len(match.group(1)), "client_secrets"),
            )
        )
    hits.extend(_socket_url_hits(content, offset, code=code, continues=continues, context=context))
    for match in AZURE_PREVIEW.finditer(content):
        if code and not _starts_value(content, match.start()):
            continue
        hits.append(
            _hit(
                "azure-preview-url",
                match,
                offset,
                "Azure preview Realtime URL: the GA URL is /openai/v1/realtime?model=<deployment>",
            )
        )
    hits.extend(_model_hits(content, offset, code=code, today=today))
    if code:
        if any(content == m or content.startswith(m + "/") for m in SDK_MODULES):
            hits.append(
                Hit(
                    "sdk-beta-realtime",
                    offset,
                    offset + len(content),
                    f"beta SDK module `{content}`: it speaks the retired beta interface",
                )
            )
    else:
        for match in _SDK_MODULE_TEXT.finditer(content):
            hits.append(
                _hit(
                    "sdk-beta-realtime",
                    match,
                    offset,
                    f"beta SDK module `{match.group()}`: it speaks the retired beta interface",
                )
            )
    return hits


def _hit(rule: str, match: re.Match[str], offset: int, message: str) -> Hit:
    return Hit(rule, offset + match.start(), offset + match.end(), message)


def _starts_value(content: str, index: int) -> bool:
    """True if no whitespace comes before `index`: the match is part of the literal's first word."""
    head = content[:index]
    return not any(c.isspace() for c in head)


def _socket_url_hits(
    content: str, offset: int, *, code: bool, continues: bool, context: Callable[[], str]
) -> list[Hit]:
    hits: list[Hit] = []
    for match in SESSION_IN_PATH.finditer(content):
        if code and not _starts_value(content, match.start()):
            continue
        hits.append(
            _hit(
                "legacy-socket-url",
                match,
                offset,
                "session id in the Realtime socket path: the URL takes ?model= (or ?call_id=), never an id",
            )
        )
    if continues and (base := SOCKET_BASE_AT_END.search(content)) and _starts_value(content, base.start()):
        hits.append(
            _hit(
                "legacy-socket-url",
                base,
                offset,
                "session id appended to the Realtime socket path: the URL takes ?model= (or ?call_id=), never an id",
            )
        )
    around = context() + content
    about_openai = re.search(r"(?i)realtime|openai", around) and not _OTHER_VENDORS.search(around)
    if about_openai:
        for match in QUERY_AUTHORIZATION.finditer(content):
            if code and not _starts_value(content, match.start()):
                continue
            hits.append(
                _hit(
                    "legacy-socket-url",
                    match,
                    offset,
                    "credential in the socket URL's query string: send it as the Authorization header",
                )
            )
        if "azure" not in around.lower():  # Azure does take api-key in the query, for browsers
            for match in QUERY_API_KEY.finditer(content):
                if code and not _starts_value(content, match.start()):
                    continue
                hits.append(
                    _hit(
                        "legacy-socket-url",
                        match,
                        offset,
                        "API key in the socket URL's query string: send it as the Authorization header",
                    )
                )
    return hits


# In config and docs a model id counts when it is a value (`model: id`, `MODEL=id`, `"id"`, `--model id`),
# not a word in a sentence ("… gpt-realtime retires on …").
_VALUE_BEFORE = re.compile(r"(?:^|[:=\"'\[,(]|\bmodel|-)[ \t]*$")
_VALUE_AFTER = re.compile(r"^[ \t]*(?:$|[\"'\]},)&;])")


def _is_config_value(text: str, match: re.Match[str]) -> bool:
    line_start = text.rfind("\n", 0, match.start()) + 1
    line_end = text.find("\n", match.end())
    line_end = len(text) if line_end == -1 else line_end
    before, after = text[line_start : match.start()], text[match.end() : line_end]
    return bool(_VALUE_BEFORE.search(before)) and bool(_VALUE_AFTER.match(after))


def _model_hits(content: str, offset: int, *, code: bool, today: dt.date) -> list[Hit]:
    hits: list[Hit] = []
    for match in MODEL_ID.finditer(content):
        if code and not (
            content == match.group()
            or (content[: match.start()].endswith("model=") and _starts_value(content, match.start()))
        ):
            continue
        if not code and not _is_config_value(content, match):
            continue
        retirement = retirement_of(match.group())
        if retirement is None:
            continue
        model, successor = match.group(), retirement.successor
        instead = f"use `{successor}`" if successor else "pick a current model from GET /v1/models"
        edit = Edit(offset + match.start(), offset + match.end(), successor) if successor else None
        if retirement.shutdown <= today:
            hits.append(
                Hit(
                    "retired-model",
                    offset + match.start(),
                    offset + match.end(),
                    f"`{model}` was shut down on {retirement.shutdown.isoformat()} "
                    f"(close 4004 model_not_found); {instead}",
                    fix=f"Replace `{model}` with `{successor}`." if successor else None,
                    edit=edit,
                )
            )
        else:
            hits.append(
                Hit(
                    "model-retiring",
                    offset + match.start(),
                    offset + match.end(),
                    f"`{model}` shuts down on {retirement.shutdown.isoformat()}; {instead}",
                    fix=f"Move to `{successor}` before {retirement.shutdown.isoformat()}." if successor else None,
                    edit=edit,
                )
            )
    return hits
