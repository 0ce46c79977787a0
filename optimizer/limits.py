"""The sane ranges every number from a user must lie in, checked where it enters (API, TOML, CLI, files).

A number outside them is refused with a message naming it, rather than reaching the solver as
infinity, NaN or a figure so large that the solver's arithmetic breaks down.
"""

from __future__ import annotations

import math
import numbers

MAX_KR = 1e12  # 1.000 mia. kr.: far above any municipal pulje, far below where float kroner lose whole kroner
MAX_REACH = 1e9  # people (or other units) reached per year
MAX_WEIGHT = 1e6  # goal weights, the evidence weight, intensity
MAX_SHARE = 1.0


def is_real(value: object) -> bool:
    """True for an int or float (numpy numbers included) that is not a bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_number(value: object, what: str, *, high: float, low: float = 0.0, noun: str = "number") -> float:
    """`value` as a float if it is a finite real number in [low, high]; else ValueError saying why.

    noun says what is expected ("amount in kroner", "share between 0 and 1"). numpy numbers are accepted;
    the message shows the value as given.
    """
    shown = value.item() if hasattr(value, "item") and is_real(value) else value
    if not is_real(value):
        raise ValueError(f"{what} must be a non-negative {noun}, got {value!r}")
    number = float(value)  # type: ignore[arg-type]
    if math.isnan(number) or math.isinf(number):
        raise ValueError(f"{what} must be a finite {noun}, got {shown}")
    if number < low:
        raise ValueError(f"{what} must be a non-negative {noun}, got {shown}" if low == 0 else
                         f"{what} must be at least {low:g}, got {shown}")  # fmt: skip
    if number > high:
        limit = f"{high:,.0f}".replace(",", ".") if high >= 1000 else f"{high:g}"
        raise ValueError(f"{what} must be a {noun} of at most {limit}, got {shown}")
    return number
