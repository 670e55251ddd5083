"""Secret redaction: the one place that decides what a secret looks like when shown.

Everything that reaches a user (report lines, -v details, JSON, JUnit, logs,
exception text, server messages) passes through `Redactor.text` or `Redactor.value`.
Known secrets (the configured key, any minted ephemeral secret, proxy passwords,
relay and Entra tokens) are replaced in every form a server might echo them: whole,
without their prefix, any 12-character piece, base64 and percent-encoded. Anything that
merely looks like a key or bearer token is masked too, because servers and proxies
echo credentials in ways we cannot predict.
"""

from __future__ import annotations

import base64
import re
import threading
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, quote_plus, unquote

from realtime_check.keys import fingerprint, key_prefix

# Things shaped like OpenAI credentials. The server's own masking
# ("sk-proj-...XXXX") contains dots and so is left readable on purpose.
_KEY_LIKE = re.compile(r"\b(sk-[A-Za-z0-9_\-]{12,}|ek_[A-Za-z0-9_\-]{8,})")
# JSON Web Tokens (Microsoft Entra access tokens): header.payload.signature, the header always "eyJ".
_JWT = re.compile(r"\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*")
_BEARER = re.compile(r"(?i)\b(bearer)\s+[^\s\"',;]{6,}")
_SUBPROTOCOL_KEY = re.compile(r"(openai-insecure-api-key\.)[^\s\"',;]+")
_QUERY_SECRET = re.compile(r"(?i)([?&](?:authorization|api[-_]?key|key|token|client_secret)=)[^&\s\"']+")
_HEADER_NAMES = {"authorization", "api-key", "proxy-authorization", "sec-websocket-protocol", "cookie", "set-cookie"}
# The user part may be empty ("http://:token@proxy" is how some proxies take a bare token).
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)([^/@\s:]*):([^/@\s]+)@")
# Any piece of a registered secret this long is the secret: 12 random characters
# cannot occur by chance. Base64 pieces are longer, as 16 base64 characters hold 12 bytes.
WINDOW = 12
_B64_WINDOW = 16
# A piece needs this many different characters to count: fake fixture keys are mostly
# zeros, and "000000000000" must not mask every long number in a report.
_MIN_DISTINCT = 6
# Real request ids: "req_" + hex (OpenAI), a UUID (Azure), gateway ids of the same alphabet.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:/+=-]{0,127}$")
UNUSUAL_REQUEST_ID = "unusual request id (redacted)"
_PERCENT_RUN = re.compile(r"(?:%[0-9A-Fa-f]{2}|[A-Za-z0-9_.~+-])*%[0-9A-Fa-f]{2}(?:%[0-9A-Fa-f]{2}|[A-Za-z0-9_.~+-])*")
# Nothing shown is longer than this (see sanitize.py): cutting first keeps redaction
# cheap when a server sends a megabyte where an id belongs.
MAX_TEXT = 32768
# Deeper JSON than this is not shown: no real response nests so far.
_MAX_DEPTH = 32


def mask(secret: str) -> str:
    """Display form of a secret: its kind prefix, last four characters and fingerprint."""
    prefix = key_prefix(secret)
    tail = secret[-4:] if len(secret) >= 16 else ""
    return f"{prefix}…{tail} [{fingerprint(secret)}]" if tail else f"{prefix}… [{fingerprint(secret)}]"


class Redactor:
    """Removes registered secrets, their echo forms and key-shaped strings from anything shown."""

    def __init__(self, *secrets: str | None) -> None:
        self._secrets: list[str] = []
        # Piece of a secret (plain or base64) -> the secret it belongs to.
        self._pieces: dict[str, str] = {}
        self._b64_pieces: dict[str, str] = {}
        self._lock = threading.Lock()
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        """Register a secret (the API key, a minted ephemeral secret, a proxy password, a relay token)."""
        if not secret or len(secret) < 4:
            return
        cleaned = secret.strip().strip("\"'")
        exact = {secret, secret.strip(), cleaned, quote(cleaned, safe=""), quote_plus(cleaned, safe="")}
        # Pieces come from the random body: "sk-proj-" and "ek_" are public and shared by every key.
        prefix = key_prefix(cleaned)
        pieces = _pieces(cleaned.removeprefix(prefix) if prefix != "?" else cleaned, WINDOW)
        b64_pieces: dict[str, str] = {}
        for form in _base64_forms(cleaned):
            b64_pieces.update(dict.fromkeys(_pieces(form, _B64_WINDOW), cleaned))
        with self._lock:
            for v in exact:
                if len(v) >= 4 and v not in self._secrets:
                    self._secrets.append(v)
            # Longest first, so a secret that contains another is replaced whole.
            self._secrets.sort(key=len, reverse=True)
            for piece in pieces:
                self._pieces.setdefault(piece, cleaned)
            for piece, owner in b64_pieces.items():
                self._b64_pieces.setdefault(piece, owner)

    def text(self, value: object) -> str:
        s = value if isinstance(value, str) else str(value)
        if len(s) > MAX_TEXT:
            s = s[: MAX_TEXT - 1] + "…"
        with self._lock:
            secrets = list(self._secrets)
            pieces, b64_pieces = self._pieces, self._b64_pieces
        for secret in secrets:
            if secret in s:
                s = s.replace(secret, mask(secret.strip().strip("\"'")))
        s = _URL_USERINFO.sub(lambda m: f"{m.group(1)}{m.group(2)}:***@", s)
        s = _SUBPROTOCOL_KEY.sub(r"\1***", s)
        s = _QUERY_SECRET.sub(r"\1***", s)
        s = _BEARER.sub(lambda m: f"{m.group(1)} ***", s)
        s = _JWT.sub(lambda m: f"eyJ…[{fingerprint(m.group(0))}]", s)
        s = _KEY_LIKE.sub(lambda m: _mask_unknown(m.group(0)), s)
        # Last, what is left of a known secret: a piece of it, percent-encoded or in base64.
        if pieces and len(s) >= WINDOW:
            s = _mask_pieces(s, pieces, b64_pieces)
            if "%" in s:
                s = _PERCENT_RUN.sub(lambda m: _mask_percent_run(m.group(), pieces, b64_pieces), s)
        return s

    def split_pieces(self, texts: Iterable[str]) -> set[str]:
        """Pieces of a secret split across two of `texts` (one ending, another starting with it).

        A server can echo a key half in an error event and half in the close reason:
        each half may be shorter than a window, but together they are the secret.
        """
        with self._lock:
            pieces = self._pieces
        if not pieces:
            return set()
        tails = {t[-(WINDOW - 1) :] for t in texts if t}
        heads = {t[: WINDOW - 1] for t in texts if t}
        found: set[str] = set()
        for tail in tails:
            for head in heads:
                joined = tail + head
                for start, end in _spans(joined, pieces, WINDOW):
                    if start < len(tail) < end:
                        found.add(joined[start : len(tail)])
                        found.add(joined[len(tail) : end])
        return {piece for piece in found if len(piece) >= 4}

    def request_id(self, value: str | None) -> str | None:
        """A request id as shown: as it is when shaped like one, else a placeholder (it may be an echo)."""
        if value is None or value == "":
            return value
        if _REQUEST_ID.match(value) and self.text(value) == value:
            return value
        return UNUSUAL_REQUEST_ID

    def headers(self, headers: Any) -> dict[str, str]:
        """Headers for display: credential headers masked, every value redacted."""
        out: dict[str, str] = {}
        items = headers.items() if hasattr(headers, "items") else headers
        for name, value in items:
            if name.lower() in _HEADER_NAMES:
                out[name] = _mask_header(name, str(value))
            else:
                out[name] = self.text(value)
        return out

    def value(self, obj: Any, _depth: int = 0) -> Any:
        """Redact every string inside a JSON-like structure (deeper than any real answer: cut off)."""
        if isinstance(obj, str):
            return self.text(obj)
        if _depth >= _MAX_DEPTH and isinstance(obj, (dict, list, tuple)):
            return "… (nested too deep to show)"
        if isinstance(obj, dict):
            return {self.text(k): self.value(v, _depth + 1) for k, v in obj.items()}
        if isinstance(obj, (list, tuple)):
            return [self.value(v, _depth + 1) for v in obj]
        return obj


def _pieces(secret: str, width: int) -> set[str]:
    """Every `width`-character piece of `secret` that is random enough to identify it."""
    return {
        secret[i : i + width]
        for i in range(len(secret) - width + 1)
        if len(set(secret[i : i + width])) >= _MIN_DISTINCT
    }


def _base64_forms(secret: str) -> list[str]:
    """The base64 text that encodes `secret` wherever it sits in an encoded string.

    Base64 works in 3-byte groups, so an echo holds the encoding of secret[o:] for the
    offset o that aligns it; the last group depends on what follows and is dropped.
    """
    raw = secret.encode("utf-8", "surrogatepass")
    forms = []
    for offset in range(3):
        body = raw[offset:]
        body = body[: len(body) - len(body) % 3]
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            forms.append(encode(body).decode("ascii"))
    return forms


def _spans(text: str, pieces: dict[str, str], width: int) -> list[tuple[int, int]]:
    """Merged [start, end) ranges of `text` covered by registered pieces."""
    spans: list[tuple[int, int]] = []
    for i in range(len(text) - width + 1):
        if text[i : i + width] in pieces:
            if spans and i <= spans[-1][1]:
                spans[-1] = (spans[-1][0], i + width)
            else:
                spans.append((i, i + width))
    return spans


def _mask_percent_run(run: str, pieces: dict[str, str], b64_pieces: dict[str, str]) -> str:
    """A percent-encoded run of text, masked whole if it decodes to a piece of a secret."""
    decoded = unquote(run)
    if decoded == run or _mask_pieces(decoded, pieces, b64_pieces) == decoded:
        return run
    return "[percent-encoded secret]"


def _mask_pieces(text: str, pieces: dict[str, str], b64_pieces: dict[str, str]) -> str:
    for table, width in ((pieces, WINDOW), (b64_pieces, _B64_WINDOW)):
        spans = _spans(text, table, width)
        for start, end in reversed(spans):
            owner = table[text[start : start + width]]
            text = text[:start] + f"[part of {mask(owner)}]" + text[end:]
    return text


def _mask_unknown(token: str) -> str:
    if token.startswith("ek_"):
        return f"ek_…[{fingerprint(token)}]"
    return f"{key_prefix(token)}…[{fingerprint(token)}]"


def _mask_header(name: str, value: str) -> str:
    if name.lower() == "authorization":
        scheme = value.split(" ", 1)[0] if " " in value else ""
        return f"{scheme} ***".strip()
    if name.lower() == "sec-websocket-protocol":
        return _SUBPROTOCOL_KEY.sub(r"\1***", value)
    return "***"
