"""What a solve returns: the allocation, its totals, the status and the reasons, as one frozen value.

A Result holds plain data (tables, arrays, the model's numbers), never a live solver, so it can be
pickled and cached; the explanations that need more re-solves are computed on request by explain.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from optimizer import display
from optimizer.constraints import Year
from optimizer.errors import InfeasibleError, SolverError
from optimizer.formats import format_kr, format_number
from optimizer.instance import Instance
from optimizer.model import LinearModel
from optimizer.notes import Note
from optimizer.status import Status

FUNDED_EPS = 0.5  # kroner: an amount below this counts as not funded
FULL_SHARE = 1 - 1e-6  # a funded share at least this is funded in full
NO_UDVALG = "(intet udvalg)"
STEP_KR = 100_000.0  # "another 100.000 kr." in every explanation


@dataclass(frozen=True)
class Binding:
    """A limit that holds with equality at the optimum.

    rate_per_100k: the rate at the margin from the LP duals (value per 100.000 kr. the limit is loosened),
    positive when loosening helps; for models with all-or-nothing choices it is the LP relaxation's rate.
    None for limits not in kroner (requires, exclusive).
    """

    name: str
    kind: str
    label: str
    year: Year
    about: str
    bound: float  # in kroner for limits in kroner, else in the row's own unit
    unit: str
    side: str  # "upper" (a maximum or the budget), "lower" (a minimum) or "both" (a lock)
    rate_per_100k: float | None


@dataclass(frozen=True)
class Relaxation:
    """How far one constraint must give: `amount` in its own unit (kroner for limits in kroner), and whether
    its bound is to be raised (a maximum, the budget) or lowered (a minimum); a lock may go either way."""

    constraint: str
    amount: float
    unit: str
    direction: str  # "raise" or "lower"


@dataclass(frozen=True)
class Conflict:
    """Constraints that cannot hold together, and the smallest relaxation of the whole model that fixes it.

    sets: each minimal set of constraints that cannot all hold (independent sets, at most five).
    smallest_fix: how far each constraint must give; applying all of them makes the whole model feasible.
    total_kr: their total, weighed in kroner.
    """

    sets: tuple[tuple[str, ...], ...]
    abouts: dict[str, str]
    smallest_fix: tuple[Relaxation, ...]
    total_kr: float
    message: str

    @property
    def names(self) -> tuple[str, ...]:
        """Every constraint named in some conflicting set."""
        return tuple(dict.fromkeys(name for group in self.sets for name in group))


@dataclass(frozen=True)
class BudgetUse:
    """One year's pulje and its use, in kroner."""

    year: Year
    pulje_kr: float
    fixed_kr: float  # the fixed lines taken off the top
    allocated_kr: float  # NaN without an allocation
    unused_kr: float


@dataclass(frozen=True, eq=False)
class Result:
    """The result of solve() or evaluate(). Read `allocation` only when `is_ok`.

    amounts: n × years, the kroner allocated to each indsats (in the instance's order) in each year; the tables
    (allocation, by_udvalg, by_goal) are made from it when first read.
    budget_rate_per_100k: the rate at the margin of another 100.000 kr. in the pulje, from the duals (per year);
    what 100.000 kr. more really buy is a re-solve, on request: optimizer.explain.budget_next_100k(result).
    """

    status: Status
    objective: float
    amounts: np.ndarray = field(repr=False)
    years: tuple[Year, ...]
    pulje: dict[Year, float]
    fixed: dict[Year, float]
    notes: tuple[Note, ...]
    binding: tuple[Binding, ...] = ()
    budget_rate_per_100k: dict[Year, float] = field(default_factory=dict)
    rates_from_relaxation: bool = False
    conflict: Conflict | None = None
    solver: str = ""
    message: str = ""
    seconds: float = 0.0
    instance: Instance | None = field(default=None, repr=False)
    model: LinearModel | None = field(default=None, repr=False)
    values: np.ndarray | None = field(default=None, repr=False)

    @cached_property
    def allocation(self) -> pd.DataFrame:
        """Per indsats: its texts, ask, amount (per year where there are several), funded share, reach and value;
        made when first read (a slider's re-solve, a sweep's points and the explanations' re-solves never do)."""
        assert self.instance is not None
        return tabulate(self.instance, self.amounts)

    @cached_property
    def by_udvalg(self) -> pd.DataFrame:
        """Kroner per udvalg (a shared indsats by its split), per year where there are several; made when first
        read."""
        assert self.instance is not None
        return _by_udvalg(self.instance, self.amounts)

    @cached_property
    def by_goal(self) -> pd.DataFrame:
        """Kroner and value per goal (an indsats counts under every goal it serves); made when first read."""
        assert self.instance is not None
        return _by_goal(self.instance, self.amounts)

    @property
    def is_ok(self) -> bool:
        return self.status.has_solution

    @property
    def assumptions(self) -> list[str]:
        """Every assumption behind the numbers, in plain English (`notes` holds them structured)."""
        return [str(note) for note in self.notes]

    @property
    def binding_table(self) -> pd.DataFrame:
        """Binding limits: name, kind, about, bound and the rate at the margin per 100.000 kr. loosened."""
        return pd.DataFrame(
            [(b.name, b.kind, b.about, b.bound, b.rate_per_100k) for b in self.binding],
            columns=["constraint", "kind", "about", "bound", "rate_per_100k"],
        )

    def _repr_html_(self) -> str:
        """A short summary and the allocation table, for Jupyter."""
        return display.html(self)

    def plot(self, reference: object = None) -> object:
        """An Altair chart of the amount per indsats, with a reference's amounts (another result, a run or
        {id: kroner}, e.g. the decided plan) marked on each bar."""
        return display.allocation_chart(self, reference)

    def raise_for_status(self) -> Result:
        """Raise InfeasibleError (with the conflict explained) or SolverError unless there is a solution."""
        if self.status is Status.INFEASIBLE:
            raise InfeasibleError(self.conflict.message if self.conflict else self.status.describe())
        if not self.is_ok:
            raise SolverError(f"{self.status.describe()} {self.message}".strip())
        return self

    def write_model(self, path: str | Path) -> Path:
        """Write the model as .lp or .mps so an auditor can re-solve it with any solver."""
        from optimizer.pulp_io import write_model  # PuLP is imported only when a file is written

        if self.model is None:
            raise SolverError("an evaluated allocation has no model to write")
        return write_model(self.model, path)

    @cached_property
    def budget_use(self) -> tuple[BudgetUse, ...]:
        """Per year: the pulje, the fixed lines taken off the top, what is allocated and what is left (the
        allocated amount is not a number without an allocation)."""
        uses = []
        for t, year in enumerate(self.years):
            allocated = float(self.amounts[:, t].sum()) if self.is_ok else math.nan
            fixed = self.fixed.get(year, 0.0)
            uses.append(BudgetUse(year, self.pulje[year], fixed, allocated, self.pulje[year] - fixed - allocated))
        return tuple(uses)

    def outcome_lines(self, next_100k: dict[Year, float] | None = None) -> list[str]:
        """The pulje's use per year, the total value and, given `next_100k` (explain.budget_next_100k), what
        another 100.000 kr. buys, with the rate at the margin beside it; in plain words."""
        lines = []
        for use in self.budget_use:
            label = "" if use.year is None else f" {use.year}"
            lines.append(
                f"Pulje{label}: {format_kr(use.pulje_kr)}, fixed lines {format_kr(use.fixed_kr)}, "
                f"allocated {format_kr(use.allocated_kr)}, unused {format_kr(use.unused_kr)}"
            )
        lines.append(f"Total value (objective): {format_number(self.objective)}.")
        source = "LP relaxation's rate" if self.rates_from_relaxation else "rate at the margin"
        for year, rate in self.budget_rate_per_100k.items():
            label = "" if year is None else f" {year}"
            if next_100k is None:
                lines.append(f"The {source} of the pulje{label}: {format_number(rate)} per 100.000 kr.")
            else:
                lines.append(f"Another 100.000 kr. in the pulje{label} buys {format_number(next_100k.get(year))} value "
                             f"({source}: {format_number(rate)} per 100.000 kr.).")  # fmt: skip
        return lines

    def summary(self) -> str:
        """A plain-language account of the result, for a terminal or a committee note."""
        lines = [self.status.describe()]
        if self.message:
            lines.append(self.message)
        if self.conflict is not None:
            lines.append(self.conflict.message)
        if self.is_ok:
            lines.extend(self.outcome_lines())
        if self.notes:
            lines.append("Assumptions:")
            lines.extend(f"  - {note}" for note in self.notes)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary: status, objective, allocation [{id, amount_kr, share}], what 100.000 kr.
        more buys, binding limits, the conflict (when infeasible) and the assumptions."""
        rows = []
        if self.is_ok:
            for row in self.allocation.to_dict("records"):
                entry = {
                    "id": row["id"],
                    "amount_kr": _round(row["amount_kr"]),
                    "share": _round(row["funded_share"], 6),
                }
                if len(self.years) > 1:
                    entry["by_year"] = {str(y): _round(row[year_column(y)]) for y in self.years}
                    entry["ask_by_year"] = {str(y): _round(row[ask_column(y)]) for y in self.years}
                rows.append(entry)
        return {
            "status": self.status.value,
            "status_text": self.status.describe(),
            "message": self.message,
            "objective": json_number(self.objective),
            "allocation": rows,
            "budget_rate_per_100k": by_year(self.budget_rate_per_100k),
            "rates_from_lp_relaxation": self.rates_from_relaxation,
            "binding": [
                {"constraint": b.name, "about": b.about, "rate_per_100k": json_number(b.rate_per_100k)}
                for b in self.binding
            ],
            "conflict": None if self.conflict is None else conflict_dict(self.conflict),
            "assumptions": self.assumptions,
            "solver": self.solver,
        }


def conflict_dict(conflict: Conflict) -> dict[str, Any]:
    """A conflict as JSON: the minimal sets, the smallest fix and its total."""
    return {
        "constraints": [list(group) for group in conflict.sets],
        "smallest_fix": [
            {"constraint": fix.constraint, "relax_kr": json_number(fix.amount) if fix.unit == "kr" else None,
             "amount": json_number(fix.amount), "unit": fix.unit, "direction": fix.direction}
            for fix in conflict.smallest_fix
        ],
        "total_kr": json_number(conflict.total_kr),
        "message": conflict.message,
    }  # fmt: skip


def tabulate(inst: Instance, amounts: np.ndarray) -> pd.DataFrame:
    """The allocation table for amounts in kroner (n × years)."""
    asked = inst.cost.sum(axis=1)
    shares = inst.shares(amounts)
    value = shares * inst.full_value()[:, None]
    total = amounts.sum(axis=1)
    labels = inst.labels
    columns = {
        "id": labels["id"],
        "name": labels["name"],
        "udvalg": labels["udvalg"],
        "goals": labels["goals"],
        "cost_kr": inst.cost.max(axis=1),
        "amount_kr": total,
    }
    if inst.n_years > 1:
        columns |= {year_column(year): amounts[:, t] for t, year in enumerate(inst.years)}
        columns |= {ask_column(year): inst.cost[:, t] for t, year in enumerate(inst.years)}
    columns["funded_share"] = np.divide(total, asked, out=np.zeros_like(total), where=asked > 0)
    columns["reach_used"] = inst.reach
    columns["reach_unit"] = labels["reach_unit"]
    columns["reached"] = shares.sum(axis=1) * inst.reach
    columns["stars"] = inst.stars
    columns["value"] = value.sum(axis=1)
    columns["value_per_100k"] = inst.reference_value_per_kr() * STEP_KR  # every output reads values per 100.000 kr.
    return pd.DataFrame(columns)  # built at once: a column added at a time costs more than the solve


def _by_udvalg(inst: Instance, amounts: np.ndarray) -> pd.DataFrame:
    split = inst.split
    names = inst.udvalg_keys
    orphans = ~split.any(axis=1)  # an indsats under no udvalg
    if orphans.any():
        names = (*names, NO_UDVALG)
        split = np.column_stack([split, orphans.astype(float)])
    columns = {"udvalg": _texts(names), "amount_kr": split.T @ amounts.sum(axis=1)}
    if inst.n_years > 1:
        columns |= {year_column(year): split.T @ amounts[:, t] for t, year in enumerate(inst.years)}
    return pd.DataFrame(columns)


def _by_goal(inst: Instance, amounts: np.ndarray) -> pd.DataFrame:
    """Per goal: kroner to the indsatser serving it (an indsats counts under every goal it serves) and the
    value credited to the goal."""
    shares = inst.shares(amounts)
    return pd.DataFrame(
        {
            "goal": _texts(inst.goal_keys),
            "title": _texts(tuple(inst.goal_titles.get(key, key) for key in inst.goal_keys)),
            "weight": [inst.goal_weights.get(key, 1.0) for key in inst.goal_keys],
            "amount_kr": inst.member.T @ amounts.sum(axis=1),
            "value": inst.value_by_goal().T @ shares.sum(axis=1),
        }
    )


@lru_cache(maxsize=256)
def _texts(values: tuple[str, ...]) -> pd.api.extensions.ExtensionArray:
    """A short text column (udvalg names, goal keys and titles) converted once: every result of a slider's
    re-solves names the same ones."""
    return pd.array(values, dtype="str")


def year_column(year: Year) -> str:
    """The allocation column holding the amounts of `year` (amount_kr for a single-year pulje)."""
    return "amount_kr" if year is None else f"amount_kr_{year}"


def ask_column(year: Year) -> str:
    """The allocation column holding what each indsats asks for in `year` (multi-year plans)."""
    return "cost_kr" if year is None else f"ask_kr_{year}"


def by_year(values: dict[Year, float]) -> float | dict[str, float | None] | None:
    """A per-year figure for JSON: a number for a single-year pulje, an object by year otherwise."""
    if not values:
        return None
    if list(values) == [None]:
        return json_number(values[None])
    return {str(year): json_number(value) for year, value in values.items()}


def _round(value: float, digits: int = 2) -> float:
    return round(float(value), digits)


def json_number(value: float | None) -> float | None:
    """A float for JSON: None for missing and non-finite values."""
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) or math.isinf(number) else round(number, 9)
