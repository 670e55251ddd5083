"""One scan: walk the paths, match each file as its kind, place, mask and filter the hits, build the report."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from realtime_check.sanitize import escape_controls
from realtime_check.scan import ignore, lex_js, lex_python, markdown, model_retirement
from realtime_check.scan.masking import mask_secrets
from realtime_check.scan.match_python_ast import match_extra_headers
from realtime_check.scan.match_text import blank_comments, match_keys, match_text
from realtime_check.scan.match_tokens import match_tokens
from realtime_check.scan.models import Finding, Hit, ScanReport, Severity
from realtime_check.scan.rules import RULES_BY_ID
from realtime_check.scan.tokens import LineIndex
from realtime_check.scan.walker import MAX_FILES, Walk

# A file that mentions none of these cannot match any rule but the key rule: it is not tokenized.
# Plain substring tests on the lower-cased text: far cheaper than one case-insensitive regex alternation.
_TRIGGERS = (
    "realtime",
    "session.update",
    "input_audio_buffer",
    "client_secret",
    "openai-beta",
    "extra_headers",
    "_audio_format",
    "input_audio_transcription",
    "max_response_output_tokens",
    *model_retirement.TRIGGERS,
)
_COMMENT_ONLY = re.compile(r"^\s*(#|//|/\*|\*|<!--)")
SNIPPET_CHARS = 160
MAX_FINDINGS_PER_FILE = 500  # a generated file full of matches must not flood the report


class ScanUsageError(ValueError):
    """A path that does not exist: the user's mistake (exit 2), not a finding."""


def read_source(path: Path) -> str | None:
    """The file as text with LF line ends, or None if it is binary or unreadable."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if b"\0" in data[:8192]:
        return None
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_minified(text: str) -> bool:
    """Bundled or generated JavaScript: very long lines on average, or any line past 10,000 characters."""
    if len(text) > 5000 and len(text) > 300 * (text.count("\n") + 1):
        return True
    return len(text) > 10_000 and max(map(len, text.split("\n"))) > 10_000


def hits_for(text: str, kind: str, today: dt.date) -> list[tuple[Hit, bool]]:
    """Every hit in a file's text, each with whether it came from documentation (Markdown)."""
    found: list[tuple[Hit, bool]] = [(hit, kind == "markdown") for hit in match_keys(text)]
    lowered = text.lower()
    if not any(trigger in lowered for trigger in _TRIGGERS):
        return found
    if kind == "markdown":
        for language, block in markdown.code_blocks(text):
            found.extend((hit, True) for hit in _code_hits(block, language, today))
    else:
        found.extend((hit, False) for hit in _code_hits(text, kind, today))
    return found


def _code_hits(text: str, kind: str, today: dt.date) -> list[Hit]:
    if kind == "python":
        lines = LineIndex(text)
        try:
            tokens = lex_python.tokenize(text, lines)
        except lex_python.PythonSyntaxError:
            return match_text(blank_comments(text), today)
        return match_tokens(text, tokens, today) + match_extra_headers(text, lines)
    if kind == "js":
        return match_tokens(text, lex_js.tokenize(text), today)
    return match_text(blank_comments(text), today)  # env, yaml, toml, docs blocks of other languages


def _silenced_inline(text: str, lines: LineIndex, line: int, rule: str) -> bool:
    for number in (line, line - 1):
        if number < 1:
            continue
        start, end = lines.line_span(number, text)
        source_line = text[start:end]
        if number == line - 1 and not _COMMENT_ONLY.match(source_line):
            continue
        rules = ignore.inline_ignores(source_line)
        if rules is not None and ("*" in rules or rule in rules):
            return True
    return False


def _snippet(text: str, lines: LineIndex, hit: Hit) -> str:
    line, column = lines.position(hit.start)
    start, end = lines.line_span(line, text)
    source_line = text[start:end]
    if len(source_line) > SNIPPET_CHARS:
        left = max(0, column - 1 - SNIPPET_CHARS // 3)
        source_line = ("…" if left else "") + source_line[left : left + SNIPPET_CHARS] + "…"
    return mask_secrets(escape_controls(source_line.strip()))


def findings_for(text: str, kind: str, relative: str, today: dt.date, silenced_by_file) -> list[Finding]:
    """The findings of one file: hits placed, deduplicated, filtered by ignores, masked."""
    lines = LineIndex(text)
    seen: set[tuple[str, int]] = set()
    findings: list[Finding] = []
    for hit, in_docs in sorted(hits_for(text, kind, today), key=lambda pair: (pair[0].start, pair[0].rule)):
        if len(findings) >= MAX_FINDINGS_PER_FILE:
            break
        if (hit.rule, hit.start) in seen:
            continue
        seen.add((hit.rule, hit.start))
        line, column = lines.position(hit.start)
        if silenced_by_file(hit.rule) or _silenced_inline(text, lines, line, hit.rule):
            continue
        end_line, end_column = lines.position(max(hit.start, hit.end))
        rule = RULES_BY_ID[hit.rule]
        severity = hit.severity or rule.severity
        if in_docs and hit.rule != "hardcoded-key":
            severity = Severity.NOTE  # docs mislead too, but they do not fail at run time
        findings.append(
            Finding(
                rule=hit.rule,
                severity=severity,
                path=relative,
                line=line,
                column=column,
                end_line=end_line,
                end_column=end_column,
                snippet=_snippet(text, lines, hit),
                message=mask_secrets(escape_controls(hit.message)),
                fix=hit.fix or rule.fix,
                edit=hit.edit,
            )
        )
    return findings


def scan_root(paths: list[Path], cwd: Path) -> Path:
    """Where findings are reported from: the current folder when every path is inside it (the repository
    checkout in CI), else the one folder scanned, else the paths' common folder."""
    resolved = [p.resolve() for p in paths]
    cwd = cwd.resolve()
    if all(p == cwd or cwd in p.parents for p in resolved):
        return cwd
    folders = [p if p.is_dir() else p.parent for p in resolved]
    return Path(os.path.commonpath([str(f) for f in folders]))


def scan(
    paths: list[str], *, cwd: Path | None = None, today: dt.date | None = None, max_files: int = MAX_FILES
) -> ScanReport:
    cwd = cwd or Path.cwd()
    today = today or dt.datetime.now(dt.UTC).date()
    names = paths or ["."]
    targets = [cwd / p for p in names]
    missing = [name for name, t in zip(names, targets, strict=True) if not t.exists() and not t.is_symlink()]
    if missing:
        raise ScanUsageError(f"no such file or folder: {missing[0]}")
    root = scan_root(targets, cwd)
    walk = Walk(root, max_files=max_files)
    findings: list[Finding] = []
    scanned = 0
    seen: set[str] = set()
    for source in walk.files(targets):
        if source.relative in seen:
            continue  # the same file named twice, or inside a folder also named
        seen.add(source.relative)
        text = read_source(source.path)
        if text is None:
            walk.skipped["binary_or_unreadable"] += 1
            continue
        if source.kind == "js" and _looks_minified(text):
            walk.skipped["minified"] += 1
            continue
        scanned += 1

        def silenced(rule: str, top_relative: str = source.top_relative) -> bool:
            return ignore.ignored(walk.ignore_patterns, top_relative, False, rule=rule)

        findings.extend(findings_for(text, source.kind, source.relative, today, silenced))
    notes = []
    if walk.too_large:
        shown = ", ".join(walk.too_large[:5]) + (" …" if len(walk.too_large) > 5 else "")
        notes.append(f"{len(walk.too_large)} file(s) over 1 MiB not scanned: {shown}")
    if walk.skipped.get("file_limit"):
        notes.append(f"stopped after {max_files} files; {walk.skipped['file_limit']} more not scanned")
    return ScanReport(
        root=root.as_posix(),
        files_scanned=scanned,
        files_skipped=dict(sorted(walk.skipped.items())),
        findings=tuple(findings),
        notes=tuple(notes),
    )
