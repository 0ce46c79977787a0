"""What a solve returns: the allocation, its totals, the status and the reasons, in one dataclass."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from optimizer.errors import InfeasibleError, SolverError
from optimizer.formats import format_number
from optimizer.model import LinearModel
from optimizer.numbers import format_kr
from optimizer.problem import Instance
from optimizer.status import Status

FUNDED_EPS = 0.5  # kroner: an amount below this counts as not funded
NO_UDVALG = "(intet udvalg)"
ENTRY_COLUMNS = ["id", "name", "value_per_kr", "needed_value_per_kr", "rise_pct", "entry_kr", "note"]


@dataclass(frozen=True)
class Binding:
    """A constraint that holds with equality at the optimum, with its shadow price where known."""

    name: str
    kind: str
    about: str
    bound: float
    shadow_price: float | None


@dataclass(frozen=True)
class Conflict:
    """Constraints that cannot hold together, and the smallest relaxation that reconciles them."""

    names: tuple[str, ...]
    abouts: tuple[str, ...]
    relax: dict[str, float]  # row -> how far it must give, in its own unit (kroner for most rows)
    message: str
    total_kr: float  # the smallest total relaxation, weighed in kroner


@dataclass
class Allocation:
    """The result of solve() or evaluate(). Read `allocation` only when `is_ok`."""

    status: Status
    objective: float
    allocation: pd.DataFrame
    by_udvalg: pd.DataFrame
    by_goal: pd.DataFrame
    years: list
    pulje: dict
    fixed: dict
    assumptions: list[str]
    binding: list[Binding] = field(default_factory=list)
    shadow_price_budget: float | dict | None = None
    duals_from_relaxation: bool = False
    conflict: Conflict | None = None
    solver: str = ""
    seconds: float = 0.0
    model: LinearModel | None = field(default=None, repr=False)
    entry_function: Callable[[], pd.DataFrame] | None = field(default=None, repr=False)

    @property
    def is_ok(self) -> bool:
        return self.status.has_solution

    @cached_property
    def entry_thresholds(self) -> pd.DataFrame:
        """For each unfunded indsats: the value per krone it would need to be funded (computed on first use)."""
        if self.entry_function is None:
            return pd.DataFrame(columns=ENTRY_COLUMNS)
        return self.entry_function()

    @property
    def shadow_prices(self) -> pd.DataFrame:
        """Binding constraints with their shadow price: value gained per unit the limit is loosened
        (per krone for limits in kroner; `per_100k_kr` gives it per 100.000 kr.)."""
        return pd.DataFrame(
            [(b.name, b.kind, b.about, b.bound, b.shadow_price, _per_100k(b)) for b in self.binding],
            columns=["constraint", "kind", "about", "bound", "shadow_price", "per_100k_kr"],
        )

    def raise_for_status(self) -> Allocation:
        """Raise InfeasibleError (with the conflict explained) or SolverError unless there is a solution."""
        if self.status is Status.INFEASIBLE:
            raise InfeasibleError(self.conflict.message if self.conflict else self.status.describe())
        if not self.is_ok:
            raise SolverError(self.status.describe())
        return self

    def write_model(self, path: str | Path) -> Path:
        """Write the model as .lp or .mps so an auditor can re-solve it with any solver."""
        from optimizer.solve import write_model

        if self.model is None:
            raise SolverError("an evaluated allocation has no model to write")
        return write_model(self.model, path)

    def to_dict(self) -> dict:
        """A JSON-ready summary: status, objective, allocation [{id, amount_kr, share}], shadow prices."""
        rows = []
        if self.is_ok:
            for row in self.allocation.itertuples(index=False):
                entry = {"id": row.id, "amount_kr": _round(row.amount_kr), "share": _round(row.funded_share, 6)}
                if len(self.years) > 1:
                    entry["by_year"] = {str(y): _round(getattr(row, year_column(y))) for y in self.years}
                rows.append(entry)
        return {
            "status": self.status.value,
            "status_text": self.status.describe(),
            "objective": _json_number(self.objective),
            "allocation": rows,
            "shadow_price_budget": _json_number(self.shadow_price_budget),
            "shadow_price_from_lp_relaxation": self.duals_from_relaxation,
            "binding": [
                {"constraint": b.name, "about": b.about, "shadow_price": _json_number(b.shadow_price)}
                for b in self.binding
            ],
            "conflict": None
            if self.conflict is None
            else {
                "constraints": list(self.conflict.names),
                "relax": self.conflict.relax,
                "total_kr": self.conflict.total_kr,
                "message": self.conflict.message,
            },
            "assumptions": self.assumptions,
            "solver": self.solver,
        }

    @property
    def budget_use(self) -> pd.DataFrame:
        """Per year: the pulje, the fixed lines taken off the top, what is allocated and what is left."""
        records = []
        for year in self.years:
            allocated = float(self.allocation[year_column(year)].sum())
            fixed = self.fixed.get(year, 0.0)
            records.append(
                {
                    "year": year,
                    "pulje_kr": self.pulje[year],
                    "fixed_kr": fixed,
                    "allocated_kr": allocated,
                    "unused_kr": self.pulje[year] - fixed - allocated,
                }
            )
        return pd.DataFrame(records, columns=["year", "pulje_kr", "fixed_kr", "allocated_kr", "unused_kr"])

    @property
    def shadow_price_by_year(self) -> dict:
        """The budget's shadow price as {year: price} (year None for a single-year pulje); empty if unknown."""
        price = self.shadow_price_budget
        if price is None:
            return {}
        return dict(price) if isinstance(price, dict) else {None: price}

    def outcome_lines(self) -> list[str]:
        """The pulje's use per year, the total value and the value of another 100.000 kr., in plain words."""
        lines = [
            f"Pulje{'' if use.year is None else f' {use.year}'}: {format_kr(use.pulje_kr)}, "
            f"fixed lines {format_kr(use.fixed_kr)}, allocated {format_kr(use.allocated_kr)}, "
            f"unused {format_kr(use.unused_kr)}"
            for use in self.budget_use.itertuples(index=False)
        ]
        lines.append(f"Total value (objective): {format_number(self.objective)}.")
        source = " (from the LP relaxation: the model has all-or-nothing choices)" if self.duals_from_relaxation else ""
        for year, price in self.shadow_price_by_year.items():
            label = "" if year is None else f" {year}"
            lines.append(f"Another 100.000 kr. in the pulje{label} buys {format_number(price * 100_000)} value{source}")
        return lines

    def summary(self) -> str:
        """A plain-language account of the result, for a terminal or a committee note."""
        lines = [self.status.describe()]
        if self.conflict is not None:
            lines.append(self.conflict.message)
        if self.is_ok:
            lines.extend(self.outcome_lines())
        if self.assumptions:
            lines.append("Assumptions:")
            lines.extend(f"  - {note}" for note in self.assumptions)
        return "\n".join(lines)


def tabulate(inst: Instance, amounts: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The allocation table and the totals per udvalg and per goal for amounts (n × years)."""
    value_per_kr = inst.value_per_kr()
    value = amounts * value_per_kr[:, None]
    total = amounts.sum(axis=1)
    frame = pd.DataFrame(
        {
            "id": inst.ids,
            "name": inst.names,
            "udvalg": ["/".join(u) for u in inst.udvalg],
            "goals": [";".join(g) for g in inst.goals],
            "cost_kr": inst.cost,
            "amount_kr": total,
        }
    )
    if len(inst.years) > 1:
        for t, year in enumerate(inst.years):
            frame[year_column(year)] = amounts[:, t]
    frame["funded_share"] = total / (inst.cost * len(inst.years))
    frame["reach_used"] = inst.reach
    frame["reach_unit"] = inst.reach_units
    frame["reached"] = (amounts / inst.cost[:, None]).sum(axis=1) * inst.reach
    frame["stars"] = inst.stars
    frame["value"] = value.sum(axis=1)
    frame["value_per_kr"] = value_per_kr
    return frame, _by_udvalg(inst, amounts), _by_goal(inst, amounts)


def _by_udvalg(inst: Instance, amounts: np.ndarray) -> pd.DataFrame:
    names = sorted({u for us in inst.udvalg for u in us})
    if any(not u for u in inst.udvalg):
        names.append(NO_UDVALG)
    records = []
    for name in names:
        share = np.array(
            [
                inst.split[i].get(name, 0.0) if u else float(name == NO_UDVALG)
                for i, u in zip(inst.ids, inst.udvalg, strict=True)
            ]
        )
        record = {"udvalg": name, "amount_kr": float(share @ amounts.sum(axis=1))}
        if len(inst.years) > 1:
            record.update({year_column(y): float(share @ amounts[:, t]) for t, y in enumerate(inst.years)})
        records.append(record)
    return pd.DataFrame(records)


def _by_goal(inst: Instance, amounts: np.ndarray) -> pd.DataFrame:
    by_goal = inst.value_by_goal()
    records = []
    for g, key in enumerate(inst.goal_keys):
        member = np.array([key in goals for goals in inst.goals])
        records.append(
            {
                "goal": key,
                "title": inst.goal_titles.get(key, key),
                "weight": inst.goal_weights.get(key, 1.0),
                "amount_kr": float(amounts.sum(axis=1)[member].sum()),
                "value": float((by_goal[:, g][:, None] * amounts).sum()),
            }
        )
    return pd.DataFrame(records)


def year_column(year: object) -> str:
    """The allocation column holding the amounts of `year` (amount_kr for a single-year pulje)."""
    return "amount_kr" if year is None else f"amount_kr_{year}"


KRONER_KINDS = frozenset({"budget", "udvalg_min", "udvalg_max", "goal_min", "lock", "exclude", "continuity"})


def _per_100k(binding: Binding) -> float:
    if binding.shadow_price is None or binding.kind not in KRONER_KINDS:
        return math.nan
    return binding.shadow_price * 100_000


def _round(value: float, digits: int = 2) -> float:
    return round(float(value), digits)


def _json_number(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, dict):
        return {str(k): _json_number(v) for k, v in value.items()}
    value = float(value)
    return None if math.isnan(value) else round(value, 9)
