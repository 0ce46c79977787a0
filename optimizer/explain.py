"""Why the answer is what it is: binding constraints, shadow prices, entry thresholds, and conflicts.

Shadow prices come from the LP relaxation when the model has all-or-nothing choices (a MILP has no
duals of its own); results say so. Entry thresholds re-solve the compiled model with the indsats
forced in. Conflicts are found with a deletion filter over the user's rows (a minimal set that cannot
hold together) and sized with an elastic model (the smallest total relaxation that makes it fit).
"""

from __future__ import annotations

import math

import highspy
import numpy as np
import pandas as pd

from optimizer.compiled import CompiledModel, new_highs
from optimizer.model import INF, LinearModel
from optimizer.numbers import format_kr
from optimizer.result import ENTRY_COLUMNS, FUNDED_EPS, KRONER_KINDS, Binding, Conflict
from optimizer.status import Status

BIND_TOL = 1e-6
MAX_DINKELBACH_STEPS = 20
ENTRY_SHARE = 0.01  # a scalable indsats "enters" when it gets at least this share of its cost


def row_activity(model: LinearModel, values: np.ndarray) -> np.ndarray:
    """Σ coef · value for every row."""
    return np.array([float(row.coef @ values[row.index]) for row in model.rows])


def binding_constraints(model: LinearModel, values: np.ndarray, duals: np.ndarray | None) -> list[Binding]:
    """The user's and the budget's rows that hold with equality, with their LP (relaxation) duals."""
    activity = row_activity(model, values)
    found = []
    for r, row in enumerate(model.rows):
        if not row.soft:
            continue
        for bound in (row.lower, row.upper):
            if math.isfinite(bound) and abs(activity[r] - bound) <= BIND_TOL * max(1.0, abs(bound)):
                price = None if duals is None else float(duals[r])
                found.append(Binding(row.name, row.kind, row.about, bound, price))
                break
    return found


def budget_shadow_price(model: LinearModel, duals: np.ndarray | None) -> float | dict | None:
    """Value gained per extra krone in the pulje (per year for a multi-year pulje).

    Another krone moves the budget row and every limit given as a share of the pulje, so the price is
    Σ dual × d(bound)/d(pulje) over those rows.
    """
    if duals is None:
        return None
    years = model.instance.years
    prices = dict.fromkeys(years, 0.0)
    for r, row in enumerate(model.rows):
        if row.kind == "budget":
            prices[years[row.t]] += float(duals[r])
        elif row.pulje_share is not None:
            prices[years[row.t]] += float(duals[r]) * row.pulje_share
    return prices[None] if years == [None] else prices


def entry_thresholds(
    model: LinearModel, compiled: CompiledModel, amounts: np.ndarray, objective: float
) -> pd.DataFrame:
    """For each unfunded indsats, the value per krone at which it would enter the allocation: at its
    full cost (all-or-nothing), its minimum viable amount, or else 1 % of its cost (`entry_kr`).

    Found by re-solving with the indsats forced in (not from reduced costs, which a degenerate LP, e.g.
    one whose budget is exactly used up by indsatser at their maximum, can report as 0).
    """
    inst = model.instance
    value = inst.value_per_kr()
    records = []
    for i in range(inst.n):
        if amounts[i].sum() > FUNDED_EPS:
            continue
        entry = inst.cost[i] if inst.binary[i] else (inst.low[i] if inst.low[i] > 0 else ENTRY_SHARE * inst.cost[i])
        rise, note = _forced_rise(model, compiled, i, entry, objective)
        needed = value[i] + rise if rise is not None else math.nan
        records.append(
            {
                "id": inst.ids[i],
                "name": inst.names[i],
                "value_per_kr": value[i],
                "needed_value_per_kr": needed,
                "rise_pct": (rise / value[i] * 100 if value[i] > 0 else math.inf) if rise is not None else math.nan,
                "entry_kr": entry,
                "note": note,
            }
        )
    return pd.DataFrame(records, columns=ENTRY_COLUMNS)


def _forced_rise(model: LinearModel, compiled: CompiledModel, i: int, entry: float, objective: float) -> tuple:
    """The smallest rise in value per krone at which indsats i is funded (at least `entry` in some year).

    Dinkelbach's method on the ratio (optimum − value of s) / kroner to i in s, over the allocations s
    that fund i: start from the best allocation with i forced in, raise i's value by the ratio it implies,
    re-solve, and stop when the ratio no longer falls. Exact for all-or-nothing indsatser (also when
    set-up costs or continuity link the years) and for entering at the entry amount otherwise.
    """
    base, cols = model.objective.copy(), model.x_cols[i]
    best_rise, reason = None, "cannot be funded within the constraints"
    try:
        for t in range(len(model.instance.years)):
            col = int(cols[t])
            with compiled.bounds([col], [entry], [model.col_upper[col]]):
                rise = _min_ratio(compiled, base, cols, objective)
            if rise is not None and (best_rise is None or rise < best_rise):
                best_rise = rise
                reason = "all-or-nothing: exact" if model.instance.binary[i] else f"to enter at {format_kr(entry)}"
    finally:
        compiled.set_objective(base)
    return best_rise, reason


def _min_ratio(compiled: CompiledModel, base: np.ndarray, cols: np.ndarray, objective: float) -> float | None:
    rise = 0.0
    for _ in range(MAX_DINKELBACH_STEPS):
        trial = base.copy()
        trial[cols] += rise
        compiled.set_objective(trial)
        forced = compiled.solve()
        if not forced.status.has_solution:
            return None
        amount = float(forced.values[cols].sum())
        ratio = max(0.0, (objective - float(base @ forced.values)) / amount)
        if rise > 0 and ratio >= rise * (1 - 1e-9):
            return rise
        rise = ratio
        if rise == 0.0:
            return 0.0
    return rise


# --- infeasibility --------------------------------------------------------------------------------


def diagnose(model: LinearModel, time_limit: float = 30.0) -> Conflict:
    """Name a minimal set of the user's constraints that cannot hold together, and by how much."""
    soft = [r for r, row in enumerate(model.rows) if row.soft]
    checker = _FeasibilityChecker(model, time_limit)
    active = list(soft)
    for r in soft:
        trial = [a for a in active if a != r]
        if not checker.feasible(trial):
            active = trial
    relax, total_kr = _elastic(model, active, time_limit)
    names = tuple(model.rows[r].name for r in active)
    abouts = tuple(model.rows[r].about for r in active)
    return Conflict(names, abouts, relax, _conflict_message(model, active, relax, total_kr), total_kr)


class _FeasibilityChecker:
    """The model with a zero objective; soft rows are switched on and off by their bounds."""

    def __init__(self, model: LinearModel, time_limit: float):
        self.model = model
        self.compiled = CompiledModel(model, time_limit=time_limit)
        self.compiled.set_objective(np.zeros(model.n_cols))
        self.soft = [r for r, row in enumerate(model.rows) if row.soft]

    def feasible(self, active: list[int]) -> bool:
        highs, rows, on = self.compiled.highs, self.model.rows, set(active)
        idx = np.array(self.soft, dtype=np.int32)
        lower = np.array([rows[r].lower if r in on else -INF for r in self.soft])
        upper = np.array([rows[r].upper if r in on else INF for r in self.soft])
        highs.changeRowsBounds(len(idx), idx, lower, upper)
        return self.compiled.solve().status is not Status.INFEASIBLE


def _elastic(model: LinearModel, active: list[int], time_limit: float) -> tuple[dict[str, float], float]:
    """Minimize the total violation of the active soft rows (other soft rows dropped), weighed in kroner.

    Returns each relaxed row's violation in its own unit, and the total in kroner."""
    highs = new_highs(time_limit)
    highs.changeObjectiveSense(highspy.ObjSense.kMinimize)
    inf = highspy.kHighsInf
    for j in range(model.n_cols):
        highs.addCol(0.0, model.col_lower[j], model.col_upper[j], 0, [], [])
    integer = np.flatnonzero(model.integer).astype(np.int32)
    if integer.size:
        highs.changeColsIntegrality(integer.size, integer, [highspy.HighsVarType.kInteger] * integer.size)
    slack_of: dict[int, list[int]] = {}
    for r, row in enumerate(model.rows):
        index, coef = list(row.index), list(row.coef)
        if row.soft and r not in active:
            continue
        if row.soft:
            slack_of[r] = []
            for sign, bound in ((1.0, row.lower), (-1.0, row.upper)):
                if math.isfinite(bound):
                    highs.addCol(_kroner_per_unit(model, row), 0.0, inf, 0, [], [])
                    col = highs.getNumCol() - 1
                    slack_of[r].append(col)
                    index.append(col)
                    coef.append(sign)
        lower = row.lower if math.isfinite(row.lower) else -inf
        upper = row.upper if math.isfinite(row.upper) else inf
        highs.addRow(lower, upper, len(index), np.array(index, dtype=np.int32), np.array(coef, dtype=float))
    highs.run()
    values = np.asarray(highs.getSolution().col_value)
    relax = {
        model.rows[r].name: float(sum(values[c] for c in cols))
        for r, cols in slack_of.items()
        if sum(values[c] for c in cols) > BIND_TOL
    }
    return relax, float(highs.getInfo().objective_function_value)


def _kroner_per_unit(model: LinearModel, row) -> float:
    """Weigh a relaxation in kroner, so rows in other units (shares, counts) compare fairly."""
    inst = model.instance
    if row.kind == "requires":
        return float(inst.cost[inst.index_of(row.constraint.id)])  # a share of 1 of the dependent indsats
    if row.kind == "exclusive":
        return float(max(inst.cost[inst.index_of(i)] for i in row.constraint.ids))  # one more funded indsats
    return 1.0


def _conflict_message(model: LinearModel, active: list[int], relax: dict[str, float], total_kr: float) -> str:
    rows = [model.rows[r] for r in active]
    if len(rows) == 1:
        head = (
            f"The constraint {rows[0].name} ({rows[0].about}) cannot hold even on its own: it contradicts "
            "the indsats's own figures (all-or-nothing at cost, minimum or maximum funding)."
        )
    else:
        listed = "\n".join(f"  - {row.name}: {row.about}" for row in rows)
        head = f"These constraints cannot all hold together:\n{listed}"
    if not relax:
        return head
    fixes = ", ".join(f"{name} by {_amount(model, name, amount)}" for name, amount in relax.items())
    return (
        f"{head}\nThey are {format_kr(total_kr)} apart. The smallest fix relaxes {fixes} "
        "(lower a minimum, raise a maximum or the pulje, or drop a lock)."
    )


def _amount(model: LinearModel, name: str, amount: float) -> str:
    kind = next(row.kind for row in model.rows if row.name == name)
    if kind in KRONER_KINDS:
        return format_kr(amount)
    return f"{amount:.3g} (a funded share)" if kind == "requires" else f"{amount:.3g}"
