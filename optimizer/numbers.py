"""Danish number formats: parse cells such as "1.234.567 kr." or "0,5 mio.", find numbers in a quote."""

from __future__ import annotations

import math
import re

from optimizer.formats import format_count
from optimizer.formats import format_kr as format_kr  # re-exported: the core formats kroner from here

_MULTIPLIERS = {"mio": 1e6, "mia": 1e9, "t": 1e3, "tkr": 1e3}
_SUFFIX = re.compile(r"\s*(mio|mia|tkr|t)\.?\s*(kr\.?)?\s*$|\s*kr\.?\s*$", re.IGNORECASE)
_DANISH_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")
_PLAIN = re.compile(r"^\d+(,\d+)?$")
_MACHINE_DECIMAL = re.compile(r"^\d+\.\d+$")
_ENGLISH = re.compile(r"^\d{1,3}(,\d{3})+\.\d+$")
# A number in running text: 1.234.567 / 2,5 / 350, optionally followed by "mio."/"mia.".
_IN_TEXT = re.compile(r"(?<![\d.,])(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?:\s*(mio|mia)\b\.?)?")
_NUMBER_WORDS = {
    "en": 1, "et": 1, "én": 1, "ét": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6,
    "syv": 7, "otte": 8, "ni": 9, "ti": 10, "elleve": 11, "tolv": 12,
}  # fmt: skip


class NumberFormatError(ValueError):
    """A cell that is not a number in any format pulje accepts; the message says what is expected."""


def parse_number(value: object) -> float:
    """Return the number a cell holds, reading Danish formats; NaN for an empty cell.

    Accepted: 1234567, 1234567.0, "1.234.567", "1 234 567", "1.234.567,50", "2,5", "0,5 mio.",
    "1,2 mio. kr.", "150 t.kr.", "550.000 kr.". A dot followed by exactly three digits is a
    thousands separator (Danish), so "1.500" is fifteen hundred; a comma is the decimal mark.
    Infinity, and numbers too large to compute with (a 400-digit cost), are refused.
    """
    if value is None:
        return math.nan
    if isinstance(value, bool):
        raise NumberFormatError(f"{value!r} is a yes/no value, not a number")
    if isinstance(value, int | float):
        return _finite(value, value)
    text = str(value).strip().replace("\u00a0", " ")
    if not text or text.lower() == "nan":
        return math.nan
    multiplier = 1.0
    match = _SUFFIX.search(text)
    if match:
        unit = (match.group(1) or "").lower()
        multiplier = _MULTIPLIERS.get(unit, 1.0)
        text = text[: match.start()].strip()
    if text in {"-", "–"}:
        raise NumberFormatError(
            f"{brief(value)} is not a number: write 0 for no money, or leave the cell empty if unknown"
        )
    negative = text.startswith("-")
    if negative:
        text = text[1:].strip()
    text = re.sub(r"(?<=\d) (?=\d{3}\b)", ".", text)  # "1 234 567" -> "1.234.567"
    if _DANISH_THOUSANDS.match(text):
        number = float(text.replace(".", "").replace(",", "."))
    elif _PLAIN.match(text):
        number = float(text.replace(",", "."))
    elif _MACHINE_DECIMAL.match(text):
        number = float(text)
    elif _ENGLISH.match(text):
        raise NumberFormatError(
            f"{brief(value)} looks English-formatted; write it the Danish way (1.234,50) or plain (1234.5)"
        )
    else:
        raise NumberFormatError(
            f"{brief(value)} is not a number (expected e.g. 150000, 150.000, 150.000 kr. or 0,15 mio.)"
        )
    return _finite((-number if negative else number) * multiplier, value)


def _finite(number: float, value: object) -> float:
    """`number` as a float unless it is infinite or too large to be one: NumberFormatError saying so.

    NaN passes: it is how pandas marks an empty cell.
    """
    try:
        result = float(number)
    except OverflowError:
        result = math.inf
    if math.isinf(result):
        raise NumberFormatError(f"{brief(value)} is infinite or too large to compute with")
    return result


def brief(value: object) -> str:
    """A value as the user gave it, for a message: text in quotes, numbers (numpy's too) plain, a long one cut
    to its first characters and its length."""
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        value = value.item()
    try:
        text = value if isinstance(value, str) else str(value)
    except ValueError:  # an int of more than 4300 digits
        return "a number of more than 4300 digits"
    quoted = repr if isinstance(value, str) else str
    return quoted(text) if len(text) <= 40 else f"{quoted(text[:20])}… ({len(text)} characters)"


def numbers_in(text: str) -> set[float]:
    """All numbers written in a piece of Danish text, with "mio."/"mia." applied and number words.

    Used to check that the figures of a catalog row occur in the quote they come from.
    """
    found: set[float] = set()
    for match in _IN_TEXT.finditer(text):
        digits, unit = match.group(1), match.group(2)
        number = float(digits.replace(".", "").replace(",", "."))
        found.add(number * _MULTIPLIERS[unit.lower()] if unit else number)
    for word in re.findall(r"\w+", text.lower()):
        if word in _NUMBER_WORDS:
            found.add(float(_NUMBER_WORDS[word]))
    return found


def format_whole(value: float, unit: str = "") -> str:
    """A count or size, rounded, with Danish thousands separators: 200000 -> "200.000"; unit appended."""
    return format_count(value) + unit
