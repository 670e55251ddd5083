"""docs/failures.md: the failure-mode ids users are shown point at a document that exists and is current."""

from __future__ import annotations

from pathlib import Path

from realtime_check.diagnosis import catalog
from realtime_check.diagnosis.failure_modes import BY_ID, FAILURE_MODES
from realtime_check.emulator.scenarios import list_scenarios
from realtime_check.render.failures_doc import format_failures_doc

DOC = Path(__file__).resolve().parents[1] / "docs" / "failures.md"


def test_docs_failures_md_is_generated_from_the_catalogue() -> None:
    """docs/failures.md is exactly what the catalogue generates (regenerate it with the command in its header)."""
    assert DOC.read_text(encoding="utf-8") == format_failures_doc(), (
        "docs/failures.md is stale: run `python -m realtime_check.render.failures_doc > docs/failures.md`"
    )


def test_every_failure_id_shown_to_users_is_documented() -> None:
    """Each failure id a diagnosis (explain) or a scenario (emulate --list) shows has an entry with sources."""
    shown = {f for d in catalog.all_diagnoses() for f in d.failures}
    shown |= {f for s in list_scenarios() for f in s.failures}
    assert shown and shown <= set(BY_ID)
    assert all(BY_ID[f].sources.strip() for f in shown)


def test_failure_modes_have_unique_ids_in_order() -> None:
    """Failure-mode ids are unique and listed in order, so the document reads F01 to F50."""
    ids = [mode.id for mode in FAILURE_MODES]
    assert ids == sorted(set(ids))


def test_every_diagnosis_is_listed_in_the_document() -> None:
    """The document's table names every diagnosis `explain` knows."""
    text = format_failures_doc()
    assert [d.id for d in catalog.all_diagnoses() if f"| `{d.id}` |" not in text] == []


def test_sources_point_at_the_shipped_document() -> None:
    """Code, docstrings and messages cite docs/failures.md (which exists), and only failure ids it lists."""
    import re

    package = Path(__file__).resolve().parents[1] / "realtime_check"
    stray, unknown = [], []
    for path in package.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        stray += [f"{path.name}: {m.group(0)}" for m in re.finditer(r"(?<!docs/)\bfailures\.md", text)]
        unknown += [f"{path.name}: {f}" for f in re.findall(r"\bF\d{2}\b", text) if f not in BY_ID]
    assert stray == [] and unknown == []
