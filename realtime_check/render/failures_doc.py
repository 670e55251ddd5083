"""docs/failures.md: the failure modes realtime-check diagnoses, from the catalogue's own data.

Regenerate after changing the diagnosis catalogue or the failure modes:
`python -m realtime_check.render.failures_doc > docs/failures.md` (a test keeps the file in sync).
"""

from __future__ import annotations

from realtime_check.diagnosis import catalog
from realtime_check.diagnosis.failure_modes import FAILURE_MODES, FailureMode
from realtime_check.models import Diagnosis

_INTRO = """\
# Failure modes realtime-check diagnoses

Generated from the diagnosis catalogue (`realtime_check/diagnosis/`); do not edit by hand, run
`python -m realtime_check.render.failures_doc > docs/failures.md` instead.

Each failure mode has an id (F01–F50). `realtime-check explain` and `realtime-check emulate --list`
show these ids, and `realtime-check explain F36` finds the diagnoses for one. Every mode lists the
public reports it was gathered from: `owner/repo#N` is a GitHub issue, `PR#N` a pull request, a bare
`#N` belongs to the repository named just before it, and `community/<id>` is a thread on
community.openai.com.

Stages follow the checks: S0 configuration, S1 DNS, S2 TCP and proxies, S3 TLS, S4 the key
(`GET /v1/models`), S5 model access, S6 ephemeral secret, S7 WebSocket handshake, S8 first server
event, S9 the first response; SX are related paths (WebRTC, Azure) the checks do not take.
"""


def format_failures_doc() -> str:
    """The whole document, ending in a newline."""
    diagnoses = catalog.all_diagnoses()
    parts = [_INTRO, "## Failure modes\n"]
    for mode in FAILURE_MODES:
        parts.append(_mode(mode, [d for d in diagnoses if mode.id in d.failures]))
    parts.append(_diagnosis_table(diagnoses))
    return "\n".join(parts)


def _mode(mode: FailureMode, covered_by: list[Diagnosis]) -> str:
    lines = [f"### {mode.id} {mode.title}", "", f"- Stage: {mode.stage}"]
    if covered_by:
        named = ", ".join(f"`{d.id}` ({d.title})" for d in covered_by)
        lines.append(f"- Diagnosed as: {named}")
    else:
        lines.append("- Diagnosed as: not detected by the checks (documented for reference)")
    lines.append(f"- Sources: {mode.sources}")
    return "\n".join(lines) + "\n"


def _diagnosis_table(diagnoses: list[Diagnosis]) -> str:
    lines = [
        "## Every diagnosis",
        "",
        "`realtime-check explain <id>` prints the cause and what to do for any of these.",
        "",
        "| diagnosis | what it means | class | failure modes |",
        "|---|---|---|---|",
    ]
    for d in diagnoses:
        title = d.title.replace("|", "\\|")
        lines.append(f"| `{d.id}` | {title} | {d.category.value} | {' '.join(d.failures)} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(format_failures_doc())
