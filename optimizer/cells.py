"""Parse one catalog column at a time: text cells are read once (Danish numbers, lists, yes/no), typed
columns pass a vectorised check. Each parser returns the typed values and the problems, by position."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from optimizer.limits import MAX_KR, MAX_REACH, MAX_WEIGHT
from optimizer.numbers import NumberFormatError, parse_number

Problems = list[tuple[int, str]]  # (position in the column, message)
_PLAIN_DIGITS = re.compile(r"^\s*\d{1,15}\s*$")
TRUE = frozenset({"true", "ja", "yes", "1", "x", "sand", "y", "j"})
FALSE = frozenset({"false", "nej", "no", "0", "falsk", "n"})
HIGHEST = {"reach": MAX_REACH, "reach_min": MAX_REACH, "reach_max": MAX_REACH, "intensity": MAX_WEIGHT}


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


def texts(column: pd.Series) -> np.ndarray:
    """A text column."""
    if pd.api.types.is_string_dtype(column.dtype) and not column.isna().any():
        return column.str.strip().to_numpy(dtype=object)
    return np.array([text(v) for v in column], dtype=object)


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
        values, problems = _parse_numbers(column.to_numpy(dtype=object))
    for k in np.flatnonzero(np.isinf(values)):
        problems.append((int(k), f"{_shown(column.iloc[k])} is too large to be a figure"))
        values[k] = np.nan
    return values, problems


def _parse_numbers(cells: np.ndarray) -> tuple[np.ndarray, Problems]:
    values = np.full(len(cells), np.nan)
    problems: Problems = []
    for k, cell in enumerate(cells):
        if is_missing(cell):
            continue
        if isinstance(cell, str) and _PLAIN_DIGITS.match(cell):
            values[k] = float(cell)
            continue
        try:
            values[k] = parse_number(cell)
        except NumberFormatError as exc:
            problems.append((k, str(exc)))
        except (TypeError, ValueError, OverflowError):
            problems.append((k, f"{_shown(cell)} is not a number"))
    return values, problems


def _shown(value: object) -> str:
    """A value as the user wrote it, for a message (numpy numbers as plain numbers)."""
    if isinstance(value, np.generic):
        value = value.item()
    return repr(value) if isinstance(value, str) else f"{value}"


def flags(column: pd.Series, name: str) -> tuple[np.ndarray, Problems]:
    """A yes/no column: True, False or None (not stated)."""
    if pd.api.types.is_bool_dtype(column.dtype) and not column.isna().any():
        return column.to_numpy(dtype=object), []
    values = np.empty(len(column), dtype=object)
    problems: Problems = []
    for k, cell in enumerate(column):
        if isinstance(cell, bool | np.bool_):
            values[k] = bool(cell)
            continue
        word = text(cell).lower()
        values[k] = True if word in TRUE else False if word in FALSE else None
        if word and values[k] is None:
            problems.append((k, f"{word!r} is not yes/no (expected true/false, ja/nej or 1/0)"))
    return values, problems


def lists(column: pd.Series, sep: str, name: str) -> tuple[np.ndarray, Problems]:
    """A list column (udvalg "SU/KFU", goals "a;b"): a tuple of names per row."""
    values = np.empty(len(column), dtype=object)
    problems: Problems = []
    for k, cell in enumerate(column):
        if isinstance(cell, tuple) and all(isinstance(p, str) and p and p == p.strip() for p in cell):
            values[k] = cell
            continue
        joined = sep.join(text(p) for p in cell) if isinstance(cell, list | tuple | np.ndarray) else text(cell)
        parts = [part.strip() for part in joined.split(sep)] if joined else []
        if any(not part for part in parts):
            problems.append((k, f"{joined!r} has an empty entry (entries are separated by {sep!r})"))
        values[k] = tuple(part for part in parts if part)
    return values, problems


def stars(column: pd.Series) -> tuple[np.ndarray, Problems]:
    """Evidence stars 0-3; "*", "**", "***" count their stars; NaN where not rated."""
    cells = column.map(lambda v: str(len(v.strip())) if isinstance(v, str) and set(v.strip()) == {"*"} else v)
    values, problems = _finite(cells)
    problems = [
        (k, m.replace("is not a number", "is not a star count (expected 0-3, or *, **, ***)")) for k, m in problems
    ]
    bad = ~np.isnan(values) & ~np.isin(values, (0.0, 1.0, 2.0, 3.0))
    for k in np.flatnonzero(bad):
        problems.append((int(k), f"{values[k]:g} is outside 0-3 (stars)"))
        values[k] = np.nan
    return values, problems


def asks(column: pd.Series) -> tuple[np.ndarray, Problems]:
    """Per-year asks ((year, kroner), ...): from tuples of pairs, a {year: kr} dict or text "2021=150000; 2022=0"."""
    values = np.empty(len(column), dtype=object)
    problems: Problems = []
    for k, cell in enumerate(column):
        pairs: list[tuple[object, object]]
        if isinstance(cell, dict):
            pairs = list(cell.items())
        elif isinstance(cell, tuple | list):
            pairs = [tuple(p) if isinstance(p, tuple | list) and len(p) == 2 else (p, None) for p in cell]
        else:
            pairs = [
                tuple(part.split("=", 1)) if "=" in part else (part, None)
                for part in text(cell).split(";")
                if part.strip()
            ]
        parsed, problem = _year_amounts(pairs)
        values[k] = parsed
        if problem:
            problems.append((k, problem))
    return values, problems


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
