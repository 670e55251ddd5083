"""The token stream both language matchers share, and offset → line/column mapping.

A token is code the program runs: comments are dropped by the lexers, so a comment that explains
a migration ("we used to send OpenAI-Beta") can never become a finding.
"""

from __future__ import annotations

import bisect
from enum import Enum
from typing import NamedTuple


class Kind(str, Enum):
    STR = "str"  # a string literal, or one literal chunk of a template / f-string
    NAME = "name"
    OP = "op"
    NUM = "num"


class Token(NamedTuple):
    """A NamedTuple, not a dataclass: a scan creates millions, and tuples are the cheapest immutable record."""

    kind: Kind
    start: int  # offsets into the file's text
    end: int
    text: str  # for STR: the literal's raw content between the quotes (escapes not decoded)
    content_start: int = 0  # STR only: where `text` starts in the file
    group_start: int = 0  # STR only: the whole literal (all chunks of a template) spans group_start..group_end
    group_end: int = 0


class LineIndex:
    """Character offset → 1-based (line, column)."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        position = text.find("\n")
        while position != -1:
            self.starts.append(position + 1)
            position = text.find("\n", position + 1)

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def line_span(self, line: int, text: str) -> tuple[int, int]:
        """Start and end offsets (end excludes the newline) of a 1-based line."""
        start = self.starts[line - 1]
        end = text.find("\n", start)
        return start, (len(text) if end == -1 else end)
