"""The README and .env.example say what the code does: checks, scenarios, exit codes, variables."""

from __future__ import annotations

import re
from pathlib import Path

from realtime_check.checks import CHECK_IDS
from realtime_check.emulator.scenarios import list_scenarios
from realtime_check.exit_codes import EXIT_CODE_DESCRIPTIONS
from realtime_check.settings import ENV_VARS, read_dotenv_file

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_lists_every_check() -> None:
    """Every check id appears in the README's table of checks."""
    missing = [check for check in CHECK_IDS if f"| `{check}`" not in README]
    assert not missing


def test_readme_lists_every_scenario() -> None:
    """Every emulator scenario appears in the README's scenario table."""
    missing = [s.name for s in list_scenarios() if f"| `{s.name}` |" not in README]
    assert not missing


def test_readme_exit_code_table_matches_the_enum() -> None:
    """The README's exit-code table has exactly the codes and meanings the tool uses."""
    rows = dict(re.findall(r"^\| (\d+) \| (.+?) \|$", README, flags=re.MULTILINE))
    expected = {str(int(code)): text for code, text in EXIT_CODE_DESCRIPTIONS.items()}
    assert {k: v.replace("`", "") for k, v in rows.items()} == expected


def test_readme_names_every_environment_variable() -> None:
    """Every variable the settings read is documented in the README's configuration table."""
    missing = [var for names in ENV_VARS.values() for var in names if f"`{var}`" not in README]
    assert not missing


def test_env_example_is_safe_to_copy() -> None:
    """.env.example documents the main variables and holds no key: copied as is, it sets nothing secret."""
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_REALTIME_MODEL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID"):
        assert var in text
    _, values = read_dotenv_file(str(ROOT / ".env.example"))
    assert not values.get("OPENAI_API_KEY")
    assert not re.search(r"sk-[A-Za-z0-9_-]{12,}", text)


def test_readme_quick_start_commands_match_ci() -> None:
    """The README's test command is the one .ci/run executes, so CI proves what a newcomer runs."""
    command = "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest"
    assert command in README
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert command in ci
    assert "realtime-check demo" in README
