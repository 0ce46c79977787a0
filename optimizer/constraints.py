"""Constraints as small declarative values, named like the policy they express.

Two kinds: *rule* constraints add named rows to the model (their `compile` is called by the model
builder, the one place that turns them into solver rows); *figure* constraints change an indsats's own
figures before the model is built (their `apply`). Every row gets a readable name such as
`udvalg_max[AUU]` or `lock[fb21-cricket,2022]`, so duals, slacks and conflicts read like the policy.
Multi-year: `year=None` means every year of the pulje.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from optimizer.errors import SpecError
from optimizer.numbers import format_kr

if TYPE_CHECKING:
    from optimizer.model import ModelBuilder
    from optimizer.problem import Instance

Year = int | str | None


def _check_kr(value: float, what: str) -> None:
    if not isinstance(value, int | float) or math.isnan(value) or value < 0:
        raise SpecError(f"{what} must be a non-negative amount in kroner, got {value!r}")


def _check_share(value: float, what: str) -> None:
    if not isinstance(value, int | float) or not 0 <= value <= 1:
        raise SpecError(f"{what} must be a share between 0 and 1, got {value!r}")


class _Limit:
    """Mixin for a limit in kroner or as a share of the pulje (exactly one of the two)."""

    kr: float | None
    share: float | None
    year: Year

    def __post_init__(self) -> None:
        if (self.kr is None) == (self.share is None):
            raise SpecError(f"{type(self).__name__}: give exactly one of kr= or share=")
        if self.kr is not None:
            _check_kr(self.kr, f"{type(self).__name__}.kr")
        else:
            _check_share(self.share, f"{type(self).__name__}.share")

    def limit(self, pulje: float) -> float:
        return self.kr if self.kr is not None else self.share * pulje

    def phrase(self, pulje: float) -> str:
        amount = format_kr(self.limit(pulje))
        return amount if self.share is None else f"{amount} ({self.share:.0%} of the pulje)"

    def _limit_rows(self, b: ModelBuilder, label: str, members: list[tuple[int, float]], *, at_least: bool) -> None:
        """One row per year: Σ weight · x[i,t] at least (or at most) the limit."""
        for t in b.years_of(self.year):
            bound = self.limit(b.pulje(t))
            b.add_row(
                b.row_name(self.kind, label, t=t),
                {b.x(i, t): weight for i, weight in members},
                lower=bound if at_least else -math.inf,
                upper=math.inf if at_least else bound,
                kind=self.kind,
                about=f"spend on {self.kind.split('_')[0]} {label} "
                f"{'at least' if at_least else 'at most'} {self.phrase(b.pulje(t))}",
                constraint=self,
                t=t,
                pulje_share=self.share,
            )


# --- rule constraints: rows ---------------------------------------------------------------------


@dataclass(frozen=True)
class UdvalgMin(_Limit):
    """Spend on an udvalg at least `kr` (or `share` of the pulje) each year:
    Σ_i split[i,u] · x[i,t] ≥ limit. A shared indsats counts by its split (equal by default)."""

    udvalg: str
    kr: float | None = None
    share: float | None = None
    year: Year = None
    kind: ClassVar[str] = "udvalg_min"

    def compile(self, b: ModelBuilder) -> None:
        self._limit_rows(b, self.udvalg, b.udvalg_members(self.udvalg), at_least=True)


@dataclass(frozen=True)
class UdvalgMax(_Limit):
    """Spend on an udvalg at most `kr` (or `share` of the pulje) each year:
    Σ_i split[i,u] · x[i,t] ≤ limit."""

    udvalg: str
    kr: float | None = None
    share: float | None = None
    year: Year = None
    kind: ClassVar[str] = "udvalg_max"

    def compile(self, b: ModelBuilder) -> None:
        self._limit_rows(b, self.udvalg, b.udvalg_members(self.udvalg), at_least=False)


@dataclass(frozen=True)
class GoalMin(_Limit):
    """Spend on indsatser serving a goal at least `kr` (or `share`) each year:
    Σ_{i serves g} x[i,t] ≥ limit. An indsats serving several goals counts fully for each."""

    goal: str
    kr: float | None = None
    share: float | None = None
    year: Year = None
    kind: ClassVar[str] = "goal_min"

    def compile(self, b: ModelBuilder) -> None:
        self._limit_rows(b, self.goal, [(i, 1.0) for i in b.goal_members(self.goal)], at_least=True)


@dataclass(frozen=True)
class Lock:
    """Fund an indsats with exactly `kr` (in one year or every year): x[i,t] = kr."""

    id: str
    kr: float
    year: Year = None
    kind: ClassVar[str] = "lock"

    def __post_init__(self) -> None:
        _check_kr(self.kr, f"Lock({self.id!r}).kr")

    def compile(self, b: ModelBuilder) -> None:
        i = b.index_of(self.id)
        for t in b.years_of(self.year):
            b.add_row(
                b.row_name(self.kind, self.id, t=t),
                {b.x(i, t): 1.0},
                lower=self.kr,
                upper=self.kr,
                kind=self.kind,
                about=f"{self.id} locked at {format_kr(self.kr)}",
                constraint=self,
            )


@dataclass(frozen=True)
class Exclude:
    """Fund an indsats with nothing (in one year or every year): x[i,t] = 0."""

    id: str
    year: Year = None
    kind: ClassVar[str] = "exclude"

    def compile(self, b: ModelBuilder) -> None:
        i = b.index_of(self.id)
        for t in b.years_of(self.year):
            b.add_row(
                b.row_name(self.kind, self.id, t=t),
                {b.x(i, t): 1.0},
                upper=0.0,
                kind=self.kind,
                about=f"{self.id} excluded",
                constraint=self,
            )


@dataclass(frozen=True)
class Continuity:
    """An indsats funded in one year keeps at least `share` of that amount the next year:
    x[i,t+1] ≥ share · x[i,t], for the given ids (all indsatser when empty)."""

    share: float
    ids: tuple[str, ...] = ()
    kind: ClassVar[str] = "continuity"

    def __post_init__(self) -> None:
        _check_share(self.share, "Continuity.share")

    def compile(self, b: ModelBuilder) -> None:
        indices = [b.index_of(i) for i in self.ids] if self.ids else range(b.n)
        for i in indices:
            for t in range(1, b.n_years):
                b.add_row(
                    b.row_name(self.kind, b.id_of(i), t=t),
                    {b.x(i, t): 1.0, b.x(i, t - 1): -self.share},
                    lower=0.0,
                    kind=self.kind,
                    about=f"{b.id_of(i)} keeps at least {self.share:.0%} of last year's amount",
                    constraint=self,
                )


@dataclass(frozen=True)
class Requires:
    """B only if A: B's funded share in a year is at most A's funded share so far,
    x[b,t]/cost_b ≤ Σ_{s≤t} x[a,s]/cost_a (e.g. concept development before a roll-out)."""

    id: str
    prerequisite: str
    kind: ClassVar[str] = "requires"

    def compile(self, b: ModelBuilder) -> None:
        later, first = b.index_of(self.id), b.index_of(self.prerequisite)
        for t in range(b.n_years):
            terms = {b.x(later, t): 1.0 / b.cost(later)}
            for s in range(t + 1):
                terms[b.x(first, s)] = -1.0 / b.cost(first)
            b.add_row(
                b.row_name(self.kind, f"{self.id}<-{self.prerequisite}", t=t),
                terms,
                upper=0.0,
                kind=self.kind,
                about=f"{self.id} only as far as {self.prerequisite} is funded",
                constraint=self,
            )


@dataclass(frozen=True)
class MutuallyExclusive:
    """At most one of the indsatser is funded in a year: Σ_i funded[i,t] ≤ 1 (binary indicators)."""

    ids: tuple[str, ...]
    kind: ClassVar[str] = "exclusive"

    def __post_init__(self) -> None:
        if len(self.ids) < 2:
            raise SpecError("MutuallyExclusive needs at least two ids")

    def compile(self, b: ModelBuilder) -> None:
        indices = [b.index_of(i) for i in self.ids]
        for t in range(b.n_years):
            b.add_row(
                b.row_name(self.kind, "|".join(self.ids), t=t),
                {b.indicator(i, t): 1.0 for i in indices},
                upper=1.0,
                kind=self.kind,
                about=f"at most one of {', '.join(self.ids)} funded",
                constraint=self,
            )


@dataclass(frozen=True)
class FixedLine:
    """A fixed line taken off the top of the pulje (e.g. integration prizes): pulje_t − kr."""

    name: str
    kr: float
    year: Year = None
    kind: ClassVar[str] = "fixed_line"

    def __post_init__(self) -> None:
        _check_kr(self.kr, f"FixedLine({self.name!r}).kr")

    def apply(self, inst: Instance) -> None:
        for t in inst.year_indices(self.year):
            inst.fixed[t] += self.kr
        inst.notes.append(f"Fixed line {self.name!r}: {format_kr(self.kr)} off the top of the pulje.")


# --- figure constraints: an indsats's own figures -----------------------------------------------


@dataclass(frozen=True)
class AllOrNothing:
    """Fund the indsats at its full cost or not at all (a binary variable), whatever the catalog says;
    id="*" for all."""

    id: str
    kind: ClassVar[str] = "all_or_nothing"

    def apply(self, inst: Instance) -> None:
        for i in range(inst.n) if self.id == "*" else [inst.index_of(self.id)]:
            inst.binary[i], inst.low[i], inst.high[i] = True, inst.cost[i], inst.cost[i]


def _scalable_index(constraint: MinFunding | MaxFunding, inst: Instance) -> int:
    """The indsats's row; funding bounds make sense only for an indsats that may be funded partly."""
    i = inst.index_of(constraint.id)
    if inst.binary[i]:
        name = type(constraint).__name__
        raise SpecError(f"{name}({constraint.id!r}): the indsats is all-or-nothing; make it scalable first")
    return i


@dataclass(frozen=True)
class MinFunding:
    """Minimum viable funding: the indsats gets 0 or at least `kr` (overrides min_kr)."""

    id: str
    kr: float
    kind: ClassVar[str] = "min_funding"

    def __post_init__(self) -> None:
        _check_kr(self.kr, f"MinFunding({self.id!r}).kr")

    def apply(self, inst: Instance) -> None:
        i = _scalable_index(self, inst)
        if self.kr > inst.high[i]:
            raise SpecError(
                f"MinFunding({self.id!r}): {format_kr(self.kr)} is above its maximum of {format_kr(inst.high[i])}"
            )
        inst.low[i] = self.kr


@dataclass(frozen=True)
class MaxFunding:
    """Maximum sensible funding per year for the indsats (overrides max_kr)."""

    id: str
    kr: float
    kind: ClassVar[str] = "max_funding"

    def __post_init__(self) -> None:
        _check_kr(self.kr, f"MaxFunding({self.id!r}).kr")

    def apply(self, inst: Instance) -> None:
        i = _scalable_index(self, inst)
        if self.kr < inst.low[i]:
            raise SpecError(
                f"MaxFunding({self.id!r}): {format_kr(self.kr)} is below its minimum viable {format_kr(inst.low[i])}"
            )
        inst.high[i] = self.kr


@dataclass(frozen=True)
class Scalable:
    """Allow partial funding of an indsats between min_kr and max_kr (overrides the catalog); id="*" for all."""

    id: str
    kind: ClassVar[str] = "scalable"

    def apply(self, inst: Instance) -> None:
        for i in range(inst.n) if self.id == "*" else [inst.index_of(self.id)]:
            inst.make_scalable(i)
        if self.id == "*":
            inst.notes.append("Every indsats may be funded partly (Scalable for all): reach scales with the amount.")


@dataclass(frozen=True)
class SetupCost:
    """A first-year set-up cost: in the first year the indsats is funded, `kr` more comes off the pulje."""

    id: str
    kr: float
    kind: ClassVar[str] = "setup_cost"

    def __post_init__(self) -> None:
        _check_kr(self.kr, f"SetupCost({self.id!r}).kr")

    def apply(self, inst: Instance) -> None:
        inst.setup[inst.index_of(self.id)] = self.kr


Constraint = (
    UdvalgMin | UdvalgMax | GoalMin | Lock | Exclude | Continuity | Requires | MutuallyExclusive
    | FixedLine | AllOrNothing | MinFunding | MaxFunding | Scalable | SetupCost
)  # fmt: skip

CONSTRAINTS: dict[str, type] = {
    cls.kind: cls
    for cls in (
        UdvalgMin, UdvalgMax, GoalMin, Lock, Exclude, Continuity, Requires, MutuallyExclusive,
        FixedLine, AllOrNothing, MinFunding, MaxFunding, Scalable, SetupCost,
    )
}  # fmt: skip
