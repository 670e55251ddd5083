"""The boundary for server text (sanitize.py) and the redactor's echo forms, as pure functions."""

from __future__ import annotations

import base64

from realtime_check.models import ApiError, CheckResult, Status
from realtime_check.redact import UNUSUAL_REQUEST_ID, Redactor
from realtime_check.sanitize import LINE, MAX_ITEMS, escape_controls, safe_result, safe_value

KEY = "sk-proj-FAKEsanitizeQ7zR2wM9tL4bN6cV8dH1fJ3gP5kXyTEST"
BODY = KEY.removeprefix("sk-proj-")


def result(**fields: object) -> CheckResult:
    return CheckResult(**{"id": "websocket", "status": Status.FAIL, "summary": "s", **fields})  # type: ignore[arg-type]


def test_controls_become_visible_escapes() -> None:
    """ESC, BEL, 8-bit CSI/OSC and bidi overrides are shown as escapes, so a terminal acts on none of them."""
    shown = escape_controls("a\x1b]52;c;eA==\x07b\u009b2J\u202ec")
    assert shown == "a\\x1b]52;c;eA==\\x07b\\x9b2J\\u202ec"


def test_line_breaks_become_spaces_and_legacy_commands_are_broken() -> None:
    """A newline cannot start a line of server text, and `##[` is no longer GitHub's legacy command syntax."""
    assert escape_controls("x\n::add-mask::y\r\n##[debug]z") == "x ::add-mask::y # #[debug]z"


def test_every_field_of_a_result_is_escaped_redacted_and_bounded() -> None:
    """Summary, error, close reason, advice and details all pass the boundary."""
    redactor = Redactor(KEY)
    safe = safe_result(
        result(
            summary="x" * 10_000,
            error=ApiError(message=f"bad \x1b[2J {KEY}", code="c\u009d"),
            close_reason=f"reason {BODY}",
            advice=(f"advice {KEY}",),
            details={"server": "\x9b31m", "nested": {"k": BODY}},
        ),
        redactor,
    )
    assert len(safe.summary) == LINE
    text = repr(safe)
    assert BODY[:12] not in text and "\x1b" not in text and "\x9b" not in text and "\x9d" not in text


def test_request_ids_not_shaped_like_one_are_replaced() -> None:
    """A request id holding markup, controls or a secret is shown as a placeholder; a real one is kept."""
    redactor = Redactor(KEY)
    assert safe_result(result(request_id="req_0123abcd"), redactor).request_id == "req_0123abcd"
    for odd in ("req_<b>x</b>", "req_\x1b[2J", KEY):
        assert safe_result(result(request_id=odd), redactor).request_id == UNUSUAL_REQUEST_ID
    details = safe_result(result(details={"x-request-id": BODY}), redactor).details
    assert details["x-request-id"] == UNUSUAL_REQUEST_ID


def test_details_are_bounded_in_items_and_depth() -> None:
    """A list of a million entries or a deeply nested object cannot grow the report without bound."""
    deep: object = "leaf"
    for _ in range(50):
        deep = {"a": deep}
    details = safe_result(result(details={"many": list(range(1_000_000)), "deep": deep}), Redactor()).details
    assert len(details["many"]) == MAX_ITEMS + 1
    assert "too deep" in repr(details["deep"])


def test_a_secret_split_across_two_fields_is_masked_in_both() -> None:
    """Nine characters of the key ending the error message, the next nine starting the close reason: both masked."""
    first, second = BODY[:9], BODY[9:18]  # each shorter than a 12-character piece
    safe = safe_result(result(error=ApiError(message="bad key " + first), close_reason=second + " bye"), Redactor(KEY))
    assert first not in repr(safe) and second not in repr(safe)


def test_the_redactor_masks_every_echo_form() -> None:
    """Without its prefix, a 12-character piece, base64 at any alignment and fully percent-encoded."""
    redactor = Redactor(KEY)
    echoes = [
        BODY,
        f"...{KEY[20:32]}...",
        *(base64.b64encode((pad + KEY).encode()).decode() for pad in ("", "a", "ab")),
        "k=" + "".join(f"%{b:02X}" for b in KEY.encode()),
    ]
    for echo in echoes:
        shown = redactor.text(echo)
        assert BODY[:12] not in shown and KEY[20:32] not in shown, shown
        assert base64.b64encode(KEY.encode()).decode()[4:20] not in shown


def test_low_entropy_pieces_of_fixture_keys_do_not_mask_ordinary_numbers() -> None:
    """A fake key of mostly zeros does not make every run of zeros in a report a secret."""
    redactor = Redactor("sk-proj-FAKE0000000000000000000000000000000000TEST")
    assert redactor.text("expires_at 1000000000000000") == "expires_at 1000000000000000"


def test_safe_value_makes_any_document_safe() -> None:
    """A command's own JSON document (the model matrix) passes the same boundary."""
    doc = safe_value({"models": [{"id": "gpt-realtime\x1b[2J", "note": KEY}]}, Redactor(KEY))
    assert "\x1b" not in repr(doc) and BODY[:12] not in repr(doc)
