"""`make bench` (and `make bench-quick`): time pulje against its baselines in one run, write
benchmarks/results/latest.json, the tables of benchmarks/README.md and the chart benchmarks/growth.png.

Speed is measured here, never asserted in `make test`. `--quick` (under a minute) skips the national-scale
runs, the app and the load test, and times fewer repeats, for development; only the full run rewrites the
README and the chart. The full run ends with the app's slider moves (benchmarks/app.py) and, in a process of
its own, 20 sessions on one app process and then on two sharing one library (benchmarks/load.py: clients of
Streamlit's websocket protocol, two Chromium pages beside them).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from benchmarks import cases
from benchmarks.report import chart, write_readme

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def machine() -> dict:
    packages = ("numpy", "pandas", "highspy", "pulp")
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
        "load_before": [round(load, 2) for load in os.getloadavg()],
        "versions": {"python": platform.python_version(), **{name: version(name) for name in packages}},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="under a minute: no national-scale runs, app or load test")
    quick = parser.parse_args(argv).quick
    started = time.perf_counter()
    report = machine()
    rows = cases.one_solve(15 if quick else 200)
    rows += cases.slider(50 if quick else 300)
    rows += cases.help_time(5 if quick else 15)
    rows += cases.milp(2 if quick else 5)
    rows += cases.robustness_runs(1_000 if quick else 10_000, 20 if quick else 200)
    rows += cases.large(10_000 if quick else 100_000, 1 if quick else 3)
    growth = cases.growth([100, 1_000, 10_000] if quick else [100, 1_000, 10_000, 100_000, 1_000_000])
    if not quick:
        rows += cases.national(1_000_000)
    report |= {"load_after": [round(load, 2) for load in os.getloadavg()]}
    if not quick:
        from benchmarks.app import bench_app

        report |= {"app": bench_app(), "sessions": [_load_test(servers) for servers in (1, 2)]}
    report |= {"quick": quick, "seconds": time.perf_counter() - started, "results": rows, "growth": growth}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / ("quick.json" if quick else "latest.json")).write_text(json.dumps(report, indent=2), encoding="utf-8")
    if not quick:
        chart(growth, HERE / "growth.png")
        write_readme(report, HERE / "README.md")
    for row in rows:
        met = {True: "met", False: "NOT MET", None: ""}[row["met"]]
        print(f"{row['workload'][:88]:<88} {row['pulje_s'] * 1000:10.2f} ms  ×{row['ratio']:7.3f}  {met}")
    print(f"{report['seconds']:.0f} s in all; written to {RESULTS}", file=sys.stderr)
    return 0


def _load_test(servers: int) -> dict:
    """benchmarks/load.py's figures with this many app processes, run in a process of its own (it lowers
    Chromium's CPU priority)."""
    command = [sys.executable, "-m", "benchmarks.load", "--quiet", "--servers", str(servers)]
    subprocess.run(command, check=True, cwd=HERE.parent)
    return json.loads((RESULTS / "load.json").read_text(encoding="utf-8"))


if __name__ == "__main__":
    raise SystemExit(main())
