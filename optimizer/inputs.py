"""The inputs of a solve as one frozen value: catalog, pulje, weights, constraints and assumptions.

`Inputs` checks itself when built: every number finite and in range, and every name it uses (goal,
indsats id, udvalg, year) known to the catalog and the pulje. All problems are reported at once, each
with its key path (`constraints[2].udvalg`), with the nearest known name where one is close.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from optimizer.catalog import goal_titles, validate_catalog
from optimizer.cells import objects
from optimizer.constraints import Constraint, Year
from optimizer.errors import InputProblem, SpecError
from optimizer.limits import MAX_KR, MAX_REACH, MAX_WEIGHT, check_number, is_real

RANGE_POLICIES = ("low", "mid", "high")
DEFAULT_EVIDENCE_WEIGHT = 1.0
Budget = float | Mapping[Year, float]
Path = tuple[str | int, ...]


def _numbers(
    values: object, path: Path, high: float, problems: list[InputProblem], *, positive: bool = False
) -> dict[Any, float]:
    """A {key: number} table with every value finite and in [0, high] (numpy numbers accepted); the keys are
    kept as given (ids, udvalg, goals or years)."""
    if not isinstance(values, Mapping):
        problems.append(InputProblem(path, f"expected a table of numbers, got {values!r}"))
        return {}
    result: dict[Any, float] = {}
    for key, value in values.items():
        try:
            number = check_number(value, "the value", high=high)
        except ValueError as exc:
            problems.append(InputProblem((*path, key), str(exc)))
            continue
        if positive and number == 0:
            problems.append(InputProblem((*path, key), "must be positive"))
            continue
        result[key] = number
    return result


@dataclass(frozen=True)
class Assumptions:
    """Values the user supplies where the catalog is silent or should be overridden (all optional).

    reach / cost: per-indsats figures (reach per year at full scale, cost in kr. per year).
    intensity: how much one person reached counts (default 1; e.g. 3 for a year-long programme).
    udvalg_split: for an indsats shared by udvalg, its split, e.g. {"x": {"SU": 0.7, "KFU": 0.3}}.
    extend ("udvid"): {id: {year: kr}}, what an indsats may get in a year beyond what it asks for that
    year (or in a year it asks for nothing); its full-scale cost in that year becomes this amount.
    range_reach: how a stated range ("40-60") is read when no point figure is given: low, mid, high.
    reasons: why, per assumption, keyed "reach.<id>", "cost.<id>", "intensity.<id>" or "extend.<id>".
    """

    reach: Mapping[str, float] = field(default_factory=dict)
    cost: Mapping[str, float] = field(default_factory=dict)
    intensity: Mapping[str, float] = field(default_factory=dict)
    udvalg_split: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    extend: Mapping[str, Mapping[Year, float]] = field(default_factory=dict)
    range_reach: str = "low"
    reasons: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        problems: list[InputProblem] = []
        set_ = object.__setattr__
        set_(self, "reach", _numbers(self.reach, ("assumptions", "reach"), MAX_REACH, problems))
        set_(self, "cost", _numbers(self.cost, ("assumptions", "cost"), MAX_KR, problems, positive=True))
        set_(self, "intensity", _numbers(self.intensity, ("assumptions", "intensity"), MAX_WEIGHT, problems))
        splits = self.udvalg_split if isinstance(self.udvalg_split, Mapping) else {}
        set_(
            self,
            "udvalg_split",
            {k: _numbers(v, ("assumptions", "udvalg_split", k), 1.0, problems) for k, v in splits.items()},
        )
        extend = self.extend if isinstance(self.extend, Mapping) else {}
        set_(
            self, "extend", {k: _numbers(v, ("assumptions", "extend", k), MAX_KR, problems) for k, v in extend.items()}
        )
        if self.range_reach not in RANGE_POLICIES:
            problems.append(
                InputProblem(
                    ("assumptions", "range_reach"), f"expected one of {RANGE_POLICIES}, got {self.range_reach!r}"
                )
            )
        set_(self, "reasons", {str(k): str(v) for k, v in dict(self.reasons).items()})
        if problems:
            raise SpecError(problems)

    def reason(self, what: str, indsats_id: str) -> str | None:
        """The user's reason for an assumption, if given."""
        return self.reasons.get(f"{what}.{indsats_id}")


@dataclass(frozen=True)
class Known:
    """The names a constraint or assumption may use: the catalog's ids, udvalg and goals, the pulje's years."""

    ids: tuple[str, ...]
    udvalg: tuple[str, ...]
    goals: tuple[str, ...]
    years: tuple[Year, ...]

    @cached_property
    def id_set(self) -> frozenset[str]:
        return frozenset(self.ids)

    def check_id(self, where: str, value: str) -> Iterator[tuple[str, str]]:
        if value not in self.id_set:
            yield where, f"unknown indsats id {value!r}{_nearest(value, self.ids)}"

    def check_udvalg(self, where: str, value: str) -> Iterator[tuple[str, str]]:
        if value not in self.udvalg:
            yield where, f"udvalg {value!r} does not occur in the catalog{_nearest(value, self.udvalg, 'udvalg')}"

    def check_goal(self, where: str, value: str) -> Iterator[tuple[str, str]]:
        if value not in self.goals:
            yield where, f"unknown goal {value!r}{_nearest(value, self.goals, 'goals')}"

    def check_year(self, where: str, value: Year) -> Iterator[tuple[str, str]]:
        labels = [str(y) for y in self.years if y is not None]
        if str(value) not in labels:
            pulje = f"its years are {', '.join(labels)}" if labels else "it is for one year, none named"
            yield where, f"year {value} is not a year of the pulje ({pulje})"


@dataclass(frozen=True)
class _Checked:
    """A catalog these Inputs checked already and own (passed on by `replace`), with the names it holds and its
    columns as arrays."""

    catalog: pd.DataFrame
    names: _Names
    columns: tuple[Table, Table]


_Names = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]  # ids, udvalg, goals
Table = dict[str, np.ndarray]  # catalog columns as arrays, for some of its rows


def catalog_columns(catalog: pd.DataFrame) -> tuple[Table, Table]:
    """A validated catalog's columns as read-only arrays (numbers as floats, scalable as True/False/None), for
    the indsatser and for the fixed lines: read once when Inputs check their catalog, not on every solve."""
    bare = catalog.copy(deep=False)
    bare.attrs = {}  # each column read without copying the catalog's attributes
    table: Table = {}
    for column in ("id", "name", "udvalg", "goals", "reach_unit", "requires", "asks"):
        table[column] = bare[column].to_numpy(dtype=object)
    for column in ("cost_kr", "min_kr", "max_kr", "setup_kr", "reach", "reach_min", "reach_max", "stars", "intensity"):
        table[column] = bare[column].to_numpy(dtype=float)
    table["scalable"] = objects(bare["scalable"])
    is_fixed = bare["fixed"].to_numpy(dtype=bool)
    if is_fixed.any():
        parts = ({c: v[~is_fixed] for c, v in table.items()}, {c: v[is_fixed] for c, v in table.items()})
    else:
        parts = (table, {c: v[:0] for c, v in table.items()})
    for part in parts:
        for values in part.values():
            values.setflags(write=False)
    return parts


def _names(catalog: pd.DataFrame) -> _Names:
    """The ids, the udvalg (sorted) and the goal keys of a validated catalog."""
    udvalg = {u for combination in pd.unique(catalog["udvalg"].to_numpy(dtype=object)) for u in combination}
    return tuple(catalog["id"].to_numpy(dtype=object)), tuple(sorted(udvalg)), tuple(goal_titles(catalog))


def _nearest(value: str, known: tuple[str, ...], listing: str = "") -> str:
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    shown = f" ({listing}: {', '.join(known)})" if listing and len(known) <= 12 else ""
    return hint + shown if hint else shown


@dataclass(frozen=True, eq=False)
class Inputs:
    """Everything a solve depends on. Built once, checked once; `replace()` gives a changed copy.

    catalog: a validated catalog (load_catalog, or a DataFrame in the same schema, which is checked). Inputs keep
    their own checked copy, its columns read into arrays once; `replace()` passes both on without checking or
    reading them again (edit a copy of the catalog and pass that).
    budget: kroner for one year, or {year: kroner} to plan several years at once.
    goal_weights: weight per goal key (default 1 each); evidence_weight: a star multiplies value by (1 + w).
    constraints: values from optimizer.constraints; assumptions: figures the catalog lacks.
    """

    catalog: pd.DataFrame
    budget: Budget
    goal_weights: Mapping[str, float] = field(default_factory=dict)
    evidence_weight: float = DEFAULT_EVIDENCE_WEIGHT
    constraints: tuple[Constraint, ...] = ()
    assumptions: Assumptions = field(default_factory=Assumptions)
    _names: _Names = field(init=False, repr=False, compare=False)  # set by __post_init__, passed on by replace()
    _columns: tuple[Table, Table] = field(init=False, repr=False, compare=False)  # the same

    def __post_init__(self) -> None:
        problems: list[InputProblem] = []
        set_ = object.__setattr__
        checked = self.catalog if isinstance(self.catalog, _Checked) else None
        set_(self, "catalog", checked.catalog if checked else validate_catalog(self.catalog))
        set_(self, "_names", checked.names if checked else _names(self.catalog))
        set_(self, "_columns", checked.columns if checked else catalog_columns(self.catalog))
        set_(self, "budget", _budget(self.budget, problems))
        set_(self, "goal_weights", _numbers(self.goal_weights or {}, ("goal_weights",), MAX_WEIGHT, problems))
        try:
            set_(self, "evidence_weight", check_number(self.evidence_weight, "the weight", high=MAX_WEIGHT))
        except ValueError as exc:
            problems.append(InputProblem(("evidence_weight",), str(exc)))
        constraints = tuple(self.constraints or ())
        for k, constraint in enumerate(constraints):
            if not isinstance(constraint, Constraint):
                problems.append(InputProblem(("constraints", k), f"{constraint!r} is not a pulje constraint"))
        set_(self, "constraints", constraints)
        if not isinstance(self.assumptions, Assumptions):
            problems.append(InputProblem(("assumptions",), "expected an Assumptions value"))
        if not problems:
            problems = list(self._meaning_problems())
        if problems:
            raise SpecError(problems)

    def __eq__(self, other: object) -> bool:
        """Equal inputs: the same catalog (cell by cell) and the same budget, weights, constraints, assumptions."""
        if not isinstance(other, Inputs):
            return NotImplemented
        same_catalog = self.catalog is other.catalog or (
            list(self.catalog.columns) == list(other.catalog.columns) and self.catalog.equals(other.catalog)
        )
        return same_catalog and (self.budget, dict(self.goal_weights), self.evidence_weight, self.constraints,
                                 self.assumptions) == (other.budget, dict(other.goal_weights), other.evidence_weight,
                                                       other.constraints, other.assumptions)  # fmt: skip

    # unhashable on purpose (a DataFrame inside, equal by value); mypy wants a method in this slot
    __hash__ = None  # type: ignore[assignment]

    @property
    def years(self) -> tuple[Year, ...]:
        """The pulje's years; (None,) for a single-year pulje."""
        return tuple(self.budget) if isinstance(self.budget, Mapping) else (None,)

    @property
    def pulje(self) -> tuple[float, ...]:
        """The pulje per year, in the order of `years`."""
        return tuple(self.budget.values()) if isinstance(self.budget, Mapping) else (float(self.budget),)

    def replace(self, **changes: Any) -> Inputs:
        """A copy with some fields changed (checked again; the catalog only when it is among them)."""
        changes.setdefault("catalog", _Checked(self.catalog, self._names, self._columns))
        return dataclasses.replace(self, **changes)

    @property
    def columns(self) -> tuple[Table, Table]:
        """The catalog's columns as read-only arrays, for the indsatser and the fixed lines (catalog_columns)."""
        return self._columns

    def known(self) -> Known:
        ids, udvalg, goals = self._names
        return Known(ids=ids, udvalg=udvalg, goals=goals, years=self.years)

    def _meaning_problems(self) -> Iterator[InputProblem]:
        known = self.known()
        for key in self.goal_weights:
            for _, message in known.check_goal("", key):
                yield InputProblem(("goal_weights", key), message)
        seen: dict[str, int] = {}
        for k, constraint in enumerate(self.constraints):
            for where, message in constraint.problems(known):
                yield InputProblem(("constraints", k, where), message)
            for key in constraint.row_keys(self.years):
                if key in seen:
                    yield InputProblem(("constraints", k), f"{key} is given twice (also constraints[{seen[key]}])")
                    break
                seen[key] = k
        a = self.assumptions
        for what in ("reach", "cost", "intensity", "udvalg_split", "extend"):
            for key in getattr(a, what):
                for _, message in known.check_id("", key):
                    yield InputProblem(("assumptions", what, key), message)
        for key, years in a.extend.items():
            for year in years:
                for _, message in known.check_year("", year):
                    yield InputProblem(("assumptions", "extend", key, str(year)), message)
        yield from _split_problems(self.catalog, a)


def _budget(budget: object, problems: list[InputProblem]) -> Budget:
    if isinstance(budget, Mapping):
        if not budget:
            problems.append(InputProblem(("budget",), "the budget has no years"))
        result: dict[Year, float] = {}
        for year, amount in budget.items():
            label = year if isinstance(year, str) else int(year) if is_real(year) and float(year).is_integer() else None
            if label is None or (isinstance(label, str) and not label.strip()):
                problems.append(InputProblem(("budget", str(year)), f"{year!r} is not a year"))
                continue
            try:
                result[label] = check_number(amount, f"the budget for {year}", high=MAX_KR, noun="amount in kroner")
            except ValueError as exc:
                problems.append(InputProblem(("budget", str(year)), str(exc)))
        return result
    try:
        return check_number(budget, "the budget", high=MAX_KR, noun="amount in kroner")
    except ValueError as exc:
        problems.append(InputProblem(("budget",), str(exc)))
        return 0.0


def _split_problems(catalog: pd.DataFrame, assumptions: Assumptions) -> Iterator[InputProblem]:
    if not assumptions.udvalg_split:
        return
    udvalg_of = dict(zip(catalog["id"], catalog["udvalg"], strict=True))
    for key, split in assumptions.udvalg_split.items():
        path = ("assumptions", "udvalg_split", key)
        if key not in udvalg_of:
            continue  # reported as an unknown id
        foreign = sorted(set(split) - set(udvalg_of[key]))
        if foreign:
            yield InputProblem(path, f"names {foreign}, not its udvalg {list(udvalg_of[key])}")
        elif not math.isclose(sum(split.values()), 1.0, abs_tol=1e-9):
            yield InputProblem(path, f"shares must sum to 1, got {dict(split)}")
