"""A Result's tables (made when first read), checked against the catalog they come from: the allocation's text
columns as the catalog states them, in pandas' text dtype; the totals per udvalg and per goal adding up the
allocation's own amounts; the same tables after a pickle round trip."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pandas as pd
import pytest

from optimizer import Result, solve
from optimizer.constraints import UdvalgMin
from scenarios import load_scenario
from tests.conftest import ROOT

SCENARIOS = ["frederiksberg_baseline", "frederiksberg_max_reach", "copenhagen_bruttokatalog"]  # two are multi-year
TEXT = pd.StringDtype(na_value=np.nan)


def solved(name: str) -> Result:
    result = solve(load_scenario(ROOT / "scenarios" / "examples" / f"{name}.toml").inputs)
    assert result.is_ok
    return result


def year_columns(result: Result) -> list[str]:
    return ["amount_kr"] if result.years == (None,) else [f"amount_kr_{year}" for year in result.years]


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_allocation_states_the_catalog_texts_in_the_text_dtype(name: str) -> None:
    inputs = load_scenario(ROOT / "scenarios" / "examples" / f"{name}.toml").inputs
    allocation = solve(inputs).allocation
    catalog = inputs.catalog[~inputs.catalog["fixed"]].set_index("id")
    texts = ["id", "name", "udvalg", "goals", "reach_unit"]
    assert {column: allocation[column].dtype for column in texts} == dict.fromkeys(texts, TEXT)
    assert all(allocation[column].dtype == np.float64 for column in allocation.columns if column not in texts)
    rows = catalog.loc[list(allocation["id"])]
    assert list(allocation["name"]) == list(rows["name"])
    assert list(allocation["udvalg"]) == ["/".join(udvalg) for udvalg in rows["udvalg"]]
    assert list(allocation["goals"]) == [";".join(goals) for goals in rows["goals"]]
    assert list(allocation["reach_unit"]) == list(rows["reach_unit"])


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_udvalg_totals_split_each_amount_equally_among_its_udvalg(name: str) -> None:
    result = solved(name)
    expected: dict[str, np.ndarray] = {}
    for row in result.allocation.itertuples(index=False):
        udvalg = row.udvalg.split("/")
        for u in udvalg:
            amounts = np.array([getattr(row, column) for column in year_columns(result)]) / len(udvalg)
            expected[u] = expected.get(u, 0.0) + amounts
    table = result.by_udvalg.set_index("udvalg")
    assert table.index.dtype == TEXT and sorted(table.index) == sorted(expected)
    for u, amounts in expected.items():
        assert np.allclose(table.loc[u, year_columns(result)].to_numpy(dtype=float), amounts, rtol=1e-12), u
        assert math.isclose(table.loc[u, "amount_kr"], amounts.sum(), rel_tol=1e-12), u


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_goal_totals_count_an_indsats_under_each_of_its_goals(name: str) -> None:
    result = solved(name)
    table = result.by_goal.set_index("goal")
    for goal in table.index:
        serving = result.allocation["goals"].str.split(";").map(lambda goals, g=goal: g in goals)
        assert math.isclose(table.loc[goal, "amount_kr"], result.allocation.loc[serving, "amount_kr"].sum(),
                            rel_tol=1e-12, abs_tol=1e-6), goal  # fmt: skip
    assert math.isclose(table["value"].sum(), result.objective, rel_tol=1e-9)
    assert [str(dtype) for dtype in result.by_goal.dtypes] == ["str", "str", "float64", "float64", "float64"]


def test_the_tables_read_after_a_pickle_round_trip_are_the_same() -> None:
    """A result pickled before its tables were made (as the app's cache may) makes the same ones."""
    result = solved("frederiksberg_max_reach")
    copy = pickle.loads(pickle.dumps(result))
    assert "allocation" not in copy.__dict__
    pd.testing.assert_frame_equal(copy.allocation, result.allocation)
    pd.testing.assert_frame_equal(copy.by_udvalg, result.by_udvalg)
    pd.testing.assert_frame_equal(copy.by_goal, result.by_goal)


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_budget_use_adds_up_each_years_allocation_under_its_pulje(name: str) -> None:
    """Per year: the allocated amount is the allocation's column total, and pulje = fixed + allocated + unused;
    with the pulje cut by 100.000 kr. a year, the re-solve's figures follow it."""
    inputs = load_scenario(ROOT / "scenarios" / "examples" / f"{name}.toml").inputs
    pulje = solve(inputs).pulje
    less = pulje[None] - 100_000 if None in pulje else {y: kr - 100_000 for y, kr in pulje.items()}
    for inputs_now in (inputs, inputs.replace(budget=less)):
        result = solve(inputs_now)
        assert result.is_ok
        assert [use.year for use in result.budget_use] == list(result.years)
        for use, column in zip(result.budget_use, year_columns(result), strict=True):
            assert math.isclose(use.allocated_kr, result.allocation[column].sum(), rel_tol=1e-12, abs_tol=1e-6)
            assert use.pulje_kr == result.pulje[use.year] and use.fixed_kr == result.fixed[use.year]
            assert math.isclose(use.pulje_kr, use.fixed_kr + use.allocated_kr + use.unused_kr, abs_tol=1e-6)
            assert use.unused_kr >= -1e-6


def test_the_budget_use_of_a_result_without_an_allocation_says_nothing_is_allocated() -> None:
    catalog = pd.DataFrame({"id": ["a"], "name": ["A"], "udvalg": ["SU"], "goals": ["g"], "cost_kr": ["100000"],
                            "reach": ["10"], "scalable": ["true"]})  # fmt: skip
    result = solve(catalog, 50_000, evidence_weight=0, constraints=[UdvalgMin("SU", kr=80_000)])
    assert not result.is_ok
    (use,) = result.budget_use
    assert use.pulje_kr == 50_000 and math.isnan(use.allocated_kr) and math.isnan(use.unused_kr)
