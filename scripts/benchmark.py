"""Benchmark the offline preview: wall time per phase and peak memory, median of several runs.

    .venv/bin/python scripts/benchmark.py                 # both stacks, 5 runs each
    .venv/bin/python scripts/benchmark.py --stack production --runs 7

Each run is a fresh `python -m preflight` process, as a user would start it, so imports count.
Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
_TIMINGS = re.compile(r"^timings: (.*)$", re.MULTILINE)


def run_once(stacks: list[str], extra: list[str]) -> tuple[float, float, dict[str, float]]:
    """One preflight process: (wall seconds, peak RSS in MiB, seconds per phase)."""
    command = [sys.executable, "-m", "preflight", "--timings"]
    command += ["--stack", ",".join(stacks), *extra]
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=PROJECT_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"preflight failed for {stacks}: {stderr.strip()}")
    phases: dict[str, float] = {}
    match = _TIMINGS.search(stderr)
    if match:
        for part in match.group(1).split():
            name, seconds = part.split("=")
            phases[name] = float(seconds)
    return wall, usage.ru_maxrss / 1024, phases


def main() -> int:
    """Run the benchmark and print a table of medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stack", action="append", help="a stack, or several comma-separated")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("extra", nargs="*", help="more preflight arguments")
    args = parser.parse_args()
    scenarios = args.stack or ["staging", "production", "staging,production"]
    print(f"{args.runs} runs each on {os.cpu_count()} cores; medians in seconds, peak RSS in MiB")
    for scenario in scenarios:
        stacks = scenario.split(",")
        runs = [run_once(stacks, args.extra) for _ in range(args.runs)]
        walls = [wall for wall, _, _ in runs]
        phase_names = sorted({name for _, _, phases in runs for name in phases})
        phases = " ".join(
            f"{name}={statistics.median(p.get(name, 0.0) for _, _, p in runs):.2f}"
            for name in phase_names
        )
        print(
            f"{scenario:<20} wall median={statistics.median(walls):.2f} "
            f"min={min(walls):.2f} max={max(walls):.2f}  {phases}  "
            f"peak={max(rss for _, rss, _ in runs):.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
