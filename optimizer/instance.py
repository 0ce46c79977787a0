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

import dataclasses
import math
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

import numpy as np
import pandas as pd

from optimizer.catalog import goals_assumed
from optimizer.cells import per_distinct
from optimizer.constraints import Exclude, MaxFunding, MinFunding, Year, application_order
from optimizer.errors import InputProblem, MissingDataError, SpecError
from optimizer.inputs import Assumptions, Inputs, Table
from optimizer.notes import Note, kroner, number, why

_Cell = TypeVar("_Cell", bound=Hashable)
_Value = TypeVar("_Value")


def _texts(values: tuple[_Cell, ...], text: Callable[[_Cell], str]) -> list[str]:
    """The texts of values that repeat (udvalg, goals, units): each distinct one written once."""
    written = {value: text(value) for value in set(values)}
    return [written[value] for value in values]


def _frozen(array: np.ndarray, *, copy: bool = True) -> np.ndarray:
    """A read-only array: a copy the caller cannot change behind our back (copy=False: one made here)."""
    array = np.array(array, copy=copy)
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
        codes, distinct = pd.factorize(np.fromiter(self.goals, dtype=object, count=self.n))
        rows = np.zeros((len(distinct), len(self.goal_keys)))
        for k, goals in enumerate(distinct):
            rows[k, [column[g] for g in goals]] = 1.0
        return _frozen(rows[codes], copy=False)

    @cached_property
    def id_rank(self) -> np.ndarray:
        """Each indsats's position when the ids are sorted (ties are broken towards lower ids)."""
        return _frozen(np.argsort(np.argsort(np.array(self.ids, dtype=object))), copy=False)

    @cached_property
    def labels(self) -> dict[str, pd.api.extensions.ExtensionArray]:
        """The allocation table's text columns (id, name, udvalg, goals, reach_unit), made once per instance:
        converted in one text array and sliced, as each conversion costs more than its strings on small tables."""
        columns = {"id": list(self.ids), "name": list(self.names), "udvalg": _texts(self.udvalg, "/".join),
                   "goals": _texts(self.goals, ";".join), "reach_unit": _texts(self.reach_units, str)}  # fmt: skip
        texts = pd.array([text for column in columns.values() for text in column], dtype="str")
        return {key: texts[k * self.n : (k + 1) * self.n] for k, key in enumerate(columns)}

    def reweighted(self, pulje: np.ndarray, goal_weights: dict[str, float], evidence_weight: float) -> Instance:
        """The same instance for another pulje and other weights (a slider moved); its tables carry over."""
        moved = dataclasses.replace(self, pulje=_frozen(pulje), goal_weights=goal_weights,
                                    evidence_weight=evidence_weight)  # fmt: skip
        for kept in ("member", "labels", "_index", "id_rank"):
            if kept in self.__dict__:
                moved.__dict__[kept] = self.__dict__[kept]
        return moved

    def value_per_reach(self) -> np.ndarray:
        """n × goals: the value of one person reached at full scale, per goal (goal weight, evidence, intensity)."""
        weights = np.array([self.goal_weights.get(g, 1.0) for g in self.goal_keys])
        evidence = (1.0 + self.evidence_weight * self.stars) * self.intensity
        value: np.ndarray = self.member * weights[None, :] * evidence[:, None]
        return value

    def value_by_goal(self, reach: np.ndarray | None = None) -> np.ndarray:
        """n × goals: each indsats's value per year at full scale, credited to each goal it serves."""
        value: np.ndarray = (self.reach if reach is None else reach)[:, None] * self.value_per_reach()
        return value

    def full_value(self, reach: np.ndarray | None = None) -> np.ndarray:
        """Value per year at full scale: reach × weighted goal coverage × evidence factor × intensity (read-only
        for the instance's own reach)."""
        if reach is None:
            return self._full_value
        value: np.ndarray = self.value_by_goal(reach).sum(axis=1)
        return value

    @cached_property
    def _full_value(self) -> np.ndarray:
        """full_value() at the instance's reach, computed once: a solve reads it to build, tabulate and explain."""
        return _frozen(self.value_by_goal().sum(axis=1), copy=False)

    def shares(self, amounts: np.ndarray) -> np.ndarray:
        """n × years: the share of each year's ask that `amounts` (kroner, n × years) fund (0 where nothing is
        asked)."""
        shares: np.ndarray = np.divide(amounts, self.cost, out=np.zeros_like(amounts), where=self.cost > 0)
        return shares

    def value_per_kr(self) -> np.ndarray:
        """n × years: value per krone in each year (0 where the indsats asks for nothing)."""
        cost = np.where(self.cost > 0, self.cost, np.inf)
        value: np.ndarray = self.full_value()[:, None] / cost
        return value

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

    def set_funding_bound(
        self, rule: MinFunding | MaxFunding, *, low: float | None = None, high: float | None = None
    ) -> None:
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
    rows, fixed_rows = inputs.columns
    ids = list(rows["id"])
    index = _Index(ids)
    excluded = {c.id for c in inputs.constraints if isinstance(c, Exclude) and (c.year is None or len(years) == 1)}
    notes: list[Note] = [Note("no_goals_file")] if goals_assumed(catalog) else []
    fixed = _fixed_lines(fixed_rows, a.cost, years)
    base_cost = index.overridden(rows["cost_kr"], a.cost)
    _refuse_missing_costs(ids, base_cost, fixed_rows, a.cost, excluded)
    cost = _yearly_asks(rows, base_cost, years, inputs, notes, index)
    scalable = rows["scalable"]
    binary = scalable != True  # noqa: E712 (False, or None: not stated)
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
        setup=_stated(rows["setup_kr"]),
        years=years,
        fixed=fixed,
        notes=notes,
        stated_scalable=scalable != None,  # noqa: E711
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
    reach, reach_low, reach_high = _reach(rows, a, excluded, notes, index)
    if optimizing:
        _note_unstated_scalability(draft)
    _note_assumptions(a, notes)
    stated = catalog.attrs.get("goals", {})
    titles = {key: stated.get(key, key) for key in inputs.known().goals}  # the goal keys Inputs read, in order
    udvalg_keys = tuple(sorted({u for combination in pd.unique(rows["udvalg"]) for u in combination}))
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
        stars=_frozen(_stated(rows["stars"]), copy=False),
        intensity=_frozen(index.overridden(np.where(np.isnan(rows["intensity"]), 1.0, rows["intensity"]), a.intensity)),
        goal_keys=tuple(titles),
        goal_titles=titles,
        goal_weights={key: float(inputs.goal_weights.get(key, 1.0)) for key in titles},
        evidence_weight=float(inputs.evidence_weight),
        udvalg_keys=udvalg_keys,
        split=_frozen(_splits(rows, a, udvalg_keys, index), copy=False),
        requires=_requires(rows),
        notes=tuple(notes),
    )


class _Index:
    """Positions of the indsatser by id, made when an assumption first names one (most runs name none)."""

    def __init__(self, ids: list[str]):
        self.ids = ids

    @cached_property
    def of(self) -> dict[str, int]:
        return {indsats_id: i for i, indsats_id in enumerate(self.ids)}

    def named(self, mapping: Mapping[str, _Value]) -> list[tuple[int, str, _Value]]:
        """(position, id, value) for the indsatser `mapping` names (fixed lines and others left out)."""
        return [(self.of[key], key, value) for key, value in mapping.items() if key in self.of]

    def overridden(self, values: np.ndarray, assumed: Mapping[str, float]) -> np.ndarray:
        """A copy of `values` (one per indsats) with the assumed ones in place."""
        result = np.array(values, dtype=float)
        for i, _, value in self.named(assumed):
            result[i] = value
        return result


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
    missing += [ids[k] for k in np.flatnonzero(np.isnan(cost)) if ids[k] not in excluded]
    if missing:
        raise MissingDataError(
            "cost_kr is not stated for: "
            + ", ".join(missing)
            + ". Supply a cost assumption for each (or exclude the indsatser).",
            missing,
        )


def _yearly_asks(
    rows: Table, base_cost: np.ndarray, years: tuple[Year, ...], inputs: Inputs, notes: list[Note], index: _Index
) -> np.ndarray:
    """n × years: each year's ask (the per-year asks where stated, else cost_kr; an extension where assumed)."""
    cost = np.tile(_stated(base_cost)[:, None], (1, len(years)))
    if years == (None,):
        return cost
    asking = 0
    for k in np.flatnonzero(per_distinct(rows["asks"], bool).astype(bool)):
        by_year = dict(rows["asks"][k])
        listed = [t for t, year in enumerate(years) if year in by_year]
        for t in listed:
            cost[k, t] = by_year[years[t]]
        asking += bool(listed)
    a = inputs.assumptions
    for i, indsats_id, extensions in index.named(a.extend):
        for year, kr in extensions.items():
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
    rows: Table, a: Assumptions, excluded: set[str], notes: list[Note], index: _Index
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reach at full scale, and the range robustness draws from (equal to the reach where none is stated)."""
    ids, stated, low, high = rows["id"], rows["reach"], rows["reach_min"], rows["reach_max"]
    assumed = np.zeros(len(ids), dtype=bool)
    assumed[[i for i, _, _ in index.named(a.reach)]] = True
    reach = index.overridden(stated, a.reach)
    unread = np.isnan(reach)
    ranged = unread & ~(np.isnan(low) & np.isnan(high))
    reach[ranged] = _read_range(low[ranged], high[ranged], a.range_reach)
    unread &= ~ranged
    prerequisite = np.zeros(len(ids), dtype=bool)
    if unread.any():  # neither stated nor ranged: none for a prerequisite (or an excluded indsats)
        prerequisites = {needed for needs in pd.unique(rows["requires"]) for needed in needs}
        for k in np.flatnonzero(unread):
            prerequisite[k] = ids[k] in prerequisites
            if prerequisite[k] or ids[k] in excluded:
                reach[k] = 0.0
    missing = np.flatnonzero(np.isnan(reach))
    if missing.size:
        raise MissingDataError(
            "reach is not stated for: "
            + "; ".join(f"{ids[k]} ({rows['name'][k]})" for k in missing)
            + ". Supply a reach assumption for each (citizens reached per year at full scale), or exclude them.",
            [ids[k] for k in missing],
        )
    for k in np.flatnonzero(ranged | prerequisite):  # in catalog order
        notes.append(Note("range_read", {"id": ids[k], "value": number(reach[k]), "policy": a.range_reach,
                                         "stated": _stated_range(low[k], high[k])})
                     if ranged[k] else Note("prerequisite_only", {"id": ids[k]}))  # fmt: skip
    spread = ~assumed & ~np.isnan(low) & ~np.isnan(high)
    return reach, np.where(spread, low, reach), np.where(spread, high, reach)


def _requires(rows: Table) -> tuple[tuple[str, str], ...]:
    """(indsats, the indsats it requires) for every requirement the catalog states."""
    needing = np.flatnonzero(per_distinct(rows["requires"], bool).astype(bool))
    return tuple((rows["id"][k], needed) for k in needing for needed in rows["requires"][k])


def _stated(values: np.ndarray) -> np.ndarray:
    """Figures with the unstated ones (NaN) as 0 (the catalog's figures are finite: validated)."""
    return np.where(np.isnan(values), 0.0, values)


def _stated_range(low: float, high: float) -> str:
    if math.isnan(low) or math.isnan(high):
        return number(low if math.isnan(high) else high)
    return f"{number(low)}-{number(high)}"


def _read_range(low: np.ndarray, high: np.ndarray, policy: str) -> np.ndarray:
    """A stated range read by the policy (low, mid or high); a range with one end stated reads as that end."""
    point = {"low": low, "mid": (low + high) / 2, "high": high}[policy]
    return np.where(np.isnan(high), low, np.where(np.isnan(low), high, point))


def _splits(rows: Table, a: Assumptions, keys: tuple[str, ...], index: _Index) -> np.ndarray:
    """n × udvalg: the share of a krone to each indsats that counts to each udvalg (equal unless assumed)."""
    column = {u: k for k, u in enumerate(keys)}
    codes, distinct = pd.factorize(rows["udvalg"])
    equal = np.zeros((len(distinct), len(keys)))
    for k, udvalg in enumerate(distinct):
        equal[k, [column[u] for u in udvalg]] = 1.0 / len(udvalg) if udvalg else 0.0
    split = equal[codes] if len(codes) else np.zeros((0, len(keys)))
    for i, _, given in index.named(a.udvalg_split):
        split[i] = [given.get(u, 0.0) if u in rows["udvalg"][i] else 0.0 for u in keys]
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
