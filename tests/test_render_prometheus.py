"""Prometheus textfile output: metric values, labels, escaping, and the atomic write."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import report_factory as factory
from prometheus_client.parser import text_string_to_metric_families

from realtime_check.models import Report, Status
from realtime_check.render.prometheus import (
    escape_label,
    report_to_prometheus,
    write_prometheus,
    write_prometheus_report,
)

NOW = 1795514402.5


def samples(report: Report) -> dict[str, dict[tuple[tuple[str, str], ...], float]]:
    """Parsed metrics: family name -> sorted label pairs -> value."""
    text = report_to_prometheus(report, now=NOW)
    out: dict[str, dict[tuple[tuple[str, str], ...], float]] = {}
    for family in text_string_to_metric_families(text):
        assert family.type == "gauge"
        assert family.documentation
        for sample in family.samples:
            out.setdefault(sample.name, {})[tuple(sorted(sample.labels.items()))] = sample.value
    return out


def one(metrics: dict[str, dict[tuple[tuple[str, str], ...], float]], name: str, **labels: str) -> float:
    return metrics[name][tuple(sorted(labels.items()))]


def test_run_level_metrics_for_a_failing_run() -> None:
    """up, exit code, run timestamp and duration describe the last run."""
    m = samples(factory.failing_report())
    assert one(m, "realtime_check_up") == 0
    assert one(m, "realtime_check_exit_code") == 5
    assert one(m, "realtime_check_run_timestamp_seconds") == NOW
    assert one(m, "realtime_check_run_duration_seconds") == pytest.approx(0.612)
    assert one(m, "realtime_check_info", version=factory.VERSION, model=factory.MODEL, base_url=factory.BASE_URL) == 1


def test_healthy_run_is_up() -> None:
    """A passing run reports up=1, exit code 0 and every check successful."""
    m = samples(factory.healthy_report())
    assert one(m, "realtime_check_up") == 1 and one(m, "realtime_check_exit_code") == 0
    assert set(m["realtime_check_check_success"].values()) == {1}


def test_per_check_success_status_and_duration() -> None:
    """Success is 1 for pass and warn only; status is one-hot over all statuses; unmeasured checks have no duration."""
    report = factory.failing_report()
    m = samples(report)
    expected_success = {c.id: 1 if c.status in (Status.PASS, Status.WARN) else 0 for c in report.checks}
    assert {dict(k)["check"]: v for k, v in m["realtime_check_check_success"].items()} == expected_success
    for c in report.checks:
        statuses = {s.value: one(m, "realtime_check_check_status", check=c.id, status=s.value) for s in Status}
        assert statuses == {s.value: (1 if s is c.status else 0) for s in Status}
    assert one(m, "realtime_check_check_duration_seconds", check="models") == pytest.approx(0.15326)
    assert (("check", "model"),) not in m["realtime_check_check_duration_seconds"]  # skipped: never measured


def test_warning_counts_as_success() -> None:
    """A warned check still counts as successful."""
    m = samples(factory.warning_report())
    assert one(m, "realtime_check_check_success", check="models") == 1
    assert one(m, "realtime_check_check_status", check="models", status="warn") == 1


def test_help_and_type_precede_each_family() -> None:
    """Each family has one HELP and one TYPE line, immediately before its samples."""
    lines = report_to_prometheus(factory.healthy_report(), now=NOW).splitlines()
    helps = [i for i, line in enumerate(lines) if line.startswith("# HELP ")]
    assert len(helps) == 8
    for i in helps:
        name = lines[i].split()[2]
        assert lines[i + 1] == f"# TYPE {name} gauge"
        assert lines[i + 2].startswith(name)


def test_label_values_are_escaped() -> None:
    """Backslash, double quote and newline in label values are escaped and parse back intact."""
    assert escape_label('a\\b"c\nd') == 'a\\\\b\\"c\\nd'
    m = samples(factory.hostile_report())
    info = next(iter(m["realtime_check_info"]))
    assert dict(info)["base_url"] == factory.BASE_URL + '/"x"\\y\n'
    assert "weird id/with spaces:and,commas" in {dict(k)["check"] for k in m["realtime_check_check_success"]}
    assert "\x1b" not in dict(info)["model"] and "\x00" not in dict(info)["model"]


def test_repeated_check_id_keeps_the_first_result() -> None:
    """Duplicate check ids would be duplicate series (an invalid file), so only the first counts."""
    report = factory.build_report([factory.check("dns"), factory.check("dns", Status.FAIL, "again")])
    assert samples(report)["realtime_check_check_success"] == {(("check", "dns"),): 1}


def test_empty_run_is_still_a_valid_file() -> None:
    """A run with no checks still exposes the run-level metrics."""
    m = samples(factory.empty_report())
    assert one(m, "realtime_check_up") == 1 and "realtime_check_check_success" not in m


def test_write_prometheus_replaces_atomically(tmp_path: Path) -> None:
    """The file is replaced whole, readable by other users, with no temp file left for the collector to read."""
    path = tmp_path / "realtime_check.prom"
    path.write_text("realtime_check_up 1\n", encoding="utf-8")
    text = report_to_prometheus(factory.failing_report(), now=NOW)
    write_prometheus(path, text)
    assert path.read_text(encoding="utf-8") == text
    assert os.listdir(tmp_path) == ["realtime_check.prom"]
    assert path.stat().st_mode & 0o777 == 0o644


def test_write_prometheus_failure_leaves_no_temp_file(tmp_path: Path) -> None:
    """If the final rename fails, OSError is raised and the temp file is removed, not left for the collector."""
    target = tmp_path / "realtime_check.prom"
    target.mkdir()  # a directory in the way makes os.replace fail after the temp file was written
    with pytest.raises(OSError):
        write_prometheus(target, "realtime_check_up 1\n")
    assert os.listdir(tmp_path) == ["realtime_check.prom"]
    assert target.is_dir()


def test_write_prometheus_report_renders_and_writes(tmp_path: Path) -> None:
    """write_prometheus_report writes the report's metrics, stamped with the given finish time."""
    path = tmp_path / "realtime_check.prom"
    report = factory.healthy_report()
    write_prometheus_report(path, report, now=NOW)
    assert path.read_text(encoding="utf-8") == report_to_prometheus(report, now=NOW)
