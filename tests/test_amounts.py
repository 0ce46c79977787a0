"""Tests for optimizer.load_amounts: the bundled baseline tilskud file and bad allocation files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import FREDERIKSBERG_2021, FREDERIKSBERG_2021_TILSKUD

from optimizer import CatalogError, load_amounts, load_catalog


@pytest.fixture(scope="module")
def catalog() -> pd.DataFrame:
    return load_catalog(FREDERIKSBERG_2021)


@pytest.fixture(scope="module")
def baseline(catalog: pd.DataFrame) -> pd.DataFrame:
    return load_amounts(FREDERIKSBERG_2021_TILSKUD, catalog=catalog)


def test_baseline_shape(baseline: pd.DataFrame) -> None:
    assert list(baseline.columns) == ["id", "year", "amount_kr"]
    assert len(baseline) == 17
    assert set(baseline["year"]) == {2021, 2022}
    assert all(isinstance(year, int) for year in baseline["year"])


def test_baseline_ids_are_catalog_ids(baseline: pd.DataFrame, catalog: pd.DataFrame) -> None:
    assert set(baseline["id"]) == set(catalog["id"])


@pytest.mark.parametrize(("year", "total"), [(2021, 722_000), (2022, 700_000)])
def test_baseline_year_sums(baseline: pd.DataFrame, year: int, total: int) -> None:
    assert baseline.loc[baseline["year"] == year, "amount_kr"].sum() == total


@pytest.mark.parametrize(
    ("indsats", "year", "amount"),
    [
        ("fb21-kvinder-i-job", 2021, 150_000),
        ("fb21-kvinder-i-job", 2022, 0),
        ("fb21-dansk-sproglig-opkvalificering", 2022, 120_000),
        ("fb21-farvel-til-farvede-forventninger", 2021, 197_000),
        ("fb21-cricket", 2021, 10_000),
        ("fb21-integrationspriser", 2022, 40_000),
    ],
)
def test_baseline_amount(baseline: pd.DataFrame, indsats: str, year: int, amount: int) -> None:
    match = baseline[(baseline["id"] == indsats) & (baseline["year"] == year)]
    assert list(match["amount_kr"]) == [amount]


def test_unlisted_indsats_year_is_absent(baseline: pd.DataFrame) -> None:
    """Cricket has no 2022 row: an indsats-year not listed received nothing."""
    assert baseline[(baseline["id"] == "fb21-cricket") & (baseline["year"] == 2022)].empty


def test_load_without_catalog() -> None:
    assert len(load_amounts(FREDERIKSBERG_2021_TILSKUD)) == 17


# --- bad files ------------------------------------------------------------------------------------------------

HEADER = "id,year,amount_kr,note"
GOOD = ["fb21-cricket,2021,10000,", "fb21-kvinder-i-job,2021,150.000 kr.,"]


def write(tmp_path: Path, *lines: str, header: str = HEADER) -> Path:
    path = tmp_path / "tilskud.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def test_danish_amounts_parse(tmp_path: Path, catalog: pd.DataFrame) -> None:
    amounts = load_amounts(write(tmp_path, *GOOD, 'fb21-cricket,2022,"0,01 mio.",'), catalog=catalog)
    assert list(amounts["amount_kr"]) == [10_000, 150_000, 10_000]


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        pytest.param("fb21-ukendt,2021,5000,", "id", r"id 'fb21-ukendt' is not in the catalog", id="unknown-id"),
        pytest.param("fb21-cricket,2021,5000,", "year", r"fb21-cricket 2021 is listed twice \(also row 2\)", id="dup"),
        pytest.param("fb21-cricket,2022,mange,", "amount_kr", r"'mange' is not a number", id="non-numeric"),
        pytest.param("fb21-cricket,2022,-5000,", "amount_kr", r"non-negative", id="negative"),
        pytest.param("fb21-cricket,2022,,", "amount_kr", r"non-negative amount", id="empty-amount"),
        pytest.param("fb21-cricket,tyve,5000,", "year", r"'tyve' is not a year", id="bad-year"),
        pytest.param(",2022,5000,", "id", r"empty id", id="empty-id"),
    ],
)
def test_bad_row_names_row_and_column(
    tmp_path: Path, catalog: pd.DataFrame, line: str, column: str, message: str
) -> None:
    with pytest.raises(CatalogError) as info:
        load_amounts(write(tmp_path, *GOOD, line), catalog=catalog)
    error = info.value
    assert [(problem.row, problem.column) for problem in error.problems] == [(4, column)]
    assert str(error).startswith("tilskud.csv: 1 problem")
    with pytest.raises(CatalogError, match=rf"tilskud\.csv(.|\n)*row 4, column {column}: .*{message}"):
        load_amounts(tmp_path / "tilskud.csv", catalog=catalog)


@pytest.mark.parametrize("missing", ["id", "year", "amount_kr"])
def test_missing_column(tmp_path: Path, missing: str) -> None:
    columns = ["id", "year", "amount_kr"]
    values = {"id": "fb21-cricket", "year": "2021", "amount_kr": "10000"}
    kept = [name for name in columns if name != missing]
    path = write(tmp_path, ",".join(values[name] for name in kept), header=",".join(kept))
    with pytest.raises(CatalogError, match=rf"^tilskud\.csv: 1 problem\n  - row 1: missing column '{missing}'$"):
        load_amounts(path)


def test_all_problems_reported_at_once(tmp_path: Path, catalog: pd.DataFrame) -> None:
    path = write(
        tmp_path,
        "fb21-cricket,2021,10000,",
        "fb21-ukendt,2021,5000,",
        "fb21-cricket,2021,-1,",
        "fb21-cricket,2022,12x,",
    )
    with pytest.raises(CatalogError) as info:
        load_amounts(path, catalog=catalog)
    assert sorted((problem.row, problem.column) for problem in info.value.problems) == [
        (3, "id"),
        (4, "amount_kr"),
        (4, "year"),
        (5, "amount_kr"),
    ]


def test_bad_year_or_empty_id_is_not_also_reported_as_duplicate(tmp_path: Path) -> None:
    """Two unreadable years (or two empty ids) are two problems, not a third 'listed twice' one."""
    path = write(tmp_path, "fb21-cricket,tyve,5000,", "fb21-cricket,tolv,5000,", ",2022,1000,", ",2022,2000,")
    with pytest.raises(CatalogError) as info:
        load_amounts(path)
    assert [(problem.row, problem.column) for problem in info.value.problems] == [
        (2, "year"),
        (3, "year"),
        (4, "id"),
        (5, "id"),
    ]


def test_unknown_id_accepted_without_catalog(tmp_path: Path) -> None:
    amounts = load_amounts(write(tmp_path, "hvad-som-helst,2021,5000,"))
    assert list(amounts["id"]) == ["hvad-som-helst"]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"findes_ikke\.csv(.|\n)*file not found"):
        load_amounts(tmp_path / "findes_ikke.csv")
