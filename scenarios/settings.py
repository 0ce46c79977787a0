"""What a committee has set in the app, as one frozen value: the pulje, the weights, the limits per udvalg and
goal, and the table's changes per indsats (a lock, an exclusion, partial funding, its own figures with a
reason); turned into the Inputs of a solve.

Every field is a plain value (tuples, not dicts), so two Settings compare by value and `key()` gives one
canonical text for caching. The app (app.py, ui/) only reads and replaces these values.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from optimizer import (
    AllOrNothing,
    Assumptions,
    Exclude,
    GoalMin,
    Inputs,
    Lock,
    Scalable,
    UdvalgMax,
    UdvalgMin,
)
from optimizer.constraints import Constraint, Year
from optimizer.inputs import DEFAULT_EVIDENCE_WEIGHT
from optimizer.result import Result, year_column

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Pairs = tuple[tuple[str, float], ...]
YearAmounts = tuple[tuple[Year, float], ...]  # ((None, kr),) for a single-year pulje
ReferenceAmounts = tuple[tuple[str, Year, float], ...]  # (id, year, kroner), the funded ones only


@dataclass(frozen=True)
class RowEdit:
    """The committee's changes to one indsats, from the editable table.

    lock: kroner per year it gets exactly; exclude: it gets nothing; partial: True may be funded partly,
    False all-or-nothing, None as the catalog says; cost_kr / reach: its own figures (an assumption where the
    catalog is silent, an override where it is not); extend: kroner it may get in a year instead of its ask ("udvid");
    reason: why, shown with every change of the row.
    """

    id: str
    lock: YearAmounts = ()
    exclude: bool = False
    partial: bool | None = None
    cost_kr: float | None = None
    reach: float | None = None
    extend: YearAmounts = ()
    reason: str = ""

    def with_year(self, field: Literal["lock", "extend"], year: Year, kr: float | None) -> RowEdit:
        """The row with one year's lock or extension ("lock" or "extend") set, or removed with kr=None."""
        table = dict(getattr(self, field))
        if kr is None:
            table.pop(year, None)
        else:
            table[year] = float(kr)
        amounts = tuple(sorted(table.items(), key=lambda kv: str(kv[0])))
        return dataclasses.replace(self, lock=amounts) if field == "lock" else dataclasses.replace(self, extend=amounts)

    @property
    def is_empty(self) -> bool:
        """True when the row changes nothing (a reason alone changes nothing)."""
        return self == RowEdit(self.id, reason=self.reason)


@dataclass(frozen=True)
class Settings:
    """Everything the app's controls set, for one catalog (named by `catalog`, a key the app resolves).

    budget: kroner per year; goal_weights: only those that differ from 1; limits in kroner per year;
    extra_constraints / extra_assumptions: what a scenario file set that the controls do not show, kept as is;
    reference: a pinned reference allocation (None: the catalog's decided allocation), reference_origin says
    whether the app pinned the first optimum ("first") or the user pinned one ("pinned").
    """

    catalog: str
    budget: YearAmounts
    goal_weights: Pairs = ()
    evidence_weight: float = DEFAULT_EVIDENCE_WEIGHT
    udvalg_min: Pairs = ()
    udvalg_max: Pairs = ()
    goal_min: Pairs = ()
    edits: tuple[RowEdit, ...] = ()
    extra_constraints: tuple[Constraint, ...] = ()
    extra_assumptions: Assumptions = field(default_factory=Assumptions)
    reference: ReferenceAmounts | None = None
    reference_origin: str = ""

    # --- reading -------------------------------------------------------------------------------
    @property
    def years(self) -> tuple[Year, ...]:
        return tuple(year for year, _ in self.budget)

    @property
    def budget_value(self) -> float | dict[Year, float]:
        """The budget as Inputs takes it: kroner, or {year: kroner}."""
        if self.years == (None,):
            return self.budget[0][1]
        return dict(self.budget)

    def edit(self, indsats_id: str) -> RowEdit:
        """The row's changes (an empty RowEdit when there are none)."""
        return next((e for e in self.edits if e.id == indsats_id), RowEdit(indsats_id))

    def weight(self, goal: str) -> float:
        return dict(self.goal_weights).get(goal, 1.0)

    def key(self) -> str:
        """One canonical text for these settings (equal settings, equal keys): the cache key."""
        return json.dumps(_plain(self), sort_keys=True, ensure_ascii=False, default=str)

    # --- changing ------------------------------------------------------------------------------
    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)

    def with_budget(self, year: Year, kr: float) -> Settings:
        return self.replace(budget=tuple((y, float(kr) if y == year else v) for y, v in self.budget))

    def with_weight(self, goal: str, weight: float) -> Settings:
        return self.replace(goal_weights=_set_pair(self.goal_weights, goal, weight, default=1.0))

    def with_limit(self, which: str, key: str, kr: float | None) -> Settings:
        """A limit set (kr) or removed (None); `which` is udvalg_min, udvalg_max or goal_min."""
        return self.replace(**{which: _set_pair(getattr(self, which), key, kr, default=None)})

    def pinned(self, result: Result, origin: str) -> Settings:
        """The settings with `result`'s allocation as the reference (whole kroner, funded amounts only);
        origin "first" (the first optimum, pinned by the app) or "pinned" (by the user)."""
        allocation = result.allocation
        rows = [
            (indsats_id, year, float(round(kr)))
            for year in result.years
            for indsats_id, kr in zip(allocation["id"], allocation[year_column(year)], strict=True)
            if round(kr) > 0
        ]
        return self.replace(reference=tuple(sorted(rows, key=lambda r: (r[0], str(r[1])))), reference_origin=origin)

    def with_edit(self, edit: RowEdit) -> Settings:
        """The settings with this row's changes (replacing the row's earlier ones; an empty row drops out)."""
        others = [e for e in self.edits if e.id != edit.id]
        kept = [*others, edit] if not edit.is_empty or edit.reason else others
        return self.replace(edits=tuple(sorted(kept, key=lambda e: e.id)))

    # --- to a solve ----------------------------------------------------------------------------
    def constraints(self) -> tuple[Constraint, ...]:
        """The constraints these settings add, in a fixed order: limits, then each row's, then a file's extras."""
        found: list[Constraint] = [UdvalgMin(u, kr=kr) for u, kr in self.udvalg_min]
        found += [UdvalgMax(u, kr=kr) for u, kr in self.udvalg_max]
        found += [GoalMin(g, kr=kr) for g, kr in self.goal_min]
        for e in self.edits:
            if e.exclude:
                found.append(Exclude(e.id))
            found += [Lock(e.id, kr, year=year) for year, kr in e.lock]
            if e.partial is True:
                found.append(Scalable(e.id))
            elif e.partial is False:
                found.append(AllOrNothing(e.id))
        return (*found, *self.extra_constraints)

    def assumptions(self) -> Assumptions:
        """The figures the table supplies (with their reasons), over a scenario file's other assumptions."""
        extra = self.extra_assumptions
        reach = {**extra.reach, **{e.id: e.reach for e in self.edits if e.reach is not None}}
        cost = {**extra.cost, **{e.id: e.cost_kr for e in self.edits if e.cost_kr is not None}}
        extend = {**extra.extend, **{e.id: dict(e.extend) for e in self.edits if e.extend}}
        reasons = dict(extra.reasons)
        for e in self.edits:
            if e.reason:
                for what, given in (("reach", e.reach), ("cost", e.cost_kr), ("extend", e.extend or None)):
                    if given is not None:
                        reasons[f"{what}.{e.id}"] = e.reason
        return dataclasses.replace(extra, reach=reach, cost=cost, extend=extend, reasons=reasons)

    def to_inputs(self, catalog: pd.DataFrame | Inputs) -> Inputs:
        """The Inputs of a solve over `catalog` (raises SpecError when a name does not fit the catalog). Given
        Inputs over the catalog (checked once, as the app keeps them), only these settings are checked."""
        base = catalog if isinstance(catalog, Inputs) else Inputs(catalog, 0.0)  # the settings are checked together
        return base.replace(
            budget=self.budget_value,
            goal_weights=dict(self.goal_weights),
            evidence_weight=self.evidence_weight,
            constraints=self.constraints(),
            assumptions=self.assumptions(),
        )

    def structure_key(self) -> str:
        """What a compiled model depends on besides the pulje and the weights (the constraints and figures)."""
        plain = _fields(self)
        return json.dumps(
            {
                k: plain[k]
                for k in (
                    "catalog",
                    "udvalg_min",
                    "udvalg_max",
                    "goal_min",
                    "edits",
                    "extra_constraints",
                    "extra_assumptions",
                )
            }
            | {"years": [str(y) for y in self.years]},
            sort_keys=True,
            ensure_ascii=False,
            default=str,
        )


def _set_pair(pairs: Pairs, key: str, value: float | None, *, default: float | None) -> Pairs:
    """Pairs with `key` set to `value`, or dropped when the value is the default; sorted by key."""
    table = dict(pairs)
    if value is None or value == default:
        table.pop(key, None)
    else:
        table[key] = float(value)
    return tuple(sorted(table.items()))


def _plain(value: object) -> object:
    """A JSON-ready form of settings (constraints by kind and fields, mappings sorted)."""
    if isinstance(value, Constraint) and dataclasses.is_dataclass(value):
        return {"kind": value.kind, **_fields(value)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _fields(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _fields(value: DataclassInstance) -> dict[str, object]:
    """A dataclass's fields in their JSON-ready form, by name."""
    return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}


@dataclass(frozen=True)
class Ranges:
    """How far the app's sliders reach on a catalog: the pulje per year, each udvalg's and goal's total ask
    per year (a limit at or above it cannot bind), and a step that keeps the starting pulje on the grid."""

    pulje_high: float
    step: float
    udvalg_high: dict[str, float]
    goal_high: dict[str, float]


STEPS = (100_000.0, 50_000.0, 10_000.0, 5_000.0, 1_000.0)


def control_ranges(catalog: pd.DataFrame, settings: Settings) -> Ranges:
    """The sliders' ranges for a catalog and its starting settings."""
    rows = catalog[~catalog["fixed"]]
    cost = rows["cost_kr"].fillna(0.0).to_numpy()
    udvalg: dict[str, float] = {}
    goals: dict[str, float] = {}
    for kr, members, serves in zip(cost, rows["udvalg"], rows["goals"], strict=True):
        for u in members:
            udvalg[u] = udvalg.get(u, 0.0) + kr / len(members)
        for g in serves:
            goals[g] = goals.get(g, 0.0) + kr
    largest = max([kr for _, kr in settings.budget] + [0.0])
    high = max(2 * largest, float(cost.sum()), 100_000.0)
    step = next((s for s in STEPS if high / s >= 100 and all(kr % s == 0 for _, kr in settings.budget)), 1_000.0)
    return Ranges(
        _ceil(high, step),
        step,
        {u: _ceil(v, step) for u, v in udvalg.items()},
        {g: _ceil(v, step) for g, v in goals.items()},
    )


def _ceil(value: float, step: float) -> float:
    return float(max(step, -(-value // step) * step))
