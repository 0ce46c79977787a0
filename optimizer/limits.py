"""The sane ranges every number from a user must lie in, and the caps on how much work one input may cause.

A number outside them is refused with a message naming it, rather than reaching the solver as
infinity, NaN or a figure so large that the solver's arithmetic breaks down. A file or a run beyond a
cap is refused with the cap named, rather than taking the machine's memory or hours of time. The run
caps can be raised per command (`--max-points`, `--max-draws`); README.md ("Limits") lists them all.
"""

from __future__ import annotations

import math
import numbers
from typing import TypeGuard

from optimizer.numbers import brief, format_whole

# --- numbers ---------------------------------------------------------------------------------------
MAX_KR = 1e12  # 1.000 mia. kr.: far above any municipal pulje, far below where float kroner lose whole kroner
MAX_REACH = 1e9  # people (or other units) reached per year
MAX_WEIGHT = 1e6  # goal weights, the evidence weight, intensity
MAX_SHARE = 1.0
MAX_SPREAD = 10.0  # a relative standard deviation (robustness' goal_weight_sd): 1000 %
MIN_YEAR, MAX_YEAR = 1000, 9999  # a budget year is written with four digits

# --- input files -----------------------------------------------------------------------------------
MAX_FILE_BYTES = 200_000_000  # any input file (catalog, goals, allocation) on disk
MAX_SCENARIO_BYTES = 10_000_000  # a scenario TOML file: a few kilobytes in practice
MAX_UNPACKED_BYTES = 300_000_000  # a workbook's parts together, as its zip declares them unpacked
MAX_ROWS = 200_000  # rows of one sheet or CSV file
MAX_COLUMNS = 1_000  # columns of one sheet or CSV file

# --- runs (adjustable per command) -----------------------------------------------------------------
MAX_SWEEP_POINTS = 1_000  # budgets in one sweep (`pulje sweep --max-points`)
MAX_FRONTIER_POINTS = 1_000  # ε-steps of one frontier (`pulje frontier --max-points`)
MAX_DRAWS = 100_000  # Monte Carlo draws of one robustness run (`pulje robustness --max-draws`)


def is_real(value: object) -> TypeGuard[float]:
    """True for an int or float (numpy numbers included, typed as float: each converts to one) that is not a
    bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_number(value: object, what: str, *, high: float, low: float = 0.0, noun: str = "number") -> float:
    """`value` as a float if it is a finite real number in [low, high]; else ValueError saying why.

    noun says what is expected ("amount in kroner", "share between 0 and 1"). numpy numbers are accepted;
    the message shows the value as given.
    """
    shown = brief(value)
    a = "an" if noun[:1] in "aeiou" else "a"
    if not is_real(value):
        raise ValueError(f"{what} must be a non-negative {noun}, got {shown}")
    try:
        number = float(value)
    except OverflowError:  # an int with hundreds of digits
        raise ValueError(
            f"{what} must be {a} {noun} of at most {_limit(high)}, got a number too large to compute with"
        ) from None
    if math.isnan(number) or math.isinf(number):
        raise ValueError(f"{what} must be a finite {noun}, got {shown}")
    if number < low:
        raise ValueError(f"{what} must be a non-negative {noun}, got {shown}" if low == 0 else
                         f"{what} must be at least {low:g}, got {shown}")  # fmt: skip
    if number > high:
        raise ValueError(f"{what} must be {a} {noun} of at most {_limit(high)}, got {shown}")
    return number


def check_year(value: object, what: str) -> int:
    """`value` as a year if it is a whole number (or a string of ASCII digits) from MIN_YEAR to MAX_YEAR."""
    number: object = value
    if isinstance(value, str):
        text = value.strip()
        number = int(text) if text.isascii() and text.isdigit() and len(text) <= len(str(MAX_YEAR)) else None
    if not is_real(number) or not MIN_YEAR <= number <= MAX_YEAR or number != int(number):
        raise ValueError(f"{what} must be a year ({MIN_YEAR}-{MAX_YEAR}), got {brief(value)}")
    return int(number)


def check_count(value: int, what: str, *, cap: int, flag: str = "") -> int:
    """`value` if it is a whole number from 1 to `cap`; else ValueError naming the cap (and the flag raising it)."""
    if value < 1:
        raise ValueError(f"{what} must be at least 1, got {value}")
    if value > cap:
        raise_it = f" (pass {flag} {value} if you mean it)" if flag else ""
        raise ValueError(f"{what} is {value}, more than the limit of {format_whole(cap)}{raise_it}")
    return value


def _limit(high: float) -> str:
    return format_whole(high) if high >= 1000 else f"{high:g}"
