"""Why the answer is what it is, in statements that hold when re-solved: what another 100.000 kr. buys,
which limits bind and what loosening each buys, and what an unfunded indsats would need to be funded.

Every "buys" figure is a re-solve with the limit moved by 100.000 kr. (for all-or-nothing models too);
the duals' rate at the margin is kept beside it, labelled as such. The sign is the same for every limit:
a positive number means loosening it (a higher budget or maximum, a lower minimum) helps.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from optimizer.constraints import Year
from optimizer.formats import format_kr
from optimizer.highs import CompiledModel
from optimizer.instance import Instance
from optimizer.model import SCALE, LinearModel
from optimizer.result import FUNDED_EPS, STEP_KR, Binding, Result, by_year, json_number
from optimizer.status import Status

BIND_TOL = 1e-7  # relative: a row this close to its bound binds
MAX_DINKELBACH_STEPS = 30
ENTRY_TOL = 1e-7  # relative: a re-solve this close to the optimum does not beat it
ENTRY_COLUMNS = ["id", "name", "value_per_100k", "needed_value_per_100k", "entry_kr", "note"]


def binding_limits(model: LinearModel, values: np.ndarray, duals: np.ndarray | None) -> tuple[Binding, ...]:
    """The user's and the budget's rows that hold with equality, with the duals' rate per 100.000 kr. loosened."""
    activity = model.activity(values)
    found = []
    for r, row in enumerate(model.rows):
        lower, upper = model.row_lower[r], model.row_upper[r]
        at_upper = math.isfinite(upper) and abs(activity[r] - upper) <= BIND_TOL * max(1.0, abs(upper))
        at_lower = math.isfinite(lower) and abs(activity[r] - lower) <= BIND_TOL * max(1.0, abs(lower))
        if not (row.soft or row.kind == "requires") or not (at_upper or at_lower):
            continue  # the model's own structure; a catalog's requires is reported, though not the user's to relax
        side = "both" if lower == upper else "upper" if at_upper else "lower"
        rate = None
        if duals is not None and row.unit == "kr":
            dual = float(duals[r])  # HiGHS: d value / d bound, per row unit (100.000 kr.)
            rate = {"upper": dual, "lower": -dual, "both": abs(dual)}[side]
        found.append(row_binding(model, r, side, rate))
    return tuple(found)


def row_binding(model: LinearModel, r: int, side: str, rate: float | None = None) -> Binding:
    """Row r as a Binding at the bound of its `side` ("upper", "lower" or "both"), in kroner for a kroner row,
    with its year and words; `rate`: the duals' rate per 100.000 kr. where known."""
    row = model.rows[r]
    bound = float(model.row_lower[r] if side == "lower" else model.row_upper[r])
    shown = bound * SCALE if row.unit == "kr" else bound
    year = None if row.t is None else model.instance.years[row.t]
    return Binding(row.name, row.kind, row.label, year, row.about, shown, row.unit, side, rate)


def budget_rates(model: LinearModel, duals: np.ndarray | None) -> dict[Year, float]:
    """The duals' rate per 100.000 kr. more in the pulje, per year: the budget row and every limit given as
    a share of the pulje move with it (Σ dual × d bound / d pulje)."""
    if duals is None:
        return {}
    years = model.instance.years
    rates = dict.fromkeys(years, 0.0)
    for r, row in enumerate(model.rows):
        if row.t is None:  # not a row of one year (a budget row always is)
            continue
        if row.kind == "budget":
            rates[years[row.t]] += float(duals[r])
        elif row.pulje_share is not None:
            rates[years[row.t]] += float(duals[r]) * row.pulje_share
    return rates


@dataclass(frozen=True)
class NextStep:
    """What 100.000 kr. more in one year's pulje buys, re-solved: the value gained (NaN when the re-solve is
    not proven) and where the money goes, each changed indsats's change in kroner over all years."""

    year: Year
    gain: float
    change_kr: dict[str, float]


def next_100k_steps(result: Result, *, where: bool = True) -> tuple[NextStep, ...]:
    """Per year: the pulje raised by 100.000 kr. in that year alone (limits given as a share of the pulje move
    with it), re-solved with ties broken as any solve breaks them (also for all-or-nothing models). where=False:
    the gains only (change_kr empty), without the tie-break, which only picks among allocations of that value."""
    model, values = _solved(result)
    compiled = CompiledModel(model)
    inst = model.instance
    now = model.kroner(values).sum(axis=1)
    steps = []
    for t, year in enumerate(inst.years):
        pulje = inst.pulje.copy()
        pulje[t] += STEP_KR
        compiled.set_pulje(pulje)
        more = compiled.solve(break_ties=where)
        if not more.status.is_proven or more.values is None:
            steps.append(NextStep(year, math.nan, {}))
            continue
        moved: dict[str, float] = {}
        if where:
            change = model.kroner(more.values).sum(axis=1) - now
            moved = {
                inst.ids[i]: float(change[i]) for i in np.argsort(-change, kind="stable") if abs(change[i]) > FUNDED_EPS
            }
        steps.append(NextStep(year, more.objective - result.objective, moved))
    compiled.set_pulje(inst.pulje)
    return tuple(steps)


def budget_next_100k(result: Result) -> dict[Year, float]:
    """What another 100.000 kr. in the pulje really buys, per year (next_100k_steps, the gains only)."""
    return {step.year: step.gain for step in next_100k_steps(result, where=False)}


def binding_gains(result: Result, budget: Mapping[Year, float] | None = None) -> dict[str, float | None]:
    """For each binding limit: the value gained when it alone is loosened by 100.000 kr. (a maximum raised,
    a minimum lowered, a lock let move either way; a continuity share by 100.000 kr. of the year's ask),
    re-solved. None where the limit is not about kroner (requires, exclusive, a goal's value). `budget`: the
    pulje's gains per year where the caller re-solved them already (budget_next_100k), so they are not again."""
    model, _ = _solved(result)
    compiled = CompiledModel(model)
    if budget is None:
        budget = budget_next_100k(result) if any(b.kind == "budget" for b in result.binding) else {}
    gains: dict[str, float | None] = {}
    for binding in result.binding:
        r = model.row_number(binding.name)
        row = model.rows[r]
        if row.kind == "budget":
            gains[binding.name] = budget.get(binding.year)
            continue
        if row.unit not in ("kr", "share") or row.kind == "requires":  # no kroner to loosen it by, or the catalog's
            gains[binding.name] = None
            continue
        step = STEP_KR / row.kr_per_unit
        lower, upper = compiled.row_bounds()
        low = lower[r] - step if binding.side in ("lower", "both") else lower[r]
        high = upper[r] + step if binding.side in ("upper", "both") else upper[r]
        with compiled.changed_rows([r], [low], [high]):
            loosened = compiled.solve(break_ties=False)
        gains[binding.name] = loosened.objective - result.objective if loosened.status.is_proven else math.nan
    return gains


# --- entry thresholds ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """What an unfunded indsats would need: its value per 100.000 kr. now and the least at which it gets money."""

    needed_per_100k: float
    entry_kr: float
    note: str


def entry_thresholds(result: Result) -> pd.DataFrame:
    """For each unfunded indsats, the smallest value per 100.000 kr. at which it gets any money (an
    all-or-nothing one: is funded), all else equal, its value changed in the same proportion in every year
    (as changing its reach or intensity would); with `entry_kr`, what it then gets over the plan.

    Found exactly by Dinkelbach's method on re-solves: start from an allocation that funds it, and lower
    the value to the ratio (optimum − value of the rest) / its funded shares until no allocation funding
    it reaches the optimum at a lower value.
    """
    model, values = _solved(result)
    inst = model.instance
    compiled = CompiledModel(model)
    kroner = model.kroner(values).sum(axis=1)
    reference = inst.reference_value_per_kr() * STEP_KR
    per_share = np.divide(reference, inst.full_value(), out=np.zeros(inst.n), where=inst.full_value() > 0)
    records = []
    for i in np.flatnonzero(kroner <= FUNDED_EPS):
        entry = _entry(compiled, int(i), result.objective)
        factor = _per_100k_per_unit_value(inst, int(i)) if per_share[i] == 0 else per_share[i]
        records.append(
            {
                "id": inst.ids[i],
                "name": inst.names[i],
                "value_per_100k": reference[i],
                "needed_value_per_100k": entry.needed_per_100k * factor,
                "entry_kr": entry.entry_kr,
                "note": entry.note,
            }
        )
    return pd.DataFrame(records, columns=ENTRY_COLUMNS)


def _per_100k_per_unit_value(inst: Instance, i: int) -> float:
    """Value per 100.000 kr. over the plan of an indsats worth 1 a year at full scale (for one worth 0 now)."""
    asked = inst.cost[i].sum()
    return float((inst.cost[i] > 0).sum() / asked * STEP_KR) if asked > 0 else math.nan


def _entry(compiled: CompiledModel, i: int, optimum: float) -> Entry:
    """The least value a year at full scale at which indsats i gets money (Dinkelbach on its funded shares)."""
    model = compiled.model
    cols = model.share_cols[i][model.instance.cost[i] > 0]
    if cols.size == 0:
        return Entry(math.nan, math.nan, "asks for nothing in the plan's years")
    base = compiled.objective.copy()
    base[cols] = 0.0  # the rest of the allocation's value; i's own value is what we look for
    start = _funding_start(compiled, base, cols)
    if start is None:
        return Entry(math.nan, math.nan, "cannot be funded within the constraints")
    shares = float(start[cols].sum())
    level = max(0.0, (optimum - float(base @ start)) / shares)
    point = start
    try:
        for _ in range(MAX_DINKELBACH_STEPS):
            trial = base.copy()
            trial[cols] = level
            compiled.set_objective(trial)
            found = compiled.solve(break_ties=False)
            if not found.status.is_proven or found.values is None:
                return Entry(math.nan, math.nan, "the solver gave no proven answer")
            funded = float(found.values[cols].sum())
            better = found.objective - optimum > ENTRY_TOL * max(1.0, abs(optimum))
            if funded <= 1e-9 or not better:
                break
            level, point = max(0.0, (optimum - float(base @ found.values)) / funded), found.values
    finally:
        compiled.set_objective(model.objective)
    kroner = float((point[model.share_cols[i]] * model.instance.cost[i]).sum())
    form = "all-or-nothing" if model.instance.binary[i] else "partly fundable"
    return Entry(level, kroner, f"{form}: gets {format_kr(kroner)} at this value")


def _funding_start(compiled: CompiledModel, base: np.ndarray, cols: np.ndarray) -> np.ndarray | None:
    """An allocation (column values) funding indsats i as much as the constraints allow: its value set far above
    the rest."""
    big = base.copy()
    big[cols] = 1e3 * max(1.0, float(np.abs(base).max()))
    compiled.set_objective(big)
    found = compiled.solve(break_ties=False)
    compiled.set_objective(compiled.model.objective)
    if found.status is not Status.OPTIMAL or found.values is None or float(found.values[cols].sum()) <= 1e-9:
        return None
    return found.values


def udvalg_max_blocks(result: Result) -> dict[str, str]:
    """Unfunded indsatser that get money when a maximum of their own udvalg alone is lifted, re-solved once per
    such maximum with ties broken as any solve: {id: the maximum's row name}.
    A limit need not bind to block: an all-or-nothing indsats that does not fit in the room left under it is
    blocked by it all the same."""
    model, values = _solved(result)
    inst = model.instance
    funded = model.kroner(values).sum(axis=1) > FUNDED_EPS
    compiled: CompiledModel | None = None
    found: dict[str, str] = {}
    for r, row in enumerate(model.rows):
        members = [i for i in np.flatnonzero(~funded) if row.kind == "udvalg_max" and row.label in inst.udvalg[i]]
        if not members:
            continue
        compiled = compiled or CompiledModel(model)
        lower, _ = compiled.row_bounds()
        with compiled.changed_rows([r], [lower[r]], [math.inf]):
            lifted = compiled.solve()
        if lifted.values is None or not lifted.status.is_proven:
            continue
        now = model.kroner(lifted.values).sum(axis=1) > FUNDED_EPS
        for i in members:
            if now[i]:
                found.setdefault(inst.ids[i], row.name)
    return found


def _solved(result: Result) -> tuple[LinearModel, np.ndarray]:
    """The model and the column values of a solved result."""
    if result.model is None or result.values is None:
        raise ValueError("only a solved result (with an allocation) can be explained")
    return result.model, result.values


@dataclass(frozen=True)
class Explanation:
    """The explanations that need re-solves, computed on request: what another 100.000 kr. in the pulje buys,
    what loosening each binding limit really buys, and what each unfunded indsats would need to be funded."""

    budget_next_100k: dict[Year, float]
    binding_gains: dict[str, float | None] | None = None  # None: not computed
    entry_thresholds: pd.DataFrame | None = None
    next_100k_goes_to: dict[Year, dict[str, float]] | None = None  # per year: id → change in kroner (re-solved)

    def to_dict(self) -> dict[str, Any]:
        """The JSON additions of `--explain`: budget_next_100k (a number, or an object by year), where that
        money goes (id → change in kroner, likewise), gain_next_100k per binding name, and the entry thresholds."""
        data: dict[str, object] = {"budget_next_100k": by_year(self.budget_next_100k)}
        if self.next_100k_goes_to is not None:
            goes_to = {
                year: {i: round(kr, 2) for i, kr in change.items()} for year, change in self.next_100k_goes_to.items()
            }
            data["next_100k_goes_to"] = (
                goes_to[None] if list(goes_to) == [None] else {str(y): c for y, c in goes_to.items()}
            )
        if self.binding_gains is not None:
            data["gain_next_100k"] = {name: json_number(gain) for name, gain in self.binding_gains.items()}
        if self.entry_thresholds is not None:
            data["entry_thresholds"] = [
                {key: json_number(value) if isinstance(value, float) else value for key, value in row.items()}
                for row in self.entry_thresholds.drop(columns=["name"]).to_dict(orient="records")
            ]
        return data


def explain(result: Result) -> Explanation:
    """Every explanation of a solved result (re-solves; cheap on the compiled model)."""
    steps = next_100k_steps(result)
    gains = {step.year: step.gain for step in steps}
    return Explanation(
        gains,
        binding_gains(result, gains),
        entry_thresholds(result),
        {step.year: step.change_kr for step in steps},
    )
