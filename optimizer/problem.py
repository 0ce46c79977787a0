"""Turn a catalog, a pulje and the user's weights and assumptions into the numbers the model needs.

This is where missing data is caught: a missing reach or cost is never imputed, the solve refuses
and lists the indsatser that need an assumption. Every figure that is not taken literally from the
catalog (a range read at its low end, an overridden reach, an unstated scalability) is recorded in
`Instance.notes`, which every result shows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from optimizer.catalog import goal_titles, validate_catalog
from optimizer.errors import MissingDataError, SpecError
from optimizer.numbers import format_kr

RANGE_POLICIES = ("low", "mid", "high")
DEFAULT_EVIDENCE_WEIGHT = 1.0


@dataclass(frozen=True)
class Assumptions:
    """Values the user supplies where the catalog is silent or should be overridden (all optional).

    reach / cost: per-indsats figures (reach per year at full scale, cost in kr. per year).
    intensity: how much one person reached counts (default 1; e.g. 3 for a year-long programme).
    udvalg_split: for an indsats shared by udvalg, its split, e.g. {"x": {"SU": 0.7, "KFU": 0.3}}.
    range_reach: how a stated range ("40-60") is read when no point figure is given: low, mid, high.
    reasons: why, per assumption, keyed "reach.<id>", "cost.<id>" or "intensity.<id>"; shown with it.
    """

    reach: Mapping[str, float] = field(default_factory=dict)
    cost: Mapping[str, float] = field(default_factory=dict)
    intensity: Mapping[str, float] = field(default_factory=dict)
    udvalg_split: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    range_reach: str = "low"
    reasons: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.range_reach not in RANGE_POLICIES:
            raise SpecError(f"range_reach must be one of {RANGE_POLICIES}, got {self.range_reach!r}")
        for what, values in (("reach", self.reach), ("cost", self.cost), ("intensity", self.intensity)):
            for key, value in values.items():
                if not isinstance(value, int | float) or math.isnan(value) or value < 0:
                    raise SpecError(f"assumed {what} for {key!r} must be a non-negative number, got {value!r}")
                if what == "cost" and value == 0:
                    raise SpecError(f"assumed cost for {key!r} must be positive")


@dataclass
class Instance:
    """The numbers of one optimization problem, one row per indsats (fixed lines are kept apart)."""

    ids: list[str]
    names: list[str]
    udvalg: list[tuple[str, ...]]
    goals: list[tuple[str, ...]]
    cost: np.ndarray
    low: np.ndarray  # minimum viable amount when funded (0 = any amount)
    high: np.ndarray  # maximum amount per year
    binary: np.ndarray  # all-or-nothing at cost
    setup: np.ndarray  # first-year set-up cost
    reach: np.ndarray
    stars: np.ndarray
    intensity: np.ndarray
    years: list
    pulje: np.ndarray  # budget per year
    fixed: np.ndarray  # fixed lines per year, taken off the top
    goal_keys: list[str]
    goal_titles: dict[str, str]
    goal_weights: dict[str, float]
    evidence_weight: float
    split: dict[str, dict[str, float]]  # id -> udvalg -> share
    requires: list[tuple[str, str]]  # (id, prerequisite) from the catalog
    reach_units: list[str]
    notes: list[str] = field(default_factory=list)
    unstated_scalable: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def single_year(self) -> bool:
        return self.years == [None]

    def index_of(self, indsats_id: str) -> int:
        try:
            return self.ids.index(indsats_id)
        except ValueError:
            raise SpecError(f"unknown indsats id {indsats_id!r}") from None

    def year_indices(self, year: object) -> list[int]:
        if year is None:
            return list(range(len(self.years)))
        for t, label in enumerate(self.years):
            if label is not None and str(label) == str(year):
                return [t]
        raise SpecError(f"year {year!r} is not a year of the pulje (years: {self.years})")

    def make_scalable(self, i: int) -> None:
        self.binary[i] = False
        self.low[i] = 0.0 if math.isnan(self.low[i]) or self.low[i] == self.cost[i] else self.low[i]

    def value_per_kr(self) -> np.ndarray:
        """Value per krone: reach per krone × weighted goal coverage × evidence factor × intensity."""
        return self.value_by_goal().sum(axis=1)

    def value_by_goal(self) -> np.ndarray:
        """Per-indsats value per krone split by goal (n × goals); rows sum to value_per_kr()."""
        weights = np.array([self.goal_weights.get(g, 1.0) for g in self.goal_keys])
        return (self.reach[:, None] * self.value_per_reach_and_weight()) * weights[None, :]

    def value_per_reach_and_weight(self) -> np.ndarray:
        """(1 + w_e · stars) · intensity / cost for each goal an indsats serves, 0 elsewhere (n × goals):
        the value per krone before reach and goal weight, which robustness draws multiply by."""
        member = np.array([[g in goals for g in self.goal_keys] for goals in self.goals], dtype=float)
        per_krone = (1.0 + self.evidence_weight * self.stars) * self.intensity / self.cost
        return per_krone[:, None] * member.reshape(self.n, len(self.goal_keys))


def prepare(
    catalog: pd.DataFrame,
    budget: float | Mapping[object, float],
    *,
    goal_weights: Mapping[str, float] | None = None,
    evidence_weight: float = DEFAULT_EVIDENCE_WEIGHT,
    constraints: Iterable[object] = (),
    assumptions: Assumptions | None = None,
    optimizing: bool = True,
) -> Instance:
    """Check the inputs against the catalog and build the Instance, applying figure constraints.

    optimizing=False (valuing a given allocation) leaves out the notes on how the optimizer would
    fund indsatser whose scalability is not stated: a given amount is valued as it is.
    """
    catalog = validate_catalog(catalog)
    assumptions = assumptions or Assumptions()
    constraints = list(constraints)
    years, pulje = _budget(budget)
    titles = goal_titles(catalog)
    weights = _goal_weights(goal_weights, titles)
    if not isinstance(evidence_weight, int | float) or math.isnan(evidence_weight) or evidence_weight < 0:
        raise SpecError(f"evidence_weight must be a non-negative number, got {evidence_weight!r}")
    _check_assumption_ids(assumptions, set(catalog["id"]))
    notes: list[str] = []
    fixed_rows = catalog[catalog["fixed"]]
    rows = catalog[~catalog["fixed"]].reset_index(drop=True)
    fixed = _fixed_total(fixed_rows, assumptions, len(years))
    inst = Instance(
        ids=list(rows["id"]),
        names=list(rows["name"]),
        udvalg=list(rows["udvalg"]),
        goals=list(rows["goals"]),
        cost=np.array([assumptions.cost.get(i, c) for i, c in zip(rows["id"], rows["cost_kr"], strict=True)]),
        low=rows["min_kr"].to_numpy(float).copy(),
        high=rows["max_kr"].to_numpy(float).copy(),
        binary=np.zeros(len(rows), dtype=bool),
        setup=rows["setup_kr"].fillna(0.0).to_numpy(float).copy(),
        reach=np.full(len(rows), math.nan),
        stars=rows["stars"].fillna(0.0).to_numpy(float),
        intensity=np.array(
            [
                assumptions.intensity.get(i, 1.0 if math.isnan(v) else v)
                for i, v in zip(rows["id"], rows["intensity"], strict=True)
            ]
        ),
        years=years,
        pulje=pulje,
        fixed=fixed,
        goal_keys=list(titles),
        goal_titles=titles,
        goal_weights=weights,
        evidence_weight=float(evidence_weight),
        split=_splits(rows, assumptions),
        requires=[(i, r) for i, reqs in zip(rows["id"], rows["requires"], strict=True) for r in reqs],
        reach_units=list(rows["reach_unit"]),
        notes=notes,
    )
    excluded = _excluded_everywhere(constraints, len(years))
    _check_costs(inst, fixed_rows, assumptions, excluded)
    _set_bounds(inst, rows)
    _set_reach(inst, rows, assumptions, excluded)
    for constraint in constraints:
        if hasattr(constraint, "apply"):
            constraint.apply(inst)
        elif not hasattr(constraint, "compile"):
            raise SpecError(f"{constraint!r} is not a pulje constraint")
    if optimizing:
        _note_unstated_scalability(inst)
    _note_assumptions(inst, assumptions)
    return inst


def _budget(budget: float | Mapping[object, float]) -> tuple[list, np.ndarray]:
    if isinstance(budget, Mapping):
        if not budget:
            raise SpecError("the budget has no years")
        years = list(budget)
        amounts = list(budget.values())
    else:
        years, amounts = [None], [budget]
    for year, amount in zip(years, amounts, strict=True):
        if isinstance(amount, bool) or not isinstance(amount, int | float) or math.isnan(amount) or amount < 0:
            where = "" if year is None else f" for {year}"
            raise SpecError(f"the budget{where} must be a non-negative amount in kroner, got {amount!r}")
    return years, np.array(amounts, dtype=float)


def _goal_weights(goal_weights: Mapping[str, float] | None, titles: dict[str, str]) -> dict[str, float]:
    weights = dict.fromkeys(titles, 1.0)
    for key, value in (goal_weights or {}).items():
        if key not in titles:
            raise SpecError(f"unknown goal {key!r} in goal weights (goals: {', '.join(titles)})")
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value) or value < 0:
            raise SpecError(f"goal weight for {key!r} must be a non-negative number, got {value!r}")
        weights[key] = float(value)
    return weights


def _check_assumption_ids(assumptions: Assumptions, known: set[str]) -> None:
    for what in ("reach", "cost", "intensity", "udvalg_split"):
        for key in getattr(assumptions, what):
            if key not in known:
                raise SpecError(f"assumed {what} for unknown indsats id {key!r}")


def _fixed_total(rows: pd.DataFrame, assumptions: Assumptions, n_years: int) -> np.ndarray:
    """The fixed lines' total per year; a line without an amount counts 0 here and is reported by _check_costs."""
    amounts = [assumptions.cost.get(i, c) for i, c in zip(rows["id"], rows["cost_kr"], strict=True)]
    return np.full(n_years, sum(kr for kr in amounts if not math.isnan(kr)), dtype=float)


def _excluded_everywhere(constraints: list[object], n_years: int) -> set[str]:
    from optimizer.constraints import Exclude

    return {c.id for c in constraints if isinstance(c, Exclude) and (c.year is None or n_years == 1)}


def _check_costs(inst: Instance, fixed_rows: pd.DataFrame, assumptions: Assumptions, excluded: set[str]) -> None:
    """Refuse, listing every indsats and fixed line whose cost is not stated (unless assumed or excluded)."""
    stated = zip(fixed_rows["id"], fixed_rows["cost_kr"], strict=True)
    missing = [i for i, c in stated if math.isnan(c) and i not in assumptions.cost]
    missing += [i for i, c in zip(inst.ids, inst.cost, strict=True) if math.isnan(c) and i not in excluded]
    if missing:
        raise MissingDataError(
            "cost_kr is not stated for: "
            + ", ".join(missing)
            + ". Supply a cost assumption for each (or exclude the indsatser).",
            missing,
        )
    inst.cost = np.where(np.isnan(inst.cost), 1.0, inst.cost)  # excluded rows: any positive placeholder


def _set_bounds(inst: Instance, rows: pd.DataFrame) -> None:
    unstated = []
    for i, scalable in enumerate(rows["scalable"]):
        cost = inst.cost[i]
        if pd.isna(scalable) or not scalable:
            inst.binary[i], inst.low[i], inst.high[i] = True, cost, cost
            if pd.isna(scalable):
                unstated.append(inst.ids[i])
        else:
            inst.low[i] = 0.0 if math.isnan(inst.low[i]) else inst.low[i]
            inst.high[i] = cost if math.isnan(inst.high[i]) else inst.high[i]
    inst.unstated_scalable = unstated


def _note_unstated_scalability(inst: Instance) -> None:
    still = [i for i in inst.unstated_scalable if inst.binary[inst.index_of(i)]]
    if still:
        inst.notes.append(
            f"Scalability is not stated for {len(still)} indsats(er) ({', '.join(still)}): "
            "each is funded at its full cost or not at all. Scalable(id) (CLI: --scalable ID) allows partial funding."
        )


def _set_reach(inst: Instance, rows: pd.DataFrame, assumptions: Assumptions, excluded: set[str]) -> None:
    prerequisites = {r for _, r in inst.requires}
    missing = []
    for i, row in enumerate(rows.itertuples(index=False)):
        reach, low, high = row.reach, row.reach_min, row.reach_max
        if row.id in assumptions.reach:
            inst.reach[i] = assumptions.reach[row.id]
        elif not math.isnan(reach):
            inst.reach[i] = reach
        elif not (math.isnan(low) and math.isnan(high)):
            inst.reach[i] = _read_range(low, high, assumptions.range_reach)
            stated = (
                f"{low:g}-{high:g}"
                if not (math.isnan(low) or math.isnan(high))
                else f"{low if math.isnan(high) else high:g}"
            )
            inst.notes.append(
                f"Reach of {row.id} read as {inst.reach[i]:g} ({assumptions.range_reach} of the stated {stated})."
            )
        elif row.id in prerequisites:
            inst.reach[i] = 0.0
            inst.notes.append(f"{row.id} reaches no one by itself: it is valued through what requires it.")
        elif row.id in excluded:
            inst.reach[i] = 0.0
        else:
            missing.append(f"{row.id} ({row.name})")
    if missing:
        raise MissingDataError(
            "reach is not stated for: "
            + "; ".join(missing)
            + ". Supply a reach assumption for each (citizens reached per year at full scale), or exclude them.",
            [m.split(" ", 1)[0] for m in missing],
        )


def _read_range(low: float, high: float, policy: str) -> float:
    if math.isnan(high):
        return low
    if math.isnan(low):
        return high
    return {"low": low, "mid": (low + high) / 2, "high": high}[policy]


def _splits(rows: pd.DataFrame, assumptions: Assumptions) -> dict[str, dict[str, float]]:
    splits = {}
    for indsats_id, udvalg in zip(rows["id"], rows["udvalg"], strict=True):
        given = assumptions.udvalg_split.get(indsats_id)
        if given is None:
            splits[indsats_id] = {u: 1.0 / len(udvalg) for u in udvalg}
            continue
        if set(given) - set(udvalg):
            raise SpecError(
                f"udvalg split for {indsats_id!r} names {sorted(set(given) - set(udvalg))}, not its udvalg {udvalg}"
            )
        if not math.isclose(sum(given.values()), 1.0, abs_tol=1e-9) or min(given.values()) < 0:
            raise SpecError(
                f"udvalg split for {indsats_id!r} must be non-negative shares summing to 1, got {dict(given)}"
            )
        splits[indsats_id] = {u: float(given.get(u, 0.0)) for u in udvalg}
    return splits


def _note_assumptions(inst: Instance, assumptions: Assumptions) -> None:
    def why(key: str) -> str:
        reason = assumptions.reasons.get(key)
        return f"user assumption: {reason}" if reason else "user assumption"

    for indsats_id, value in assumptions.reach.items():
        inst.notes.append(f"Assumed reach of {indsats_id}: {value:g} per year ({why(f'reach.{indsats_id}')}).")
    for indsats_id, value in assumptions.cost.items():
        inst.notes.append(f"Assumed cost of {indsats_id}: {format_kr(value)} per year ({why(f'cost.{indsats_id}')}).")
    for indsats_id, value in assumptions.intensity.items():
        inst.notes.append(
            f"Intensity of {indsats_id}: {value:g}, one person reached counts {value:g} times "
            f"({why(f'intensity.{indsats_id}')})."
        )
    for indsats_id, split in assumptions.udvalg_split.items():
        parts = ", ".join(f"{u} {s:.0%}" for u, s in split.items())
        inst.notes.append(f"Udvalg split of {indsats_id}: {parts} (user assumption).")
