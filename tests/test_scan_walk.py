"""Which files a scan reads and which findings it keeps: .gitignore, vendored trees, size and count caps,
symlinks, binaries, the .realtime-check-ignore file, inline ignores, Markdown code blocks, the clock."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from realtime_check.scan.engine import scan
from realtime_check.scan.models import Severity

TODAY = dt.date(2026, 11, 30)
RETIRED = 'MODEL = "gpt-4o-realtime-preview"\n'


def _write(root: Path, relative: str, text: str = RETIRED) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _paths(root: Path, *args: str, **kwargs) -> set[str]:
    report = scan(list(args) or ["."], cwd=root, today=TODAY, **kwargs)
    return {f.path for f in report.findings}


def test_gitignore_rules_are_respected(tmp_path: Path) -> None:
    """Files and folders a .gitignore (at any level) or .git/info/exclude excludes are not scanned; `!` re-includes."""
    (tmp_path / ".git" / "info").mkdir(parents=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("local_only.py\n", encoding="utf-8")
    _write(tmp_path, ".gitignore", "generated/\n*.gen.py\n!keep.gen.py\n")
    _write(tmp_path, "src/.gitignore", "/scratch.py\n")
    for name in (
        "app.py",
        "generated/x.py",
        "a.gen.py",
        "keep.gen.py",
        "local_only.py",
        "src/scratch.py",
        "src/deep/scratch.py",
    ):
        _write(tmp_path, name)
    assert _paths(tmp_path) == {"app.py", "keep.gen.py", "src/deep/scratch.py"}


def test_a_subfolder_scan_still_honours_the_gitignore_above_it(tmp_path: Path) -> None:
    """Scanning `src/` applies the repository's top-level .gitignore to it."""
    (tmp_path / ".git").mkdir()
    _write(tmp_path, ".gitignore", "src/vendor_copy/\n")
    _write(tmp_path, "src/app.py")
    _write(tmp_path, "src/vendor_copy/lib.py")
    assert _paths(tmp_path, "src") == {"src/app.py"}


def test_vendored_generated_and_virtualenv_trees_are_skipped(tmp_path: Path) -> None:
    """node_modules, dist, build, __pycache__ and any folder holding pyvenv.cfg are never read."""
    _write(tmp_path, "app.ts", 'const m = "gpt-4o-realtime-preview";\n')
    for folder in ("node_modules/pkg", "dist", "build", "__pycache__", "my-env"):
        _write(tmp_path, f"{folder}/x.js", 'const m = "gpt-4o-realtime-preview";\n')
    _write(tmp_path, "my-env/pyvenv.cfg", "home = /usr/bin\n")
    report = scan(["."], cwd=tmp_path, today=TODAY)
    assert {f.path for f in report.findings} == {"app.ts"}
    assert report.files_skipped["vendored_or_generated"] == 5


def test_lock_minified_binary_and_oversized_files_are_skipped_and_counted(tmp_path: Path) -> None:
    """Lock files, minified bundles, binaries and files over 1 MiB are skipped, each counted by reason."""
    _write(tmp_path, "package-lock.json", '{"x": "gpt-4o-realtime-preview"}\n')
    _write(tmp_path, "vendor.min.js", 'var m="gpt-4o-realtime-preview";\n')
    _write(tmp_path, "bundle.js", "var a=1;" * 2000 + 'var m="gpt-4o-realtime-preview";\n')
    (tmp_path / "blob.py").write_bytes(b'M = "gpt-4o-realtime-preview"\0\0\0')
    _write(tmp_path, "huge.py", RETIRED + "#" * (1024 * 1024))
    _write(tmp_path, "ok.py")
    report = scan(["."], cwd=tmp_path, today=TODAY)
    assert {f.path for f in report.findings} == {"ok.py"}
    assert report.files_skipped == {
        "binary_or_unreadable": 1,
        "lock_file": 1,
        "minified": 2,
        "too_large": 1,
    }
    assert report.notes == ("1 file(s) over 1 MiB not scanned: huge.py",)


def test_symlinks_are_never_followed(tmp_path: Path) -> None:
    """A symlink to a folder or file outside the tree is not followed; it is counted."""
    outside = tmp_path / "outside"
    _write(outside, "secret_app.py")
    root = tmp_path / "repo"
    _write(root, "app.py")
    os.symlink(outside, root / "linked_dir")
    os.symlink(outside / "secret_app.py", root / "linked.py")
    report = scan(["."], cwd=root, today=TODAY)
    assert {f.path for f in report.findings} == {"app.py"}
    assert report.files_skipped["symlink"] == 2


def test_file_count_is_bounded(tmp_path: Path) -> None:
    """--max-files stops the walk and says how many files were left out."""
    for n in range(5):
        _write(tmp_path, f"f{n}.py")
    report = scan(["."], cwd=tmp_path, today=TODAY, max_files=3)
    assert report.files_scanned == 3
    assert report.files_skipped["file_limit"] == 2
    assert report.notes == ("stopped after 3 files; 2 more not scanned",)


def test_ignore_file_silences_paths_and_rules(tmp_path: Path) -> None:
    """.realtime-check-ignore drops whole paths, or only the rules listed after a pattern."""
    _write(tmp_path, ".realtime-check-ignore", "# fixtures\nfixtures/\nconfig/*.py  retired-model\n")
    _write(tmp_path, "fixtures/beta.py")
    _write(tmp_path, "config/settings.py", RETIRED + 'URL = "/v1/realtime/sessions"\n')
    _write(tmp_path, "app.py")
    report = scan(["."], cwd=tmp_path, today=TODAY)
    assert {(f.path, f.rule) for f in report.findings} == {
        ("app.py", "retired-model"),
        ("config/settings.py", "beta-sessions-endpoint"),
    }
    assert report.files_skipped["ignore_file"] == 1


def test_ignore_file_applies_to_files_named_on_the_command_line(tmp_path: Path) -> None:
    """A fixture passed explicitly (as pre-commit does) is still excluded by .realtime-check-ignore."""
    _write(tmp_path, ".realtime-check-ignore", "fixtures/\n")
    _write(tmp_path, "fixtures/beta.py")
    _write(tmp_path, "app.py")
    assert _paths(tmp_path, "fixtures/beta.py", "app.py") == {"app.py"}


@pytest.mark.parametrize(
    ("source", "kept"),
    [
        pytest.param('M = "gpt-4o-realtime-preview"  # realtime-check: ignore[retired-model]\n', set(), id="same-line"),
        pytest.param(
            '# realtime-check: ignore[retired-model]\nM = "gpt-4o-realtime-preview"\n', set(), id="line-above"
        ),
        pytest.param('M = "gpt-4o-realtime-preview"  # realtime-check: ignore\n', set(), id="every-rule"),
        pytest.param(
            'M = "gpt-4o-realtime-preview"  # realtime-check: ignore[beta-header]\n', {"retired-model"}, id="other-rule"
        ),
        pytest.param(
            'X = 1  # realtime-check: ignore\nM = "gpt-4o-realtime-preview"\n',
            {"retired-model"},
            id="code-line-above-does-not-count",
        ),
    ],
)
def test_inline_ignore_comments(tmp_path: Path, source: str, kept: set[str]) -> None:
    """`realtime-check: ignore[rule]` silences that rule on its line, or on the next line when alone on its own."""
    _write(tmp_path, "app.py", source)
    report = scan(["."], cwd=tmp_path, today=TODAY)
    assert {f.rule for f in report.findings} == kept


def test_markdown_code_blocks_are_notes_and_prose_is_skipped(tmp_path: Path) -> None:
    """Docs: code blocks are scanned at note severity (keys stay errors); prose is not scanned."""
    _write(
        tmp_path,
        "GUIDE.md",
        (
            "Use `gpt-4o-realtime-preview` (prose).\n\n"
            '```python\nM = "gpt-4o-realtime-preview"\n```\n\n'
            "Key: sk-proj-FAKE0000000000000000000000000000TEST\n"
        ),
    )
    report = scan(["."], cwd=tmp_path, today=TODAY)
    assert [(f.line, f.rule, f.severity) for f in report.findings] == [
        (4, "retired-model", Severity.NOTE),
        (7, "hardcoded-key", Severity.ERROR),
    ]


def test_retiring_model_becomes_retired_on_its_shutdown_date() -> None:
    """The same id is a warning before its shutdown date and an error from that day on (the clock is a parameter)."""
    from realtime_check.scan.engine import findings_for

    def rules_on(day: dt.date) -> list[tuple[str, str]]:
        found = findings_for('M = "gpt-realtime"\n', "python", "m.py", day, lambda rule: False)
        return [(f.rule, f.severity.value) for f in found]

    assert rules_on(dt.date(2027, 1, 19)) == [("model-retiring", "warning")]
    assert rules_on(dt.date(2027, 1, 20)) == [("retired-model", "error")]


def test_hostile_inputs_end_quickly_and_cleanly(tmp_path: Path) -> None:
    """Unterminated strings, templates and comments, deep nesting, invalid UTF-8 and NUL-free junk never crash."""
    _write(
        tmp_path, "a.ts", "// realtime\n" + "(`${{\n" * 20_000 + "const s = `unterminated ${ ` + '\n/* open comment\n"
    )
    _write(tmp_path, "b.py", "x = '''never closed\n" + "[\n" * 50_000 + "realtime\n")
    _write(tmp_path, "c.json", '{"session": {"modalities": [\n' * 5000)
    (tmp_path / "d.py").write_bytes(b'M = "gpt-4o-realtime-preview"  # \xff\xfe broken utf-8\n')
    report = scan(["."], cwd=tmp_path, today=TODAY)
    assert report.files_scanned == 4
    assert {f.path for f in report.findings} == {"d.py"}


@pytest.mark.parametrize(
    ("model", "rule"),
    [
        ("gpt-4o-realtime-preview-2024-12-17", "retired-model"),
        ("gpt-4o-mini-realtime-preview", "retired-model"),
        ("gpt-realtime", "model-retiring"),
        ("gpt-realtime-mini-2025-12-15", "model-retiring"),
        ("gpt-audio-mini", "model-retiring"),
        ("whisper-1", "model-retiring"),
        ("gpt-4o-transcribe-diarize", "model-retiring"),
        ("gpt-realtime-2.1", None),
        ("gpt-live-transcribe", None),
    ],
)
def test_model_ids_are_judged_by_the_shared_model_facts(tmp_path: Path, model: str, rule: str | None) -> None:
    """Every id the shared model facts know passes the prefilter and gets its rule; current models get none."""
    _write(tmp_path, "m.py", f'MODEL = "{model}"\n')
    report = scan(["."], cwd=tmp_path, today=TODAY)
    assert [f.rule for f in report.findings] == ([rule] if rule else [])


def test_ignore_file_at_the_repository_top_applies_to_a_scan_run_in_a_subfolder(tmp_path: Path) -> None:
    """Run from `packages/app`, the scan still honours the .realtime-check-ignore at the repository's top."""
    (tmp_path / ".git").mkdir()
    _write(tmp_path, ".realtime-check-ignore", "packages/app/fixtures/\n")
    app = tmp_path / "packages" / "app"
    _write(app, "fixtures/beta.py")
    _write(app, "main.py")
    report = scan(["."], cwd=app, today=TODAY)
    assert {f.path for f in report.findings} == {"main.py"}
    assert report.files_skipped == {"ignore_file": 1}
