"""Settings in a link: URL query parameters that differ from the catalog's starting settings, and back.

A link names its catalog (`katalog=fb2021`) and then only what differs from where the app starts on that
catalog, so a link stays short: `pulje.2021=650000`, `vaegt.arbejdsmarked=2`, `udvalg_max.AUU=300000`,
`laas.2022.fb21-cricket=10000`, `grund.fb21-cricket=…`. An empty value removes what the start set.
Reading a link never fails: an item that cannot be used is skipped, with a Danish line saying why, and the
rest is applied. `decode(encode(s, start), start) == s` for every settings value (tested with hypothesis).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from optimizer.constraints import CONSTRAINTS, Constraint, Year
from optimizer.errors import PuljeError
from optimizer.inputs import Assumptions, Known
from optimizer.limits import MAX_KR, MAX_REACH, MAX_WEIGHT
from optimizer.numbers import NumberFormatError, parse_number
from scenarios.settings import Pairs, RowEdit, Settings, YearAmounts
from scenarios.spec import constraint_to_dict
from ui_text import LINK

CATALOG_KEY = "katalog"
VIEW_KEY = "visning"  # the app's own (committee view); not part of the settings
PAIR_KEYS = {"vaegt": "goal_weights", "udvalg_min": "udvalg_min", "udvalg_max": "udvalg_max", "maal_min": "goal_min"}
ROW_KEYS = ("laas", "udeluk", "delvis", "omk", "rv", "udvid", "grund")
SCALAR_KEYS = {"evidens", "ekstra", "ekstra_antagelser", "ref", "ref_kilde"}
PARTIAL = {"ja": True, "nej": False, "katalog": None}
EMPTY_ASSUMPTIONS = Assumptions()


# --- writing ---------------------------------------------------------------------------------------


def encode(settings: Settings, start: Settings) -> dict[str, str]:
    """The query parameters of a link to `settings`: the catalog, then what differs from `start`."""
    params = {CATALOG_KEY: settings.catalog}
    params.update(_budget_params(settings.budget, start.budget))
    if settings.evidence_weight != start.evidence_weight:
        params["evidens"] = _number(settings.evidence_weight)
    for prefix, name in PAIR_KEYS.items():
        params.update(_pair_params(prefix, getattr(settings, name), getattr(start, name)))
    for indsats_id in sorted({e.id for e in (*settings.edits, *start.edits)}):
        params.update(_row_params(settings.edit(indsats_id), start.edit(indsats_id)))
    if settings.extra_constraints != start.extra_constraints:
        params["ekstra"] = json.dumps([constraint_to_dict(c) for c in settings.extra_constraints], ensure_ascii=False)
    if settings.extra_assumptions != start.extra_assumptions:
        params["ekstra_antagelser"] = json.dumps(_assumptions_dict(settings.extra_assumptions), ensure_ascii=False)
    if settings.reference != start.reference:
        params["ref"] = _reference_text(settings.reference)
    if settings.reference_origin != start.reference_origin:
        params["ref_kilde"] = settings.reference_origin
    return params


def _number(value: float) -> str:
    """A number as a link writes it: whole numbers plain (722000), others with a decimal comma (0,125), so a
    link never holds "0.125", which reads as a Danish 125."""
    if float(value).is_integer():
        return str(int(value))
    text = repr(float(value))
    return text if "e" in text else text.replace(".", ",")


def _year_key(prefix: str, year: Year, rest: str = "") -> str:
    parts = [prefix, *([] if year is None else [str(year)]), *([rest] if rest else [])]
    return ".".join(parts)


def _budget_params(budget: YearAmounts, start: YearAmounts) -> Iterator[tuple[str, str]]:
    before = dict(start)
    for year, kr in budget:
        if before.get(year) != kr:
            yield _year_key("pulje", year), _number(kr)


def _pair_params(prefix: str, pairs: Pairs, start: Pairs) -> Iterator[tuple[str, str]]:
    now, before = dict(pairs), dict(start)
    for key in sorted(set(now) | set(before)):
        if now.get(key) != before.get(key):
            yield f"{prefix}.{key}", "" if key not in now else _number(now[key])


def _row_params(edit: RowEdit, start: RowEdit) -> Iterator[tuple[str, str]]:
    i = edit.id
    for prefix, now, before in (("laas", dict(edit.lock), dict(start.lock)),
                                ("udvid", dict(edit.extend), dict(start.extend))):  # fmt: skip
        for year in sorted(set(now) | set(before), key=str):
            if now.get(year) != before.get(year):
                yield _year_key(prefix, year, i), "" if year not in now else _number(now[year])
    if edit.exclude != start.exclude:
        yield f"udeluk.{i}", "1" if edit.exclude else "0"
    if edit.partial != start.partial:
        yield f"delvis.{i}", next(word for word, value in PARTIAL.items() if value is edit.partial)
    for prefix, now_value, before_value in (("omk", edit.cost_kr, start.cost_kr), ("rv", edit.reach, start.reach)):
        if now_value != before_value:
            yield f"{prefix}.{i}", "" if now_value is None else _number(now_value)
    if edit.reason != start.reason:
        yield f"grund.{i}", edit.reason


def _reference_text(reference: tuple | None) -> str:
    if reference is None:
        return ""
    return ";".join(":".join([i, *([] if y is None else [str(y)]), _number(kr)]) for i, y, kr in reference)


def _assumptions_dict(a: Assumptions) -> dict:
    return {
        "intensity": dict(a.intensity),
        "udvalg_split": {k: dict(v) for k, v in a.udvalg_split.items()},
        "range_reach": a.range_reach,
        "reasons": dict(a.reasons),
    }


# --- reading ---------------------------------------------------------------------------------------


@dataclass
class _Reader:
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


def decode(params: Mapping[str, str | list[str]], start: Settings, known: Known) -> tuple[Settings, list[str]]:
    """Settings from a link's query parameters over the catalog's starting settings, and a Danish line for
    every item that was skipped. `known` holds the catalog's ids, udvalg and goals and the pulje's years."""
    reader = _Reader(start, known, [])
    handlers: dict[str, Callable[[_Reader, str, str, str], None]] = {
        "pulje": _read_budget, "evidens": _read_evidence, "ekstra": _read_extra,
        "ekstra_antagelser": _read_extra_assumptions, "ref": _read_reference, "ref_kilde": _read_origin,
        **dict.fromkeys(PAIR_KEYS, _read_pair), **dict.fromkeys(ROW_KEYS, _read_row),
    }  # fmt: skip
    for key, raw in params.items():
        if key in (CATALOG_KEY, VIEW_KEY):
            continue
        text = raw[-1] if isinstance(raw, list) else raw
        prefix, _, rest = key.partition(".")
        handler = handlers.get(prefix)
        if handler is None or (prefix in SCALAR_KEYS and rest) or (prefix not in SCALAR_KEYS | {"pulje"} and not rest):
            reader.skip("unknown_key", key=key)
            continue
        handler(reader, key, rest, text)
    return reader.settings, reader.problems


def _read_budget(r: _Reader, key: str, rest: str, text: str) -> None:
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


def _read_evidence(r: _Reader, key: str, rest: str, text: str) -> None:
    weight = r.number(key, text, MAX_WEIGHT)
    if weight is not None:
        r.settings = r.settings.replace(evidence_weight=weight)


def _read_pair(r: _Reader, key: str, rest: str, text: str) -> None:
    prefix = key.partition(".")[0]
    name = PAIR_KEYS[prefix]
    among, template = (r.known.goals, "unknown_goal") if prefix in ("vaegt", "maal_min") else (
        r.known.udvalg, "unknown_udvalg")  # fmt: skip
    if not r.name_ok(key, rest, among, template):
        return
    value = None if text == "" else r.number(key, text, MAX_WEIGHT if prefix == "vaegt" else MAX_KR)
    if text != "" and value is None:
        return
    if name == "goal_weights":
        r.settings = r.settings.with_weight(rest, 1.0 if value is None else value)
    else:
        r.settings = r.settings.with_limit(name, rest, value)


def _read_row(r: _Reader, key: str, rest: str, text: str) -> None:
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


def _changed_row(r: _Reader, key: str, prefix: str, edit: RowEdit, year: Year, text: str) -> RowEdit | None:
    if prefix == "grund":
        return _replace(edit, reason=text)
    if prefix == "udeluk":
        if text not in ("0", "1"):
            r.skip("bad_choice", key=key, value=text, choices="0, 1")
            return None
        return _replace(edit, exclude=text == "1")
    if prefix == "delvis":
        if text not in PARTIAL:
            r.skip("bad_choice", key=key, value=text, choices=", ".join(PARTIAL))
            return None
        return _replace(edit, partial=PARTIAL[text])
    high = MAX_REACH if prefix == "rv" else MAX_KR
    value = None if text == "" else r.number(key, text, high)
    if text != "" and value is None:
        return None
    if prefix in ("omk", "rv"):
        return _replace(edit, **{"cost_kr" if prefix == "omk" else "reach": value})
    field = "lock" if prefix == "laas" else "extend"
    table = dict(getattr(edit, field))
    if value is None:
        table.pop(year, None)
    else:
        table[year] = value
    return _replace(edit, **{field: tuple(sorted(table.items(), key=lambda kv: str(kv[0])))})


def _replace(edit: RowEdit, **changes: object) -> RowEdit:
    return RowEdit(**{**edit.__dict__, **changes})  # type: ignore[arg-type]


def _read_extra(r: _Reader, key: str, rest: str, text: str) -> None:
    try:
        items = json.loads(text) if text else []
        constraints = tuple(_constraint(item) for item in items)
    except (ValueError, TypeError, KeyError, PuljeError):
        r.skip("bad_extra", key=key)
        return
    r.settings = r.settings.replace(extra_constraints=constraints)


def _constraint(item: dict) -> Constraint:
    fields = {k: tuple(v) if isinstance(v, list) else v for k, v in item.items() if k != "kind"}
    return CONSTRAINTS[item["kind"]](**fields)


def _read_extra_assumptions(r: _Reader, key: str, rest: str, text: str) -> None:
    try:
        data = json.loads(text) if text else {}
        extra = Assumptions(**data) if data else EMPTY_ASSUMPTIONS
    except (ValueError, TypeError, PuljeError):
        r.skip("bad_extra", key=key)
        return
    r.settings = r.settings.replace(extra_assumptions=extra)


def _read_reference(r: _Reader, key: str, rest: str, text: str) -> None:
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


def _read_origin(r: _Reader, key: str, rest: str, text: str) -> None:
    if text not in ("", "first", "pinned"):
        r.skip("bad_choice", key=key, value=text, choices="first, pinned")
        return
    r.settings = r.settings.replace(reference_origin=text)
