"""The one boundary for server text: every CheckResult is made safe here before any renderer sees it.

The runner passes each result through `safe_result` the moment a check returns it
(checks/runner.py), so every check, including checks added later, gets this without
doing anything. It escapes control characters (C0, C1, ESC sequences: they would write
to the terminal, its clipboard or title), neutralises GitHub's legacy `##[` command
form, bounds every string and collection, and redacts every field with the run's
redactor, including request ids and headers. Renderers add only their own escaping.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from realtime_check.models import ApiError, CheckResult
from realtime_check.redact import Redactor

# Lengths a reader can still take in; longer server text is cut with an ellipsis.
SHORT = 200  # ids, codes, model names, close reasons, request ids
LINE = 500  # a summary, one piece of advice
LONG = 2000  # an error message, a detail value
TRACEBACK = 8000  # -v details of a crash: the one multi-line value worth keeping whole
MAX_ITEMS = 100  # entries kept of any list or mapping in details
MAX_DEPTH = 8  # nesting kept in details
MAX_NODES = 2000  # values kept in one result's details, all levels together
# Controls, including C1 (U+0080-U+009F: 8-bit CSI and OSC), bidirectional overrides
# that reorder what is shown, and Unicode line separators.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_BREAKS = re.compile("\r\n|[\r\n\t]")
_REQUEST_ID_KEYS = frozenset({"x-request-id", "apim-request-id", "request_id"})


def escape_controls(text: str, *, keep_newlines: bool = False) -> str:
    """`text` with every control shown as a visible escape (ESC -> \\x1b): printable, and still evidence.

    Line breaks and tabs become spaces unless `keep_newlines`. The legacy GitHub
    `##[command]` form, which the runner honours anywhere in a line, is broken up.
    """
    if keep_newlines:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = "\n".join(_UNSAFE.sub(_visible, line.replace("\t", " ")) for line in text.split("\n"))
    else:
        text = _UNSAFE.sub(_visible, _BREAKS.sub(" ", text))
    return text.replace("##[", "# #[")


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def bound(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, the cut marked with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def clean(value: object, redactor: Redactor, limit: int = LINE, *, keep_newlines: bool = False) -> str:
    """Server text made safe to show: escaped, redacted, bounded.

    Cut generously before redacting (a megabyte id must not cost a megabyte scan),
    then to `limit` after, so a mask is never cut in half.
    """
    text = value if isinstance(value, str) else str(value)
    text = _utf8_safe(text[: limit * 4 + 256])
    return bound(redactor.text(escape_controls(text, keep_newlines=keep_newlines)), limit)


def _utf8_safe(text: str) -> str:
    """Lone surrogates (from undecodable bytes) replaced, so the text can always be written."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


def safe_result(result: CheckResult, redactor: Redactor) -> CheckResult:
    """`result` with every string escaped, bounded and redacted, details bounded in size and depth."""

    def text(value: str | None, limit: int) -> str | None:
        return None if value is None else clean(value, redactor, limit)

    error = result.error
    if error is not None:
        error = ApiError(
            type=text(error.type, SHORT),
            code=text(error.code, SHORT),
            message=text(error.message, LONG),
            param=text(error.param, SHORT),
        )
    safe = replace(
        result,
        summary=clean(result.summary, redactor, LINE),
        error=error,
        close_reason=text(result.close_reason, SHORT),
        request_id=_request_id(result.request_id, redactor),
        advice=tuple(clean(a, redactor, LINE) for a in result.advice[:MAX_ITEMS]),
        details=_details(result.details, redactor),
        duration_ms=_number(result.duration_ms),
    )
    return _mask_split_secrets(safe, redactor)


def safe_value(value: Any, redactor: Redactor, *, max_nodes: int = 10 * MAX_NODES) -> Any:
    """Any JSON-like document holding server text (a command's own --json document, say), made safe
    the same way as a result's details: escaped, bounded, redacted."""
    return _walk(value, redactor, 0, [max_nodes], key=None)


def _details(details: Mapping[str, Any], redactor: Redactor) -> dict[str, Any]:
    budget = [MAX_NODES]
    walked = _walk(dict(details), redactor, 0, budget, key=None)
    return walked if isinstance(walked, dict) else {"details": walked}


def _walk(value: Any, redactor: Redactor, depth: int, budget: list[int], key: str | None) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        return "…"
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, str):
        if key in _REQUEST_ID_KEYS:
            return _request_id(value, redactor)
        long_text = key == "traceback"
        return clean(value, redactor, TRACEBACK if long_text else LONG, keep_newlines=long_text)
    if isinstance(value, (Mapping, list, tuple)):
        if depth >= MAX_DEPTH:
            return "… (nested too deep to show)"
        if isinstance(value, Mapping):
            items = list(value.items())
            out: dict[str, Any] = {}
            for k, v in items[:MAX_ITEMS]:
                name = clean(k, redactor, SHORT)
                out[name] = _walk(v, redactor, depth + 1, budget, name.lower())
            if len(items) > MAX_ITEMS:
                out["…"] = f"{len(items) - MAX_ITEMS} more not shown"
            return out
        values = list(value[: MAX_ITEMS + 1])
        shown = [_walk(v, redactor, depth + 1, budget, key) for v in values[:MAX_ITEMS]]
        if len(value) > MAX_ITEMS:
            shown.append(f"… {len(value) - MAX_ITEMS} more not shown")
        return shown
    return clean(str(value), redactor, LONG)


def _request_id(value: str | None, redactor: Redactor) -> str | None:
    """Judged on the escaped raw value: a control or an echoed secret makes it unusual."""
    return None if value is None else redactor.request_id(escape_controls(value[: SHORT + 1]))


def _number(value: Any) -> Any:
    """Numbers a report can hold: finite, and no integer beyond 64 bits (JSON readers lose them)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, int) and abs(value) >= 2**63:
        return None
    return value


def _strings(result: CheckResult) -> list[str]:
    """Every string of a result that can carry server text, for the split-secret pass."""
    out = [result.summary, result.close_reason or "", result.request_id or "", *result.advice]
    if result.error is not None:
        out += [v for v in result.error.as_dict().values() if v]
    stack: list[Any] = [result.details]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, Mapping):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return out


def _mask_split_secrets(result: CheckResult, redactor: Redactor) -> CheckResult:
    """A secret split across two fields of one check (half in the error event, half in the close reason)."""
    pieces = redactor.split_pieces(_strings(result))
    if not pieces:
        return result
    extra = Redactor(*pieces)
    masked = replace(
        result,
        summary=extra.text(result.summary),
        close_reason=extra.text(result.close_reason) if result.close_reason else result.close_reason,
        advice=tuple(extra.text(a) for a in result.advice),
        details=extra.value(dict(result.details)),
    )
    if result.error is not None:
        masked = replace(
            masked, error=ApiError(**{k: extra.text(v) if v else v for k, v in result.error.as_dict().items()})
        )
    return masked
