"""Which files a scan reads: source and config only, .gitignore respected, vendored and generated
trees skipped, bounded in size and count, no symlink followed. Nothing found is ever executed or imported."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from realtime_check.scan import ignore

MAX_FILE_BYTES = 1024 * 1024
MAX_FILES = 100_000

KINDS = {
    ".py": "python",
    ".pyi": "python",
    ".js": "js",
    ".mjs": "js",
    ".cjs": "js",
    ".jsx": "js",
    ".ts": "js",
    ".tsx": "js",
    ".mts": "js",
    ".cts": "js",
    ".json": "js",  # JSON is JavaScript's literal syntax: the same tokenizer, the same key/value rules
    ".yml": "text",
    ".yaml": "text",
    ".toml": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdx": "markdown",
}
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "bower_components",
        "jspm_packages",
        ".venv",
        "venv",
        "__pycache__",
        "site-packages",
        "dist",
        "build",
        "out",
        ".next",
        ".nuxt",
        ".svelte-kit",
        ".output",
        ".turbo",
        ".parcel-cache",
        "coverage",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".eggs",
        ".cache",
        ".yarn",
    }
)
LOCK_FILES = frozenset(
    {
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "bun.lockb",
        "poetry.lock",
        "Pipfile.lock",
        "uv.lock",
        "pdm.lock",
        "Cargo.lock",
        "composer.lock",
        "Gemfile.lock",
    }
)
MINIFIED_SUFFIXES = (".min.js", ".min.mjs", ".min.cjs", "-min.js", ".bundle.js", ".chunk.js")


def kind_of(name: str) -> str | None:
    """How a file is matched (python, js, text, markdown, env), or None if it is not scanned."""
    if name == ".env" or name.startswith(".env.") or name.endswith(".env"):
        return "env"
    return KINDS.get(os.path.splitext(name)[1].lower())


@dataclass
class SourceFile:
    path: Path
    relative: str  # POSIX, relative to the scan root
    kind: str
    top_relative: str  # POSIX, relative to the repository top: what ignore patterns match


@dataclass
class Walk:
    """One scan's walk. Paths are reported relative to `root`; ignore patterns are matched relative to
    the repository's top (the folder holding .git, else the root), where .gitignore files are written."""

    root: Path
    max_files: int = MAX_FILES
    skipped: Counter[str] = field(default_factory=Counter)
    too_large: list[str] = field(default_factory=list)
    count: int = 0

    def __post_init__(self) -> None:
        self.root = self.root.resolve()
        self.top = _git_root(self.root) or self.root
        self.ignore_patterns = [
            pattern
            for directory in _chain(self.top, self.root)
            for pattern in ignore.load(directory / ignore.IGNORE_FILE, self.from_top(directory), with_rules=True)
        ]

    def files(self, paths: list[Path]) -> Iterator[SourceFile]:
        for path in paths:
            if path.is_dir() and not path.is_symlink():
                directory = path.resolve()
                yield from self._walk_dir(
                    str(directory),
                    self.relative(directory),
                    self.from_top(directory),
                    self._gitignores_above(directory),
                )
            else:
                found = self._explicit_file(path)
                if found:
                    yield found

    def relative(self, path: Path) -> str:
        """`path` relative to the scan root, POSIX ("" for the root itself); absolute if outside it."""
        resolved = path.resolve()
        try:
            relative = resolved.relative_to(self.root).as_posix()
        except ValueError:
            return resolved.as_posix()
        return "" if relative == "." else relative

    def from_top(self, path: Path) -> str:
        """`path` relative to the repository top, POSIX ("" for the top itself)."""
        try:
            relative = path.relative_to(self.top).as_posix()
        except ValueError:
            return path.as_posix()
        return "" if relative == "." else relative

    def _gitignores_above(self, directory: Path) -> list[ignore.Pattern]:
        """.git/info/exclude and the .gitignore files of the folders above `directory`, up to the top."""
        patterns = ignore.load(self.top / ".git" / "info" / "exclude", "", with_rules=False)
        for folder in _chain(self.top, directory)[:-1]:
            patterns += ignore.load(folder / ".gitignore", self.from_top(folder), with_rules=False)
        return patterns

    def _explicit_file(self, path: Path) -> SourceFile | None:
        """A file named on the command line (pre-commit passes the changed files): scanned if it is source."""
        if path.is_symlink():
            self.skipped["symlink"] += 1
            return None
        resolved = path.resolve()
        top_relative = self.from_top(resolved)
        if ignore.ignored(self.ignore_patterns, top_relative, False):
            self.skipped["ignore_file"] += 1
            return None
        if any(part in SKIPPED_DIRS for part in resolved.parts[:-1]):
            self.skipped["vendored_or_generated"] += 1
            return None
        try:
            size = resolved.stat().st_size
        except OSError:
            self.skipped["unreadable"] += 1
            return None
        return self._candidate(str(resolved), self.relative(resolved), top_relative, size)

    def _walk_dir(
        self, directory: str, relative_dir: str, top_dir: str, gitignores: list[ignore.Pattern]
    ) -> Iterator[SourceFile]:
        """Walk with plain strings: no symlink is followed, so no path needs resolving on the way down."""
        local = ignore.load(Path(directory) / ".gitignore", top_dir, with_rules=False)
        patterns = gitignores + local if local else gitignores
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            self.skipped["unreadable"] += 1
            return
        for entry in entries:
            top_relative = f"{top_dir}/{entry.name}" if top_dir else entry.name
            relative = f"{relative_dir}/{entry.name}" if relative_dir else entry.name
            if entry.is_symlink():
                self.skipped["symlink"] += 1  # never followed: a link may lead out of the tree
                continue
            is_dir = entry.is_dir(follow_symlinks=False)
            if is_dir and (
                entry.name in SKIPPED_DIRS or entry.name.endswith(".egg-info") or _is_virtualenv(entry.path)
            ):
                self.skipped["vendored_or_generated"] += 1
            elif ignore.ignored(patterns, top_relative, is_dir):
                self.skipped["gitignored"] += 1
            elif ignore.ignored(self.ignore_patterns, top_relative, is_dir):
                self.skipped["ignore_file"] += 1
            elif is_dir:
                yield from self._walk_dir(entry.path, relative, top_relative, patterns)
            else:
                try:
                    size = entry.stat(follow_symlinks=False).st_size
                except OSError:
                    self.skipped["unreadable"] += 1
                    continue
                found = self._candidate(entry.path, relative, top_relative, size)
                if found:
                    yield found

    def _candidate(self, path: str, relative: str, top_relative: str, size: int) -> SourceFile | None:
        name = os.path.basename(path)
        kind = kind_of(name)
        if kind is None:
            self.skipped["not_source"] += 1
            return None
        if name in LOCK_FILES:
            self.skipped["lock_file"] += 1
            return None
        if name.lower().endswith(MINIFIED_SUFFIXES):
            self.skipped["minified"] += 1
            return None
        if size > MAX_FILE_BYTES:
            self.skipped["too_large"] += 1
            self.too_large.append(relative)
            return None
        if self.count >= self.max_files:
            self.skipped["file_limit"] += 1
            return None
        self.count += 1
        return SourceFile(Path(path), relative, kind, top_relative)


def _is_virtualenv(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "pyvenv.cfg"))


def _git_root(start: Path) -> Path | None:
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def _chain(top: Path, directory: Path) -> list[Path]:
    """`top`, then every folder down to `directory` (inclusive); just [directory] if it is not below top."""
    if directory != top and top not in directory.parents:
        return [directory]
    below = [p for p in reversed(directory.parents) if p == top or top in p.parents]
    return below + [directory] if directory != top else [top]
