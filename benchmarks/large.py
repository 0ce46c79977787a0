"""One large run in its own process, for `make bench`: `python -m benchmarks.large WHAT N [caps|budget]` prints
one JSON line with the seconds, the peak memory (MB, the whole process) and the objective.

WHAT: files (write N generated indsatser once into CACHE, as CSV files of at most MAX_ROWS rows each, the
most one file may hold); load (load those files with load_catalog, concatenate, solve: load + solve);
pulje (a validated catalog in hand: Inputs and solve, load excluded); direct (the same LP built from arrays
in highspy); sort (the budget alone, by value per krone)."""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from benchmarks.workloads import arrays, caps_of, direct_highspy, national_catalog, sorted_by_value_per_krone
from optimizer import Inputs, UdvalgMax, load_catalog, solve, validate_catalog

CACHE = Path(__file__).resolve().parent / ".cache"
SHARE = 0.3  # the budget: this share of what all indsatser ask together
WARM_UP = 100_000  # up to this size a run is timed after one untimed run (first calls load code and HiGHS)


def main(what: str, n: int, limits: str = "caps") -> dict:
    frame = national_catalog(n)
    budget = round(float(frame["cost_kr"].astype(float).sum()) * SHARE, -3)
    caps = caps_of(budget) if limits == "caps" else {}
    if what == "files":
        _write_files(frame, n)
        return {"seconds": 0.0, "peak_mb": 0.0, "objective": 0.0}
    run: Callable[[], float]
    if what == "load":
        del frame
        run = lambda: _solved(_loaded(n), budget, caps)  # noqa: E731
    elif what == "pulje":
        catalog = validate_catalog(frame)
        del frame
        run = lambda: _solved(catalog, budget, caps)  # noqa: E731
    else:
        figures = arrays(frame)
        del frame
        if what == "direct":
            run = lambda: direct_highspy(figures["cost"], figures["value"], figures["udvalg"], budget, caps)[0]  # noqa: E731
        else:
            run = lambda: sorted_by_value_per_krone(figures["cost"], figures["value"], budget)  # noqa: E731
    if n <= WARM_UP and what != "load":
        run()
    started = time.perf_counter()
    objective = run()
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak, "objective": objective}


def _loaded(n: int) -> pd.DataFrame:
    files = sorted(CACHE.glob(f"national_{n}_*.csv"))
    return pd.concat([load_catalog(path) for path in files], ignore_index=True)


def _solved(catalog: pd.DataFrame, budget: float, caps: dict[str, float]) -> float:
    result = solve(Inputs(catalog, budget, constraints=tuple(UdvalgMax(u, kr=kr) for u, kr in caps.items())))
    return result.raise_for_status().objective


def _write_files(frame: pd.DataFrame, n: int) -> None:
    from optimizer.limits import MAX_ROWS

    CACHE.mkdir(exist_ok=True)
    rows = MAX_ROWS - 1  # the header is a row too
    for k, start in enumerate(range(0, n, rows)):
        path = CACHE / f"national_{n}_{k}.csv"
        if not path.exists():
            frame.iloc[start : start + rows].to_csv(path, index=False)


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], int(sys.argv[2]), *sys.argv[3:])))
