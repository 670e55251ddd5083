"""Reading error bodies and close reasons: pure, tolerant, never echoing a whole page.

Bodies come from the API, from Azure, from gateways and from proxies' HTML pages (docs/failures.md F20),
so every shape is accepted and nothing here raises.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Any, Literal

from realtime_check.models import ApiError

BodyKind = Literal["json_error", "json_other", "html", "empty", "invalid_json", "text"]

TITLE_MAX = 120
SNIPPET_MAX = 200
# Long enough for any real API message, short enough that a runaway body cannot flood a report.
MESSAGE_MAX = 2000
# HTML titles sit near the top; never scan a whole multi-megabyte page for one.
_TITLE_SCAN = 65536

# No real answer nests deeper. json.loads recurses once per level, so 100,000 levels end in
# RecursionError; the depth is counted first, without recursion.
MAX_JSON_DEPTH = 64
_JSON_TOKENS = re.compile(r'"(?:[^"\\]+|\\.)*"|[\[\]{}]')

_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_HTML_START = re.compile(r"^\s*<(!doctype|html|head|body|title|\?xml|!--|[a-z]+[\s>/])", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CLOSE_REASON = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class TooDeep(ValueError):
    """JSON nested deeper than MAX_JSON_DEPTH: an unexpected shape, not a parser crash."""


def loads(text: str | bytes) -> Any:
    """json.loads, refusing nesting deeper than MAX_JSON_DEPTH (TooDeep) instead of recursing into it."""
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8", "replace")
    depth = 0
    for match in _JSON_TOKENS.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise TooDeep(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
        elif token in ("]", "}"):
            depth -= 1
    return json.loads(text)


@dataclass(frozen=True)
class ParsedBody:
    """What an HTTP body turned out to be, reduced to what diagnosis and display need."""

    kind: BodyKind
    error: ApiError | None = None
    html_title: str | None = None  # from <title>, collapsed, <= 120 chars; never the page body
    snippet: str | None = None  # first <= 200 chars of a non-HTML text body, for -v
    data: Any = None  # the parsed JSON when kind is json_error or json_other


def parse_error_body(body: bytes | str | None, content_type: str | None) -> ParsedBody:
    """Classify a response body and pull out the API error, if there is one."""
    text = _decode(body)
    if text is None or not text.strip():
        return ParsedBody(kind="empty")
    ctype = (content_type or "").lower()
    stripped = text.lstrip("\ufeff \t\r\n")
    if "html" in ctype or _HTML_START.match(stripped):
        return ParsedBody(kind="html", html_title=_html_title(stripped))
    looks_json = "json" in ctype or stripped[:1] in ("{", "[")
    if looks_json:
        try:
            data = loads(stripped)
        except TooDeep:
            return ParsedBody(kind="json_other")  # valid or not, no API answer looks like this
        except (ValueError, RecursionError):
            return ParsedBody(kind="invalid_json", snippet=_snippet(stripped))
        error = api_error_from(data)
        kind: BodyKind = "json_error" if error is not None else "json_other"
        return ParsedBody(kind=kind, error=error, data=data)
    return ParsedBody(kind="text", snippet=_snippet(stripped))


def api_error_from(data: Any) -> ApiError | None:
    """The error inside a parsed JSON body or event, in any of the shapes seen in the wild.

    OpenAI: {"error": {"message", "type", "param", "code"}}; Azure: {"error": {"code", "message"}};
    gateways: {"error": "text"} or a flat {"message", "code"/"type"}.
    """
    if not isinstance(data, dict):
        return None
    inner = data.get("error")
    if isinstance(inner, dict):
        return ApiError(
            type=_field(inner.get("type")),
            code=_field(inner.get("code")),
            message=_field(inner.get("message"), MESSAGE_MAX),
            param=_field(inner.get("param")),
        )
    if isinstance(inner, str) and inner.strip():
        return ApiError(message=_field(inner, MESSAGE_MAX))
    if (
        inner is None
        and isinstance(data.get("message"), str)
        and any(k in data for k in ("code", "type", "statusCode"))
    ):
        return ApiError(
            type=_field(data.get("type")),
            code=_field(data.get("code")),
            message=_field(data.get("message"), MESSAGE_MAX),
            param=_field(data.get("param")),
        )
    return None


def split_close_reason(reason: str | None) -> tuple[str | None, str | None]:
    """("invalid_request_error", "invalid_model") from a close reason "invalid_request_error.invalid_model".

    A bare identifier ("server_error") is taken as a code; free text gives (None, None).
    """
    text = (reason or "").strip()
    match = _CLOSE_REASON.match(text)
    if match:
        return match.group(1), match.group(2)
    if _IDENTIFIER.match(text) and "_" in text:
        return None, text
    return None, None


def _decode(body: bytes | str | None) -> str | None:
    if body is None:
        return None
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body).decode("utf-8", errors="replace")
    return str(body)


def _field(value: Any, limit: int = 200) -> str | None:
    """A string field of an error, or None. Empty strings count as missing (seen: all-empty errors, F30)."""
    if value is None or isinstance(value, (dict, list)):
        return None
    text = value if isinstance(value, str) else str(value)
    text = _CONTROL.sub("", text).strip()
    if not text:
        return None
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _html_title(page: str) -> str | None:
    match = _TITLE.search(page[:_TITLE_SCAN])
    if not match:
        return None
    title = " ".join(html.unescape(_CONTROL.sub(" ", match.group(1))).split())
    if not title:
        return None
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1] + "…"


def _snippet(text: str) -> str | None:
    head = text[: SNIPPET_MAX * 2]
    # Binary garbage decodes to replacement characters and controls: not worth showing.
    unreadable = sum(1 for ch in head if ch == "\ufffd" or (not ch.isprintable() and ch not in "\r\n\t"))
    if head and unreadable / len(head) > 0.3:
        return None
    flat = " ".join(_CONTROL.sub(" ", head).split())
    if not flat:
        return None
    return flat if len(flat) <= SNIPPET_MAX else flat[: SNIPPET_MAX - 1] + "…"
