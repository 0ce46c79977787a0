"""Settings as files: a scenario file (TOML) and back, and the committee workbook (Excel) of what is shown.

The TOML is the project's own scenario format, so `pulje run` runs it to the same allocation. A row's
reason travels with the figure it explains (`why` of an assumed reach or cost); the reasons of locks,
exclusions and partial funding, which scenario files have no place for, go into the description, one line
each, and are read back from there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from optimizer import AllOrNothing, Assumptions, Exclude, GoalMin, Inputs, Lock, Scalable, UdvalgMax, UdvalgMin
from optimizer.constraints import Constraint, Year
from optimizer.result import Result
from scenarios.compare import compare
from scenarios.export import write_excel
from scenarios.run import ScenarioRun
from scenarios.settings import RowEdit, Settings
from scenarios.spec import Scenario, read_scenario_toml, scenario_from_dict, scenario_toml
from ui_text import TOML

PATH_KEYS = ("catalog", "goals", "asks", "baseline")
_REASON_LINE = re.compile(
    re.escape(TOML["reason_line"]).replace(r"\{id\}", "(?P<id>.+?)").replace(r"\{reason\}", "(?P<reason>.*)") + r"\Z"
)


# --- writing ---------------------------------------------------------------------------------------


def settings_scenario(
    settings: Settings,
    catalog: pd.DataFrame | Inputs,
    *,
    name: str,
    catalog_path: Path | None,
    goals_path: Path | None = None,
    asks_path: Path | None = None,
    baseline_path: Path | None = None,
) -> Scenario:
    """The settings as a scenario over `catalog` read from these files (the reasons of locks, exclusions and
    partial funding in its description). `catalog` may be Inputs over it, checked once (Settings.to_inputs)."""
    return Scenario(
        name=name,
        inputs=settings.to_inputs(catalog),
        description=_description(settings),
        catalog_path=catalog_path,
        goals_path=goals_path,
        asks_path=asks_path,
        baseline_path=baseline_path,
    )


def settings_toml(
    settings: Settings,
    catalog: pd.DataFrame | Inputs,
    *,
    name: str,
    catalog_path: Path,
    baseline_path: Path | None = None,
    relative: bool = False,
) -> str:
    """The settings as scenario TOML. Paths are absolute (the file runs anywhere on this machine), or with
    relative=True written as bare file names (an uploaded catalog: keep the TOML beside the file)."""
    scenario = settings_scenario(settings, catalog, name=name, catalog_path=catalog_path, baseline_path=baseline_path)
    return scenario_toml(scenario, base=Path(".").resolve() if relative else None)


def _description(settings: Settings) -> str:
    """One line per row whose reason no assumption carries (a lock, an exclusion, partial funding)."""
    lines = [TOML["description"]]
    for edit in settings.edits:
        if edit.reason and edit.reach is None and edit.cost_kr is None and not edit.extend:
            lines.append(TOML["reason_line"].format(id=edit.id, reason=" ".join(edit.reason.split())))
    return "\n".join(lines)


def committee_workbook(
    settings: Settings,
    catalog: pd.DataFrame | Inputs,
    result: Result,
    reference: Result | None,
    *,
    name: str,
    reference_name: str,
    catalog_path: Path | None,
    folder: Path,
    next_100k: Mapping[Year, float] | None = None,
) -> bytes:
    """The committee workbook (scenarios.export.write_excel) of the shown allocation, compared with the
    reference when there is one; written in `folder` and returned as bytes. `next_100k`: as write_excel takes."""
    scenario = settings_scenario(settings, catalog, name=name, catalog_path=catalog_path)
    run = ScenarioRun(scenario, result)
    comparison = None
    if reference is not None:
        comparison = compare(ScenarioRun(scenario.replace(name=reference_name, optimize=False), reference), run)
    path = write_excel(run, folder / "udvalg.xlsx", comparison=comparison, next_100k=next_100k)
    return path.read_bytes()


# --- reading ---------------------------------------------------------------------------------------


def read_scenario(data: bytes, file_name: str, folder: Path, resolve: Callable[[str, str], Path | None]) -> Scenario:
    """A scenario from an uploaded TOML file's bytes (UTF-8, UTF-16 or Windows-1252, as load_scenario reads).

    `resolve(key, path)` finds the catalog (and goals, asks, baseline) a path names where the file itself is
    not: a bundled catalog by its name, or the catalog uploaded beside it; None when there is none.
    Raises ScenarioError naming the file and every problem.
    """
    path = folder / (Path(file_name).name or "scenario.toml")
    path.write_bytes(data)
    parsed = read_scenario_toml(path, file_name)
    for key in PATH_KEYS:
        given = parsed.get(key)
        if not isinstance(given, str) or _exists(given):
            continue
        found = resolve(key, given)
        if found is not None:
            parsed[key] = str(found)
        elif key != "catalog":
            parsed.pop(key)  # a companion file that is not here: the catalog's own, found beside it, is used
    return scenario_from_dict(parsed, base=folder, origin=file_name)


def _exists(given: str) -> bool:
    """True for an absolute path to an existing file (a relative one would be read beside the upload)."""
    try:
        return Path(given).is_absolute() and Path(given).is_file()
    except (OSError, ValueError):  # a NUL character, a name too long for the file system
        return False


def settings_from_scenario(scenario: Scenario, catalog_key: str) -> Settings:
    """The settings a scenario amounts to: what the controls show goes to the controls and the table, the rest
    (share limits, per-year exclusions, requires, continuity ...) is kept as extra constraints."""
    inputs = scenario.inputs
    budget = inputs.budget
    years: tuple[Year, ...] = tuple(budget) if isinstance(budget, Mapping) else (None,)
    amounts = tuple(budget.items()) if isinstance(budget, Mapping) else ((None, float(budget)),)
    rows: dict[str, dict[str, Any]] = {}  # id -> RowEdit's keyword arguments
    limits: dict[str, dict[str, float]] = {"udvalg_min": {}, "udvalg_max": {}, "goal_min": {}}
    extra: list[Constraint] = []
    for c in inputs.constraints:
        if not _to_controls(c, years, rows, limits):
            extra.append(c)
    a = inputs.assumptions
    reasons = dict(a.reasons)
    for what, field in (("reach", "reach"), ("cost", "cost_kr")):
        for indsats_id, value in getattr(a, what).items():
            rows.setdefault(indsats_id, {})[field] = value
    for indsats_id, by_year in a.extend.items():
        rows.setdefault(indsats_id, {})["extend"] = tuple(sorted(by_year.items(), key=lambda kv: str(kv[0])))
    for indsats_id, fields in rows.items():
        found = [
            reasons.pop(f"{what}.{indsats_id}")
            for what in ("reach", "cost", "extend")
            if f"{what}.{indsats_id}" in reasons
        ]
        if found:
            fields["reason"] = "; ".join(dict.fromkeys(found))
    for line in scenario.description.splitlines():
        match = _REASON_LINE.match(line.strip())
        if match:
            rows.setdefault(match["id"], {}).setdefault("reason", match["reason"])
    settings = Settings(
        catalog=catalog_key,
        budget=tuple((year, float(kr)) for year, kr in amounts),
        goal_weights=tuple(sorted((g, float(w)) for g, w in inputs.goal_weights.items() if w != 1.0)),
        evidence_weight=float(inputs.evidence_weight),
        udvalg_min=tuple(sorted(limits["udvalg_min"].items())),
        udvalg_max=tuple(sorted(limits["udvalg_max"].items())),
        goal_min=tuple(sorted(limits["goal_min"].items())),
        extra_constraints=tuple(extra),
        extra_assumptions=Assumptions(
            intensity=a.intensity, udvalg_split=a.udvalg_split, range_reach=a.range_reach, reasons=reasons
        ),
    )
    for indsats_id, fields in sorted(rows.items()):
        settings = settings.with_edit(RowEdit(indsats_id, **fields))
    return settings


def _to_controls(
    c: Constraint, years: tuple[Year, ...], rows: dict[str, dict[str, Any]], limits: dict[str, dict[str, float]]
) -> bool:
    """Put a constraint where the app's controls hold it; False when they cannot (it stays an extra)."""
    if isinstance(c, UdvalgMin | UdvalgMax | GoalMin) and c.kr is not None and c.year is None:
        limits[c.kind][c.label] = float(c.kr)
        return True
    if isinstance(c, Lock):
        lock = dict(rows.setdefault(c.id, {}).get("lock", ()))
        for year in years if c.year is None else (c.year,):
            lock[year] = float(c.kr)
        rows[c.id]["lock"] = tuple(sorted(lock.items(), key=lambda kv: str(kv[0])))
        return True
    if isinstance(c, Exclude) and c.year is None:
        rows.setdefault(c.id, {})["exclude"] = True
        return True
    if isinstance(c, Scalable | AllOrNothing) and c.id != "*":
        rows.setdefault(c.id, {})["partial"] = isinstance(c, Scalable)
        return True
    return False
