"""How `make bench` measures: pulje and its baseline run alternately in one process (so both meet the same
machine load), medians with the spread between the quartiles; large runs in a fresh process each, for their
peak memory."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable

import numpy as np


def seconds(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def alternating(pulje: Callable[[], object], baseline: Callable[[], object], repeat: int) -> dict:
    """Both timed `repeat` times, one after the other, after a warm-up run of each."""
    pulje(), baseline()
    ours, theirs = [], []
    for _ in range(repeat):
        ours.append(seconds(pulje))
        theirs.append(seconds(baseline))
    return summary(np.array(ours), np.array(theirs))


def summary(ours: np.ndarray, theirs: np.ndarray) -> dict:
    """Medians, quartiles and the ratio (pulje / baseline) of paired runs."""
    ratios = ours / theirs
    return {
        "pulje_s": float(np.median(ours)),
        "pulje_q": [float(q) for q in np.percentile(ours, [25, 75])],
        "baseline_s": float(np.median(theirs)),
        "baseline_q": [float(q) for q in np.percentile(theirs, [25, 75])],
        "ratio": float(np.median(ratios)),
        "ratio_q": [float(q) for q in np.percentile(ratios, [25, 75])],
        "runs": len(ours),
    }


def in_fresh_process(*args: str) -> dict:
    """`python -m benchmarks.large ARGS` in a new process: its seconds, peak memory (MB) and objective."""
    done = subprocess.run([sys.executable, "-m", "benchmarks.large", *args], capture_output=True, text=True,
                          check=False)  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"benchmarks.large {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])
