"""Reading the `pulje` command line's flag values: kroner and numbers (Danish formats), KEY=VALUE pairs given once
each, budgets per year and the constraints the flags name. Imported when a command runs."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TypedDict

from optimizer import Exclude, GoalMin, Lock, PuljeError, Scalable, UdvalgMax, UdvalgMin
from optimizer.constraints import Constraint, Year
from optimizer.limits import MAX_KR, check_count, check_number, check_year
from optimizer.numbers import NumberFormatError, parse_number

if TYPE_CHECKING:
    from optimizer.inputs import Budget

KRONER = "amount in kroner"


class UsageError(PuljeError):
    """A command-line argument that cannot be read."""


def money(text: str, flag: str) -> float:
    return number(text, flag, high=MAX_KR, what=KRONER)


def budget(values: list[str]) -> Budget:
    if len(values) == 1 and "=" not in values[0]:
        return money(values[0], "--budget")
    by_year: dict[Year, float] = {}
    for key, amount in _keyed(values, "--budget", form="KR, or YEAR=KR for each year"):
        try:
            year = check_year(key, "--budget: YEAR")
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        by_year[year] = money(amount, f"--budget {year}")
    return by_year


def pairs(values: list[str] | None, flag: str, *, high: float, what: str = "number") -> dict[str, float]:
    """KEY=NUMBER flags (--goal-weight, --assume-reach, ...) as a dict; numbers from 0 to `high`."""
    return {key: number(text, flag, high=high, what=what) for key, text in _keyed(values, flag)}


def _keyed(values: list[str] | None, flag: str, *, form: str = "KEY=VALUE") -> list[tuple[str, str]]:
    """The (KEY, VALUE) of each use of a repeatable flag; a key given twice is an error, not "the last wins"."""
    found = []
    for value in values or []:
        key, sep, rest = value.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"{flag}: expected {form}, got {value!r}")
        found.append((key.strip(), rest))
    _once([(key, f"{key}={rest}") for key, rest in found], flag)
    return found


def _ids(values: list[str] | None, flag: str) -> list[str]:
    """The ids of a repeatable id flag (--exclude, --scalable); an id given twice is an error, like a key."""
    _once([(value, value) for value in values or []], flag)
    return list(values or [])


def _once(given: list[tuple[str, str]], flag: str) -> None:
    """Refuse a key that occurs twice among (key, as given) pairs, naming it and both uses if they differ."""
    first: dict[str, str] = {}
    for key, shown in given:
        if key in first:
            both = f" ({first[key]} and {shown})" if first[key] != shown else ""
            raise UsageError(f"{flag}: {key} is given twice{both}; give each once")
        first[key] = shown


def number(text: str, flag: str, *, high: float, what: str = "number") -> float:
    """A number from 0 to `high` from the command line, Danish formats accepted."""
    try:
        value = parse_number(text)
    except NumberFormatError as exc:
        raise UsageError(f"{flag}: {exc}") from None
    if value != value:
        raise UsageError(f"{flag}: expected a non-negative {what}, got {text!r}")
    try:
        return check_number(value, flag, high=high, noun=what)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def extensions(values: list[str] | None) -> dict[str, dict[Year, float]]:
    """--extend ID:YEAR=KR (repeatable; an ID:YEAR given twice is an error): the most an indsats may get in a year
    instead of its ask that year (counted as full funding)."""
    result: dict[str, dict[Year, float]] = {}
    for key, amount in _keyed(values, "--extend", form="ID:YEAR=KR"):
        indsats_id, colon, year = key.partition(":")
        if not (colon and indsats_id.strip()):
            raise UsageError(f"--extend: expected ID:YEAR=KR, got {key}={amount}")
        try:
            label = check_year(year, "--extend: YEAR")
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        result.setdefault(indsats_id.strip(), {})[label] = money(amount, "--extend")
    return result


def checked_count(value: int, what: str, *, cap: int, flag: str) -> None:
    try:
        check_count(value, what, cap=cap, flag=flag)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


class _Limit(TypedDict, total=False):
    kr: float
    share: float


def _limit(amount: str, flag: str) -> _Limit:
    """The limit of --udvalg-min/--udvalg-max/--goal-min: kroner, or a percentage of the pulje."""
    amount = amount.strip()
    if amount.endswith("%"):
        return {"share": number(amount[:-1], flag, high=100, what="percentage") / 100}
    return {"kr": money(amount, flag)}


def constraints(args: argparse.Namespace) -> list[Constraint]:
    """The constraints given by flags; each flag names an id, udvalg or goal at most once."""
    found: list[Constraint] = [Scalable(i) for i in _ids(args.scalable, "--scalable")]
    found += [Lock(key, kr) for key, kr in pairs(args.lock, "--lock", high=MAX_KR, what=KRONER).items()]
    found += [Exclude(i) for i in _ids(args.exclude, "--exclude")]
    limits: tuple[tuple[list[str] | None, type[UdvalgMin | UdvalgMax | GoalMin]], ...] = (
        (args.udvalg_min, UdvalgMin),
        (args.udvalg_max, UdvalgMax),
        (args.goal_min, GoalMin),
    )
    for values, cls in limits:
        flag = f"--{cls.kind.replace('_', '-')}"
        for name, amount in _keyed(values, flag, form="NAME=KR or NAME=PCT%"):
            found.append(cls(name, **_limit(amount, flag)))  # the udvalg or the goal first
    return found
