"""Read a CSV or Excel sheet into raw rows with spreadsheet row numbers, so validation can name them."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from optimizer.errors import CatalogError, Problem

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}


@dataclass(frozen=True)
class RawTable:
    """The header (lower-cased, stripped) and the non-empty rows of a sheet, each with its row number."""

    origin: str
    header: list[str]
    rows: list[tuple[int, dict[str, object]]]


def read_table(path: str | Path, *, sheet: str | None = None, preferred: tuple[str, ...] = ()) -> RawTable:
    """Read `path` (.csv or .xlsx). For a workbook, use `sheet`, else the first of `preferred` present,
    else the only sheet; anything else is an error naming the sheets found."""
    path = Path(path)
    origin = path.name
    if not path.exists():
        raise CatalogError(origin, [Problem(f"file not found: {path}")])
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        grid = _excel_grid(path, sheet, preferred)
    elif suffix in {".csv", ".txt"}:
        grid = _csv_grid(path)
    else:
        raise CatalogError(origin, [Problem(f"unsupported file type {suffix!r}: use .csv or .xlsx")])
    return _to_table(origin, grid)


def sheet_names(path: Path) -> list[str]:
    """The sheet names of a workbook."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def _csv_grid(path: Path) -> list[list[object]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")  # Danish Excel saves "CSV" in Windows-1252
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _excel_grid(path: Path, sheet: str | None, preferred: tuple[str, ...]) -> list[list[object]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise CatalogError(path.name, [Problem(f"cannot read the workbook: {exc}")]) from None
    try:
        names = list(workbook.sheetnames)
        chosen = _choose_sheet(path.name, names, sheet, preferred)
        return [list(row) for row in workbook[chosen].iter_rows(values_only=True)]
    finally:
        workbook.close()


def _choose_sheet(origin: str, names: list[str], sheet: str | None, preferred: tuple[str, ...]) -> str:
    by_lower = {name.lower(): name for name in names}
    if sheet is not None:
        if sheet.lower() in by_lower:
            return by_lower[sheet.lower()]
        raise CatalogError(origin, [Problem(f"no sheet named {sheet!r}; the workbook has {names}")])
    for wanted in preferred:
        if wanted.lower() in by_lower:
            return by_lower[wanted.lower()]
    if len(names) == 1:
        return names[0]
    raise CatalogError(
        origin,
        [Problem(f"the workbook has several sheets {names}; name the catalog sheet {preferred[0]!r}")],
    )


def _to_table(origin: str, grid: list[list[object]]) -> RawTable:
    numbered = [(number, row) for number, row in enumerate(grid, start=1) if not _blank(row)]
    if not numbered:
        raise CatalogError(origin, [Problem("the file is empty: expected a header and one row per indsats")])
    header_number, header_row = numbered[0]
    header = [str(cell).strip().lower() if cell is not None else "" for cell in header_row]
    rows = []
    for number, row in numbered[1:]:
        cells = list(row) + [None] * (len(header) - len(row))
        rows.append((number, {name: cells[i] for i, name in enumerate(header) if name}))
    if not rows:
        raise CatalogError(origin, [Problem("the file has a header but no rows", row=header_number)])
    return RawTable(origin=origin, header=[name for name in header if name], rows=rows)


def _blank(row: list[object]) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in row)
