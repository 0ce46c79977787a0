"""Run a scenario: load its catalog, solve (or value its baseline), and keep the scenario with the result."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from optimizer import Allocation, evaluate, load_amounts, load_catalog, solve
from optimizer.errors import SpecError
from optimizer.model import LinearModel, build_model
from optimizer.problem import Instance, prepare
from scenarios.spec import Scenario


@dataclass
class ScenarioRun:
    """A scenario and what came of it. `result.assumptions` lists every assumption behind the numbers."""

    scenario: Scenario
    result: Allocation
    catalog: pd.DataFrame

    @property
    def name(self) -> str:
        return self.scenario.name

    @property
    def assumptions(self) -> list[str]:
        return self.result.assumptions


def catalog_of(scenario: Scenario) -> pd.DataFrame:
    """The scenario's validated catalog, read from its file each time (so edits to the file count)."""
    return load_catalog(scenario.catalog, goals=scenario.goals)


def run(scenario: Scenario, *, catalog: pd.DataFrame | None = None) -> ScenarioRun:
    """Solve the scenario (or, with optimize=false, value its baseline allocation).

    `catalog` overrides reading the scenario's catalog file (e.g. a DataFrame edited in a notebook).
    """
    catalog = catalog_of(scenario) if catalog is None else catalog
    if not scenario.optimize:
        return baseline(scenario, catalog=catalog)
    result = solve(
        catalog,
        scenario.budget,
        goal_weights=scenario.goal_weights,
        evidence_weight=scenario.evidence_weight,
        constraints=scenario.constraints,
        solver=scenario.solver,
        assumptions=scenario.assumptions,
    )
    return ScenarioRun(scenario, result, catalog)


def baseline(scenario: Scenario, *, catalog: pd.DataFrame | None = None) -> ScenarioRun:
    """The scenario's baseline allocation (e.g. the decided plan) valued with the scenario's weights."""
    if scenario.baseline is None:
        raise SpecError(f"scenario {scenario.name!r} names no baseline allocation file")
    catalog = catalog_of(scenario) if catalog is None else catalog
    amounts = load_amounts(scenario.baseline, catalog=catalog)
    result = evaluate(
        catalog,
        amounts,
        scenario.budget,
        goal_weights=scenario.goal_weights,
        evidence_weight=scenario.evidence_weight,
        assumptions=scenario.assumptions,
    )
    base = scenario.replace(name=f"{scenario.name}: baseline", optimize=False)
    return ScenarioRun(base, result, catalog)


def instance_and_model(scenario: Scenario, *, catalog: pd.DataFrame | None = None) -> tuple[Instance, LinearModel]:
    """The prepared Instance and the model of a scenario, for the compiled fast paths (sweeps, frontiers,
    robustness), which optimize: a scenario that only values a given allocation is refused."""
    if not scenario.optimize:
        raise SpecError(
            f"scenario {scenario.name!r} values a given allocation (optimize = false); "
            "sweeps, frontiers and robustness need a scenario that optimizes"
        )
    inst = prepare(
        catalog_of(scenario) if catalog is None else catalog,
        scenario.budget,
        goal_weights=scenario.goal_weights,
        evidence_weight=scenario.evidence_weight,
        constraints=scenario.constraints,
        assumptions=scenario.assumptions,
    )
    return inst, build_model(inst, list(scenario.constraints))
