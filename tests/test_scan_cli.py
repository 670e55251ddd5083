"""`realtime-check scan` as a user and CI run it: exit codes, --fail-on, usage errors, --diff, GitHub
annotations, pre-commit file lists, explain, and nothing secret or hostile in any output."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from scan_cli import copy_app, run_scan

FAKE_KEY = "sk-proj-FAKE00000000000000000000000000000000000000TEST"  # the beta app's committed .env


def _tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@pytest.mark.parametrize(
    ("fail_on", "code"),
    [("error", 9), ("warning", 9), ("note", 9), ("none", 0)],
)
def test_fail_on_sets_the_exit_code_for_errors(tmp_path: Path, fail_on: str, code: int) -> None:
    """Error findings fail the scan at every --fail-on level except none."""
    proc = run_scan("--fail-on", fail_on, cwd=copy_app("beta", tmp_path))
    assert proc.returncode == code


@pytest.mark.parametrize(("fail_on", "code"), [("error", 0), ("warning", 9), ("none", 0)])
def test_warnings_fail_only_from_fail_on_warning(tmp_path: Path, fail_on: str, code: int) -> None:
    """A tree whose only finding is a retiring model (a warning) passes by default and fails with --fail-on warning."""
    (tmp_path / "config.py").write_text('MODEL = "gpt-realtime"\n', encoding="utf-8")
    proc = run_scan("--fail-on", fail_on, cwd=tmp_path)
    assert proc.returncode == code


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--fail-on", "fatal"], id="bad-fail-on"),
        pytest.param(["--ci", "jenkins"], id="bad-ci"),
        pytest.param(["no/such/folder"], id="missing-path"),
        pytest.param(["--max-files", "0"], id="zero-max-files"),
    ],
)
def test_usage_errors_exit_2_with_one_line(tmp_path: Path, args: list[str]) -> None:
    """A bad flag value or a missing path exits 2 with a one-line error and no traceback."""
    proc = run_scan(*args, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith("realtime-check: error: ")
    assert "Traceback" not in proc.stderr


def test_usage_error_in_json_mode_still_prints_one_document(tmp_path: Path) -> None:
    """With --json, a usage error still leaves exactly one JSON document on stdout, exit 2."""
    proc = run_scan("--json", "--diff", cwd=tmp_path)
    assert proc.returncode == 2
    document = json.loads(proc.stdout)
    assert document["kind"] == "scan" and document["exit_code"] == 2 and "--diff" in document["error"]


def test_json_document_has_the_documented_shape(tmp_path: Path) -> None:
    """--json prints schema_version 1, kind scan, counts, findings with every documented field and a summary."""
    proc = run_scan("--json", cwd=copy_app("beta", tmp_path))
    document = json.loads(proc.stdout)
    assert document["schema_version"] == 1 and document["kind"] == "scan"
    assert document["root"] == (tmp_path / "beta").resolve().as_posix()
    assert document["files_skipped"] == {}
    fields = {"rule", "severity", "path", "line", "column", "end_line", "end_column", "snippet", "message", "fix"}
    assert all(set(f) == fields for f in document["findings"])
    assert sum(document["summary"].values()) == len(document["findings"])
    assert {f["severity"] for f in document["findings"]} == {"error", "warning"}


def test_diff_prints_the_mechanical_rewrites_and_writes_nothing(tmp_path: Path) -> None:
    """--diff shows model, endpoint, header, event, extra_headers and client_secret rewrites; no file changes."""
    app = copy_app("beta", tmp_path)
    before = _tree_digest(app)
    proc = run_scan("--diff", cwd=app)
    assert proc.returncode == 9
    assert _tree_digest(app) == before
    diff = proc.stdout
    assert '+const MODEL = process.env.OPENAI_REALTIME_MODEL ?? "gpt-realtime-2.1";' in diff
    assert '+  const response = await fetch("https://api.openai.com/v1/realtime/client_secrets", {' in diff
    assert '-      "OpenAI-Beta": "realtime=v1", // expect[beta-header]' in diff
    assert '+        case "response.output_audio.delta": // expect[beta-event-name]' in diff
    assert "+        additional_headers={  # expect[websockets-extra-headers]" in diff
    assert "+    token: data.value, // expect[beta-client-secret-field]" in diff
    # Judgement calls stay advice: the session shape and the socket URL are never rewritten.
    added = [line for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    removed = [line for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    assert not [line for line in removed if "modalities" in line or "authorization=" in line]
    assert len(added) == len(removed)
    assert FAKE_KEY not in diff


def test_diff_applies_cleanly_with_git(tmp_path: Path) -> None:
    """The diff is a real unified diff: `git apply` takes it, and a rescan no longer finds what it fixed."""
    import subprocess

    app = copy_app("beta", tmp_path)
    (app / ".env").unlink()  # the masked key would (rightly) make that hunk unappliable
    diff = run_scan("--diff", cwd=app).stdout
    subprocess.run(["git", "init", "-q"], cwd=app, check=True)
    subprocess.run(["git", "apply"], cwd=app, input=diff, text=True, check=True, timeout=30)
    after = json.loads(run_scan("--json", cwd=app).stdout)
    fixed = {"beta-header", "beta-sessions-endpoint", "beta-client-secret-field", "websockets-extra-headers"}
    assert not [f for f in after["findings"] if f["rule"] in fixed]
    assert not [f for f in after["findings"] if f["rule"] == "beta-event-name" and f["severity"] == "error"]


def test_github_mode_annotates_and_fences_the_report(tmp_path: Path) -> None:
    """--ci github adds ::error/::warning annotations with file and line, and fences the report's quoted code."""
    proc = run_scan("--ci", "github", cwd=copy_app("beta", tmp_path))
    lines = proc.stdout.splitlines()
    assert any(line.startswith("::error file=.env,line=3,col=23,endLine=3,endColumn=57,") for line in lines)
    assert any(line.startswith("::warning file=") for line in lines)
    # GitHub shows 10 annotations per level: the rest are counted and pointed to the SARIF upload.
    assert len([line for line in lines if line.startswith("::error")]) == 10
    assert any(line.startswith("::notice title=realtime-check scan::") and "--sarif" in line for line in lines)
    start = next(line for line in lines if line.startswith("::stop-commands::"))
    token = start.split("::")[2]
    assert f"::{token}::" in lines
    assert lines.index(f"::{token}::") < lines.index(next(line for line in lines if line.startswith("::error")))


def test_github_annotations_escape_hostile_paths_and_content(tmp_path: Path) -> None:
    """A file name with commas, colons and newlines, and code with workflow commands, cannot forge annotations."""
    hostile = tmp_path / "a,b:c%0A.py"
    hostile.write_text('X = "gpt-4o-realtime-preview"  # ::set-env name=A::B\n', encoding="utf-8")
    proc = run_scan("--ci", "github", cwd=tmp_path)
    annotations = [line for line in proc.stdout.splitlines() if line.startswith("::error")]
    assert len(annotations) == 1
    assert annotations[0].startswith("::error file=a%2Cb%3Ac%250A.py,line=1,")
    assert "::set-env" not in annotations[0]


def test_text_report_strips_terminal_escapes_from_scanned_code(tmp_path: Path) -> None:
    """Escape sequences in a scanned line never reach the terminal."""
    (tmp_path / "evil.py").write_text('M = "gpt-4o-realtime-preview"  # \x1b[2J\x1b]0;pwned\x07\n', encoding="utf-8")
    proc = run_scan(cwd=tmp_path)
    assert proc.returncode == 9
    assert "\x1b" not in proc.stdout and "\x07" not in proc.stdout


@pytest.mark.parametrize("mode", ["text", "json", "diff", "github", "sarif"])
def test_committed_key_is_never_printed(tmp_path: Path, mode: str) -> None:
    """The key in the beta app's .env appears in no output mode, not even in part; only its masked form."""
    app = copy_app("beta", tmp_path)
    sarif = tmp_path / "out.sarif"
    args = {
        "text": [],
        "json": ["--json"],
        "diff": ["--diff"],
        "github": ["--ci", "github"],
        "sarif": ["--sarif", str(sarif)],
    }[mode]
    proc = run_scan(*args, cwd=app)
    output = proc.stdout + proc.stderr + (sarif.read_text(encoding="utf-8") if sarif.exists() else "")
    secret_part = FAKE_KEY[len("sk-proj-") :]
    pieces = {secret_part[i : i + 12] for i in range(len(secret_part) - 12)}
    assert not [p for p in pieces if p in output]
    if mode != "diff":
        assert re.search(r"sk-proj-…\[[0-9a-f]{8}\]", output)


def test_pre_commit_file_list_scans_only_those_files(tmp_path: Path) -> None:
    """Given file paths (as pre-commit passes them), only those files are scanned."""
    app = copy_app("beta", tmp_path)
    proc = run_scan("--json", ".env", "server/services/openaiRealtime.ts", cwd=app)
    document = json.loads(proc.stdout)
    assert document["files_scanned"] == 2
    assert {f["path"] for f in document["findings"]} == {".env", "server/services/openaiRealtime.ts"}


def test_explain_a_rule(tmp_path: Path) -> None:
    """`explain <rule-id>` gives the rule's why (with the server's answer) and its fix; --json too."""
    import subprocess
    import sys

    def explain(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "realtime_check", "explain", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )

    text = explain("beta-header")
    assert text.returncode == 0
    assert "beta_api_shape_disabled" in text.stdout and "Fix:" in text.stdout
    document = json.loads(explain("retired-model", "--json").stdout)
    assert document["schema_version"] == 1
    (rule,) = document["matches"]
    assert rule["id"] == "retired-model" and rule["kind"] == "scan-rule"
    assert "4004" in rule["why"]


@pytest.mark.parametrize("mode", [[], ["--diff"], ["--json"], ["--ci", "github"]])
def test_ascii_only_stdout_gets_a_report_not_a_crash(tmp_path: Path, mode: list[str]) -> None:
    """On a terminal or log that only takes ASCII, every output mode still prints (with ?), exit 9."""
    proc = run_scan(*mode, cwd=copy_app("beta", tmp_path), env={"PYTHONIOENCODING": "ascii"})
    assert proc.returncode == 9, proc.stderr
    assert "internal error" not in proc.stderr


def test_bidirectional_overrides_in_scanned_code_are_shown_as_escapes(tmp_path: Path) -> None:
    """A right-to-left override (Trojan Source) in a finding's line is shown as \\u202e in text, JSON and --diff."""
    (tmp_path / "t.py").write_text('M = "gpt-4o-realtime-preview"  # \u202e evil\n', encoding="utf-8")
    for args in ([], ["--json"], ["--diff"]):
        proc = run_scan(*args, cwd=tmp_path)
        assert "\u202e" not in proc.stdout
        assert "\\u202e" in proc.stdout.replace("\\\\u202e", "\\u202e")


def test_help_names_the_exit_codes_and_the_ignore_comment(tmp_path: Path) -> None:
    """`scan --help` lists exit codes 0 and 9 and shows the inline ignore syntax intact."""
    proc = run_scan("--help", cwd=tmp_path, env={"COLUMNS": "200"})
    assert proc.returncode == 0
    assert "0  no finding at or above --fail-on" in proc.stdout
    assert "9  scan: findings at or above --fail-on" in proc.stdout
    assert "realtime-check: ignore[rule-id]" in proc.stdout
