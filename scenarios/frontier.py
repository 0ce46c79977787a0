"""The Pareto frontier between two goals by the epsilon-constraint method.

The value for goal g is the part of the objective credited to g (reach per krone × the goal's
weight × evidence × intensity, for the indsatser that serve g). Maximize goal A's value subject to goal
B's value ≥ ε, for ε stepping from what B gets when A alone is maximized up to B's own maximum. A tiny
bonus on B makes each point non-dominated (the augmented epsilon-constraint method).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimizer.compiled import CompiledModel
from optimizer.errors import SpecError
from optimizer.model import INF, Row
from scenarios.progress import progress_bar
from scenarios.run import instance_and_model
from scenarios.spec import Scenario

AUGMENT = 1e-4  # weight of goal B in the objective when maximizing A under ε (relative to the scales)


@dataclass
class Frontier:
    """Non-dominated allocations trading goal A's value against goal B's."""

    goal_a: str
    goal_b: str
    points: pd.DataFrame  # epsilon, value_a, value_b, objective
    amounts: pd.DataFrame  # one row per indsats, one column per point


def frontier(scenario: Scenario, goal_a: str, goal_b: str, *, points: int = 11, progress: bool = False) -> Frontier:
    """Trace the frontier between two goals with `points` ε-steps (duplicates and dominated points dropped)."""
    if goal_a == goal_b:
        raise SpecError("the frontier needs two different goals")
    if points < 2:
        raise SpecError("the frontier needs at least 2 points")
    inst, model = instance_and_model(scenario)
    for goal in (goal_a, goal_b):
        if goal not in inst.goal_keys:
            raise SpecError(f"unknown goal {goal!r} (goals: {', '.join(inst.goal_keys)})")
    by_goal = inst.value_by_goal()
    value_a = model.objective_for(by_goal[:, inst.goal_keys.index(goal_a)])
    value_b = model.objective_for(by_goal[:, inst.goal_keys.index(goal_b)])
    index = np.flatnonzero(value_b)
    model.rows.append(Row(f"frontier[{goal_b}]", "frontier", index, value_b[index], -INF, INF, "ε on goal B", False))
    compiled = CompiledModel(model)
    epsilon_row = len(model.rows) - 1

    def best(objective: np.ndarray, floor: float) -> np.ndarray | None:
        compiled.highs.changeRowBounds(epsilon_row, floor, INF)
        compiled.set_objective(objective)
        solution = compiled.solve()
        return solution.values if solution.status.has_solution else None

    # augmented objectives: a tiny weight on the other goal, on a comparable scale, breaks ties towards it
    ratio = np.abs(value_a).max() / max(np.abs(value_b).max(), 1e-300)
    augmented_a = value_a + AUGMENT * ratio * value_b
    top_a = best(augmented_a, -INF)
    top_b = best(value_b + AUGMENT / max(ratio, 1e-300) * value_a, -INF)
    if top_a is None or top_b is None:
        raise SpecError("the scenario has no feasible allocation, so there is no frontier")
    low, high = float(value_b @ top_a), float(value_b @ top_b)
    found = []
    for epsilon in progress_bar(np.linspace(low, high, points), enabled=progress, desc="frontier"):
        values = best(augmented_a, epsilon - 1e-9 * max(1.0, abs(epsilon)))
        if values is not None:
            found.append((float(epsilon), float(value_a @ values), float(value_b @ values), values))
    kept = _non_dominated(found)
    table = pd.DataFrame(
        [(e, a, b, float(model.objective @ v)) for e, a, b, v in kept],
        columns=["epsilon", "value_a", "value_b", "objective"],
    )
    amounts = pd.DataFrame(
        {n: v[model.x_cols].sum(axis=1) for n, (_, _, _, v) in enumerate(kept)}, index=pd.Index(inst.ids, name="id")
    )
    return Frontier(goal_a, goal_b, table, amounts)


def _non_dominated(found: list[tuple]) -> list[tuple]:
    """Drop points another point beats on both goals (and repeats), sorted by goal B."""
    kept = []
    for point in found:
        _, a, b, _ = point
        tol = 1e-7 * max(1.0, abs(a), abs(b))
        dominated = any(a2 >= a - tol and b2 >= b - tol and (a2 > a + tol or b2 > b + tol) for _, a2, b2, _ in found)
        repeat = any(abs(a2 - a) <= tol and abs(b2 - b) <= tol for _, a2, b2, _ in kept)
        if not dominated and not repeat:
            kept.append(point)
    return sorted(kept, key=lambda p: p[2])
