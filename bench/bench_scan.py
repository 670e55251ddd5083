"""Benchmark: `realtime-check scan` over a generated 10,000-file repository, on one CPU core.

Not a test: timings on shared machines are noisy. Prints the median wall time of a real CLI run
(a subprocess pinned to one core), the files per second, its CPU time (steadier than wall time when
other work shares the machine), and the rules' precision and recall over the examples in tests/scan_cases.

    python bench/bench_scan.py [--files 10000] [--repeat 3] [--keep DIR]

The repository mixes Python, TypeScript/TSX, JavaScript, JSON, Markdown and .env files of a few
dozen lines each: most are ordinary code, 20 % are GA Realtime code (so they are tokenized, not
skipped by the prefilter), 3 % are copies of the beta-era example app's files (so there are
findings to report); a node_modules folder of 2,000 more files must be skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BETA_APP = ROOT / "tests" / "scan_apps" / "beta"
GA_APP = ROOT / "tests" / "scan_apps" / "ga"

PLAIN_PY = '''"""Module {n}: invoices and ledgers."""

from dataclasses import dataclass


@dataclass
class Invoice{n}:
    number: str
    amount_cents: int
    currency: str = "EUR"

    def total(self, tax_rate: float) -> int:
        return round(self.amount_cents * (1 + tax_rate))


def load_{n}(rows: list[dict]) -> list[Invoice{n}]:
    out = []
    for row in rows:
        if row.get("status") == "void":
            continue
        out.append(Invoice{n}(row["number"], int(row["amount"]), row.get("currency", "EUR")))
    return out


SETTINGS = {{"retries": 3, "timeout": 30, "endpoint": "https://example.com/api/v2/invoices"}}
'''
PLAIN_TS = """import React, {{ useState }} from "react";

export interface Row{n} {{ id: string; label: string; amount: number }}

export function Table{n}({{ rows }}: {{ rows: Row{n}[] }}) {{
  const [sort, setSort] = useState<"asc" | "desc">("asc");
  const sorted = [...rows].sort((a, b) => (sort === "asc" ? a.amount - b.amount : b.amount - a.amount));
  const total = sorted.reduce((sum, r) => sum + r.amount, 0);
  const pattern = /^[a-z0-9_-]+$/i;
  return (
    <table className="t{n}">
      <tbody>
        {{sorted.map((r) => (
          <tr key={{r.id}} onClick={{() => setSort(sort === "asc" ? "desc" : "asc")}}>
            <td>{{pattern.test(r.label) ? r.label : `row ${{r.id}}`}}</td>
            <td>{{r.amount / 100}}</td>
          </tr>
        ))}}
      </tbody>
      <tfoot><tr><td>Total: {{total / 100}}</td></tr></tfoot>
    </table>
  );
}}
"""
PLAIN_JSON = '{{"name": "pkg-{n}", "version": "1.{n}.0", "scripts": {{"build": "tsc -p ."}}, "dependencies": {{"react": "^18.3.1"}}}}\n'
PLAIN_MD = "# Component {n}\n\nRenders a table.\n\n```ts\nimport {{ Table{n} }} from './table';\n```\n"


def _ga_files() -> list[tuple[str, str]]:
    return [(p.suffix or p.name, p.read_text(encoding="utf-8")) for p in GA_APP.rglob("*") if p.is_file()]


def _beta_files() -> list[tuple[str, str]]:
    return [
        (p.suffix or p.name, p.read_text(encoding="utf-8"))
        for p in BETA_APP.rglob("*")
        if p.is_file() and not p.name.endswith(".expect")
    ]


def generate(root: Path, files: int) -> None:
    """`files` scannable files under `root`, plus 2,000 in node_modules that must be skipped."""
    ga, beta = _ga_files(), _beta_files()
    plain = [
        (".py", PLAIN_PY),
        (".tsx", PLAIN_TS),
        (".ts", PLAIN_TS),
        (".js", PLAIN_TS),
        (".json", PLAIN_JSON),
        (".md", PLAIN_MD),
    ]
    (root / ".gitignore").write_text("dist/\n*.log\n", encoding="utf-8")
    for n in range(files):
        folder = root / f"pkg{n % 100:02d}" / f"mod{n % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        if n % 100 < 3:
            suffix, text = beta[n % len(beta)]
        elif n % 100 < 23:
            suffix, text = ga[n % len(ga)]
        else:
            suffix, template = plain[n % len(plain)]
            text = template.format(n=n)
        name = f".env.{n}" if suffix == ".env" else f"file{n}{suffix}"
        (folder / name).write_text(text, encoding="utf-8")
    vendored = root / "node_modules" / "some-realtime-sdk" / "lib"
    vendored.mkdir(parents=True)
    for n in range(2000):
        (vendored / f"v{n}.js").write_text('headers["OpenAI-Beta"] = "realtime=v1";\n', encoding="utf-8")


def one_core() -> list[str]:
    """The command prefix that pins the scan to one CPU (taskset where it exists, else sched_setaffinity)."""
    return ["taskset", "-c", "0"] if shutil.which("taskset") else []


def time_scan(root: Path, repeat: int) -> tuple[float, float, dict]:
    """Median wall seconds and median CPU seconds (user + system) of the scan process, and its document.

    CPU time is the steadier figure on a shared machine: other processes stretch wall time, not CPU time.
    """
    samples, cpu_samples, document = [], [], {}
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        proc = subprocess.run(
            [*one_core(), sys.executable, "-m", "realtime_check", "scan", "--json", "--max-files", "1000000"],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        samples.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_samples.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        document = json.loads(proc.stdout)
    return statistics.median(samples), statistics.median(cpu_samples), document


def precision_recall() -> tuple[float, float, int, int]:
    sys.path.insert(0, str(ROOT / "tests"))
    from scan_case_data import case_files, expected, found  # the test suite's own reading of the examples

    tp = fp = fn = 0
    paths = case_files()
    for path in paths:
        want, got = expected(path), found(path)
        tp, fp, fn = tp + len(want & got), fp + len(got - want), fn + len(want - got)
    return tp / (tp + fp), tp / (tp + fn), tp, len(paths)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", help="generate into this folder and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(args.keep or tmp) / "synthetic-repo"
        root.mkdir(parents=True, exist_ok=True)
        generate(root, args.files)
        seconds, cpu_seconds, document = time_scan(root, args.repeat)
    pinned = "taskset -c 0" if one_core() else "not pinned (no taskset)"
    print(
        f"scan of {document['files_scanned']} files ({sum(document['files_skipped'].values())} skipped: "
        f"{document['files_skipped']}), {pinned}, median of {args.repeat}: {seconds:.2f} s "
        f"({document['files_scanned'] / seconds:,.0f} files/s), CPU {cpu_seconds:.2f} s, "
        f"{len(document['findings'])} findings; load average {os.getloadavg()[0]:.1f}"
    )
    precision, recall, hits, files = precision_recall()
    print(f"rule examples: {files} files, {hits} expected findings: precision {precision:.3f}, recall {recall:.3f}")
    print(f"cpu count {os.cpu_count()}, python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
