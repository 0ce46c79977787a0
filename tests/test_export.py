"""Excel and CSV exports: the workbook's sheets and totals match the solve, and user text never becomes a formula."""

from __future__ import annotations

import csv
import dataclasses
import io
import math
from functools import cache
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

import ui_text
from optimizer import (
    AllOrNothing,
    Continuity,
    Exclude,
    FixedLine,
    GoalMin,
    Inputs,
    Lock,
    MutuallyExclusive,
    Scalable,
    UdvalgMax,
    UdvalgMin,
)
from optimizer.catalog import validate_catalog
from optimizer.constraints import CONSTRAINTS
from optimizer.explain import binding_gains, budget_next_100k
from optimizer.formats import EXCEL_FORMATS, Kind
from scenarios import Scenario, ScenarioRun, baseline, compare, load_scenario, run, write_csv, write_excel
from scenarios import write_tables_excel as write_tables
from scenarios.export import constraint_text, render_assumption
from ui_text import EXCEL as LABEL

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_DIR = ROOT / "scenarios" / "examples"
EXAMPLES = sorted(p.stem for p in EXAMPLE_DIR.glob("*.toml"))
SHEETS = ["Resumé", "Fordeling", "Udvalg", "Målsætninger", "Antagelser", "Begrænsninger"]
FORMULA_STARTS = ("=", "+", "-", "@")


@cache
def solved(name: str) -> ScenarioRun:
    return run(load_scenario(EXAMPLE_DIR / f"{name}.toml"))


def _header(sheet: Worksheet, row: int = 1) -> list[object]:
    return [cell.value for cell in sheet[row]]


def _column(sheet: Worksheet, label: str) -> int:
    """1-based index of the column headed `label` in row 1."""
    return _header(sheet).index(label) + 1


def _rows_below(sheet: Worksheet, header: int) -> range:
    """The rows of the table whose header is in row `header`: down to the first empty row or the total."""
    row = header + 1
    while sheet.cell(row, 1).value not in (None, "I alt"):
        row += 1
    return range(header + 1, row)


def _header_row(sheet: Worksheet, label: str) -> int:
    """The row whose first cell is `label` (a table's header on a sheet with several tables)."""
    rows = [cell.row for cell in sheet["A"] if cell.value == label]
    assert rows, f"no row starts with {label!r} on {sheet.title}"
    return rows[0]


def _total_row(sheet: Worksheet) -> int:
    rows = [cell.row for cell in sheet["A"] if cell.value == "I alt"]
    assert len(rows) == 1, f"expected one 'I alt' row, found {rows}"
    return rows[0]


@cache
def _workbook(name: str, with_comparison: bool, folder: str) -> tuple[Workbook, ScenarioRun]:
    result = solved(name)
    comparison = None
    if with_comparison:
        comparison = compare(baseline(result.scenario), result)
    path = Path(folder) / f"{name}-{with_comparison}.xlsx"
    assert write_excel(result, path, comparison=comparison) == path
    return openpyxl.load_workbook(path), result


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("workbooks"))


WITH_BASELINE = [name for name in EXAMPLES if name.startswith("frederiksberg") and name != "frederiksberg_baseline"]
CASES = [(name, False) for name in EXAMPLES] + [(name, True) for name in WITH_BASELINE]
CASE_IDS = [f"{name}{'+comparison' if flag else ''}" for name, flag in CASES]


# --- the workbook ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "with_comparison"), CASES, ids=CASE_IDS)
def test_workbook_has_the_sheets(name: str, with_comparison: bool, folder: str) -> None:
    book, _ = _workbook(name, with_comparison, folder)
    assert book.sheetnames == SHEETS + (["Sammenligning"] if with_comparison else [])


@pytest.mark.parametrize(("name", "with_comparison"), CASES, ids=CASE_IDS)
def test_allocation_sheet_amounts_sum_to_the_solve(name: str, with_comparison: bool, folder: str) -> None:
    book, result = _workbook(name, with_comparison, folder)
    sheet = book["Fordeling"]
    column, total = _column(sheet, LABEL["amount_kr"]), _total_row(sheet)
    amounts = [sheet.cell(r, column).value for r in range(2, total)]
    expected = float(result.result.allocation["amount_kr"].sum())
    assert len(amounts) == len(result.result.allocation)
    assert math.isclose(sum(amounts), expected, abs_tol=0.01)
    assert math.isclose(sheet.cell(total, column).value, expected, abs_tol=0.01)
    ids = [sheet.cell(r, _column(sheet, LABEL["id"])).value for r in range(2, total)]
    assert ids == list(result.result.allocation["id"])


@pytest.mark.parametrize(("name", "with_comparison"), CASES, ids=CASE_IDS)
def test_allocation_sheet_year_columns_sum_to_the_solve(name: str, with_comparison: bool, folder: str) -> None:
    book, result = _workbook(name, with_comparison, folder)
    sheet, years = book["Fordeling"], result.result.years
    if years == (None,):
        assert not any(str(v).startswith(LABEL["amount_kr"] + " ") for v in _header(sheet))
        return
    total = _total_row(sheet)
    for year in years:
        column = _column(sheet, f"{LABEL['amount_kr']} {year}")
        expected = float(result.result.allocation[f"amount_kr_{year}"].sum())
        assert math.isclose(sum(sheet.cell(r, column).value for r in range(2, total)), expected, abs_tol=0.01)
        assert math.isclose(sheet.cell(total, column).value, expected, abs_tol=0.01)


@pytest.mark.parametrize(("name", "with_comparison"), CASES, ids=CASE_IDS)
def test_udvalg_sheet_equals_the_solve(name: str, with_comparison: bool, folder: str) -> None:
    book, result = _workbook(name, with_comparison, folder)
    sheet = book["Udvalg"]
    udvalg, amount = _column(sheet, LABEL["udvalg"]), _column(sheet, LABEL["amount_kr"])
    got = {sheet.cell(r, udvalg).value: sheet.cell(r, amount).value for r in _rows_below(sheet, 1)}
    expected = dict(zip(result.result.by_udvalg["udvalg"], result.result.by_udvalg["amount_kr"], strict=True))
    assert set(got) == set(expected)
    for key, kr in expected.items():
        assert math.isclose(got[key], kr, abs_tol=0.01), key
    total = sheet.cell(_total_row(sheet), amount).value  # a shared indsats counts by its split: the total adds up
    assert math.isclose(total, result.result.allocation["amount_kr"].sum(), abs_tol=0.01)


@pytest.mark.parametrize(("name", "with_comparison"), CASES, ids=CASE_IDS)
def test_goals_sheet_equals_the_solve(name: str, with_comparison: bool, folder: str) -> None:
    book, result = _workbook(name, with_comparison, folder)
    sheet = book["Målsætninger"]
    goal, amount, value = (_column(sheet, LABEL[k]) for k in ("goal", "goal_amount_kr", "value"))
    rows = _rows_below(sheet, 1)
    assert len(rows) == len(result.result.by_goal)
    got = {sheet.cell(r, goal).value: (sheet.cell(r, amount).value, sheet.cell(r, value).value) for r in rows}
    for row in result.result.by_goal.itertuples(index=False):
        assert math.isclose(got[row.goal][0], row.amount_kr, abs_tol=0.01), row.goal
        assert math.isclose(got[row.goal][1], row.value, rel_tol=1e-9, abs_tol=1e-9), row.goal
    notes = [cell.value for cell in sheet["A"][rows[-1] :] if cell.value]
    assert notes == [LABEL["per_goal_note"]]  # the amounts count an indsats once per goal, and it says so


@pytest.mark.parametrize(("name", "with_comparison"), CASES, ids=CASE_IDS)
def test_summary_sheet_states_the_objective_and_the_pulje(name: str, with_comparison: bool, folder: str) -> None:
    book, result = _workbook(name, with_comparison, folder)
    values = {row[0]: row[1] for row in book["Resumé"].iter_rows(min_row=2, values_only=True)}
    assert values[LABEL["scenario"]] == result.name
    assert math.isclose(values[LABEL["objective"]], result.result.objective, rel_tol=1e-9)
    for year in result.result.years:
        suffix = "" if year is None else f" {year}"
        allocated = float(result.result.allocation["amount_kr" if year is None else f"amount_kr_{year}"].sum())
        assert math.isclose(values[LABEL["pulje"] + suffix], result.result.pulje[year])
        assert math.isclose(values[LABEL["allocated"] + suffix], allocated, abs_tol=0.01)
        unused = result.result.pulje[year] - result.result.fixed[year] - allocated
        assert math.isclose(values[LABEL["unused"] + suffix], unused, abs_tol=0.01)


@pytest.mark.parametrize(("name", "with_comparison"), CASES, ids=CASE_IDS)
def test_amounts_carry_a_kroner_format(name: str, with_comparison: bool, folder: str) -> None:
    book, _ = _workbook(name, with_comparison, folder)
    sheet = book["Fordeling"]
    total = _total_row(sheet)
    for label, last in ((LABEL["amount_kr"], total), (LABEL["cost_kr"], total - 1)):  # no total of full costs
        column = _column(sheet, label)
        for r in range(2, last + 1):
            cell = sheet.cell(r, column)
            assert isinstance(cell.value, int | float), (label, r)
            assert "kr" in cell.number_format, (label, r, cell.number_format)
    udvalg = book["Udvalg"]
    column = _column(udvalg, LABEL["amount_kr"])
    assert all("kr" in udvalg.cell(r, column).number_format for r in range(2, _total_row(udvalg) + 1))


@pytest.mark.parametrize(("name", "with_comparison"), CASES, ids=CASE_IDS)
def test_assumptions_sheet_lists_every_assumption(name: str, with_comparison: bool, folder: str) -> None:
    book, result = _workbook(name, with_comparison, folder)
    listed = [cell.value for cell in book["Antagelser"]["A"]][1:]
    assert result.assumptions, "every example rests on some assumption (at least a note)"
    assert listed == [render_assumption(note) for note in result.result.notes]
    for note, line in zip(result.result.notes, listed, strict=True):  # Danish, carrying the note's own figures
        assert line != str(note), line
        assert all(str(value) in line for key, value in note.params.items() if key in ("id", "kr", "count")), line


@pytest.mark.parametrize(("name", "with_comparison"), CASES, ids=CASE_IDS)
def test_constraints_sheet_lists_every_constraint(name: str, with_comparison: bool, folder: str) -> None:
    book, result = _workbook(name, with_comparison, folder)
    sheet = book["Begrænsninger"]
    rows = _rows_below(sheet, _header_row(sheet, LABEL["constraint_text"]))
    in_words = [sheet.cell(r, 1).value for r in rows]
    in_file = [str(sheet.cell(r, 2).value) for r in rows]
    assert in_words == [constraint_text(c) for c in result.scenario.constraints] or [LABEL["none"]]
    for constraint, line in zip(result.scenario.constraints, in_file, strict=False):
        assert line.startswith(f"{constraint.kind}: ")
        fields = {f.name: getattr(constraint, f.name) for f in dataclasses.fields(constraint)}
        shown = {name: value for name, value in fields.items() if value is not None}
        assert all(f"{name} = {value}" in line for name, value in shown.items()), line


@pytest.mark.parametrize("name", WITH_BASELINE)
def test_comparison_sheet_totals_equal_each_run(name: str, folder: str) -> None:
    book, result = _workbook(name, True, folder)
    sheet = book["Sammenligning"]
    header_row = _header_row(sheet, LABEL["id"])
    header = [cell.value for cell in sheet[header_row]]
    base = baseline(result.scenario)
    rows = _rows_below(sheet, header_row)
    assert {sheet.cell(r, 1).value for r in rows} == set(result.result.allocation["id"])
    for label, run_result in (("A", base), ("B", result)):
        column = header.index(label) + 1
        amounts = [sheet.cell(r, column).value for r in rows]
        assert all("kr" in sheet.cell(r, column).number_format for r in rows)
        assert math.isclose(sum(amounts), run_result.result.allocation["amount_kr"].sum(), abs_tol=0.01)
    legend = {sheet.cell(r, 1).value: sheet.cell(r, 2).value for r in _rows_below(sheet, _header_row(sheet, "Kolonne"))}
    assert legend == {"A": base.name, "B": result.name}


@pytest.mark.parametrize("name", WITH_BASELINE)
@pytest.mark.parametrize("table", ["by_udvalg", "by_goal"])
def test_comparison_sheet_has_the_udvalg_and_goal_tables(name: str, table: str, folder: str) -> None:
    book, result = _workbook(name, True, folder)
    sheet = book["Sammenligning"]
    expected = getattr(compare(baseline(result.scenario), result), table)
    key = "udvalg" if table == "by_udvalg" else "goal"
    header_row = _header_row(sheet, LABEL[key])
    header = [cell.value for cell in sheet[header_row]]
    rows = {sheet.cell(r, 1).value: r for r in _rows_below(sheet, header_row)}
    assert set(rows) == set(expected[key])
    change = LABEL["change"].format(first="A", last="B")
    for row in expected.itertuples(index=False):
        for label, column in (("A", "A"), ("B", "B"), (change, "change")):
            cell = sheet.cell(rows[getattr(row, key)], header.index(label) + 1)
            assert math.isclose(cell.value, getattr(row, column), abs_tol=0.01)


# --- formula safety -------------------------------------------------------------------------------

EVIL = {
    "id": "=cmd",
    "name": '=HYPERLINK("http://x")',
    "id_plus": "+plus",
    "name_minus": "-minus",
    "name_at": "@SUM(A1)",
    "unit": "=1+1",
    "goal_title": "=A goal",
    "scenario": '=HYPERLINK("http://evil","klik")',
    "description": "-2+3",
    "other_scenario": "@other",
}


def _evil_catalog() -> pd.DataFrame:
    base = {
        "min_kr": "", "max_kr": "", "reach_min": "", "reach_max": "", "stars": "", "scalable": "true",
        "source": "s", "quote": "q",
    }  # fmt: skip
    rows = [
        {**base, "id": EVIL["id"], "name": EVIL["name"], "udvalg": "SU", "goals": "a", "cost_kr": 100,
         "reach": 10, "reach_unit": EVIL["unit"], "note": "=note()"},
        {**base, "id": EVIL["id_plus"], "name": EVIL["name_minus"], "udvalg": "KFU", "goals": "b", "cost_kr": 100,
         "reach": 5, "reach_unit": "borgere", "note": "+note"},
        {**base, "id": "ok", "name": EVIL["name_at"], "udvalg": "SU/KFU", "goals": "a;b", "cost_kr": 100,
         "reach": 1, "reach_unit": "borgere", "note": "@note"},
    ]  # fmt: skip
    return validate_catalog(pd.DataFrame(rows), goals={"a": EVIL["goal_title"], "b": "B"})


@pytest.fixture(scope="module")
def evil_book(tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    catalog = _evil_catalog()
    scenario = Scenario(
        EVIL["scenario"], Inputs(catalog, 150.0), description=EVIL["description"], catalog_path=Path("evil.csv")
    )
    one = run(scenario)
    two = run(scenario.replace(name=EVIL["other_scenario"], budget=250.0))
    path = tmp_path_factory.mktemp("evil") / "evil.xlsx"
    write_excel(two, path, comparison=compare(one, two))
    return openpyxl.load_workbook(path)


def _cells_with(book: Workbook, text: str) -> list:
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row if cell.value == text]


def test_the_evil_catalog_is_accepted() -> None:
    catalog = _evil_catalog()
    assert list(catalog["id"]) == [EVIL["id"], EVIL["id_plus"], "ok"]


@pytest.mark.parametrize("what", sorted(EVIL))
def test_formula_like_text_comes_back_as_text(what: str, evil_book: Workbook) -> None:
    cells = _cells_with(evil_book, EVIL[what])
    assert cells, f"{EVIL[what]!r} is not in the workbook"
    for cell in cells:
        assert cell.data_type == "s", f"{cell.parent.title}!{cell.coordinate} holds {cell.value!r} as a formula"


@pytest.mark.parametrize("sheet", [*SHEETS, "Sammenligning"])
def test_no_sheet_holds_a_formula(sheet: str, evil_book: Workbook) -> None:
    formulas = [cell.coordinate for row in evil_book[sheet].iter_rows() for cell in row if cell.data_type == "f"]
    assert formulas == []


def _csv_rows(frame: pd.DataFrame, path: Path) -> list[list[str]]:
    """Write the frame with write_csv and read it back."""
    write_csv(frame, path)
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_write_csv_prefixes_formula_like_cells(tmp_path: Path) -> None:
    catalog = _evil_catalog()
    frame = pd.DataFrame(
        {
            "id": list(catalog["id"]),
            "name": list(catalog["name"]),
            "note": list(catalog["note"]),
            "amount_kr": [-5.0, 0.0, 12.5],
        }
    )
    rows = _csv_rows(frame, tmp_path / "out.csv")
    assert rows[0] == ["id", "name", "note", "amount_kr"]
    for got, (_, expected) in zip(rows[1:], frame.iterrows(), strict=True):
        for cell, value in zip(got[:3], expected.iloc[:3], strict=True):
            assert cell == ("'" + value if value.startswith(FORMULA_STARTS) else value)
        assert float(got[3]) == expected["amount_kr"]  # numbers are never prefixed, even negative ones
    assert rows[1][0] == "'=cmd" and rows[1][1] == "'" + EVIL["name"]
    assert rows[3][0] == "ok"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=cmd", "'=cmd"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\t=x", "'\t'=x"),  # a tab is a formula start, and a spreadsheet may split on it
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_write_csv_cell_rule(text: str, expected: str, tmp_path: Path) -> None:
    rows = _csv_rows(pd.DataFrame({"c": [text]}), tmp_path / "one.csv")
    assert rows[1] == [expected]


def test_write_csv_header_is_safe_too(tmp_path: Path) -> None:
    """A header can be user text (compare's columns are the scenario names)."""
    rows = _csv_rows(pd.DataFrame({EVIL["scenario"]: [1.0]}), tmp_path / "head.csv")
    assert rows[0] == ["'" + EVIL["scenario"]]


def test_write_csv_of_a_comparison_with_evil_names(tmp_path: Path) -> None:
    catalog = _evil_catalog()
    scenario = Scenario(EVIL["scenario"], Inputs(catalog, 150.0), catalog_path=Path("evil.csv"))
    comparison = compare(run(scenario), run(scenario.replace(name="@b")))
    rows = _csv_rows(comparison.by_indsats, tmp_path / "cmp.csv")
    flat = [cell for row in rows for cell in row]
    assert not any(cell.startswith(FORMULA_STARTS) for cell in flat), [c for c in flat if c.startswith("=")]


@pytest.fixture(scope="module")
def evil_tables(tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    catalog = _evil_catalog()
    frame = pd.DataFrame({"id": list(catalog["id"]), "name": list(catalog["name"]), "kr": [-1.0, 0.0, 1.0]})
    path = tmp_path_factory.mktemp("tables") / "tables.xlsx"
    assert write_tables({"indsatser": frame, "mere": frame.rename(columns={"name": "=navn"})}, path) == path
    return openpyxl.load_workbook(path)


def test_write_tables_excel_writes_each_table(evil_tables: Workbook) -> None:
    assert evil_tables.sheetnames == ["indsatser", "mere"]
    sheet = evil_tables["indsatser"]
    assert _header(sheet) == ["id", "name", "kr"]
    assert [sheet.cell(r, 3).value for r in range(2, 5)] == [-1.0, 0.0, 1.0]
    assert all(sheet.cell(r, 3).data_type == "n" for r in range(2, 5))


@pytest.mark.parametrize("text", [EVIL["id"], EVIL["id_plus"], EVIL["name"], EVIL["name_minus"], EVIL["name_at"]])
def test_write_tables_excel_keeps_text_as_text(text: str, evil_tables: Workbook) -> None:
    cells = _cells_with(evil_tables, text)
    assert len(cells) == 2  # once in each sheet
    assert all(cell.data_type == "s" for cell in cells)


def test_write_tables_excel_header_is_safe_too(evil_tables: Workbook) -> None:
    (cell,) = _cells_with(evil_tables, "=navn")
    assert cell.data_type == "s"


def test_write_csv_to_an_open_stream_matches_the_file(tmp_path: Path) -> None:
    frame = pd.DataFrame({"id": ["=cmd", "ok"], "kr": [1.5, math.nan]})
    buffer = io.StringIO(newline="")
    write_csv(frame, buffer)
    write_csv(frame, tmp_path / "file.csv")
    with (tmp_path / "file.csv").open(encoding="utf-8", newline="") as handle:
        assert buffer.getvalue() == handle.read()
    assert list(csv.reader(io.StringIO(buffer.getvalue()))) == [["id", "kr"], ["'=cmd", "1.5"], ["ok", ""]]


def test_write_tables_excel_with_numbered_columns(tmp_path: Path) -> None:
    """Tables whose columns are numbers (a frontier's amounts: one column per point) are written as they are."""
    frame = pd.DataFrame({"id": ["a", "b"], 0: [1.0, 2.0], 1: [3.0, 4.0]})
    path = tmp_path / "numbered.xlsx"
    write_tables({"amounts": frame}, path)
    sheet = openpyxl.load_workbook(path)["amounts"]
    assert [cell.value for cell in sheet[1]] == ["id", 0, 1]
    assert [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)] == [["a", 1.0, 3.0], ["b", 2.0, 4.0]]


# --- formats by kind, Danish words, print settings --------------------------------------------------


@pytest.mark.parametrize(("name", "with_comparison"), CASES, ids=CASE_IDS)
def test_value_per_100k_is_a_value_not_kroner(name: str, with_comparison: bool, folder: str) -> None:
    book, result = _workbook(name, with_comparison, folder)
    sheet = book["Fordeling"]
    column, total = _column(sheet, LABEL["value_per_100k"]), _total_row(sheet)
    expected = list(result.result.allocation["value_per_100k"])
    for r, value in zip(range(2, total), expected, strict=True):
        cell = sheet.cell(r, column)
        assert math.isclose(cell.value, value, rel_tol=1e-9, abs_tol=1e-9)
        assert cell.number_format == EXCEL_FORMATS[Kind.VALUE], cell.number_format  # 53,33, not "53 kr."


@pytest.mark.parametrize(("name", "with_comparison"), CASES, ids=CASE_IDS)
def test_binding_limits_show_what_loosening_them_really_buys(name: str, with_comparison: bool, folder: str) -> None:
    book, result = _workbook(name, with_comparison, folder)
    bindings = result.result.binding
    sheet = book["Begrænsninger"]
    if not bindings:
        assert LABEL["binding_head"] not in [cell.value for row in sheet.iter_rows() for cell in row]
        return
    gains = binding_gains(result.result)  # re-solved with each limit loosened, independently of the sheet
    header = _header_row(sheet, LABEL["constraint"])
    labels = [cell.value for cell in sheet[header]]
    gain, rate = labels.index(LABEL["binding_gain"]) + 1, labels.index(LABEL["binding_rate"]) + 1
    bound = labels.index(LABEL["bound"]) + 1
    rows = _rows_below(sheet, header)
    assert [sheet.cell(r, 1).value for r in rows] == [b.name for b in bindings]
    for r, binding in zip(rows, bindings, strict=True):
        expected = gains[binding.name]
        if expected is None:
            assert sheet.cell(r, gain).value is None
        else:
            assert math.isclose(sheet.cell(r, gain).value, expected, rel_tol=1e-9, abs_tol=1e-9)
            assert sheet.cell(r, gain).number_format == EXCEL_FORMATS[Kind.VALUE]
        if binding.rate_per_100k is not None:
            assert math.isclose(sheet.cell(r, rate).value, binding.rate_per_100k, rel_tol=1e-9, abs_tol=1e-9)
        assert ("kr" in sheet.cell(r, bound).number_format) == (binding.unit == "kr")


def test_the_budget_figures_are_per_100k_not_per_krone(folder: str) -> None:
    """The old sheet showed the price per krone, 0,00; now what 100.000 kr. more buys, and the rate beside it."""
    book, result = _workbook("frederiksberg_labour_market_first", False, folder)
    summary = {row[0]: row[1] for row in book["Resumé"].iter_rows(min_row=2, values_only=True)}
    gains = budget_next_100k(result.result)
    for year in (2021, 2022):
        assert math.isclose(summary[f"{LABEL['next_100k']} {year}"], gains[year], abs_tol=1e-9)
        rate = result.result.budget_rate_per_100k[year]
        assert math.isclose(summary[f"{LABEL['rate_per_100k']} {year}"], rate, abs_tol=1e-9)


@pytest.mark.parametrize(
    ("constraint", "text"),
    [
        (UdvalgMax("AUU", share=0.5), "Højst 50 % af puljen til udvalget AUU"),
        (UdvalgMin("SU", kr=100_000, year=2022), "Mindst 100.000 kr. til udvalget SU i 2022"),
        (GoalMin("sundhed", kr=50_000), "Mindst 50.000 kr. til indsatser under målsætningen sundhed"),
        (Lock("a0", 120_000), "a0 får præcis 120.000 kr."),
        (Exclude("a0", year=2021), "a0 får intet i 2021"),
        (Scalable("*"), "Alle indsatser kan finansieres delvist"),
        (AllOrNothing("kk-social-kontrol"), "kk-social-kontrol: fuld finansiering eller intet"),
        (Continuity(0.5), "Alle indsatser beholder mindst 50 % af sidste års beløb"),
        (MutuallyExclusive(("a", "b")), "Højst én af a, b finansieres"),
        (FixedLine("Priser", 40_000), "Fast post »Priser«: 40.000 kr. trækkes fra puljen"),
    ],
    ids=lambda value: getattr(value, "kind", None) or "text",
)
def test_constraints_in_danish_words(constraint: object, text: str) -> None:
    assert constraint_text(constraint) == text


@pytest.mark.parametrize("kind", sorted(CONSTRAINTS))
def test_every_constraint_kind_has_danish_words(kind: str) -> None:
    assert kind in ui_text.CONSTRAINTS


@pytest.mark.parametrize(("name", "with_comparison"), CASES, ids=CASE_IDS)
def test_every_sheet_prints_landscape_across_the_page(name: str, with_comparison: bool, folder: str) -> None:
    book, _ = _workbook(name, with_comparison, folder)
    for sheet in book:
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0), sheet.title


def test_the_summary_warns_when_the_runs_were_valued_differently(tmp_path: Path) -> None:
    max_reach, labour = solved("frederiksberg_max_reach"), solved("frederiksberg_labour_market_first")
    path = write_excel(labour, tmp_path / "w.xlsx", comparison=compare(max_reach, labour))
    book = openpyxl.load_workbook(path)
    summary = {row[0]: row[1] for row in book["Resumé"].iter_rows(min_row=2, values_only=True)}
    assert "arbejdsmarked: A 1, B 3" in summary[LABEL["warning"]]
    texts = [cell.value for row in book["Sammenligning"].iter_rows() for cell in row if isinstance(cell.value, str)]
    assert summary[LABEL["warning"]] in texts


def test_no_warning_when_a_run_is_compared_with_its_baseline(folder: str) -> None:
    book, _ = _workbook("frederiksberg_max_reach", True, folder)
    labels = [row[0] for row in book["Resumé"].iter_rows(min_row=2, values_only=True)]
    assert LABEL["warning"] not in labels and LABEL["sheet_comparison"] in labels


def test_a_catalog_path_given_as_text_is_named(tmp_path: Path) -> None:
    """Issue 13 #7: write_excel(run(s)) raised AttributeError when the scenario's catalog was a string path."""
    scenario = load_scenario(EXAMPLE_DIR / "frederiksberg_max_reach.toml")
    as_text = dataclasses.replace(scenario, catalog_path=str(scenario.catalog_path))
    book = openpyxl.load_workbook(write_excel(run(as_text), tmp_path / "text.xlsx"))
    summary = {row[0]: row[1] for row in book["Resumé"].iter_rows(min_row=2, values_only=True)}
    assert summary[LABEL["catalog"]] == scenario.catalog_path.name


def test_an_infeasible_run_says_why(tmp_path: Path) -> None:
    scenario = load_scenario(EXAMPLE_DIR / "frederiksberg_max_reach.toml")
    result = run(scenario.replace(constraints=(*scenario.constraints, UdvalgMin("AUU", kr=900_000))))
    assert result.result.conflict is not None
    book = openpyxl.load_workbook(write_excel(result, tmp_path / "infeasible.xlsx"))
    summary = {row[0]: row[1] for row in book["Resumé"].iter_rows(min_row=2, values_only=True)}
    assert summary[LABEL["status"]] == LABEL["status_infeasible"]
    assert summary[LABEL["conflict"]] == result.result.conflict.message
