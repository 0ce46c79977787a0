"""Allocations given as data, such as the decided baseline: long format with id, year, amount_kr."""

from __future__ import annotations

import math
import reprlib
from pathlib import Path

import pandas as pd

from optimizer.errors import CatalogError, Problem
from optimizer.limits import MAX_KR, MAX_YEAR, MIN_YEAR
from optimizer.numbers import NumberFormatError, format_kr, parse_number
from optimizer.tables import read_table


def load_amounts(path: str | Path, *, catalog: pd.DataFrame | None = None, sheet: str | None = None) -> pd.DataFrame:
    """Load an allocation file (columns id, year, amount_kr; source, quote, note optional).

    With `catalog`, every id must be one of its indsatser. An (id, year) pair not listed gets 0 kr.
    """
    table = read_table(path, sheet=sheet, preferred=("tilskud", "allocation", "amounts"))
    problems = [
        Problem(f"missing column {name!r}", row=1) for name in ("id", "year", "amount_kr") if name not in table.header
    ]
    if problems:
        raise CatalogError(table.origin, problems)
    known = set(catalog["id"]) if catalog is not None else None
    records, seen = [], {}
    for number, row in table.rows:
        indsats_id = str(row.get("id") or "").strip()
        if not indsats_id:
            problems.append(Problem("empty id", number, "id"))
        elif known is not None and indsats_id not in known:
            problems.append(Problem(f"id {indsats_id!r} is not in the catalog", number, "id", indsats_id))
        year = _year(row.get("year"), number, problems)
        amount = _amount(row.get("amount_kr"), number, problems)
        key = (indsats_id, year)
        if indsats_id and year is not None:
            if key in seen:
                problems.append(Problem(f"{indsats_id} {year} is listed twice (also row {seen[key]})", number, "year"))
            seen[key] = number
        records.append({"id": indsats_id, "year": year, "amount_kr": amount})
    if problems:
        raise CatalogError(table.origin, problems)
    return pd.DataFrame.from_records(records, columns=["id", "year", "amount_kr"])


def _year(value: object, number: int, problems: list[Problem]) -> int | None:
    try:
        year = parse_number(value)
    except NumberFormatError:
        year = math.nan
    if math.isnan(year) or not year.is_integer() or not MIN_YEAR <= year <= MAX_YEAR:
        problems.append(Problem(f"{reprlib.repr(value)} is not a year (four digits, e.g. 2022)", number, "year", value))
        return None
    return int(year)


def _amount(value: object, number: int, problems: list[Problem]) -> float:
    try:
        amount = parse_number(value)
    except NumberFormatError as exc:
        problems.append(Problem(str(exc), number, "amount_kr", value))
        return math.nan
    if math.isnan(amount) or amount < 0:
        problems.append(Problem("amount_kr must be a non-negative amount (0 for no grant)", number, "amount_kr", value))
    elif amount > MAX_KR:
        message = f"{amount:g} is above {format_kr(MAX_KR)}, the most pulje accepts"
        problems.append(Problem(message, number, "amount_kr", value))
    return amount
