"""The catalog schema (one row per indsats) and its loading and validation from CSV or Excel.

The schema is documented in data/README.md. load_catalog() returns a validated DataFrame:
udvalg, goals and requires become tuples, figures become floats with NaN for "not stated".
"""

from __future__ import annotations

import difflib
import math
from pathlib import Path

import pandas as pd

from optimizer.errors import CatalogError, Problem
from optimizer.limits import MAX_KR, MAX_REACH, MAX_WEIGHT
from optimizer.numbers import NumberFormatError, format_kr, parse_number
from optimizer.tables import RawTable, check_header, read_table
from optimizer.workbook import sheet_names

REQUIRED_COLUMNS = (
    "id", "name", "udvalg", "goals", "cost_kr", "min_kr", "max_kr", "reach", "reach_min", "reach_max",
    "reach_unit", "stars", "scalable", "source", "quote", "note",
)  # fmt: skip
OPTIONAL_COLUMNS = ("fixed", "requires", "focus_area", "derivation", "setup_kr", "intensity")
KR_COLUMNS = ("cost_kr", "min_kr", "max_kr", "setup_kr")
REACH_COLUMNS = ("reach", "reach_min", "reach_max")
TEXT_COLUMNS = ("name", "reach_unit", "source", "quote", "note", "focus_area", "derivation")
UDVALG_SEP = "/"
LIST_SEP = ";"
CATALOG_SHEETS = ("indsatser", "catalog", "katalog")
GOALS_SHEETS = ("goals", "målsætninger", "maalsaetninger")
_HIGHEST = {**dict.fromkeys(KR_COLUMNS, MAX_KR), **dict.fromkeys(REACH_COLUMNS, MAX_REACH), "intensity": MAX_WEIGHT}
_TRUE = {"true", "ja", "yes", "1", "x", "sand", "y", "j"}
_FALSE = {"false", "nej", "no", "0", "falsk", "n"}


def load_catalog(
    path: str | Path, *, goals: str | Path | pd.DataFrame | None = None, sheet: str | None = None
) -> pd.DataFrame:
    """Load and validate a catalog of indsatser from .csv or .xlsx.

    The goal keys are checked against `goals` (a goals file or DataFrame with key,title); when it is
    not given, against the workbook's "goals" sheet or a goals.csv next to the catalog.
    Raises CatalogError listing every problem with its row and column.
    """
    path = Path(path)
    table = read_table(path, sheet=sheet, preferred=CATALOG_SHEETS)
    goal_table = _find_goals(path, goals)
    if goal_table is None:
        raise CatalogError(
            path.name,
            [Problem("no goals file: put goals.csv (columns key,title) next to the catalog, or pass goals=")],
        )
    catalog = _validate_table(table, goal_table)
    catalog.attrs["origin"] = str(path)
    return catalog


def load_goals(path: str | Path, *, sheet: str | None = None) -> pd.DataFrame:
    """Load a goals file (columns key, title; source and quote optional) and check its keys are unique."""
    table = read_table(path, sheet=sheet, preferred=GOALS_SHEETS)
    return _goals_from_table(table)


def validate_catalog(
    frame: pd.DataFrame, *, goals: pd.DataFrame | dict[str, str] | None = None, origin: str = "catalog"
) -> pd.DataFrame:
    """Validate a catalog given as a DataFrame (e.g. built or edited in a notebook) the same way as a file.

    An already validated catalog is checked again (an edit may have broken it) against the goals it was
    loaded with. Without `goals` and without such goals, any goal key is accepted as its own title.
    """
    origin = frame.attrs.get("origin", origin)
    check_header(origin, list(frame.columns))
    if goals is None and frame.attrs.get("goals"):
        goals = dict(frame.attrs["goals"])
    records = frame.to_dict(orient="records")
    header = [str(column).strip().lower() for column in frame.columns]
    rows = [
        (number, {str(k).strip().lower(): _cell(v) for k, v in record.items()})
        for number, record in enumerate(records, start=2)
    ]
    table = RawTable(origin=origin, header=header, rows=rows)
    if goals is None:
        used = sorted({key for _, row in rows for key in _split(row.get("goals"), LIST_SEP)})
        goals = {key: key for key in used}
    goal_table = _goals_frame(goals)
    return _validate_table(table, goal_table)


def goal_titles(catalog: pd.DataFrame) -> dict[str, str]:
    """Goal key -> title for a validated catalog (keys in use, in the goals file's order)."""
    titles = dict(catalog.attrs.get("goals", {}))
    for goals in catalog["goals"]:
        for key in goals:
            titles.setdefault(key, key)
    return titles


def join_list(values: tuple[str, ...], sep: str = LIST_SEP) -> str:
    """The file form of a list cell: ("SU", "KFU") -> "SU/KFU" with sep="/"."""
    return sep.join(values)


# --- goals --------------------------------------------------------------------------------------


def _find_goals(path: Path, goals: str | Path | pd.DataFrame | None) -> pd.DataFrame | None:
    if isinstance(goals, pd.DataFrame):
        return _goals_frame(goals)
    if goals is not None:
        return load_goals(goals)
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        names = {name.lower() for name in sheet_names(path)}
        if any(wanted in names for wanted in GOALS_SHEETS):
            return load_goals(path)
    for candidate in (path.with_name(f"{path.stem}_goals.csv"), path.with_name("goals.csv")):
        if candidate.exists():
            return load_goals(candidate)
    return None


def _goals_frame(goals: pd.DataFrame | dict[str, str]) -> pd.DataFrame:
    if isinstance(goals, dict):
        return pd.DataFrame({"key": list(goals), "title": list(goals.values())})
    header = [str(c).strip().lower() for c in goals.columns]
    rows = [
        (n, {str(k).strip().lower(): _cell(v) for k, v in rec.items()})
        for n, rec in enumerate(goals.to_dict(orient="records"), start=2)
    ]
    return _goals_from_table(RawTable(origin="goals", header=header, rows=rows))


def _goals_from_table(table: RawTable) -> pd.DataFrame:
    problems = [Problem(f"missing column {name!r}") for name in ("key", "title") if name not in table.header]
    if problems:
        raise CatalogError(table.origin, problems)
    keys: dict[str, int] = {}
    records = []
    for number, row in table.rows:
        key = _text(row.get("key"))
        if not key:
            problems.append(Problem("empty goal key", row=number, column="key"))
            continue
        if key in keys:
            problems.append(Problem(f"duplicate goal key {key!r} (also row {keys[key]})", number, "key"))
            continue
        keys[key] = number
        records.append({"key": key, "title": _text(row.get("title")) or key})
    if problems:
        raise CatalogError(table.origin, problems)
    return pd.DataFrame(records, columns=["key", "title"])


# --- validation ---------------------------------------------------------------------------------


def _validate_table(table: RawTable, goal_table: pd.DataFrame) -> pd.DataFrame:
    problems = _missing_columns(table.header)
    if problems:
        raise CatalogError(table.origin, problems)
    known_goals = list(goal_table["key"])
    records, row_of = [], {}
    numbers = [number for number, _ in table.rows]
    for number, raw in table.rows:
        record = _parse_row(number, raw, known_goals, problems)
        if record["id"]:
            if record["id"] in row_of:
                problems.append(
                    Problem(f"duplicate id {record['id']!r} (also row {row_of[record['id']]})", number, "id")
                )
            else:
                row_of[record["id"]] = number
        records.append(record)
    _check_requires(records, numbers, row_of, problems)
    if problems:
        raise CatalogError(table.origin, problems)
    catalog = pd.DataFrame.from_records(records)[[*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS]]
    catalog["scalable"] = catalog["scalable"].astype("boolean")
    extra = [c for c in table.header if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    for column in extra:
        catalog[column] = [_text(raw.get(column)) for _, raw in table.rows]
    catalog.attrs.update(
        origin=table.origin,
        goals=dict(zip(goal_table["key"], goal_table["title"], strict=True)),
        rows=dict(row_of),
    )
    return catalog


def _missing_columns(header: list[str]) -> list[Problem]:
    problems = []
    unknown = [column for column in header if column not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    for name in REQUIRED_COLUMNS:
        if name not in header:
            close = difflib.get_close_matches(name, unknown, n=1)
            hint = f" (is {close[0]!r} meant to be {name!r}?)" if close else ""
            problems.append(Problem(f"missing column {name!r}{hint}", row=1))
    return problems


def _parse_row(number: int, raw: dict[str, object], known_goals: list[str], problems: list[Problem]) -> dict:
    def problem(column: str, message: str) -> None:
        problems.append(Problem(message, row=number, column=column, value=raw.get(column)))

    record: dict[str, object] = {"id": _text(raw.get("id"))}
    if not record["id"]:
        problem("id", "empty id: every indsats needs a unique id")
    for column in TEXT_COLUMNS:
        record[column] = _text(raw.get(column))
    if not record["name"]:
        problem("name", "empty name")
    record["fixed"] = _parse_bool(raw.get("fixed"), "fixed", problem)
    record["fixed"] = bool(record["fixed"])
    record["scalable"] = _parse_bool(raw.get("scalable"), "scalable", problem)
    record["udvalg"] = _parse_list(raw.get("udvalg"), UDVALG_SEP, "udvalg", problem)
    record["goals"] = _parse_list(raw.get("goals"), LIST_SEP, "goals", problem)
    record["requires"] = _parse_list(raw.get("requires"), LIST_SEP, "requires", problem)
    for key in record["goals"]:
        if key not in known_goals:
            problem("goals", f"unknown goal key {key!r} (known: {', '.join(known_goals)})")
    if not record["goals"] and not record["fixed"]:
        problem("goals", "no goals: an indsats must serve at least one goal (only fixed lines may have none)")
    for column in (*KR_COLUMNS, *REACH_COLUMNS, "intensity"):
        record[column] = _parse_amount(raw.get(column), column, problem)
    record["stars"] = _parse_stars(raw.get("stars"), problem)
    _check_figures(record, problem)
    return record


def _check_figures(record: dict, problem) -> None:
    cost, low, high = record["cost_kr"], record["min_kr"], record["max_kr"]
    if math.isnan(high) and not math.isnan(low) and not math.isnan(cost) and low > cost:
        problem(
            "min_kr", f"min_kr {format_kr(low)} is above cost_kr {format_kr(cost)} (max_kr is empty, so it is cost_kr)"
        )
    for column in KR_COLUMNS:
        value = record[column]
        if not math.isnan(value) and value != round(value):
            problem(column, f"{value:g} is not whole kroner")
    if cost == 0:
        problem("cost_kr", "cost_kr is 0: the full-scale cost must be positive (leave it empty if unknown)")
    if not math.isnan(low) and not math.isnan(high) and low > high:
        problem("min_kr", f"min_kr {format_kr(low)} is above max_kr {format_kr(high)}")
    if record["scalable"] is False and not math.isnan(cost):
        for column, value in (("min_kr", low), ("max_kr", high)):
            if not math.isnan(value) and value != cost:
                message = f"scalable is false (all-or-nothing at {format_kr(cost)}): leave {column} empty"
                problem(column, message)
    r, r_low, r_high = record["reach"], record["reach_min"], record["reach_max"]
    if not math.isnan(r_low) and not math.isnan(r_high) and r_low > r_high:
        problem("reach_min", f"reach_min {r_low:g} is above reach_max {r_high:g}")
    if not math.isnan(r) and not math.isnan(r_low) and r < r_low:
        problem("reach", f"reach {r:g} is below reach_min {r_low:g}")
    if not math.isnan(r) and not math.isnan(r_high) and r > r_high:
        problem("reach", f"reach {r:g} is above reach_max {r_high:g}")


def _check_requires(records: list[dict], numbers: list[int], row_of: dict[str, int], problems: list[Problem]) -> None:
    graph = {r["id"]: r["requires"] for r in records if r["id"]}
    for record, number in zip(records, numbers, strict=True):
        for needed in record["requires"]:
            if needed == record["id"]:
                problems.append(Problem("an indsats cannot require itself", number, "requires", needed))
            elif needed not in graph:
                problems.append(Problem(f"requires unknown id {needed!r}", number, "requires", needed))
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> None:
        if node in path:
            cycle = " -> ".join([*path[path.index(node) :], node])
            problems.append(Problem(f"requires forms a cycle: {cycle}", row_of.get(node), "requires"))
            return
        if node in done or node not in graph:
            return
        for needed in graph[node]:
            if needed != node:
                visit(needed, [*path, node])
        done.add(node)

    for start in graph:
        visit(start, [])


# --- cell parsers -------------------------------------------------------------------------------


def _cell(value: object) -> object:
    """A DataFrame cell as the parsers take it: lists stay lists, every kind of missing becomes None."""
    if isinstance(value, list | tuple):
        return value
    return None if value is None or pd.isna(value) else value


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _parse_amount(value: object, column: str, problem) -> float:
    try:
        number = parse_number(value)
    except NumberFormatError as exc:
        problem(column, str(exc))
        return math.nan
    if number < 0:
        problem(column, f"{number:g} is negative: {column} cannot be below 0")
        return math.nan
    if number > _HIGHEST[column]:
        problem(column, f"{number:g} is above {_HIGHEST[column]:g}, the most pulje accepts for {column}")
        return math.nan
    return number


def _parse_stars(value: object, problem) -> float:
    text = _text(value)
    if not text:
        return math.nan
    if set(text) == {"*"}:
        text = str(len(text))
    try:
        stars = parse_number(text)
    except NumberFormatError:
        problem("stars", f"{text!r} is not a star count (expected 0, 1, 2 or 3, or *, **, ***)")
        return math.nan
    if stars not in (0, 1, 2, 3):
        problem("stars", f"{stars:g} is outside 0-3")
        return math.nan
    return stars


def _parse_bool(value: object, column: str, problem) -> bool | None:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    problem(column, f"{text!r} is not yes/no (expected true/false, ja/nej or 1/0)")
    return None


def _parse_list(value: object, sep: str, column: str, problem) -> tuple[str, ...]:
    text = sep.join(map(str, value)) if isinstance(value, list | tuple) else _text(value)
    if not text:
        return ()
    parts = [part.strip() for part in text.split(sep)]
    if any(not part for part in parts):
        problem(column, f"{text!r} has an empty entry (entries are separated by {sep!r})")
    return tuple(part for part in parts if part)


def _split(value: object, sep: str) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(part).strip() for part in value if str(part).strip()]
    return [part.strip() for part in _text(value).split(sep) if part.strip()]
