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


def check_number(value: object, what: str, *, high: float, low: float = 0.0) -> float:
    """`value` as a float if it is a finite real number in [low, high]; else ValueError saying why.

    numpy numbers are accepted; the message shows the value as given.
    """
    if not is_real(value):
        raise ValueError(f"{what} must be a number, got {value!r}")
    number = float(value)  # type: ignore[arg-type]
    if math.isnan(number) or math.isinf(number):
        raise ValueError(f"{what} must be a finite number, got {value}")
    if number < low or number > high:
        raise ValueError(f"{what} must be between {low:g} and {high:g}, got {value}")
    return number
