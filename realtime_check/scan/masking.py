"""Secrets in scanned code are masked before anything is shown; placeholders for them are not.

The output redactor (realtime_check.redact) masks anything that *could* be a credential in a server's
answer, including `Bearer ${apiKey}`. In source code that is a placeholder, and masking it would make
snippets and `--diff` lines unreadable, so the scan masks only literal secrets: key-shaped strings
(shown as prefix and fingerprint, the redactor's display), literal bearer tokens, literal credentials
in URL query strings and subprotocols, and URL passwords.
"""

from __future__ import annotations

import re

from realtime_check.keys import fingerprint, key_prefix

_KEY_LIKE = re.compile(r"\b(sk-[A-Za-z0-9_\-]{12,}|ek_[A-Za-z0-9_\-]{8,})")
_NOT_A_PLACEHOLDER = r"(?![$\{\"'`+%<(])"
_BEARER = re.compile(r"(?i)\b(bearer)(\s+|%20)" + _NOT_A_PLACEHOLDER + r"[^\s\"'`,;&)]{6,}")
_QUERY_SECRET = re.compile(
    r"(?i)([?&](?:authorization|api[-_]?key|key|token|access_token|client_secret)=)"
    + r"(?!(?:bearer(?:%20|\+|\s))?[$\{\"'`+%<(])"  # `?authorization=Bearer%20${token}` is a placeholder too
    + r"[^&\s\"'`]+"
)
_SUBPROTOCOL_KEY = re.compile(r"(openai-insecure-api-key\.)" + _NOT_A_PLACEHOLDER + r"[^\s\"'`,;]+")
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)([^/@\s:]*):([^/@\s$\{]+)@")


def _key_display(match: re.Match[str]) -> str:
    token = match.group(0)
    prefix = "ek_" if token.startswith("ek_") else key_prefix(token)
    return f"{prefix}…[{fingerprint(token)}]"


def mask_secrets(text: str) -> str:
    text = _URL_USERINFO.sub(lambda m: f"{m.group(1)}{m.group(2)}:***@", text)
    text = _SUBPROTOCOL_KEY.sub(r"\1***", text)
    text = _QUERY_SECRET.sub(r"\1***", text)
    text = _BEARER.sub(lambda m: f"{m.group(1)}{m.group(2)}***", text)
    return _KEY_LIKE.sub(_key_display, text)
