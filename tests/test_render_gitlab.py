"""GitLab CI job-log sections: markers, names, timing, content and injection safety."""

from __future__ import annotations

import io
import re

import pytest
import report_factory as factory

from realtime_check.models import Status
from realtime_check.render.gitlab import (
    format_gitlab,
    section_end,
    section_name,
    section_start,
    write_gitlab,
)

START = re.compile(r"\x1b\[0Ksection_start:(\d+):([a-z0-9_]+)(\[collapsed=true\])?\r\x1b\[0K")
END = re.compile(r"\x1b\[0Ksection_end:(\d+):([a-z0-9_]+)\r\x1b\[0K")
COLOUR = re.compile(r"\x1b\[\d+m")


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("ws.handshake", "ws_handshake"),
        ("Client Secret!", "client_secret"),
        ("round_trip", "round_trip"),
        ("ünï", "n"),
        ("...", "section"),
    ],
)
def test_section_names_are_sanitised(raw: str, name: str) -> None:
    """Section names keep only lower-case letters, digits and underscores, and are never empty."""
    assert section_name(raw) == name


def test_section_markers_match_gitlabs_format() -> None:
    """Start and end markers use GitLab's exact escape sequence, name and collapsed option."""
    assert section_start("models", "header", timestamp=1700000000) == (
        "\x1b[0Ksection_start:1700000000:models[collapsed=true]\r\x1b[0Kheader"
    )
    assert section_start("models", "h", timestamp=1, collapsed=False) == "\x1b[0Ksection_start:1:models\r\x1b[0Kh"
    assert section_end("models", timestamp=1700000001) == "\x1b[0Ksection_end:1700000001:models\r\x1b[0K"


def test_one_collapsed_section_per_check_in_order() -> None:
    """Every check gets its own uniquely named, collapsed section, opened and closed in order."""
    report = factory.failing_report()
    text = format_gitlab(report)
    starts, ends = START.findall(text), END.findall(text)
    assert len(starts) == len(ends) == len(report.checks)
    assert [s[1] for s in starts] == [e[1] for e in ends]
    assert len({s[1] for s in starts}) == len(report.checks)
    assert starts[4][1] == "realtime_check_05_models"
    assert all(s[2] == "[collapsed=true]" for s in starts)
    assert text.rstrip("\n").endswith(
        "realtime-check failed at models: the API rejected the key (401 invalid_api_key) (exit 5)"
    )


def test_section_times_follow_the_check_durations() -> None:
    """Sections start at started_at and each lasts its check's duration, so GitLab shows real timings."""
    checks = [
        factory.check("slow", duration_ms=4000.0),
        factory.check("skipped", Status.SKIP, duration_ms=None),
        factory.check("next", duration_ms=2500.0),
    ]
    text = format_gitlab(factory.build_report(checks))
    base = int(factory.STARTED_AT_UNIX)
    assert [int(s[0]) for s in START.findall(text)] == [base, base + 4, base + 4]
    assert [int(e[0]) for e in END.findall(text)] == [base + 4, base + 4, base + 6]


def test_unparseable_start_time_falls_back_to_now() -> None:
    """When started_at cannot be parsed, sections are timed from the given `now`."""
    report = factory.build_report([factory.check("a", duration_ms=1000.0)], started_at="not a date")
    assert START.findall(format_gitlab(report, now=1000.0))[0][0] == "1000"


def test_section_holds_the_explanation_and_details() -> None:
    """A failed check's section shows status and summary in its header, then advice, evidence and details."""
    text = format_gitlab(factory.failing_report())
    section = text[
        text.index("realtime_check_05_models[collapsed=true]") : text.index(
            "section_end:1795514400:realtime_check_05_models"
        )
    ]
    header = section.split("\n", 1)[0]
    assert COLOUR.sub("", header).endswith("FAIL  models: the API rejected the key (401 invalid_api_key)")
    for expected in (
        "Diagnosis: invalid_api_key",
        "  - Check that OPENAI_API_KEY",
        "HTTP status: 401",
        "Request id: req_fail401",
        '"Authorization": "Bearer ***"',
    ):
        assert expected in section
    assert factory.FAKE_KEY not in text and factory.FAKE_FINGERPRINT in text


def test_server_text_cannot_open_or_close_sections() -> None:
    """Control characters from the server are removed, so only our own markers and colours remain."""
    report = factory.hostile_report()
    text = format_gitlab(report)
    assert len(START.findall(text)) == len(END.findall(text)) == len(report.checks)
    leftover = COLOUR.sub("", END.sub("", START.sub("", text)))
    assert "\x1b" not in leftover and "\r" not in leftover and "\x00" not in leftover
    assert "section_start:1:evil" in leftover  # shown as harmless text


def test_write_gitlab_prints_the_sections() -> None:
    """write_gitlab writes exactly format_gitlab's text to the stream."""
    stream = io.StringIO()
    report = factory.warning_report()
    write_gitlab(report, stream)
    assert stream.getvalue() == format_gitlab(report)


def test_start_time_without_offset_is_read_as_utc() -> None:
    """A started_at without an offset is UTC by contract, not the machine's local time."""
    report = factory.build_report([factory.check("a")], started_at=factory.STARTED_AT.rstrip("Z"))
    assert START.findall(format_gitlab(report))[0][0] == str(int(factory.STARTED_AT_UNIX))
