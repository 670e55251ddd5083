"""API key classification and local lint: no network, nothing sent anywhere.

The format is advisory (protocol.md §7): we classify by prefix and flag the
mistakes users actually make (docs/failures.md F01, F02, F04, F34), nothing more.
"""

from __future__ import annotations

import hashlib
from enum import Enum

from realtime_check.models import Finding, Status


class KeyKind(str, Enum):
    PROJECT = "project"  # sk-proj-
    SERVICE_ACCOUNT = "service_account"  # sk-svcacct-
    ADMIN = "admin"  # sk-admin-: organization management only, cannot call models
    LEGACY_USER = "legacy_user"  # sk- with no infix
    EPHEMERAL = "ephemeral"  # ek_: minted by /v1/realtime/client_secrets
    UNKNOWN = "unknown"  # relay/gateway token, OAuth token, Azure key, junk


_PREFIXES: tuple[tuple[str, KeyKind], ...] = (
    ("sk-proj-", KeyKind.PROJECT),
    ("sk-svcacct-", KeyKind.SERVICE_ACCOUNT),
    ("sk-admin-", KeyKind.ADMIN),
    ("ek_", KeyKind.EPHEMERAL),
    ("sk-", KeyKind.LEGACY_USER),
)

KIND_LABELS = {
    KeyKind.PROJECT: "project key",
    KeyKind.SERVICE_ACCOUNT: "service-account key",
    KeyKind.ADMIN: "admin key",
    KeyKind.LEGACY_USER: "legacy user key",
    KeyKind.EPHEMERAL: "ephemeral client secret",
    KeyKind.UNKNOWN: "unrecognised token",
}

# Template text people leave in .env files (docs/failures.md F02). Markers are matched
# case-insensitively as substrings; words are matched only as the whole value, so a
# real key that happens to contain "none" (`sk-None-…` exists) is not flagged.
# "sk-xxxx" templates are caught by _mostly_x, not by an "xxxx" substring: about one
# real key in 7,000 has "xxxx" somewhere in its random body (4 of 64 symbols, ~150 places).
_PLACEHOLDER_MARKERS = (
    "your_",
    "your-",
    "youropenai",
    "yourkey",
    "<",
    ">",
    "...",
    "…",
    "replace",
    "changeme",
    "insert_",
    "paste_",
    "_here",
)
_PLACEHOLDER_WORDS = {
    "none",
    "null",
    "undefined",
    "todo",
    "test",
    "key",
    "apikey",
    "api_key",
    "openai_api_key",
    "sk-",
    "secret",
}


def fingerprint(secret: str) -> str:
    """A short, stable, non-reversible id for a secret (8 hex chars of SHA-256)."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def key_prefix(key: str) -> str:
    """The kind prefix of a key, for display: 'sk-proj-', 'ek_', 'sk-', or '?'."""
    for prefix, _ in _PREFIXES:
        if key.startswith(prefix):
            return prefix
    return "?"


def _mostly_x(key: str) -> bool:
    """True for "sk-xxxx…"-style templates: at least half of the part after the prefix is x."""
    prefix = key_prefix(key)
    body = key[len(prefix) :] if prefix != "?" else key
    return len(body) >= 4 and body.lower().count("x") * 2 >= len(body)


def classify(key: str) -> KeyKind:
    for prefix, kind in _PREFIXES:
        if key.startswith(prefix):
            return kind
    return KeyKind.UNKNOWN


def display(key: str | None) -> str:
    """How a key is shown anywhere: kind, last four, fingerprint. Never more."""
    if not key:
        return "(none)"
    clean = key.strip().strip("\"'").strip()
    kind = KIND_LABELS[classify(clean)]
    tail = clean[-4:] if len(clean) >= 16 and clean[-4:].isascii() and clean[-4:].isprintable() else "????"
    return f"{kind} …{tail} (fp {fingerprint(clean)})"


def lint(key: str | None) -> tuple[KeyKind | None, list[Finding]]:
    """Problems visible without sending the key anywhere. Returns (kind, problems)."""
    if key is None or key == "":
        return None, [Finding("key_missing", Status.FAIL, "no API key found")]
    problems: list[Finding] = []
    stripped = key.strip()
    if stripped != key:
        where = "a newline" if ("\n" in key or "\r" in key) else "whitespace"
        problems.append(Finding("key_whitespace", Status.FAIL, f"the key has {where} before or after it"))
    if len(stripped) >= 2 and stripped[0] == stripped[-1] and stripped[0] in "\"'":
        problems.append(Finding("key_quoted", Status.FAIL, "the key is wrapped in quotes"))
    inner = stripped.strip("\"'").strip()
    if any(c.isspace() for c in inner):
        problems.append(Finding("key_whitespace", Status.FAIL, "the key contains whitespace inside it"))
    if not inner.isascii() or not inner.isprintable():
        problems.append(Finding("key_non_ascii", Status.FAIL, "the key contains non-ASCII or invisible characters"))
    lowered = inner.lower()
    if (
        any(m in lowered for m in _PLACEHOLDER_MARKERS)
        or _mostly_x(inner)
        or lowered in _PLACEHOLDER_WORDS
        or lowered.startswith(("http://", "https://"))
        or len(inner) < 20
    ):
        problems.append(
            Finding("key_placeholder", Status.FAIL, "the key looks like placeholder text, a URL or a fragment")
        )
    kind = classify(inner)
    if kind is KeyKind.ADMIN:
        problems.append(Finding("key_admin", Status.FAIL, "this is an Admin API key; it cannot call models"))
    elif kind is KeyKind.EPHEMERAL:
        problems.append(
            Finding(
                "key_ephemeral",
                Status.WARN,
                "this is an ephemeral client secret: it expires within minutes and only opens Realtime sockets",
            )
        )
    elif kind is KeyKind.UNKNOWN and not any(p.diagnosis == "key_placeholder" for p in problems):
        problems.append(
            Finding(
                "key_unknown_format",
                Status.WARN,
                "the key does not start with sk- or ek_: a relay, gateway or OAuth token works only where it was issued",
            )
        )
    # Report each diagnosis once: the first problem found for it, in the order found.
    first: dict[str, Finding] = {}
    for problem in problems:
        first.setdefault(problem.diagnosis, problem)
    return kind, list(first.values())
