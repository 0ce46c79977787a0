"""The CLI's text and JSON: Danish numbers in English prose, labelled comparisons, honest per-goal totals."""

from __future__ import annotations

import json
import math
import re
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from optimizer.explain import Explanation, explain
from optimizer.formats import format_kr, format_number
from scenarios import baseline, compare, frontier, load_scenario, robustness, run, sweep_budget
from scenarios.compare import column_label
from scenarios.report import (
    comparison_dict,
    comparison_text,
    frontier_text,
    robustness_text,
    run_text,
    sweep_text,
    validate_text,
)
from scenarios.run import ScenarioRun

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "scenarios" / "examples"
FREDERIKSBERG = ROOT / "data" / "frederiksberg"
ENGLISH_NUMBER = re.compile(r"\d,\d{3}\.\d|\b\d+\.\d{2}\b")  # 4,786.13 or 53.33: what a Danish reader misreads
ASSUMED_REACH = {"fb21-farvel-til-farvede-forventninger": 40.0, "fb21-aaben-raadgivning": 250.0}  # the examples' own
TIGHT = {2021: 500_000, 2022: 450_000}  # 460.000 and 410.000 kr. after the fixed line: not every ask fits


@cache
def solved(name: str) -> ScenarioRun:
    return run(load_scenario(EXAMPLES / f"{name}.toml"))


@cache
def decided(name: str) -> ScenarioRun:
    return baseline(load_scenario(EXAMPLES / f"{name}.toml"))


@cache
def tight(name: str) -> ScenarioRun:
    """The example at the TIGHT pulje: at the pool table's sums every Frederiksberg example funds every ask."""
    return run(load_scenario(EXAMPLES / f"{name}.toml").replace(budget=TIGHT))


def explained(result: ScenarioRun) -> Explanation | None:
    """Every explanation, as `--explain` gives it; None for a valued allocation (nothing was optimized)."""
    return explain(result.result) if result.result.model is not None else None


def every_ask_funded() -> float:
    """The value of funding every ask of the 2021-2022 pool table, from the CSVs: for each year an indsats asks
    for something, its reach (the low end of a range, or the examples' assumed reach) × the goals it serves
    (every weight 1, evidence unrated)."""
    catalog = pd.read_csv(FREDERIKSBERG / "handleplan_2021_2022.csv")
    asks = pd.read_csv(FREDERIKSBERG / "handleplan_2021_2022_asks.csv")
    years_asked = asks[asks["cost_kr"] > 0].groupby("id")["year"].nunique()
    total = 0.0
    for row in catalog[catalog["fixed"].ne(True)].itertuples(index=False):
        reach = ASSUMED_REACH.get(row.id) or (row.reach if pd.notna(row.reach) else row.reach_min)
        total += reach * len(row.goals.split(";")) * years_asked.get(row.id, 0)
    return total


def test_run_text_writes_the_objective_the_danish_way() -> None:
    """722.000 and 700.000 kr. less the fixed 40.000 kr. are exactly the pool table's asks of 2021 and 2022, and an
    indsats gets at most its ask in a year, so max reach funds every ask: 4.650,00 (4.786,13 before the per-year
    asks, when an indsats could have its larger year's cost in both years). Nothing is left for more money."""
    result = solved("frederiksberg_max_reach")
    text = run_text(result, explanation=explained(result))
    assert f"Total value (objective): {format_number(result.result.objective)}." in text
    assert format_number(every_ask_funded()) == "4.650,00"
    assert "Total value (objective): 4.650,00." in text  # not "4,650.00"
    for year in (2021, 2022):
        assert f"Another 100.000 kr. in the pulje {year} buys 0,00 value" in text
    assert not ENGLISH_NUMBER.search(text), ENGLISH_NUMBER.search(text)


@pytest.mark.parametrize("name", ["frederiksberg_max_reach", "copenhagen_bruttokatalog", "frederiksberg_baseline"])
def test_no_english_numbers_in_any_run_text(name: str) -> None:
    text = run_text(solved(name), explanation=explained(solved(name)))
    assert not ENGLISH_NUMBER.search(text), ENGLISH_NUMBER.search(text)


def test_no_english_numbers_in_the_explanations() -> None:
    result = tight("frederiksberg_labour_market_first")
    text = run_text(result, explanation=explained(result))
    assert "What the unfunded would need" in text and "next_100k_buys" in text  # every explanation is there
    assert not ENGLISH_NUMBER.search(text), ENGLISH_NUMBER.search(text)


def test_value_per_100k_is_a_value_and_the_budget_rate_per_100k() -> None:
    """Labour market first (arbejdsmarked weighs 3) at 460.000 kr. in 2021 and 410.000 kr. in 2022 after the fixed
    line. By value per krone in 2021 cricket, Borgerservice-to-go, Åben Rådgivning and Farvel til farvede
    forventninger (160 per 197.000 kr.) take 382.000 kr.; Kvinder i job, 20 reached × (3 + 1 + 1 + 1) per 150.000 kr.
    = 80,00 per 100.000 kr., gets the remaining 78.000 kr. In 2022 Udstyrspuljen, Borgerservice-to-go, Åben
    Rådgivning and Farvel take 340.000 kr.; Dansk sproglig opkvalificering, 20 × (3 + 1) per 120.000 kr. = 66,67 per
    100.000 kr., gets the remaining 70.000 kr. The partly funded indsats of a year sets the budget's rate."""
    result = tight("frederiksberg_labour_market_first")
    amounts = result.result.allocation.set_index("id")
    assert math.isclose(amounts.at["fb21-kvinder-i-job", "amount_kr_2021"], 78_000, abs_tol=0.5)
    assert math.isclose(amounts.at["fb21-dansk-sproglig-opkvalificering", "amount_kr_2022"], 70_000, abs_tol=0.5)
    text = run_text(result)
    row = next(line for line in text.splitlines() if line.startswith("fb21-kvinder-i-job "))
    per_100k = amounts.at["fb21-kvinder-i-job", "value_per_100k"]
    assert row.split()[-1] == format_number(per_100k) == "80,00"  # not "80 kr." or "0,00"
    rates = {"budget[2021]": 20 * 6 / 150_000 * 100_000, "budget[2022]": 20 * 4 / 120_000 * 100_000}
    bounds = {"budget[2021]": 460_000, "budget[2022]": 410_000}
    lines = {line.split()[0]: line for line in text.splitlines() if line.startswith("budget[")}
    assert set(lines) == set(rates), "the budget binds in both years"
    binding = {b.name: b for b in result.result.binding}
    for name, line in lines.items():
        assert math.isclose(binding[name].rate_per_100k, rates[name], rel_tol=1e-9)
        assert line.split()[-1] == format_number(rates[name])  # per 100.000 kr.: 80,00 and 66,67, not 0,00 per krone
        assert format_kr(bounds[name], unit="") in line


def test_by_goal_says_an_indsats_counts_once_per_goal() -> None:
    text = run_text(solved("frederiksberg_max_reach"))
    assert "By goal (an indsats counts under every goal it serves" in text


def test_comparison_columns_are_labelled_with_a_legend() -> None:
    comparison = compare(decided("frederiksberg_max_reach"), tight("frederiksberg_max_reach"))
    assert not comparison.is_empty, "the tight pulje cannot fund the decided plan"
    assert comparison.labels == ["A", "B"]
    assert comparison.legend == {"A": comparison.names[0], "B": comparison.names[1]}
    assert list(comparison.by_indsats.columns) == ["id", "name", "udvalg", "A", "B", "change"]
    text = comparison_text(comparison)
    assert f"  A  {comparison.names[0]}" in text and f"  B  {comparison.names[1]}" in text
    assert comparison.names[1] not in text.split("Objective:")[1].split("Indsatser")[1]  # tables use the labels
    data = json.loads(json.dumps(comparison_dict(comparison)))
    assert data["legend"] == {"A": comparison.names[0], "B": comparison.names[1]}


def test_two_runs_with_the_same_name_stay_apart() -> None:
    one = solved("frederiksberg_max_reach")
    comparison = compare(one, one, one)
    assert comparison.labels == ["A", "B", "C"]
    assert len(set(comparison.names)) == 3


@pytest.mark.parametrize(("k", "label"), [(0, "A"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"), (702, "AAA")])
def test_column_labels(k: int, label: str) -> None:
    assert column_label(k) == label


def test_runs_valued_with_different_weights_are_flagged() -> None:
    comparison = compare(solved("frederiksberg_max_reach"), solved("frederiksberg_labour_market_first"))
    assert not comparison.same_weights
    differing = dict(comparison.differing_weights())
    assert differing["arbejdsmarked"] == {"A": 1.0, "B": 3.0}
    text = comparison_text(comparison)
    assert "Warning: the runs were valued with different weights (weight of arbejdsmarked: A 1, B 3)" in text
    assert comparison_dict(comparison)["warnings"] and comparison_dict(comparison)["same_weights"] is False


def test_an_evidence_weight_difference_is_flagged() -> None:
    first = solved("copenhagen_bruttokatalog")
    other = run(first.scenario.replace(evidence_weight=first.scenario.evidence_weight + 1))
    comparison = compare(first, other)
    assert dict(comparison.differing_weights()).keys() == {None}
    assert "evidence weight" in comparison_text(comparison)


@pytest.mark.parametrize("name", ["frederiksberg_max_reach", "frederiksberg_labour_market_first"])
def test_a_run_and_its_baseline_share_their_weights(name: str) -> None:
    comparison = compare(decided(name), solved(name))
    assert comparison.same_weights
    assert "Warning" not in comparison_text(comparison)
    assert comparison_dict(comparison)["warnings"] == []


def test_an_empty_difference_table_says_none() -> None:
    comparison = compare(solved("frederiksberg_max_reach"), solved("frederiksberg_labour_market_first"))
    text = comparison_text(comparison)
    assert comparison.differences.empty
    assert "Indsatser whose amount differs:\n  (none)" in text
    assert "Empty DataFrame" not in text


def test_sweep_text_is_danish() -> None:
    scenario = load_scenario(EXAMPLES / "frederiksberg_max_reach.toml")
    sweep = sweep_budget(scenario, range(0, 1_000_001, 250_000))
    text = sweep_text(sweep)
    best = sweep.best_step
    step, value = format_kr(best["budget_per_year_kr"]), format_number(best["next_100k_value"])
    assert f"Another 100.000 kr. a year buys the most at a pulje of {step} a year: {value}." in text
    budget = best["budget_per_year_kr"]  # what the next 100.000 kr. a year really buy: two plain solves
    here, more = (run(scenario.replace(budget={2021: kr, 2022: kr})) for kr in (budget, budget + 100_000))
    assert math.isclose(best["next_100k_value"], more.result.objective - here.result.objective, abs_tol=1e-6)
    assert not ENGLISH_NUMBER.search(text)


def test_robustness_text_is_danish() -> None:
    result = robustness(load_scenario(EXAMPLES / "copenhagen_bruttokatalog.toml"), 30, seed=1)
    text = robustness_text(result)
    assert f"mean {format_number(result.objectives.mean())}" in text
    assert f"expected value {format_number(result.expected_value)}" in text
    assert f"worst 10 % of draws {format_number(result.expected_plan_cvar)}" in text
    assert f"worst 10 % of draws): {format_number(result.robust_cvar)}" in text
    assert not ENGLISH_NUMBER.search(text.split("drawn:")[1].split("\n", 1)[1])  # the core's own line aside


def test_counts_in_prose_are_danish() -> None:
    catalog = pd.DataFrame({"id": [f"i{k}" for k in range(1234)]})
    assert validate_text("katalog.csv", catalog) == "katalog.csv: 1.234 rows, no problems."


def test_frontier_text_numbers_its_points() -> None:
    result = frontier(load_scenario(EXAMPLES / "frederiksberg_max_reach.toml"), "arbejdsmarked", "sundhed", points=4)
    lines = frontier_text(result).splitlines()
    assert lines[1].split()[0] == "point"
    for k, (line, row) in enumerate(zip(lines[2:], result.points.itertuples(index=False), strict=True), start=1):
        assert line.split()[0] == str(k)
        assert math.isclose(float(line.split()[2].replace(".", "").replace(",", ".")), row.value_a, abs_tol=0.005)
