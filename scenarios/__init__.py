"""Scenarios: what-if runs, comparisons, budget sweeps, trade-off frontiers, robustness and exports.

Pandas in, pandas out, no hidden state:

    >>> from scenarios import load_scenario, run, compare, baseline
    >>> s = load_scenario("scenarios/examples/frederiksberg_max_reach.toml")
    >>> compare(baseline(s), run(s)).differences
"""

from scenarios.analysis_excel import (
    write_catalog_excel,
    write_frontier_excel,
    write_robustness_excel,
    write_sweep_excel,
    write_tables_excel,
)
from scenarios.compare import Comparison, compare
from scenarios.export import write_csv, write_excel
from scenarios.frontier import Frontier, frontier
from scenarios.robustness import Robustness, robustness
from scenarios.run import ScenarioRun, baseline, run
from scenarios.spec import Scenario, ScenarioError, Uncertainty, load_scenario, save_scenario
from scenarios.sweep import Sweep, sweep_budget

__all__ = [
    "Comparison",
    "Frontier",
    "Robustness",
    "Scenario",
    "ScenarioError",
    "ScenarioRun",
    "Sweep",
    "Uncertainty",
    "baseline",
    "compare",
    "frontier",
    "load_scenario",
    "robustness",
    "run",
    "save_scenario",
    "sweep_budget",
    "write_catalog_excel",
    "write_csv",
    "write_excel",
    "write_frontier_excel",
    "write_robustness_excel",
    "write_sweep_excel",
    "write_tables_excel",
]
