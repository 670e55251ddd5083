"""Secret redaction (redact.py): no registered secret or key-shaped token survives in what is shown."""

from __future__ import annotations

import json
import re
import threading
import traceback
from collections.abc import Callable
from urllib.parse import quote

import pytest

from realtime_check.keys import display, fingerprint, key_prefix
from realtime_check.redact import Redactor, mask

PROJECT = "sk-proj-FAKE0000000000000000000000000000000000000000TEST"
SVCACCT = "sk-svcacct-FAKE00000000000000000000000000000000000000SVCA"
LEGACY = "sk-FAKE0000000000000000000000000000000000000000LEGY"
EPHEMERAL = "ek_FAKE0000000000000000000000000000EPHM"
RELAY = "FAKErelay00000000000000000000000000000RELY"
PROXY_PASSWORD = "FAKEproxyPassw0rd"

SECRETS = [
    pytest.param(PROJECT, id="project"),
    pytest.param(SVCACCT, id="service-account"),
    pytest.param(LEGACY, id="legacy"),
    pytest.param(EPHEMERAL, id="ephemeral"),
    pytest.param(RELAY, id="relay-token"),
    pytest.param(PROXY_PASSWORD, id="proxy-password"),
]


def leaked(secret: str, shown: str, size: int = 8) -> set[str]:
    """The `size`-character pieces of the secret (outside its public kind prefix) found in `shown`."""
    prefix = key_prefix(secret)
    pieces = {secret[i : i + size] for i in range(len(secret) - size + 1)}
    return {p for p in pieces if p not in prefix and p in shown}


def _exception_text(secret: str) -> str:
    try:
        try:
            raise ConnectionError(f"proxy refused credentials {secret!r}")
        except ConnectionError as inner:
            raise RuntimeError("connect failed") from inner
    except RuntimeError as exc:
        return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


# Ways a secret ends up inside text we print: SDK messages, server echoes, URLs, logs.
EMBEDDINGS: list[object] = [
    pytest.param(lambda s: s, id="bare"),
    pytest.param(lambda s: f"key={s};", id="assignment"),
    pytest.param(lambda s: f"x{s}y", id="glued-to-word-chars"),
    pytest.param(lambda s: f"{s}{s}", id="twice-in-a-row"),
    pytest.param(lambda s: json.dumps({"api_key": s, "nested": [{"k": s}]}), id="json"),
    pytest.param(lambda s: json.dumps(json.dumps({"api_key": s})), id="double-encoded-json"),
    pytest.param(lambda s: repr(ValueError(s)), id="exception-repr"),
    pytest.param(lambda s: repr({"headers": {"Authorization": f"Bearer {s}"}}), id="dict-repr"),
    pytest.param(lambda s: str(s.encode()), id="bytes-repr"),
    pytest.param(_exception_text, id="chained-traceback"),
    pytest.param(lambda s: f"Authorization: Bearer {s}", id="bearer-header-line"),
    pytest.param(lambda s: f"authorization: bearer {s}\r\n", id="lowercase-bearer"),
    pytest.param(lambda s: f"Sec-WebSocket-Protocol: realtime, openai-insecure-api-key.{s}", id="subprotocol"),
    pytest.param(lambda s: f"wss://api.openai.com/v1/realtime?model=gpt-realtime&api_key={s}", id="url-api_key"),
    pytest.param(lambda s: f"https://gw.example.com/v1/models?api-key={s}&x=1", id="url-api-key"),
    pytest.param(lambda s: f"wss://gw.example.com/realtime?authorization=Bearer%20{s}", id="url-authorization"),
    pytest.param(lambda s: f"http://user:{s}@proxy.example.com:8080", id="url-userinfo"),
    pytest.param(lambda s: f"HTTPS_PROXY=http://FAKEuser:{s}@10.0.0.1:3128 failed", id="proxy-env-line"),
    # Real keys use only URL-safe characters, so percent-encoding leaves them unchanged.
    pytest.param(lambda s: "https://gw.example.com/v1?token=" + quote(s, safe=""), id="percent-encoded"),
    pytest.param(lambda s: f"line one\n{s}\nline three", id="own-line"),
    pytest.param(lambda s: f"'{s}'", id="single-quoted"),
]


@pytest.mark.parametrize("embed", EMBEDDINGS)
@pytest.mark.parametrize("secret", SECRETS)
def test_no_piece_of_a_registered_secret_survives(secret: str, embed: Callable[[str], str]) -> None:
    """No 8-character piece of a registered secret is left in redacted text, however it was embedded."""
    shown = Redactor(secret).text(embed(secret))
    assert not leaked(secret, shown), shown


@pytest.mark.parametrize("secret", [PROJECT, SVCACCT, LEGACY, EPHEMERAL], ids=["project", "svcacct", "legacy", "ek"])
def test_real_key_formats_are_url_safe(secret: str) -> None:
    """Key-shaped secrets percent-encode to themselves, so a key inside a URL needs no decoding to be caught."""
    assert quote(secret, safe="") == secret


@pytest.mark.parametrize("embed", EMBEDDINGS)
@pytest.mark.parametrize("secret", SECRETS)
def test_redaction_is_idempotent(secret: str, embed: Callable[[str], str]) -> None:
    """Redacting already-redacted text changes nothing, so layered redaction is safe."""
    redactor = Redactor(secret)
    once = redactor.text(embed(secret))
    assert redactor.text(once) == once


@pytest.mark.parametrize(
    "registered",
    [
        pytest.param(f'"{PROJECT}"', id="double-quoted"),
        pytest.param(f"'{PROJECT}'", id="single-quoted"),
        pytest.param(f"{PROJECT}\n", id="trailing-newline"),
        pytest.param(f"  {PROJECT}\r\n", id="padded"),
    ],
)
def test_cleaned_variants_of_a_registered_secret_are_caught(registered: str) -> None:
    """A key registered as read (quoted or padded) is also caught in its cleaned form, which is what is sent."""
    shown = Redactor(registered).text(f"sent {PROJECT} and {registered}")
    assert not leaked(PROJECT, shown), shown


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(PROJECT, id="project"),
        pytest.param(SVCACCT, id="service-account"),
        pytest.param(LEGACY, id="legacy"),
        pytest.param(EPHEMERAL, id="ephemeral"),
        pytest.param("sk-admin-FAKE000000000000000000000000ADMN", id="admin"),
    ],
)
def test_unregistered_key_shaped_tokens_are_masked(token: str) -> None:
    """A key-shaped token nobody registered (say, echoed by a proxy) is masked anyway."""
    shown = Redactor().text(f"upstream said: invalid key {token}.")
    assert not leaked(token, shown), shown
    assert fingerprint(token) in shown


@pytest.mark.parametrize(
    ("text", "secret_part"),
    [
        pytest.param("Authorization: Bearer FAKEopaqueGatewayToken", "FAKEopaqueGatewayToken", id="bearer"),
        pytest.param("openai-insecure-api-key.FAKEopaque123", "FAKEopaque123", id="subprotocol"),
        pytest.param("https://gw.example.com/v1?api_key=FAKEopaque123", "FAKEopaque123", id="query-api_key"),
        pytest.param("https://gw.example.com/v1?key=FAKEopaque123", "FAKEopaque123", id="query-key"),
        pytest.param("https://gw.example.com/v1?token=FAKEopaque123", "FAKEopaque123", id="query-token"),
        pytest.param("wss://gw/realtime?authorization=Bearer%20FAKEopaque1", "FAKEopaque1", id="query-authorization"),
        pytest.param("https://gw/v1?client_secret=FAKEopaque123", "FAKEopaque123", id="query-client_secret"),
        pytest.param("http://alice:FAKEpassw0rd@proxy.example.com:3128", "FAKEpassw0rd", id="userinfo"),
        pytest.param("socks5://alice:FAKEpassw0rd@proxy.example.com:1080", "FAKEpassw0rd", id="socks-userinfo"),
        pytest.param("http://:FAKEpassw0rd@proxy.example.com:3128", "FAKEpassw0rd", id="userinfo-empty-user"),
    ],
)
def test_unregistered_credentials_in_known_places_are_masked(text: str, secret_part: str) -> None:
    """Credentials of any shape are masked where they sit in a bearer header, subprotocol, query or URL userinfo."""
    shown = Redactor().text(text)
    assert secret_part not in shown, shown


def test_userinfo_keeps_the_user_and_host_readable() -> None:
    """Only the proxy password is hidden: the user name and host stay visible for debugging."""
    assert (
        Redactor().text("http://alice:FAKEpassw0rd@proxy.example.com:3128") == "http://alice:***@proxy.example.com:3128"
    )


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Incorrect API key provided: sk-proj-...TEST.", id="dots"),
        pytest.param("Incorrect API key provided: sk-proj-********************TEST.", id="stars"),
        pytest.param(
            "Incorrect API key provided: sk-abc12***************************************wxyz.", id="legacy-stars"
        ),
        pytest.param("Incorrect API key provided: YOUR_OPE***_KEY.", id="placeholder-echo"),
        pytest.param("model gpt-realtime-2025-08-28 in project proj_FAKE123", id="ordinary-ids"),
        pytest.param("see https://platform.openai.com/account/api-keys", id="docs-url"),
    ],
)
def test_the_servers_masked_form_and_ordinary_text_stay_readable(text: str) -> None:
    """The server's own masked key echo and ordinary text pass through unchanged, so users can compare keys."""
    assert Redactor(PROJECT).text(text) == text


@pytest.mark.parametrize("secret", SECRETS)
def test_registered_secret_is_shown_with_the_same_fingerprint_as_display(secret: str) -> None:
    """The fingerprint in redacted text matches the one in the key display, so a user can tell which key leaked."""
    shown = Redactor(secret).text(secret)
    assert fingerprint(secret) in shown
    assert f"(fp {fingerprint(secret)})" in display(secret)


def test_fingerprint_is_stable_short_hex() -> None:
    """A fingerprint is 8 lowercase hex characters, the same on every call, different for different secrets."""
    fp = fingerprint(PROJECT)
    assert re.fullmatch(r"[0-9a-f]{8}", fp)
    assert fingerprint(PROJECT) == fp
    # Pinned value: a fingerprint printed yesterday must still identify the key today.
    assert fp == "c4ed21b2"
    assert fingerprint(PROJECT.replace("TEST", "TESU")) != fp


def test_fingerprint_accepts_any_string() -> None:
    """Fingerprinting junk (lone surrogates, control characters) gives an answer instead of a traceback."""
    assert re.fullmatch(r"[0-9a-f]{8}", fingerprint("\ud800FAKE\x00"))


@pytest.mark.parametrize(
    ("secret", "expected_start"),
    [
        pytest.param(PROJECT, "sk-proj-…TEST [", id="project"),
        pytest.param(EPHEMERAL, "ek_…EPHM [", id="ephemeral"),
        pytest.param("FAKEshort", "?… [", id="short-no-tail"),
    ],
)
def test_mask_shows_prefix_tail_and_fingerprint(secret: str, expected_start: str) -> None:
    """mask() shows the kind prefix, the last four characters of long secrets and the fingerprint."""
    assert mask(secret) == f"{expected_start}{fingerprint(secret)}]"


@pytest.mark.parametrize("short", [None, "", "abc"], ids=["none", "empty", "three-chars"])
def test_tiny_secrets_are_not_registered(short: str | None) -> None:
    """Registering nothing or a 1–3 character string does not shred ordinary text."""
    text = "abc def: the api is fine"
    assert Redactor(short).text(text) == text


def test_text_accepts_non_strings() -> None:
    """Any object can be redacted via its str(), e.g. an exception instance."""
    shown = Redactor(RELAY).text(OSError(f"bad token {RELAY}"))
    assert not leaked(RELAY, shown)


def test_secret_added_later_is_redacted() -> None:
    """A secret minted during the run (an ephemeral client secret) is redacted once added."""
    redactor = Redactor(PROJECT)
    redactor.add(RELAY)
    assert not leaked(RELAY, redactor.text(f"minted {RELAY}"))


def test_longer_secret_is_replaced_whole_when_it_contains_a_shorter_one() -> None:
    """When one secret contains another, the longer one is replaced whole and nothing of it remains."""
    short = "FAKEinner0000000"
    long = f"FAKEouter{short}TAIL"
    shown = Redactor(short, long).text(long)
    assert not leaked(long, shown) and not leaked(short, shown)


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        pytest.param("Authorization", f"Bearer {PROJECT}", "Bearer ***", id="authorization"),
        pytest.param("authorization", f"Bearer {RELAY}", "Bearer ***", id="authorization-lowercase"),
        pytest.param("Authorization", RELAY, "***", id="authorization-no-scheme"),
        pytest.param("api-key", "FAKEazure0000000000000000000000", "***", id="azure-api-key"),
        pytest.param("Proxy-Authorization", "Basic RkFLRTpGQUtF", "***", id="proxy-authorization"),
        pytest.param("Cookie", "session=FAKE", "***", id="cookie"),
        pytest.param("Set-Cookie", "__cf_bm=FAKE; path=/", "***", id="set-cookie"),
        pytest.param(
            "Sec-WebSocket-Protocol",
            f"realtime, openai-insecure-api-key.{EPHEMERAL}",
            "realtime, openai-insecure-api-key.***",
            id="subprotocol-keeps-realtime",
        ),
    ],
)
def test_credential_headers_are_masked(name: str, value: str, expected: str) -> None:
    """Credential headers are masked by name, whatever the value looks like, keeping the auth scheme visible."""
    assert Redactor().headers({name: value}) == {name: expected}


def test_other_headers_are_redacted_but_readable() -> None:
    """Non-credential headers stay readable, but a secret inside them is still removed."""
    shown = Redactor(RELAY).headers(
        [("x-request-id", "req_FAKE123"), ("x-debug", f"forwarded {RELAY}"), ("openai-organization", "org-FAKE")]
    )
    assert shown["x-request-id"] == "req_FAKE123"
    assert shown["openai-organization"] == "org-FAKE"
    assert not leaked(RELAY, shown["x-debug"])


def test_value_walks_json_like_structures() -> None:
    """Every string in nested dicts, lists and tuples (keys included) is redacted; other values are kept."""
    data = {
        "error": {"message": f"bad key {PROJECT}", "code": "invalid_api_key", "param": None},
        "list": [PROJECT, ("t", PROJECT)],
        PROJECT: 3,
        "n": 1.5,
        "ok": True,
    }
    shown = Redactor(PROJECT).value(data)
    assert not leaked(PROJECT, json.dumps(shown))
    assert shown["error"]["code"] == "invalid_api_key"
    assert shown["error"]["param"] is None
    assert shown["n"] == 1.5 and shown["ok"] is True


def test_concurrent_add_and_text_do_not_crash() -> None:
    """Adding secrets from several threads while text is being redacted neither crashes nor loses a secret."""
    redactor = Redactor(PROJECT)
    secrets = [f"FAKEthread{i:02d}secret000000" for i in range(40)]
    barrier = threading.Barrier(5)
    errors: list[BaseException] = []

    def adder(chunk: list[str]) -> None:
        try:
            barrier.wait()
            for s in chunk:
                redactor.add(s)
        except BaseException as exc:  # noqa: BLE001 - surfaced by the assert below
            errors.append(exc)

    def reader() -> None:
        try:
            barrier.wait()
            for _ in range(200):
                redactor.text(f"{PROJECT} {secrets[0]}")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=adder, args=(secrets[i::4],)) for i in range(4)]
    threads.append(threading.Thread(target=reader))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    shown = redactor.text(" ".join(secrets))
    assert not any(leaked(s, shown) for s in secrets)
