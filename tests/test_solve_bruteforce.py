"""solve() against exhaustive enumeration and the greedy fractional knapsack on small seeded random catalogs."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pytest

import optimizer
from optimizer import MinFunding, Result, Status, UdvalgMax

GOALS = {"a": "Goal A", "b": "Goal B", "c": "Goal C"}
UDVALG = ("SU", "KFU", "AUU", "SU/KFU")
BASE_ROW = {
    "udvalg": "SU", "goals": "a", "min_kr": "", "max_kr": "", "reach": "", "reach_min": "", "reach_max": "",
    "reach_unit": "borgere", "stars": "", "scalable": "false", "source": "test", "quote": "", "note": "",
}  # fmt: skip
OBJ_REL = 1e-5  # the solver's tie-break bonus may cost up to 1e-6 of the objective
KR_TOL = 1e-6  # relative tolerance on amounts in kroner


@dataclass(frozen=True)
class Item:
    """One indsats as the reference sees it (the same figures go into the catalog row)."""

    id: str
    cost: int
    reach: float
    goals: tuple[str, ...] = ("a",)
    stars: int | None = None
    intensity: float | None = None
    udvalg: str = "SU"
    scalable: bool = False
    min_kr: int | None = None
    max_kr: int | None = None

    def row(self) -> dict[str, object]:
        row: dict[str, object] = {
            **BASE_ROW,
            "id": self.id,
            "name": self.id.upper(),
            "udvalg": self.udvalg,
            "goals": ";".join(self.goals),
            "cost_kr": self.cost,
            "reach": self.reach,
            "scalable": "true" if self.scalable else "false",
        }
        for column, value in (
            ("stars", self.stars),
            ("intensity", self.intensity),
            ("min_kr", self.min_kr),
            ("max_kr", self.max_kr),
        ):
            row[column] = "" if value is None else value
        return row

    @property
    def low(self) -> float:
        """The least amount when funded (the full cost for an all-or-nothing indsats)."""
        if not self.scalable:
            return float(self.cost)
        return 0.0 if self.min_kr is None else float(self.min_kr)

    @property
    def high(self) -> float:
        """The most it can get."""
        return float(self.cost if not self.scalable or self.max_kr is None else self.max_kr)

    def share(self, udvalg: str) -> float:
        """How much of a krone to this indsats counts to `udvalg` (equal split when shared)."""
        parts = self.udvalg.split("/")
        return 1.0 / len(parts) if udvalg in parts else 0.0


def value_per_kr(item: Item, weights: dict[str, float], evidence_weight: float) -> float:
    """The model's value per krone, written out from DOMAIN.md (not taken from the optimizer)."""
    coverage = sum(weights.get(goal, 1.0) for goal in item.goals)
    evidence = 1.0 + evidence_weight * (item.stars or 0)
    intensity = 1.0 if item.intensity is None else item.intensity
    return item.reach / item.cost * coverage * evidence * intensity


def make_catalog(items: Sequence[Item]) -> pd.DataFrame:
    return optimizer.validate_catalog(pd.DataFrame([item.row() for item in items]), goals=GOALS)


def amounts_of(result: Result, items: Sequence[Item]) -> np.ndarray:
    by_id = dict(zip(result.allocation["id"], result.allocation["amount_kr"], strict=True))
    return np.array([by_id[item.id] for item in items], dtype=float)


def subset_masks(n: int) -> np.ndarray:
    """Every subset of n items as a 0/1 row (2^n × n)."""
    return ((np.arange(2**n)[:, None] >> np.arange(n)) & 1).astype(float)


def enumerate_best(
    values: np.ndarray, costs: np.ndarray, budget: float, limits: Sequence[tuple[np.ndarray, float]] = ()
) -> float:
    """The best total value of a subset within the budget and every (coefficients, cap) limit."""
    masks = subset_masks(len(values))
    feasible = masks @ costs <= budget
    for coef, cap in limits:
        feasible &= masks @ (coef * costs) <= cap
    return float((masks @ values)[feasible].max())


def greedy_fill(v: np.ndarray, capacity: np.ndarray, budget: float, ids: Sequence[str]) -> np.ndarray:
    """Fractional knapsack: fill by value per krone, best first (ties to the lower id)."""
    amounts = np.zeros(len(v))
    left = budget
    for k in sorted(range(len(v)), key=lambda k: (-v[k], ids[k])):
        amounts[k] = min(capacity[k], max(left, 0.0))
        left -= amounts[k]
    return amounts


def assert_within_bounds(amounts: np.ndarray, items: Sequence[Item], budget: float) -> None:
    assert amounts.sum() <= budget * (1 + KR_TOL) + KR_TOL
    for amount, item in zip(amounts, items, strict=True):
        tol = KR_TOL * item.high
        assert -tol <= amount <= item.high + tol, item
        if amount > tol:
            assert amount >= item.low - KR_TOL * item.low, item


# --- random catalogs ----------------------------------------------------------------------------


def random_goals(rng: np.random.Generator) -> tuple[str, ...]:
    picked = [g for g in GOALS if rng.random() < 0.5]
    return tuple(picked) or (str(rng.choice(list(GOALS))),)


def random_binary_items(rng: np.random.Generator, n: int, *, mixed: bool, udvalg: bool = False) -> list[Item]:
    items = []
    for k in range(n):
        items.append(
            Item(
                id=f"i{k:02d}",
                cost=int(rng.integers(1, 60)) * 5_000 + int(rng.integers(0, 2)) * int(rng.integers(1, 4_999)),
                reach=float(rng.integers(1, 500)),
                goals=random_goals(rng) if mixed else ("a",),
                stars=(None if rng.random() < 0.25 else int(rng.integers(0, 4))) if mixed else None,
                intensity=float(rng.choice([0.5, 1.0, 2.0, 3.0])) if mixed and rng.random() < 0.4 else None,
                udvalg=("KFU" if k == 0 else str(rng.choice(UDVALG))) if udvalg else "SU",
            )
        )
    return items


def random_weights(rng: np.random.Generator) -> dict[str, float]:
    return {goal: float(rng.choice([0.25, 0.5, 1.0, 1.5, 2.0, 3.0])) for goal in GOALS}


def random_budget(rng: np.random.Generator, items: Sequence[Item], low: float = 0.1, high: float = 0.9) -> int:
    return round(rng.uniform(low, high) * sum(item.high for item in items))


# --- 1. all-or-nothing against enumeration ------------------------------------------------------


def check_binary_case(
    items: list[Item],
    budget: float,
    *,
    weights: dict[str, float],
    evidence_weight: float,
    constraints: Sequence[UdvalgMax] = (),
) -> None:
    v = np.array([value_per_kr(item, weights, evidence_weight) for item in items])
    costs = np.array([item.cost for item in items], dtype=float)
    limits = [(np.array([item.share(c.udvalg) for item in items]), float(c.kr)) for c in constraints]
    expected = enumerate_best(v * costs, costs, budget, limits)
    result = optimizer.solve(
        make_catalog(items), budget, goal_weights=weights, evidence_weight=evidence_weight, constraints=constraints
    )
    assert result.status is Status.OPTIMAL
    assert result.objective == pytest.approx(expected, rel=OBJ_REL)
    amounts = amounts_of(result, items)
    assert_within_bounds(amounts, items, budget)
    for amount, item in zip(amounts, items, strict=True):
        assert math.isclose(amount, 0.0, abs_tol=KR_TOL * item.cost) or math.isclose(amount, item.cost, rel_tol=KR_TOL)
    for coef, cap in limits:
        assert coef @ amounts <= cap * (1 + KR_TOL) + KR_TOL
    assert float(v @ amounts) == pytest.approx(result.objective, rel=1e-9)


@pytest.mark.parametrize("seed", range(40))
def test_all_or_nothing_matches_enumeration(seed: int) -> None:
    rng = np.random.default_rng(seed)
    items = random_binary_items(rng, int(rng.integers(1, 13)), mixed=False)
    check_binary_case(items, random_budget(rng, items), weights={}, evidence_weight=1.0)


@pytest.mark.parametrize("seed", range(100, 125))
def test_weighted_goals_stars_and_intensity_match_enumeration(seed: int) -> None:
    rng = np.random.default_rng(seed)
    items = random_binary_items(rng, int(rng.integers(2, 13)), mixed=True)
    evidence_weight = float(rng.choice([0.0, 0.3, 1.0, 2.5]))
    check_binary_case(items, random_budget(rng, items), weights=random_weights(rng), evidence_weight=evidence_weight)


@pytest.mark.parametrize("seed", range(200, 220))
def test_udvalg_maximum_matches_enumeration(seed: int) -> None:
    rng = np.random.default_rng(seed)
    items = random_binary_items(rng, int(rng.integers(3, 13)), mixed=True, udvalg=True)
    limits = []
    for udvalg in ("KFU", "SU") if seed % 2 else ("KFU",):
        exposure = sum(item.share(udvalg) * item.cost for item in items)
        if exposure > 0:
            limits.append(UdvalgMax(udvalg, kr=round(rng.uniform(0.2, 0.8) * exposure)))
    budget = random_budget(rng, items, 0.3, 0.9)
    check_binary_case(items, budget, weights=random_weights(rng), evidence_weight=1.0, constraints=limits)


@pytest.mark.parametrize("seed", range(300, 310))
def test_budget_that_exactly_fits_a_subset(seed: int) -> None:
    """A pulje equal to the cost of some subset must let that subset in (no tolerance lost at the edge)."""
    rng = np.random.default_rng(seed)
    items = random_binary_items(rng, int(rng.integers(2, 11)), mixed=True)
    chosen = rng.random(len(items)) < 0.5
    chosen[int(rng.integers(len(items)))] = True
    budget = int(sum(item.cost for item, pick in zip(items, chosen, strict=True) if pick))
    check_binary_case(items, budget, weights=random_weights(rng), evidence_weight=0.5)


# --- 2. scalable indsatser and only a budget: greedy ----------------------------------------------


@pytest.mark.parametrize("seed", range(400, 420))
def test_scalable_matches_greedy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 13))
    items = []
    for k in range(n):
        cost = int(rng.integers(10_000, 500_000))
        above = seed % 2 == 1 and rng.random() < 0.6  # odd seeds: max_kr above cost_kr for some
        items.append(
            Item(
                id=f"s{k:02d}",
                cost=cost,
                reach=round(float(rng.uniform(1, 1_000)), 3),
                goals=random_goals(rng),
                stars=int(rng.integers(0, 4)),
                scalable=True,
                max_kr=int(cost * rng.uniform(1.1, 3.0)) if above else None,
            )
        )
    weights, evidence_weight = random_weights(rng), float(rng.choice([0.0, 0.5, 1.0]))
    budget = random_budget(rng, items, 0.05, 1.2)
    v = np.array([value_per_kr(item, weights, evidence_weight) for item in items])
    high = np.array([item.high for item in items])
    expected = greedy_fill(v, high, budget, [item.id for item in items])

    result = optimizer.solve(make_catalog(items), budget, goal_weights=weights, evidence_weight=evidence_weight)

    assert result.status is Status.OPTIMAL
    assert result.objective == pytest.approx(float(v @ expected), rel=OBJ_REL)
    amounts = amounts_of(result, items)
    assert_within_bounds(amounts, items, budget)
    ratios = np.sort(v)
    if n == 1 or np.min(np.diff(ratios) / ratios[1:]) > 1e-5:  # the greedy answer is the unique optimum
        np.testing.assert_allclose(amounts, expected, rtol=1e-6, atol=1e-3)


def test_scalable_with_max_above_cost_takes_the_extra() -> None:
    """max_kr above cost_kr lets the best indsats absorb more than its full-scale cost, at the same value per krone."""
    items = [
        Item("best", 100_000, 300.0, scalable=True, max_kr=250_000),
        Item("next", 100_000, 100.0, scalable=True),
    ]
    v = np.array([value_per_kr(item, {}, 1.0) for item in items])
    expected = greedy_fill(v, np.array([250_000.0, 100_000.0]), 300_000, ["best", "next"])
    result = optimizer.solve(make_catalog(items), 300_000)
    np.testing.assert_allclose(amounts_of(result, items), expected, atol=1e-3)
    assert result.objective == pytest.approx(float(v @ expected), rel=OBJ_REL)


# --- 3. minimum viable funding against enumeration of the funded set --------------------------------


def best_with_minimum(items: Sequence[Item], v: np.ndarray, budget: float) -> float:
    """Enumerate which discrete indsatser are funded; each funded one gets its minimum, then the rest of
    the pulje fills by value per krone up to each maximum (the exact optimum of the inner LP)."""
    low = np.array([item.low for item in items])
    high = np.array([item.high for item in items])
    discrete = np.flatnonzero(low > 0)
    continuous = np.flatnonzero(low == 0)
    order = np.argsort(-v, kind="stable")
    best = 0.0
    for mask in subset_masks(len(discrete)).astype(bool):
        chosen = discrete[mask]
        need = low[chosen].sum()
        if need > budget:
            continue
        value, left = float(v[chosen] @ low[chosen]), budget - need
        in_play = set(chosen.tolist()) | set(continuous.tolist())
        for k in order:
            if k in in_play and left > 0:
                take = min(high[k] - low[k], left)
                value += v[k] * take
                left -= take
        best = max(best, value)
    return best


def random_minimum_items(rng: np.random.Generator, n: int) -> tuple[list[Item], list[MinFunding]]:
    items, constraints = [], []
    for k in range(n):
        cost = int(rng.integers(1, 80)) * 5_000
        kind = rng.choice(["minimum", "minimum", "scalable", "binary"])
        max_kr = int(cost * rng.uniform(1.0, 2.0)) if kind != "binary" and rng.random() < 0.4 else None
        high = cost if max_kr is None else max_kr
        min_kr = int(high * rng.uniform(0.2, 0.9)) if kind == "minimum" else None
        item = Item(
            id=f"m{k:02d}",
            cost=cost,
            reach=float(rng.integers(1, 800)),
            goals=random_goals(rng),
            stars=int(rng.integers(0, 4)),
            scalable=kind != "binary",
            min_kr=min_kr,
            max_kr=max_kr,
        )
        if min_kr is not None and rng.random() < 0.3:  # given as a constraint instead of in the catalog
            constraints.append(MinFunding(item.id, kr=min_kr))
        items.append(item)
    return items, constraints


@pytest.mark.parametrize("seed", range(500, 525))
def test_minimum_viable_funding_matches_enumeration(seed: int) -> None:
    rng = np.random.default_rng(seed)
    items, min_constraints = random_minimum_items(rng, int(rng.integers(1, 11)))
    via_constraint = {c.id for c in min_constraints}
    catalog_items = [replace(item, min_kr=None) if item.id in via_constraint else item for item in items]
    weights, evidence_weight = random_weights(rng), float(rng.choice([0.0, 1.0, 2.0]))
    budget = random_budget(rng, items, 0.1, 0.9)
    v = np.array([value_per_kr(item, weights, evidence_weight) for item in items])

    result = optimizer.solve(
        make_catalog(catalog_items),
        budget,
        goal_weights=weights,
        evidence_weight=evidence_weight,
        constraints=min_constraints,
    )

    assert result.status is Status.OPTIMAL
    assert result.objective == pytest.approx(best_with_minimum(items, v, budget), rel=OBJ_REL)
    amounts = amounts_of(result, items)
    assert_within_bounds(amounts, items, budget)
    assert float(v @ amounts) == pytest.approx(result.objective, rel=1e-9)
