"""Tests for optimizer.numbers: Danish number cells, numbers in running text, kroner formatting."""

from __future__ import annotations

import math

import pytest

from optimizer.numbers import NumberFormatError, format_kr, numbers_in, parse_number


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        pytest.param("1.234.567", 1_234_567, id="danish-thousands"),
        pytest.param("1.234.567 kr.", 1_234_567, id="danish-thousands-kr"),
        pytest.param("550.000 kr", 550_000, id="kr-without-dot"),
        pytest.param("1.234.567,50", 1_234_567.5, id="danish-thousands-decimals"),
        pytest.param("0,5 mio.", 500_000, id="mio"),
        pytest.param("0,5 mio. kr.", 500_000, id="mio-kr"),
        pytest.param("1,2 mio.kr.", 1_200_000, id="mio-kr-no-space"),
        pytest.param("4,4 mio.", 4_400_000, id="mio-4.4"),
        pytest.param("2 mia.", 2_000_000_000, id="mia"),
        pytest.param("150 t.kr.", 150_000, id="t-kr"),
        pytest.param("1 234 567", 1_234_567, id="space-thousands"),
        pytest.param("1\u00a0234\u00a0567", 1_234_567, id="nbsp-thousands"),
        pytest.param("2,5", 2.5, id="decimal-comma"),
        pytest.param("1.500", 1500, id="dot-three-digits-is-thousands"),
        pytest.param("0.5", 0.5, id="machine-decimal"),
        pytest.param("12.5", 12.5, id="machine-decimal-two-digits"),
        pytest.param("  350  ", 350, id="padded"),
        pytest.param("-5", -5, id="negative-parses"),
        pytest.param(150000, 150_000, id="int"),
        pytest.param(0.25, 0.25, id="float"),
        pytest.param(0, 0, id="zero-int"),
    ],
)
def test_parse_number_accepts(cell: object, expected: float) -> None:
    assert parse_number(cell) == expected


@pytest.mark.parametrize(
    "cell",
    [
        pytest.param("", id="empty"),
        pytest.param("   ", id="blank"),
        pytest.param(None, id="none"),
        pytest.param("nan", id="nan-text"),
        pytest.param(math.nan, id="nan-float"),
    ],
)
def test_parse_number_empty_is_nan(cell: object) -> None:
    assert math.isnan(parse_number(cell))


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        pytest.param("1,234.50", r"English.*Danish way", id="english-format"),
        pytest.param("12x", r"'12x' is not a number.*expected", id="trailing-letter"),
        pytest.param("ca. 5", r"'ca. 5' is not a number", id="circa"),
        pytest.param("-", r"write 0 for no money.*empty", id="dash"),
        pytest.param("–", r"write 0 for no money", id="en-dash"),
        pytest.param("mange", r"'mange' is not a number", id="word"),
        pytest.param(True, r"yes/no", id="bool"),
    ],
)
def test_parse_number_rejects(cell: object, message: str) -> None:
    with pytest.raises(NumberFormatError, match=message):
        parse_number(cell)


def test_number_format_error_is_value_error() -> None:
    assert issubclass(NumberFormatError, ValueError)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Min. 350 borgere til 4,4 mio. kr.", {350, 4_400_000}, id="mio-in-text"),
        pytest.param("Oversigt (1,7 mio.kr.)", {1_700_000}, id="mio-kr-no-space"),
        pytest.param("to forløb af 10-15 borgere", {2, 10, 15}, id="range-and-word"),
        pytest.param("I alt mellem 40-60 borgere", {40, 60}, id="range"),
        pytest.param("mindst 2.500 borgere", {2500}, id="thousands-dot"),
        pytest.param("2021: 150.000 kr. 2022: 0 kr.", {2021, 150_000, 2022, 0}, id="years-and-amounts"),
        pytest.param("SUM 722.000 700.000", {722_000, 700_000}, id="two-amounts"),
        pytest.param("De tre pejlemærker", {3}, id="word-tre"),
        pytest.param("fem skoler og tolv lærere", {5, 12}, id="words-fem-tolv"),
        pytest.param("ca. 3,8 mio. kr. årligt", {3_800_000}, id="decimal-mio"),
        pytest.param("0,5 mio.kr. årligt", {500_000}, id="mio-dot-kr"),
    ],
)
def test_numbers_in_finds(text: str, expected: set[float]) -> None:
    assert expected <= numbers_in(text)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        pytest.param("4,4 mio. kr.", 4.4, id="mio-applied-not-bare"),
        pytest.param("2.500 borgere", 2.5, id="thousands-not-decimal"),
        pytest.param("2.500 borgere", 500, id="thousands-not-split"),
        pytest.param("Ingen tal her", 0, id="no-numbers"),
    ],
)
def test_numbers_in_does_not_find(text: str, absent: float) -> None:
    assert absent not in numbers_in(text)


def test_numbers_in_empty_text() -> None:
    assert numbers_in("") == set()


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        pytest.param(1234567, "1.234.567 kr.", id="million"),
        pytest.param(700000, "700.000 kr.", id="pulje"),
        pytest.param(0, "0 kr.", id="zero"),
        pytest.param(999, "999 kr.", id="below-thousand"),
        pytest.param(1500.4, "1.500 kr.", id="rounds"),
        pytest.param(math.nan, "–", id="nan"),
    ],
)
def test_format_kr(amount: float, expected: str) -> None:
    assert format_kr(amount) == expected


def test_format_kr_unit() -> None:
    assert format_kr(1500, unit="") == "1.500"


@pytest.mark.parametrize("amount", [0, 40_000, 722_000, 1_234_567, 4_400_000])
def test_format_kr_round_trips_through_parse_number(amount: int) -> None:
    assert parse_number(format_kr(amount)) == amount
