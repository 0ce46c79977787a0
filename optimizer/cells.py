"""Parse one catalog column at a time: text cells are read once (Danish numbers, lists, yes/no), typed
columns pass a vectorised check. Each parser returns the typed values and the problems, by position.

A catalog column repeats few distinct cells (its udvalg, goals, flags, star counts), so a cell parser runs
once per distinct text or tuple of texts and its result is spread to every row holding it; plain digits
are converted column-wise. A column holding cells of other types (numbers in a text column, lists, dicts)
is parsed one cell at a time, so that 1 and True, which compare equal, are never mistaken for each other.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from optimizer.limits import MAX_KR, MAX_REACH, MAX_WEIGHT
from optimizer.numbers import NumberFormatError, brief, parse_number

Problems = list[tuple[int, str]]  # (position in the column, message)
Parsed = tuple[object, str]  # one cell's value and its problem ("" for none)
TRUE = frozenset({"true", "ja", "yes", "1", "x", "sand", "y", "j"})
FALSE = frozenset({"false", "nej", "no", "0", "falsk", "n"})
HIGHEST = {"reach": MAX_REACH, "reach_min": MAX_REACH, "reach_max": MAX_REACH, "intensity": MAX_WEIGHT}
_MAX_PLAIN_DIGITS = 15  # a whole number of at most this many digits is read directly


def is_missing(value: object) -> bool:
    """None, NaN, pd.NA, NaT or an empty/blank text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def text(value: object) -> str:
    """A cell as text: missing is "", a whole float is written without ".0"."""
    if is_missing(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def objects(column: pd.Series) -> np.ndarray:
    """The column's cells as Python objects, each missing one (NaN, NA, NaT) as None."""
    # pandas-stubs types na_value as a scalar without None, which pandas accepts (and documents)
    cells: np.ndarray = column.to_numpy(dtype=object, na_value=None)  # type: ignore[call-overload]
    return cells


def texts(column: pd.Series) -> np.ndarray:
    """A text column (stripped as Python strips; missing cells are "")."""
    try:
        codes, found = pd.factorize(column, use_na_sentinel=True)
        distinct = np.asarray(found, dtype=object)
    except TypeError:  # unhashable cells
        distinct = None
    if distinct is None or pd.api.types.infer_dtype(distinct) not in ("string", "empty"):
        return each_distinct(objects(column), lambda cell: (text(cell), ""))[0]
    stripped = np.fromiter((part.strip() for part in distinct), dtype=object, count=len(distinct))
    return np.append(stripped, "")[codes]  # code -1 (missing) takes the appended ""


def each_distinct(cells: np.ndarray, parse: Callable[[object], Parsed]) -> tuple[np.ndarray, Problems]:
    """`parse` applied to every cell: once per distinct cell (and once for all missing ones) where every cell is
    a text or a tuple of texts, else one by one. Returns the values and the problems by position."""
    try:
        codes, distinct = pd.factorize(cells, use_na_sentinel=True)
    except TypeError:  # unhashable cells (lists, dicts)
        codes, distinct = np.arange(len(cells)), cells
    else:
        if pd.api.types.infer_dtype(distinct) != "string" and not all(map(_plain, distinct)):
            codes, distinct = np.arange(len(cells)), cells
    results = [parse(cell) for cell in distinct]
    if len(codes) and codes.min() < 0:
        results.append(parse(None))  # every missing cell reads as an empty one
        codes = np.where(codes < 0, len(distinct), codes)
    table = np.fromiter((value for value, _ in results), dtype=object, count=len(results))  # a tuple stays one cell
    failed = [k for k, (_, message) in enumerate(results) if message]
    positions: Iterable[int] = np.flatnonzero(np.isin(codes, failed)) if failed else []
    return table[codes], [(int(k), results[codes[k]][1]) for k in positions]


def per_distinct(values: np.ndarray, function: Callable[[Any], object]) -> np.ndarray:
    """`function` of every value (of a parsed column: any cell, such as a tuple of goal keys), computed once per
    distinct value."""
    return each_distinct(values, lambda value: (function(value), ""))[0]


def _plain(cell: object) -> bool:
    """A text or a tuple of texts: a value that nothing of another type compares equal to."""
    return isinstance(cell, str) or (isinstance(cell, tuple) and all(isinstance(part, str) for part in cell))


def numbers(column: pd.Series, name: str) -> tuple[np.ndarray, Problems]:
    """A column of non-negative finite figures (NaN where not stated)."""
    values, problems = _finite(column)
    high = HIGHEST.get(name, MAX_KR)
    bad = ~np.isnan(values) & ((values < 0) | (values > high))
    for k in np.flatnonzero(bad):
        if values[k] < 0:
            message = f"{values[k]:g} is negative: {name} cannot be below 0"
        else:
            message = f"{values[k]:g} is out of range: {name} must be at most {high:,.0f}".replace(",", ".")
        problems.append((int(k), message))
        values[k] = np.nan
    return values, problems


def _finite(column: pd.Series) -> tuple[np.ndarray, Problems]:
    """The column as finite floats (NaN where empty), with the cells that are no number or infinite."""
    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
        values = column.to_numpy(dtype=float, na_value=np.nan).copy()
        problems: Problems = []
    else:
        values, problems = _parse_numbers(objects(column))
    for k in np.flatnonzero(np.isinf(values)):
        problems.append((int(k), f"{brief(column.iloc[k])} is too large to be a figure"))
        values[k] = np.nan
    return values, problems


def _parse_numbers(cells: np.ndarray) -> tuple[np.ndarray, Problems]:
    values, problems = each_distinct(cells, _number)
    return values.astype(float), problems


def _number(cell: object) -> Parsed:
    """One cell as a number: plain ASCII digits directly, anything else through parse_number (Danish formats)."""
    if isinstance(cell, str):
        digits = cell.strip()
        if digits.isascii() and digits.isdigit() and len(digits) <= _MAX_PLAIN_DIGITS:
            return float(digits), ""
    if is_missing(cell):
        return math.nan, ""
    try:
        return parse_number(cell), ""
    except NumberFormatError as exc:
        return math.nan, str(exc)
    except (TypeError, ValueError, OverflowError):
        return math.nan, f"{brief(cell)} is not a number"


def flags(column: pd.Series, name: str) -> tuple[np.ndarray, Problems]:
    """A yes/no column: True, False or None (not stated)."""
    if pd.api.types.is_bool_dtype(column.dtype):
        return objects(column), []  # True, False and None, as Python values
    return each_distinct(objects(column), _flag)


def _flag(cell: object) -> Parsed:
    if isinstance(cell, bool | np.bool_):
        return bool(cell), ""
    word = text(cell).lower()
    value = True if word in TRUE else False if word in FALSE else None
    problem = f"{word!r} is not yes/no (expected true/false, ja/nej or 1/0)" if word and value is None else ""
    return value, problem


def lists(column: pd.Series, sep: str, name: str) -> tuple[np.ndarray, Problems]:
    """A list column (udvalg "SU/KFU", goals "a;b"): a tuple of names per row."""

    def parse(cell: object) -> Parsed:
        if isinstance(cell, tuple) and all(isinstance(p, str) and p and p == p.strip() for p in cell):
            return cell, ""
        joined = sep.join(text(p) for p in cell) if isinstance(cell, list | tuple | np.ndarray) else text(cell)
        parts = [part.strip() for part in joined.split(sep)] if joined else []
        problem = f"{joined!r} has an empty entry (entries are separated by {sep!r})" if "" in parts else ""
        return tuple(part for part in parts if part), problem

    return each_distinct(objects(column), parse)


def stars(column: pd.Series) -> tuple[np.ndarray, Problems]:
    """Evidence stars 0-3; "*", "**", "***" count their stars; NaN where not rated."""
    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
        values, problems = _finite(column)
    else:
        parsed, problems = each_distinct(objects(column), _star_count)  # never infinite: parse_number refuses it
        values = parsed.astype(float)
    bad = ~np.isnan(values) & ~np.isin(values, (0.0, 1.0, 2.0, 3.0))
    for k in np.flatnonzero(bad):
        problems.append((int(k), f"{values[k]:g} is outside 0-3 (stars)"))
        values[k] = np.nan
    return values, problems


def _star_count(cell: object) -> Parsed:
    if isinstance(cell, str) and set(cell.strip()) == {"*"}:
        return float(len(cell.strip())), ""
    value, problem = _number(cell)
    return value, problem.replace("is not a number", "is not a star count (expected 0-3, or *, **, ***)")


def asks(column: pd.Series) -> tuple[np.ndarray, Problems]:
    """Per-year asks ((year, kroner), ...): from tuples of pairs, a {year: kr} dict or text "2021=150000; 2022=0"."""
    return each_distinct(objects(column), _asks)


def _asks(cell: object) -> Parsed:
    pairs: list[tuple[object, object]]
    if isinstance(cell, dict):
        pairs = list(cell.items())
    elif isinstance(cell, tuple | list):
        pairs = [tuple(p) if isinstance(p, tuple | list) and len(p) == 2 else (p, None) for p in cell]
    else:
        pairs = [_pair(part) for part in text(cell).split(";") if part.strip()]
    return _year_amounts(pairs)


def _pair(part: str) -> tuple[object, object]:
    """A part "2021=150000" as ("2021", "150000"); a part without "=" has no amount."""
    year, equals, amount = part.partition("=")
    return (year, amount) if equals else (part, None)


def _year_amounts(pairs: list[tuple[object, object]]) -> tuple[tuple[tuple[int, float], ...], str]:
    result: dict[int, float] = {}
    for year, amount in pairs:
        try:
            label = int(str(year).strip())
            value = parse_number(amount)
        except (ValueError, TypeError):
            return (), f"expected YEAR=KR entries such as 2021=150000, got {year!r}={amount!r}"
        if not 0 <= value <= MAX_KR:
            return (), f"the ask for {label} must be between 0 and {MAX_KR:,.0f} kr., got {amount!r}".replace(",", ".")
        if label in result:
            return (), f"{label} is listed twice"
        result[label] = value
    return tuple(sorted(result.items())), ""
