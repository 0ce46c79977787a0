"""The explanations are right: shadow prices, binding rows, entry thresholds, model export, dict and summary."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from pathlib import Path

import highspy
import pandas as pd
import pulp
import pytest

from optimizer import (
    Result,
    Assumptions,
    Exclude,
    FixedLine,
    GoalMin,
    Lock,
    Scalable,
    SetupCost,
    SolverError,
    SpecError,
    Status,
    UdvalgMax,
    evaluate,
    solve,
)
from tests.conftest import make_catalog

# Evidence weight 0, one goal each: value per krone = reach / cost. a 3 per 1.000 kr., b 2, c 1, d 0.2; each
# costs 100.000 kr. and is scalable. Fractional knapsack: the marginal krone goes to b below 200.000, to c
# between 200.000 and 300.000, to d between 300.000 and 400.000.
LP_ROWS: list[dict[str, object]] = [
    {"id": "a", "udvalg": "AUU", "goals": "job", "cost_kr": 100_000, "reach": 300},
    {"id": "b", "udvalg": "AUU", "goals": "job", "cost_kr": 100_000, "reach": 200},
    {"id": "c", "udvalg": "SU", "goals": "skole", "cost_kr": 100_000, "reach": 100},
    {"id": "d", "udvalg": "KFU", "goals": "skole", "cost_kr": 100_000, "reach": 20},
]
LP = make_catalog(LP_ROWS)

# All-or-nothing: stor 600.000 kr. for 660 (1.1 per 1.000 kr.), mellem and lille 500.000 for 500 each.
# With 1.000.000 kr. the optimum is mellem + lille (1000); stor alone gives 660.
KNAPSACK_ROWS: list[dict[str, object]] = [
    {"id": "stor", "udvalg": "SU", "goals": "job", "cost_kr": 600_000, "reach": 660, "scalable": "false"},
    {"id": "mellem", "udvalg": "SU", "goals": "job", "cost_kr": 500_000, "reach": 500, "scalable": "false"},
    {"id": "lille", "udvalg": "SU", "goals": "job", "cost_kr": 500_000, "reach": 500, "scalable": "false"},
]
KNAPSACK = make_catalog(KNAPSACK_ROWS)
DELTA = 1_000.0


def funded(result: Result, indsats_id: str) -> float:
    return float(result.allocation.set_index("id").loc[indsats_id, "amount_kr"])


def with_reach(rows: list[dict[str, object]], changes: Mapping[str, float]) -> pd.DataFrame:
    return make_catalog([{**row, "reach": changes.get(str(row["id"]), row["reach"])} for row in rows])


# --- shadow prices --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("budget", "marginal"),
    [
        pytest.param(150_000, 0.002, id="b-at-the-margin"),
        pytest.param(250_000, 0.001, id="c-at-the-margin"),
        pytest.param(320_000, 0.0002, id="d-at-the-margin"),
    ],
)
def test_budget_shadow_price_is_the_finite_difference_slope(budget: float, marginal: float) -> None:
    result = solve(LP, budget, evidence_weight=0)
    more = solve(LP, budget + DELTA, evidence_weight=0)
    slope = (more.objective - result.objective) / DELTA
    assert math.isclose(slope, marginal, rel_tol=1e-6)
    assert math.isclose(result.shadow_price_budget, slope, rel_tol=1e-6)
    assert result.duals_from_relaxation is False


def test_budget_shadow_price_per_year_is_each_year_slope() -> None:
    """A multi-year pulje has one shadow price per year: 2021 has c at the margin, 2022 (150.000) has b."""
    result = solve(LP, {2021: 250_000, 2022: 150_000}, evidence_weight=0)
    assert set(result.shadow_price_budget) == {2021, 2022}
    for year, budget in ((2021, 250_000), (2022, 150_000)):
        more = solve(LP, {2021: 250_000, 2022: 150_000, year: budget + DELTA}, evidence_weight=0)
        slope = (more.objective - result.objective) / DELTA
        assert math.isclose(result.shadow_price_budget[year], slope, rel_tol=1e-6)
    assert math.isclose(result.shadow_price_budget[2021], 0.001)
    assert math.isclose(result.shadow_price_budget[2022], 0.002)


def test_milp_shadow_price_comes_from_the_lp_relaxation() -> None:
    budget = 1_000_000
    result = solve(KNAPSACK, budget, evidence_weight=0)
    assert result.status is Status.OPTIMAL
    assert result.duals_from_relaxation is True
    # The MILP itself gains nothing from 1.000 kr. more (nothing else fits) ...
    assert math.isclose(solve(KNAPSACK, budget + DELTA, evidence_weight=0).objective, result.objective)
    # ... its LP relaxation (every indsats scalable) funds stor (1.1) in full and mellem with the remaining
    # 400.000, so the marginal krone is worth mellem's 1 per 1.000 kr.
    relaxed = [Scalable(str(row["id"])) for row in KNAPSACK_ROWS]
    low = solve(KNAPSACK, budget, evidence_weight=0, constraints=relaxed)
    high = solve(KNAPSACK, budget + DELTA, evidence_weight=0, constraints=relaxed)
    slope = (high.objective - low.objective) / DELTA
    assert math.isclose(slope, 0.001, rel_tol=1e-6)
    assert math.isclose(result.shadow_price_budget, slope, rel_tol=1e-6)
    assert "LP relaxation" in result.summary()


# --- binding rows -----------------------------------------------------------------------------------


def test_binding_lists_exactly_the_tight_rows() -> None:
    constraints = [
        UdvalgMax("AUU", kr=150_000),  # a + b = 150.000: tight
        UdvalgMax("SU", kr=500_000),  # c = 100.000 < 500.000: slack
        GoalMin("skole", kr=10_000),  # c + d = 100.000 > 10.000: slack
        Exclude("d"),  # d = 0: tight
    ]
    result = solve(LP, 250_000, evidence_weight=0, constraints=constraints)
    x = result.allocation.set_index("id")["amount_kr"]
    # Hand: a 100.000, b 50.000, c 100.000, d 0.
    assert x.to_dict() == pytest.approx({"a": 100_000, "b": 50_000, "c": 100_000, "d": 0}, abs=1.0)
    activity = {
        "budget": (x.sum(), 250_000),
        "udvalg_max[AUU]": (x["a"] + x["b"], 150_000),
        "udvalg_max[SU]": (x["c"], 500_000),
        "goal_min[skole]": (x["c"] + x["d"], 10_000),
        "exclude[d]": (x["d"], 0),
    }
    tight = {name for name, (used, bound) in activity.items() if math.isclose(used, bound, abs_tol=1.0)}
    assert tight == {"budget", "udvalg_max[AUU]", "exclude[d]"}
    assert {b.name for b in result.binding} == tight
    bounds = {b.name: b.bound for b in result.binding}
    assert bounds == pytest.approx({"budget": 250_000, "udvalg_max[AUU]": 150_000, "exclude[d]": 0})


def test_binding_shadow_price_is_the_finite_difference_slope() -> None:
    """Loosening AUU by 1.000 kr. moves 1.000 kr. from c (1 per 1.000) to b (2 per 1.000): 0.001 per krone."""
    result = solve(LP, 250_000, evidence_weight=0, constraints=[UdvalgMax("AUU", kr=150_000)])
    looser = solve(LP, 250_000, evidence_weight=0, constraints=[UdvalgMax("AUU", kr=150_000 + DELTA)])
    slope = (looser.objective - result.objective) / DELTA
    assert math.isclose(slope, 0.001, rel_tol=1e-6)
    prices = result.shadow_prices.set_index("constraint")["shadow_price"]
    assert math.isclose(prices["udvalg_max[AUU]"], slope, rel_tol=1e-6)


def test_a_minimum_that_binds_has_a_negative_price() -> None:
    """Raising the skole minimum by 1.000 kr. moves 1.000 kr. from b (2) to d (0.2): −0.0018 per krone."""
    result = solve(LP, 250_000, evidence_weight=0, constraints=[GoalMin("skole", kr=120_000)])
    tighter = solve(LP, 250_000, evidence_weight=0, constraints=[GoalMin("skole", kr=120_000 + DELTA)])
    slope = (tighter.objective - result.objective) / DELTA
    assert math.isclose(slope, -0.0018, rel_tol=1e-6)
    prices = result.shadow_prices.set_index("constraint")["shadow_price"]
    assert math.isclose(prices["goal_min[skole]"], slope, rel_tol=1e-6)


# --- entry thresholds -------------------------------------------------------------------------------


def test_entry_threshold_lp() -> None:
    """d is unfunded; it enters once it beats c, the indsats at the margin (1 per 1.000 kr.)."""
    result = solve(LP, 250_000, evidence_weight=0)
    table = result.entry_thresholds.set_index("id")
    assert list(table.index) == ["d"]  # only unfunded indsatser
    needed = float(table.loc["d", "needed_value_per_kr"])
    assert math.isclose(needed, 0.001, rel_tol=1e-6)
    cost = 100_000
    above = solve(with_reach(LP_ROWS, {"d": needed * cost * 1.01}), 250_000, evidence_weight=0)
    below = solve(with_reach(LP_ROWS, {"d": needed * cost * 0.99}), 250_000, evidence_weight=0)
    assert funded(above, "d") > 0.5
    assert funded(below, "d") < 0.5


def test_entry_threshold_all_or_nothing() -> None:
    """stor must be worth more than mellem + lille (1000) on its own: 1000 / 600.000 kr. per krone."""
    result = solve(KNAPSACK, 1_000_000, evidence_weight=0)
    table = result.entry_thresholds.set_index("id")
    assert list(table.index) == ["stor"]
    needed = float(table.loc["stor", "needed_value_per_kr"])
    assert math.isclose(needed, 1000 / 600_000, rel_tol=1e-6)
    cost = 600_000
    above = solve(with_reach(KNAPSACK_ROWS, {"stor": needed * cost * 1.01}), 1_000_000, evidence_weight=0)
    below = solve(with_reach(KNAPSACK_ROWS, {"stor": needed * cost * 0.99}), 1_000_000, evidence_weight=0)
    assert funded(above, "stor") == pytest.approx(600_000)
    assert funded(below, "stor") == 0


def test_entry_threshold_all_or_nothing_over_years_with_a_setup_cost() -> None:
    """An all-or-nothing indsats whose set-up cost ties its years together: the threshold must still be exact.

    k (100.000 kr., 50.000 set-up) can only start in 2021 (2022 has no room for the set-up) and then runs in
    2022 without it. The optimum without k: m + n in 2021, m in 2022 = 150 + 40 + 150 = 340. With value v per
    krone, k in both years gives 200.000·v, which beats 340 from v = 0.0017 (k with m in 2022 needs 0.0019).
    """
    rows: list[dict[str, object]] = [
        {"id": "k", "udvalg": "SU", "goals": "job", "cost_kr": 100_000, "reach": 100, "scalable": "false"},
        {"id": "m", "udvalg": "SU", "goals": "job", "cost_kr": 100_000, "reach": 150, "scalable": "false"},
        {"id": "n", "udvalg": "SU", "goals": "job", "cost_kr": 50_000, "reach": 40, "scalable": "false"},
    ]
    budget = {2021: 150_000, 2022: 100_000}
    setup = [SetupCost("k", 50_000)]
    result = solve(make_catalog(rows), budget, evidence_weight=0, constraints=setup)
    assert math.isclose(result.objective, 340.0)
    needed = float(result.entry_thresholds.set_index("id").loc["k", "needed_value_per_kr"])
    cost = 100_000
    above = solve(with_reach(rows, {"k": needed * cost * 1.01}), budget, evidence_weight=0, constraints=setup)
    below = solve(with_reach(rows, {"k": needed * cost * 0.99}), budget, evidence_weight=0, constraints=setup)
    assert funded(above, "k") > 0.5
    assert funded(below, "k") < 0.5, f"k is funded at {needed * 0.99:.6f} per krone, below its threshold {needed:.6f}"
    assert math.isclose(needed, 0.0017, rel_tol=1e-6)


# --- model export -----------------------------------------------------------------------------------


def _lp_result() -> Result:
    return solve(LP, 250_000, evidence_weight=0, constraints=[UdvalgMax("AUU", kr=150_000)])


def _milp_result() -> Result:
    return solve(KNAPSACK, 1_000_000, evidence_weight=0)


@pytest.mark.parametrize(
    ("make", "objective"),
    [pytest.param(_lp_result, 500.0, id="lp"), pytest.param(_milp_result, 1000.0, id="milp")],
)
def test_mps_reads_back_into_pulp_and_resolves(make: Callable[[], Result], objective: float, tmp_path: Path) -> None:
    result = make()
    path = result.write_model(tmp_path / "m.mps")
    assert path == tmp_path / "m.mps" and path.exists()
    # PuLP's MPS reader cannot learn the sense from the file: it is told the model maximizes.
    _, problem = pulp.LpProblem.fromMPS(str(path), sense=pulp.LpMaximize)
    problem.solve(pulp.HiGHS(msg=False))
    assert pulp.LpStatus[problem.status] == "Optimal"
    assert math.isclose(pulp.value(problem.objective), result.objective, rel_tol=1e-6)
    assert math.isclose(result.objective, objective)


def _highs_objective(path: Path) -> float:
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    assert highs.readModel(str(path)) == highspy.HighsStatus.kOk
    highs.run()
    assert highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return highs.getInfo().objective_function_value


@pytest.mark.parametrize("suffix", [".lp", ".mps"])
def test_written_model_resolves_in_another_solver_on_its_own(suffix: str, tmp_path: Path) -> None:
    """The export is for an auditor re-solving "with any solver": the file itself must say it maximizes."""
    result = _lp_result()
    path = result.write_model(tmp_path / f"m{suffix}")
    again = _highs_objective(path)
    assert math.isclose(again, result.objective, rel_tol=1e-6), f"HiGHS re-solves {path.name} to {again}"


def test_lp_file_has_readable_row_names(tmp_path: Path) -> None:
    text = _lp_result().write_model(tmp_path / "m.lp").read_text()
    assert "Maximize" in text
    assert "budget:" in text
    assert "udvalg_max_AUU" in text
    assert "x_a" in text


def test_unsupported_model_suffix_is_a_spec_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match=r"m\.txt.*\.lp or \.mps"):
        _lp_result().write_model(tmp_path / "m.txt")
    assert not (tmp_path / "m.txt").exists()


def test_an_evaluated_allocation_has_no_model_to_write(tmp_path: Path) -> None:
    evaluated = evaluate(LP, {"a": 100_000}, 250_000, evidence_weight=0)
    with pytest.raises(SolverError, match="no model"):
        evaluated.write_model(tmp_path / "m.lp")


# --- to_dict and summary ----------------------------------------------------------------------------


def test_to_dict_is_json_with_the_allocation() -> None:
    result = _lp_result()
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert {"status", "objective", "allocation", "shadow_price_budget"} <= set(data)
    assert data["status"] == "optimal"
    assert math.isclose(data["objective"], 500.0)
    assert math.isclose(data["shadow_price_budget"], 0.001)
    rows = {row["id"]: row for row in data["allocation"]}
    assert set(rows) == {"a", "b", "c", "d"}
    for row in data["allocation"]:
        assert {"id", "amount_kr", "share"} <= set(row)
    assert rows["b"]["amount_kr"] == pytest.approx(50_000)
    assert rows["b"]["share"] == pytest.approx(0.5)
    assert rows["d"]["share"] == pytest.approx(0.0)


def test_to_dict_multi_year_is_json() -> None:
    result = solve(LP, {2021: 250_000, 2022: 150_000}, evidence_weight=0)
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert data["shadow_price_budget"] == pytest.approx({"2021": 0.001, "2022": 0.002})
    rows = {row["id"]: row for row in data["allocation"]}
    assert rows["b"]["amount_kr"] == pytest.approx(150_000)
    assert rows["b"]["share"] == pytest.approx(0.75)  # 150.000 of 2 × 100.000


def test_to_dict_of_an_infeasible_result_is_strict_json() -> None:
    """An infeasible result has no objective; its dict must still be valid JSON (no NaN)."""
    result = solve(
        LP, 250_000, evidence_weight=0, constraints=[Lock("a", 100_000), Lock("b", 100_000), Lock("c", 100_000)]
    )
    assert result.status is Status.INFEASIBLE
    data = result.to_dict()
    assert data["status"] == "infeasible"
    assert data["conflict"]["constraints"]
    try:
        json.dumps(data, allow_nan=False)
    except ValueError as exc:
        pytest.fail(f"to_dict() of an infeasible result is not valid JSON ({exc}); objective={data['objective']!r}")


def test_summary_mentions_the_assumptions() -> None:
    catalog = make_catalog(
        [
            {"id": "spand", "udvalg": "SU", "goals": "job", "cost_kr": 100_000, "reach_min": 20, "reach_max": 30},
            {"id": "tavs", "udvalg": "SU", "goals": "job", "cost_kr": 100_000, "scalable": ""},
        ]
    )
    result = solve(
        catalog,
        150_000,
        evidence_weight=0,
        constraints=[FixedLine("priser", 40_000)],
        assumptions=Assumptions(reach={"tavs": 55}),
    )
    text = result.summary()
    assert "Assumptions" in text
    lines = [line for line in text.splitlines() if line.strip().startswith("- ")]
    assert any("tavs" in line and "55" in line for line in lines), "the assumed reach"
    assert any("spand" in line and "20" in line for line in lines), "the range read at its low end"
    assert any("tavs" in line and "full cost or not at all" in line for line in lines), "the unstated scalability"
    assert any("priser" in line and "40.000 kr." in line for line in lines), "the fixed line"
    assert "40.000 kr." in text and "150.000 kr." in text


def test_lp_entry_threshold_over_years_is_the_smallest_rise() -> None:
    """Two years, scalable. In 2021 c is excluded, so b competes with a (1 per 1.000 kr.); in 2022 with c
    (1,5 per 1.000 kr.). b enters first in 2021, at 1 per 1.000 kr.: the smaller of the two rises."""
    rows = [
        {"id": "a", "udvalg": "SU", "goals": "job", "cost_kr": 100_000, "reach": 100},
        {"id": "b", "udvalg": "SU", "goals": "job", "cost_kr": 100_000, "reach": 80},
        {"id": "c", "udvalg": "SU", "goals": "job", "cost_kr": 100_000, "reach": 150},
    ]
    budget = {2021: 100_000, 2022: 100_000}
    rules = [Exclude("c", year=2021), Exclude("a", year=2022)]
    result = solve(make_catalog(rows), budget, evidence_weight=0, constraints=rules)
    entry = result.entry_thresholds.set_index("id")
    assert list(entry.index) == ["b"]
    assert entry.at["b", "needed_value_per_kr"] == pytest.approx(100 / 100_000, rel=1e-6)
    for reach, enters in ((101, True), (99, False)):
        bumped = solve(with_reach(rows, {"b": reach}), budget, evidence_weight=0, constraints=rules)
        assert (funded(bumped, "b") > 0.5) is enters
