"""The layers import one way (the contracts in pyproject.toml) and no module imports itself back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept() -> None:
    """`lint-imports` keeps every contract: cli > checks/render/emulator > probes > diagnosis > pure blocks."""
    lint = Path(sys.executable).with_name("lint-imports")
    proc = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "0 broken" in proc.stdout


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("realtime_check", include_external_packages=True, cache_dir=None)


def test_no_import_cycles_between_modules(graph: grimp.ImportGraph) -> None:
    """No module reaches itself through imports, lazy function-level imports included."""
    cycles = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if imported == importer or imported.startswith(importer + "."):
                continue  # a package importing its own submodules is not a cycle
            if importer.startswith(imported + "."):
                continue  # a submodule importing its package's __init__
            chain = graph.find_shortest_chain(importer=imported, imported=importer)
            if chain:
                cycles.append(" -> ".join((importer, *chain)))
    assert cycles == []


def test_pure_layers_do_not_import_the_network_stack(graph: grimp.ImportGraph) -> None:
    """Diagnosis, rendering and the shared building blocks never import the network stack, even lazily."""
    pure = [m for m in graph.modules if m.startswith(("realtime_check.diagnosis", "realtime_check.render"))]
    pure += [f"realtime_check.{m}" for m in ("models", "exit_codes", "settings", "keys", "redact", "network_facts")]
    offenders = {
        module: sorted(
            name
            for name in graph.find_modules_directly_imported_by(module)
            if name.split(".")[0] in {"httpx", "httpcore", "h2", "websockets", "aiohttp", "socket", "asyncio"}
        )
        for module in pure
    }
    assert {m: names for m, names in offenders.items() if names} == {}
