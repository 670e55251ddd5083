"""Fenced code blocks of a Markdown file, each matched as the language its fence names.

Prose is not scanned (a migration guide *mentions* the beta names); code blocks are, because people
copy them. Each block is handed on as the whole file with everything else blanked to spaces, so
offsets, lines and columns stay those of the Markdown file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

MAX_BLOCKS = 200  # each block costs a pass over the file: bounded for a hostile document
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})[ \t]*([\w+#.-]*)[^\n]*$", re.M)

LANGUAGES = {
    "python": "python",
    "py": "python",
    "python3": "python",
    "pycon": "text",
    "javascript": "js",
    "js": "js",
    "jsx": "js",
    "mjs": "js",
    "cjs": "js",
    "node": "js",
    "typescript": "js",
    "ts": "js",
    "tsx": "js",
    "json": "js",
    "jsonc": "js",
    "json5": "js",
}


def code_blocks(text: str) -> Iterator[tuple[str, str]]:
    """(language, blanked text) for each fenced block; language is python, js or text."""
    position, count = 0, 0
    while count < MAX_BLOCKS and (opening := _FENCE.search(text, position)) is not None:
        count += 1
        fence = opening.group(1)
        body_start = opening.end() + 1
        closing = re.compile(r"^[ \t]{0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$", re.M)
        end_match = closing.search(text, body_start)
        body_end = end_match.start() if end_match else len(text)
        if body_start < body_end:
            yield LANGUAGES.get(opening.group(2).lower(), "text"), _blank_outside(text, body_start, body_end)
        position = end_match.end() if end_match else len(text)


def _blank_outside(text: str, start: int, end: int) -> str:
    """`text` with everything outside [start, end) turned into spaces (newlines kept)."""

    def blank(part: str) -> str:
        return re.sub(r"[^\n]", " ", part)

    return blank(text[:start]) + text[start:end] + blank(text[end:])
