"""The Pareto frontier between two goals by the epsilon-constraint method.

The value for goal g is the part of the objective credited to g (reach × the goal's weight × evidence ×
intensity, for the indsatser that serve g). Maximize goal A's value subject to goal B's value ≥ ε (a
GoalValueMin constraint whose floor is moved), for ε stepping from what B gets when A alone is
maximized up to B's own maximum. A tiny bonus on B makes each point non-dominated (the augmented
epsilon-constraint method).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimizer import GoalValueMin, compile_inputs
from optimizer.errors import SpecError
from scenarios.progress import progress_bar
from scenarios.run import optimizing, with_catalog
from scenarios.spec import Scenario

AUGMENT = 1e-4  # weight of the other goal when maximizing one, relative to the scales


@dataclass(frozen=True)
class Frontier:
    """Non-dominated allocations trading goal A's value against goal B's."""

    goal_a: str
    goal_b: str
    points: pd.DataFrame  # epsilon, value_a, value_b, objective
    amounts: pd.DataFrame  # one row per indsats (id, name), one column per point: kroner over the years


def frontier(
    scenario: Scenario,
    goal_a: str,
    goal_b: str,
    *,
    points: int = 11,
    catalog: pd.DataFrame | None = None,
    progress: bool = False,
) -> Frontier:
    """Trace the frontier between two goals with `points` ε-steps (duplicates and dominated points dropped)."""
    if goal_a == goal_b:
        raise SpecError("the frontier needs two different goals")
    if points < 2:
        raise SpecError("the frontier needs at least 2 points")
    scenario = optimizing(with_catalog(scenario, catalog))
    known = scenario.inputs.known()
    for goal in (goal_a, goal_b):
        for _, message in known.check_goal("goal", goal):
            raise SpecError(message)
    floor = GoalValueMin(goal_b, 0.0)
    compiled = compile_inputs(scenario.inputs.replace(constraints=(*scenario.constraints, floor)))
    model, inst, highs = compiled.model, compiled.instance, compiled.highs
    by_goal = inst.value_by_goal()
    value_a = model.objective_for(by_goal[:, inst.goal_keys.index(goal_a)])
    value_b = model.objective_for(by_goal[:, inst.goal_keys.index(goal_b)])
    row = model.row_number(f"goal_value_min[{goal_b}]")

    def best(objective: np.ndarray, epsilon: float) -> np.ndarray | None:
        highs.set_row_bounds(np.array([row]), np.array([epsilon]), np.array([math.inf]))
        highs.set_objective(objective)
        solution = highs.solve()
        return solution.values if solution.status.is_proven else None

    ratio = np.abs(value_a).max() / max(np.abs(value_b).max(), 1e-300)
    augmented_a = value_a + AUGMENT * ratio * value_b
    top_a = best(augmented_a, 0.0)
    top_b = best(value_b + AUGMENT / max(ratio, 1e-300) * value_a, 0.0)
    if top_a is None or top_b is None:
        raise SpecError("the scenario has no feasible allocation, so there is no frontier")
    low, high = float(value_b @ top_a), float(value_b @ top_b)
    found: list[_Point] = []
    for epsilon in progress_bar(np.linspace(low, high, points), enabled=progress, desc="frontier"):
        values = best(augmented_a, epsilon - 1e-9 * max(1.0, abs(epsilon)))
        if values is not None:
            found.append((float(epsilon), float(value_a @ values), float(value_b @ values), values))
    kept = _non_dominated(found)
    table = pd.DataFrame(
        [(e, a, b, float(model.objective @ v)) for e, a, b, v in kept],
        columns=["epsilon", "value_a", "value_b", "objective"],
    )
    amounts = pd.DataFrame({"id": inst.ids, "name": inst.names})
    for n, (_, _, _, values) in enumerate(kept):
        amounts[f"point_{n}"] = model.kroner(values).sum(axis=1)
    return Frontier(goal_a, goal_b, table, amounts)


_Point = tuple[float, float, float, np.ndarray]  # epsilon, goal A's value, goal B's value, the column values


def _non_dominated(found: list[_Point]) -> list[_Point]:
    """Drop points another point beats on both goals (and repeats), sorted by goal B."""
    kept: list[_Point] = []
    for point in found:
        _, a, b, _ = point
        tol = 1e-7 * max(1.0, abs(a), abs(b))
        dominated = any(a2 >= a - tol and b2 >= b - tol and (a2 > a + tol or b2 > b + tol) for _, a2, b2, _ in found)
        repeat = any(abs(a2 - a) <= tol and abs(b2 - b) <= tol for _, a2, b2, _ in kept)
        if not dominated and not repeat:
            kept.append(point)
    return sorted(kept, key=lambda p: p[2])
