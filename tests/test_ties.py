"""Ties are broken by id on every path: solve(), a compiled re-solve, a budget sweep and CBC all fund the same
indsats when two allocations are worth exactly the same, and it is the one whose id comes first."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from optimizer import AllOrNothing, Inputs, compile_inputs, solve
from scenarios import Scenario, load_scenario, sweep_budget
from tests.conftest import ROOT, make_catalog

COPENHAGEN = ROOT / "scenarios" / "examples" / "copenhagen_bruttokatalog.toml"


def amounts(result: object) -> pd.Series:
    return result.allocation.set_index("id")["amount_kr"].round(2)  # type: ignore[attr-defined]


def test_copenhagen_tie_at_6_mio_is_the_same_in_solve_and_sweep() -> None:
    """The issue's case: all-or-nothing kk-social-kontrol at 6.000.000 kr. ties two allocations."""
    scenario = load_scenario(COPENHAGEN)
    scenario = scenario.replace(constraints=(*scenario.constraints, AllOrNothing("kk-social-kontrol")))
    swept = sweep_budget(scenario, [5_000_000, 6_000_000, 7_000_000])
    for budget in (5_000_000.0, 6_000_000.0, 7_000_000.0):
        solved = solve(scenario.inputs.replace(budget=budget))
        assert swept.amounts[budget].round(2).equals(amounts(solved).rename(budget)), budget


def tied_catalog(seed: int, *, binary: bool) -> tuple[pd.DataFrame, list[str]]:
    """Twins: pairs of indsatser with the same cost, reach and goals (so the same value), ids in random order."""
    rng = np.random.default_rng(seed)
    rows = []
    names = [f"{chr(97 + k)}{int(rng.integers(10, 99))}" for k in range(8)]
    rng.shuffle(names)
    for k in range(4):
        cost = int(rng.integers(5, 30)) * 10_000
        reach = int(rng.integers(10, 300))
        for twin in (names[2 * k], names[2 * k + 1]):
            rows.append({"id": twin, "udvalg": "SU", "goals": "job", "cost_kr": cost, "reach": reach,
                         "scalable": "false" if binary else "true"})  # fmt: skip
    return make_catalog(rows), names


@pytest.mark.parametrize("binary", [False, True], ids=["scalable", "all-or-nothing"])
@pytest.mark.parametrize("seed", range(8))
def test_twins_are_funded_lower_id_first_on_every_path(seed: int, binary: bool) -> None:
    catalog, _ = tied_catalog(seed, binary=binary)
    total = float(catalog["cost_kr"].sum())
    budgets = [round(total * share, -3) for share in (0.2, 0.35, 0.5, 0.65)]
    inputs = Inputs(catalog, budgets[0], evidence_weight=0)
    compiled = compile_inputs(inputs)
    swept = sweep_budget(Scenario("twins", inputs), budgets)
    for budget in budgets:
        fresh = solve(inputs.replace(budget=budget))
        moved = compiled.solve(inputs.replace(budget=budget))
        cbc = solve(inputs.replace(budget=budget), solver="cbc")
        assert math.isclose(fresh.objective, cbc.objective, rel_tol=1e-7)  # CBC writes its solution to 8-9 digits
        for other in (amounts(moved), swept.amounts[budget].round(2)):
            assert other.rename(None).equals(amounts(fresh).rename(None)), budget
        assert amounts(cbc).round(0).rename(None).equals(amounts(fresh).round(0).rename(None)), budget
        by_twin = catalog.groupby(["cost_kr", "reach"])["id"].apply(sorted)
        for first, second in by_twin:
            got = amounts(fresh)
            assert got[first] >= got[second], (first, second, got[first], got[second])
