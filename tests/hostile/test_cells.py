"""Hostile catalog content: duplicate column names, non-finite and absurd numbers, cells and rows beyond the
caps. Each gives a CatalogError naming the row and column (never a wrong answer or a traceback); generated
CSV cells and bytes never raise anything but CatalogError."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer import CatalogError, load_amounts, load_catalog, validate_catalog
from optimizer.limits import MAX_COLUMNS, MAX_ROWS
from optimizer.numbers import NumberFormatError, parse_number
from tests.hostile.builders import (
    HEADER,
    catalog_row,
    csv_text,
    fails_cleanly,
    replace_cell,
    rows,
    write_bytes,
    write_workbook,
)


def _csv(tmp_path: Path, body: list[list[object]], *, header: list[object] = HEADER) -> Path:
    return write_bytes(tmp_path, "k.csv", csv_text(body, header=header).encode())


def _error(path: Path, pattern: str) -> CatalogError:
    with pytest.raises(CatalogError, match=pattern) as info:
        load_catalog(path)
    return info.value


# --- duplicate column names ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "pattern"),
    [
        pytest.param("cost_kr", r"columns E \('cost_kr'\) and Q \('cost_kr'\) are both named 'cost_kr'", id="same"),
        pytest.param("ID", r"columns A \('id'\) and Q \('ID'\) are both named 'id' \(case and spaces", id="case"),
        pytest.param(" Reach ", r"columns H \('reach'\) and Q \(' Reach '\) are both named 'reach'", id="spaces"),
    ],
)
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_duplicate_column_names_are_refused_naming_both(kind: str, extra: str, pattern: str, tmp_path: Path) -> None:
    """The later column silently won: a second cost_kr of 1 kr. made every indsats nearly free."""
    header = [*HEADER, extra]
    body = [[*row, 1] for row in rows()]
    path = (
        _csv(tmp_path, body, header=header)
        if kind == "csv"
        else write_workbook(tmp_path / "k.xlsx", body, header=header)
    )
    error = _error(path, rf"k\.{kind}(.|\n)*row 1: {pattern}.*rename or remove one")
    assert len(error.problems) == 1


def test_duplicate_column_names_in_a_dataframe(tmp_path: Path) -> None:
    frame = pd.DataFrame([catalog_row()], columns=HEADER)
    frame.insert(len(HEADER), "COST_KR", [1])
    with pytest.raises(CatalogError, match=r"columns E \('cost_kr'\) and Q \('COST_KR'\) are both named 'cost_kr'"):
        validate_catalog(frame, goals={"job": "Job"})


def test_duplicate_columns_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _csv(tmp_path, [[*row, 1] for row in rows()], header=[*HEADER, "cost_kr"])
    err = fails_cleanly(capsys, tmp_path / "out", "validate", str(path))
    assert "k.csv" in err and "columns E ('cost_kr') and Q ('cost_kr')" in err


# --- numbers ---------------------------------------------------------------------------------------

ABSURD = {
    "inf-text": ("cost_kr", "inf", r"'inf' is not a number"),
    "infinity-text": ("reach", "Infinity", r"'Infinity' is not a number"),
    "400-digits": ("cost_kr", "9" * 400, r"'99999999999999999999'… \(400 characters\) is infinite or too large"),
    "10^300-mia": ("max_kr", "1" + "0" * 300 + " mia.", r".*\(306 characters\) is infinite or too large"),
    "above-max-kr": (
        "cost_kr",
        "2.000.000.000.000",
        r"2e\+12 is out of range: cost_kr must be at most 1\.000\.000\.000\.000",
    ),
    "above-max-reach": ("reach", "5000000000", r"5e\+09 is out of range: reach must be at most 1\.000\.000\.000"),
    "above-max-intensity": ("intensity", "10000000", r"1e\+07 is out of range: intensity must be at most 1\.000\.000"),
    "negative": ("reach_min", "-1", r"-1 is negative"),
}


@pytest.mark.parametrize("case", list(ABSURD))
def test_absurd_number_in_a_csv_cell_names_row_and_column(case: str, tmp_path: Path) -> None:
    column, value, pattern = ABSURD[case]
    header = [*HEADER, "intensity"]
    body = [[*row, ""] for row in rows()]
    body[1][header.index(column)] = value
    error = _error(_csv(tmp_path, body, header=header), rf"k\.csv(.|\n)*row 3, column {column}: {pattern}")
    assert len(error.problems) == 1


@pytest.mark.parametrize(
    ("cell", "pattern"),
    [
        pytest.param(math.inf, r"inf is infinite", id="inf"),
        pytest.param(-math.inf, r"-inf is infinite", id="minus-inf"),
        pytest.param(10**400, r".*\(401 characters\) is infinite", id="huge-int"),
        pytest.param(10**5000, r"a number of more than 4300 digits is infinite", id="giant-int"),
    ],
)
def test_non_finite_numbers_in_a_dataframe(cell: object, pattern: str) -> None:
    frame = pd.DataFrame([catalog_row(), catalog_row(id="a1", cost_kr=cell)], columns=HEADER, dtype=object)
    with pytest.raises(CatalogError, match=rf"row 3, column cost_kr: {pattern}"):
        validate_catalog(frame, goals={"job": "Job"})


@pytest.mark.parametrize(
    ("value", "pattern"),
    [
        pytest.param(math.inf, r"inf is infinite or too large", id="inf"),
        pytest.param("9" * 400, r"is infinite or too large", id="400-digits"),
        pytest.param("1" + "0" * 300 + " mia.", r"is infinite or too large", id="overflow-after-mia"),
        pytest.param(10**400, r"is infinite or too large", id="huge-int"),
    ],
)
def test_parse_number_refuses_non_finite_results(value: object, pattern: str) -> None:
    with pytest.raises(NumberFormatError, match=pattern):
        parse_number(value)


@pytest.mark.parametrize(
    ("number", "pattern"),
    [
        pytest.param("1e400", r"row 2, column cost_kr: inf is infinite", id="1e400"),
        pytest.param("-1E999", r"row 2, column cost_kr: -inf is infinite", id="minus-1E999"),
        pytest.param("inf", r"sheet 'indsatser' row 2 cannot be read \(.*'inf'\)", id="inf"),
    ],
)
def test_an_infinite_number_cell_in_a_workbook_is_refused(number: str, pattern: str, tmp_path: Path) -> None:
    """A workbook's number cell may hold "1e400", which openpyxl reads as float infinity."""
    path = replace_cell(write_workbook(tmp_path / "k.xlsx"), "E2", f'<c r="E2" t="n"><v>{number}</v></c>')
    _error(path, pattern)


@pytest.mark.parametrize(
    ("line", "column", "pattern"),
    [
        pytest.param("a0,2021,inf", "amount_kr", r"'inf' is not a number", id="inf-amount"),
        pytest.param("a0,2021,2000000000000", "amount_kr", r"2e\+12 is above 1\.000\.000\.000\.000 kr\.", id="huge"),
        pytest.param("a0,99999,1000", "year", r"'99999' is not a year", id="five-digit-year"),
        pytest.param(f"a0,{'9' * 400},1000", "year", r"'9+\.\.\.9+' is not a year", id="400-digit-year"),
    ],
)
def test_absurd_numbers_in_an_allocation_file(line: str, column: str, pattern: str, tmp_path: Path) -> None:
    path = tmp_path / "tilskud.csv"
    path.write_text(f"id,year,amount_kr\n{line}\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=rf"tilskud\.csv(.|\n)*row 2, column {column}: {pattern}"):
        load_amounts(path)


# --- caps on a CSV file ---------------------------------------------------------------------------


def test_a_cell_longer_than_the_csv_field_limit(tmp_path: Path) -> None:
    limit = csv.field_size_limit()
    data = csv_text(rows()).encode() + b'a9,"' + b"x" * (limit + 1) + b'",AUU\r\n'
    _error(
        write_bytes(tmp_path, "k.csv", data),
        r"k\.csv(.|\n)*line 5: a cell is longer than 131\.072 characters.*quotation mark left open",
    )


def test_a_quote_left_open_swallows_the_file_and_is_named(tmp_path: Path) -> None:
    text = csv_text(rows()) + 'a9,"Indsats\r\n' + ("x" * 100 + "\r\n") * 2000
    _error(write_bytes(tmp_path, "k.csv", text.encode()), r"line \d+: a cell is longer than 131\.072 characters")


def test_rows_beyond_the_cap(tmp_path: Path) -> None:
    data = (",".join(HEADER) + "\n" + "x\n" * MAX_ROWS).encode()
    _error(write_bytes(tmp_path, "k.csv", data), r"k\.csv(.|\n)*more than 200\.000 rows \(MAX_ROWS\)")


def test_columns_beyond_the_cap(tmp_path: Path) -> None:
    data = csv_text(rows()).encode() + b"," * MAX_COLUMNS + b"\r\n"
    _error(write_bytes(tmp_path, "k.csv", data), r"k\.csv(.|\n)*row 5: 1001 cells, more than 1\.000 \(MAX_COLUMNS\)")


# --- generated content ---------------------------------------------------------------------------

TEXT_CELL = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["inf", "-inf", "nan", "NaN", "1e400", "9" * 400, "1" + "0" * 300 + " mia.", "-", "*" * 5, "ja"]),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats().map(str),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.tuples(st.integers(0, 2), st.sampled_from(HEADER), TEXT_CELL), max_size=10))
def test_generated_csv_cells_never_raise_anything_but_a_catalog_error(tmp_path: Path, cells: list) -> None:
    body = rows()
    for row, column, value in cells:
        body[row][HEADER.index(column)] = value
    try:
        catalog = load_catalog(_csv(tmp_path, body))
    except CatalogError as exc:
        assert "k.csv" in str(exc)
        return
    for column in ("cost_kr", "min_kr", "max_kr", "reach", "reach_min", "reach_max"):
        assert all(math.isnan(value) or 0 <= value < math.inf for value in catalog[column]), column


@pytest.mark.filterwarnings("ignore::optimizer.files.EncodingNote")
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".csv", ".xlsx", ".txt"]))
def test_generated_bytes_never_raise_anything_but_a_catalog_error(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = write_bytes(tmp_path, f"k{suffix}", csv_text(rows()).encode()[:40] + data)
    with pytest.raises(CatalogError, match=rf"k\{suffix}"):
        load_catalog(path)
