"""Budget sweeps: value against budget (the efficient frontier), where money buys most, who enters when."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimizer.compiled import CompiledModel
from optimizer.errors import SpecError
from optimizer.result import FUNDED_EPS
from scenarios.progress import progress_bar
from scenarios.run import instance_and_model
from scenarios.spec import Scenario

STEP_FOR_MARGINAL = 100_000  # marginal value is reported per this many kroner


@dataclass
class Sweep:
    """The optimum at each budget. With a multi-year pulje the budget applies to every year."""

    points: pd.DataFrame  # budget_kr, objective, allocated_kr, marginal_per_100k, entered, left, status
    amounts: pd.DataFrame  # one row per indsats, one column per budget (total over the years)
    entries: pd.DataFrame  # id, name, enters_at_kr: the smallest budget at which it is funded

    @property
    def best_step(self) -> pd.Series:
        """The budget step where another 100.000 kr. buys the most value."""
        return self.points.loc[self.points["marginal_per_100k"].idxmax()]


def sweep_budget(scenario: Scenario, budgets: Iterable[float], *, progress: bool = False) -> Sweep:
    """Solve the scenario at each budget, re-solving one compiled model with new budget rows."""
    budgets = sorted({float(b) for b in budgets})
    if not budgets:
        raise SpecError("a sweep needs at least one budget")
    if budgets[0] < 0:
        raise SpecError("budgets in a sweep cannot be negative")
    inst, model = instance_and_model(scenario)
    compiled = CompiledModel(model)
    years = len(inst.years)
    records, columns = [], {}
    previous = np.zeros(inst.n)
    for budget in progress_bar(budgets, enabled=progress, desc="sweep"):
        compiled.set_pulje(np.full(years, budget))
        solution = compiled.solve()
        amounts = solution.values[model.x_cols].sum(axis=1) if solution.status.has_solution else np.full(inst.n, np.nan)
        funded = amounts > FUNDED_EPS
        was = previous > FUNDED_EPS
        records.append(
            {
                "budget_kr": budget,
                "status": solution.status.value,
                "objective": solution.objective,
                "allocated_kr": float(amounts.sum()),
                "entered": [inst.ids[i] for i in np.flatnonzero(funded & ~was)],
                "left": [inst.ids[i] for i in np.flatnonzero(was & ~funded)],
            }
        )
        columns[budget] = amounts
        previous = np.nan_to_num(amounts)
    points = pd.DataFrame(records)
    gain = points["objective"].diff() / points["budget_kr"].diff() * STEP_FOR_MARGINAL
    points.insert(3, "marginal_per_100k", gain)
    amounts_frame = pd.DataFrame(columns, index=pd.Index(inst.ids, name="id"))
    return Sweep(points, amounts_frame, _entries(inst.ids, inst.names, amounts_frame))


def _entries(ids: list[str], names: list[str], amounts: pd.DataFrame) -> pd.DataFrame:
    enters = []
    for indsats_id in ids:
        funded = amounts.columns[amounts.loc[indsats_id].to_numpy() > FUNDED_EPS]
        enters.append(float(funded[0]) if len(funded) else np.nan)
    return pd.DataFrame({"id": ids, "name": names, "enters_at_kr": enters}).sort_values(
        "enters_at_kr", na_position="last"
    )
