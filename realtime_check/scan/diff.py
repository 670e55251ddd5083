"""`--diff`: the mechanical rewrites as a unified diff. Files are never written."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from realtime_check.render._common import strip_controls
from realtime_check.scan.engine import read_source
from realtime_check.scan.masking import mask_secrets
from realtime_check.scan.models import Edit, Finding

# Bidirectional overrides and line separators would reorder or hide what a reviewer reads ("Trojan
# Source"); shown as escapes. Tabs and line ends stay, so the diff still applies.
_INVISIBLE = re.compile("[\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _lines(text: str) -> list[str]:
    """Lines as git counts them: split at "\n" only (str.splitlines also splits at U+2028 and friends)."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def apply(text: str, edits: list[Edit]) -> str:
    """`text` with the edits applied; an edit that overlaps one before it is left out."""
    out, position = [], 0
    for edit in sorted(set(edits), key=lambda e: (e.start, e.end)):
        if edit.start < position:
            continue
        out.append(text[position : edit.start])
        out.append(edit.replacement)
        position = edit.end
    out.append(text[position:])
    return "".join(out)


def unified_diff(root: Path, findings: tuple[Finding, ...] | list[Finding]) -> str:
    """One diff for every file that has a mechanical fix. Key-shaped text on a changed line is masked,
    so such a hunk is for reading, not for `git apply`: remove the key first."""
    by_file: dict[str, list[Edit]] = {}
    for finding in findings:
        if finding.edit is not None:
            by_file.setdefault(finding.path, []).append(finding.edit)
    chunks: list[str] = []
    for path, edits in sorted(by_file.items()):
        text = read_source(root / path)
        if text is None:
            continue
        new = apply(text, edits)
        lines = difflib.unified_diff(_lines(text), _lines(new), f"a/{path}", f"b/{path}")
        chunks.extend(mask_secrets(_INVISIBLE.sub(_visible, strip_controls(line))) for line in lines)
    return "".join(chunk if chunk.endswith("\n") else chunk + "\n" for chunk in chunks)
