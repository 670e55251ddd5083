"""What not to scan or report: .gitignore-style patterns, the .realtime-check-ignore file and inline
`realtime-check: ignore[rule]` comments.

`.realtime-check-ignore` uses .gitignore syntax, one pattern a line, optionally followed by the rule
ids it silences (`tests/fixtures/**  beta-header,retired-model`); a pattern alone silences every rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

IGNORE_FILE = ".realtime-check-ignore"
_DIRECTIVE = re.compile(r"realtime-check:\s*ignore(?:\[([\w\s,-]*)\])?")


@dataclass(frozen=True)
class Pattern:
    base: str  # POSIX path of the directory the pattern is relative to ("" for the scan root)
    regex: re.Pattern[str]
    negate: bool
    dir_only: bool
    rules: frozenset[str] | None  # None: every rule (and, for .gitignore, the file itself)


def _translate(glob: str) -> str:
    """A .gitignore glob (without `!` and trailing `/`) as a regex over a relative POSIX path."""
    anchored = "/" in glob
    glob = glob.lstrip("/")
    out, i = [], 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        elif glob[i] == "[" and (close := glob.find("]", i + 2)) != -1:
            body = glob[i + 1 : close]
            out.append("[" + ("^" + body[1:] if body[:1] in "!^" and body else body).replace("\\", "\\\\") + "]")
            i = close + 1
        elif glob[i] == "\\" and i + 1 < len(glob):
            out.append(re.escape(glob[i + 1]))
            i += 2
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return ("" if anchored else "(?:.*/)?") + "".join(out) + "(?:/.*)?"


def parse(text: str, base: str, *, with_rules: bool) -> list[Pattern]:
    patterns = []
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line or line.startswith("#"):
            continue
        rules: frozenset[str] | None = None
        if with_rules and (parts := line.split()) and len(parts) > 1:
            line = parts[0]
            rules = frozenset(r.strip() for part in parts[1:] for r in part.split(",") if r.strip())
        negate = line.startswith("!")
        if negate:
            line = line[1:]
        line = line.lstrip("\\") if line.startswith(("\\#", "\\!")) else line
        dir_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        try:
            regex = re.compile(_translate(line))
        except re.error:
            continue  # a malformed line in someone's .gitignore must not stop the scan
        patterns.append(Pattern(base, regex, negate, dir_only, rules))
    return patterns


def load(path: Path, base: str, *, with_rules: bool) -> list[Pattern]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return parse(text[:1_000_000], base, with_rules=with_rules)


def _relative(path: str, base: str) -> str | None:
    if not base:
        return path
    if path == base:
        return ""
    return path[len(base) + 1 :] if path.startswith(base + "/") else None


def ignored(patterns: list[Pattern], path: str, is_dir: bool, rule: str | None = None) -> bool:
    """Does the last matching pattern exclude `path` (for `rule`, or whole when rule is None)?"""
    verdict = False
    for pattern in patterns:
        if pattern.dir_only and not is_dir and not _under_dir_match(pattern, path):
            continue
        if rule is None and pattern.rules is not None:
            continue
        if rule is not None and pattern.rules is not None and rule not in pattern.rules:
            continue
        relative = _relative(path, pattern.base)
        if relative is None or not relative:
            continue
        if pattern.regex.fullmatch(relative):
            verdict = not pattern.negate
    return verdict


def _under_dir_match(pattern: Pattern, path: str) -> bool:
    """A directory-only pattern still covers the files below a matching directory."""
    relative = _relative(path, pattern.base)
    if not relative or "/" not in relative:
        return False
    parent = relative.rsplit("/", 1)[0]
    parts = parent.split("/")
    return any(pattern.regex.fullmatch("/".join(parts[: n + 1])) for n in range(len(parts)))


def inline_ignores(line: str) -> frozenset[str] | None:
    """Rules an inline `realtime-check: ignore[...]` on this line silences; {"*"} for a bare ignore; None if none."""
    match = _DIRECTIVE.search(line)
    if match is None:
        return None
    if match.group(1) is None:
        return frozenset({"*"})
    return frozenset(r.strip() for r in match.group(1).split(",") if r.strip())
