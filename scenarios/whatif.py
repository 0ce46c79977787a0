"""What the app shows for one set of settings: the solve, the reference beside it, why each indsats got what
it got, and the key figures; computed once per settings (the app caches it) and drawn by ui/.

`analyse` never raises on the committee's input: settings that do not fit the catalog come back as Danish
problems, figures the model needs (a missing reach or cost) as the list of what to supply, contradicting
limits as a result with its conflict explained.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pandas as pd

from optimizer import Inputs, MissingDataError, PuljeError, Result, SpecError, evaluate, solve
from optimizer.constraints import Constraint, Year
from optimizer.instance import prepare
from optimizer.result import FUNDED_EPS, ask_column, year_column
from scenarios.danish import detail, input_problems
from scenarios.settings import Settings
from scenarios.why import ConflictView, Why, conflict_view, next_100k, statuses

Solver = Callable[[Inputs], Result]
Valuer = Callable[[Inputs, pd.DataFrame | None], tuple[Result | None, str]]
TABLE_COLUMNS = [
    "id",
    "name",
    "udvalg",
    "goals",
    "status",
    "reason",
    "reference_kr",
    "amount_kr",
    "change_kr",
    "reference_value",
    "value",
    "change_value",
    "value_per_100k",
    "cost_kr",
    "funded_share",
    "stars",
]


@dataclass(frozen=True)
class KeyFigures:
    """The three figures of the committee view, and what they are compared with."""

    value: float
    funded: int
    reference_value: float | None
    reference_funded: int | None
    changed_kr: float | None  # how far the allocation is from the reference: Σ |Δ kr.| over the indsatser
    changed: int | None  # the indsatser whose amount differs from the reference
    allocated_kr: float


@dataclass(frozen=True)
class WhatIf:
    """Everything drawn for one set of settings. `result` is None when the model cannot be built: then
    `missing` lists the figures to supply ((id, "cost" or "reach")) or `problems` says what does not fit."""

    result: Result | None
    missing: tuple[tuple[str, str], ...] = ()
    problems: tuple[str, ...] = ()
    reference: Result | None = None
    reference_problem: str = ""
    table: pd.DataFrame | None = None
    by_udvalg: pd.DataFrame | None = None
    by_goal: pd.DataFrame | None = None
    conflict: ConflictView | None = None
    figures: KeyFigures | None = None

    @property
    def is_ok(self) -> bool:
        return self.result is not None and self.result.is_ok

    @functools.cached_property
    def next_100k(self) -> pd.DataFrame | None:
        """Per year: what 100.000 kr. more in the pulje buys (why.next_100k), None without a proven result.
        Re-solved when first read, as only the explanation and the exports read it: a slider move that
        shows the allocation does not pay for it."""
        result = self.result
        if result is None or not result.is_ok or not result.status.is_proven:
            return None
        return next_100k(result)

    def budget_gains(self) -> dict[Year, float] | None:
        """What 100.000 kr. more in the pulje buys per year, as next_100k re-solved it (None: not computed)."""
        steps = self.next_100k
        return None if steps is None else dict(zip(steps["year"], steps["gain"], strict=True))


def analyse(
    settings: Settings,
    catalog: pd.DataFrame | Inputs,
    *,
    reference: pd.DataFrame | None = None,
    solver: Solver = solve,
    valuer: Valuer | None = None,
) -> WhatIf:
    """Solve the settings over `catalog` and explain the result beside the reference allocation (long format:
    id, year, amount_kr), valued with the same weights. `solver` solves Inputs and `valuer` values the
    reference (value_reference; the app passes cached ones: a compiled re-solve, a kept valuation)."""
    try:
        inputs = settings.to_inputs(catalog)
    except SpecError as exc:
        return WhatIf(None, problems=tuple(input_problems(exc, _constraints(settings))))
    try:
        result = solver(inputs)
    except MissingDataError:
        return WhatIf(None, missing=missing_figures(inputs))
    except SpecError as exc:  # a rule that contradicts an indsats's own figures (e.g. its minimum funding)
        return WhatIf(None, problems=tuple(input_problems(exc, inputs.constraints)))
    if not result.is_ok:
        return WhatIf(result, conflict=conflict_view(result, settings))
    valued, problem = (valuer or value_reference)(inputs, reference)
    table = side_by_side(result, valued, statuses(result, settings))
    return WhatIf(
        result,
        reference=valued,
        reference_problem=problem,
        table=table,
        by_udvalg=totals(result.by_udvalg, valued.by_udvalg if valued else None, "udvalg"),
        by_goal=totals(result.by_goal, valued.by_goal if valued else None, "goal"),
        figures=key_figures(result, valued, table),
    )


def _constraints(settings: Settings) -> tuple[Constraint, ...]:
    try:
        return settings.constraints()
    except SpecError:
        return ()


def missing_figures(inputs: Inputs) -> tuple[tuple[str, str], ...]:
    """Every (id, "cost" or "reach") the model needs and neither the catalog nor an assumption gives: the core
    refuses one kind at a time, so each refusal is answered with a stand-in figure until none is left."""
    found: list[tuple[str, str]] = []
    cost_kr = inputs.catalog.set_index("id")["cost_kr"]
    probe = inputs
    for _ in range(3):
        try:
            prepare(probe)
            break
        except MissingDataError as exc:
            kinds = [
                "cost" if math.isnan(cost_kr.loc[i]) and i not in probe.assumptions.cost else "reach" for i in exc.ids
            ]
            found += list(zip(exc.ids, kinds, strict=True))
            stand_in = {i for i, kind in zip(exc.ids, kinds, strict=True) if kind == "cost"}
            a = probe.assumptions
            cost = {**a.cost, **dict.fromkeys(stand_in, 1.0)}
            reach = {**a.reach, **{i: 1.0 for i in exc.ids if i not in stand_in}}
            probe = probe.replace(assumptions=dataclasses.replace(a, cost=cost, reach=reach))
    return tuple(found)


def value_reference(inputs: Inputs, amounts: pd.DataFrame | None) -> tuple[Result | None, str]:
    """The reference allocation (long format: id, year, amount_kr) valued with the inputs' weights and figures,
    or None and why not (in Danish). Its pulje is what it spends each year: a reference is compared by its
    amounts and its value, never by a pulje, so its valuation stays the same while the pulje slider moves."""
    if amounts is None:
        return None, ""
    years = inputs.years
    spent = amounts.groupby(amounts["year"].astype(str))["amount_kr"].sum() if "year" in amounts else None
    if years == (None,) or spent is None:
        budget: float | dict[Year, float] = float(amounts["amount_kr"].sum())
    else:
        budget = {year: float(spent.get(str(year), 0.0)) for year in years}
    try:
        return _valued(inputs.replace(budget=budget, constraints=()), amounts)
    except PuljeError as exc:
        return None, detail(str(exc))


def reference_key(inputs: Inputs, amounts: pd.DataFrame | None) -> str:
    """What a reference's valuation depends on, as text (to keep it while only the pulje moves)."""
    if amounts is None:
        return ""
    a = inputs.assumptions
    return repr(
        (
            amounts.to_numpy().tolist(),
            sorted(inputs.goal_weights.items()),
            inputs.evidence_weight,
            inputs.years,
            a.reach,
            a.cost,
            a.intensity,
            a.udvalg_split,
            a.extend,
            a.range_reach,
        )
    )


def _valued(inputs: Inputs, amounts: pd.DataFrame) -> tuple[Result | None, str]:
    funded = set(amounts.loc[amounts["amount_kr"] > 0, "id"])
    try:
        return evaluate(inputs, amounts), ""
    except MissingDataError as exc:
        if funded & set(exc.ids):  # the reference funds an indsats whose figures are missing now
            return None, detail(str(exc))
        # the indsatser without figures get nothing in the reference (an excluded one, say): value the rest
        return _valued(_without(inputs, set(exc.ids)), amounts)


def _without(inputs: Inputs, ids: set[str]) -> Inputs:
    """The inputs without some indsatser (and the constraints and assumptions that name them)."""
    a = inputs.assumptions
    kept = dataclasses.replace(
        a,
        reach=_without_ids(a.reach, ids),
        cost=_without_ids(a.cost, ids),
        intensity=_without_ids(a.intensity, ids),
        udvalg_split=_without_ids(a.udvalg_split, ids),
        extend=_without_ids(a.extend, ids),
    )
    return inputs.replace(
        catalog=inputs.catalog[~inputs.catalog["id"].isin(ids)].reset_index(drop=True),
        constraints=(),
        assumptions=kept,
    )


_V = TypeVar("_V")


def _without_ids(table: Mapping[str, _V], ids: set[str]) -> dict[str, _V]:
    return {k: v for k, v in table.items() if k not in ids}


def side_by_side(result: Result, reference: Result | None, why: Why | None = None) -> pd.DataFrame:
    """One row per indsats: the reference's and the current amount and value, and the differences, with the
    status and reason of `why` (empty without); in multi-year plans also each year's amount and ask. Built
    from the columns' arrays in one frame: pandas' per-column assignment costs more than the arithmetic."""
    a = result.allocation
    amount, value = a["amount_kr"].to_numpy(), a["value"].to_numpy()
    if reference is not None:
        ref_kr, ref_value = _matched(a["id"], reference.allocation, "id", ["amount_kr", "value"], 0.0)
    else:
        ref_kr = ref_value = np.full(len(a), math.nan)
    blank = np.full(len(a), "", dtype=object)
    computed = {
        "status": blank if why is None else np.array(why.status, dtype=object),
        "reason": blank if why is None else np.array(why.reason, dtype=object),
        "reference_kr": ref_kr,
        "change_kr": amount - ref_kr,
        "reference_value": ref_value,
        "change_value": value - ref_value,
    }
    years = _years(result)
    per_year = [column for year in years for column in (year_column(year), ask_column(year))]
    return pd.DataFrame(
        {c: computed[c] if c in computed else a[c].array for c in [*TABLE_COLUMNS, *per_year]}, index=a.index
    )


def _matched(keys: pd.Series, other: pd.DataFrame, key: str, columns: list[str], missing: float) -> list[np.ndarray]:
    """`other`'s columns in the order of `keys` (matched on its column `key`), `missing` where a key is not in
    it."""
    position = {k: row for row, k in enumerate(other[key].tolist())}
    found = np.array([position.get(k, -1) for k in keys.tolist()], dtype=np.intp)
    inside = found >= 0
    return [np.where(inside, other[c].to_numpy()[np.where(inside, found, 0)], missing) for c in columns]


def _years(result: Result) -> tuple[Year, ...]:
    return () if result.years == (None,) else result.years


def totals(now: pd.DataFrame, reference: pd.DataFrame | None, key: str) -> pd.DataFrame:
    """Totals per udvalg or goal: the current and the reference amount and value (goals), and the change."""
    measures = ["amount_kr", "value"] if "value" in now.columns else ["amount_kr"]
    if reference is not None:
        matched = _matched(now[key], reference, key, measures, math.nan)
    else:
        matched = [np.full(len(now), math.nan) for _ in measures]
    added: dict[str, np.ndarray] = {}
    for measure, ref in zip(measures, matched, strict=True):
        name = "kr" if measure == "amount_kr" else "value"
        added[f"reference_{name}"] = ref
        added[f"change_{name}"] = now[measure].to_numpy() - ref
    frame = {c: now[c].array for c in now.columns}
    return pd.DataFrame(frame | added, index=now.index)


def key_figures(result: Result, reference: Result | None, table: pd.DataFrame) -> KeyFigures:
    funded = int((table["amount_kr"] > FUNDED_EPS).sum())
    if reference is None:
        return KeyFigures(result.objective, funded, None, None, None, None, float(table["amount_kr"].sum()))
    reference_funded = int((reference.allocation["amount_kr"] > FUNDED_EPS).sum())
    change = np.abs(table["change_kr"].to_numpy())
    return KeyFigures(
        result.objective,
        funded,
        reference.objective,
        reference_funded,
        float(change.sum()),
        int((change > FUNDED_EPS).sum()),
        float(table["amount_kr"].sum()),
    )


def limit_use(whatif: WhatIf, settings: Settings) -> pd.DataFrame:
    """The room left under each udvalg and goal limit the settings set, per year: what is spent, the minimum,
    the maximum and the room (maximum − spent). Columns: what, key, year, spent_kr, min_kr, max_kr, room_kr."""
    result = whatif.result
    if result is None or not result.is_ok:
        return pd.DataFrame(columns=["what", "key", "year", "spent_kr", "min_kr", "max_kr", "room_kr"])
    records = []
    mins, maxes, goal_mins = dict(settings.udvalg_min), dict(settings.udvalg_max), dict(settings.goal_min)
    by_udvalg = result.by_udvalg.set_index("udvalg")
    goals = result.allocation["goals"].str.split(";")
    for udvalg in sorted(set(mins) | set(maxes)):
        for year in result.years:
            spent = float(by_udvalg[year_column(year)].loc[udvalg]) if udvalg in by_udvalg.index else 0.0
            high = maxes.get(udvalg, math.nan)
            records.append(("udvalg", udvalg, year, spent, mins.get(udvalg, math.nan), high, high - spent))
    for goal, low in sorted(goal_mins.items()):
        serves = goals.apply(lambda keys, g=goal: g in keys).to_numpy()
        for year in result.years:
            spent = float(result.allocation.loc[serves, year_column(year)].sum())
            records.append(("goal", goal, year, spent, low, math.nan, math.nan))
    return pd.DataFrame(records, columns=["what", "key", "year", "spent_kr", "min_kr", "max_kr", "room_kr"])
