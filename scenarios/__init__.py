"""Scenarios: what-if runs, comparisons, budget sweeps, trade-off frontiers, robustness and exports.

Pandas in, pandas out, no hidden state:

    >>> from scenarios import load_scenario, run, compare, baseline
    >>> s = load_scenario("scenarios/examples/frederiksberg_max_reach.toml")
    >>> compare(baseline(s), run(s)).differences
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from optimizer.lazy import import_on_use

if TYPE_CHECKING:  # for readers and type checkers; at run time each name is imported on first use
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

_HOMES = {
    "Comparison": "scenarios.compare",
    "Frontier": "scenarios.frontier",
    "Robustness": "scenarios.robustness",
    "Scenario": "scenarios.spec",
    "ScenarioError": "scenarios.spec",
    "ScenarioRun": "scenarios.run",
    "Sweep": "scenarios.sweep",
    "Uncertainty": "scenarios.spec",
    "baseline": "scenarios.run",
    "compare": "scenarios.compare",
    "frontier": "scenarios.frontier",
    "load_scenario": "scenarios.spec",
    "robustness": "scenarios.robustness",
    "run": "scenarios.run",
    "save_scenario": "scenarios.spec",
    "sweep_budget": "scenarios.sweep",
    "write_catalog_excel": "scenarios.analysis_excel",
    "write_csv": "scenarios.export",
    "write_excel": "scenarios.export",
    "write_frontier_excel": "scenarios.analysis_excel",
    "write_robustness_excel": "scenarios.analysis_excel",
    "write_sweep_excel": "scenarios.analysis_excel",
    "write_tables_excel": "scenarios.analysis_excel",
}

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


import_on_use(__name__, _HOMES)
