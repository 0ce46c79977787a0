"""The CLI's text and JSON: Danish numbers in English prose, labelled comparisons, honest per-goal totals."""

from __future__ import annotations

import json
import math
import re
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

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
ENGLISH_NUMBER = re.compile(r"\d,\d{3}\.\d|\b\d+\.\d{2}\b")  # 4,786.13 or 53.33: what a Danish reader misreads


@cache
def solved(name: str) -> ScenarioRun:
    return run(load_scenario(EXAMPLES / f"{name}.toml"))


@cache
def decided(name: str) -> ScenarioRun:
    return baseline(load_scenario(EXAMPLES / f"{name}.toml"))


def test_run_text_writes_the_objective_the_danish_way() -> None:
    result = solved("frederiksberg_max_reach")
    text = run_text(result, explain=True)
    assert f"Total value (objective): {format_number(result.result.objective)}." in text
    assert "4.786,13" in text  # the max-reach optimum (README), not "4,786.13"
    assert not ENGLISH_NUMBER.search(text), ENGLISH_NUMBER.search(text)


@pytest.mark.parametrize("name", ["frederiksberg_max_reach", "copenhagen_bruttokatalog", "frederiksberg_baseline"])
def test_no_english_numbers_in_any_run_text(name: str) -> None:
    text = run_text(solved(name), explain=True)
    assert not ENGLISH_NUMBER.search(text), ENGLISH_NUMBER.search(text)


def test_value_per_100k_is_a_value_and_the_shadow_price_per_100k() -> None:
    result = solved("frederiksberg_labour_market_first")
    text = run_text(result)
    row = next(line for line in text.splitlines() if line.startswith("fb21-kvinder-i-job "))
    per_100k = result.result.allocation.set_index("id").at["fb21-kvinder-i-job", "value_per_kr"] * 100_000
    assert row.split()[-1] == format_number(per_100k)  # "80,00", not "80 kr." or "0,00"
    binding = [line for line in text.splitlines() if line.startswith("budget[")]
    prices = result.result.shadow_prices.set_index("constraint")
    assert binding, "the budget binds in this scenario"
    for line in binding:
        name = line.split()[0]
        assert line.split()[-1] == format_number(prices.at[name, "per_100k_kr"])
        assert format_kr(prices.at[name, "bound"], unit="") in line


def test_by_goal_says_an_indsats_counts_once_per_goal() -> None:
    text = run_text(solved("frederiksberg_max_reach"))
    assert "By goal (an indsats counts under every goal it serves" in text


def test_comparison_columns_are_labelled_with_a_legend() -> None:
    comparison = compare(decided("frederiksberg_max_reach"), solved("frederiksberg_max_reach"))
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
    assert f"{format_kr(best['budget_kr'])}: {format_number(best['marginal_per_100k'])}." in text
    assert not ENGLISH_NUMBER.search(text)


def test_robustness_text_is_danish() -> None:
    result = robustness(load_scenario(EXAMPLES / "copenhagen_bruttokatalog.toml"), 30, seed=1)
    text = robustness_text(result)
    assert f"mean {format_number(result.objectives.mean())}" in text
    assert f"{format_number(result.robust_objective)}" in text
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
