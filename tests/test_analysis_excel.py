"""The sweep, frontier, robustness and catalog workbooks: Danish, numbers stored as numbers with the format
of their kind, and the same figures as the objects they come from."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from optimizer import load_catalog
from optimizer.formats import EXCEL_FORMATS, Kind
from scenarios import (
    frontier,
    load_scenario,
    robustness,
    sweep_budget,
    write_catalog_excel,
    write_frontier_excel,
    write_robustness_excel,
    write_sweep_excel,
)
from scenarios.cli import main
from scenarios.frontier import Frontier
from ui_text import EXCEL as LABEL

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "scenarios" / "examples"
CATALOGS = {
    "frederiksberg_2021": ROOT / "data" / "frederiksberg" / "handleplan_2021_2022.csv",
    "frederiksberg_2019": ROOT / "data" / "frederiksberg" / "handleplan_2019.csv",
    "copenhagen": ROOT / "data" / "copenhagen" / "bruttokatalog_2019_2022.csv",
}
ROUND_TRIP = ["frederiksberg_2021", "frederiksberg_2019", "copenhagen"]  # 2021 carries per-year asks


def _table(sheet: Worksheet) -> pd.DataFrame:
    """The table at the top of a sheet (header in row 1) down to its first empty row."""
    rows = list(sheet.iter_rows(values_only=True))
    body = []
    for row in rows[1:]:
        if row[0] is None:
            break
        body.append(row)
    return pd.DataFrame(body, columns=rows[0])


def _formats(sheet: Worksheet, label: str) -> set[str]:
    column = [cell.value for cell in sheet[1]].index(label) + 1
    return {sheet.cell(r, column).number_format for r in range(2, len(_table(sheet)) + 2)}


# --- validate --excel and --format csv (missing is an empty cell) -----------------------------------


def _same_catalog(again: pd.DataFrame, original: pd.DataFrame) -> None:
    assert list(again.columns) == list(original.columns)
    for column in original.columns:
        pd.testing.assert_series_equal(again[column], original[column], check_dtype=False, obj=column)


@pytest.mark.parametrize("catalog", ROUND_TRIP)
def test_validate_excel_writes_a_catalog_that_loads_again(catalog: str, tmp_path: Path) -> None:
    path = tmp_path / "v.xlsx"
    assert main(["validate", str(CATALOGS[catalog]), "--excel", str(path)]) == 0  # crashed on <NA> before
    _same_catalog(load_catalog(path), load_catalog(CATALOGS[catalog]))


@pytest.mark.parametrize("catalog", ROUND_TRIP)
def test_validate_csv_writes_a_catalog_that_loads_again(
    catalog: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(CATALOGS[catalog]), "--format", "csv"]) == 0
    path = tmp_path / "v.csv"
    path.write_text(capsys.readouterr().out, encoding="utf-8")
    _same_catalog(load_catalog(path), load_catalog(CATALOGS[catalog]))


def test_a_missing_yes_no_is_an_empty_cell(tmp_path: Path) -> None:
    original = load_catalog(CATALOGS["frederiksberg_2021"])
    assert original["scalable"].isna().all(), "the plan states no scalability"
    book = openpyxl.load_workbook(write_catalog_excel(original, tmp_path / "c.xlsx"))
    sheet = book[LABEL["sheet_catalog"]]
    column = [cell.value for cell in sheet[1]].index("scalable") + 1
    assert [sheet.cell(r, column).value for r in range(2, len(original) + 2)] == [None] * len(original)
    assert book[LABEL["sheet_catalog_goals"]].max_row == len(original.attrs["goals"]) + 1


@pytest.mark.parametrize("catalog", list(CATALOGS))
def test_validate_csv_leaves_missing_values_empty(
    catalog: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(CATALOGS[catalog]), "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    cells = [cell for row in rows for cell in row]
    assert not {"<NA>", "nan", "NaN", "None", "NaT"} & set(cells)
    original = load_catalog(CATALOGS[catalog])
    scalable = rows[0].index("scalable")
    assert [row[scalable] for row in rows[1:]] == ["" if pd.isna(v) else str(v) for v in original["scalable"]]


# --- sweep ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sweep_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workbook, object]:
    scenario = load_scenario(EXAMPLES / "frederiksberg_max_reach.toml")
    sweep = sweep_budget(scenario, [0, 100_000, 250_000, 400_000, 700_000])
    path = write_sweep_excel(sweep, tmp_path_factory.mktemp("sweep") / "s.xlsx", name=scenario.name)
    return openpyxl.load_workbook(path), sweep


def test_sweep_workbook_sheets(sweep_book) -> None:
    book, _ = sweep_book
    assert book.sheetnames == [LABEL["sheet_summary"], LABEL["sheet_sweep"], LABEL["sheet_entries"]]


def test_sweep_workbook_has_the_sweeps_figures(sweep_book) -> None:
    book, sweep = sweep_book
    table = _table(book[LABEL["sheet_sweep"]])
    assert list(table[LABEL["budget_per_year_kr"]]) == list(sweep.points["budget_per_year_kr"])
    for got, expected in zip(table[LABEL["objective"]], sweep.points["objective"], strict=True):
        assert pd.isna(got) if math.isnan(expected) else math.isclose(got, expected, rel_tol=1e-12)
    statuses = set(table[LABEL["status"]])
    assert statuses <= {LABEL[f"status_short_{s}"] for s in ("optimal", "infeasible")}
    assert LABEL["status_short_infeasible"] in statuses  # 0 kr. cannot pay the fixed line
    sheet = book[LABEL["sheet_sweep"]]
    assert _formats(sheet, LABEL["budget_per_year_kr"]) == {EXCEL_FORMATS[Kind.KRONER]}
    assert EXCEL_FORMATS[Kind.VALUE] in _formats(sheet, LABEL["next_100k_value"])
    for got, expected in zip(table[LABEL["next_100k_value"]], sweep.points["next_100k_value"], strict=True):
        assert pd.isna(got) if math.isnan(expected) else math.isclose(got, expected, rel_tol=1e-12, abs_tol=1e-9)


def test_sweep_workbook_entries(sweep_book) -> None:
    book, sweep = sweep_book
    table = _table(book[LABEL["sheet_entries"]])
    assert list(table[LABEL["id"]]) == list(sweep.entries["id"])
    assert list(table[LABEL["name"]]) == list(sweep.entries["name"])
    for got, expected in zip(table[LABEL["enters_at_kr"]], sweep.entries["enters_at_kr"], strict=True):
        assert pd.isna(got) if math.isnan(expected) else got == expected
    notes = [c.value for c in book[LABEL["sheet_entries"]]["A"] if c.value == LABEL["never_entered"]]
    assert len(notes) == int(sweep.entries["enters_at_kr"].isna().any())


# --- frontier ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def frontier_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workbook, Frontier, dict]:
    scenario = load_scenario(EXAMPLES / "frederiksberg_max_reach.toml")
    result = frontier(scenario, "arbejdsmarked", "sundhed", points=5)
    catalog = load_catalog(CATALOGS["frederiksberg_2021"])
    names = dict(zip(catalog["id"], catalog["name"], strict=True))
    path = tmp_path_factory.mktemp("frontier") / "f.xlsx"
    write_frontier_excel(result, path, name=scenario.name)
    return openpyxl.load_workbook(path), result, names


def test_frontier_amounts_are_a_table_of_named_indsatser_in_kroner(frontier_book) -> None:
    book, result, names = frontier_book
    sheet = book[LABEL["sheet_amounts"]]
    table = _table(sheet)
    points = [LABEL["point_label"].format(point=k) for k in range(1, len(result.points) + 1)]
    assert list(table.columns) == [LABEL["id"], LABEL["name"], *points]
    assert list(table[LABEL["id"]]) == list(result.amounts["id"])
    assert list(table[LABEL["name"]]) == [names[i] for i in result.amounts["id"]]  # the catalog's own names
    point_columns = [f"point_{k}" for k in range(len(result.points))]
    assert list(result.amounts.columns) == ["id", "name", *point_columns]
    for label, column in zip(points, point_columns, strict=True):
        assert _formats(sheet, label) == {EXCEL_FORMATS[Kind.KRONER]}
        for got, expected in zip(table[label], result.amounts[column], strict=True):
            assert math.isclose(got, expected, abs_tol=0.01)
            if abs(expected - round(expected)) < 0.01:  # solver noise such as 399999.9968 is stored as 400000
                assert got == round(expected)


def test_frontier_points_name_the_goals(frontier_book) -> None:
    book, result, _ = frontier_book
    table = _table(book[LABEL["sheet_points"]])
    value_a = LABEL["value_for"].format(goal="arbejdsmarked")
    assert list(table[LABEL["point"]]) == list(range(1, len(result.points) + 1))
    for got, expected in zip(table[value_a], result.points["value_a"], strict=True):
        assert math.isclose(got, expected, rel_tol=1e-12)


# --- robustness -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def robustness_book(tmp_path_factory: pytest.TempPathFactory):
    scenario = load_scenario(EXAMPLES / "copenhagen_bruttokatalog.toml")
    result = robustness(scenario, 40, seed=3)
    path = tmp_path_factory.mktemp("robustness") / "r.xlsx"
    write_robustness_excel(result, path, name=scenario.name)
    return openpyxl.load_workbook(path), result


def test_robustness_core_index_is_a_percentage(robustness_book) -> None:
    book, result = robustness_book
    sheet = book[LABEL["sheet_robustness"]]
    table = _table(sheet)
    assert list(table[LABEL["id"]]) == list(result.table["id"])
    assert list(table[LABEL["core_index"]]) == pytest.approx(list(result.table["core_index"]))
    assert _formats(sheet, LABEL["core_index"]) == {EXCEL_FORMATS[Kind.SHARE]}
    assert _formats(sheet, LABEL["expected_kr"]) == {EXCEL_FORMATS[Kind.KRONER]}
    assert _formats(sheet, LABEL["robust_kr"]) == {EXCEL_FORMATS[Kind.KRONER]}
    assert list(table[LABEL["robust_kr"]]) == pytest.approx(list(result.table["robust_kr"]), abs=0.01)


def test_robustness_summary(robustness_book) -> None:
    book, result = robustness_book
    summary = {row[0]: row[1] for row in book[LABEL["sheet_summary"]].iter_rows(min_row=2, values_only=True)}
    assert summary[LABEL["draws"]] == 40 and summary[LABEL["seed"]] == "3"
    assert math.isclose(summary[LABEL["objective_mean"]], result.objectives.mean(), rel_tol=1e-12)
    for key in ("expected_value", "expected_plan_cvar", "robust_cvar"):
        assert math.isclose(summary[LABEL[key]], getattr(result, key), rel_tol=1e-12), key
