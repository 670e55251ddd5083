"""Key classification, display and local lint (keys.py): nothing here is sent anywhere."""

from __future__ import annotations

import pytest

from realtime_check.keys import (
    KeyKind,
    classify,
    display,
    fingerprint,
    key_prefix,
    lint,
)
from realtime_check.models import Status

PROJECT = "sk-proj-FAKE0000000000000000000000000000000000000000TEST"
SVCACCT = "sk-svcacct-FAKE00000000000000000000000000000000000000SVCA"
ADMIN = "sk-admin-FAKE000000000000000000000000000000000000000ADMN"
LEGACY = "sk-FAKE0000000000000000000000000000000000000000LEGY"
SK_NONE = "sk-None-FAKE000000000000000000000000000000000000000NONE"
EPHEMERAL = "ek_FAKE0000000000000000000000000000EPHM"
RELAY = "FAKErelay00000000000000000000000000000RELY"


def diagnoses_of(key: str | None) -> set[str]:
    return {p.diagnosis for p in lint(key)[1]}


def windows(secret: str, size: int = 8) -> set[str]:
    """Every `size`-character substring of the secret, except those inside its public kind prefix."""
    prefix = key_prefix(secret)
    all_windows = {secret[i : i + size] for i in range(len(secret) - size + 1)}
    return {w for w in all_windows if w not in prefix}


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        pytest.param(PROJECT, KeyKind.PROJECT, id="project"),
        pytest.param(SVCACCT, KeyKind.SERVICE_ACCOUNT, id="service-account"),
        pytest.param(ADMIN, KeyKind.ADMIN, id="admin"),
        pytest.param(EPHEMERAL, KeyKind.EPHEMERAL, id="ephemeral"),
        pytest.param(LEGACY, KeyKind.LEGACY_USER, id="legacy"),
        pytest.param(SK_NONE, KeyKind.LEGACY_USER, id="sk-None-is-an-sk-key"),
        pytest.param(RELAY, KeyKind.UNKNOWN, id="relay-token"),
        pytest.param("ek-FAKE0000000000000000000000", KeyKind.UNKNOWN, id="ek-dash-is-not-ephemeral"),
        pytest.param("SK-PROJ-FAKE000000000000000000", KeyKind.UNKNOWN, id="upper-case-prefix"),
    ],
)
def test_classify_by_prefix(key: str, kind: KeyKind) -> None:
    """Each key is classified by its documented prefix, the most specific prefix winning."""
    assert classify(key) is kind


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(PROJECT, id="project"),
        pytest.param(SVCACCT, id="service-account"),
        pytest.param(LEGACY, id="legacy"),
        pytest.param(SK_NONE, id="sk-None"),
        # A random key body can contain a run of x's; it must not be taken for "sk-xxxx".
        pytest.param("sk-proj-FAKE0000000000xxxx000000000000000000000000TEST", id="xxxx-inside-random-body"),
        pytest.param("sk-proj-FAKE0000000000XXXX000000000000000000000000TEST", id="XXXX-inside-random-body"),
    ],
)
def test_real_looking_keys_have_no_problems(key: str) -> None:
    """A well-formed sk- key (including the sk-None-… form seen in the wild) gets no lint problem."""
    assert lint(key)[1] == []


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        pytest.param(None, "key_missing", id="none"),
        pytest.param("", "key_missing", id="empty"),
        pytest.param(" " + PROJECT, "key_whitespace", id="leading-space"),
        pytest.param(PROJECT + "\n", "key_whitespace", id="trailing-newline"),
        pytest.param(PROJECT + "\r\n", "key_whitespace", id="trailing-crlf"),
        pytest.param(PROJECT + "\t", "key_whitespace", id="trailing-tab"),
        pytest.param(PROJECT + "\u00a0", "key_whitespace", id="trailing-nbsp"),
        pytest.param('"' + PROJECT + '"', "key_quoted", id="double-quotes"),
        pytest.param("'" + PROJECT + "'", "key_quoted", id="single-quotes"),
        pytest.param(PROJECT[:24] + " " + PROJECT[24:], "key_whitespace", id="inner-space"),
        pytest.param(PROJECT[:24] + "\n" + PROJECT[24:], "key_whitespace", id="inner-newline"),
        pytest.param(PROJECT[:24] + "\u200b" + PROJECT[24:], "key_non_ascii", id="zero-width-space"),
        pytest.param("\ufeff" + PROJECT, "key_non_ascii", id="byte-order-mark"),
        pytest.param("\u201c" + PROJECT + "\u201d", "key_non_ascii", id="smart-quotes"),
        pytest.param("sk-proj-FAKE\u0410" + PROJECT[13:], "key_non_ascii", id="cyrillic-A"),
        pytest.param("sk-proj-FAKE\u043e" + PROJECT[13:], "key_non_ascii", id="cyrillic-o"),
        pytest.param(PROJECT[:30] + "\x00" + PROJECT[30:], "key_non_ascii", id="control-char"),
        pytest.param("YOUR_OPENAI_API_KEY", "key_placeholder", id="YOUR_OPENAI_API_KEY"),
        pytest.param("your-api-key-here", "key_placeholder", id="your-api-key-here"),
        pytest.param("<your key>", "key_placeholder", id="angle-brackets"),
        pytest.param("sk-xxxx", "key_placeholder", id="sk-xxxx"),
        pytest.param("sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "key_placeholder", id="sk-long-xxxx"),
        pytest.param("sk-proj-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "key_placeholder", id="sk-proj-XXXX"),
        pytest.param("sk-proj-...TEST", "key_placeholder", id="masked-form-pasted"),
        pytest.param("sk-...", "key_placeholder", id="sk-dots"),
        pytest.param("none", "key_placeholder", id="none-word"),
        pytest.param("None", "key_placeholder", id="None-word"),
        pytest.param("null", "key_placeholder", id="null-word"),
        pytest.param("https://api.openai.com/v1", "key_placeholder", id="url"),
        pytest.param("http://localhost:8080/v1/FAKE00000000000000000", "key_placeholder", id="long-url"),
        pytest.param("sk-FAKE1234", "key_placeholder", id="short-fragment"),
        pytest.param("$OPENAI_API_KEY", "key_placeholder", id="unexpanded-variable"),
        pytest.param(ADMIN, "key_admin", id="admin"),
        pytest.param(EPHEMERAL, "key_ephemeral", id="ephemeral"),
        pytest.param(RELAY, "key_unknown_format", id="unknown-prefix"),
    ],
)
def test_lint_flags_the_mistake(key: str | None, expected: str) -> None:
    """Each common key mistake is named by its own diagnosis id."""
    assert expected in diagnoses_of(key)


@pytest.mark.parametrize(
    ("key", "level"),
    [
        pytest.param(None, Status.FAIL, id="missing-fails"),
        pytest.param(PROJECT + "\n", Status.FAIL, id="newline-fails"),
        pytest.param('"' + PROJECT + '"', Status.FAIL, id="quotes-fail"),
        pytest.param("YOUR_OPENAI_API_KEY", Status.FAIL, id="placeholder-fails"),
        pytest.param(ADMIN, Status.FAIL, id="admin-fails"),
        pytest.param(PROJECT[:24] + "\u200b" + PROJECT[24:], Status.FAIL, id="invisible-char-fails"),
        pytest.param(EPHEMERAL, Status.WARN, id="ephemeral-warns"),
        pytest.param(RELAY, Status.WARN, id="unknown-prefix-warns"),
    ],
)
def test_lint_severity(key: str | None, level: Status) -> None:
    """Unusable keys fail; ephemeral secrets and unknown-prefix tokens only warn, as they may still work."""
    problems = lint(key)[1]
    assert problems and {p.status for p in problems} == {level}


def test_placeholder_does_not_also_claim_unknown_format() -> None:
    """A placeholder is reported as a placeholder, not additionally as an unrecognised token format."""
    assert diagnoses_of("YOUR_OPENAI_API_KEY") == {"key_placeholder"}


def test_each_diagnosis_is_reported_once() -> None:
    """A key with both outer and inner whitespace gets one key_whitespace problem, not two."""
    problems = lint(" " + PROJECT[:24] + " " + PROJECT[24:])[1]
    assert [p.diagnosis for p in problems].count("key_whitespace") == 1


def test_lint_returns_the_kind_of_the_cleaned_key() -> None:
    """A quoted, newline-terminated project key is still recognised as a project key."""
    assert lint('"' + PROJECT + '"\n')[0] is KeyKind.PROJECT
    assert lint(None)[0] is None


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(PROJECT, id="project"),
        pytest.param(" " + PROJECT + "\n", id="whitespace"),
        pytest.param('"' + PROJECT + '"', id="quoted"),
        pytest.param(PROJECT[:24] + "\u200b" + PROJECT[24:], id="zero-width"),
        pytest.param(ADMIN, id="admin"),
        pytest.param(RELAY, id="relay"),
        pytest.param("YOUR_OPENAI_API_KEY_FAKE", id="placeholder"),
    ],
)
def test_lint_messages_never_contain_the_key(key: str) -> None:
    """Lint messages describe the problem without quoting any part of the key."""
    text = " ".join(p.message for p in lint(key)[1])
    assert not {w for w in windows(key.strip().strip('"')) if w in text}


@pytest.mark.parametrize(
    ("key", "label", "tail"),
    [
        pytest.param(PROJECT, "project key", "TEST", id="project"),
        pytest.param(SVCACCT, "service-account key", "SVCA", id="service-account"),
        pytest.param(ADMIN, "admin key", "ADMN", id="admin"),
        pytest.param(LEGACY, "legacy user key", "LEGY", id="legacy"),
        pytest.param(EPHEMERAL, "ephemeral client secret", "EPHM", id="ephemeral"),
        pytest.param(RELAY, "unrecognised token", "RELY", id="relay"),
    ],
)
def test_display_shows_kind_last_four_and_fingerprint_only(key: str, label: str, tail: str) -> None:
    """A key is shown as its kind, its last four characters and its fingerprint, never more of it."""
    shown = display(key)
    assert shown == f"{label} …{tail} (fp {fingerprint(key)})"
    assert not {w for w in windows(key, 5) if w in shown}


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param('"' + PROJECT + '"', id="double-quoted"),
        pytest.param("'" + PROJECT + "'", id="single-quoted"),
        pytest.param("  " + PROJECT + "\r\n", id="whitespace"),
    ],
)
def test_display_identifies_the_cleaned_key(raw: str) -> None:
    """A quoted or padded key is displayed like the clean key that will actually be sent."""
    assert display(raw) == display(PROJECT)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        pytest.param(None, "(none)", id="none"),
        pytest.param("", "(none)", id="empty"),
        pytest.param("sk-FAKE12", f"legacy user key …???? (fp {fingerprint('sk-FAKE12')})", id="short-hides-tail"),
        pytest.param(
            PROJECT[:-1] + "\u200b",
            f"project key …???? (fp {fingerprint(PROJECT[:-1] + chr(0x200B))})",
            id="invisible-tail-hidden",
        ),
    ],
)
def test_display_edge_cases(key: str | None, expected: str) -> None:
    """Missing keys read "(none)"; short keys and unprintable tails are not partially shown."""
    assert display(key) == expected


def test_display_distinguishes_keys_with_the_same_tail() -> None:
    """Two keys ending in the same four characters still display differently (by fingerprint)."""
    other = PROJECT.replace("FAKE0", "FAKE1", 1)
    assert display(PROJECT) != display(other)
