"""Constraints as small declarative values, named like the policy they express.

Two kinds, by base class: a `RowRule` adds named rows to the model (its `compile` is called by the
model builder, the one place that turns constraints into solver rows); a `FigureRule` changes an
indsats's own figures before the model is built (its `apply`), in a fixed order of stages whatever the
order the user lists them in. Every row gets a readable name such as `udvalg_max[AUU]` or
`lock[fb21-cricket,2022]`, so prices, slacks and conflicts read like the policy.
Amounts are kroner per year; `year=None` means every year of the pulje.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import Field, dataclass, fields
from typing import Any, ClassVar, Protocol

import numpy as np

from optimizer.errors import SpecError
from optimizer.formats import format_kr
from optimizer.limits import MAX_KR, check_number, is_real

Year = int | str | None
Members = tuple[np.ndarray, np.ndarray]  # indsats indices and the weight of a krone to each


class Names(Protocol):
    """What a constraint's names are checked against (inputs.Known): each check yields (field, message)."""

    def check_id(self, where: str, value: str) -> Iterator[tuple[str, str]]: ...
    def check_udvalg(self, where: str, value: str) -> Iterator[tuple[str, str]]: ...
    def check_goal(self, where: str, value: str) -> Iterator[tuple[str, str]]: ...
    def check_year(self, where: str, value: Year) -> Iterator[tuple[str, str]]: ...


class Builder(Protocol):
    """What a row rule compiles against (model.ModelBuilder): the catalog's indices and the rows it can add."""

    @property
    def n(self) -> int: ...
    @property
    def n_years(self) -> int: ...

    def index_of(self, indsats_id: str) -> int: ...
    def pulje(self, t: int) -> float: ...
    def years_of(self, year: Year) -> list[int]: ...
    def udvalg_members(self, udvalg: str) -> Members: ...
    def goal_members(self, goal: str) -> Members: ...
    def goal_value(self, goal: str) -> np.ndarray: ...
    def kroner_row(self, constraint: Constraint, label: str, t: int, members: Members | dict[int, float], *,
                   lower: float = ..., upper: float = ..., about: str, pulje_share: float | None = ...
                   ) -> None: ...  # fmt: skip
    def continuity_row(self, constraint: Continuity, i: int, t: int) -> None: ...
    def requires_row(self, constraint: Requires, later: int, first: int, t: int) -> None: ...
    def exclusive_row(self, constraint: MutuallyExclusive, indices: list[int], t: int) -> None: ...
    def value_row(self, constraint: GoalValueMin, label: str, value: np.ndarray, lower: float) -> None: ...


class Draft(Protocol):
    """What a figure rule changes (instance.Draft): an indsats's funding form and bounds, set-up, fixed lines."""

    def set_binary(self, indsats_id: str, binary: bool) -> None: ...
    def set_funding_bound(self, rule: MinFunding | MaxFunding, *, low: float | None = ..., high: float | None = ...
                          ) -> None: ...  # fmt: skip
    def set_setup(self, indsats_id: str, kr: float) -> None: ...
    def add_fixed(self, name: str, kr: float, year: Year) -> None: ...


def _kr(value: object, what: str) -> float:
    try:
        return check_number(value, what, high=MAX_KR, noun="amount in kroner")
    except ValueError as exc:
        raise SpecError(str(exc)) from None


def _share(value: object, what: str) -> float:
    try:
        return check_number(value, what, high=1.0, noun="share between 0 and 1")
    except ValueError as exc:
        raise SpecError(str(exc)) from None


def _text(value: object, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SpecError(f"{what} must be a non-empty text, got {value!r}")
    return value


def _year(value: object, what: str) -> Year:
    if value is None or (isinstance(value, str) and value.strip()):
        return value
    if is_real(value) and float(value).is_integer():
        return int(value)
    raise SpecError(f"{what} must be a year such as 2022, got {value!r}")


def _ids(value: object, what: str, *, at_least: int = 0) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, tuple | list):
        raise SpecError(f"{what} must be a list of indsats ids, got {value!r}")
    ids = tuple(_text(item, f"{what} entry") for item in value)
    if len(ids) < at_least:
        raise SpecError(f"{what} needs at least two ids, got {len(ids)}")
    if len(set(ids)) < len(ids):
        raise SpecError(f"{what} names an id twice: {list(ids)}")
    return ids


class Constraint:
    """Base of every constraint: a frozen value with a `kind` (its name in scenario files)."""

    kind: ClassVar[str]
    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]  # every constraint is a dataclass

    def problems(self, known: Names) -> Iterator[tuple[str, str]]:
        """(field, message) for every name in this constraint that the catalog or the pulje does not know."""
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "id" and value != "*":
                yield from known.check_id(f.name, value)
            elif f.name in ("prerequisite", "ids"):
                for item in (value,) if isinstance(value, str) else value:
                    yield from known.check_id(f.name, item)
            elif f.name == "udvalg":
                yield from known.check_udvalg(f.name, value)
            elif f.name == "goal":
                yield from known.check_goal(f.name, value)
            elif f.name == "year" and value is not None:
                yield from known.check_year(f.name, value)

    def row_keys(self, years: tuple[Year, ...]) -> list[str]:
        """Names identifying what this constraint fixes, to find a constraint given twice."""
        label = getattr(self, "udvalg", None) or getattr(self, "goal", None) or getattr(self, "id", "")
        year = getattr(self, "year", None)
        spread = years if year is None else (year,)
        return [f"{self.kind}[{label}]" if y is None else f"{self.kind}[{label},{y}]" for y in spread]


class RowRule(Constraint):
    """A constraint that adds rows to the model."""

    def compile(self, b: Builder) -> None:
        raise NotImplementedError


class FigureRule(Constraint):
    """A constraint that changes an indsats's own figures; applied by `stage`, then in the user's order."""

    stage: ClassVar[int]

    def apply(self, draft: Draft) -> None:
        raise NotImplementedError


class _Limit(RowRule):
    """Mixin for a limit in kroner or as a share of the pulje (exactly one of the two), each year or in one."""

    kr: float | None
    share: float | None
    year: Year
    at_least: ClassVar[bool]
    noun: ClassVar[str]

    def __post_init__(self) -> None:
        name = type(self).__name__
        _text(self.label, f"{name}.{self.noun}")
        if (self.kr is None) == (self.share is None):
            raise SpecError(f"{name}: give exactly one of kr= or share=")
        if self.kr is not None:
            object.__setattr__(self, "kr", _kr(self.kr, f"{name}.kr"))
        else:
            object.__setattr__(self, "share", _share(self.share, f"{name}.share"))
        object.__setattr__(self, "year", _year(self.year, f"{name}.year"))

    @property
    def label(self) -> str:
        return str(getattr(self, self.noun))

    def limit(self, pulje: float) -> float:
        """The limit in kroner for a year with this pulje."""
        return float(self.kr) if self.kr is not None else float(self.share or 0.0) * pulje

    def phrase(self, pulje: float) -> str:
        amount = format_kr(self.limit(pulje))
        return amount if self.share is None else f"{amount} ({self.share:.0%} of the pulje)"

    def compile(self, b: Builder) -> None:
        weights = b.udvalg_members(self.label) if self.noun == "udvalg" else b.goal_members(self.label)
        for t in b.years_of(self.year):
            bound = self.limit(b.pulje(t))
            b.kroner_row(
                self,
                self.label,
                t,
                weights,
                lower=bound if self.at_least else -math.inf,
                upper=math.inf if self.at_least else bound,
                about=f"spend on {self.noun} {self.label} {'at least' if self.at_least else 'at most'} "
                f"{self.phrase(b.pulje(t))}",
                pulje_share=self.share,
            )


@dataclass(frozen=True)
class UdvalgMin(_Limit):
    """Spend on an udvalg at least `kr` (or `share` of the pulje) each year:
    Σ_i split[i,u] · x[i,t] ≥ limit. A shared indsats counts by its split (equal by default)."""

    udvalg: str
    kr: float | None = None
    share: float | None = None
    year: Year = None
    kind: ClassVar[str] = "udvalg_min"
    at_least: ClassVar[bool] = True
    noun: ClassVar[str] = "udvalg"


@dataclass(frozen=True)
class UdvalgMax(_Limit):
    """Spend on an udvalg at most `kr` (or `share` of the pulje) each year: Σ_i split[i,u] · x[i,t] ≤ limit."""

    udvalg: str
    kr: float | None = None
    share: float | None = None
    year: Year = None
    kind: ClassVar[str] = "udvalg_max"
    at_least: ClassVar[bool] = False
    noun: ClassVar[str] = "udvalg"


@dataclass(frozen=True)
class GoalMin(_Limit):
    """Spend on indsatser serving a goal at least `kr` (or `share`) each year: Σ_{i serves g} x[i,t] ≥ limit.
    An indsats serving several goals counts fully for each."""

    goal: str
    kr: float | None = None
    share: float | None = None
    year: Year = None
    kind: ClassVar[str] = "goal_min"
    at_least: ClassVar[bool] = True
    noun: ClassVar[str] = "goal"


@dataclass(frozen=True)
class Lock(RowRule):
    """Fund an indsats with exactly `kr` (in one year or every year): x[i,t] = kr."""

    id: str
    kr: float
    year: Year = None
    kind: ClassVar[str] = "lock"

    def __post_init__(self) -> None:
        _text(self.id, "Lock.id")
        object.__setattr__(self, "kr", _kr(self.kr, f"Lock({self.id!r}).kr"))
        object.__setattr__(self, "year", _year(self.year, "Lock.year"))

    def compile(self, b: Builder) -> None:
        i = b.index_of(self.id)
        for t in b.years_of(self.year):
            b.kroner_row(
                self,
                self.id,
                t,
                {i: 1.0},
                lower=self.kr,
                upper=self.kr,
                about=f"{self.id} locked at {format_kr(self.kr)}",
            )


@dataclass(frozen=True)
class Exclude(RowRule):
    """Fund an indsats with nothing (in one year or every year): x[i,t] = 0."""

    id: str
    year: Year = None
    kind: ClassVar[str] = "exclude"

    def __post_init__(self) -> None:
        _text(self.id, "Exclude.id")
        object.__setattr__(self, "year", _year(self.year, "Exclude.year"))

    def compile(self, b: Builder) -> None:
        i = b.index_of(self.id)
        for t in b.years_of(self.year):
            b.kroner_row(self, self.id, t, {i: 1.0}, upper=0.0, about=f"{self.id} excluded")


@dataclass(frozen=True)
class Continuity(RowRule):
    """An indsats keeps at least `share` of last year's funded share of its ask the next year:
    x[i,t+1]/ask[i,t+1] ≥ share · x[i,t]/ask[i,t], for the given ids (all indsatser when empty).
    A year in which the indsats asks for nothing is skipped."""

    share: float
    ids: tuple[str, ...] = ()
    kind: ClassVar[str] = "continuity"

    def __post_init__(self) -> None:
        object.__setattr__(self, "share", _share(self.share, "Continuity.share"))
        object.__setattr__(self, "ids", _ids(self.ids, "Continuity.ids"))

    def row_keys(self, years: tuple[Year, ...]) -> list[str]:
        return [f"continuity[{i}]" for i in self.ids] or ["continuity[*]"]

    def compile(self, b: Builder) -> None:
        for i in [b.index_of(i) for i in self.ids] if self.ids else range(b.n):
            for t in range(1, b.n_years):
                b.continuity_row(self, i, t)


@dataclass(frozen=True)
class Requires(RowRule):
    """B only if A: B's funded share in a year is at most A's funded share so far,
    s[b,t] ≤ Σ_{u≤t} s[a,u] (e.g. concept development before a roll-out)."""

    id: str
    prerequisite: str
    kind: ClassVar[str] = "requires"

    def __post_init__(self) -> None:
        _text(self.id, "Requires.id")
        _text(self.prerequisite, "Requires.prerequisite")
        if self.id == self.prerequisite:
            raise SpecError(f"Requires({self.id!r}): an indsats cannot require itself")

    def row_keys(self, years: tuple[Year, ...]) -> list[str]:
        return [f"requires[{self.id}<-{self.prerequisite}]"]

    def compile(self, b: Builder) -> None:
        later, first = b.index_of(self.id), b.index_of(self.prerequisite)
        for t in range(b.n_years):
            b.requires_row(self, later, first, t)


@dataclass(frozen=True)
class MutuallyExclusive(RowRule):
    """At most one of the indsatser is funded in a year: Σ_i funded[i,t] ≤ 1 (binary indicators)."""

    ids: tuple[str, ...]
    kind: ClassVar[str] = "exclusive"

    def __post_init__(self) -> None:
        object.__setattr__(self, "ids", _ids(self.ids, "MutuallyExclusive.ids", at_least=2))

    def row_keys(self, years: tuple[Year, ...]) -> list[str]:
        return [f"exclusive[{'|'.join(sorted(self.ids))}]"]

    def compile(self, b: Builder) -> None:
        indices = [b.index_of(i) for i in self.ids]
        for t in range(b.n_years):
            b.exclusive_row(self, indices, t)


@dataclass(frozen=True)
class GoalValueMin(RowRule):
    """The value credited to a goal over the plan is at least `value`: Σ_t Σ_{i serves g} value[i,g] · s[i,t] ≥
    value (the frontier between two goals moves this floor)."""

    goal: str
    value: float
    kind: ClassVar[str] = "goal_value_min"

    def __post_init__(self) -> None:
        _text(self.goal, "GoalValueMin.goal")
        try:
            object.__setattr__(self, "value", check_number(self.value, "GoalValueMin.value", high=1e15))
        except ValueError as exc:
            raise SpecError(str(exc)) from None

    def row_keys(self, years: tuple[Year, ...]) -> list[str]:
        return [f"goal_value_min[{self.goal}]"]

    def compile(self, b: Builder) -> None:
        b.value_row(self, self.goal, b.goal_value(self.goal), self.value)


# --- figure rules: an indsats's own figures, applied in stages -----------------------------------


@dataclass(frozen=True)
class FixedLine(FigureRule):
    """A fixed line taken off the top of the pulje (e.g. integration prizes): pulje_t − kr."""

    name: str
    kr: float
    year: Year = None
    kind: ClassVar[str] = "fixed_line"
    stage: ClassVar[int] = 3

    def __post_init__(self) -> None:
        _text(self.name, "FixedLine.name")
        object.__setattr__(self, "kr", _kr(self.kr, f"FixedLine({self.name!r}).kr"))
        object.__setattr__(self, "year", _year(self.year, "FixedLine.year"))

    def row_keys(self, years: tuple[Year, ...]) -> list[str]:
        spread = years if self.year is None else (self.year,)
        return [f"fixed_line[{self.name}]" if y is None else f"fixed_line[{self.name},{y}]" for y in spread]

    def apply(self, draft: Draft) -> None:
        draft.add_fixed(self.name, self.kr, self.year)


@dataclass(frozen=True)
class AllOrNothing(FigureRule):
    """Fund the indsats at its full yearly ask or not at all (a binary variable), whatever the catalog says;
    id="*" for all."""

    id: str
    kind: ClassVar[str] = "all_or_nothing"
    stage: ClassVar[int] = 0

    def __post_init__(self) -> None:
        _text(self.id, "AllOrNothing.id")

    def row_keys(self, years: tuple[Year, ...]) -> list[str]:
        return [f"scalable or all_or_nothing[{self.id}]"]  # shared with Scalable: both for one id contradict

    def apply(self, draft: Draft) -> None:
        draft.set_binary(self.id, True)


@dataclass(frozen=True)
class Scalable(FigureRule):
    """Allow partial funding of an indsats between its min_kr and max_kr (overrides the catalog); id="*" for all."""

    id: str
    kind: ClassVar[str] = "scalable"
    stage: ClassVar[int] = 0

    def __post_init__(self) -> None:
        _text(self.id, "Scalable.id")

    def row_keys(self, years: tuple[Year, ...]) -> list[str]:
        return [f"scalable or all_or_nothing[{self.id}]"]

    def apply(self, draft: Draft) -> None:
        draft.set_binary(self.id, False)


@dataclass(frozen=True)
class MinFunding(FigureRule):
    """Minimum viable funding: the indsats gets 0 or at least `kr` a year (overrides min_kr)."""

    id: str
    kr: float
    kind: ClassVar[str] = "min_funding"
    stage: ClassVar[int] = 1

    def __post_init__(self) -> None:
        _text(self.id, "MinFunding.id")
        object.__setattr__(self, "kr", _kr(self.kr, f"MinFunding({self.id!r}).kr"))

    def apply(self, draft: Draft) -> None:
        draft.set_funding_bound(self, low=self.kr)


@dataclass(frozen=True)
class MaxFunding(FigureRule):
    """Maximum sensible funding a year for the indsats (overrides max_kr)."""

    id: str
    kr: float
    kind: ClassVar[str] = "max_funding"
    stage: ClassVar[int] = 1

    def __post_init__(self) -> None:
        _text(self.id, "MaxFunding.id")
        object.__setattr__(self, "kr", _kr(self.kr, f"MaxFunding({self.id!r}).kr"))

    def apply(self, draft: Draft) -> None:
        draft.set_funding_bound(self, high=self.kr)


@dataclass(frozen=True)
class SetupCost(FigureRule):
    """A first-year set-up cost: in the first year the indsats is funded, `kr` more comes off the pulje."""

    id: str
    kr: float
    kind: ClassVar[str] = "setup_cost"
    stage: ClassVar[int] = 2

    def __post_init__(self) -> None:
        _text(self.id, "SetupCost.id")
        object.__setattr__(self, "kr", _kr(self.kr, f"SetupCost({self.id!r}).kr"))

    def apply(self, draft: Draft) -> None:
        draft.set_setup(self.id, self.kr)


CONSTRAINTS: dict[str, type[Constraint]] = {
    cls.kind: cls
    for cls in (
        UdvalgMin, UdvalgMax, GoalMin, GoalValueMin, Lock, Exclude, Continuity, Requires, MutuallyExclusive,
        FixedLine, AllOrNothing, MinFunding, MaxFunding, Scalable, SetupCost,
    )
}  # fmt: skip


def application_order(constraints: tuple[Constraint, ...]) -> list[FigureRule]:
    """The figure rules in the order they are applied: by stage, wildcards ('*') before single ids, then as
    listed; so [MinFunding(x), Scalable(x)] means the same as the reverse."""
    figure = [c for c in constraints if isinstance(c, FigureRule)]
    return sorted(figure, key=lambda c: (c.stage, getattr(c, "id", None) != "*"))
