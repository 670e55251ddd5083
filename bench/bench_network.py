"""Benchmark on a modelled network: realtime-check vs. the floor vs. the obvious SDK script.

    python bench/bench_network.py [--rtt 0 50 100] [--repeat 5] [--no-sdk]

The emulator serves TLS (a throwaway CA appended to certifi's bundle, so every client loads
a trust store of realistic size) behind bench/netmodel.py's relay, which adds a round-trip
time to every exchange and to every new connection's handshake. Three clients reach the same
verdicts (key accepted, model visible, a secret minted, both sockets answered by
`session.created`), run alternately so load drifts hit them all alike; medians of --repeat:

- tool:  `realtime-check run --json` (default checks), the model configured (OPENAI_REALTIME_MODEL);
- ladder: the same with no model configured, so the run first lists the models to choose one;
- floor: bench/floor_client.py, a minimal stdlib client (the lower bound);
- sdk:   bench/sdk_client.py on the official `openai` package (skipped if not installed).

Printed per RTT: the medians, the ratios tool/floor and tool/sdk, and the critical path in
round trips, (median(RTT) - median(0)) / RTT. At RTT 0 also: how long the tool's process ran
before its first byte reached the relay (start-up before the first byte), against a bare
interpreter, and how long it took to exit after its last output.
Timings are noisy on a shared machine: compare the ratios printed within one run.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from netmodel import LatencyRelay  # noqa: E402

MODEL = "gpt-realtime-2.1"
KEY = "sk-proj-FAKE0000000000000000000000000000000000000000BENCH"


def trust_store(ca_file: Path, into: Path) -> Path:
    """certifi's bundle plus the emulator's CA: a realistic size to load, and the emulator trusted."""
    import certifi

    bundle = into / "bundle.pem"
    bundle.write_bytes(Path(certifi.where()).read_bytes() + b"\n" + ca_file.read_bytes())
    return bundle


def commands(base_url: str, bundle: Path) -> dict[str, list[str]]:
    py = sys.executable
    tool = [py, "-m", "realtime_check", "run", "--json", "--base-url", base_url, "--ca-bundle", str(bundle)]
    cmds = {
        "tool": tool,
        "ladder": ["env", "-u", "OPENAI_REALTIME_MODEL", *tool],
        "floor": [py, str(HERE / "floor_client.py"), base_url, str(bundle), MODEL],
    }
    if importlib.util.find_spec("openai") is not None:
        cmds["sdk"] = [py, str(HERE / "sdk_client.py"), base_url, str(bundle), MODEL]
    return cmds


def timed_run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """(spawn time, wall seconds, seconds from the last output byte to exit, stdout)."""
    spawned = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert proc.stdout is not None
    chunks, last_output = [], spawned
    while True:
        data = proc.stdout.read1(65536)
        if not data:
            break
        chunks.append(data)
        last_output = time.perf_counter()
    proc.wait()
    ended = time.perf_counter()
    out = b"".join(chunks).decode(errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])}: exit {proc.returncode}\n{out[-2000:]}")
    return spawned, ended - spawned, ended - last_output, out


def bare_interpreter(repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rtt", type=float, nargs="+", default=[0, 50, 100])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-sdk", action="store_true")
    args = parser.parse_args()
    if 0 not in args.rtt:
        args.rtt = [0, *args.rtt]

    from realtime_check.emulator.server import Emulator

    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "AZURE_")) and "PROXY" not in k.upper()}
    env.update(OPENAI_API_KEY=KEY, OPENAI_REALTIME_MODEL=MODEL, NO_COLOR="1")
    medians: dict[float, dict[str, float]] = {}
    first_byte: list[float] = []
    exit_after_output: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, Emulator("healthy", tls=True) as emulator:
        assert emulator.ca_file is not None
        bundle = trust_store(emulator.ca_file, Path(tmp))
        for rtt in args.rtt:
            with LatencyRelay(emulator.port, rtt) as relay:
                base_url = f"https://127.0.0.1:{relay.port}/v1"
                cmds = commands(base_url, bundle)
                if args.no_sdk:
                    cmds.pop("sdk", None)
                samples: dict[str, list[float]] = {name: [] for name in cmds}
                for _ in range(args.repeat):
                    for name, cmd in cmds.items():  # alternate: drift hits every client alike
                        relay.log.clear()
                        spawned, wall, tail, _ = timed_run(cmd, env)
                        samples[name].append(wall)
                        if name == "tool" and rtt == 0:
                            first_byte.append(min(relay.log.first_client_byte) - spawned)
                            exit_after_output.append(tail)
                medians[rtt] = {name: statistics.median(values) * 1000 for name, values in samples.items()}

    bare = bare_interpreter(args.repeat) * 1000
    print(f"modelled network, TLS, medians of {args.repeat} (ms)")
    names = list(medians[args.rtt[0]])
    print(f"{'RTT':>6}  " + "  ".join(f"{n:>8}" for n in names) + "  tool/floor  tool/sdk  tool RTTs  floor RTTs")
    for rtt in args.rtt:
        row = medians[rtt]
        ratio_sdk = f"{row['tool'] / row['sdk']:8.2f}" if "sdk" in row else f"{'-':>8}"
        rtts = floor_rtts = "-"
        if rtt:
            rtts = f"{(row['tool'] - medians[0]['tool']) / rtt:.1f}"
            floor_rtts = f"{(row['floor'] - medians[0]['floor']) / rtt:.1f}"
        print(
            f"{rtt:6.0f}  "
            + "  ".join(f"{row[n]:8.0f}" for n in names)
            + f"  {row['tool'] / row['floor']:10.2f}  {ratio_sdk}  {rtts:>9}  {floor_rtts:>10}"
        )
    print(
        f"start-up before the tool's first byte (RTT 0): {statistics.median(first_byte) * 1000:.0f} ms "
        f"(bare `python -c pass`: {bare:.0f} ms)"
    )
    print(f"tool exit after its last output byte: {statistics.median(exit_after_output) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
