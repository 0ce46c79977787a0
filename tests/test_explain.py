"""Every explanation holds when checked the way a sceptical official would: by changing the input and solving again.

"Another 100.000 kr. buys X" is compared with a fresh solve at the larger budget; "loosening this limit buys Y"
with a fresh solve of the loosened limit; "it needs Z per 100.000 kr." with fresh solves 3 % above and below.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from optimizer import (
    Assumptions,
    Constraint,
    Continuity,
    GoalMin,
    Lock,
    Result,
    Scalable,
    Status,
    UdvalgMax,
    UdvalgMin,
    load_catalog,
    solve,
)
from optimizer.explain import binding_gains, budget_next_100k, entry_thresholds, explain, next_100k_steps
from tests.conftest import FREDERIKSBERG_2021, make_catalog

STEP = 100_000
FUNDED = 0.5  # kroner


def gain_tol(objective: float) -> float:
    return 1e-6 * max(1.0, abs(objective))


def amount(result: Result, indsats_id: str) -> float:
    return float(result.allocation.set_index("id").at[indsats_id, "amount_kr"])


# --- a seeded generator of small catalogs with binding udvalg limits ------------------------------------------


def random_rows(rng: np.random.Generator, *, binary_share: float) -> list[dict[str, object]]:
    rows = []
    for k in range(int(rng.integers(3, 8))):
        cost = int(rng.integers(2, 40)) * 10_000
        rows.append(
            {
                "id": f"i{k}",
                "udvalg": str(rng.choice(["AUU", "SU", "KFU", "SU/KFU"])),
                "goals": str(rng.choice(["job", "skole", "job;skole"])),
                "cost_kr": cost,
                "reach": int(rng.integers(1, 400)),
                "scalable": "false" if rng.random() < binary_share else "true",
            }
        )
    return rows


def random_case(seed: int, *, binary_share: float) -> tuple[pd.DataFrame, float, list[Constraint]]:
    rng = np.random.default_rng(seed)
    rows = random_rows(rng, binary_share=binary_share)
    total = sum(int(row["cost_kr"]) for row in rows)
    budget = float(int(total * rng.uniform(0.3, 0.7)))
    constraints: list[Constraint] = []
    udvalg = {u for row in rows for u in str(row["udvalg"]).split("/")}
    for name in sorted(udvalg):
        if rng.random() < 0.5:
            constraints.append(UdvalgMax(name, kr=float(int(budget * rng.uniform(0.1, 0.5)))))
    return make_catalog(rows), budget, constraints


RANDOM = [pytest.param(seed, share, id=f"{kind}-{seed}") for seed in range(12)
          for kind, share in (("lp", 0.0), ("mixed", 0.5), ("aon", 1.0))]  # fmt: skip


# --- 1. what another 100.000 kr. in the pulje buys -----------------------------------------------------------


@pytest.mark.parametrize(("seed", "binary_share"), RANDOM)
def test_budget_next_100k_is_what_a_larger_pulje_buys(seed: int, binary_share: float) -> None:
    catalog, budget, constraints = random_case(seed, binary_share=binary_share)
    result = solve(catalog, budget, evidence_weight=0, constraints=constraints)
    larger = solve(catalog, budget + STEP, evidence_weight=0, constraints=constraints)
    assert result.status is Status.OPTIMAL and larger.status is Status.OPTIMAL
    gain = larger.objective - result.objective
    assert math.isclose(budget_next_100k(result)[None], gain, abs_tol=gain_tol(result.objective))


def test_budget_next_100k_per_year_raises_that_year_alone() -> None:
    catalog, budget, constraints = random_case(3, binary_share=0.5)
    result = solve(catalog, {2021: budget, 2022: budget * 0.8}, evidence_weight=0, constraints=constraints)
    for year, other in ((2021, 2022), (2022, 2021)):
        pulje = {
            year: (budget if year == 2021 else budget * 0.8) + STEP,
            other: budget if other == 2021 else budget * 0.8,
        }
        larger = solve(catalog, dict(sorted(pulje.items())), evidence_weight=0, constraints=constraints)
        assert math.isclose(budget_next_100k(result)[year], larger.objective - result.objective, abs_tol=1e-6)


@pytest.mark.parametrize(("seed", "binary_share"), RANDOM)
def test_where_the_next_100k_goes_is_the_larger_pulje_s_allocation(seed: int, binary_share: float) -> None:
    """ "Goes to" is the difference between a fresh solve at the larger pulje and the current allocation, indsats
    by indsats (both with ties broken by id), and nothing else moves."""
    catalog, budget, constraints = random_case(seed, binary_share=binary_share)
    result = solve(catalog, budget, evidence_weight=0, constraints=constraints)
    larger = solve(catalog, budget + STEP, evidence_weight=0, constraints=constraints)
    (step,) = next_100k_steps(result)
    change = larger.allocation.set_index("id")["amount_kr"] - result.allocation.set_index("id")["amount_kr"]
    assert set(step.change_kr) == set(change[change.abs() > FUNDED].index)
    for indsats_id, kr in step.change_kr.items():
        assert math.isclose(kr, change[indsats_id], abs_tol=FUNDED)
    spent = result.allocation["amount_kr"].sum() + sum(step.change_kr.values())
    assert spent <= budget + STEP + FUNDED  # money left over by all-or-nothing can go too, not more than the pulje


FREDERIKSBERG_REACH = {"fb21-farvel-til-farvede-forventninger": 40, "fb21-aaben-raadgivning": 250}


def test_frederiksberg_all_or_nothing_says_what_100k_really_buys() -> None:
    """The LP relaxation's 26,67 per 100.000 kr. is not what 100.000 kr. buys here: funding Dansk sproglig
    opkvalificering (150.000 kr., 40 value) does, once the 113.000 kr. left over grow to 213.000 kr."""
    catalog = load_catalog(FREDERIKSBERG_2021)
    result = solve(catalog, 700_000, assumptions=Assumptions(reach=FREDERIKSBERG_REACH))
    assert result.rates_from_relaxation
    assert math.isclose(result.budget_rate_per_100k[None], 80 / 3, rel_tol=1e-9)
    assert math.isclose(budget_next_100k(result)[None], 40.0, abs_tol=1e-9)
    larger = solve(catalog, 800_000, assumptions=Assumptions(reach=FREDERIKSBERG_REACH))
    assert math.isclose(larger.objective - result.objective, 40.0, abs_tol=1e-9)


# --- 2 and 3. what loosening each binding limit buys, one sign for every limit ----------------------------------


def loosened(constraint: Constraint, side: str) -> Constraint:
    """The constraint loosened by 100.000 kr. the way a user would write it."""
    if isinstance(constraint, UdvalgMax):
        return UdvalgMax(constraint.udvalg, kr=constraint.limit(0) + STEP, year=constraint.year)
    if isinstance(constraint, UdvalgMin):
        return UdvalgMin(constraint.udvalg, kr=max(constraint.limit(0) - STEP, 0.0), year=constraint.year)
    if isinstance(constraint, GoalMin):
        return GoalMin(constraint.goal, kr=max(constraint.limit(0) - STEP, 0.0), year=constraint.year)
    raise AssertionError(f"no loosening written for {constraint}")


@pytest.mark.parametrize(("seed", "binary_share"), RANDOM)
def test_each_binding_limits_gain_is_a_fresh_solve_of_it_loosened(seed: int, binary_share: float) -> None:
    catalog, budget, constraints = random_case(seed, binary_share=binary_share)
    rng = np.random.default_rng(seed + 1000)
    constraints.append(GoalMin("skole", kr=float(int(budget * rng.uniform(0.2, 0.6)))))
    result = solve(catalog, budget, evidence_weight=0, constraints=constraints)
    if result.status is Status.INFEASIBLE:  # the goal minimum cannot be met in this draw: test without it
        constraints.pop()
        result = solve(catalog, budget, evidence_weight=0, constraints=constraints)
    assert result.status is Status.OPTIMAL
    gains = binding_gains(result)
    for binding in result.binding:
        gain = gains[binding.name]
        assert gain is not None and gain >= -gain_tol(result.objective), (binding.name, gain)
        if binding.kind == "budget":
            continue
        index = next(k for k, c in enumerate(constraints) if binding.name.startswith(f"{c.kind}[{c.label}"))
        changed = [*constraints[:index], loosened(constraints[index], binding.side), *constraints[index + 1 :]]
        fresh = solve(catalog, budget, evidence_weight=0, constraints=changed)
        assert math.isclose(gain, fresh.objective - result.objective, abs_tol=gain_tol(result.objective)), binding


MINIMA: list[tuple[str, Callable[[], list[Constraint]], str]] = [
    ("udvalg_min", lambda: [UdvalgMin("KFU", kr=150_000)], "udvalg_min[KFU]"),
    ("goal_min", lambda: [GoalMin("fritid", kr=150_000)], "goal_min[fritid]"),
]

# a (AUU, job) 3 per 1.000 kr., b (KFU, fritid) 0.2 per 1.000 kr., each 200.000 kr. and scalable: a minimum on
# KFU or on fritid forces money from a to b, so loosening it helps: 100.000 kr. back to a buy 300 − 20 = 280.
SIGN_ROWS = [
    {"id": "a", "udvalg": "AUU", "goals": "job", "cost_kr": 200_000, "reach": 600},
    {"id": "b", "udvalg": "KFU", "goals": "fritid", "cost_kr": 200_000, "reach": 40},
]


@pytest.mark.parametrize(("kind", "make", "name"), MINIMA, ids=[m[0] for m in MINIMA])
def test_a_binding_minimum_reports_a_positive_number(kind: str, make: Callable, name: str) -> None:
    result = solve(make_catalog(SIGN_ROWS), 200_000, evidence_weight=0, constraints=make())
    binding = {b.name: b for b in result.binding}
    assert binding[name].side == "lower"
    assert binding[name].rate_per_100k is not None and math.isclose(binding[name].rate_per_100k, 280.0)
    assert math.isclose(binding_gains(result)[name], 280.0)


def test_a_binding_continuity_reports_a_positive_number() -> None:
    """b funded in full in 2021 must keep 80 % in 2022; a is worth more in 2022. Loosening the continuity row by
    100.000 kr. of b's 2022 ask frees 100.000 kr. for a: 300 − 20 = 280."""
    rows = [{**SIGN_ROWS[0]}, {**SIGN_ROWS[1]}]
    result = solve(
        make_catalog(rows), {2021: 400_000, 2022: 200_000}, evidence_weight=0,
        constraints=[Lock("b", 200_000, year=2021), Continuity(0.8, ("b",))],
    )  # fmt: skip
    binding = {b.name: b for b in result.binding}
    assert "continuity[b,2022]" in binding
    assert math.isclose(binding_gains(result)["continuity[b,2022]"], 280.0, rel_tol=1e-9)


# --- 4. entry thresholds, exact for partly fundable indsatser too --------------------------------------------


def test_entry_threshold_of_the_issues_example() -> None:
    """Three of 100.000 kr. with reach 100, 50, 10 and a pulje of 100.500: c gets money above 50 per 100.000 kr."""
    rows = [{"id": i, "udvalg": "SU", "goals": "job", "cost_kr": 100_000, "reach": r} for i, r in
            (("a", 100), ("b", 50), ("c", 10))]  # fmt: skip
    result = solve(make_catalog(rows), 100_500, evidence_weight=0)
    table = entry_thresholds(result).set_index("id")
    assert math.isclose(table.at["c", "needed_value_per_100k"], 50.0, rel_tol=1e-9)
    assert math.isclose(table.at["c", "value_per_100k"], 10.0)


def with_value(catalog: pd.DataFrame, indsats_id: str, factor: float) -> pd.DataFrame:
    """The catalog with one indsats's reach scaled (its value per 100.000 kr. scaled the same, in every year)."""
    changed = catalog.copy()
    for column in ("reach", "reach_min", "reach_max"):  # a stated range is read at its low end: scale it all
        changed.loc[changed["id"] == indsats_id, column] *= factor
    return changed


@pytest.mark.parametrize(("seed", "binary_share"), RANDOM)
def test_entry_threshold_is_exact_3_percent_either_side(seed: int, binary_share: float) -> None:
    catalog, budget, constraints = random_case(seed, binary_share=binary_share)
    result = solve(catalog, budget, evidence_weight=0, constraints=constraints)
    table = entry_thresholds(result)
    for row in table.itertuples(index=False):
        if math.isnan(row.needed_value_per_100k) or row.needed_value_per_100k == 0:
            continue
        ratio = row.needed_value_per_100k / row.value_per_100k
        above = solve(with_value(catalog, row.id, ratio * 1.03), budget, evidence_weight=0, constraints=constraints)
        below = solve(with_value(catalog, row.id, ratio * 0.97), budget, evidence_weight=0, constraints=constraints)
        assert amount(above, row.id) > FUNDED, (row.id, row.needed_value_per_100k)
        assert amount(below, row.id) <= FUNDED, (row.id, row.needed_value_per_100k)


def test_entry_threshold_over_two_years_with_different_asks() -> None:
    """An indsats asking more in one year than the other: its value changes in proportion in both."""
    catalog = load_catalog(FREDERIKSBERG_2021)
    budget = {2021: 500_000, 2022: 380_000}  # Dansk sproglig (150.000 kr., then 120.000 kr.) gets nothing
    assumptions = Assumptions(reach=FREDERIKSBERG_REACH)
    result = solve(catalog, budget, assumptions=assumptions, constraints=[Scalable("*")])
    table = entry_thresholds(result)
    assert not table.empty
    for row in table.itertuples(index=False):
        ratio = row.needed_value_per_100k / row.value_per_100k
        for factor, gets in ((1.03, True), (0.97, False)):
            again = solve(with_value(catalog, row.id, ratio * factor), budget, assumptions=assumptions,
                          constraints=[Scalable("*")])  # fmt: skip
            assert (amount(again, row.id) > FUNDED) is gets, (row.id, factor)


# --- 5. Scalable('*') keeps a row's own minimum and maximum ---------------------------------------------------


def test_scalable_for_all_keeps_a_rows_own_min_and_max() -> None:
    rows = [
        {"id": "a", "udvalg": "SU", "goals": "job", "cost_kr": 100_000, "reach": 900, "min_kr": 60_000,
         "max_kr": 200_000, "scalable": ""},
        {"id": "b", "udvalg": "SU", "goals": "job", "cost_kr": 100_000, "reach": 100, "scalable": ""},
    ]  # fmt: skip
    for budget, expected in ((250_000, 200_000), (50_000, 0.0), (130_000, 130_000)):
        result = solve(make_catalog(rows), budget, evidence_weight=0, constraints=[Scalable("*")])
        assert math.isclose(amount(result, "a"), expected, abs_tol=FUNDED), budget


# --- 6. JSON carries the explanations ---------------------------------------------------------------------


def test_explanation_json_has_the_documented_keys() -> None:
    catalog, budget, constraints = random_case(5, binary_share=0.0)
    result = solve(catalog, budget, evidence_weight=0, constraints=constraints)
    data = json.loads(json.dumps({**result.to_dict(), **explain(result).to_dict()}, allow_nan=False))
    assert isinstance(data["budget_next_100k"], float)
    assert set(data["gain_next_100k"]) == {b.name for b in result.binding}
    for entry in data["entry_thresholds"]:
        assert set(entry) == {"id", "value_per_100k", "needed_value_per_100k", "entry_kr", "note"}


def test_multi_year_budget_next_100k_is_an_object_by_year() -> None:
    catalog, budget, constraints = random_case(5, binary_share=0.0)
    result = solve(catalog, {2021: budget, 2022: budget}, evidence_weight=0, constraints=constraints)
    assert set(explain(result).to_dict()["budget_next_100k"]) == {"2021", "2022"}
