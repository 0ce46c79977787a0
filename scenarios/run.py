"""Run a scenario: solve it (or value its baseline), and keep the scenario with the result."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from optimizer import Result, display, evaluate, load_amounts, solve
from optimizer.errors import SpecError
from scenarios.spec import Scenario


@dataclass(frozen=True)
class ScenarioRun:
    """A scenario and what came of it. `result.assumptions` lists every assumption behind the numbers."""

    scenario: Scenario
    result: Result

    @property
    def name(self) -> str:
        return self.scenario.name

    @property
    def catalog(self) -> pd.DataFrame:
        return self.scenario.catalog

    @property
    def assumptions(self) -> list[str]:
        return self.result.assumptions

    def _repr_html_(self) -> str:
        """The run's name, a short summary and the allocation table, for Jupyter."""
        return display.html(self.result, self.name)

    def plot(self, reference: object = None) -> object:
        """An Altair chart of the amount per indsats, with a reference (e.g. `baseline(scenario)`) marked."""
        return display.allocation_chart(self.result, reference)


def with_catalog(scenario: Scenario, catalog: pd.DataFrame | None) -> Scenario:
    """The scenario with another catalog (e.g. a DataFrame edited in a notebook), checked like a file."""
    return scenario if catalog is None else scenario.replace(catalog=catalog)


def run(scenario: Scenario, *, catalog: pd.DataFrame | None = None) -> ScenarioRun:
    """Solve the scenario (or, with optimize=false, value its baseline allocation).

    `catalog` replaces the scenario's catalog (e.g. a DataFrame edited in a notebook).
    """
    scenario = with_catalog(scenario, catalog)
    if not scenario.optimize:
        return baseline(scenario)
    return ScenarioRun(scenario, solve(scenario.inputs, solver=scenario.solver))


def baseline(scenario: Scenario, *, catalog: pd.DataFrame | None = None) -> ScenarioRun:
    """The scenario's baseline allocation (e.g. the decided plan) valued with the scenario's weights."""
    scenario = with_catalog(scenario, catalog)
    if scenario.baseline_path is None:
        raise SpecError(f"scenario {scenario.name!r} names no baseline allocation file")
    amounts = load_amounts(scenario.baseline_path, catalog=scenario.catalog)
    result = evaluate(scenario.inputs, amounts)
    base = scenario.replace(name=f"{scenario.name}: baseline", optimize=False)
    return ScenarioRun(base, result)


def optimizing(scenario: Scenario) -> Scenario:
    """The scenario, refused when it only values a given allocation (sweeps, frontiers and robustness optimize)."""
    if not scenario.optimize:
        raise SpecError(
            f"scenario {scenario.name!r} values a given allocation (optimize = false); "
            "sweeps, frontiers and robustness need a scenario that optimizes"
        )
    return scenario
