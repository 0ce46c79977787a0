"""Settings in a link: URL query parameters that differ from the catalog's starting settings, and back.

A link names its catalog (`katalog=fb2021`) and then only what differs from where the app starts on that
catalog, so a link stays short: `pulje.2021=650000`, `vaegt.arbejdsmarked=2`, `udvalg_max.AUU=300000`,
`laas.2022.fb21-cricket=10000`, `grund.fb21-cricket=…`. An empty value removes what the start set.
Reading a link never fails: an item that cannot be used is skipped, with a Danish line saying why, and the
rest is applied. `decode(encode(s, start), start) == s` for every settings value (tested with hypothesis).

A link may name a saved version of the scenario library instead of a catalog (`bibliotek=Plan&version=2`);
its settings then say what differs from that version's.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from optimizer.constraints import Year
from optimizer.inputs import Assumptions, Known
from scenarios import share_items as items
from scenarios.settings import Pairs, ReferenceAmounts, RowEdit, Settings, YearAmounts
from scenarios.share_items import PAIR_KEYS, PARTIAL
from scenarios.spec import constraint_to_dict
from ui_text import LIBRARY

_TEXTS = {key: text for key, text in LIBRARY.items() if isinstance(text, str)}  # the texts, not the tables' headers

CATALOG_KEY = "katalog"
VIEW_KEY = "visning"  # the app's own (committee view); not part of the settings
LIBRARY_KEY, VERSION_KEY = "bibliotek", "version"  # a saved version the settings start from
ROW_KEYS = ("laas", "udeluk", "delvis", "omk", "rv", "udvid", "grund")
SCALAR_KEYS = {"evidens", "ekstra", "ekstra_antagelser", "ref", "ref_kilde"}


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


def on_version(params: Mapping[str, str], name: str, version: int) -> dict[str, str]:
    """A link's parameters naming a saved version instead of the catalog (the settings then say what differs
    from the version's)."""
    rest = {key: value for key, value in params.items() if key != CATALOG_KEY}
    return {LIBRARY_KEY: name, VERSION_KEY: str(version), **rest}


def version_of(params: Mapping[str, str | list[str]]) -> tuple[str, int | None, list[str]]:
    """The saved version a link names: its name, its number (None: the newest), and a Danish line when the
    number cannot be read (the newest is opened then)."""
    name, number = (_last(params.get(key, "")) for key in (LIBRARY_KEY, VERSION_KEY))
    if not number:
        return name, None, []
    if number.isascii() and number.isdigit() and 0 < int(number) < 2**31:
        return name, int(number), []
    return name, None, [_TEXTS["bad_version"].format(value=number)]


def _last(raw: str | list[str]) -> str:
    return raw[-1] if isinstance(raw, list) else raw


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
    for prefix, now, before in (
        ("laas", dict(edit.lock), dict(start.lock)),
        ("udvid", dict(edit.extend), dict(start.extend)),
    ):
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


def _reference_text(reference: ReferenceAmounts | None) -> str:
    if reference is None:
        return ""
    return ";".join(":".join([i, *([] if y is None else [str(y)]), _number(kr)]) for i, y, kr in reference)


def _assumptions_dict(a: Assumptions) -> dict[str, Any]:
    return {
        "intensity": dict(a.intensity),
        "udvalg_split": {k: dict(v) for k, v in a.udvalg_split.items()},
        "range_reach": a.range_reach,
        "reasons": dict(a.reasons),
    }


# --- reading ---------------------------------------------------------------------------------------


def decode(params: Mapping[str, str | list[str]], start: Settings, known: Known) -> tuple[Settings, list[str]]:
    """Settings from a link's query parameters over the catalog's starting settings, and a Danish line for
    every item that was skipped. `known` holds the catalog's ids, udvalg and goals and the pulje's years."""
    reader = items.Reader(start, known, [])
    handlers: dict[str, Callable[[items.Reader, str, str, str], None]] = {
        "pulje": items.read_budget,
        "evidens": items.read_evidence,
        "ekstra": items.read_extra,
        "ekstra_antagelser": items.read_extra_assumptions,
        "ref": items.read_reference,
        "ref_kilde": items.read_origin,
        **dict.fromkeys(PAIR_KEYS, items.read_pair),
        **dict.fromkeys(ROW_KEYS, items.read_row),
    }
    for key, raw in params.items():
        if key in (CATALOG_KEY, VIEW_KEY, LIBRARY_KEY, VERSION_KEY):
            continue
        text = _last(raw)
        prefix, _, rest = key.partition(".")
        handler = handlers.get(prefix)
        if handler is None or (prefix in SCALAR_KEYS and rest) or (prefix not in SCALAR_KEYS | {"pulje"} and not rest):
            reader.skip("unknown_key", key=key)
            continue
        handler(reader, key, rest, text)
    return reader.settings, reader.problems
