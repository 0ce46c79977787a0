"""Budget sweeps: value against budget, what the next 100.000 kr. really buy, who enters when.

With a multi-year pulje the swept budget is the pulje of every year (budget_per_year_kr); value and
amounts are totals over the years.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimizer import compile_inputs
from optimizer.constraints import Year
from optimizer.errors import SpecError
from optimizer.highs import RawSolution
from optimizer.limits import MAX_KR
from optimizer.result import FUNDED_EPS, STEP_KR
from scenarios.progress import progress_bar
from scenarios.run import optimizing, with_catalog
from scenarios.spec import Scenario


@dataclass(frozen=True)
class Sweep:
    """The optimum at each budget (the pulje of every year, for a multi-year pulje)."""

    points: pd.DataFrame  # budget_per_year_kr, status, objective, allocated_kr, next_100k_value, entered, left
    amounts: pd.DataFrame  # one row per indsats, one column per budget (total over the years)
    entries: pd.DataFrame  # id, name, enters_at_kr: the smallest budget swept at which it is funded
    years: tuple[Year, ...]

    @property
    def best_step(self) -> pd.Series:
        """The budget at which another 100.000 kr. buys the most value."""
        return self.points.iloc[self.points["next_100k_value"].argmax()]


def sweep_budget(
    scenario: Scenario, budgets: Iterable[float], *, catalog: pd.DataFrame | None = None, progress: bool = False
) -> Sweep:
    """Solve the scenario at each budget by re-solving one compiled model with new budget rows; at each, also
    what 100.000 kr. more (in every year) really buys."""
    budgets = sorted({float(b) for b in budgets})
    if not budgets:
        raise SpecError("a sweep needs at least one budget")
    if budgets[0] < 0 or budgets[-1] > MAX_KR:
        raise SpecError(f"budgets in a sweep must lie between 0 and {MAX_KR:,.0f} kr.".replace(",", "."))
    scenario = optimizing(with_catalog(scenario, catalog))
    compiled = compile_inputs(scenario.inputs)
    model, inst = compiled.model, compiled.instance
    highs = compiled.highs
    solved: dict[float, RawSolution] = {}

    def at(budget: float) -> RawSolution:
        if budget not in solved:
            highs.set_pulje(np.full(inst.n_years, budget))
            solved[budget] = highs.solve()
        return solved[budget]

    records, columns = [], {}
    previous = np.zeros(inst.n)
    for budget in progress_bar(budgets, enabled=progress, desc="sweep"):
        solution = at(budget)
        amounts = model.kroner(solution.values).sum(axis=1) if solution.values is not None else np.full(inst.n, np.nan)
        more = at(budget + STEP_KR)
        proven = solution.status.is_proven and more.status.is_proven
        funded, was = amounts > FUNDED_EPS, previous > FUNDED_EPS
        records.append(
            {
                "budget_per_year_kr": budget,
                "status": solution.status.value,
                "objective": solution.objective,
                "allocated_kr": float(amounts.sum()),
                "next_100k_value": more.objective - solution.objective if proven else np.nan,
                "entered": [inst.ids[i] for i in np.flatnonzero(funded & ~was)],
                "left": [inst.ids[i] for i in np.flatnonzero(was & ~funded)],
            }
        )
        columns[budget] = amounts
        previous = np.nan_to_num(amounts)
    amounts_frame = pd.DataFrame(columns, index=pd.Index(inst.ids, name="id"))
    return Sweep(pd.DataFrame(records), amounts_frame, _entries(inst.ids, inst.names, amounts_frame), inst.years)


def _entries(ids: tuple[str, ...], names: tuple[str, ...], amounts: pd.DataFrame) -> pd.DataFrame:
    enters = []
    for indsats_id in ids:
        funded = amounts.columns[amounts.loc[indsats_id].to_numpy() > FUNDED_EPS]
        enters.append(float(funded[0]) if len(funded) else np.nan)
    return pd.DataFrame({"id": ids, "name": names, "enters_at_kr": enters}).sort_values(
        "enters_at_kr", na_position="last"
    )
