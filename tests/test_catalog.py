"""Tests for optimizer.catalog: loading catalogs from CSV and Excel, and every kind of bad input."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from optimizer import CatalogError, load_catalog, load_goals, solve, validate_catalog
from optimizer.catalog import REQUIRED_COLUMNS
from optimizer.files import EncodingNote

GOALS = {"job": "Flere i job", "skole": "Klarer sig godt i skolen"}


def row(**cells: object) -> dict[str, object]:
    """A valid catalog row with every required column; keyword arguments override cells."""
    base: dict[str, object] = {
        "id": "a",
        "name": "Indsats A",
        "udvalg": "AUU",
        "goals": "job",
        "cost_kr": "100000",
        "min_kr": "",
        "max_kr": "",
        "reach": "10",
        "reach_min": "",
        "reach_max": "",
        "reach_unit": "borgere",
        "stars": "",
        "scalable": "",
        "source": "doc.txt",
        "quote": "10 borgere til 100.000 kr.",
        "note": "",
    }
    base.update(cells)
    return base


def write_csv(path: Path, rows: list[dict[str, object]], *, delimiter: str = ",", encoding: str = "utf-8") -> Path:
    """Write rows as a CSV file; the header is every key in order of first appearance."""
    header = list(dict.fromkeys(key for record in rows for key in record))
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        for record in rows:
            writer.writerow([record.get(column, "") for column in header])
    return path


def write_goals(folder: Path, goals: dict[str, str] = GOALS, name: str = "goals.csv") -> Path:
    """Write a goals file with columns key,title."""
    return write_csv(folder / name, [{"key": key, "title": title} for key, title in goals.items()])


def write_catalog(tmp_path: Path, rows: list[dict[str, object]], name: str = "katalog.csv", **kwargs: str) -> Path:
    """Write a catalog CSV and a goals.csv next to it."""
    write_goals(tmp_path)
    return write_csv(tmp_path / name, rows, **kwargs)


def write_xlsx(path: Path, sheets: dict[str, list[dict[str, object]]]) -> Path:
    """Write a workbook with one sheet per entry (header: every key in order of first appearance)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        header = list(dict.fromkeys(key for record in rows for key in record))
        sheet.append(header)
        for record in rows:
            sheet.append([record.get(column) for column in header])
    workbook.save(path)
    return path


def goal_rows(goals: dict[str, str] = GOALS) -> list[dict[str, object]]:
    return [{"key": key, "title": title} for key, title in goals.items()]


def load_problems(path: Path, **kwargs: object) -> CatalogError:
    """Load `path`, expecting a CatalogError, and return it."""
    with pytest.raises(CatalogError) as info:
        load_catalog(path, **kwargs)
    return info.value


def locations(error: CatalogError) -> list[tuple[int | None, str | None]]:
    return [(problem.row, problem.column) for problem in error.problems]


# --- the happy path -----------------------------------------------------------------------------


@pytest.fixture
def happy_rows() -> list[dict[str, object]]:
    return [
        row(
            id="a",
            udvalg="SU/KFU",
            goals="job;skole",
            cost_kr="1.500.000 kr.",
            min_kr="0,5 mio.",
            stars="*",
            scalable="ja",
        ),
        row(id="b", udvalg="AUU", goals="skole", cost_kr="150 t.kr.", stars="**", scalable="nej", requires="a"),
        row(id="c", udvalg="", goals="job", cost_kr="", reach="", reach_min="40", reach_max="60", scalable=""),
    ]


def test_load_csv_happy_path(tmp_path: Path, happy_rows: list[dict[str, object]]) -> None:
    catalog = load_catalog(write_catalog(tmp_path, happy_rows))
    assert list(catalog["id"]) == ["a", "b", "c"]
    a, b, c = (catalog.iloc[i] for i in range(3))
    assert a["udvalg"] == ("SU", "KFU")
    assert a["goals"] == ("job", "skole")
    assert a["cost_kr"] == 1_500_000
    assert a["min_kr"] == 500_000
    assert math.isnan(a["max_kr"])
    assert a["stars"] == 1
    assert b["stars"] == 2
    assert str(catalog["scalable"].dtype) == "boolean"
    assert list(catalog["scalable"]) == [True, False, pd.NA]
    assert b["cost_kr"] == 150_000
    assert b["requires"] == ("a",)
    assert c["udvalg"] == ()
    assert math.isnan(c["cost_kr"]) and math.isnan(c["reach"])
    assert (c["reach_min"], c["reach_max"]) == (40, 60)
    assert math.isnan(c["stars"])
    assert not catalog["fixed"].any()


def test_load_csv_records_origin_goals_and_rows(tmp_path: Path, happy_rows: list[dict[str, object]]) -> None:
    catalog = load_catalog(write_catalog(tmp_path, happy_rows))
    assert catalog.attrs["goals"] == GOALS
    assert catalog.attrs["origin"].endswith("katalog.csv")


def test_load_csv_keeps_all_schema_columns(tmp_path: Path, happy_rows: list[dict[str, object]]) -> None:
    catalog = load_catalog(write_catalog(tmp_path, happy_rows))
    assert set(REQUIRED_COLUMNS) <= set(catalog.columns)


def test_load_semicolon_csv(tmp_path: Path) -> None:
    rows = [row(id="a", cost_kr="1.234.567,00", goals="job;skole"), row(id="b", cost_kr="2,5 mio.")]
    catalog = load_catalog(write_catalog(tmp_path, rows, delimiter=";"))
    assert list(catalog["cost_kr"]) == [1_234_567, 2_500_000]
    assert catalog.iloc[0]["goals"] == ("job", "skole")


def test_load_windows_1252_csv(tmp_path: Path) -> None:
    rows = [row(id="a", name="Mødrenetværk", udvalg="ÆOU")]
    with pytest.warns(EncodingNote, match="Windows-1252|cp1252"):  # read, and said how it was read
        catalog = load_catalog(write_catalog(tmp_path, rows, delimiter=";", encoding="cp1252"))
    assert catalog.iloc[0]["name"] == "Mødrenetværk"
    assert catalog.iloc[0]["udvalg"] == ("ÆOU",)


def test_column_names_are_case_insensitive(tmp_path: Path) -> None:
    rows = [{key.upper(): value for key, value in row().items()}]
    catalog = load_catalog(write_catalog(tmp_path, rows))
    assert catalog.iloc[0]["cost_kr"] == 100_000


def test_goals_csv_next_to_file_is_found(tmp_path: Path) -> None:
    path = write_catalog(tmp_path, [row(goals="skole")])
    catalog = load_catalog(path)
    assert catalog.attrs["goals"]["skole"] == "Klarer sig godt i skolen"


def test_goals_passed_explicitly(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "katalog.csv", [row(goals="x")])
    goals_path = write_goals(tmp_path, {"x": "Mål X"}, name="andre_maal.csv")
    assert load_catalog(path, goals=goals_path).attrs["goals"] == {"x": "Mål X"}
    frame = pd.DataFrame({"key": ["x"], "title": ["Mål X"]})
    assert load_catalog(path, goals=frame).attrs["goals"] == {"x": "Mål X"}


def test_stem_goals_file_preferred(tmp_path: Path) -> None:
    write_goals(tmp_path, {"job": "generic"})
    write_goals(tmp_path, {"job": "specific"}, name="katalog_goals.csv")
    path = write_csv(tmp_path / "katalog.csv", [row()])
    assert load_catalog(path).attrs["goals"] == {"job": "specific"}


def test_fixed_line_needs_no_goals(tmp_path: Path) -> None:
    rows = [row(), row(id="prizes", goals="", fixed="true", cost_kr="40.000", reach="")]
    catalog = load_catalog(write_catalog(tmp_path, rows))
    assert list(catalog["fixed"]) == [False, True]
    assert catalog.iloc[1]["goals"] == ()


def test_extra_columns_are_kept(tmp_path: Path) -> None:
    catalog = load_catalog(write_catalog(tmp_path, [row(kommentar="se bilag")]))
    assert catalog.iloc[0]["kommentar"] == "se bilag"


def test_blank_lines_keep_spreadsheet_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "katalog.csv"
    write_goals(tmp_path)
    header = ",".join(row())
    good = ",".join(str(v) for v in row(id="a").values())
    bad = ",".join(str(v) for v in row(id="b", cost_kr="-1").values())
    path.write_text(f"{header}\n{good}\n\n{bad}\n", encoding="utf-8")
    error = load_problems(path)
    assert locations(error) == [(4, "cost_kr")]


def test_load_xlsx_with_indsatser_and_goals_sheets(tmp_path: Path) -> None:
    rows = [
        row(id="a", udvalg="SU/KFU", goals="job;skole", cost_kr=1_200_000, stars="*", scalable=True, reach=40),
        row(id="b", cost_kr="0,5 mio.", stars=0, scalable="nej", reach=None),
    ]
    path = write_xlsx(tmp_path / "katalog.xlsx", {"indsatser": rows, "goals": goal_rows()})
    catalog = load_catalog(path)
    a, b = catalog.iloc[0], catalog.iloc[1]
    assert a["udvalg"] == ("SU", "KFU")
    assert a["goals"] == ("job", "skole")
    assert (a["cost_kr"], b["cost_kr"]) == (1_200_000, 500_000)
    assert (a["stars"], b["stars"]) == (1, 0)
    assert list(catalog["scalable"]) == [True, False]
    assert a["reach"] == 40 and math.isnan(b["reach"])
    assert catalog.attrs["goals"] == GOALS


def test_load_xlsx_single_sheet_with_goals_csv(tmp_path: Path) -> None:
    write_goals(tmp_path)
    path = write_xlsx(tmp_path / "katalog.xlsx", {"Ark1": [row(cost_kr=75_000)]})
    assert list(load_catalog(path)["cost_kr"]) == [75_000]


def test_load_xlsx_named_sheet(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "katalog.xlsx", {"Ark1": [row(id="x")], "Mit katalog": [row(id="y")], "goals": goal_rows()}
    )
    assert list(load_catalog(path, sheet="mit katalog")["id"]) == ["y"]


def test_xlsx_problems_use_spreadsheet_rows(tmp_path: Path) -> None:
    rows = [row(id="a"), row(id="b"), row(id="c", cost_kr=-3)]
    path = write_xlsx(tmp_path / "katalog.xlsx", {"indsatser": rows, "goals": goal_rows()})
    with pytest.raises(CatalogError, match=r"katalog\.xlsx(.|\n)*row 4, column cost_kr: -3 is negative"):
        load_catalog(path)


# --- bad input: one problem each ----------------------------------------------------------------

BAD_ROWS = [
    pytest.param({"goals": "job;bolig"}, "goals", r"unknown goal key 'bolig'.*known: job, skole", id="unknown-goal"),
    pytest.param({"goals": ""}, "goals", r"no goals", id="no-goals"),
    pytest.param({"goals": "job;;skole"}, "goals", r"empty entry", id="empty-goal-entry"),
    pytest.param({"cost_kr": "-100"}, "cost_kr", r"-100 is negative", id="negative-cost"),
    pytest.param({"cost_kr": "mange penge"}, "cost_kr", r"'mange penge' is not a number", id="non-numeric-cost"),
    pytest.param({"cost_kr": "ca. 5"}, "cost_kr", r"'ca. 5' is not a number", id="circa-cost"),
    pytest.param({"cost_kr": "1,234.50"}, "cost_kr", r"English", id="english-cost"),
    pytest.param({"cost_kr": "1500,5"}, "cost_kr", r"1500.5 is not whole kroner", id="fractional-cost"),
    pytest.param({"min_kr": "100,25"}, "min_kr", r"not whole kroner", id="fractional-min"),
    pytest.param({"cost_kr": "0"}, "cost_kr", r"cost_kr is 0", id="zero-cost"),
    pytest.param({"min_kr": "200.000", "max_kr": "100.000"}, "min_kr", r"200\.000 kr\. is above", id="min-above-max"),
    pytest.param({"stars": "4"}, "stars", r"4 is outside 0-3", id="stars-4"),
    pytest.param({"stars": "****"}, "stars", r"4 is outside 0-3", id="stars-asterisks-4"),
    pytest.param({"stars": "-1"}, "stars", r"outside 0-3", id="stars-negative"),
    pytest.param({"stars": "god"}, "stars", r"not a star count", id="stars-word"),
    pytest.param({"scalable": "måske"}, "scalable", r"'måske' is not yes/no", id="scalable-word"),
    pytest.param({"scalable": "false", "min_kr": "50.000"}, "min_kr", r"scalable is false", id="unscalable-min"),
    pytest.param({"scalable": "nej", "max_kr": "150.000"}, "max_kr", r"scalable is false", id="unscalable-max"),
    pytest.param({"reach": "5", "reach_min": "10"}, "reach", r"reach 5 is below reach_min 10", id="reach-below-min"),
    pytest.param({"reach": "50", "reach_max": "20"}, "reach", r"reach 50 is above reach_max 20", id="reach-above-max"),
    pytest.param(
        {"reach": "", "reach_min": "60", "reach_max": "40"}, "reach_min", r"60 is above reach_max", id="reach-range"
    ),
    pytest.param({"reach": "-2"}, "reach", r"negative", id="negative-reach"),
    pytest.param({"id": ""}, "id", r"empty id", id="empty-id"),
    pytest.param({"name": ""}, "name", r"empty name", id="empty-name"),
    pytest.param({"fixed": "sometimes"}, "fixed", r"not yes/no", id="fixed-word"),
    pytest.param({"requires": "ghost"}, "requires", r"requires unknown id 'ghost'", id="requires-unknown"),
    pytest.param({"requires": "c"}, "requires", r"cannot require itself", id="requires-itself"),
]


@pytest.mark.parametrize(("cells", "column", "message"), BAD_ROWS)
def test_bad_cell_names_file_row_and_column(
    tmp_path: Path, cells: dict[str, object], column: str, message: str
) -> None:
    rows = [row(id="a"), row(id="b"), row(**{"id": "c", **cells})]
    error = load_problems(write_catalog(tmp_path, rows))
    assert locations(error) == [(4, column)]
    assert str(error).startswith("katalog.csv: 1 problem")
    assert error.origin == "katalog.csv"
    with pytest.raises(CatalogError, match=rf"katalog\.csv(.|\n)*row 4, column {column}: .*{message}"):
        load_catalog(tmp_path / "katalog.csv")


def test_min_above_cost_when_max_is_empty(tmp_path: Path) -> None:
    """An empty max_kr means cost_kr (data/README.md), so a min_kr above cost_kr can never be funded."""
    rows = [row(id="a"), row(id="b", cost_kr="100.000", min_kr="200.000", max_kr="")]
    error = load_problems(write_catalog(tmp_path, rows))
    assert locations(error) == [(3, "min_kr")]


def test_requires_problem_on_row_with_empty_id_names_its_row(tmp_path: Path) -> None:
    rows = [row(id="a"), row(id="", requires="ghost")]
    error = load_problems(write_catalog(tmp_path, rows))
    assert set(locations(error)) == {(3, "id"), (3, "requires")}


def test_requires_problem_on_duplicate_row_names_that_row(tmp_path: Path) -> None:
    rows = [row(id="a"), row(id="a", requires="ghost")]
    error = load_problems(write_catalog(tmp_path, rows))
    assert set(locations(error)) == {(3, "id"), (3, "requires")}


def test_utf8_bom_and_crlf(tmp_path: Path) -> None:
    """Excel's "CSV UTF-8" starts with a byte order mark and uses CRLF line ends."""
    path = write_catalog(tmp_path, [row(id="a", name="Åben Rådgivning")])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    catalog = load_catalog(path)
    assert list(catalog["id"]) == ["a"]
    assert catalog.iloc[0]["name"] == "Åben Rådgivning"


def test_duplicate_id_names_both_rows(tmp_path: Path) -> None:
    rows = [row(id="a"), row(id="b"), row(id="a")]
    error = load_problems(write_catalog(tmp_path, rows))
    assert locations(error) == [(4, "id")]
    assert "duplicate id 'a' (also row 2)" in str(error)


def test_requires_cycle(tmp_path: Path) -> None:
    rows = [row(id="a", requires="b"), row(id="b", requires="a"), row(id="c")]
    error = load_problems(write_catalog(tmp_path, rows))
    assert len(error.problems) == 1
    problem = error.problems[0]
    assert problem.column == "requires" and problem.row in {2, 3}
    assert "requires forms a cycle: a -> b -> a" in str(error)


def test_requires_long_cycle(tmp_path: Path) -> None:
    rows = [row(id="a", requires="b"), row(id="b", requires="c"), row(id="c", requires="a")]
    error = load_problems(write_catalog(tmp_path, rows))
    assert len(error.problems) == 1
    assert "cycle: a -> b -> c -> a" in str(error)


@pytest.mark.parametrize(
    ("renamed", "missing", "hint"),
    [
        pytest.param("cost kr", "cost_kr", "'cost kr' meant to be 'cost_kr'", id="cost-space"),
        pytest.param("goal", "goals", "'goal' meant to be 'goals'", id="goal-singular"),
    ],
)
def test_missing_column_with_hint(tmp_path: Path, renamed: str, missing: str, hint: str) -> None:
    record = row()
    record[renamed] = record.pop(missing)
    error = load_problems(write_catalog(tmp_path, [record]))
    assert locations(error) == [(1, None)]
    assert f"missing column {missing!r}" in str(error)
    assert hint in str(error)
    assert str(error).startswith("katalog.csv:")


@pytest.mark.parametrize(
    ("renamed", "meant"),
    [
        pytest.param("reach_mn", "reach_min", id="reach-typo"),
        pytest.param("udvalget", "udvalg", id="udvalget"),
        pytest.param("scaleable", "scalable", id="scaleable"),
    ],
)
def test_misspelt_optional_column_is_named_not_ignored(tmp_path: Path, renamed: str, meant: str) -> None:
    """An optional column may be left out, but a misspelt one would silently drop its figures: refuse it."""
    record = row()
    record[renamed] = record.pop(meant)
    error = load_problems(write_catalog(tmp_path, [record]))
    assert locations(error) == [(1, None)]
    assert f"unknown column {renamed!r}: did you mean {meant!r}?" in str(error)


@pytest.mark.parametrize("left_out", ["udvalg", "min_kr", "max_kr", "reach", "reach_min", "reach_max", "reach_unit",
                                      "stars", "scalable", "source", "quote", "note"])  # fmt: skip
def test_optional_column_may_be_left_out(tmp_path: Path, left_out: str) -> None:
    record = row()
    del record[left_out]
    catalog = load_catalog(write_catalog(tmp_path, [record]))
    assert left_out in catalog.columns  # present, empty
    assert all(v is pd.NA or (isinstance(v, float) and math.isnan(v)) or v in ("", ()) for v in catalog[left_out])


def test_missing_column_without_near_miss_has_no_hint(tmp_path: Path) -> None:
    record = row()
    del record["name"]
    error = load_problems(write_catalog(tmp_path, [record]))
    assert "missing column 'name'" in str(error)
    assert "meant to be" not in str(error)


@pytest.mark.parametrize("missing", ["id", "name", "goals", "cost_kr"])
def test_missing_column_hint_never_names_another_schema_column(tmp_path: Path, missing: str) -> None:
    """The hint must not suggest renaming a column the schema needs under its own name (that breaks the file)."""
    record = row()
    del record[missing]
    error = load_problems(write_catalog(tmp_path, [record]))
    assert f"missing column {missing!r}" in str(error)
    assert "meant to be" not in str(error)


def test_all_missing_columns_reported_at_once(tmp_path: Path) -> None:
    record = {key: value for key, value in row().items() if key not in {"name", "goals", "cost_kr"}}
    error = load_problems(write_catalog(tmp_path, [record]))
    messages = [problem.message for problem in error.problems]
    assert len(messages) == 3
    for name in ("name", "goals", "cost_kr"):
        assert any(f"missing column {name!r}" in message for message in messages)


def test_several_problems_reported_at_once(tmp_path: Path) -> None:
    rows = [
        row(id="a", cost_kr="-5"),
        row(id="b", goals="bolig"),
        row(id="c", stars="7", reach="mange"),
        row(id="a", min_kr="300.000", max_kr="200.000"),
        row(id="e", requires="ghost"),
    ]
    error = load_problems(write_catalog(tmp_path, rows))
    assert len(error.problems) == 7
    assert sorted(locations(error)) == [
        (2, "cost_kr"),
        (3, "goals"),
        (4, "reach"),
        (4, "stars"),
        (5, "id"),
        (5, "min_kr"),
        (6, "requires"),
    ]
    assert str(error).startswith("katalog.csv: 7 problems")
    assert str(error).count("\n  - ") == 7


def test_problem_keeps_the_bad_value(tmp_path: Path) -> None:
    error = load_problems(write_catalog(tmp_path, [row(cost_kr="12x")]))
    assert error.problems[0].value == "12x"


# --- bad input: the file itself ----------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    write_goals(tmp_path)
    path = tmp_path / "katalog.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"katalog\.csv: 1 problem(.|\n)*the file is empty"):
        load_catalog(path)


def test_blank_lines_only_is_empty(tmp_path: Path) -> None:
    write_goals(tmp_path)
    path = tmp_path / "katalog.csv"
    path.write_text("\n ,  ,\n\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"the file is empty"):
        load_catalog(path)


def test_header_only_file(tmp_path: Path) -> None:
    write_goals(tmp_path)
    path = tmp_path / "katalog.csv"
    path.write_text(",".join(row()) + "\n", encoding="utf-8")
    error = load_problems(path)
    assert locations(error) == [(1, None)]
    assert "katalog.csv" in str(error) and "header but no rows" in str(error)


def test_wrong_sheet_name(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "katalog.xlsx", {"indsatser": [row()], "goals": goal_rows()})
    with pytest.raises(CatalogError, match=r"katalog\.xlsx(.|\n)*no sheet named 'projekter'.*indsatser"):
        load_catalog(path, sheet="projekter")


def test_several_sheets_none_named_indsatser(tmp_path: Path) -> None:
    write_goals(tmp_path)
    path = write_xlsx(tmp_path / "katalog.xlsx", {"Ark1": [row(id="x")], "Ark2": [row(id="y")]})
    with pytest.raises(CatalogError, match=r"katalog\.xlsx(.|\n)*several sheets.*Ark1.*Ark2.*'indsatser'"):
        load_catalog(path)


def test_goals_sheet_and_unnamed_catalog_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "katalog.xlsx", {"Ark1": [row()], "goals": goal_rows()})
    with pytest.raises(CatalogError, match=r"several sheets"):
        load_catalog(path)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_without_a_goals_file_each_goal_key_is_its_own_title(tmp_path: Path, suffix: str) -> None:
    """A goals file is not required: the keys are their own titles, and every result says so."""
    rows = [row(id="a", goals="job;skole"), row(id="b", goals="job")]
    path = write_csv(tmp_path / "katalog.csv", rows) if suffix == ".csv" else write_xlsx(
        tmp_path / "katalog.xlsx", {"indsatser": rows})  # fmt: skip
    catalog = load_catalog(path)
    assert catalog.attrs["goals"] == {"job": "job", "skole": "skole"}
    result = solve(catalog, 100_000, evidence_weight=0)
    assert "No goals file: each goal key is its own title." in result.assumptions
    frame_result = solve(validate_catalog(frame(*rows)), 100_000, evidence_weight=0)
    assert frame_result.objective == result.objective


@pytest.mark.parametrize("suffix", [".json", ".ods", ".xls"])
def test_unsupported_suffix(tmp_path: Path, suffix: str) -> None:
    write_goals(tmp_path)
    path = tmp_path / f"katalog{suffix}"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(CatalogError, match=rf"katalog\{suffix}(.|\n)*unsupported file type '\{suffix}'"):
        load_catalog(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"findes_ikke\.csv(.|\n)*file not found"):
        load_catalog(tmp_path / "findes_ikke.csv")


def test_corrupt_workbook(tmp_path: Path) -> None:
    write_goals(tmp_path)
    path = tmp_path / "katalog.xlsx"
    path.write_bytes(b"not a zip file")
    with pytest.raises(CatalogError, match=r"katalog\.xlsx"):
        load_catalog(path)


def test_catalog_error_is_a_value_error() -> None:
    assert issubclass(CatalogError, ValueError)


# --- goals files --------------------------------------------------------------------------------


def test_load_goals(tmp_path: Path) -> None:
    goals = load_goals(write_goals(tmp_path))
    assert list(goals["key"]) == ["job", "skole"]
    assert list(goals["title"]) == list(GOALS.values())


def test_duplicate_goal_key(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "goals.csv", [{"key": "job", "title": "A"}, {"key": "job", "title": "B"}])
    with pytest.raises(CatalogError, match=r"goals\.csv(.|\n)*row 3, column key: duplicate goal key 'job'"):
        load_goals(path)


def test_goals_missing_title_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "goals.csv", [{"key": "job", "titel": "A"}])
    with pytest.raises(CatalogError, match=r"missing column 'title'"):
        load_goals(path)


# --- validate_catalog on a DataFrame ------------------------------------------------------------


def frame(*rows: dict[str, object]) -> pd.DataFrame:
    return pd.DataFrame([{k: (None if v == "" else v) for k, v in r.items()} for r in rows])


def test_validate_catalog_dataframe() -> None:
    catalog = validate_catalog(
        frame(row(id="a", udvalg="SU/KFU", goals="job;skole", cost_kr=150_000.0, stars="*"), row(id="b"))
    )
    assert catalog.iloc[0]["udvalg"] == ("SU", "KFU")
    assert catalog.iloc[0]["goals"] == ("job", "skole")
    assert catalog.iloc[0]["cost_kr"] == 150_000
    assert catalog.iloc[0]["stars"] == 1
    assert catalog.attrs["goals"] == {"job": "job", "skole": "skole"}


def test_validate_catalog_nan_cells_are_empty() -> None:
    data = frame(row(id="a", cost_kr=100_000), row(id="b", cost_kr=None))
    assert data["cost_kr"].isna().iloc[1]
    catalog = validate_catalog(data)
    assert math.isnan(catalog.iloc[1]["cost_kr"])


def test_validate_catalog_of_a_validated_catalog_gives_it_back() -> None:
    catalog = validate_catalog(frame(row(id="a", udvalg="SU/KFU", goals="job;skole"), row(id="b", scalable="")))
    again = validate_catalog(catalog)
    pd.testing.assert_frame_equal(again, catalog)
    assert again.attrs["goals"] == catalog.attrs["goals"]


def test_an_edited_validated_catalog_is_checked_again() -> None:
    """Editing a loaded catalog in a notebook (a negative reach, an unknown goal) is caught, not trusted."""
    catalog = validate_catalog(frame(row(id="a"), row(id="b")), goals=GOALS)
    edited = catalog.assign(reach=[10.0, -5.0])
    with pytest.raises(CatalogError, match=r"row 3, column reach"):
        validate_catalog(edited)
    renamed = catalog.assign(goals=[("job",), ("nope",)])
    with pytest.raises(CatalogError, match=r"unknown goal key 'nope'"):
        validate_catalog(renamed)


def test_validate_catalog_with_goals_rejects_unknown_key() -> None:
    with pytest.raises(CatalogError, match=r"^catalog: 1 problem\n  - row 3, column goals: unknown goal key 'x'"):
        validate_catalog(frame(row(id="a"), row(id="b", goals="x")), goals=GOALS)


def test_validate_catalog_reports_all_problems_with_origin() -> None:
    data = frame(row(id="a", cost_kr=-1), row(id="a", stars=5))
    with pytest.raises(CatalogError) as info:
        validate_catalog(data, origin="notebook")
    assert str(info.value).startswith("notebook: 3 problems")
    assert sorted(locations(info.value)) == [(2, "cost_kr"), (3, "id"), (3, "stars")]


def test_validate_catalog_missing_column() -> None:
    record = row()
    del record["goals"]
    with pytest.raises(CatalogError, match=r"missing column 'goals'"):
        validate_catalog(frame(record))


def test_a_catalog_indexed_by_id_is_taken_with_its_index() -> None:
    """catalog.set_index("id") in a notebook, then solving: works, rather than blaming a missing column."""
    catalog = validate_catalog(frame(row(id="a", cost_kr=100_000, reach=10), row(id="b", reach=20)), goals=GOALS)
    indexed = catalog.set_index("id")
    indexed.loc["b", "reach"] = 40.0
    result = solve(indexed, 100_000, evidence_weight=0)
    assert result.allocation.set_index("id").at["b", "amount_kr"] == 100_000


def test_an_id_index_beside_an_id_column_of_another_case_is_named_as_two_columns_of_one_name() -> None:
    """The index joins the columns as "id"; a column "ID " beside it is the same name (case and spaces do not
    count), refused the way a header naming a column twice is, with both columns named."""
    indexed = frame(row(id="a", reach=10)).set_index("id")
    indexed["ID "] = "b"
    with pytest.raises(CatalogError, match=r"columns A \('id'\) and .* \('ID '\) are both named 'id'"):
        validate_catalog(indexed, goals=GOALS)
