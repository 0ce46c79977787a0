"""Export a run to an Excel workbook for a committee paper (openpyxl), and tables to CSV for machines.

Cells that hold user text (names, notes, assumptions) are written as text even when they start with
"=", "+", "-" or "@", so a spreadsheet never runs them as formulas.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import TextIO

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from optimizer.result import year_column
from scenarios.compare import Comparison
from scenarios.run import ScenarioRun
from scenarios.spec import constraint_to_dict
from ui_text import EXCEL as T

KR = '#,##0 "kr."'
NUMBER = "#,##0.00"
SHARE = "0%"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_excel(run: ScenarioRun, path: str | Path, *, comparison: Comparison | None = None) -> Path:
    """Write the run as a workbook: summary, allocation, udvalg, goals, assumptions, constraints, comparison."""
    path = Path(path)
    workbook = Workbook()
    _summary(workbook.active, run)
    _allocation(workbook.create_sheet(T["sheet_allocation"]), run)
    _table(
        workbook.create_sheet(T["sheet_udvalg"]),
        run.result.by_udvalg,
        {"udvalg": T["udvalg"], "amount_kr": T["amount_kr"], **_year_labels(run)},
    )
    _table(
        workbook.create_sheet(T["sheet_goals"]),
        run.result.by_goal,
        {
            "goal": T["goal"],
            "title": T["goal_title"],
            "weight": T["weight"],
            "amount_kr": T["amount_kr"],
            "value": T["value"],
        },
    )
    _lines(workbook.create_sheet(T["sheet_assumptions"]), T["assumptions_head"], run.assumptions or [T["none"]])
    _constraints(workbook.create_sheet(T["sheet_constraints"]), run)
    if comparison is not None:
        _comparison(workbook.create_sheet(T["sheet_comparison"]), comparison)
    workbook.save(path)
    return path


def write_csv(frame: pd.DataFrame, target: str | Path | TextIO) -> None:
    """Write a table as CSV (UTF-8) to a file or an open text stream such as sys.stdout, with
    formula-like text cells neutralized for spreadsheets."""
    if isinstance(target, str | Path):
        with Path(target).open("w", newline="", encoding="utf-8") as handle:
            write_csv(frame, handle)
        return
    writer = csv.writer(target)
    writer.writerow([csv_safe(str(column)) for column in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow([csv_safe(value) for value in row])


def csv_safe(value: object) -> object:
    """A cell value for CSV: text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, list | tuple):
        return ";".join(map(str, value))
    return value


def _summary(sheet: Worksheet, run: ScenarioRun) -> None:
    result, scenario = run.result, run.scenario
    sheet.title = T["sheet_summary"]
    rows: list[tuple[str, object, str | None]] = [
        (T["scenario"], scenario.name, None),
        (T["description"], scenario.description, None),
        (T["catalog"], scenario.catalog_path.name if scenario.catalog_path else "", None),
        (T["status"], T["status_" + result.status.value], None),
        (T["objective"], result.objective, NUMBER),
    ]
    for use in result.budget_use.itertuples(index=False):
        suffix = "" if use.year is None else f" {use.year}"
        rows += [
            (T["pulje"] + suffix, use.pulje_kr, KR),
            (T["fixed_lines"] + suffix, use.fixed_kr, KR),
            (T["allocated"] + suffix, use.allocated_kr, KR),
            (T["unused"] + suffix, use.unused_kr, KR),
        ]
    for year, value in result.budget_rate_per_100k.items():
        rows.append((T["shadow_price"] + ("" if year is None else f" {year}"), value, NUMBER))
    sheet.append([T["summary_head"]])
    sheet["A1"].font = Font(bold=True, size=14)
    for label, value, fmt in rows:
        sheet.append([label, None])
        _put(sheet.cell(sheet.max_row, 2), value, fmt)
    _widths(sheet, [34, 60])


def _allocation(sheet: Worksheet, run: ScenarioRun) -> None:
    labels = {
        "id": T["id"], "name": T["name"], "udvalg": T["udvalg"], "goals": T["goals"], "cost_kr": T["cost_kr"],
        "amount_kr": T["amount_kr"], **_year_labels(run), "funded_share": T["funded_share"],
        "reach_used": T["reach_used"], "reach_unit": T["reach_unit"], "reached": T["reached"], "stars": T["stars"],
        "value": T["value"], "value_per_kr": T["value_per_100k"],
    }  # fmt: skip
    frame = run.result.allocation.assign(value_per_kr=run.result.allocation["value_per_kr"] * 100_000)
    _table(sheet, frame, labels)
    total_row = sheet.max_row + 1
    sheet.cell(total_row, 1, T["total"]).font = Font(bold=True)
    for column, key in enumerate(labels, start=1):
        if key == "amount_kr" or key.startswith("amount_kr_") or key == "value":
            _put(sheet.cell(total_row, column), float(frame[key].sum()), KR if key != "value" else NUMBER)
            sheet.cell(total_row, column).font = Font(bold=True)


def _constraints(sheet: Worksheet, run: ScenarioRun) -> None:
    constraints = [
        f"{fields.pop('kind')}: " + ", ".join(f"{key} = {value}" for key, value in fields.items())
        for fields in map(constraint_to_dict, run.scenario.constraints)
    ]
    _lines(sheet, T["constraints_head"], constraints or [T["none"]])
    heading = sheet.max_row + 2
    sheet.cell(heading, 1, T["binding_head"]).font = Font(bold=True)
    _table(
        sheet,
        run.result.binding_table,
        {
            "constraint": T["constraint"],
            "about": T["about"],
            "bound": T["bound"],
            "rate_per_100k": T["shadow_price_col"],
        },
        start=heading + 1,
    )


def _comparison(sheet: Worksheet, comparison: Comparison) -> None:
    labels = {
        "id": T["id"],
        "name": T["name"],
        "udvalg": T["udvalg"],
        **{n: n for n in comparison.names},
        "change": T["change"],
    }
    _table(sheet, comparison.by_indsats, labels, formats=dict.fromkeys(comparison.names, KR))
    _table(
        sheet,
        comparison.objective,
        {"run": T["scenario"], "objective": T["objective"], "allocated_kr": T["allocated"]},
        start=sheet.max_row + 2,
    )


def _table(
    sheet: Worksheet,
    frame: pd.DataFrame,
    labels: dict[str, str],
    *,
    start: int | None = None,
    formats: dict[str, str] | None = None,
) -> None:
    first = 1 if start is None and sheet.max_row == 1 and sheet["A1"].value is None else (start or sheet.max_row + 1)
    keys = [key for key in labels if key in frame.columns]
    for column, key in enumerate(keys, start=1):
        cell = sheet.cell(first, column)
        _put(cell, labels[key], None)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, record in enumerate(frame[keys].itertuples(index=False), start=first + 1):
        for column, (key, value) in enumerate(zip(keys, record, strict=True), start=1):
            _put(sheet.cell(r, column), value, (formats or {}).get(key) or _format(str(key)))
    _widths(sheet, [max(10, min(50, len(str(labels[k])) + 4)) for k in keys])


def _lines(sheet: Worksheet, head: str, lines: list[str]) -> None:
    sheet.append([head])
    sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    for line in lines:
        sheet.append([None])
        _put(sheet.cell(sheet.max_row, 1), line, None)
    _widths(sheet, [120])


def _put(cell, value: object, fmt: str | None) -> None:
    """Write a value; text is always stored as text (never a formula); missing numbers stay empty."""
    if isinstance(value, float) and math.isnan(value):
        value = None
    if isinstance(value, list | tuple):
        value = ", ".join(map(str, value))
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    elif fmt and value is not None:
        cell.number_format = fmt


def _format(key: str) -> str | None:
    if key.endswith("_kr") or key.startswith("amount_kr") or key in ("bound", "change"):
        return KR
    if key == "funded_share":
        return SHARE
    if key in ("value", "value_per_kr", "objective", "rate_per_100k"):
        return NUMBER
    return None


def _year_labels(run: ScenarioRun) -> dict[str, str]:
    years = run.result.years
    return {} if years == [None] else {year_column(y): f"{T['amount_kr']} {y}" for y in years}


def _widths(sheet: Worksheet, widths: list[int]) -> None:
    for column, width in enumerate(widths, start=1):
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = max(sheet.column_dimensions[letter].width or 0, width)


def write_tables_excel(tables: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """Write named tables (e.g. a sweep and its entries) to one workbook, a sheet each."""
    path = Path(path)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, frame in tables.items():
        sheet = workbook.create_sheet(name[:31])
        labels = {column: column for column in frame.columns}
        _table(sheet, frame, labels)
    workbook.save(path)
    return path
