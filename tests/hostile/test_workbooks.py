"""Hostile workbooks: merged cells, formulas never computed, damaged sheet XML, a lying dimension and sheets
beyond the caps. Each is refused with the range, cell or limit named (never read as blank cells, which
would silently drop an udvalg or a cost); generated cell values never raise anything but CatalogError."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from optimizer import CatalogError, load_catalog
from optimizer.limits import MAX_COLUMNS, MAX_ROWS
from tests.hostile.builders import (
    HEADER,
    SHEET,
    add_to_sheet,
    catalog_row,
    edit_part,
    fails_cleanly,
    replace_cell,
    rows,
    write_workbook,
)


def _error(path: Path, pattern: str) -> CatalogError:
    with pytest.raises(CatalogError, match=pattern) as info:
        load_catalog(path)
    return info.value


# --- merged cells --------------------------------------------------------------------------------


def test_udvalg_merged_over_three_rows_is_refused_naming_range_and_sheet(tmp_path: Path) -> None:
    path = add_to_sheet(
        write_workbook(tmp_path / "k.xlsx"), '<mergeCells count="1"><mergeCell ref="C2:C4"/></mergeCells>'
    )
    error = _error(path, r"k\.xlsx(.|\n)*sheet 'indsatser' has merged cells \(C2:C4\).*Unmerge them")
    assert len(error.problems) == 1


def test_many_merged_ranges_are_listed_then_counted(tmp_path: Path) -> None:
    ranges = [f"Q{row}:R{row}" for row in range(1, 15)]
    xml = f'<mergeCells count="{len(ranges)}">' + "".join(f'<mergeCell ref="{r}"/>' for r in ranges) + "</mergeCells>"
    error = _error(add_to_sheet(write_workbook(tmp_path / "k.xlsx"), xml), r"Q1:R1, Q2:R2, .*Q10:R10 and 4 more")
    assert "Q11:R11" not in str(error)


def test_merged_cells_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = add_to_sheet(
        write_workbook(tmp_path / "k.xlsx"), '<mergeCells count="1"><mergeCell ref="C2:C4"/></mergeCells>'
    )
    err = fails_cleanly(capsys, tmp_path / "out", "validate", str(path))
    assert "k.xlsx" in err and "C2:C4" in err and "'indsatser'" in err


# --- formulas ------------------------------------------------------------------------------------


def test_formula_without_a_computed_value_names_the_cell(tmp_path: Path) -> None:
    path = replace_cell(write_workbook(tmp_path / "k.xlsx"), "E3", '<c r="E3"><f>E2*2</f></c>')
    error = _error(path, r"row 3, column cost_kr: cell E3 holds a formula whose value was never computed.*save it")
    assert len(error.problems) == 1


def test_formula_with_its_computed_value_is_read(tmp_path: Path) -> None:
    path = replace_cell(write_workbook(tmp_path / "k.xlsx"), "E3", '<c r="E3"><f>E2*2</f><v>200000</v></c>')
    assert load_catalog(path)["cost_kr"].tolist() == [100_000, 200_000, 100_000]


def test_formula_computed_to_empty_text_is_not_called_uncomputed(tmp_path: Path) -> None:
    path = replace_cell(write_workbook(tmp_path / "k.xlsx"), "P3", '<c r="P3" t="str"><f>""</f><v></v></c>')
    assert load_catalog(path)["note"].tolist() == ["", "", ""]


def test_many_uncomputed_formulas_are_listed_then_counted(tmp_path: Path) -> None:
    body = [catalog_row(id=f"a{i}") for i in range(15)]
    path = write_workbook(tmp_path / "k.xlsx", body)
    edit_part(
        path, SHEET, lambda xml: re.sub(r'<c r="(E\d+)" t="n"><v>100000</v></c>', r'<c r="\1"><f>1+1</f></c>', xml)
    )
    error = _error(path, r"cell E2 holds a formula")
    assert [p.row for p in error.problems[:10]] == list(range(2, 12))
    assert str(error.problems[-1]) == "5 more formula cells without a computed value"


# --- damaged or malicious XML ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("edit", "pattern"),
    [
        pytest.param(lambda xml: xml.replace("</row>", "</rowx>", 1), r"sheet 'indsatser' is damaged \(not well-formed "
                     r"XML at line 1, column \d+\): open it in Excel", id="malformed-xml"),
        pytest.param(lambda xml: xml[: len(xml) // 2], r"sheet 'indsatser' is damaged", id="truncated-xml"),
        pytest.param(lambda xml: re.sub(r'<c r="B2".*?</c>', '<c r="B2" t="s"><v>999</v></c>', xml),
                     r"sheet 'indsatser' row 2 cannot be read \(list index", id="shared-string-out-of-range"),
        pytest.param(lambda xml: xml.replace("<v>100000</v>", "<v>lots</v>", 1),
                     r"sheet 'indsatser' row 2 cannot be read \(.*'lots'\)", id="number-cell-with-text"),
        pytest.param(lambda xml: xml.replace('r="A2"', 'r="AAAA2"', 1),
                     r"sheet 'indsatser' row 2 cannot be read \('AAAA' is not a valid column", id="impossible-column"),
    ],
)  # fmt: skip
def test_damaged_sheet(edit, pattern: str, tmp_path: Path) -> None:
    _error(edit_part(write_workbook(tmp_path / "k.xlsx"), SHEET, edit), rf"k\.xlsx(.|\n)*{pattern}")


LAUGHS = (  # "billion laughs": ten entities, each ten of the one before, expand to 10^10 characters
    '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY e0 "ha">'
    + "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10))
    + "]>"
)


def test_entity_expansion_bomb_is_refused(tmp_path: Path) -> None:
    laugh = '<c r="B2" t="inlineStr"><is><t>&e9;</t></is></c>'
    path = edit_part(
        write_workbook(tmp_path / "k.xlsx"), SHEET, lambda xml: LAUGHS + re.sub(r'<c r="B2".*?</c>', laugh, xml)
    )
    _error(path, r"sheet 'indsatser' is damaged \(not well-formed XML")


def test_zip_that_is_no_workbook(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "k.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    _error(path, r"k\.xlsx(.|\n)*cannot read the workbook .*save it again")


def test_dimension_bomb_is_ignored(tmp_path: Path) -> None:
    """A sheet declaring A1:XFD1048576 made openpyxl pad every row to 16.384 cells, for a million rows."""
    path = edit_part(
        write_workbook(tmp_path / "k.xlsx"),
        SHEET,
        lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', xml),
    )
    catalog = load_catalog(path)
    assert catalog["id"].tolist() == ["a0", "a1", "a2"]


def _many_rows(count: int) -> str:
    return "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, count + 2))


def test_rows_beyond_the_cap_are_refused(tmp_path: Path) -> None:
    path = edit_part(
        write_workbook(tmp_path / "k.xlsx", []),
        SHEET,
        lambda xml: xml.replace("</sheetData>", _many_rows(MAX_ROWS) + "</sheetData>"),
    )
    _error(path, r"sheet 'indsatser' has more than 200\.000 rows \(MAX_ROWS\)")


def test_a_row_with_too_many_cells_is_refused_while_it_is_read(tmp_path: Path) -> None:
    cells = "<c><v>1</v></c>" * (MAX_COLUMNS + 1)  # no coordinates: each cell is one column further
    path = edit_part(
        write_workbook(tmp_path / "k.xlsx"),
        SHEET,
        lambda xml: xml.replace("</sheetData>", f'<row r="9">{cells}</row></sheetData>'),
    )
    _error(path, r"sheet 'indsatser' has a row with more than 1\.000 cells \(MAX_COLUMNS\)")


def test_a_value_beyond_the_column_cap_is_refused_naming_its_cell(tmp_path: Path) -> None:
    path = edit_part(
        write_workbook(tmp_path / "k.xlsx"),
        SHEET,
        lambda xml: xml.replace("</row>", '<c r="ZZ2"/><c r="XFD1"><v>7</v></c></row>', 1),
    )
    _error(path, r"sheet 'indsatser' has a value in cell XFD1, beyond column 1\.000 \(MAX_COLUMNS\)")


def test_an_empty_styled_cell_far_right_is_harmless(tmp_path: Path) -> None:
    path = edit_part(
        write_workbook(tmp_path / "k.xlsx"), SHEET, lambda xml: xml.replace("</row>", '<c r="XFD1" s="0"/></row>', 1)
    )
    assert len(load_catalog(path)) == 3


def test_workbook_unpacking_beyond_the_cap_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_workbook(tmp_path / "k.xlsx")
    monkeypatch.setattr("optimizer.workbook.MAX_UNPACKED_BYTES", 5_000)
    _error(path, r"k\.xlsx(.|\n)*the workbook unpacks to \d+ MB, more than the limit of \d+ MB \(MAX_UNPACKED_BYTES\)")


# --- generated cells -------------------------------------------------------------------------------

CELL = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30).map(lambda text: ILLEGAL_CHARACTERS_RE.sub("", text)),  # what a workbook can hold
    st.sampled_from(["inf", "-inf", "nan", "1e400", "9" * 400, "10" + "0" * 300 + " mia.", "1.234,5 kr.", "ja", "*"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.tuples(st.sampled_from(HEADER), CELL), max_size=8))
def test_generated_cells_never_raise_anything_but_a_catalog_error(tmp_path: Path, cells: list) -> None:
    body = rows()
    for column, value in cells:
        body[1][HEADER.index(column)] = value
    path = write_workbook(tmp_path / "k.xlsx", body)
    try:
        catalog = load_catalog(path)
    except CatalogError as exc:
        assert "k.xlsx" in str(exc)
        return
    for column in ("cost_kr", "reach"):
        assert all(math.isnan(value) or 0 <= value < math.inf for value in catalog[column])
