"""Every figure in data/ is checked against the literal quote it was read from, and every quote against its source."""

from __future__ import annotations

import ast
import csv
import functools
import math
import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import COPENHAGEN, DATA, FREDERIKSBERG_2019, FREDERIKSBERG_2021, FREDERIKSBERG_2021_TILSKUD

from optimizer import load_catalog
from optimizer.numbers import numbers_in, parse_number

SOURCES = DATA / "sources"
TOTALS = DATA / "frederiksberg" / "totals.csv"
ASKS = DATA / "frederiksberg" / "handleplan_2021_2022_asks.csv"
CATALOGS = (FREDERIKSBERG_2021, FREDERIKSBERG_2019, COPENHAGEN)
FIGURE_COLUMNS = ("cost_kr", "min_kr", "max_kr", "reach", "reach_min", "reach_max", "setup_kr", "amount_kr")
QUOTE_SEP = " | "
EXPECTED_SOURCED_FILES = {
    "copenhagen/bruttokatalog_2019_2022.csv",
    "copenhagen/goals.csv",
    "frederiksberg/goals.csv",
    "frederiksberg/handleplan_2019.csv",
    "frederiksberg/handleplan_2021_2022.csv",
    "frederiksberg/handleplan_2021_2022_asks.csv",
    "frederiksberg/handleplan_2021_2022_tilskud.csv",
    "frederiksberg/totals.csv",
}

Row = dict[str, str]


# --- the checker: small functions, tested below on bad rows so the data check cannot pass vacuously -----------


def collapse(text: str) -> str:
    """Every run of whitespace (spaces, tabs, line breaks) becomes one space."""
    return re.sub(r"\s+", " ", text).strip()


def quote_parts(quote: str) -> list[str]:
    """The excerpts of a quote cell (several are separated by " | ")."""
    return [part.strip() for part in quote.split(QUOTE_SEP)]


def missing_quote_parts(quote: str, source_text: str) -> list[str]:
    """The excerpts of `quote` that do not occur literally in `source_text` (whitespace collapsed); empty ones too."""
    text = collapse(source_text)
    return [part for part in quote_parts(quote) if not collapse(part) or collapse(part) not in text]


def occurs(value: float, numbers: set[float]) -> bool:
    """Whether `value` is among `numbers` (up to float rounding of "4,4 mio." and the like)."""
    return any(math.isclose(value, number, rel_tol=1e-12, abs_tol=1e-9) for number in numbers)


def _evaluate(node: ast.AST, operands: list[float]) -> float:
    """Evaluate an arithmetic expression of numbers and + - * / only; collect the numbers it uses."""
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        operands.append(float(node.value))
        return float(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        value = _evaluate(node.operand, operands)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub | ast.Mult | ast.Div):
        left, right = _evaluate(node.left, operands), _evaluate(node.right, operands)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        return left / right
    raise ValueError(f"only numbers and + - * / are allowed in a derivation, not {ast.dump(node)}")


def parse_derivation(text: str) -> dict[str, tuple[float, list[float]]]:
    """Parse "reach_min = 40 / 2; reach_max = 60 / 2" into {column: (result, operands)}; ValueError if malformed."""
    derived: dict[str, tuple[float, list[float]]] = {}
    for statement in filter(None, (part.strip() for part in text.split(";"))):
        column, equals, expression = statement.partition("=")
        column = column.strip()
        if not equals or not re.fullmatch(r"[a-z_]+", column):
            raise ValueError(f"{statement!r} is not of the form 'column = expression'")
        if column in derived:
            raise ValueError(f"{column} is derived twice")
        try:
            tree = ast.parse(expression.strip(), mode="eval")
        except SyntaxError as exc:
            raise ValueError(f"{statement!r} is not an arithmetic expression") from exc
        operands: list[float] = []
        derived[column] = (_evaluate(tree.body, operands), operands)
    return derived


def figure_problems(row: Row) -> list[str]:
    """Figures of `row` that neither occur in its quote nor follow from a derivation whose operands do."""
    found = numbers_in(row.get("quote", ""))
    derived = parse_derivation(row.get("derivation", "") or "")
    problems = []
    for column in derived:
        if column not in FIGURE_COLUMNS or not (row.get(column) or "").strip():
            problems.append(f"derivation gives {column}, but the row has no figure there")
    for column in FIGURE_COLUMNS:
        cell = (row.get(column) or "").strip()
        if not cell:
            continue
        value = parse_number(cell)
        if column in derived:
            result, operands = derived[column]
            if not math.isclose(result, value, rel_tol=1e-12, abs_tol=1e-9):
                problems.append(f"{column} = {cell}, but its derivation gives {result:g}")
            problems.extend(
                f"{column}: operand {operand:g} of the derivation is not in the quote"
                for operand in operands
                if not occurs(operand, found)
            )
        elif not occurs(value, found):
            problems.append(f"{column} = {cell} is not in the quote")
    return problems


# --- the data --------------------------------------------------------------------------------------------


def read_rows(path: Path) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle), [])


def sourced_files() -> list[Path]:
    """Every CSV under data/ (outside sources/) with `source` and `quote` columns."""
    return sorted(
        path for path in DATA.rglob("*.csv") if SOURCES not in path.parents and {"source", "quote"} <= set(header(path))
    )


def file_label(path: Path) -> str:
    """The file name, or the path below data/ where two files share a name (the goals files)."""
    names = Counter(other.name for other in sourced_files())
    return path.name if names[path.name] == 1 else path.relative_to(DATA).as_posix()


def row_label(row: Row) -> str:
    if row.get("id") and row.get("year"):
        return f"{row['id']}-{row['year']}"
    if row.get("id"):
        return row["id"]
    if row.get("key"):
        return row["key"]
    return "-".join(row.get(column, "") for column in ("catalog", "year", "kind"))


def sourced_rows() -> list:
    return [
        pytest.param(row, id=f"{file_label(path)}:{row_label(row)}")
        for path in sourced_files()
        for row in read_rows(path)
    ]


def catalog_rows(*paths: Path) -> list:
    return [pytest.param(row, id=f"{path.name}:{row['id']}") for path in paths for row in read_rows(path)]


@functools.cache
def source_text(name: str) -> str:
    return (SOURCES / name).read_text(encoding="utf-8")


def by_id(path: Path) -> dict[str, Row]:
    return {row["id"]: row for row in read_rows(path)}


SOURCED = sourced_rows()


def test_all_sourced_files_are_found() -> None:
    assert {path.relative_to(DATA).as_posix() for path in sourced_files()} == EXPECTED_SOURCED_FILES


@pytest.mark.parametrize("path", sourced_files(), ids=file_label)
def test_sourced_file_has_rows(path: Path) -> None:
    assert read_rows(path), f"{path} has no rows"


@pytest.mark.parametrize("row", SOURCED)
def test_source_file_exists(row: Row) -> None:
    name = row["source"]
    assert name and Path(name).name == name, f"source {name!r} must be a file name in data/sources/"
    assert (SOURCES / name).is_file(), f"data/sources/{name} does not exist"


@pytest.mark.parametrize("row", SOURCED)
def test_quote_occurs_in_source(row: Row) -> None:
    if not (SOURCES / row["source"]).is_file():
        pytest.fail(f"data/sources/{row['source']} does not exist")
    missing = missing_quote_parts(row["quote"], source_text(row["source"]))
    assert not missing, f"not found literally in {row['source']}: {missing}"


def has_figures(row: Row) -> bool:
    return any((row.get(column) or "").strip() for column in (*FIGURE_COLUMNS, "derivation"))


@pytest.mark.parametrize("row", [param for param in SOURCED if has_figures(param.values[0])])
def test_figures_occur_in_quote(row: Row) -> None:
    problems = figure_problems(row)
    assert not problems, f"quote {row['quote']!r}: {problems}"


def starred(row: Row) -> bool:
    return bool(row.get("stars", "").strip()) and parse_number(row["stars"]) >= 1


@pytest.mark.parametrize("row", [param for param in catalog_rows(*CATALOGS) if starred(param.values[0])])
def test_starred_row_has_star_in_quote(row: Row) -> None:
    assert "*" in row["quote"], f"stars = {row['stars']} but the quote has no *: {row['quote']!r}"


@pytest.mark.parametrize(
    "row", [param for param in catalog_rows(*CATALOGS) if param.values[0].get("stars", "").strip() == "0"]
)
def test_unstarred_row_has_no_star_in_quote(row: Row) -> None:
    assert "*" not in row["quote"], f"stars = 0 but the quote carries a star: {row['quote']!r}"


def test_copenhagen_has_starred_and_unstarred_rows() -> None:
    stars = Counter(row["stars"] for row in read_rows(COPENHAGEN))
    assert stars["1"] > 0 and stars["0"] > 0


@pytest.mark.parametrize("row", catalog_rows(FREDERIKSBERG_2019))
def test_frederiksberg_2019_cost_is_missing_and_explained(row: Row) -> None:
    assert row["cost_kr"] == "", "the 2019 transcript states no amounts; cost_kr must stay empty"
    assert "lost" in row["note"], f"the note must say the amount is lost in the transcript: {row['note']!r}"


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: path.name)
def test_catalog_rows_have_source_and_quote(path: Path) -> None:
    rows = read_rows(path)
    assert rows
    assert all(row["source"].strip() and row["quote"].strip() for row in rows)


# --- totals ------------------------------------------------------------------------------------------------


def totals(kind: str) -> list:
    return [pytest.param(row, id=f"{row['catalog']}-{row['year']}") for row in read_rows(TOTALS) if row["kind"] == kind]


def test_stated_sums() -> None:
    stated = {row["year"]: parse_number(row["amount_kr"]) for row in read_rows(TOTALS) if row["kind"] == "sum_tilskud"}
    assert stated == {"2021": 722_000, "2022": 700_000}


@pytest.mark.parametrize("total", totals("sum_tilskud"))
def test_tilskud_sum_reconciles(total: Row) -> None:
    amounts = [parse_number(row["amount_kr"]) for row in read_rows(FREDERIKSBERG_2021_TILSKUD)]
    years = [row["year"] for row in read_rows(FREDERIKSBERG_2021_TILSKUD)]
    year_sum = sum(amount for amount, year in zip(amounts, years, strict=True) if year == total["year"])
    assert year_sum == parse_number(total["amount_kr"])


@pytest.mark.parametrize(
    "grant",
    [
        pytest.param(row, id=f"{row['id']}-{row['year']}")
        for row in read_rows(FREDERIKSBERG_2021_TILSKUD)
        if parse_number(row["amount_kr"]) != 0
    ],
)
def test_tilskud_amount_is_in_catalog_quote(grant: Row) -> None:
    catalog = by_id(FREDERIKSBERG_2021)
    assert grant["id"] in catalog, f"{grant['id']} is not in {FREDERIKSBERG_2021.name}"
    quote = catalog[grant["id"]]["quote"]
    assert occurs(parse_number(grant["amount_kr"]), numbers_in(quote)), f"{grant['amount_kr']} not in {quote!r}"


@pytest.mark.parametrize("indsats", catalog_rows(FREDERIKSBERG_2021))
def test_2021_cost_is_largest_yearly_tilskud(indsats: Row) -> None:
    grants = [
        parse_number(row["amount_kr"]) for row in read_rows(FREDERIKSBERG_2021_TILSKUD) if row["id"] == indsats["id"]
    ]
    assert grants, f"{indsats['id']} has no row in the tilskud file"
    assert parse_number(indsats["cost_kr"]) == max(grants)


# --- the per-year asks --------------------------------------------------------------------------------------

ASK_ROWS = [pytest.param(row, id=f"{row['id']}-{row['year']}") for row in read_rows(ASKS)]


def first_number_after(text: str, label: str) -> float | None:
    """The first number written after `label` in `text` (e.g. after "2022:"), or None where the label is absent."""
    _, found, rest = collapse(text).partition(label)
    match = re.search(r"\d[\d.,]*", rest) if found else None
    return parse_number(match.group(0).rstrip(".,")) if match else None


@pytest.mark.parametrize("ask", ASK_ROWS)
def test_ask_is_in_its_quote_for_its_year(ask: Row) -> None:
    """Each ask occurs in its quote; where the quote labels the years ("2021: ... 2022: ..."), it is the figure
    written right after its own year, not the other year's."""
    cost = parse_number(ask["cost_kr"])
    assert occurs(cost, numbers_in(ask["quote"])), f"{ask['cost_kr']} not in {ask['quote']!r}"
    labelled = first_number_after(ask["quote"], f"{ask['year']}:")
    if labelled is not None:
        assert labelled == cost, f"the quote gives {labelled:g} for {ask['year']}, the file {cost:g}"


def test_every_ask_quote_labels_its_year_but_the_fixed_line() -> None:
    """So the check above compares each ask with its own year's figure (the fixed line's quote has two columns)."""
    unlabelled = {row["id"] for row in read_rows(ASKS) if first_number_after(row["quote"], f"{row['year']}:") is None}
    assert unlabelled == {"fb21-integrationspriser"}


@pytest.mark.parametrize("total", totals("sum_tilskud"))
def test_asks_reconcile_with_the_pool_tables_sum(total: Row) -> None:
    """The asks of a year, the fixed line included, add up to the pool table's SUM (722.000 and 700.000)."""
    year_sum = sum(parse_number(row["cost_kr"]) for row in read_rows(ASKS) if row["year"] == total["year"])
    assert year_sum == parse_number(total["amount_kr"])


def test_asks_cover_every_catalog_row_and_only_its_years() -> None:
    catalog_ids = [row["id"] for row in read_rows(FREDERIKSBERG_2021)]
    asks = read_rows(ASKS)
    assert {row["id"] for row in asks} == set(catalog_ids)
    assert {row["year"] for row in asks} == {"2021", "2022"}
    pairs = [(row["id"], row["year"]) for row in asks]
    assert len(pairs) == len(set(pairs)), "an indsats-year is listed twice"


@pytest.mark.parametrize("indsats", catalog_rows(FREDERIKSBERG_2021))
def test_catalog_cost_is_the_largest_yearly_ask(indsats: Row) -> None:
    """The single cost_kr (the default for years not listed) is the larger of the two years' asks."""
    asks = [parse_number(row["cost_kr"]) for row in read_rows(ASKS) if row["id"] == indsats["id"]]
    assert asks and parse_number(indsats["cost_kr"]) == max(asks)


def test_tilskud_years() -> None:
    assert {row["year"] for row in read_rows(FREDERIKSBERG_2021_TILSKUD)} == {"2021", "2022"}


@pytest.mark.parametrize("total", totals("pulje"))
def test_2019_pulje_cannot_be_reconciled(total: Row) -> None:
    assert total["year"] == "2019" and total["catalog"] == "handleplan_2019"
    assert parse_number(total["amount_kr"]) == 1_700_000
    assert all(row["cost_kr"] == "" for row in read_rows(FREDERIKSBERG_2019))
    assert "cannot be reconciled" in total["note"]


def test_2019_pulje_row_exists() -> None:
    assert len(totals("pulje")) == 1


# --- the catalogs as a whole -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: path.name)
def test_catalog_loads(path: Path) -> None:
    catalog = load_catalog(path)
    assert len(catalog) == len(read_rows(path))
    assert list(catalog["id"]) == [row["id"] for row in read_rows(path)]


@pytest.mark.parametrize(("path", "count"), [(FREDERIKSBERG_2021, 9), (FREDERIKSBERG_2019, 13), (COPENHAGEN, 30)])
def test_catalog_row_count(path: Path, count: int) -> None:
    assert len(read_rows(path)) == count


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: path.name)
def test_goal_keys_exist(path: Path) -> None:
    keys = {row["key"] for row in read_rows(path.with_name("goals.csv"))}
    used = {key.strip() for row in read_rows(path) for key in row["goals"].split(";") if key.strip()}
    assert used, f"{path.name} uses no goals"
    assert used <= keys, f"unknown goal keys {sorted(used - keys)}"


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: path.name)
def test_ids_unique_within_catalog(path: Path) -> None:
    duplicates = [key for key, count in Counter(row["id"] for row in read_rows(path)).items() if count > 1]
    assert not duplicates


def test_ids_unique_across_catalogs() -> None:
    ids = [row["id"] for path in CATALOGS for row in read_rows(path)]
    assert len(ids) == len(set(ids)), [key for key, count in Counter(ids).items() if count > 1]


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: path.name)
def test_requires_refer_to_same_catalog(path: Path) -> None:
    ids = {row["id"] for row in read_rows(path)}
    needed = {key.strip() for row in read_rows(path) for key in row.get("requires", "").split(";") if key.strip()}
    assert needed <= ids


# --- the checker itself fails on bad rows -------------------------------------------------------------------

SOURCE = (
    "Målgruppe og finansieringsbehov:\nMin. 350 borgere   til 4,4 mio. kr.\n\n"
    "Der gennemføres to forløb af 10-15 borgere."
)


def test_checker_accepts_quote_with_different_whitespace() -> None:
    assert missing_quote_parts("finansieringsbehov: Min. 350 borgere til 4,4 mio. kr.", SOURCE) == []


def test_checker_accepts_several_parts() -> None:
    assert missing_quote_parts("Min. 350 borgere | to forløb af 10-15", SOURCE) == []


@pytest.mark.parametrize(
    ("quote", "missing"),
    [
        pytest.param("Min. 400 borgere til 4,4 mio. kr.", ["Min. 400 borgere til 4,4 mio. kr."], id="altered-figure"),
        pytest.param("Dette citat findes ikke", ["Dette citat findes ikke"], id="made-up"),
        pytest.param("Min. 350 borgere | tre forløb", ["tre forløb"], id="one-bad-part"),
        pytest.param("min. 350 borgere", ["min. 350 borgere"], id="case-matters"),
        pytest.param("", [""], id="empty-quote"),
        pytest.param("Min. 350 borgere | ", [""], id="empty-part"),
    ],
)
def test_checker_rejects_quote_not_in_source(quote: str, missing: list[str]) -> None:
    assert missing_quote_parts(quote, SOURCE) == missing


def test_checker_accepts_good_row() -> None:
    row = {"cost_kr": "4400000", "reach": "350", "reach_min": "350", "quote": "Min. 350 borgere til 4,4 mio. kr."}
    assert figure_problems(row) == []


def test_checker_accepts_good_derivation() -> None:
    row = {
        "reach_min": "20",
        "reach_max": "30",
        "derivation": "reach_min = 40 / 2; reach_max = 60 / 2",
        "quote": "to forløb om året i 2 år. I alt mellem 40-60 borgere",
    }
    assert figure_problems(row) == []


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        pytest.param(
            {"cost_kr": "4500000", "quote": "350 borgere til 4,4 mio. kr."},
            ["cost_kr = 4500000 is not in the quote"],
            id="cost-not-in-quote",
        ),
        pytest.param(
            {"reach": "44", "quote": "350 borgere til 4,4 mio. kr."},
            ["reach = 44 is not in the quote"],
            id="reach-not-in-quote",
        ),
        pytest.param(
            {"amount_kr": "150000", "quote": "2021: 15.000 kr."},
            ["amount_kr = 150000 is not in the quote"],
            id="amount-off-by-ten",
        ),
        pytest.param(
            {"reach_min": "25", "derivation": "reach_min = 40 / 2", "quote": "40-60 borgere over 2 år"},
            ["reach_min = 25, but its derivation gives 20"],
            id="derivation-wrong-result",
        ),
        pytest.param(
            {"reach": "40", "derivation": "reach = 4 * 10", "quote": "4 forløb"},
            ["reach: operand 10 of the derivation is not in the quote"],
            id="derivation-operand-not-in-quote",
        ),
        pytest.param(
            {"reach": "40", "derivation": "reach_max = 4 * 10", "quote": "4 forløb à 10 borgere | 40"},
            ["derivation gives reach_max, but the row has no figure there"],
            id="derivation-of-empty-column",
        ),
    ],
)
def test_checker_rejects_bad_figures(row: Row, expected: list[str]) -> None:
    assert figure_problems(row) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("reach = 4 * 10", {"reach": (40.0, [4.0, 10.0])}, id="product"),
        pytest.param("reach_min = 5 + 5", {"reach_min": (10.0, [5.0, 5.0])}, id="sum"),
        pytest.param(
            "reach_min = 40 / 2; reach_max = 60 / 2",
            {"reach_min": (20.0, [40.0, 2.0]), "reach_max": (30.0, [60.0, 2.0])},
            id="two-statements",
        ),
        pytest.param("reach = (10 - 4) * 2", {"reach": (12.0, [10.0, 4.0, 2.0])}, id="parentheses"),
        pytest.param("", {}, id="empty"),
    ],
)
def test_parse_derivation(text: str, expected: dict[str, tuple[float, list[float]]]) -> None:
    assert parse_derivation(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("reach = __import__('os').system('true')", id="call"),
        pytest.param("reach = 2 ** 10", id="power"),
        pytest.param("reach = x + 1", id="name"),
        pytest.param("reach = '40'", id="string"),
        pytest.param("reach = True + 1", id="bool"),
        pytest.param("reach 40", id="no-equals"),
        pytest.param("reach = 4 *", id="syntax"),
        pytest.param("Reach Min = 4", id="bad-column"),
        pytest.param("reach = 4; reach = 5", id="twice"),
    ],
)
def test_parse_derivation_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_derivation(text)


def altered_figures() -> list:
    """Every figure of every bundled row, to be altered in the checker tests below."""
    return [
        pytest.param(param.values[0], column, id=f"{param.id}:{column}")
        for param in SOURCED
        for column in FIGURE_COLUMNS
        if (param.values[0].get(column) or "").strip()
    ]


@pytest.mark.parametrize(("row", "column"), altered_figures())
def test_checker_catches_altered_real_figure(row: Row, column: str) -> None:
    """Each real figure, multiplied by 10 and plus 7, must no longer pass: the check is not vacuous on real rows."""
    altered = {**row, column: str(int(parse_number(row[column]) * 10 + 7))}
    assert figure_problems(altered), f"{column} = {altered[column]} passed against {row['quote']!r}"


@pytest.mark.parametrize("row", SOURCED)
def test_checker_catches_altered_real_quote(row: Row) -> None:
    """Each real quote with a character slipped into its last excerpt must no longer be found in its source."""
    part = quote_parts(row["quote"])[-1]
    middle = len(part) // 2
    altered = row["quote"][: len(row["quote"]) - len(part)] + part[:middle] + "§" + part[middle:]
    assert missing_quote_parts(altered, source_text(row["source"]))
