"""Turn Inputs into the numbers the model needs: one frozen Instance, one row per indsats.

This is where missing data is caught: a missing reach or cost is never imputed, the solve refuses and
lists the indsatser that need an assumption. Every figure that is not taken literally from the catalog
(a range read at its low end, an overridden reach, an unstated scalability, an ask extended by the
user) is recorded as a Note, which every result shows.

Funding is measured as the funded share of each year's ask: s[i,t] = x[i,t] / ask[i,t], so that an
indsats never gets more than it asks for in a year (nor anything in a year it asks for nothing),
unless the user extends its ask.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from optimizer.catalog import goal_titles, goals_assumed
from optimizer.constraints import Exclude, MaxFunding, MinFunding, Year, application_order
from optimizer.errors import InputProblem, MissingDataError, SpecError
from optimizer.inputs import Assumptions, Inputs
from optimizer.notes import Note, kroner, number, why


def _frozen(array: np.ndarray) -> np.ndarray:
    array = np.array(array)  # a copy the caller cannot change behind our back
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class Instance:
    """The numbers of one optimization problem (fixed lines are folded into `fixed`, taken off the top).

    cost[i,t]: what indsats i asks for in year t at full scale (0: nothing that year).
    low[i], high[i]: funded share of the year's ask when funded (0 = any amount; high 1 = the full ask).
    binary[i]: all-or-nothing (funded share 0 or 1). reach_low/high: the range robustness draws from.
    """

    ids: tuple[str, ...]
    names: tuple[str, ...]
    udvalg: tuple[tuple[str, ...], ...]
    goals: tuple[tuple[str, ...], ...]
    reach_units: tuple[str, ...]
    years: tuple[Year, ...]
    pulje: np.ndarray
    fixed: np.ndarray
    cost: np.ndarray
    low: np.ndarray
    high: np.ndarray
    binary: np.ndarray
    setup: np.ndarray
    reach: np.ndarray
    reach_low: np.ndarray
    reach_high: np.ndarray
    stars: np.ndarray
    intensity: np.ndarray
    goal_keys: tuple[str, ...]
    goal_titles: dict[str, str]
    goal_weights: dict[str, float]
    evidence_weight: float
    udvalg_keys: tuple[str, ...]
    split: np.ndarray  # n × udvalg: the share of a krone to i that counts to each udvalg
    requires: tuple[tuple[str, str], ...]
    notes: tuple[Note, ...] = field(default_factory=tuple)

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def n_years(self) -> int:
        return len(self.years)

    @cached_property
    def _index(self) -> dict[str, int]:
        return {indsats_id: i for i, indsats_id in enumerate(self.ids)}

    def index_of(self, indsats_id: str) -> int:
        try:
            return self._index[indsats_id]
        except KeyError:
            raise SpecError(f"unknown indsats id {indsats_id!r}") from None

    def year_indices(self, year: Year) -> list[int]:
        if year is None:
            return list(range(self.n_years))
        for t, label in enumerate(self.years):
            if label is not None and str(label) == str(year):
                return [t]
        raise SpecError(f"{year} is not a year of the pulje")

    @cached_property
    def member(self) -> np.ndarray:
        """n × goals: 1 where indsats i serves goal g."""
        column = {key: g for g, key in enumerate(self.goal_keys)}
        member = np.zeros((self.n, len(self.goal_keys)))
        for i, goals in enumerate(self.goals):
            member[i, [column[g] for g in goals]] = 1.0
        return _frozen(member)

    def value_per_reach(self) -> np.ndarray:
        """n × goals: the value of one person reached at full scale, per goal (goal weight, evidence, intensity)."""
        weights = np.array([self.goal_weights.get(g, 1.0) for g in self.goal_keys])
        evidence = (1.0 + self.evidence_weight * self.stars) * self.intensity
        return self.member * weights[None, :] * evidence[:, None]

    def value_by_goal(self, reach: np.ndarray | None = None) -> np.ndarray:
        """n × goals: each indsats's value per year at full scale, credited to each goal it serves."""
        return (self.reach if reach is None else reach)[:, None] * self.value_per_reach()

    def full_value(self, reach: np.ndarray | None = None) -> np.ndarray:
        """Value per year at full scale: reach × weighted goal coverage × evidence factor × intensity."""
        return self.value_by_goal(reach).sum(axis=1)

    def value_per_kr(self) -> np.ndarray:
        """n × years: value per krone in each year (0 where the indsats asks for nothing)."""
        cost = np.where(self.cost > 0, self.cost, np.inf)
        return self.full_value()[:, None] / cost

    def reference_value_per_kr(self) -> np.ndarray:
        """Value per krone over the plan: value at full scale in every year it asks / what it asks in all."""
        asked = self.cost.sum(axis=1)
        years_asked = (self.cost > 0).sum(axis=1)
        return np.where(asked > 0, self.full_value() * years_asked / np.where(asked > 0, asked, 1.0), 0.0)


@dataclass
class Draft:
    """The mutable figures while figure rules apply; `freeze()` gives the Instance."""

    ids: list[str]
    base_cost: np.ndarray  # the catalog's (or assumed) full-scale yearly cost
    min_kr: np.ndarray
    max_kr: np.ndarray
    binary: np.ndarray
    low: np.ndarray
    high: np.ndarray
    setup: np.ndarray
    years: tuple[Year, ...]
    fixed: np.ndarray
    notes: list[Note]
    stated_scalable: np.ndarray  # False where the catalog leaves scalability empty

    def indices(self, indsats_id: str) -> list[int]:
        return list(range(len(self.ids))) if indsats_id == "*" else [self.ids.index(indsats_id)]

    def set_binary(self, indsats_id: str, binary: bool) -> None:
        """All-or-nothing at the full ask, or scalable between the catalog's min_kr and max_kr."""
        for i in self.indices(indsats_id):
            self.binary[i] = binary
            self.stated_scalable[i] = True
            self.low[i] = 0.0 if binary or math.isnan(self.min_kr[i]) else self.min_kr[i] / self.base_cost[i]
            self.high[i] = 1.0 if binary or math.isnan(self.max_kr[i]) else self.max_kr[i] / self.base_cost[i]
        if indsats_id == "*" and not binary:
            self.notes.append(Note("scalable_all"))

    def set_funding_bound(self, rule: MinFunding | MaxFunding, *, low: float | None = None, high: float | None = None):
        i = self.ids.index(rule.id)
        name = type(rule).__name__
        if self.binary[i]:
            raise SpecError(f"{name}({rule.id!r}): the indsats is all-or-nothing; make it scalable first")
        cost = self.base_cost[i]
        if low is not None:
            if low / cost > self.high[i] + 1e-12:
                raise SpecError(
                    f"{name}({rule.id!r}): {kroner(low)} is above its maximum of {kroner(self.high[i] * cost)}"
                )
            self.low[i] = low / cost
        if high is not None:
            if high / cost < self.low[i] - 1e-12:
                raise SpecError(
                    f"{name}({rule.id!r}): {kroner(high)} is below its minimum viable {kroner(self.low[i] * cost)}"
                )
            self.high[i] = high / cost

    def set_setup(self, indsats_id: str, kr: float) -> None:
        self.setup[self.ids.index(indsats_id)] = kr

    def add_fixed(self, name: str, kr: float, year: Year) -> None:
        for t, label in enumerate(self.years):
            if year is None or str(label) == str(year):
                self.fixed[t] += kr
        self.notes.append(Note("fixed_line", {"name": repr(name), "kr": kroner(kr)}))


def prepare(inputs: Inputs, *, optimizing: bool = True) -> Instance:
    """The Instance of some Inputs: figures read (and asked for where missing), figure rules applied.

    optimizing=False (valuing a given allocation) leaves out the notes on how the optimizer would fund
    indsatser whose scalability is not stated: a given amount is valued as it is.
    """
    catalog, a = inputs.catalog, inputs.assumptions
    years, pulje = inputs.years, np.array(inputs.pulje, dtype=float)
    is_fixed = catalog["fixed"].to_numpy(dtype=bool)
    rows, fixed_rows = _columns(catalog, ~is_fixed), _columns(catalog, is_fixed)
    ids = list(rows["id"])
    excluded = {c.id for c in inputs.constraints if isinstance(c, Exclude) and (c.year is None or len(years) == 1)}
    notes: list[Note] = [Note("no_goals_file")] if goals_assumed(catalog) else []
    fixed = _fixed_lines(fixed_rows, a.cost, years)
    base_cost = np.array([a.cost.get(i, c) for i, c in zip(ids, rows["cost_kr"], strict=True)], dtype=float)
    _refuse_missing_costs(ids, base_cost, fixed_rows, a.cost, excluded)
    cost = _yearly_asks(rows, base_cost, years, inputs, notes)
    scalable = rows["scalable"]
    binary = np.array([s is not True for s in scalable], dtype=bool)
    min_kr, max_kr = rows["min_kr"], rows["max_kr"]
    safe_cost = np.where(np.isnan(base_cost), 1.0, base_cost)
    draft = Draft(
        ids=ids,
        base_cost=safe_cost,
        min_kr=min_kr,
        max_kr=max_kr,
        binary=binary,
        low=np.where(binary | np.isnan(min_kr), 0.0, min_kr / safe_cost),
        high=np.where(binary | np.isnan(max_kr), 1.0, max_kr / safe_cost),
        setup=np.nan_to_num(rows["setup_kr"], nan=0.0),
        years=years,
        fixed=fixed,
        notes=notes,
        stated_scalable=np.array([s is not None for s in scalable]),
    )
    problems: list[InputProblem] = []
    order = {id(c): k for k, c in enumerate(inputs.constraints)}
    for rule in application_order(inputs.constraints):
        try:
            rule.apply(draft)
        except SpecError as exc:
            problems.append(InputProblem(("constraints", order[id(rule)]), str(exc)))
    if problems:
        raise SpecError(problems)
    reach, reach_low, reach_high = _reach(rows, a, excluded, notes)
    if optimizing:
        _note_unstated_scalability(draft)
    _note_assumptions(a, notes)
    titles = goal_titles(catalog)
    udvalg_keys = tuple(sorted({u for us in rows["udvalg"] for u in us}))
    return Instance(
        ids=tuple(ids),
        names=tuple(rows["name"]),
        udvalg=tuple(rows["udvalg"]),
        goals=tuple(rows["goals"]),
        reach_units=tuple(rows["reach_unit"]),
        years=years,
        pulje=_frozen(pulje),
        fixed=_frozen(draft.fixed),
        cost=_frozen(cost),
        low=_frozen(draft.low),
        high=_frozen(draft.high),
        binary=_frozen(draft.binary),
        setup=_frozen(draft.setup),
        reach=_frozen(reach),
        reach_low=_frozen(reach_low),
        reach_high=_frozen(reach_high),
        stars=_frozen(np.nan_to_num(rows["stars"], nan=0.0)),
        intensity=_frozen(_intensity(rows, a)),
        goal_keys=tuple(titles),
        goal_titles=titles,
        goal_weights={key: float(inputs.goal_weights.get(key, 1.0)) for key in titles},
        evidence_weight=float(inputs.evidence_weight),
        udvalg_keys=udvalg_keys,
        split=_frozen(_splits(rows, a, udvalg_keys)),
        requires=tuple((i, r) for i, needs in zip(rows["id"], rows["requires"], strict=True) for r in needs),
        notes=tuple(notes),
    )


Table = dict[str, np.ndarray]  # catalog columns as arrays, for some of its rows


def _columns(catalog: pd.DataFrame, mask: np.ndarray) -> Table:
    """The catalog's columns as arrays for the rows in `mask` (numbers as floats, scalable as True/False/None)."""
    table: Table = {}
    for column in ("id", "name", "udvalg", "goals", "reach_unit", "requires", "asks"):
        table[column] = catalog[column].to_numpy(dtype=object)[mask]
    for column in ("cost_kr", "min_kr", "max_kr", "setup_kr", "reach", "reach_min", "reach_max", "stars", "intensity"):
        table[column] = catalog[column].to_numpy(dtype=float)[mask]
    table["scalable"] = np.array([None if v is pd.NA else bool(v) for v in catalog["scalable"]], dtype=object)[mask]
    return table


def _fixed_lines(rows: Table, assumed: Mapping[str, float], years: tuple[Year, ...]) -> np.ndarray:
    """The fixed lines' total per year (their per-year asks where stated); a line without an amount counts 0
    here and is reported by _refuse_missing_costs."""
    total = np.zeros(len(years))
    for indsats_id, cost, asks in zip(rows["id"], rows["cost_kr"], rows["asks"], strict=True):
        base = assumed.get(indsats_id, cost)
        by_year = dict(asks)
        for t, year in enumerate(years):
            amount = by_year.get(year, base) if year is not None else base
            total[t] += 0.0 if math.isnan(amount) else amount
    return total


def _refuse_missing_costs(
    ids: list[str], cost: np.ndarray, fixed_rows: Table, assumed: Mapping[str, float], excluded: set[str]
) -> None:
    """Refuse, listing every indsats and fixed line whose cost is not stated (unless assumed or excluded)."""
    missing = [
        i for i, c in zip(fixed_rows["id"], fixed_rows["cost_kr"], strict=True) if math.isnan(c) and i not in assumed
    ]
    missing += [i for i, c in zip(ids, cost, strict=True) if math.isnan(c) and i not in excluded]
    if missing:
        raise MissingDataError(
            "cost_kr is not stated for: "
            + ", ".join(missing)
            + ". Supply a cost assumption for each (or exclude the indsatser).",
            missing,
        )


def _yearly_asks(
    rows: Table, base_cost: np.ndarray, years: tuple[Year, ...], inputs: Inputs, notes: list[Note]
) -> np.ndarray:
    """n × years: each year's ask (the per-year asks where stated, else cost_kr; an extension where assumed)."""
    cost = np.tile(np.nan_to_num(base_cost, nan=0.0)[:, None], (1, len(years)))
    if years == (None,):
        return cost
    a = inputs.assumptions
    asking = 0
    for i, (indsats_id, asks) in enumerate(zip(rows["id"], rows["asks"], strict=True)):
        by_year = dict(asks)
        listed = [t for t, year in enumerate(years) if year in by_year]
        for t in listed:
            cost[i, t] = by_year[years[t]]
        asking += bool(listed)
        for year, kr in a.extend.get(indsats_id, {}).items():
            t = next(t for t, label in enumerate(years) if str(label) == str(year))
            notes.append(
                Note(
                    "extended_ask",
                    {"id": indsats_id, "kr": kroner(kr), "year": str(year), "ask": kroner(cost[i, t]),
                     "why": why(a.reason("extend", indsats_id))},
                )
            )  # fmt: skip
            cost[i, t] = kr
    if asking:
        notes.insert(0, Note("asks_by_year", {"count": str(asking)}))
    return cost


def _reach(
    rows: Table, a: Assumptions, excluded: set[str], notes: list[Note]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reach at full scale, and the range robustness draws from (equal to the reach where none is stated)."""
    prerequisites = {r for needs in rows["requires"] for r in needs}
    reach, low, high = (np.full(len(rows["id"]), math.nan) for _ in range(3))
    missing = []
    columns = ("id", "name", "reach", "reach_min", "reach_max")
    for i, (indsats_id, name, stated, stated_low, stated_high) in enumerate(
        zip(*(rows[c] for c in columns), strict=True)
    ):
        if indsats_id in a.reach:
            reach[i] = a.reach[indsats_id]
        elif not math.isnan(stated):
            reach[i] = stated
        elif not (math.isnan(stated_low) and math.isnan(stated_high)):
            reach[i] = _read_range(stated_low, stated_high, a.range_reach)
            shown = (
                f"{number(stated_low)}-{number(stated_high)}"
                if not (math.isnan(stated_low) or math.isnan(stated_high))
                else number(stated_low if math.isnan(stated_high) else stated_high)
            )
            notes.append(
                Note(
                    "range_read",
                    {"id": indsats_id, "value": number(reach[i]), "policy": a.range_reach, "stated": shown},
                )
            )
        elif indsats_id in prerequisites:
            reach[i] = 0.0
            notes.append(Note("prerequisite_only", {"id": indsats_id}))
        elif indsats_id in excluded:
            reach[i] = 0.0
        else:
            missing.append(f"{indsats_id} ({name})")
        ranged = indsats_id not in a.reach and not (math.isnan(stated_low) or math.isnan(stated_high))
        low[i], high[i] = (stated_low, stated_high) if ranged else (reach[i], reach[i])
    if missing:
        raise MissingDataError(
            "reach is not stated for: "
            + "; ".join(missing)
            + ". Supply a reach assumption for each (citizens reached per year at full scale), or exclude them.",
            [m.split(" ", 1)[0] for m in missing],
        )
    return reach, low, high


def _read_range(low: float, high: float, policy: str) -> float:
    if math.isnan(high):
        return low
    if math.isnan(low):
        return high
    return {"low": low, "mid": (low + high) / 2, "high": high}[policy]


def _intensity(rows: Table, a: Assumptions) -> np.ndarray:
    stated = rows["intensity"]
    return np.array([a.intensity.get(i, 1.0 if math.isnan(v) else v) for i, v in zip(rows["id"], stated, strict=True)])


def _splits(rows: Table, a: Assumptions, keys: tuple[str, ...]) -> np.ndarray:
    column = {u: k for k, u in enumerate(keys)}
    split = np.zeros((len(rows["id"]), len(keys)))
    for i, (indsats_id, udvalg) in enumerate(zip(rows["id"], rows["udvalg"], strict=True)):
        given = a.udvalg_split.get(indsats_id)
        for u in udvalg:
            split[i, column[u]] = given.get(u, 0.0) if given is not None else 1.0 / len(udvalg)
    return split


def _note_unstated_scalability(draft: Draft) -> None:
    still = [i for i, stated, binary in zip(draft.ids, draft.stated_scalable, draft.binary, strict=True)
             if binary and not stated]  # fmt: skip
    if still:
        notes = {"count": str(len(still)), "ids": ", ".join(still)}
        draft.notes.append(Note("unstated_scalable", notes))


def _note_assumptions(a: Assumptions, notes: list[Note]) -> None:
    for indsats_id, value in a.reach.items():
        notes.append(
            Note("assumed_reach", {"id": indsats_id, "value": number(value), "why": why(a.reason("reach", indsats_id))})
        )
    for indsats_id, value in a.cost.items():
        notes.append(
            Note("assumed_cost", {"id": indsats_id, "kr": kroner(value), "why": why(a.reason("cost", indsats_id))})
        )
    for indsats_id, value in a.intensity.items():
        notes.append(
            Note(
                "assumed_intensity",
                {"id": indsats_id, "value": number(value), "why": why(a.reason("intensity", indsats_id))},
            )
        )
    for indsats_id, split in a.udvalg_split.items():
        parts = ", ".join(f"{u} {s:.0%}".replace("%", " %") for u, s in split.items())
        notes.append(Note("udvalg_split", {"id": indsats_id, "parts": parts}))
