"""How every number a person reads is written: the kind of each column, declared once, and Danish formats.

A column is formatted by what it *is* (kroner, a value, a share, a count, a year, text), never by its
name's ending: "Værdi pr. 100.000 kr." is a value, not an amount. The Excel writer, the CLI's text
tables and the notebook display all read `COLUMN_KINDS`; the Danish text formats are `1.234.567 kr.`,
`4.786,13`, `40 %` and `1.234`. No pandas here, so importing it is cheap.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from enum import Enum
from typing import TypeGuard

MISSING_TEXT = "–"  # what a missing number reads as in text (the Excel writer leaves the cell empty)


class Kind(Enum):
    """What a column holds, which decides how it is written."""

    KRONER = "kroner"  # an amount of money: 1.234.567 kr.
    VALUE = "value"  # a value of the objective (or a weight): 4.786,13
    SHARE = "share"  # a fraction 0..1 shown as a percentage: 40 %
    PERCENT = "percent"  # a number already in percent: 113 %
    COUNT = "count"  # people, stars: 1.234
    YEAR = "year"  # 2021, never 2.021
    TEXT = "text"


_KRONER = (
    "cost_kr", "min_kr", "max_kr", "setup_kr", "amount_kr", "allocated_kr", "pulje_kr", "fixed_kr", "unused_kr",
    "budget_per_year_kr", "change", "entry_kr", "enters_at_kr", "mean_kr", "sd_kr", "p05_kr", "p50_kr", "p95_kr",
    "expected_kr", "robust_kr", "bound",
)  # fmt: skip
_VALUES = (
    "value", "objective", "value_per_100k", "needed_value_per_100k", "next_100k_value", "rate_per_100k",
    "next_100k_buys", "value_a", "value_b", "epsilon", "weight", "intensity", "expected_value", "robust_cvar",
    "expected_plan_cvar", "objective_mean",
)  # fmt: skip
_COUNTS = ("reach", "reach_min", "reach_max", "reach_used", "reached", "stars", "draws", "point")
_TEXT = (
    "id", "name", "udvalg", "goals", "goal", "title", "status", "run", "label", "note", "constraint", "kind",
    "about", "reach_unit", "source", "quote", "requires", "focus_area", "derivation", "entered", "left",
)  # fmt: skip
COLUMN_KINDS: dict[str, Kind] = {
    **dict.fromkeys(_KRONER, Kind.KRONER),
    **dict.fromkeys(_VALUES, Kind.VALUE),
    **dict.fromkeys(("funded_share", "core_index", "share"), Kind.SHARE),
    "rise_pct": Kind.PERCENT,
    **dict.fromkeys(_COUNTS, Kind.COUNT),
    "year": Kind.YEAR,
    **dict.fromkeys(_TEXT, Kind.TEXT),
}

# Excel number formats per kind. [$-406] is the Danish locale, so LibreOffice shows 1.234.567 kr. whatever
# the machine's language; Excel uses the reader's own separators (Danish on a Danish machine).
EXCEL_FORMATS: dict[Kind, str] = {
    Kind.KRONER: '[$-406]#,##0 "kr."',
    Kind.VALUE: "[$-406]#,##0.00",
    Kind.SHARE: "[$-406]0 %",
    Kind.PERCENT: '[$-406]0" %"',
    Kind.COUNT: "[$-406]#,##0",
    Kind.YEAR: "0",
}


def kind_of(key: object, default: Kind | None = None) -> Kind | None:
    """The kind of a column by its key; the year columns amount_kr_2021 … are kroner; else `default`."""
    key = str(key)
    if key in COLUMN_KINDS:
        return COLUMN_KINDS[key]
    if key.startswith(("amount_kr_", "ask_kr_", "point_")):
        return Kind.KRONER
    return default


def column_kind(key: object, column: object = None) -> Kind:
    """The kind of a column: by its key in the registry, else by its dtype (floats are values, whole
    numbers counts, anything else text)."""
    kind = kind_of(key)
    if kind is not None:
        return kind
    dtype_kind: object = getattr(getattr(column, "dtype", None), "kind", None)  # numpy's codes; pandas' have them
    return _DTYPE_KINDS.get(dtype_kind, Kind.TEXT)


_DTYPE_KINDS: dict[object, Kind] = {"f": Kind.VALUE, "i": Kind.COUNT, "u": Kind.COUNT}


def is_missing(value: object) -> bool:
    """True for None, NaN, pandas' NA and NaT: the values every output writes as an empty cell."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN and NaT differ from themselves
    except TypeError:  # pandas.NA: a comparison gives NA, which has no truth value
        return True


def _present(value: float | None) -> TypeGuard[float]:
    """Not missing, so a number (NaN counts as missing); tells the type checker so too."""
    return not is_missing(value)


def _grouped(number: float, decimals: int) -> str:
    """1234567.891 -> "1.234.567,89": dots between thousands, a decimal comma."""
    if math.isinf(number):
        return "∞" if number > 0 else "-∞"
    text = f"{number:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def _rounded(value: float, decimals: int) -> float:
    number = float(value)
    return number if math.isinf(number) else round(number, decimals) + 0.0  # + 0.0 turns -0 into 0


def format_kr(amount: float | None, *, unit: str = " kr.") -> str:
    """Kroner the Danish way, to the whole krone: 1234567 -> "1.234.567 kr."; missing -> "–"."""
    if not _present(amount):
        return MISSING_TEXT
    return _grouped(_rounded(amount, 0), 0) + unit


def format_number(value: float | None, decimals: int = 2, *, trim: bool = False) -> str:
    """A value the Danish way: 4786.1294 -> "4.786,13" (a Danish reader takes "4,786.13" for about 4,8);
    with `trim`, without trailing zeros (a weight of 1.5 -> "1,5", of 3 -> "3")."""
    if not _present(value):
        return MISSING_TEXT
    text = _grouped(_rounded(value, decimals), decimals)
    return text.rstrip("0").rstrip(",") if trim and "," in text else text


def format_share(share: float | None, decimals: int = 0) -> str:
    """A fraction as a Danish percentage: 0.4 -> "40 %"."""
    return f"{format_number(float(share) * 100, decimals)} %" if _present(share) else MISSING_TEXT


def format_percent(percent: float | None) -> str:
    """A number already in percent: 113.33 -> "113 %"."""
    return MISSING_TEXT if is_missing(percent) else f"{format_number(percent, 0)} %"


def format_count(count: float | None) -> str:
    """A count, whole: 10000 -> "10.000"."""
    return format_number(count, 0)


def format_year(year: object) -> str:
    """A year as it is written: 2021 (no thousands dot)."""
    if is_missing(year):
        return ""
    return str(int(year)) if _is_number(year) else str(year)


_TEXT_FORMATS: dict[Kind, Callable[[float], str]] = {
    Kind.KRONER: lambda v: format_kr(v, unit=""),
    Kind.VALUE: format_number,
    Kind.SHARE: format_share,
    Kind.PERCENT: format_percent,
    Kind.COUNT: format_count,
    Kind.YEAR: format_year,
}


def format_as(value: object, kind: Kind | None, *, unit: bool = False) -> str:
    """A cell as text by its kind (kroner without " kr." unless `unit`, as a table's header names the unit);
    missing values are empty, text is kept as it is."""
    if is_missing(value):
        return ""
    if kind in _TEXT_FORMATS and _is_number(value):
        return format_kr(value) if kind is Kind.KRONER and unit else _TEXT_FORMATS[kind](value)
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value)


def _is_number(value: object) -> TypeGuard[float]:
    """A real number, numpy's included (typed as float: each converts to one); a yes/no value is not one."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)
