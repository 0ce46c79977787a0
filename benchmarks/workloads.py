"""What `make bench` times: generated national-scale catalogs, and the baselines pulje is measured against,
each solving the same model: PuLP loops with CBC (the usual way), a direct vectorised highspy build (what the
solver alone can do) and a sort by value per krone (the least work any exact method does)."""

from __future__ import annotations

import warnings

import highspy
import numpy as np
import pandas as pd
import pulp

UDVALG = 20


def national_catalog(n: int, *, seed: int = 0, binary: bool = False) -> pd.DataFrame:
    """n generated indsatser as a CSV reader gives them (text cells), over UDVALG udvalg and three goals."""
    rng = np.random.default_rng(seed)
    ids = np.char.add("i", np.arange(n).astype(str)).astype(object)
    return pd.DataFrame(
        {
            "id": ids,
            "name": ids,
            "udvalg": np.char.add("U", rng.integers(0, UDVALG, n).astype(str)).astype(object),
            "goals": np.char.add("g", rng.integers(0, 3, n).astype(str)).astype(object),
            "cost_kr": (rng.integers(10, 500, n) * 1000).astype(str),
            "reach": rng.integers(5, 500, n).astype(str),
            "stars": rng.integers(0, 4, n).astype(str),
            "scalable": "false" if binary else "true",
            "source": "generated",
            "quote": "",
            "note": "",
        }
    )


def caps_of(budget: float) -> dict[str, float]:
    """A maximum per udvalg that binds for half of them: 80 % or 130 % of an even share of the budget."""
    return {f"U{k}": round(budget / UDVALG * (0.8 if k % 2 else 1.3), -3) for k in range(UDVALG)}


def arrays(catalog: pd.DataFrame, evidence_weight: float = 1.0) -> dict[str, np.ndarray]:
    """The figures a direct build needs, read column-wise from a generated catalog."""
    cost = catalog["cost_kr"].astype(float).to_numpy()
    reach = catalog["reach"].astype(float).to_numpy()
    stars = catalog["stars"].astype(float).to_numpy()
    udvalg = catalog["udvalg"].str[1:].astype(int).to_numpy()
    return {"cost": cost, "value": reach * (1 + evidence_weight * stars), "udvalg": udvalg}


def direct_highspy(cost: np.ndarray, value: np.ndarray, udvalg: np.ndarray, budget: float,
                   caps: dict[str, float]) -> tuple[float, np.ndarray]:  # fmt: skip
    """The same LP built straight from arrays in highspy: shares s in [0, 1], the budget and one row per udvalg
    cap, solved by the interior point method without presolve (the solver alone). Returns (objective, shares)."""
    n = len(cost)
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("solver", "ipm")
    highs.setOptionValue("presolve", "off")
    highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
    caps_rows = np.array([caps[f"U{k}"] for k in range(UDVALG)]) / 1e5
    lower = np.full(UDVALG + 1, -np.inf)
    upper = np.concatenate([[budget / 1e5], caps_rows])
    highs.addRows(UDVALG + 1, lower, upper, 0, np.zeros(UDVALG + 1, np.int32), np.zeros(0, np.int32), np.zeros(0))
    start = np.arange(0, 2 * n, 2, dtype=np.int32)
    index = np.column_stack([np.zeros(n, np.int32), 1 + udvalg.astype(np.int32)]).ravel()
    coefs = np.repeat(cost / 1e5, 2)
    highs.addCols(n, value / value.max(), np.zeros(n), np.ones(n), 2 * n, start, index, coefs)
    highs.run()
    shares = np.asarray(highs.getSolution().col_value)
    return float(value @ shares), shares


def sorted_by_value_per_krone(cost: np.ndarray, value: np.ndarray, budget: float) -> float:
    """The budget alone, by a sort by value per krone: the least work an exact method does (a lower bound on
    time, not the capped model's answer)."""
    order = np.argsort(-value / cost)
    spent = np.cumsum(cost[order])
    full = spent <= budget
    last = np.searchsorted(spent, budget, side="right")
    part = (budget - (spent[last - 1] if last else 0.0)) / cost[order[last]] if last < len(cost) else 0.0
    return float(value[order][full].sum() + (value[order[last]] * part if last < len(cost) else 0.0))


def pulp_cbc(frame: pd.DataFrame, value: dict[str, float], budget: float, *, binary: bool,
             caps: dict[str, float] | None = None, excluded: tuple[str, ...] = (),
             requires: tuple[tuple[str, str], ...] = ()) -> float:  # fmt: skip
    """The usual way: a PuLP model built with loops over the catalog's rows, solved by CBC. Returns the value."""
    problem = pulp.LpProblem("pulje", pulp.LpMaximize)
    x = {}
    for row in frame.itertuples(index=False):
        kind = pulp.LpBinary if binary else pulp.LpContinuous
        x[row.id] = pulp.LpVariable(f"x_{len(x)}", 0, 0 if row.id in excluded else 1, cat=kind)
    cost = dict(zip(frame["id"], frame["cost_kr"], strict=True))
    problem += pulp.lpSum(value[i] * x[i] for i in x)
    problem += pulp.lpSum(cost[i] * x[i] for i in x) <= budget
    for name, cap in (caps or {}).items():
        members = [i for i, u in zip(frame["id"], frame["udvalg"], strict=True) if name in u]
        problem += pulp.lpSum(cost[i] * x[i] for i in members) <= cap
    for later, first in requires:
        problem += x[later] <= x[first]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        problem.solve(pulp.PULP_CBC_CMD(msg=False))
    return float(pulp.value(problem.objective))
