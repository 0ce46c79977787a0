"""The trade-offs the app shows beside an allocation: value for money per indsats, the value against the
pulje (a budget sweep), the frontier between two goals, robustness, and the price of evidence.

The price of evidence is what the evidence weight costs in the value of reach alone: with weight w the
optimizer picks x_w; valued without evidence (w = 0) it is worth V0(x_w) = Σ_i value_i(x_w) / (1 + w·stars_i),
and the price is V0(x_0) − V0(x_w) ≥ 0, the value given up for the star profile.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from optimizer import Inputs, Result
from optimizer.result import FULL_SHARE, FUNDED_EPS, STEP_KR, ask_column
from scenarios.frontier import Frontier, frontier
from scenarios.progress import Progress
from scenarios.robustness import Robustness, robustness
from scenarios.spec import Scenario
from scenarios.sweep import Sweep, sweep_budget

SWEEP_POINTS = 26
EVIDENCE_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0)


def value_for_money(result: Result) -> tuple[pd.DataFrame, float | None]:
    """Per indsats: what it asks over the plan, its value at full scale over the plan and per 100.000 kr.,
    and how far it is funded ("full", "partly" or "none"); with the value 100.000 kr. buy at the margin (the
    pulje's rate, averaged over the years), the slope of the budget line."""
    a = result.allocation
    asks = [ask_column(y) for y in result.years] if result.years != (None,) else ["cost_kr"]
    ask = a[asks].sum(axis=1)
    points = pd.DataFrame(
        {
            "id": a["id"],
            "name": a["name"],
            "ask_kr": ask,
            "full_value": a["value_per_100k"] / STEP_KR * ask,
            "value_per_100k": a["value_per_100k"],
            "funded": np.select(
                [a["funded_share"] >= FULL_SHARE, a["amount_kr"] > FUNDED_EPS], ["full", "partly"], "none"
            ),
        }
    )
    rates = [r for r in result.budget_rate_per_100k.values() if r == r]
    return points, (float(np.mean(rates)) if rates else None)


def budget_sweep(inputs: Inputs, *, points: int = SWEEP_POINTS) -> Sweep:
    """The optimum at pulje 0 to twice the largest year's pulje (the same pulje in every year)."""
    top = 2 * max(inputs.pulje) or 1_000_000.0
    budgets = np.linspace(0.0, top, points).round(-3)
    return sweep_budget(Scenario("app", inputs), budgets)


def goal_frontier(inputs: Inputs, goal_a: str, goal_b: str, *, points: int = 11) -> Frontier:
    return frontier(Scenario("app", inputs), goal_a, goal_b, points=points)


def goal_values(result: Result, goal_a: str, goal_b: str) -> tuple[float, float]:
    """The value credited to two goals in a result (the frontier's axes)."""
    by_goal = result.by_goal.set_index("goal")["value"]
    return float(by_goal.get(goal_a, 0.0)), float(by_goal.get(goal_b, 0.0))


def robust(inputs: Inputs, draws: int, *, seed: int = 0, progress: Progress = False) -> Robustness:
    return robustness(Scenario("app", inputs), draws, seed=seed, progress=progress)


def evidence_price(
    inputs: Inputs, solver: Callable[[Inputs], Result], weights: Sequence[float] = EVIDENCE_WEIGHTS
) -> pd.DataFrame:
    """For each evidence weight: the optimum's value without evidence, the value given up against weight 0,
    and the share of the money that goes to indsatser with stars."""
    records = []
    base = None
    for weight in sorted({0.0, *weights}):
        result = solver(inputs.replace(evidence_weight=weight))
        if not result.is_ok:
            continue
        a = result.allocation
        plain = float((a["value"] / (1.0 + weight * a["stars"])).sum())
        base = plain if weight == 0.0 else base
        spent = float(a["amount_kr"].sum())
        starred = float(a.loc[a["stars"] > 0, "amount_kr"].sum())
        records.append((weight, plain, starred / spent if spent > 0 else 0.0))
    frame = pd.DataFrame(records, columns=["evidence_weight", "value_without_evidence", "starred_share"])
    frame["given_up"] = (base if base is not None else np.nan) - frame["value_without_evidence"]
    return frame
