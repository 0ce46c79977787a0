"""Figures per indsats and year in long format (id, year, kroner): decided allocations such as the baseline
(`amount_kr`), and what each indsats asks for in each year (`cost_kr`, the per-year asks)."""

from __future__ import annotations

import math
import reprlib
from pathlib import Path

import pandas as pd

from optimizer.errors import CatalogError, Problem
from optimizer.limits import MAX_KR, MAX_YEAR, MIN_YEAR
from optimizer.numbers import NumberFormatError, format_kr, parse_number
from optimizer.tables import read_table

AMOUNT_SHEETS = ("tilskud", "allocation", "amounts")
ASK_SHEETS = ("asks", "ansøgt", "ansoegt")


def load_amounts(path: str | Path, *, catalog: pd.DataFrame | None = None, sheet: str | None = None) -> pd.DataFrame:
    """Load an allocation file (columns id, year, amount_kr; source, quote, note optional).

    With `catalog`, every id must be one of its indsatser. An (id, year) pair not listed gets 0 kr.
    """
    return _load_long(path, "amount_kr", catalog=catalog, sheet=sheet, preferred=AMOUNT_SHEETS, what="grant")


def load_asks(path: str | Path, *, catalog: pd.DataFrame | None = None, sheet: str | None = None) -> pd.DataFrame:
    """Load per-year asks (columns id, year, cost_kr: the indsats's full-scale cost in that year; source,
    quote optional). 0 means it asks for nothing that year; a year not listed falls back to cost_kr."""
    return _load_long(path, "cost_kr", catalog=catalog, sheet=sheet, preferred=ASK_SHEETS, what="ask")


def _load_long(
    path: str | Path,
    value_column: str,
    *,
    catalog: pd.DataFrame | None,
    sheet: str | None,
    preferred: tuple[str, ...],
    what: str,
) -> pd.DataFrame:
    table = read_table(path, sheet=sheet, preferred=preferred)
    problems = [
        Problem(f"missing column {name!r}", row=1) for name in ("id", "year", value_column) if name not in table.header
    ]
    if problems:
        raise CatalogError(table.origin, problems)
    known = set(catalog["id"]) if catalog is not None else None
    records: list[dict[str, object]] = []
    seen: dict[tuple[str, int], int] = {}
    for number, row in table.rows:
        indsats_id = str(row.get("id") or "").strip()
        if not indsats_id:
            problems.append(Problem("empty id", number, "id"))
        elif known is not None and indsats_id not in known:
            problems.append(Problem(f"id {indsats_id!r} is not in the catalog", number, "id", indsats_id))
        year = _year(row.get("year"), number, problems)
        amount = _amount(row.get(value_column), number, value_column, what, problems)
        if indsats_id and year is not None:
            key = (indsats_id, year)
            if key in seen:
                problems.append(Problem(f"{indsats_id} {year} is listed twice (also row {seen[key]})", number, "year"))
            seen[key] = number
        records.append({"id": indsats_id, "year": year, value_column: amount})
    if problems:
        raise CatalogError(table.origin, problems)
    return pd.DataFrame.from_records(records, columns=["id", "year", value_column])


def _year(value: object, number: int, problems: list[Problem]) -> int | None:
    try:
        year = parse_number(value)
    except NumberFormatError:
        year = math.nan
    if math.isnan(year) or not year.is_integer() or not MIN_YEAR <= year <= MAX_YEAR:
        problems.append(Problem(f"{reprlib.repr(value)} is not a year (four digits, e.g. 2022)", number, "year", value))
        return None
    return int(year)


def _amount(value: object, number: int, column: str, what: str, problems: list[Problem]) -> float:
    try:
        amount = parse_number(value)
    except NumberFormatError as exc:
        problems.append(Problem(str(exc), number, column, value))
        return math.nan
    if math.isnan(amount) or amount < 0:
        problems.append(Problem(f"{column} must be a non-negative amount (0 for no {what})", number, column, value))
    elif amount > MAX_KR:
        message = f"{amount:g} is above {format_kr(MAX_KR)}, the most pulje accepts"
        problems.append(Problem(message, number, column, value))
    elif amount != round(amount):
        problems.append(Problem(f"{value} is not whole kroner", number, column, value))
    return amount
