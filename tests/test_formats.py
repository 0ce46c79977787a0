"""Danish number formats and the one registry of column kinds that every output reads."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import optimizer
from optimizer import numbers
from optimizer.formats import (
    COLUMN_KINDS,
    EXCEL_FORMATS,
    Kind,
    column_kind,
    format_as,
    format_count,
    format_kr,
    format_number,
    format_percent,
    format_share,
    format_year,
    is_missing,
    kind_of,
)
from optimizer.numbers import parse_number


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(4786.1294, "4.786,13", id="thousands-and-decimals"),
        pytest.param(0.5, "0,50", id="below-one"),
        pytest.param(-1234.5, "-1.234,50", id="negative"),
        pytest.param(-0.001, "0,00", id="no-negative-zero"),
        pytest.param(1_234_567_890.0, "1.234.567.890,00", id="billions"),
        pytest.param(math.inf, "∞", id="infinite"),
        pytest.param(math.nan, "–", id="missing"),
        pytest.param(np.float32(2.5), "2,50", id="numpy-float"),
    ],
)
def test_format_number(value: float, expected: str) -> None:
    assert format_number(value) == expected


@pytest.mark.parametrize(("value", "expected"), [(3.0, "3"), (1.5, "1,5"), (0.25, "0,25"), (1000.0, "1.000")])
def test_format_number_trim(value: float, expected: str) -> None:
    assert format_number(value, trim=True) == expected


@pytest.mark.parametrize(
    ("formatter", "value", "expected"),
    [
        pytest.param(format_share, 0.4, "40 %", id="share"),
        pytest.param(format_share, 0.8266, "83 %", id="share-rounds"),
        pytest.param(format_share, 1.0, "100 %", id="share-whole"),
        pytest.param(format_percent, 113.33, "113 %", id="percent"),
        pytest.param(format_count, 10_000.4, "10.000", id="count"),
        pytest.param(format_year, 2021, "2021", id="year-without-dot"),
        pytest.param(format_kr, 1_234_567, "1.234.567 kr.", id="kroner"),
        pytest.param(format_kr, np.int64(250_000), "250.000 kr.", id="kroner-numpy"),
        pytest.param(format_kr, -22_000.0, "-22.000 kr.", id="kroner-negative"),
    ],
)
def test_formatters(formatter, value: float, expected: str) -> None:
    assert formatter(value) == expected


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_format_kr_round_trips_through_parse_number(amount: int) -> None:
    assert parse_number(format_kr(amount)) == amount


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_format_number_reads_back_as_the_rounded_value(value: float) -> None:
    text = format_number(value)
    assert math.isclose(float(text.replace(".", "").replace(",", ".")), round(value, 2), abs_tol=0.006)


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        pytest.param("value_per_100k", Kind.VALUE, id="per-100k-is-a-value-not-kroner"),  # defect: shown as "53 kr."
        pytest.param("needed_value_per_100k", Kind.VALUE, id="needed-per-100k"),
        pytest.param("next_100k_value", Kind.VALUE, id="what-the-next-100k-buy"),
        pytest.param("rate_per_100k", Kind.VALUE, id="rate-at-the-margin"),
        pytest.param("amount_kr", Kind.KRONER, id="amount"),
        pytest.param("amount_kr_2021", Kind.KRONER, id="year-amount"),
        pytest.param("ask_kr_2022", Kind.KRONER, id="year-ask"),
        pytest.param("point_0", Kind.KRONER, id="frontier-point-amount"),
        pytest.param("budget_per_year_kr", Kind.KRONER, id="sweep-budget"),
        pytest.param("expected_kr", Kind.KRONER, id="expected-value-plan"),
        pytest.param("robust_kr", Kind.KRONER, id="robust"),
        pytest.param("change", Kind.KRONER, id="change"),
        pytest.param("funded_share", Kind.SHARE, id="funded-share"),
        pytest.param("core_index", Kind.SHARE, id="core-index"),
        pytest.param("reach", Kind.COUNT, id="reach"),
        pytest.param("year", Kind.YEAR, id="year"),
        pytest.param("udvalg", Kind.TEXT, id="udvalg"),
        pytest.param("rise_pct", Kind.PERCENT, id="rise"),
    ],
)
def test_column_kinds(key: str, kind: Kind) -> None:
    assert kind_of(key) is kind


@pytest.mark.parametrize("key", ["value_per_100k_kr", "per_100k_kr"])
def test_an_unknown_key_ending_in_kr_is_not_taken_for_kroner(key: str) -> None:
    """Keys the outputs no longer write (per_100k_kr held a value) are not registered, and their name's ending
    does not make them kroner: a float column of them is a value."""
    assert kind_of(key) is None
    assert column_kind(key, pd.Series([53.33])) is Kind.VALUE


@pytest.mark.parametrize("key", ["needed_per_100k", "marginal_per_100k", "budget_kr", "robust_objective"])
def test_the_old_keys_are_no_longer_registered(key: str) -> None:
    """The outputs write needed_value_per_100k, next_100k_value, budget_per_year_kr and robust_cvar now; a stale
    key left in the registry would format a column nobody writes."""
    assert key not in COLUMN_KINDS


@pytest.mark.parametrize(
    ("values", "kind"),
    [([1.5, 2.0], Kind.VALUE), ([1, 2], Kind.COUNT), (["a", "b"], Kind.TEXT), ([True, False], Kind.TEXT)],
    ids=["float", "int", "text", "bool"],
)
def test_unregistered_columns_go_by_dtype(values: list, kind: Kind) -> None:
    assert column_kind("unregistered", pd.Series(values)) is kind


def test_every_kind_but_text_has_an_excel_format() -> None:
    assert set(EXCEL_FORMATS) == set(Kind) - {Kind.TEXT}
    assert "kr." in EXCEL_FORMATS[Kind.KRONER] and "%" in EXCEL_FORMATS[Kind.SHARE]
    assert all(kind in Kind for kind in COLUMN_KINDS.values())


@pytest.mark.parametrize("value", [None, math.nan, pd.NA, pd.NaT, np.nan, np.datetime64("NaT")])
def test_missing_values(value: object) -> None:
    assert is_missing(value)
    assert format_as(value, Kind.KRONER) == ""


@pytest.mark.parametrize("value", [0, 0.0, "", "x", False, [1]])
def test_present_values(value: object) -> None:
    assert not is_missing(value)


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        (53.33, Kind.VALUE, "53,33"),
        (150_000.0, Kind.KRONER, "150.000"),
        (0.83, Kind.SHARE, "83 %"),
        ("=cmd", Kind.TEXT, "=cmd"),
        (["a", "b"], Kind.TEXT, "a, b"),
        (True, Kind.COUNT, "True"),
    ],
)
def test_format_as(value: object, kind: Kind, expected: str) -> None:
    assert format_as(value, kind) == expected


def test_format_as_kroner_with_unit() -> None:
    assert format_as(150_000, Kind.KRONER, unit=True) == "150.000 kr."
    assert format_as("not a number", Kind.KRONER, unit=True) == "not a number"  # text under a kroner key


def test_the_formatters_are_exported_for_notebook_users() -> None:
    assert optimizer.format_kr(1500) == "1.500 kr."
    assert optimizer.format_number(4786.1294) == "4.786,13"
    assert optimizer.format_share(0.4) == "40 %"
    assert numbers.format_kr is format_kr  # the core's old import path keeps working
