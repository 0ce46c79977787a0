"""The catalog schema (one row per indsats) and its loading and validation from CSV, Excel or a DataFrame.

The schema is documented in data/README.md. load_catalog() returns a validated DataFrame: udvalg,
goals and requires become tuples, figures floats with NaN for "not stated", per-year asks a tuple of
(year, kroner) pairs. Text cells are parsed once, at load; a catalog that is already typed (loaded, or
built in a notebook) is re-checked by a cheap vectorised pass, so an edited DataFrame is never trusted.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from optimizer import cells
from optimizer.amounts import load_asks
from optimizer.errors import CatalogError, Problem
from optimizer.formats import format_kr
from optimizer.tables import EXCEL_SUFFIXES, RawTable, check_header, read_table
from optimizer.workbook import sheet_names

REQUIRED_COLUMNS = ("id", "name", "goals", "cost_kr")
KR_COLUMNS = ("cost_kr", "min_kr", "max_kr", "setup_kr")
FIGURE_COLUMNS = (*KR_COLUMNS, "reach", "reach_min", "reach_max", "intensity")
TEXT_COLUMNS = ("name", "reach_unit", "source", "quote", "note", "focus_area", "derivation")
LIST_COLUMNS = {"udvalg": "/", "goals": ";", "requires": ";"}
SCHEMA = (
    "id", "name", "udvalg", "goals", "cost_kr", "min_kr", "max_kr", "reach", "reach_min", "reach_max",
    "reach_unit", "stars", "scalable", "fixed", "requires", "setup_kr", "intensity", "asks",
    "focus_area", "derivation", "source", "quote", "note",
)  # fmt: skip
UDVALG_SEP, LIST_SEP = "/", ";"
CATALOG_SHEETS = ("indsatser", "catalog", "katalog")
GOALS_SHEETS = ("goals", "målsætninger", "maalsaetninger")
ASKS_SHEETS = ("asks", "ansøgt", "ansoegt")


def load_catalog(
    path: str | Path,
    *,
    goals: str | Path | pd.DataFrame | None = None,
    asks: str | Path | pd.DataFrame | None = None,
    sheet: str | None = None,
) -> pd.DataFrame:
    """Load and validate a catalog of indsatser from .csv or .xlsx.

    Goal keys are checked against `goals` (a file or DataFrame with key,title); when it is not given,
    against the workbook's "goals" sheet or a goals.csv (or <stem>_goals.csv) next to the catalog; with
    neither, each goal key is its own title and results say so. Per-year asks (id, year, cost_kr) come
    from `asks`, the workbook's "asks" sheet or a <stem>_asks.csv next to the catalog.
    Raises CatalogError listing every problem with its row and column.
    """
    path = Path(path)
    table = read_table(path, sheet=sheet, preferred=CATALOG_SHEETS)
    goal_table = _goals_beside(path, goals)
    frame = pd.DataFrame(table.cells, columns=table.header, dtype=object)
    titles = None if goal_table is None else _table_titles(goal_table)
    catalog = _validate(frame, np.array(table.numbers), titles, origin=table.origin)
    catalog.attrs["origin"] = str(path)
    asks_table = _asks_beside(path, asks, catalog)
    if asks_table is not None:
        catalog = with_asks(catalog, asks_table)
    return catalog


def load_goals(path: str | Path, *, sheet: str | None = None) -> pd.DataFrame:
    """Load a goals file (columns key, title; source and quote optional) and check its keys are unique."""
    return _goals_from_table(read_table(path, sheet=sheet, preferred=GOALS_SHEETS))


def validate_catalog(
    frame: pd.DataFrame, *, goals: pd.DataFrame | Mapping[str, str] | None = None, origin: str = "catalog"
) -> pd.DataFrame:
    """Validate a catalog given as a DataFrame (built or edited in a notebook) the same way as a file.

    Optional columns may be left out. An already validated catalog is checked again (an edit may have
    broken it) against the goals it was loaded with; without goals, any goal key is its own title.
    A catalog indexed by id (`set_index("id")`) is taken with its index as the id column.
    """
    if not isinstance(frame, pd.DataFrame):
        raise CatalogError(origin, [Problem(f"expected a DataFrame, got {type(frame).__name__}")])
    origin = frame.attrs.get("origin", origin)
    if "id" not in frame.columns and frame.index.name == "id":
        frame = frame.reset_index()
    check_header(origin, list(frame.columns))  # after the index joined the columns: "ID" beside it is a twin
    titles = None
    if goals is not None:
        titles = _table_titles(_goals_frame(goals)) if isinstance(goals, pd.DataFrame) else dict(goals)
    elif frame.attrs.get("goals") and not frame.attrs.get("goals_assumed"):
        titles = dict(frame.attrs["goals"])  # checked when the catalog was loaded
    header = [str(column).strip().lower() for column in frame.columns]
    renamed = frame.set_axis(header, axis=1) if header != list(frame.columns) else frame.copy(deep=False)
    renamed.attrs = {}  # columns are read without copying the attributes each time
    return _validate(renamed, np.arange(2, len(frame) + 2), titles, origin=origin)


def with_asks(catalog: pd.DataFrame, asks: pd.DataFrame) -> pd.DataFrame:
    """The catalog with per-year asks (long format: id, year, cost_kr) in its `asks` column.

    Like the baseline, the long format lists what is asked: an indsats with rows asks for nothing in a year
    the file covers but it has no row for (the pool table's blank cell). An indsats without any row asks
    its cost_kr in every year.
    """
    covered = sorted({int(year) for year in asks["year"]})
    by_id: dict[str, dict[int, float]] = {}
    for indsats_id, year, cost in zip(asks["id"], asks["year"], asks["cost_kr"], strict=True):
        by_id.setdefault(str(indsats_id), dict.fromkeys(covered, 0.0))[int(year)] = float(cost)
    result = catalog.copy()
    pairs = (tuple(sorted(by_id.get(i, {}).items())) for i in catalog["id"])
    result["asks"] = np.fromiter(pairs, dtype=object, count=len(catalog))  # a tuple stays one cell
    return validate_catalog(result)


def goal_titles(catalog: pd.DataFrame) -> dict[str, str]:
    """Goal key -> title for a validated catalog (keys in use, in the goals file's order)."""
    titles = dict(catalog.attrs.get("goals", {}))
    for goals in pd.unique(catalog["goals"].to_numpy(dtype=object)):
        for key in goals:
            titles.setdefault(key, key)
    return titles


def goals_assumed(catalog: pd.DataFrame) -> bool:
    """True when the catalog came without a goals file, so each goal key is its own title."""
    return bool(catalog.attrs.get("goals_assumed"))


def join_list(values: tuple[str, ...], sep: str = LIST_SEP) -> str:
    """The file form of a list cell: ("SU", "KFU") -> "SU/KFU" with sep="/"."""
    return sep.join(values)


def as_written(catalog: pd.DataFrame) -> pd.DataFrame:
    """The catalog in its file form, the inverse of loading it: list cells joined ("SU/KFU", "a;b") and the
    per-year asks as "2021=150000; 2022=0", so a catalog written out (CSV, Excel) loads again as it was."""
    written = catalog.assign(**{column: catalog[column].map(sep.join) for column, sep in LIST_COLUMNS.items()})
    return written.assign(asks=catalog["asks"].map(_asks_text))


def _asks_text(asks: tuple[tuple[int, float], ...]) -> str:
    return "; ".join(f"{year}={kr:.0f}" if float(kr).is_integer() else f"{year}={kr}" for year, kr in asks)


# --- goals and asks beside a catalog file -------------------------------------------------------


def files_beside(path: Path) -> dict[str, Path]:
    """The goals and per-year asks files load_catalog reads for a catalog file when none is named: a sheet of
    the workbook itself (then the workbook's own path), else <stem>_goals.csv or goals.csv, and <stem>_asks.csv,
    next to it. The one place this rule is written (the scenario library stores these files too)."""
    found: dict[str, Path] = {}
    sheets = _lower_sheets(path) if path.suffix.lower() in EXCEL_SUFFIXES else set()
    for role, wanted, candidates in (
        ("goals", GOALS_SHEETS, (f"{path.stem}_goals.csv", "goals.csv")),
        ("asks", ASKS_SHEETS, (f"{path.stem}_asks.csv",)),
    ):
        if any(w in sheets for w in wanted):
            found[role] = path
            continue
        beside = next((path.with_name(name) for name in candidates if path.with_name(name).is_file()), None)
        if beside is not None:
            found[role] = beside
    return found


def _goals_beside(path: Path, goals: str | Path | pd.DataFrame | None) -> pd.DataFrame | None:
    if isinstance(goals, pd.DataFrame):
        return _goals_frame(goals)
    found = Path(goals) if goals is not None else files_beside(path).get("goals")
    return load_goals(found) if found is not None else None


def _asks_beside(path: Path, asks: str | Path | pd.DataFrame | None, catalog: pd.DataFrame) -> pd.DataFrame | None:
    if isinstance(asks, pd.DataFrame):
        return asks
    found = Path(asks) if asks is not None else files_beside(path).get("asks")
    return load_asks(found, catalog=catalog) if found is not None else None


def _lower_sheets(path: Path) -> set[str]:
    return {name.lower() for name in sheet_names(path)}


def _goals_frame(goals: pd.DataFrame) -> pd.DataFrame:
    header = [str(c).strip().lower() for c in goals.columns]
    cells = [list(row) for row in goals.itertuples(index=False)]
    return _goals_from_table(RawTable("goals", header, list(range(2, len(cells) + 2)), cells))


def _goals_from_table(table: RawTable) -> pd.DataFrame:
    problems = [Problem(f"missing column {name!r}") for name in ("key", "title") if name not in table.header]
    if problems:
        raise CatalogError(table.origin, problems)
    keys: dict[str, int] = {}
    records = []
    for number, row in table.rows:
        key = cells.text(row.get("key"))
        if not key:
            problems.append(Problem("empty goal key", row=number, column="key"))
        elif key in keys:
            problems.append(Problem(f"duplicate goal key {key!r} (also row {keys[key]})", number, "key"))
        else:
            keys[key] = number
            records.append({"key": key, "title": cells.text(row.get("title")) or key})
    if problems:
        raise CatalogError(table.origin, problems)
    return pd.DataFrame(records, columns=["key", "title"])


# --- validation ---------------------------------------------------------------------------------


def _validate(
    cells_frame: pd.DataFrame, row_numbers: np.ndarray, goal_titles: dict[str, str] | None, *, origin: str
) -> pd.DataFrame:
    """Parse and check every column (cells_frame: one column per header, row_numbers as the user sees them),
    then the rules between columns; raises CatalogError with all problems at once. Without goal titles, each
    goal key is its own title."""
    problems = _column_problems(list(cells_frame.columns))
    if problems:
        raise CatalogError(origin, problems)
    n = len(cells_frame)
    parsed: dict[str, np.ndarray] = {}

    def take(column: str, result: tuple[np.ndarray, cells.Problems]) -> None:
        values, found = result
        parsed[column] = values
        for k, message in found:
            given = cells_frame[column].iloc[k] if column in cells_frame.columns else None
            problems.append(Problem(message, int(row_numbers[k]), column, given))

    def column_of(name: str, default: object) -> pd.Series:
        if name in cells_frame.columns:
            return cells_frame[name]
        return pd.Series([default] * n, dtype=object)

    parsed["id"] = cells.texts(column_of("id", ""))
    for name in TEXT_COLUMNS:
        parsed[name] = cells.texts(column_of(name, ""))
    for name, sep in LIST_COLUMNS.items():
        take(name, cells.lists(column_of(name, ""), sep, name))
    for name in FIGURE_COLUMNS:
        take(name, cells.numbers(column_of(name, np.nan), name))
    take("stars", cells.stars(column_of("stars", np.nan)))
    take("scalable", cells.flags(column_of("scalable", None), "scalable"))
    take("fixed", cells.flags(column_of("fixed", None), "fixed"))
    take("asks", cells.asks(column_of("asks", ())))
    parsed["fixed"] = parsed["fixed"] == True  # noqa: E712 (None, not stated, is not fixed)
    titles = goal_titles if goal_titles is not None else _own_titles(parsed["goals"])
    problems.extend(_row_problems(parsed, row_numbers, titles))
    problems.sort(key=lambda p: (p.row or 0, SCHEMA.index(p.column) if p.column in SCHEMA else 99))
    if problems:
        raise CatalogError(origin, problems)
    return _frame(parsed, cells_frame, origin, titles, goals_assumed=goal_titles is None)


def _column_problems(header: list[str]) -> list[Problem]:
    """Missing required columns and unknown ones (a header naming a column twice is refused before: check_header)."""
    problems = []
    unknown = [c for c in header if c not in SCHEMA]
    for name in REQUIRED_COLUMNS:
        if name not in header:
            close = difflib.get_close_matches(name, unknown, n=1)
            hint = f" (is {close[0]!r} meant to be {name!r}?)" if close else ""
            problems.append(Problem(f"missing column {name!r}{hint}", row=1))
            unknown = [c for c in unknown if c not in close]
    for name in unknown:
        close = difflib.get_close_matches(name, [c for c in SCHEMA if c not in header], n=1, cutoff=0.8)
        if close:
            problems.append(Problem(f"unknown column {name!r}: did you mean {close[0]!r}?", row=1))
    return problems


def _table_titles(goal_table: pd.DataFrame) -> dict[str, str]:
    return dict(zip(goal_table["key"], goal_table["title"], strict=True))


def _own_titles(goals: np.ndarray) -> dict[str, str]:
    """Each goal key its own title, in the order the keys first occur."""
    return {key: key for keys in pd.unique(goals) for key in keys}


def _row_problems(p: dict[str, np.ndarray], rows: np.ndarray, titles: dict[str, str]) -> list[Problem]:
    problems: list[Problem] = []

    def flag(mask: np.ndarray, column: str, message: str | Callable[[int], str]) -> None:
        for k in np.flatnonzero(mask).tolist():
            problems.append(Problem(message(k) if callable(message) else message, int(rows[k]), column))

    ids = p["id"]
    flag(ids == "", "id", "empty id: every indsats needs a unique id")
    flag(p["name"] == "", "name", "empty name")
    problems.extend(_duplicate_ids(ids, rows))
    unknown = cells.per_distinct(p["goals"], lambda goals: [key for key in goals if key not in titles])
    for k in np.flatnonzero(unknown.astype(bool)):
        for key in unknown[k]:
            problems.append(Problem(f"unknown goal key {key!r} (known: {', '.join(titles)})", int(rows[k]), "goals"))
    no_goals = cells.per_distinct(p["goals"], lambda goals: not goals).astype(bool) & ~p["fixed"]
    flag(no_goals, "goals", "no goals: an indsats must serve at least one goal (only fixed lines may have none)")
    cost, low, high = p["cost_kr"], p["min_kr"], p["max_kr"]
    flag(cost == 0, "cost_kr", "cost_kr is 0: the full-scale cost must be positive (leave it empty if unknown)")
    for column in KR_COLUMNS:
        values = p[column]
        flag(~np.isnan(values) & (values != np.round(values)), column, _not_whole(values))
    flag(np.isnan(high) & (low > cost), "min_kr", lambda k: f"min_kr {format_kr(low[k])} is above cost_kr "
         f"{format_kr(cost[k])} (max_kr is empty, so it is cost_kr)")  # fmt: skip
    flag(low > high, "min_kr", lambda k: f"min_kr {format_kr(low[k])} is above max_kr {format_kr(high[k])}")
    all_or_nothing = np.array([s is False for s in p["scalable"]]) & ~np.isnan(cost)
    for column, values in (("min_kr", low), ("max_kr", high)):
        flag(all_or_nothing & ~np.isnan(values) & (values != cost), column, _all_or_nothing_bound(column, cost))
    reach, r_low, r_high = p["reach"], p["reach_min"], p["reach_max"]
    flag(r_low > r_high, "reach_min", lambda k: f"reach_min {r_low[k]:g} is above reach_max {r_high[k]:g}")
    flag(reach < r_low, "reach", lambda k: f"reach {reach[k]:g} is below reach_min {r_low[k]:g}")
    flag(reach > r_high, "reach", lambda k: f"reach {reach[k]:g} is above reach_max {r_high[k]:g}")
    problems.extend(_requires_problems(ids, p["requires"], rows))
    return problems


def _not_whole(values: np.ndarray) -> Callable[[int], str]:
    return lambda k: f"{float(values[k])!r} is not whole kroner"


def _all_or_nothing_bound(column: str, cost: np.ndarray) -> Callable[[int], str]:
    return lambda k: f"scalable is false (all-or-nothing at {format_kr(cost[k])}): leave {column} empty"


def _duplicate_ids(ids: np.ndarray, rows: np.ndarray) -> list[Problem]:
    """An id given again names the row it was first given on."""
    codes, distinct = pd.factorize(ids)
    if len(distinct) == len(ids):
        return []
    again = np.flatnonzero(pd.Series(codes).duplicated().to_numpy() & (ids != ""))
    first = dict(zip(ids[::-1], rows[::-1].tolist(), strict=True))
    return [Problem(f"duplicate id {ids[k]!r} (also row {first[ids[k]]})", int(rows[k]), "id") for k in again]


def _requires_problems(ids: np.ndarray, requires: np.ndarray, rows: np.ndarray) -> list[Problem]:
    problems: list[Problem] = []
    needing = np.flatnonzero(cells.per_distinct(requires, bool).astype(bool))
    if needing.size == 0:
        return problems
    row_of = {indsats_id: int(row) for indsats_id, row in zip(ids, rows, strict=True)}
    graph = {ids[k]: requires[k] for k in needing if ids[k]}
    for k in needing:
        for needed in requires[k]:
            if needed == ids[k]:
                problems.append(Problem("an indsats cannot require itself", int(rows[k]), "requires", needed))
            elif needed not in row_of or not needed:
                problems.append(Problem(f"requires unknown id {needed!r}", int(rows[k]), "requires", needed))
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(node: str, path: list[str]) -> None:
        if state.get(node) == 1:
            cycle = " -> ".join([*path[path.index(node) :], node])
            problems.append(Problem(f"requires forms a cycle: {cycle}", row_of.get(node), "requires"))
            return
        if state.get(node) == 2 or node not in graph:
            return
        state[node] = 1
        for needed in graph[node]:
            if needed != node:
                visit(needed, [*path, node])
        state[node] = 2

    for start in graph:
        if graph[start]:
            visit(start, [])
    return problems


def _frame(
    parsed: dict[str, np.ndarray], source: pd.DataFrame, origin: str, titles: dict[str, str], *, goals_assumed: bool
) -> pd.DataFrame:
    catalog = pd.DataFrame({name: parsed[name] for name in SCHEMA})
    catalog["scalable"] = pd.array(parsed["scalable"], dtype="boolean")
    for column in source.columns:
        if column not in SCHEMA:
            catalog[column] = cells.texts(source[column])
    catalog.attrs.update(origin=origin, goals=titles, goals_assumed=goals_assumed)
    return catalog
