"""When constraints contradict each other: which ones, and the smallest change that reconciles them all.

Conflicting sets are found by a deletion filter (first over whole constraints, then over their rows)
on the user's rows and the budget; after one set is found its rows are set aside and the search goes
on, so independent conflicts are each named (up to MAX_SETS). The smallest fix is an elastic model of
the whole model: every soft row may give, each unit weighed in kroner, and the catalog's own figures
stay fixed. Applying the fix makes the whole model feasible (the tests apply it and solve again).
"""

from __future__ import annotations

import math

import highspy
import numpy as np

from optimizer.highs import CompiledModel, new_highs
from optimizer.model import INF, SCALE, LinearModel
from optimizer.numbers import format_kr
from optimizer.result import Conflict

MAX_SETS = 5
SLACK_TOL = 1e-7


def diagnose(model: LinearModel, time_limit: float = 30.0) -> Conflict:
    """Name the minimal sets of constraints that cannot hold together, and the smallest fix of the whole model."""
    checker = _Checker(model, time_limit)
    soft = [r for r, row in enumerate(model.rows) if row.soft]
    sets: list[list[int]] = []
    active = list(soft)
    while len(sets) < MAX_SETS and active and not checker.feasible(active):
        found = _deletion_filter(checker, active)
        sets.append(found)
        active = [r for r in active if r not in set(found)]
    fix, total = _smallest_fix(model, soft, time_limit)
    names = tuple(tuple(model.rows[r].name for r in group) for group in sets)
    abouts = {model.rows[r].name: model.rows[r].about for group in sets for r in group}
    abouts.update({model.rows[r].name: model.rows[r].about for r in fix})
    smallest = tuple((model.rows[r].name, amount, _unit(model, r)) for r, (amount, _) in fix.items())
    return Conflict(names, abouts, smallest, total, _message(model, sets, fix, total))


class _Checker:
    """The model with a zero objective; soft rows are switched on and off through their bounds."""

    def __init__(self, model: LinearModel, time_limit: float):
        self.model = model
        self.compiled = CompiledModel(model, time_limit=time_limit)
        self.compiled.set_objective(np.zeros(model.n_cols))
        self.soft = np.array([r for r, row in enumerate(model.rows) if row.soft], dtype=int)
        self.lower, self.upper = model.row_bounds()

    def feasible(self, active: list[int]) -> bool:
        on = np.isin(self.soft, active)
        lower = np.where(on, self.lower[self.soft], -INF)
        upper = np.where(on, self.upper[self.soft], INF)
        self.compiled.set_row_bounds(self.soft, lower, upper)
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
    highs = new_highs(time_limit)
    highs.changeObjectiveSense(highspy.ObjSense.kMinimize)
    inf = highspy.kHighsInf
    n = model.n_cols
    highs.addCols(n, np.zeros(n), model.col_lower, model.col_upper, 0, np.zeros(0, np.int32), np.zeros(0, np.int32),
                  np.zeros(0))  # fmt: skip
    integer = np.flatnonzero(model.integer).astype(np.int32)
    if integer.size:
        highs.changeColsIntegrality(integer.size, integer, np.full(integer.size, highspy.HighsVarType.kInteger))
    slack: dict[int, list[tuple[int, str]]] = {}
    on_soft = set(soft)
    for r in range(model.n_rows):
        span = slice(model.row_start[r], model.row_start[r + 1])
        index, coef = list(model.row_index[span]), list(model.row_value[span])
        lower, upper = model.row_lower[r], model.row_upper[r]
        if r in on_soft:
            slack[r] = []
            for sign, bound, direction in ((1.0, lower, "lower"), (-1.0, upper, "raise")):
                if math.isfinite(bound):
                    highs.addCol(_weight(model, r), 0.0, inf, 0, np.zeros(0, np.int32), np.zeros(0))
                    col = highs.getNumCol() - 1
                    slack[r].append((col, direction))
                    index.append(col)
                    coef.append(sign)
        highs.addRow(lower if math.isfinite(lower) else -inf, upper if math.isfinite(upper) else inf, len(index),
                     np.array(index, dtype=np.int32), np.array(coef, dtype=float))  # fmt: skip
    highs.run()
    values = np.asarray(highs.getSolution().col_value)
    fix: dict[int, tuple[float, str]] = {}
    total = 0.0
    for r, cols in slack.items():
        for col, direction in cols:
            if values[col] > SLACK_TOL:
                amount = _rounded_up(model, r, values[col])
                fix[r] = (amount, direction)
                total += amount if model.rows[r].unit == "kr" else amount * _weight(model, r) * SCALE
    return fix, total


def _rounded_up(model: LinearModel, r: int, units: float) -> float:
    """A relaxation as the user would apply it: whole kroner (rounded up) for rows in kroner."""
    if model.rows[r].unit == "kr":
        return float(math.ceil(units * SCALE - 1e-6))
    return float(units)


def _unit(model: LinearModel, r: int) -> str:
    return {"kr": "kr", "share": "share", "count": "count", "value": "value"}[model.rows[r].unit]


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
        changes = "; ".join(f"{direction} {rows[r].name} by {_amount(model, r, amount)}"
                            for r, (amount, direction) in fix.items())  # fmt: skip
        parts.append(f"The smallest change that makes the whole model feasible ({format_kr(total)} in all): {changes}.")
    return "\n".join(parts)
