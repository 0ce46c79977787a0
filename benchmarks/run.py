"""`make bench`: time the operations people wait for, on the bundled catalogs and the real pabulib budgets.

Writes benchmarks/results/latest.json and prints a table. Figures are medians of repeated runs on
this machine; the README quotes them with the date and machine they came from.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from optimizer import AllOrNothing, Assumptions, Scalable, compile_inputs, load_catalog, solve
from optimizer.pabulib import read_pabulib
from scenarios import load_scenario, robustness, sweep_budget

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
PABULIB = Path(os.environ.get("PULJE_PABULIB_DIR", ROOT.parent / "shared" / "external" / "pabulib"))
EXAMPLES = ROOT / "scenarios" / "examples"
FREDERIKSBERG_REACH = {"fb21-farvel-til-farvede-forventninger": 40, "fb21-aaben-raadgivning": 250}


def timed(function: Callable[[], object], repeat: int = 5) -> float:
    """Median wall time in seconds over `repeat` runs (after one warm-up run)."""
    function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def bench_solves() -> list[dict]:
    rows = []
    frederiksberg = load_catalog(ROOT / "data" / "frederiksberg" / "handleplan_2021_2022.csv")
    copenhagen = load_catalog(ROOT / "data" / "copenhagen" / "bruttokatalog_2019_2022.csv")
    cases = {
        "frederiksberg 2021-22, all-or-nothing, 2 years": lambda: solve(
            frederiksberg, {2021: 722_000, 2022: 700_000}, assumptions=Assumptions(reach=FREDERIKSBERG_REACH)
        ),
        "frederiksberg 2021-22, scalable, 2 years": lambda: solve(
            frederiksberg,
            {2021: 722_000, 2022: 700_000},
            assumptions=Assumptions(reach=FREDERIKSBERG_REACH),
            constraints=[Scalable("*")],
        ),
        "copenhagen bruttokatalog, 10 mio.": lambda: solve(
            copenhagen, 10_000_000, assumptions=Assumptions(reach={"kk-vaekstprogram": 50})
        ),
    }
    for name, case in cases.items():
        rows.append({"benchmark": f"solve(): {name}", "seconds": timed(case)})
    if PABULIB.is_dir():
        for path in sorted(PABULIB.glob("*.pb")):
            catalog, budget = read_pabulib(path)
            seconds = timed(lambda c=catalog, b=budget: solve(c, b, evidence_weight=0), repeat=3)
            rows.append({"benchmark": f"solve(): pabulib {path.stem} ({len(catalog)} projects)", "seconds": seconds})
    return rows


def bench_resolve() -> list[dict]:
    """One compiled model re-solved with new objective coefficients, against building it afresh."""
    rows = []
    scenario = load_scenario(EXAMPLES / "copenhagen_bruttokatalog.toml")
    compiled = compile_inputs(scenario.inputs).highs
    model = compiled.model
    rng = np.random.default_rng(0)

    def resolve() -> None:
        compiled.set_objective(model.objective * rng.uniform(0.8, 1.2, model.n_cols))
        compiled.solve()

    rows.append({"benchmark": "re-solve compiled model, copenhagen (LP)", "seconds": timed(resolve, repeat=200)})
    rows.append(
        {"benchmark": "rebuild + solve with PuLP, copenhagen (LP)", "seconds": timed(lambda: solve_scenario(scenario))}
    )
    return rows


def solve_scenario(scenario) -> None:
    from scenarios import run

    run(scenario)


def bench_scenarios() -> list[dict]:
    rows = []
    copenhagen = load_scenario(EXAMPLES / "copenhagen_bruttokatalog.toml")
    max_reach = load_scenario(EXAMPLES / "frederiksberg_max_reach.toml")
    all_or_nothing = max_reach.replace(constraints=())
    budgets = np.arange(0, 20_000_001, 500_000)
    rows.append(
        {
            "benchmark": f"sweep_budget copenhagen, {len(budgets)} budgets",
            "seconds": timed(lambda: sweep_budget(copenhagen, budgets), 3),
        }
    )
    copenhagen_all_or_nothing = copenhagen.replace(constraints=(*copenhagen.constraints, AllOrNothing("*")))
    for label, scenario, draws in (
        ("copenhagen, scalable (LP re-solves)", copenhagen, 10_000),
        ("frederiksberg, scalable (LP re-solves)", max_reach, 10_000),
        ("frederiksberg, all-or-nothing (16 choices: enumeration)", all_or_nothing, 10_000),
        ("copenhagen, all-or-nothing (30 indsatser: MILP re-solves)", copenhagen_all_or_nothing, 200),
    ):
        seconds = timed(lambda s=scenario, n=draws: robustness(s, n, seed=1), repeat=1)
        rows.append(
            {
                "benchmark": f"robustness {label}, {draws} draws",
                "seconds": seconds,
                "per_draw_ms": seconds / draws * 1000,
            }
        )
    return rows


def main() -> int:
    rows = bench_solves() + bench_resolve() + bench_scenarios()
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "results": rows,
    }
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    width = max(len(row["benchmark"]) for row in rows)
    print(f"pulje benchmarks, {report['date']}, {report['machine']}")
    for row in rows:
        extra = f"  ({row['per_draw_ms']:.2f} ms per draw)" if "per_draw_ms" in row else ""
        print(f"{row['benchmark']:<{width}}  {row['seconds'] * 1000:10.1f} ms{extra}")
    print(f"written to {RESULTS / 'latest.json'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
