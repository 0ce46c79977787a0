"""When constraints contradict each other: which ones, and the smallest change that reconciles them all.

Conflicting sets are found by a deletion filter (first over whole constraints, then over their rows)
on the user's rows and the budget; after one set is found its rows are set aside and the search goes
on, so independent conflicts are each named (up to MAX_SETS). The smallest fix is an elastic model of
the whole model: every soft row may give, each unit weighed in kroner, and the catalog's own figures
stay fixed. Applying the fix makes the whole model feasible (the tests apply it and solve again).
"""

from __future__ import annotations

import math

import numpy as np

from optimizer.formats import format_kr
from optimizer.highs import CompiledModel, Slack, solve_elastic
from optimizer.model import INF, SCALE, LinearModel
from optimizer.result import Conflict, Relaxation

MAX_SETS = 5
SLACK_TOL = 1e-7


def diagnose(model: LinearModel, time_limit: float = 30.0) -> Conflict:
    """Name the minimal sets of constraints that cannot hold together, and the smallest fix of the whole model."""
    checker = _Checker(model, time_limit)
    soft = [r for r, row in enumerate(model.rows) if row.soft]
    sets: list[list[int]] = []
    active = list(checker.named)
    while len(sets) < MAX_SETS and active and not checker.feasible(active):
        found = _deletion_filter(checker, active)
        sets.append(found)
        active = [r for r in active if r not in set(found)]
    fix, total = _smallest_fix(model, soft, time_limit)
    names = tuple(tuple(model.rows[r].name for r in group) for group in sets)
    abouts = {model.rows[r].name: model.rows[r].about for group in sets for r in group}
    abouts.update({model.rows[r].name: model.rows[r].about for r in fix})
    smallest = tuple(
        Relaxation(model.rows[r].name, amount, model.rows[r].unit, direction) for r, (amount, direction) in fix.items()
    )
    return Conflict(names, abouts, smallest, total, _message(model, sets, fix, total))


class _Checker:
    """The model with a zero objective; the rows a conflict may name (the user's, the budget, and the catalog's
    requires, which is named though it is not the user's to relax) are switched on and off through their bounds."""

    def __init__(self, model: LinearModel, time_limit: float):
        self.model = model
        self.compiled = CompiledModel(model, time_limit=time_limit)
        self.compiled.set_objective(np.zeros(model.n_cols))
        self.named = [r for r, row in enumerate(model.rows) if row.soft or row.kind == "requires"]
        self.lower, self.upper = model.row_bounds()

    def feasible(self, active: list[int]) -> bool:
        rows = np.array(self.named, dtype=int)
        on = np.isin(rows, active)
        lower = np.where(on, self.lower[rows], -INF)
        upper = np.where(on, self.upper[rows], INF)
        self.compiled.set_row_bounds(rows, lower, upper)
        return self.compiled.solve(break_ties=False).status.has_solution


def _deletion_filter(checker: _Checker, active: list[int]) -> list[int]:
    """A minimal infeasible subset of `active`: drop whole constraints first (fast), then single rows."""
    rows = checker.model.rows
    groups: dict[object, list[int]] = {}
    for r in active:
        key = id(rows[r].constraint) if rows[r].constraint is not None else ("budget", r)
        groups.setdefault(key, []).append(r)
    kept = list(active)
    for members in groups.values():
        trial = [r for r in kept if r not in members]
        if not checker.feasible(trial):
            kept = trial
    for r in list(kept):
        trial = [a for a in kept if a != r]
        if not checker.feasible(trial):
            kept = trial
    return kept


def _weight(model: LinearModel, r: int) -> float:
    """Kroner (in units of SCALE) one unit of relaxation of row r stands for, so rows of other units compare."""
    row = model.rows[r]
    if row.unit == "value":
        best = model.instance.value_per_kr().max()
        return 1.0 / best / SCALE if best > 0 else 1.0
    return row.kr_per_unit / SCALE


def _smallest_fix(model: LinearModel, soft: list[int], time_limit: float) -> tuple[dict[int, tuple[float, str]], float]:
    """Minimize the total relaxation of the soft rows, weighed in kroner, over the whole model.

    Returns {row: (amount, "raise" or "lower")} with amounts in the row's own unit (kroner for rows in
    kroner, rounded up to whole kroner) and the total in kroner.
    """
    lower, upper = model.row_bounds()
    slacks = [
        Slack(r, direction, _weight(model, r))
        for r in soft
        for direction, bound in (("lower", lower[r]), ("raise", upper[r]))
        if math.isfinite(bound)
    ]
    amounts = solve_elastic(model, slacks, time_limit)
    fix: dict[int, tuple[float, str]] = {}
    total = 0.0
    for slack, units in zip(slacks, amounts, strict=True):
        if units > SLACK_TOL:
            amount = _rounded_up(model, slack.row, units)
            fix[slack.row] = (amount, slack.direction)
            total += amount if model.rows[slack.row].unit == "kr" else amount * slack.weight * SCALE
    return fix, total


def _rounded_up(model: LinearModel, r: int, units: float) -> float:
    """A relaxation as the user would apply it: whole kroner (rounded up) for rows in kroner."""
    if model.rows[r].unit == "kr":
        return float(math.ceil(units * SCALE - 1e-6))
    return float(units)


def _amount(model: LinearModel, r: int, amount: float) -> str:
    unit = model.rows[r].unit
    if unit == "kr":
        return format_kr(amount)
    return f"{amount:.3g} (a funded share)" if unit == "share" else f"{amount:.3g}"


def _message(model: LinearModel, sets: list[list[int]], fix: dict[int, tuple[float, str]], total: float) -> str:
    rows = model.rows
    parts = []
    for k, group in enumerate(sets, start=1):
        label = f"Conflict {k}" if len(sets) > 1 else "Conflict"
        if len(group) == 1:
            row = rows[group[0]]
            parts.append(
                f"{label}: {row.name} ({row.about}) cannot hold even on its own: it contradicts the indsats's own "
                "figures (all-or-nothing at its ask, minimum or maximum funding, what it asks for that year)."
            )
        else:
            listed = "\n".join(f"  - {rows[r].name}: {rows[r].about}" for r in group)
            parts.append(f"{label}: these constraints cannot all hold together:\n{listed}")
    if fix:
        changes = "; ".join(_change(model, r, amount, direction) for r, (amount, direction) in fix.items())
        parts.append(f"The smallest change that makes the whole model feasible ({format_kr(total)} in all): {changes}")
    return "\n".join(parts)


def _change(model: LinearModel, r: int, amount: float, direction: str) -> str:
    """One relaxation in plain words, the way the user would make it."""
    row = model.rows[r]
    shown = _amount(model, r, amount)
    if row.kind == "exclude":
        return f"allow {row.label} up to {shown} instead of excluding it ({row.name})"
    if row.kind == "exclusive":
        return f"allow {amount:.3g} more of {row.label.replace('|', ', ')} to be funded ({row.name})"
    return f"{direction} {row.name} by {shown}"
