"""Hand-made hostile input files for the tests in this folder: catalogs as CSV bytes or workbooks whose sheet
XML is edited in place (merged cells, formulas without a value, a lying dimension), and a CLI runner that
checks a failure leaves no output file behind."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.conftest import pulje

GOALS = {"job": "Flere i job", "skole": "Klarer sig godt i skolen"}
HEADER = [
    "id", "name", "udvalg", "goals", "cost_kr", "min_kr", "max_kr", "reach", "reach_min", "reach_max",
    "reach_unit", "stars", "scalable", "source", "quote", "note",
]  # fmt: skip
SHEET = "xl/worksheets/sheet1.xml"  # the first sheet of a workbook openpyxl writes


def catalog_row(**cells: object) -> list[object]:
    """One valid catalog row in HEADER order (id a0, AUU, 100.000 kr., 10 reached); keywords override cells."""
    base: dict[str, object] = {
        "id": "a0", "name": "Indsats", "udvalg": "AUU", "goals": "job", "cost_kr": 100_000, "reach": 10,
        "reach_unit": "borgere", "scalable": "ja", "source": "doc.txt", "quote": "10 borgere",
    }  # fmt: skip
    base.update(cells)
    return [base.get(column, "") for column in HEADER]


def rows(count: int = 3) -> list[list[object]]:
    """`count` valid rows with ids a0, a1, ... under udvalg AUU, SU and KFU in turn."""
    return [catalog_row(id=f"a{i}", udvalg=("AUU", "SU", "KFU")[i % 3]) for i in range(count)]


def csv_text(body: list[list[object]], *, header: list[object] = HEADER, delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(body)
    return out.getvalue()


def write_goals(folder: Path) -> Path:
    path = folder / "goals.csv"
    path.write_text("key,title\n" + "".join(f"{key},{title}\n" for key, title in GOALS.items()), encoding="utf-8")
    return path


def write_bytes(folder: Path, name: str, data: bytes) -> Path:
    """A file of raw bytes with a goals.csv beside it (so only the file itself can be at fault)."""
    write_goals(folder)
    path = folder / name
    path.write_bytes(data)
    return path


def write_workbook(
    path: Path, body: list[list[object]] | None = None, *, header: list[object] = HEADER, goals_sheet: bool = True
) -> Path:
    """A catalog workbook: sheet "indsatser" first (so it is SHEET in the zip), then a "goals" sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "indsatser"
    sheet.append(header)
    for row in rows() if body is None else body:
        sheet.append(row)
    if goals_sheet:
        goals = workbook.create_sheet("goals")
        goals.append(["key", "title"])
        for key, title in GOALS.items():
            goals.append([key, title])
    workbook.save(path)
    return path


def edit_part(path: Path, part: str, edit: Callable[[str], str]) -> Path:
    """Rewrite one part of a zip (e.g. the sheet XML) through `edit`, keeping every other part as it was."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts[part] = edit(parts[part].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def add_to_sheet(path: Path, xml: str, *, before: str = "<pageMargins") -> Path:
    """Insert raw XML into the first sheet before the element `before` (as Excel orders a sheet's parts)."""
    return edit_part(path, SHEET, lambda text: text.replace(before, xml + before, 1))


def replace_cell(path: Path, coordinate: str, xml: str) -> Path:
    """Replace the cell at `coordinate` in the first sheet by raw XML."""
    pattern = re.compile(rf'<c r="{coordinate}"[^>]*?(/>|>.*?</c>)')
    return edit_part(path, SHEET, lambda text: pattern.sub(xml, text, count=1))


def fails_cleanly(capsys: pytest.CaptureFixture[str], out_dir: Path, *argv: str) -> str:
    """Run a command that must fail with --excel into an empty folder; return its stderr.

    Asserts exit code 2, one `error:` message and no traceback, and that the folder is still empty:
    no workbook and no temporary file were left behind.
    """
    out_dir.mkdir(exist_ok=True)
    code, _, err = pulje(capsys, *argv, "--excel", str(out_dir / "out.xlsx"))
    assert code == 2, err
    assert err.startswith("error: ") or "\nerror: " in err or ": error: " in err, err
    assert "Traceback" not in err, err
    assert list(out_dir.iterdir()) == [], list(out_dir.iterdir())
    return err
