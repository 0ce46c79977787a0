"""Read one sheet of an .xlsx workbook, streaming and bounded, refusing what would otherwise be read wrongly.

The sheet's XML is read row by row with caps on unpacked size, rows and cells (its declared
`<dimension>`, which a decompression bomb sets to A1:XFD1048576, is ignored). Merged cells and formulas
whose value was never computed are refused with the range or cell named: read as they are, both come
out as blank cells, which would silently drop an udvalg or a cost.
"""

from __future__ import annotations

import contextlib
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NoReturn
from xml.etree.ElementTree import Element, ParseError

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import WorkSheetParser  # openpyxl's own cell decoding, one row at a time
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from optimizer.errors import CatalogError, InputFileError, Problem
from optimizer.files import Kind, file_kind
from optimizer.limits import MAX_COLUMNS, MAX_ROWS, MAX_UNPACKED_BYTES
from optimizer.numbers import format_whole

Grid = list[tuple[int, Sequence[object]]]  # (spreadsheet row number, cell values) for each row present

_ROW, _CELL = f"{{{SHEET_MAIN_NS}}}row", f"{{{SHEET_MAIN_NS}}}c"
_VALUE, _FORMULA = f"{{{SHEET_MAIN_NS}}}v", f"{{{SHEET_MAIN_NS}}}f"
_MERGE, _SHEET_DATA = f"{{{SHEET_MAIN_NS}}}mergeCell", f"{{{SHEET_MAIN_NS}}}sheetData"
_SHOWN = 10  # merged ranges or formula cells listed by name; the rest are counted
_NOT_A_WORKBOOK = {
    Kind.TEXT: "is a text file, not an Excel workbook (a CSV file named .xlsx?): rename it to .csv",
    Kind.OLD_OFFICE: "is in the old Excel format (.xls): open it in Excel or LibreOffice and save it as .xlsx",
    Kind.ENCRYPTED: "is password-protected (encrypted): save a copy without a password and read that",
    Kind.PDF: "is a PDF document, not an Excel workbook",
}
_DAMAGED = "open it in Excel or LibreOffice and save it again"


def sheet_names(path: Path) -> list[str]:
    """The sheet names of a workbook."""
    with _open(path) as workbook:
        return list(workbook.sheetnames)


def read_sheet(path: Path, sheet: str | None, preferred: tuple[str, ...]) -> Grid:
    """The rows of one sheet: `sheet`, else the first of `preferred` present, else the only sheet."""
    with _open(path) as workbook:
        name = _choose_sheet(path.name, list(workbook.sheetnames), sheet, preferred)
        try:
            reader = _SheetReader(path.name, name, workbook)
            grid = reader.read()
        except CatalogError:
            raise
        except ParseError as exc:
            line, column = exc.position
            message = f"sheet {name!r} is damaged (not well-formed XML at line {line}, column {column}): {_DAMAGED}"
            raise CatalogError(path.name, [Problem(message)]) from None
        except Exception as exc:  # zipfile, zlib and openpyxl raise many kinds on a damaged part (see _open)
            message = f"sheet {name!r} cannot be read ({type(exc).__name__}: {exc}): {_DAMAGED}"
            raise CatalogError(path.name, [Problem(message)]) from None
    reader.check(grid)
    return grid


@contextlib.contextmanager
def _open(path: Path) -> Iterator[Workbook]:
    """The workbook in read-only mode, after checking it is one and that it unpacks to a bounded size."""
    try:
        kind = file_kind(path)
    except InputFileError as exc:
        raise CatalogError(path.name, [Problem(str(exc))]) from None
    if kind is not Kind.ZIP:
        raise CatalogError(path.name, [Problem(f"{path.name} {_NOT_A_WORKBOOK[kind]}")])
    _check_unpacked(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file; every one means the same to a user
        message = f"cannot read the workbook ({type(exc).__name__}: {exc}): {_DAMAGED}"
        raise CatalogError(path.name, [Problem(message)]) from None
    try:
        yield workbook
    finally:
        workbook.close()


def _check_unpacked(path: Path) -> None:
    """Refuse a zip that declares more unpacked bytes than the cap (zipfile never reads past what is declared)."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except Exception as exc:  # BadZipFile, NotImplementedError for an unknown zip version, OSError ...
        raise CatalogError(path.name, [Problem(f"the workbook is damaged ({exc}): {_DAMAGED}")]) from None
    if unpacked > MAX_UNPACKED_BYTES:
        message = (
            f"the workbook unpacks to {format_whole(unpacked / 1e6, ' MB')}, more than the limit of "
            f"{format_whole(MAX_UNPACKED_BYTES / 1e6, ' MB')} (MAX_UNPACKED_BYTES): is it really a catalog?"
        )
        raise CatalogError(path.name, [Problem(message)])


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


class _SheetReader:
    """One pass over a sheet's XML: the rows' values (decoded by openpyxl), merged ranges, uncomputed formulas."""

    def __init__(self, origin: str, name: str, workbook: Workbook):
        self.origin, self.name = origin, name
        self.worksheet = workbook[name]
        self.parser = WorkSheetParser(
            None,
            self.worksheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        self.merged: list[str] = []
        self.uncomputed: list[tuple[int, int]] = []

    def read(self) -> Grid:
        grid: Grid = []
        cells_in_row = 0
        sheet_data = None
        with self.worksheet._get_source() as source:
            for event, element in iterparse(source, events=("start", "end")):
                if event == "start":
                    if element.tag == _CELL:
                        cells_in_row += 1
                        if cells_in_row > MAX_COLUMNS:
                            self._refuse(f"has a row with more than {format_whole(MAX_COLUMNS)} cells (MAX_COLUMNS)")
                    elif element.tag == _ROW:
                        cells_in_row = 0
                    elif element.tag == _SHEET_DATA:
                        sheet_data = element
                elif element.tag == _ROW:
                    grid.append(self._row(element))
                    if len(grid) > MAX_ROWS:
                        self._refuse(f"has more than {format_whole(MAX_ROWS)} rows (MAX_ROWS), the most pulje reads")
                    if sheet_data is not None:
                        sheet_data.clear()  # drop the rows already read, so memory stays bounded
                elif element.tag == _MERGE:
                    self.merged.append(element.get("ref", "?"))
        return grid

    def _row(self, element: Element) -> tuple[int, list[object]]:
        try:
            number, cells = self.parser.parse_row(element)
        except (ValueError, TypeError, IndexError, KeyError) as exc:  # a cell openpyxl cannot decode
            self._refuse(f"row {element.get('r', '?')} cannot be read ({exc}): {_DAMAGED}")
        values: dict[int, object] = {}
        for xml, cell in zip(element, cells, strict=True):
            column, value = cell["column"], cell["value"]
            if xml.find(_FORMULA) is not None and xml.find(_VALUE) is None:
                self.uncomputed.append((number, column))
            if value is None:
                continue
            if column > MAX_COLUMNS:
                where = f"{get_column_letter(column)}{number}"  # at most XFD + MAX_COLUMNS: within ZZZ
                self._refuse(f"has a value in cell {where}, beyond column {format_whole(MAX_COLUMNS)} (MAX_COLUMNS)")
            values[column] = value
        width = max(values, default=0)
        return number, [values.get(column) for column in range(1, width + 1)]

    def check(self, grid: Grid) -> None:
        """Refuse merged cells and formulas without a computed value, naming each (up to _SHOWN of them)."""
        problems = []
        if self.merged:
            ranges = ", ".join(self.merged[:_SHOWN]) + _more(self.merged)
            problems.append(
                Problem(
                    f"sheet {self.name!r} has merged cells ({ranges}): pulje reads one value per cell, and a "
                    "merged range leaves all but its first cell blank. Unmerge them and fill in every cell"
                )
            )
        header_row, header = _header(grid)
        for number, column in self.uncomputed[:_SHOWN]:
            name = header[column - 1] if number > header_row and column <= len(header) else ""
            problems.append(
                Problem(
                    f"cell {get_column_letter(column)}{number} holds a formula whose value was never computed: "
                    "open the file in Excel or LibreOffice and save it, so the value is stored",
                    row=number,
                    column=name or None,
                )
            )
        if len(self.uncomputed) > _SHOWN:
            problems.append(Problem(f"{len(self.uncomputed) - _SHOWN} more formula cells without a computed value"))
        if problems:
            raise CatalogError(self.origin, problems)

    def _refuse(self, what: str) -> NoReturn:
        raise CatalogError(self.origin, [Problem(f"sheet {self.name!r} {what}")])


def _header(grid: Grid) -> tuple[int, list[str]]:
    """The row number and the cell names (lower-cased, stripped) of the first non-blank row."""
    for number, values in grid:
        names = ["" if value is None else str(value).strip().lower() for value in values]
        if any(names):
            return number, names
    return 0, []


def _more(items: Sequence[object]) -> str:
    return f" and {len(items) - _SHOWN} more" if len(items) > _SHOWN else ""
