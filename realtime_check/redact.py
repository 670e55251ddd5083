"""Secret redaction: the one place that decides what a secret looks like when shown.

Everything that reaches a user (report lines, -v details, JSON, JUnit, logs,
exception text, server messages) passes through `Redactor.text` or `Redactor.value`.
Known secrets (the configured key, any minted ephemeral secret) are replaced
exactly; anything that merely looks like a key or bearer token is masked too,
because servers and proxies echo credentials in ways we cannot predict.
"""

from __future__ import annotations

import re
import threading
from typing import Any

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


def mask(secret: str) -> str:
    """Display form of a secret: its kind prefix, last four characters and fingerprint."""
    prefix = key_prefix(secret)
    tail = secret[-4:] if len(secret) >= 16 else ""
    return f"{prefix}…{tail} [{fingerprint(secret)}]" if tail else f"{prefix}… [{fingerprint(secret)}]"


class Redactor:
    """Removes registered secrets and key-shaped strings from anything shown."""

    def __init__(self, *secrets: str | None) -> None:
        self._secrets: list[str] = []
        self._lock = threading.Lock()
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        """Register a secret (the API key, a minted ephemeral secret, a proxy password)."""
        if not secret or len(secret) < 4:
            return
        variants = {secret, secret.strip(), secret.strip().strip("\"'")}
        with self._lock:
            for v in variants:
                if len(v) >= 4 and v not in self._secrets:
                    self._secrets.append(v)
            # Longest first, so a secret that contains another is replaced whole.
            self._secrets.sort(key=len, reverse=True)

    def text(self, value: object) -> str:
        s = value if isinstance(value, str) else str(value)
        with self._lock:
            secrets = list(self._secrets)
        for secret in secrets:
            if secret in s:
                s = s.replace(secret, mask(secret.strip().strip("\"'")))
        s = _URL_USERINFO.sub(lambda m: f"{m.group(1)}{m.group(2)}:***@", s)
        s = _SUBPROTOCOL_KEY.sub(r"\1***", s)
        s = _QUERY_SECRET.sub(r"\1***", s)
        s = _BEARER.sub(lambda m: f"{m.group(1)} ***", s)
        s = _JWT.sub(lambda m: f"eyJ…[{fingerprint(m.group(0))}]", s)
        s = _KEY_LIKE.sub(lambda m: _mask_unknown(m.group(0)), s)
        return s

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

    def value(self, obj: Any) -> Any:
        """Redact every string inside a JSON-like structure."""
        if isinstance(obj, str):
            return self.text(obj)
        if isinstance(obj, dict):
            return {self.text(k): self.value(v) for k, v in obj.items()}
        if isinstance(obj, (list, tuple)):
            return [self.value(v) for v in obj]
        return obj


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
