"""The notebook display: the HTML shows the run's own numbers the Danish way, the charts hold its data."""

from __future__ import annotations

import math
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from optimizer import Inputs
from optimizer.formats import format_kr, format_number
from scenarios import Scenario, baseline, display, frontier, load_scenario, run, sweep_budget
from scenarios.run import ScenarioRun
from tests.conftest import make_catalog

EXAMPLES = Path(__file__).resolve().parent.parent / "scenarios" / "examples"


@cache
def solved(name: str) -> ScenarioRun:
    return run(load_scenario(EXAMPLES / f"{name}.toml"))


@cache
def tight() -> ScenarioRun:
    """Max reach at 460.000 and 410.000 kr. after the fixed line: at the pool table's sums it funds every ask, which
    is the decided plan, so a chart could not tell the reference from the result."""
    return run(load_scenario(EXAMPLES / "frederiksberg_max_reach.toml").replace(budget={2021: 500_000, 2022: 450_000}))


class _Cells(HTMLParser):
    """The text of each table row, cell by cell."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append("".join(self.cell))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def _rows(markup: str) -> list[list[str]]:
    parser = _Cells()
    parser.feed(markup)
    return parser.rows


@pytest.mark.parametrize("name", ["frederiksberg_max_reach", "copenhagen_bruttokatalog", "frederiksberg_baseline"])
def test_html_table_holds_the_allocation_in_danish_numbers(name: str) -> None:
    result = solved(name)
    rows = _rows(display.html(result))
    header, body = rows[0], rows[1:]
    allocation = result.result.allocation
    assert [row[0] for row in body] == list(allocation["id"])
    amount, funded, per_100k = (header.index(h) for h in ("amount (kr.)", "funded", "value per 100.000 kr."))
    for row, record in zip(body, allocation.itertuples(index=False), strict=True):
        assert row[amount] == format_kr(record.amount_kr, unit="")
        assert row[funded] == f"{round(record.funded_share * 100)} %"
        assert row[per_100k] == format_number(record.value_per_100k)


def test_html_summary_states_the_objective_and_the_assumptions() -> None:
    result = solved("frederiksberg_max_reach")
    markup = display.html(result)
    assert f"Total value (objective): {format_number(result.result.objective)}." in markup
    # Every ask of the pool table funded (the pulje less the fixed line is exactly their sum; 4.786,13 before the
    # per-year asks): reach × goals served, per year asked: 2·(20·2 + 40·2 + 400·4 + 250·2) + 20·4 + 10·3 + 20·2 + 30·2
    # (dansk, farvel, borgerservice, åben rådgivning ask in both years; kvinder, fastholdelse, udstyr, cricket in one).
    assert "4.650,00" in markup
    assert f"Assumptions ({len(result.assumptions)})" in markup
    assert display.html(result.result).count("<li>") == markup.count("<li>")  # a bare result shows the same


def test_html_escapes_catalog_text() -> None:
    catalog = make_catalog(
        [
            {"id": "<script>alert(1)</script>", "goals": "g", "cost_kr": 100, "reach": 10, "udvalg": "SU"},
            {"id": "b", "name": "<img src=x onerror=alert(2)>", "goals": "g", "cost_kr": 100, "reach": 5},
        ]
    )
    result = run(Scenario("<b>bold</b>", Inputs(catalog, 150.0), catalog_path=Path("x.csv")))
    markup = display.html(result)
    assert "<script>" not in markup and "<img" not in markup and "<b>bold" not in markup
    assert "&lt;script&gt;" in markup and "&lt;img src=x" in markup


def _data(spec: dict) -> list[dict]:
    (values,) = spec["datasets"].values()
    return values


def test_allocation_chart_marks_the_reference() -> None:
    result = tight()
    decided = baseline(result.scenario)
    spec = display.allocation_chart(result, reference=decided).to_dict()
    bars, ticks = spec["layer"]
    assert bars["mark"]["type"] == "bar" and ticks["mark"]["type"] == "tick"
    assert bars["encoding"]["x"]["field"] == "amount_kr" and ticks["encoding"]["x"]["field"] == "reference_kr"
    assert bars["encoding"]["y"]["sort"] == list(result.result.allocation["id"])
    rows = {row["id"]: row for row in _data(spec)}
    for record in decided.result.allocation.itertuples(index=False):
        assert math.isclose(rows[record.id]["reference_kr"], record.amount_kr)
    for record in result.result.allocation.itertuples(index=False):
        assert math.isclose(rows[record.id]["amount_kr"], record.amount_kr)
    assert spec["config"]["locale"]["number"]["decimal"] == ","


@pytest.mark.parametrize("form", ["mapping", "series", "result"])
def test_allocation_chart_takes_a_reference_in_any_form(form: str) -> None:
    result = tight()
    decided = baseline(result.scenario).result
    amounts = dict(zip(decided.allocation["id"], decided.allocation["amount_kr"], strict=True))
    given = {"mapping": amounts, "series": pd.Series(amounts), "result": decided}[form]
    rows = _data(display.allocation_chart(result, reference=given).to_dict())
    assert {row["id"]: row["reference_kr"] for row in rows} == pytest.approx(amounts)
    assert amounts != dict(zip(result.result.allocation["id"], result.result.allocation["amount_kr"], strict=True))


def test_allocation_chart_without_reference_has_bars_only() -> None:
    spec = display.allocation_chart(solved("frederiksberg_max_reach")).to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["bar"]
    assert all("reference_kr" not in row for row in _data(spec))


def test_sweep_chart_draws_value_against_budget() -> None:
    scenario = load_scenario(EXAMPLES / "frederiksberg_max_reach.toml")
    sweep = sweep_budget(scenario, [0, 200_000, 400_000, 800_000])
    spec = display.sweep_chart(sweep).to_dict()
    assert spec["mark"]["type"] == "line"
    assert (spec["encoding"]["x"]["field"], spec["encoding"]["y"]["field"]) == ("budget_per_year_kr", "objective")
    feasible = sweep.points.dropna(subset=["objective"])
    assert [(p["budget_per_year_kr"], p["objective"]) for p in _data(spec)] == list(
        zip(feasible["budget_per_year_kr"], feasible["objective"], strict=True)
    )
    assert len(feasible) == 3  # 0 kr. cannot pay the fixed line: no point drawn


def test_sweep_chart_of_several_sweeps_colours_them() -> None:
    scenario = load_scenario(EXAMPLES / "frederiksberg_max_reach.toml")
    sweeps = {"partial": sweep_budget(scenario, [200_000, 400_000]), "whole": sweep_budget(scenario, [300_000])}
    spec = display.sweep_chart(sweeps).to_dict()
    assert spec["encoding"]["color"]["field"] == "sweep"
    assert [p["sweep"] for p in _data(spec)] == ["partial", "partial", "whole"]


def test_frontier_chart_draws_the_points_in_order() -> None:
    result = frontier(load_scenario(EXAMPLES / "frederiksberg_max_reach.toml"), "arbejdsmarked", "sundhed", points=4)
    spec = display.frontier_chart(result).to_dict()
    assert spec["encoding"]["x"]["title"] == "value for sundhed"
    assert spec["encoding"]["y"]["title"] == "value for arbejdsmarked"
    data = _data(spec)
    assert [p["point"] for p in data] == list(range(1, len(result.points) + 1))
    assert [p["value_a"] for p in data] == list(result.points["value_a"])
