"""The ways scan is wired into other tools: the pre-commit hook and the GitHub Action's scan mode,
each run as those tools would run it."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

from scan_cli import copy_app

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _hook() -> dict[str, str]:
    """The fields of the single hook in .pre-commit-hooks.yaml (flat `key: value` lines)."""
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    fields = dict(re.findall(r"^\s*-?\s*(\w+): (.+)$", text, flags=re.MULTILINE))
    return {k: v.strip().strip("'") for k, v in fields.items()}


def _action_step_script(step_id: str) -> str:
    """The `run: |` script of one step of action.yml, dedented (no YAML library needed for a block scalar)."""
    lines = (ROOT / "action.yml").read_text(encoding="utf-8").splitlines()
    start = lines.index(f"      id: {step_id}")
    run = next(i for i in range(start, len(lines)) if lines[i].strip() == "run: |")
    body = []
    for line in lines[run + 1 :]:
        if line.strip() and not line.startswith("        "):
            break
        body.append(line[8:])
    return "\n".join(body)


def test_pre_commit_hook_scans_the_changed_files_it_is_given(tmp_path: Path) -> None:
    """The hook's entry, given the changed files its `files` pattern selects, fails the commit on their findings."""
    hook = _hook()
    assert hook["id"] == "realtime-check-scan" and hook["language"] == "python"
    app = copy_app("beta", tmp_path)
    (app / "logo.png").write_bytes(b"\x89PNG\0")
    changed = [".env", "server/services/openaiRealtime.ts", "package.json", "logo.png"]
    selected = [name for name in changed if re.search(hook["files"], name)]
    assert selected == [".env", "server/services/openaiRealtime.ts", "package.json"]
    command = shlex.split(hook["entry"])
    command[0] = str(BIN / command[0])
    proc = subprocess.run([*command, "--json", *selected], cwd=app, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 9
    document = json.loads(proc.stdout)
    assert document["files_scanned"] == 3
    assert {f["path"] for f in document["findings"]} == set(selected)


def test_action_scan_mode_writes_sarif_and_outputs(tmp_path: Path) -> None:
    """The action's scan step annotates, writes the SARIF it names in its outputs and fails on findings."""
    app = copy_app("beta", tmp_path)
    outputs = tmp_path / "github_output"
    env = {
        "RC_BIN": str(BIN),
        "RC_PATHS": ". ",
        "RC_FAIL_ON": "error",
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_OUTPUT": str(outputs),
        "PATH": "/usr/bin:/bin",
    }
    proc = subprocess.run(
        ["bash", "-c", _action_step_script("scan")], cwd=app, env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 9, proc.stderr
    assert "::error file=" in proc.stdout
    written = dict(line.split("=", 1) for line in outputs.read_text(encoding="utf-8").splitlines())
    assert written == {"sarif": str(tmp_path / "realtime-check.sarif"), "exit_code": "9"}
    sarif = json.loads(Path(written["sarif"]).read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]


def test_action_scan_mode_passes_a_clean_tree_and_takes_no_option_from_paths(tmp_path: Path) -> None:
    """A GA-clean checkout passes (exit_code 0), and a `paths` value that looks like an option is a path."""
    app = copy_app("ga", tmp_path)
    outputs = tmp_path / "github_output"
    env = {
        "RC_BIN": str(BIN),
        "RC_PATHS": "server --help",
        "RC_FAIL_ON": "error",
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_OUTPUT": str(outputs),
        "PATH": "/usr/bin:/bin",
    }
    proc = subprocess.run(
        ["bash", "-c", _action_step_script("scan")], cwd=app, env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2  # `--help` after `--` is a path that does not exist: a usage error, not help
    assert "no such file or folder: --help" in proc.stderr
    env["RC_PATHS"] = "server python"
    proc = subprocess.run(
        ["bash", "-c", _action_step_script("scan")], cwd=app, env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert outputs.read_text(encoding="utf-8").splitlines()[-1] == "exit_code=0"


def test_readme_documents_every_rule() -> None:
    """The README's scan table has a row for every rule id, with the rule's severity."""
    from realtime_check.scan.rules import RULES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for rule in RULES:
        row = re.search(rf"^\| `{re.escape(rule.id)}` \| ([^|]+) \|", readme, flags=re.MULTILINE)
        assert row is not None, rule.id
        assert row.group(1).startswith(rule.severity.value), rule.id
