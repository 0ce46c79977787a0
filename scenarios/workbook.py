"""Writing cells, tables and notes into a workbook that reads well on screen and on paper.

Every value goes through one place (`Book.put`): a missing value leaves the cell empty, text is stored as
text (never run as a formula) with the characters an .xlsx cannot hold replaced, and a number gets the
Excel format of its kind (`optimizer.formats`). Kroner are rounded to the øre and solver noise within an
øre of a whole krone is removed (399999.9968 is stored as 400000). Columns get the width their content
needs (long text wraps), rows the height their wrapped text needs, and every sheet prints on A4 landscape
across the page width. The file is written atomically.
"""

from __future__ import annotations

import math
import numbers
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from optimizer.files import atomic_path
from optimizer.formats import EXCEL_FORMATS, Kind, column_kind, format_as, is_missing
from scenarios.safe_text import excel_text
from ui_text import EXCEL as T

FONT = "Calibri"  # the default font of a new workbook; named, or LibreOffice picks a serif for bold cells
TEXT_WIDTH = 30  # characters: a table column is at most this wide, longer text wraps
LABEL_WIDTH = 42  # the labels of a summary
VALUE_WIDTH = 75  # the values of a summary
LINE_WIDTH = 100  # the one wide column of a sheet of lines (assumptions)
LINE_HEIGHT = 15  # points per line of 11-point text
PLAIN = Font(name=FONT, size=11)
BOLD = Font(name=FONT, size=11, bold=True)
NOTE = Font(name=FONT, size=11, italic=True)
HEADING = Font(name=FONT, size=12, bold=True)
TITLE = Font(name=FONT, size=14, bold=True)
TOP = Alignment(vertical="top")
WRAP = Alignment(wrap_text=True, vertical="top")
WRAP_RIGHT = Alignment(wrap_text=True, vertical="top", horizontal="right")
INDENTED = Alignment(horizontal="left", vertical="top", indent=1)


@dataclass
class Book:
    """A workbook being written: its sheets, the width each column's content needs, the widest each column
    may be, and how many characters had to be replaced (the workbook says so when it is saved)."""

    workbook: Workbook = field(default_factory=Workbook)
    replaced: int = 0
    needs: dict[tuple[str, int], float] = field(default_factory=dict)
    caps: dict[tuple[str, int], float] = field(default_factory=dict)
    prose: list[tuple[str, int]] = field(default_factory=list)  # (sheet, row) of each heading and note
    fresh: bool = True  # the workbook's first (default) sheet is still unused

    def sheet(self, title: str) -> Worksheet:
        """A new sheet, set up to print on A4 landscape across the page width, with page numbers."""
        if self.fresh:
            sheet, self.fresh = self.workbook.active, False
            sheet.title = title
        else:
            sheet = self.workbook.create_sheet(title)
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_margins.left = sheet.page_margins.right = 0.5
        sheet.oddFooter.left.text = "&A"
        sheet.oddFooter.right.text = T["page"]
        return sheet

    def put(
        self, cell: Cell, value: object, kind: Kind | None = None, *, font: Font = PLAIN, header: bool = False
    ) -> None:
        """Write one value (see the module docstring) and remember the width it needs (for a header, which
        wraps, the width of its longest word or half of it)."""
        cell.font, cell.alignment = font, TOP
        if isinstance(value, list | tuple):
            value = ", ".join(map(str, value))
        if isinstance(value, np.bool_):
            value = bool(value)
        if is_missing(value) or value == "":
            return
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            value = _stored_number(value, kind)
            if kind in EXCEL_FORMATS and math.isfinite(value):
                cell.number_format = EXCEL_FORMATS[kind]
        elif not isinstance(value, bool):
            value, count = excel_text(str(value))
            self.replaced += count
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # text stays text: "=cmd" is never a formula
        chars = len(format_as(value, kind, unit=True))
        if header and isinstance(value, str):
            chars = max(max(map(len, value.split()), default=0), math.ceil(chars / 2))
        key = (cell.parent.title, cell.column)
        self.needs[key] = max(self.needs.get(key, 0), chars + 2)

    def title(self, sheet: Worksheet, text: str) -> None:
        """A large bold heading, a blank row below what is there."""
        self._prose(sheet, text, TITLE)

    def heading(self, sheet: Worksheet, text: str) -> None:
        """A bold heading line, a blank row below what is there."""
        self._prose(sheet, text, HEADING)

    def note(self, sheet: Worksheet, text: str, *, bold: bool = False) -> None:
        """A line of prose (italic, or bold for a warning), a blank row below what is there."""
        self._prose(sheet, text, BOLD if bold else NOTE)

    def pairs(self, sheet: Worksheet, rows: Sequence[tuple[str, object, Kind | None]]) -> None:
        """Label-value rows (a summary): the bold label in column A, the value in column B."""
        for label, value, kind in rows:
            row = sheet.max_row + 1
            self.put(sheet.cell(row, 1), label, font=BOLD)
            self.put(sheet.cell(row, 2), value, kind)
            sheet.cell(row, 2).alignment = Alignment(vertical="top", horizontal="left")
        self.caps[(sheet.title, 1)], self.caps[(sheet.title, 2)] = LABEL_WIDTH, VALUE_WIDTH

    def table(
        self,
        sheet: Worksheet,
        frame: pd.DataFrame,
        labels: dict[str, str],
        *,
        kinds: dict[str, Kind] | None = None,
        widths: Mapping[str, float] | None = None,
    ) -> int:
        """The frame's columns in `labels` (in that order) under bold headers, below what is on the sheet
        (a table that starts the sheet gets its header frozen and repeated on every printed page).
        A column's kind is `kinds[key]`, else its kind in the registry, else by its dtype; `widths` caps
        the width of some columns (their text wraps). Returns the header's row."""
        first = 1 if _empty(sheet) else sheet.max_row + 1
        keys = [key for key in labels if key in frame.columns]
        column_kinds = [(kinds or {}).get(key) or column_kind(key, frame[key]) for key in keys]
        for column, (key, kind) in enumerate(zip(keys, column_kinds, strict=True), start=1):
            cell = sheet.cell(first, column)
            self.put(cell, labels[key], font=BOLD, header=True)
            cell.alignment = WRAP if kind is Kind.TEXT else WRAP_RIGHT  # over the numbers, aligned as they are
            if kind is Kind.TEXT and column > 1 and column_kinds[column - 2] is not Kind.TEXT:
                cell.alignment = Alignment(wrap_text=True, horizontal="left", vertical="top", indent=1)
            if widths and key in widths:
                self.caps[(sheet.title, column)] = widths[key]
        for r, record in enumerate(frame[keys].itertuples(index=False), start=first + 1):
            for column, (value, kind) in enumerate(zip(record, column_kinds, strict=True), start=1):
                self.put(sheet.cell(r, column), value, kind)
                if kind is Kind.TEXT and column > 1 and column_kinds[column - 2] is not Kind.TEXT:
                    sheet.cell(r, column).alignment = INDENTED  # clear of the number to its left
        if first == 1:
            sheet.freeze_panes = "A2"
            sheet.print_title_rows = "1:1"
        return first

    def total_row(self, sheet: Worksheet, values: dict[int, tuple[float, Kind]]) -> int:
        """A bold "I alt" row below the table: {column: (total, kind)}. Returns its row."""
        row: int = sheet.max_row + 1
        self.put(sheet.cell(row, 1), T["total"], font=BOLD)
        for column, (total, kind) in values.items():
            self.put(sheet.cell(row, column), total, kind, font=BOLD)
        return row

    def lines(self, sheet: Worksheet, head: str, lines: Sequence[str]) -> None:
        """A heading and one line of prose per row, in one wide wrapping column."""
        self.heading(sheet, head)
        for line in lines:
            cell = sheet.cell(sheet.max_row + 1, 1)
            self.put(cell, line)
            cell.alignment = WRAP
        self.caps[(sheet.title, 1)] = self.needs[(sheet.title, 1)] = LINE_WIDTH

    def save(self, path: str | Path, *, notes_sheet: str) -> Path:
        """Say on `notes_sheet` if characters were replaced, fit columns and rows, and write atomically."""
        if self.replaced:
            sheet = self.workbook[notes_sheet] if notes_sheet in self.workbook else self.sheet(notes_sheet)
            self.note(sheet, T["replaced_characters"].format(count=self.replaced))
        for sheet in self.workbook.worksheets:
            widths = {c: self._width(sheet.title, c) for c in range(1, sheet.max_column + 1)}
            for column, width in widths.items():
                sheet.column_dimensions[get_column_letter(column)].width = width
            spans = {row: sum(widths.values()) for title, row in self.prose if title == sheet.title}
            for row in spans:  # prose runs across the sheet's columns and wraps within them
                if sheet.max_column > 1:
                    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=sheet.max_column)
                sheet.cell(row, 1).alignment = WRAP
            _fit_rows(sheet, widths, spans)
        path = Path(path)
        with atomic_path(path) as temporary:
            self.workbook.save(temporary)
        return path

    def _prose(self, sheet: Worksheet, text: str, font: Font) -> None:
        """Prose in column A, a blank row below what is there; it spans the columns when saved."""
        cell = sheet.cell(1 if _empty(sheet) else sheet.max_row + 2, 1)
        value, count = excel_text(text)
        self.replaced += count
        cell.value, cell.data_type, cell.font, cell.alignment = value, "s", font, WRAP
        self.prose.append((sheet.title, cell.row))

    def _width(self, title: str, column: int) -> float:
        return max(6, min(self.needs.get((title, column), 8), self.caps.get((title, column), TEXT_WIDTH)))


def _fit_rows(sheet: Worksheet, widths: dict[int, float], spans: dict[int, float]) -> None:
    """Give each row with wrapped text the height its lines need (neither Excel nor LibreOffice does this
    for a file written by openpyxl), and wrap text that is wider than its column (or its span of columns,
    for the rows in `spans`)."""
    for row in sheet.iter_rows():
        lines = 1
        for cell in row:
            if not isinstance(cell.value, str):
                continue
            width = spans.get(cell.row, widths.get(cell.column, TEXT_WIDTH)) - 1  # characters a line surely holds
            needed = sum(
                len(textwrap.wrap(part, int(width), break_on_hyphens=True)) or 1 for part in cell.value.split("\n")
            )
            if needed > 1 and not cell.alignment.wrap_text:
                alignment = cell.alignment
                cell.alignment = Alignment(
                    wrap_text=True, vertical="top", horizontal=alignment.horizontal, indent=alignment.indent
                )
            lines = max(lines, needed)
        if lines > 1:
            sheet.row_dimensions[row[0].row].height = LINE_HEIGHT * lines


def _stored_number(value: numbers.Real, kind: Kind | None) -> float | int:
    """The number as the cell stores it: kroner to the øre, a whole krone where only noise is left."""
    number = int(value) if isinstance(value, numbers.Integral) else float(value)
    if kind is Kind.KRONER and math.isfinite(number):
        whole = round(number)
        return float(whole) if abs(number - whole) < 0.01 else round(number, 2)
    return number


def _empty(sheet: Worksheet) -> bool:
    return sheet.max_row == 1 and sheet["A1"].value is None
