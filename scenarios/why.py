"""Why the allocation is what it is, in Danish statements that hold when re-solved: each indsats's status and
reason, what 100.000 kr. more would buy and where it would go, what loosening each binding limit buys, and,
when the settings contradict each other, which limits conflict and the smallest change that reconciles them.

"Blokeret af udvalgsloft" means the indsats gets money when that udvalg's maximum alone is lifted (a
re-solve); "mangler X pr. 100.000 kr. i værdi" is the core's exact entry threshold; "100.000 kr. mere" is
the model re-solved with the pulje raised by 100.000 kr. in that year.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from optimizer.constraints import Year
from optimizer.explain import binding_gains, entry_thresholds, next_100k_steps, row_binding, udvalg_max_blocks
from optimizer.formats import format_kr, format_number, format_share
from optimizer.result import FULL_SHARE, FUNDED_EPS, Binding, Relaxation, Result, ask_column, year_column
from scenarios.export import render_binding
from scenarios.settings import RowEdit, Settings
from ui_text import CONFLICT, FIXES, REASONS, WORDS

STATUSES = ("locked", "excluded", "funded", "partly", "blocked_udvalg", "not_afforded")  # ui_text.STATUS keys


@dataclass(frozen=True)
class Why:
    """Per indsats (in the allocation's order): its status key and the reason in Danish."""

    status: tuple[str, ...]
    reason: tuple[str, ...]


def statuses(result: Result, settings: Settings) -> Why:
    """The status and reason of every indsats in a solved result."""
    allocation = result.allocation
    unfunded = allocation["amount_kr"].to_numpy() <= FUNDED_EPS
    thresholds = _thresholds(result) if unfunded.any() else {}
    blocked = blocked_by_udvalg_max(result) if unfunded.any() else {}
    binding_kinds = {(b.kind, b.label) for b in result.binding}
    years = [year for year in result.years if year is not None]
    columns = ["id", "udvalg", "amount_kr", "funded_share", *(f(y) for y in years for f in (year_column, ask_column))]
    found_status, found_reason = [], []
    for values in zip(*(allocation[c].tolist() for c in columns), strict=True):
        row = dict(zip(columns, values, strict=True))
        edit = settings.edit(row["id"])
        status, reason = _status(row, edit, thresholds, blocked, binding_kinds, result.years)
        found_status.append(status)
        found_reason.append(reason)
    return Why(tuple(found_status), tuple(found_reason))


def _thresholds(result: Result) -> dict[str, tuple[float, float]]:
    """Per unfunded indsats: its value per 100.000 kr. and the value it needs to get money (entry_thresholds)."""
    found = entry_thresholds(result)
    have, need = found["value_per_100k"].tolist(), found["needed_value_per_100k"].tolist()
    return dict(zip(found["id"].tolist(), zip(have, need, strict=True), strict=True))


def _status(
    row: Mapping[str, Any],
    edit: RowEdit,
    thresholds: Mapping[str, tuple[float, float]],
    blocked: dict[str, Binding],
    binding_kinds: set[tuple[str, str]],
    years: tuple[Year, ...],
) -> tuple[str, str]:
    amount, share = float(row["amount_kr"]), float(row["funded_share"])
    udvalg = [u for u in str(row["udvalg"]).split("/") if u]
    if edit.lock:
        locked = ", ".join(format_kr(kr) + (f" ({year})" if year is not None else "") for year, kr in edit.lock)
        return "locked", REASONS["locked"].format(amount=locked) + _because(edit.reason)
    if edit.exclude:
        return "excluded", REASONS["excluded"] + _because(edit.reason)
    if amount > FUNDED_EPS:
        if share >= FULL_SHARE:
            return "funded", ""
        if years != (None,):  # over several years: what it gets of each year's ask says more than a share
            return "partly", "; ".join(
                REASONS["partly_year"].format(year=y, got=format_kr(row[year_column(y)]),
                                              ask=format_kr(row[ask_column(y)]))
                for y in years
            )  # fmt: skip
        limit = next((u for u in udvalg if ("udvalg_max", u) in binding_kinds), None)
        why = (
            REASONS["partly_udvalg"].format(udvalg=limit)
            if limit
            else (REASONS["partly_budget"] if any(kind == "budget" for kind, _ in binding_kinds) else "")
        )
        return "partly", REASONS["partly"].format(share=format_share(share)) + why
    indsats_id = row["id"]
    if indsats_id in blocked:
        return "blocked_udvalg", REASONS["blocked_udvalg"].format(limit=render_binding(blocked[indsats_id]))
    have, need = thresholds.get(indsats_id, (math.nan, math.nan))
    if math.isnan(need):
        return "not_afforded", REASONS["cannot_enter"]
    if round(need - have, 2) <= 0:  # within rounding of the threshold: a tie the id order decides
        return "not_afforded", REASONS["tied"]
    return "not_afforded", REASONS["needs_value"].format(
        missing=format_number(max(need - have, 0.0)), have=format_number(have), need=format_number(need)
    )


def _because(reason: str) -> str:
    return REASONS["because"].format(reason=reason) if reason else ""


def in_words(binding: Binding, names: dict[str, str]) -> str:
    """A limit in Danish (render_binding), its indsatser named by their names rather than their ids."""
    if binding.kind in ("lock", "exclude", "continuity", "requires", "exclusive"):
        label = "|".join(
            "<-".join(names.get(part, part) for part in ids.split("<-")) for ids in binding.label.split("|")
        )
        binding = dataclasses.replace(binding, label=label)
    return render_binding(binding)


def names_of(result: Result) -> dict[str, str]:
    return dict(zip(result.allocation["id"], result.allocation["name"], strict=True))


def with_names(text: str, names: dict[str, str]) -> str:
    """A text that names indsatser by id (a note, a constraint in words) with their names instead; the longest
    ids first, so an id that begins another id does not replace a part of it."""
    if not names:
        return text
    pattern = re.compile("|".join(re.escape(i) for i in sorted(names, key=len, reverse=True)))
    return pattern.sub(lambda m: names[m.group(0)], text)


def blocked_by_udvalg_max(result: Result) -> dict[str, Binding]:
    """Unfunded indsatser that get money when a maximum of their own udvalg alone is lifted (re-solved,
    explain.udvalg_max_blocks), with that limit."""
    if result.model is None or result.values is None:
        return {}
    return {i: limit_of(result, name) for i, name in udvalg_max_blocks(result).items()}


# --- another 100.000 kr. ----------------------------------------------------------------------------


def next_100k(result: Result) -> pd.DataFrame:
    """Per year: what 100.000 kr. more in the pulje (that year alone) buys, re-solved (explain.next_100k_steps),
    and where the money would go, in Danish. Columns: year, gain, rate, goes_to."""
    if result.model is None or result.values is None:
        return pd.DataFrame(columns=["year", "gain", "rate", "goes_to"])
    names = names_of(result)
    records = [
        {
            "year": step.year,
            "gain": step.gain,
            "rate": result.budget_rate_per_100k.get(step.year, math.nan),
            "goes_to": "; ".join(
                WORDS["move"].format(name=names[i], change=_signed_kr(kr)) for i, kr in step.change_kr.items()
            )
            or (WORDS["nowhere"] if math.isfinite(step.gain) else ""),
        }
        for step in next_100k_steps(result)
    ]
    return pd.DataFrame(records, columns=["year", "gain", "rate", "goes_to"])


def _signed_kr(amount: float) -> str:
    return ("+" if amount > 0 else "−") + format_kr(abs(amount))


def binding_table(result: Result, budget: Mapping[Year, float] | None = None) -> pd.DataFrame:
    """Each binding limit in Danish, with what loosening it by 100.000 kr. buys (re-solved) and its rate at
    the margin. Columns: name, kind, label, year, text, gain, rate. `budget`: the pulje's gains per year
    where already re-solved (next_100k)."""
    gains = binding_gains(result, budget) if result.status.is_proven and result.model is not None else {}
    names = names_of(result)
    return pd.DataFrame(
        [
            (b.name, b.kind, b.label, b.year, in_words(b, names), gains.get(b.name), b.rate_per_100k)
            for b in result.binding
        ],
        columns=["name", "kind", "label", "year", "text", "gain", "rate"],
    )


# --- conflicts ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConflictView:
    """Contradicting settings in Danish: each minimal conflicting set, the smallest change that reconciles
    them all, and the settings with that change made (None when the controls cannot make it)."""

    sets: tuple[tuple[str, ...], ...]
    fixes: tuple[str, ...]
    total_kr: float
    fixed: Settings | None


def limit_of(result: Result, name: str) -> Binding:
    """A model row by its name as a Binding (kind, label, year, bound), to be put in words like one."""
    model = result.model
    assert model is not None
    r = model.row_number(name)
    low, high = model.row_lower[r], model.row_upper[r]
    return row_binding(model, r, "both" if low == high else ("lower" if math.isfinite(low) else "upper"))


def conflict_view(result: Result, settings: Settings) -> ConflictView | None:
    """The result's conflict in Danish, and the settings with the smallest fix applied where possible."""
    conflict = result.conflict
    if conflict is None or result.model is None:
        return None
    names = names_of(result)
    sets = tuple(tuple(_limit_text(limit_of(result, name), names) for name in group) for group in conflict.sets)
    limits = [limit_of(result, fix.constraint) for fix in conflict.smallest_fix]
    fixes = tuple(_fix_text(limit, fix, names) for limit, fix in zip(limits, conflict.smallest_fix, strict=True))
    steps: dict[tuple[str, str, Year], float] = {}
    for limit, fix in zip(limits, conflict.smallest_fix, strict=True):
        step = fix.amount if fix.direction == "raise" else -fix.amount
        key = (limit.kind, limit.label, limit.year if limit.kind in ("budget", "lock") else None)
        steps[key] = step if abs(step) > abs(steps.get(key, 0.0)) else steps[key]  # one limit for every year
    fixed: Settings | None = settings
    for (kind, label, year), step in steps.items():
        fixed = _apply(fixed, kind, label, year, step) if fixed is not None else None
    return ConflictView(sets, fixes, conflict.total_kr, fixed if fixed != settings else None)


def _limit_text(limit: Binding, names: dict[str, str]) -> str:
    if limit.kind == "budget":
        return CONFLICT["budget"].format(year=_year(limit.year), bound=format_kr(limit.bound))
    return in_words(limit, names)


def _year(year: Year) -> str:
    return "" if year is None else WORDS["in_year"].format(year=year)


def _fix_text(limit: Binding, fix: Relaxation, names: dict[str, str]) -> str:
    amount = format_kr(fix.amount) if fix.unit == "kr" else format_number(fix.amount, trim=True)
    template = FIXES.get(f"{limit.kind}.{fix.direction}") or FIXES["other"]
    return template.format(
        label=names.get(limit.label, limit.label), year=_year(limit.year), amount=amount, name=limit.name
    )


def _apply(settings: Settings, kind: str, label: str, year: Year, step: float) -> Settings | None:
    """The settings with one limit moved by `step` kroner through the app's own controls, or None when the
    controls do not hold that limit (it came from a scenario file)."""
    if kind == "budget":
        return settings.with_budget(year, dict(settings.budget)[year] + step)
    if kind in ("udvalg_min", "udvalg_max", "goal_min"):
        current = dict(getattr(settings, kind)).get(label)
        return None if current is None else settings.with_limit(kind, label, max(0.0, current + step))
    edit = settings.edit(label)
    if kind == "lock" and year in dict(edit.lock):
        lock = {**dict(edit.lock), year: max(0.0, dict(edit.lock)[year] + step)}
        return settings.with_edit(RowEdit(**{**edit.__dict__, "lock": tuple(lock.items())}))
    if kind == "exclude" and edit.exclude:
        return settings.with_edit(RowEdit(**{**edit.__dict__, "exclude": False}))
    return None
