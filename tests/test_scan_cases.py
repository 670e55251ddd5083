"""Every rule's positive and negative examples: the scan finds each expected pattern and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest
from scan_case_data import CASES, case_files, expected, found

from realtime_check.scan.rules import RULES


@pytest.mark.parametrize("path", case_files(), ids=lambda p: str(p.relative_to(CASES)))
def test_example_file_gives_exactly_the_expected_findings(path: Path) -> None:
    """Each example file yields exactly its marked (line, rule) findings: none missed, none extra."""
    assert found(path) == expected(path)


def test_precision_and_recall_over_all_examples() -> None:
    """Over every example, precision and recall are both 1.0; negative files produce no finding at all."""
    true_pos = false_pos = false_neg = 0
    for path in case_files():
        want, got = expected(path), found(path)
        true_pos += len(want & got)
        false_pos += len(got - want)
        false_neg += len(want - got)
        if "negative" in path.name:
            assert got == set(), path
    precision = true_pos / (true_pos + false_pos)
    recall = true_pos / (true_pos + false_neg)
    assert (precision, recall) == (1.0, 1.0)
    assert true_pos >= 100  # the examples are not trivially small


def test_every_rule_has_positive_and_negative_examples() -> None:
    """Each rule has a folder with at least one positive and one negative example file."""
    for rule in RULES:
        names = [p.name for p in (CASES / rule.id).iterdir()]
        assert any(n.startswith("positive") for n in names), rule.id
        assert any("negative" in n for n in names), rule.id
