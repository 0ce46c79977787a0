"""The tab "Afvejninger" (AppTest): each trade-off draws without error, and what its table shows is what the
core computes for the same settings: the sweep's entry budgets, the frontier's points, robustness (run on
request) with its core index per indsats."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import ui_text
from scenarios import Scenario, frontier, robustness, sweep_budget
from scenarios.tradeoffs import SWEEP_POINTS
from tests.app_helpers import assert_clean, catalog, open_tab, run_app, start

T = ui_text.TRADEOFFS
KK = {"katalog": "kk2019", "pulje": "6000000"}


def open_tradeoff(query: dict[str, str], name: str):
    at = open_tab(run_app(query), "Afvejninger")
    for key in list(at.session_state.keys()):
        if key.endswith("tradeoff_tabs"):
            at.session_state[key] = name
    return at.run()


def inputs_kk():
    return start("kk2019").with_budget(None, 6_000_000).to_inputs(catalog("kk2019"))


@pytest.mark.parametrize("name", [T["value_for_money"], T["sweep"], T["frontier"], T["robustness"], T["evidence"]])
@pytest.mark.parametrize("query", [KK, {"katalog": "fb2021", "pulje.2021": "500000"}], ids=["kk2019", "fb2021"])
def test_each_tradeoff_draws_without_error(query: dict[str, str], name: str) -> None:
    at = open_tradeoff(query, name)
    assert_clean(at)
    assert not at.error


def test_the_sweeps_entry_budgets_are_the_cores() -> None:
    at = open_tradeoff(KK, T["sweep"])
    shown = at.dataframe[-1].value  # who enters when, below the chart
    budgets = [round(b, -3) for b in [12_000_000 * k / (SWEEP_POINTS - 1) for k in range(SWEEP_POINTS)]]
    expected = sweep_budget(Scenario("x", inputs_kk()), budgets).entries.set_index("name")["enters_at_kr"]
    column = ui_text.TRADEOFF_COLUMNS["enters_at_kr"]
    for name, text in zip(shown[ui_text.TRADEOFF_COLUMNS["name"]], shown[column], strict=True):
        value = expected[name]
        assert (text == "") if pd.isna(value) else math.isclose(float(text.replace(".", "")), value), name


def test_the_frontiers_points_are_the_cores() -> None:
    at = open_tradeoff(KK, T["frontier"])
    for key in list(at.session_state.keys()):
        if "table" in key and key.endswith("value_b"):
            at.session_state[key] = True
    at.run()
    shown = at.dataframe[-1].value
    traced = frontier(Scenario("x", inputs_kk()), "job", "folkeskole", points=11).points
    got = shown[ui_text.TRADEOFF_COLUMNS["value_a"]].map(lambda t: float(t.replace(".", "").replace(",", ".")))
    assert len(got) == len(traced)
    for a, b in zip(got, traced["value_a"], strict=True):
        assert math.isclose(a, b, abs_tol=0.005)


def test_robustness_runs_on_request_and_shows_the_cores_core_index() -> None:
    at = open_tradeoff(KK, T["robustness"])
    assert not any(ui_text.TRADEOFF_COLUMNS["core_index"] in d.value.columns for d in at.dataframe)  # not yet run
    next(s for s in at.segmented_control if s.label == T["draws"]).set_value(200).run()
    next(b for b in at.button if b.label == T["run_robustness"]).click().run()
    assert_clean(at)
    for key in list(at.session_state.keys()):
        if "table" in key and key.endswith("p95_kr"):
            at.session_state[key] = True
    at.run()
    shown = at.dataframe[-1].value.set_index(ui_text.TRADEOFF_COLUMNS["name"])
    expected = robustness(Scenario("x", inputs_kk()), 200, seed=0).table.set_index("name")["core_index"]
    column = ui_text.TRADEOFF_COLUMNS["core_index"]
    for name, share in expected.items():
        assert shown.loc[name, column] == f"{round(share * 100)} %", name
