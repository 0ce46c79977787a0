"""Read a CSV or Excel sheet into raw rows with spreadsheet row numbers, so validation can name them.

A CSV file may be UTF-8, UTF-16 (Excel's "Unicode text") or Windows-1252, separated by commas,
semicolons or tabs; a file that is really something else (a workbook named .csv) is named as such.
Both formats are read within the caps of optimizer/limits.py.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl.utils import get_column_letter

from optimizer.errors import CatalogError, InputFileError, Problem
from optimizer.files import Kind, check_readable, decode_text, kind_of, read_bytes
from optimizer.limits import MAX_COLUMNS, MAX_ROWS
from optimizer.numbers import format_whole
from optimizer.workbook import Grid, read_sheet

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
DELIMITERS = (",", ";", "\t")  # the first line's most frequent one wins; a tie goes to the comma


@dataclass(frozen=True)
class RawTable:
    """The header (lower-cased, stripped) and the non-empty rows of a sheet, each with its row number: `cells`
    holds one list per row, one cell per header name (kept as lists: a million rows read as dicts take
    seconds and gigabytes)."""

    origin: str
    header: list[str]
    numbers: list[int]
    cells: Sequence[Sequence[object]]

    @property
    def rows(self) -> list[tuple[int, dict[str, object]]]:
        """(row number, {column: cell}) for each row."""
        return [(number, dict(zip(self.header, row, strict=True))) for number, row in zip(self.numbers, self.cells,
                                                                                          strict=True)]  # fmt: skip


def read_table(path: str | Path, *, sheet: str | None = None, preferred: tuple[str, ...] = ()) -> RawTable:
    """Read `path` (.csv or .xlsx). For a workbook, use `sheet`, else the first of `preferred` present,
    else the only sheet; anything else is an error naming the sheets found."""
    path = Path(path)
    origin = path.name
    try:
        check_readable(path)
    except InputFileError as exc:
        raise CatalogError(origin, [Problem(str(exc))]) from None
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        grid = [(number, row) for number, row in read_sheet(path, sheet, preferred) if not _blank(row)]
    elif suffix in TEXT_SUFFIXES:
        grid = _csv_grid(path)
    elif suffix == ".xls":
        message = "unsupported file type '.xls', the old Excel format: open it in Excel or LibreOffice, save as .xlsx"
        raise CatalogError(origin, [Problem(message)])
    else:
        raise CatalogError(origin, [Problem(f"unsupported file type {suffix!r}: use .csv or .xlsx")])
    return _to_table(origin, grid)


def check_header(origin: str, cells: Sequence[object], *, row: int = 1) -> None:
    """Refuse a header that names a column twice (case and surrounding spaces do not count), naming both."""
    first: dict[str, tuple[int, object]] = {}
    problems = []
    for position, cell in enumerate(cells, start=1):
        name = _name(cell)
        if not name:
            continue
        if name in first:
            earlier, given = first[name]
            problems.append(
                Problem(
                    f"columns {get_column_letter(earlier)} ({given!r}) and {get_column_letter(position)} ({cell!r}) "
                    f"are both named {name!r} (case and spaces do not count): rename or remove one",
                    row=row,
                )
            )
        else:
            first[name] = (position, cell)
    if problems:
        raise CatalogError(origin, problems)


def _csv_grid(path: Path) -> Grid:
    origin = path.name
    try:
        data = read_bytes(path)  # read once: what it is, then its text
        kind = kind_of(data)
        if kind is not Kind.TEXT:
            rename = ": rename it to .xlsx" if kind is Kind.ZIP else ""
            raise InputFileError(f"{origin} is {kind.value}, not a CSV text file{rename}")
        text, _ = decode_text(origin, data)
    except InputFileError as exc:
        raise CatalogError(origin, [Problem(str(exc))]) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        rows = list(itertools.islice(reader, MAX_ROWS + 1))  # read at C speed, never more than the cap
    except csv.Error as exc:
        raise CatalogError(origin, [Problem(_csv_problem(exc, reader.line_num))]) from None
    wide = next((number for number, row in enumerate(rows, start=1) if len(row) > MAX_COLUMNS), None)
    if wide is not None:
        cells = len(rows[wide - 1])
        message = f"{cells} cells, more than {format_whole(MAX_COLUMNS)} (MAX_COLUMNS), the most pulje reads"
        raise CatalogError(origin, [Problem(message, row=wide)])
    if len(rows) > MAX_ROWS:
        message = f"more than {format_whole(MAX_ROWS)} rows (MAX_ROWS), the most pulje reads"
        raise CatalogError(origin, [Problem(message)])
    return [(number, row) for number, row in enumerate(rows, start=1) if "".join(row).strip()]  # blank rows left out


def _csv_problem(exc: csv.Error, line: int) -> str:
    if "field larger than field limit" in str(exc):
        return (
            f"line {line}: a cell is longer than {format_whole(csv.field_size_limit())} characters, the most "
            "pulje reads "
            "(is a quotation mark left open?)"
        )
    return f"line {line}: not readable as CSV ({exc})"


def _to_table(origin: str, grid: Grid) -> RawTable:
    """The table of a grid whose blank rows are left out: its first row the header, the rest the rows."""
    if not grid:
        raise CatalogError(origin, [Problem("the file is empty: expected a header and one row per indsats")])
    header_number, header_row = grid[0]
    check_header(origin, header_row, row=header_number)
    header = [_name(cell) for cell in header_row]
    named = [k for k, name in enumerate(header) if name]
    body = grid[1:]
    if not body:
        raise CatalogError(origin, [Problem("the file has a header but no rows", row=header_number)])
    if len(named) == len(header) and all(len(row) == len(header) for _, row in body):
        cells = [row for _, row in body]  # as the reader gave them: lists, one cell per column
    else:  # short rows padded with empty cells; columns without a name left out
        cells = [[(list(row) + [None] * len(header))[k] for k in named] for _, row in body]
    return RawTable(origin, [header[k] for k in named], [number for number, _ in body], cells)


def _name(cell: object) -> str:
    """A header cell as a column name: stripped and lower-cased."""
    return str(cell).strip().lower() if cell is not None else ""


def _blank(row: Sequence[object]) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in row)
