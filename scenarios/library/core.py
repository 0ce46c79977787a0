"""Every call the library makes into the scenario core, in one module, so a change there is one edit here:
load and write scenario TOML, find the files a scenario uses, run it, summarize and compare runs."""

from __future__ import annotations

import math
import os
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from optimizer.catalog import files_beside
from optimizer.errors import SpecError
from optimizer.files import atomic_path
from scenarios import report
from scenarios.compare import Comparison, compare
from scenarios.library.records import ResultSummary
from scenarios.run import ScenarioRun, run
from scenarios.spec import Scenario, load_scenario, scenario_from_dict, scenario_toml

ANCHOR = Path(os.sep) / "pulje-library"  # a stand-in folder: files placed in it are written as bare names
YEAR_COLUMN = re.compile(r"amount_kr_(\d+)")

__all__ = ["Comparison", "Scenario", "ScenarioRun", "load_scenario", "run"]  # used as they are


def scenario_files(scenario: Scenario) -> dict[str, Path]:
    """The files a run of the scenario reads, by role: its catalog, its goals and per-year asks (named, or found
    next to the catalog by the catalog loader's own rule; a sheet of the workbook itself is not stored again)
    and its baseline allocation."""
    if scenario.catalog_path is None:
        raise SpecError(f"scenario {scenario.name!r} has no catalog file to store: save its catalog first")
    files = {"catalog": scenario.catalog_path}
    beside = files_beside(scenario.catalog_path)
    for role, named in (("goals", scenario.goals_path), ("asks", scenario.asks_path)):
        found = named or beside.get(role)
        if found is not None and found != scenario.catalog_path:
            files[role] = found
    if scenario.baseline_path is not None:
        files["baseline"] = scenario.baseline_path
    return files


def with_files(scenario: Scenario, paths: Mapping[str, Path]) -> Scenario:
    """The scenario naming its files (by role) at other paths (for writing it; the loaded figures stay)."""
    return scenario.replace(**{f"{role}_path": Path(path) for role, path in paths.items()})


def stored_toml(scenario: Scenario, file_names: Mapping[str, str]) -> str:
    """The scenario as TOML with each file written as its bare name (`catalog = "handleplan.csv"`)."""
    placed = with_files(scenario, {role: ANCHOR / name for role, name in file_names.items()})
    return scenario_toml(placed, base=ANCHOR)


def from_stored_toml(text: str, paths: Mapping[str, Path], *, origin: str) -> Scenario:
    """A scenario from stored TOML, its files read from `paths` (by role)."""
    data = tomllib.loads(text)
    data.update({role: str(path) for role, path in paths.items()})
    return scenario_from_dict(data, origin=origin)


def write_toml(scenario: Scenario, path: Path) -> None:
    """Write the scenario as a TOML file whose paths are relative to the file (so it runs where it lies)."""
    with atomic_path(path) as temporary:
        temporary.write_text(scenario_toml(scenario, base=path.parent), encoding="utf-8")


def summarize(result: ScenarioRun) -> ResultSummary:
    """Status, objective and kroner per indsats (and per year) of a run; no amounts when it has no solution."""
    outcome = result.result
    if not outcome.is_ok:
        return ResultSummary(outcome.status.value, None, {}, {})
    frame = outcome.allocation
    ids = [str(i) for i in frame["id"]]
    by_year = {
        match.group(1): _amounts(ids, frame[column])
        for column in frame.columns
        if (match := YEAR_COLUMN.fullmatch(str(column)))
    }
    objective = float(outcome.objective)
    return ResultSummary(
        outcome.status.value,
        objective if math.isfinite(objective) else None,
        _amounts(ids, frame["amount_kr"]),
        by_year,
    )


def compare_runs(runs: Sequence[ScenarioRun]) -> Comparison:
    """The core's comparison of two or more runs (the first is the reference)."""
    return compare(*runs)


def comparison_text(comparison: Comparison) -> str:
    return report.comparison_text(comparison)


def comparison_dict(comparison: Comparison) -> dict[str, Any]:
    return report.comparison_dict(comparison)


def _amounts(ids: list[str], amounts: Iterable[float]) -> dict[str, float]:
    return {key: float(amount) for key, amount in zip(ids, amounts, strict=True)}
