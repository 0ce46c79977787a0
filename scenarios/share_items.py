"""Reading a link's items into settings, one reader per kind of key: each applies what it can and, for what it
cannot use, adds a Danish line saying why (scenarios/share.py decides which reader a key goes to)."""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass
from typing import Any

from optimizer.constraints import CONSTRAINTS, Constraint, Year
from optimizer.errors import PuljeError
from optimizer.inputs import Assumptions, Known
from optimizer.limits import MAX_KR, MAX_REACH, MAX_WEIGHT
from optimizer.numbers import NumberFormatError, parse_number
from scenarios.settings import RowEdit, Settings
from ui_text import LINK

PAIR_KEYS = {"vaegt": "goal_weights", "udvalg_min": "udvalg_min", "udvalg_max": "udvalg_max", "maal_min": "goal_min"}
PARTIAL = {"ja": True, "nej": False, "katalog": None}
EMPTY_ASSUMPTIONS = Assumptions()


@dataclass
class Reader:
    """Applies a link's items to the starting settings, collecting a Danish line for each it must skip."""

    settings: Settings
    known: Known
    problems: list[str]

    def skip(self, template: str, **words: object) -> None:
        self.problems.append(LINK[template].format(**words))

    def number(self, key: str, text: str, high: float) -> float | None:
        try:
            value = float(text) if "e" in text.lower() else parse_number(text)
        except (NumberFormatError, ValueError):
            value = math.nan
        if math.isnan(value):
            self.skip("not_number", key=key, value=text)
            return None
        if not 0 <= value <= high:
            self.skip("out_of_range", key=key, value=text)
            return None
        return value

    def year(self, key: str, text: str) -> Year | bool:
        """The pulje's year written as `text` (False when it is none of them)."""
        for year in self.known.years:
            if year is not None and str(year) == text:
                return year
        self.skip("unknown_year", key=key, year=text, years=", ".join(str(y) for y in self.known.years if y))
        return False

    def name_ok(self, key: str, value: str, among: tuple[str, ...], template: str) -> bool:
        if value in among:
            return True
        self.skip(template, key=key, name=value)
        return False


def read_budget(r: Reader, key: str, rest: str, text: str) -> None:
    year: Year | bool = None
    if rest or r.known.years != (None,):
        if not rest:
            r.skip("unknown_key", key=key)
            return
        year = r.year(key, rest)
        if year is False:
            return
    kr = r.number(key, text, MAX_KR)
    if kr is not None:
        r.settings = r.settings.with_budget(year, kr)


def read_evidence(r: Reader, key: str, rest: str, text: str) -> None:
    weight = r.number(key, text, MAX_WEIGHT)
    if weight is not None:
        r.settings = r.settings.replace(evidence_weight=weight)


def read_pair(r: Reader, key: str, rest: str, text: str) -> None:
    prefix = key.partition(".")[0]
    name = PAIR_KEYS[prefix]
    among, template = (
        (r.known.goals, "unknown_goal") if prefix in ("vaegt", "maal_min") else (r.known.udvalg, "unknown_udvalg")
    )
    if not r.name_ok(key, rest, among, template):
        return
    value = None if text == "" else r.number(key, text, MAX_WEIGHT if prefix == "vaegt" else MAX_KR)
    if text != "" and value is None:
        return
    if name == "goal_weights":
        r.settings = r.settings.with_weight(rest, 1.0 if value is None else value)
    else:
        r.settings = r.settings.with_limit(name, rest, value)


def read_row(r: Reader, key: str, rest: str, text: str) -> None:
    prefix = key.partition(".")[0]
    year: Year = None
    if prefix in ("laas", "udvid") and r.known.years != (None,):
        year_text, _, rest = rest.partition(".")
        found = r.year(key, year_text)
        if found is False:
            return
        year = found
    if not r.name_ok(key, rest, r.known.ids, "unknown_id"):
        return
    edit = r.settings.edit(rest)
    changed = _changed_row(r, key, prefix, edit, year, text)
    if changed is not None:
        r.settings = r.settings.with_edit(changed)


def _changed_row(r: Reader, key: str, prefix: str, edit: RowEdit, year: Year, text: str) -> RowEdit | None:
    if prefix == "grund":
        return dataclasses.replace(edit, reason=text)
    if prefix == "udeluk":
        if text not in ("0", "1"):
            r.skip("bad_choice", key=key, value=text, choices="0, 1")
            return None
        return dataclasses.replace(edit, exclude=text == "1")
    if prefix == "delvis":
        if text not in PARTIAL:
            r.skip("bad_choice", key=key, value=text, choices=", ".join(PARTIAL))
            return None
        return dataclasses.replace(edit, partial=PARTIAL[text])
    high = MAX_REACH if prefix == "rv" else MAX_KR
    value = None if text == "" else r.number(key, text, high)
    if text != "" and value is None:
        return None
    if prefix in ("omk", "rv"):
        return dataclasses.replace(edit, cost_kr=value) if prefix == "omk" else dataclasses.replace(edit, reach=value)
    return edit.with_year("lock" if prefix == "laas" else "extend", year, value)


def read_extra(r: Reader, key: str, rest: str, text: str) -> None:
    try:
        items = json.loads(text) if text else []
        constraints = tuple(_constraint(item) for item in items)
    except (ValueError, TypeError, KeyError, PuljeError):
        r.skip("bad_extra", key=key)
        return
    r.settings = r.settings.replace(extra_constraints=constraints)


def _constraint(item: dict[str, Any]) -> Constraint:
    fields = {k: tuple(v) if isinstance(v, list) else v for k, v in item.items() if k != "kind"}
    return CONSTRAINTS[item["kind"]](**fields)


def read_extra_assumptions(r: Reader, key: str, rest: str, text: str) -> None:
    try:
        data = json.loads(text) if text else {}
        extra = Assumptions(**data) if data else EMPTY_ASSUMPTIONS
    except (ValueError, TypeError, PuljeError):
        r.skip("bad_extra", key=key)
        return
    r.settings = r.settings.replace(extra_assumptions=extra)


def read_reference(r: Reader, key: str, rest: str, text: str) -> None:
    if text == "":
        r.settings = r.settings.replace(reference=None)
        return
    rows = []
    for item in text.split(";"):
        parts = item.split(":")
        single = r.known.years == (None,)
        if len(parts) != (2 if single else 3) or parts[0] not in r.known.ids:
            r.skip("bad_reference", key=key, item=item)
            return
        year = None if single else r.year(key, parts[1])
        kr = r.number(key, parts[-1], MAX_KR)
        if year is False or kr is None:
            return
        rows.append((parts[0], year, kr))
    r.settings = r.settings.replace(reference=tuple(rows))


def read_origin(r: Reader, key: str, rest: str, text: str) -> None:
    if text not in ("", "first", "pinned"):
        r.skip("bad_choice", key=key, value=text, choices="first, pinned")
        return
    r.settings = r.settings.replace(reference_origin=text)
