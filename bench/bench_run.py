"""Benchmark: start-up cost and how close a run gets to its longest chain of round trips.

Not a test: timings on shared machines are noisy, so compare the ratios printed
within one run, not absolute numbers across runs.

    python bench/bench_run.py [--latency-ms 100] [--repeat 5]

1. Start-up: `realtime-check --version` and `--help` against a bare interpreter,
   and which heavy modules each imports (none of the network stack may load).
2. A run against the emulator with latency injected into every HTTP response and
   every socket event: wall time vs. the sum of the checks' own durations (what
   running them one after another would cost) vs. the longest dependency chain.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

# Configured, as in most deployments: with none, the sockets first wait for the listing to
# choose one (the ladder), which adds a response to the chain.
MODEL = "gpt-realtime-2.1"
HEAVY = ("httpx", "websockets", "aiohttp", "h2", "cryptography", "ssl", "rich")


def time_command(args: list[str], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(args, capture_output=True, check=False)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def imported_modules(cli_args: list[str]) -> list[str]:
    code = (
        "import sys\n"
        f"sys.argv = ['realtime-check', *{cli_args!r}]\n"
        "from realtime_check.cli.app import app\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        f"print('MODULES:', *sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.splitlines()
    line = next((x for x in out if x.startswith("MODULES:")), "MODULES:")
    return line.split()[1:]


def bench_startup(repeat: int) -> None:
    bare = time_command([sys.executable, "-c", "pass"], repeat)
    version = time_command([sys.executable, "-m", "realtime_check", "--version"], repeat)
    helps = time_command([sys.executable, "-m", "realtime_check", "--help"], repeat)
    print(f"start-up (median of {repeat}):")
    print(f"  python -c pass              {bare:7.1f} ms")
    print(f"  realtime-check --version    {version:7.1f} ms  (+{version - bare:.1f} ms over a bare interpreter)")
    print(f"  realtime-check --help       {helps:7.1f} ms  (+{helps - bare:.1f} ms)")
    print(f"  heavy modules loaded by --version: {imported_modules(['--version']) or 'none'}")
    print(f"  heavy modules loaded by --help:    {imported_modules(['--help']) or 'none'}")


def bench_run(latency_ms: int, repeat: int, probe_response: bool) -> None:
    from realtime_check.checks import doctor, select
    from realtime_check.checks.context import RunOptions
    from realtime_check.cli.demo import DEMO_KEY
    from realtime_check.emulator.server import Emulator
    from realtime_check.settings import resolve

    selected = select(None, None, probe_response=probe_response)
    walls, sums = [], []
    with Emulator("healthy", latency_ms=latency_ms, event_latency_ms=latency_ms) as emulator:
        settings = resolve(
            {"api_key": DEMO_KEY, "base_url": emulator.base_url, "model": MODEL}, {}, {}, None, timeout=30
        )
        for _ in range(repeat):
            report = doctor.run(settings, RunOptions(probe_response=probe_response), selected)
            assert report.ok, [(c.id, c.status, c.summary) for c in report.checks]
            walls.append(report.duration_ms)
            sums.append(sum(c.duration_ms or 0 for c in report.checks))
    wall, serial = statistics.median(walls), statistics.median(sums)
    # Longest chain with L per HTTP response and per socket event: the REST response
    # of POST client_secrets, then the ephemeral socket's upgrade and its first event.
    chain = 3 * latency_ms
    label = "with --response" if probe_response else "default checks"
    print(f"run against the emulator, {latency_ms} ms per response and per event, {label} (median of {repeat}):")
    print(f"  wall time of the run                {wall:7.1f} ms")
    print(f"  sum of the checks' own durations    {serial:7.1f} ms  (the cost if run one after another)")
    print(f"  wall / sum                          {wall / serial:7.2f}")
    if not probe_response:
        print(f"  longest chain (~{chain} ms)          wall / chain = {wall / chain:.2f}")
    else:
        # The round trip is a dozen events in sequence, each delayed by the emulator.
        print("  (the response probe is one event after another: it is the chain here)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    bench_startup(args.repeat)
    bench_run(args.latency_ms, args.repeat, probe_response=False)
    bench_run(args.latency_ms, args.repeat, probe_response=True)


if __name__ == "__main__":
    main()
