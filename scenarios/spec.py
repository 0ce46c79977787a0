"""A scenario as a small TOML file that diffs well: catalog, budget, weights, constraints, assumptions.

Paths in the file are relative to the file. Loading reports every problem with its key path
(e.g. `constraints[2].share`), not only the first: first the file's own shape, then what its names
mean for the catalog (an unknown goal, indsats id, udvalg or year, a constraint given twice), each with
the nearest known name. See scenarios/examples/ for annotated examples.
"""

from __future__ import annotations

import dataclasses
import os
import reprlib
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import tomli_w

from optimizer.catalog import load_catalog
from optimizer.constraints import CONSTRAINTS, Constraint, Year
from optimizer.errors import CatalogError, InputFileError, InputProblem, PuljeError, SpecError
from optimizer.files import read_text
from optimizer.inputs import DEFAULT_EVIDENCE_WEIGHT, RANGE_POLICIES, Assumptions, Budget, Inputs
from optimizer.limits import (
    MAX_KR,
    MAX_REACH,
    MAX_SCENARIO_BYTES,
    MAX_SHARE,
    MAX_SPREAD,
    MAX_WEIGHT,
    check_number,
    check_year,
    is_real,
)

INPUT_FIELDS = ("catalog", "budget", "goal_weights", "evidence_weight", "constraints", "assumptions")


class ScenarioError(PuljeError, ValueError):
    """A scenario file with problems; lists each with its key path."""

    def __init__(self, origin: str, problems: list[str]):
        self.origin = origin
        self.problems = list(problems)
        count = len(problems)
        super().__init__(
            f"{origin}: {count} problem{'s' if count != 1 else ''}" + "".join(f"\n  - {p}" for p in problems)
        )


@dataclass(frozen=True)
class Uncertainty:
    """What robustness() draws: goal weights around the chosen ones, reach within ranges.

    goal_weight_sd: spread of each goal weight as a relative standard deviation (lognormal; 0 = fixed).
    reach_ranges: whether to draw reach uniformly within each stated range (reach_min-reach_max).
    reach: extra ranges per indsats, {id: (low, high)}, as user assumptions.
    """

    goal_weight_sd: float = 0.2
    reach_ranges: bool = True
    reach: dict[str, tuple[float, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class Scenario:
    """A named what-if: the Inputs of a solve (catalog, pulje, weights, constraints, assumptions), where its
    files came from, and how to run it.

    optimize=False values the baseline allocation instead of optimizing (e.g. the decided plan).
    The Inputs' fields read through: scenario.budget is scenario.inputs.budget.
    """

    name: str
    inputs: Inputs
    description: str = ""
    catalog_path: Path | None = None
    goals_path: Path | None = None
    asks_path: Path | None = None
    baseline_path: Path | None = None
    optimize: bool = True
    solver: str = "highs"
    uncertainty: Uncertainty = field(default_factory=Uncertainty)

    def __post_init__(self) -> None:
        for name in ("catalog_path", "goals_path", "asks_path", "baseline_path"):  # a path given as text
            value = getattr(self, name)
            if value is not None and not isinstance(value, Path):
                object.__setattr__(self, name, Path(value))

    @classmethod
    def from_files(
        cls,
        name: str,
        catalog: str | Path,
        budget: Budget,
        *,
        goals: str | Path | None = None,
        asks: str | Path | None = None,
        baseline: str | Path | None = None,
        **fields: Any,
    ) -> Scenario:
        """A scenario whose catalog (and goals, per-year asks) are read from files; other fields as keywords."""
        path = Path(catalog).resolve()
        goals_path, asks_path, baseline_path = (Path(p).resolve() if p is not None else None
                                                for p in (goals, asks, baseline))  # fmt: skip
        input_fields = {k: fields.pop(k) for k in list(fields) if k in INPUT_FIELDS}
        catalog_frame = load_catalog(path, goals=goals_path, asks=asks_path)
        inputs = Inputs(catalog_frame, budget, **input_fields)
        return cls(name, inputs, catalog_path=path, goals_path=goals_path, asks_path=asks_path,
                   baseline_path=baseline_path, **fields)  # fmt: skip

    @property
    def catalog(self) -> pd.DataFrame:
        return self.inputs.catalog

    @property
    def budget(self) -> Budget:
        return self.inputs.budget

    @property
    def goal_weights(self) -> dict[str, float]:
        return dict(self.inputs.goal_weights)

    @property
    def evidence_weight(self) -> float:
        return self.inputs.evidence_weight

    @property
    def constraints(self) -> tuple[Constraint, ...]:
        return self.inputs.constraints

    @property
    def assumptions(self) -> Assumptions:
        return self.inputs.assumptions

    def replace(self, **changes: Any) -> Scenario:
        """A copy with some fields changed; the Inputs' fields (budget=, constraints=, catalog= ...) too."""
        input_changes = {k: changes.pop(k) for k in list(changes) if k in INPUT_FIELDS}
        scenario = dataclasses.replace(self, **changes)
        if input_changes:
            scenario = dataclasses.replace(scenario, inputs=scenario.inputs.replace(**input_changes))
        return scenario


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario TOML file; raises ScenarioError listing every problem with its key path.

    The file may be UTF-8 (with or without a byte-order mark), UTF-16 or Windows-1252 (see read_text).
    """
    path = Path(path)
    return scenario_from_dict(read_scenario_toml(path, path.name), base=path.parent, origin=path.name)


def read_scenario_toml(path: Path, origin: str) -> dict[str, Any]:
    """A scenario file's TOML as a table (its encoding and size checked); ScenarioError naming `origin` else."""
    try:
        text, _ = read_text(path, max_bytes=MAX_SCENARIO_BYTES)
    except InputFileError as exc:
        raise ScenarioError(origin, [str(exc)]) from None
    try:
        return tomllib.loads(text)
    except ValueError as exc:  # TOMLDecodeError, or an integer of more than 4300 digits
        raise ScenarioError(origin, [f"not valid TOML: {exc}"]) from None
    except RecursionError:
        raise ScenarioError(origin, ["not valid TOML for pulje: arrays or tables are nested too deeply"]) from None


def save_scenario(scenario: Scenario, path: str | Path) -> Path:
    """Write a scenario as TOML (paths relative to the file), so that load_scenario gives it back."""
    path = Path(path)
    path.write_text(scenario_toml(scenario, base=path.parent), encoding="utf-8")
    return path


def scenario_toml(scenario: Scenario, *, base: Path | None = Path(".")) -> str:
    """The scenario as TOML text: stable key order, whole kroner without decimals, and every
    constraint as its own [[constraints]] table, so that one added constraint is one added block.
    Paths are written relative to `base`, or absolute with base=None (a file saved anywhere on this machine)."""
    data: dict[str, Any] = {key: _whole(value) for key, value in scenario_to_dict(scenario, base=base).items()}
    for key in ("budget", "weights", "assumptions", "uncertainty"):
        if isinstance(data.get(key), dict):
            data[key] = _sorted(data[key])
    constraints, uncertainty = data.pop("constraints"), data.pop("uncertainty")
    blocks = [tomli_w.dumps(data)] + ["[[constraints]]\n" + tomli_w.dumps(c) for c in constraints]
    return "\n".join([*blocks, tomli_w.dumps({"uncertainty": uncertainty})])


def _sorted(table: dict[Any, Any]) -> dict[Any, Any]:
    """A table with its keys (and its sub-tables' keys) sorted, years numerically; empty sub-tables left out."""
    keys = sorted(table, key=lambda k: (0, int(k), "") if str(k).isdigit() else (1, 0, str(k)))
    return {
        key: _sorted(table[key]) if isinstance(table[key], dict) else table[key] for key in keys if table[key] != {}
    }


def _whole(value: object) -> object:
    """Whole floats written as ints (700000, not 700000.0), in nested tables and lists too."""
    if isinstance(value, dict):
        return {key: _whole(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_whole(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def scenario_from_dict(data: dict[str, Any], *, base: Path = Path("."), origin: str = "scenario") -> Scenario:
    """Build a Scenario from parsed TOML, loading its catalog and collecting every problem."""
    problems: list[str] = []
    reader = _Reader(data, problems)
    known = {
        "name", "description", "catalog", "goals", "asks", "baseline", "optimize", "solver", "budget", "weights",
        "assumptions", "constraints", "uncertainty",
    }  # fmt: skip
    problems.extend(_unknown_keys(data, known, ""))
    name = reader.text("name", required=True)
    description = reader.text("description")
    catalog = reader.path("catalog", base, required=True)
    goals = reader.path("goals", base)
    asks = reader.path("asks", base)
    budget = _budget(data.get("budget"), problems)
    weights = _table(data, "weights", "weights", problems)
    problems.extend(_unknown_keys(weights, {"evidence", "goals"}, "weights"))
    goal_weights = _numbers(_table(weights, "goals", "weights.goals", problems), "weights.goals", problems, MAX_WEIGHT)
    evidence = _number(weights.get("evidence", DEFAULT_EVIDENCE_WEIGHT), "weights.evidence", problems, high=MAX_WEIGHT)
    assumptions = _assumptions(_table(data, "assumptions", "assumptions", problems), problems)
    constraints = _constraints(data.get("constraints", []), problems)
    uncertainty = _uncertainty(_table(data, "uncertainty", "uncertainty", problems), problems)
    solver = reader.text("solver") or "highs"
    if solver not in ("highs", "cbc"):
        problems.append(f"solver: {reprlib.repr(solver)} is not a solver (use highs or cbc)")
    optimize = data.get("optimize", True)
    if not isinstance(optimize, bool):
        problems.append("optimize: expected true or false")
    baseline = reader.path("baseline", base)
    if optimize is False and baseline is None:
        problems.append("optimize: false needs a baseline allocation file to value")
    if problems:
        raise ScenarioError(origin, problems)
    assert catalog is not None and evidence is not None  # else a problem above
    try:
        frame = load_catalog(catalog, goals=goals, asks=asks)
        inputs = Inputs(frame, budget, goal_weights, evidence, tuple(constraints), assumptions)
    except CatalogError as exc:
        raise ScenarioError(origin, [f"catalog: {exc}"]) from None
    except SpecError as exc:
        raise ScenarioError(origin, [toml_problem(p) for p in exc.problems]) from None
    unknown = sorted(set(uncertainty.reach) - set(frame["id"]))
    if unknown:
        raise ScenarioError(origin, [f"uncertainty.reach.{key}: unknown indsats id {key!r}" for key in unknown])
    return Scenario(
        name=name,
        inputs=inputs,
        description=description,
        catalog_path=catalog,
        goals_path=goals,
        asks_path=asks,
        baseline_path=baseline,
        optimize=optimize,
        solver=solver,
        uncertainty=uncertainty,
    )


def toml_problem(problem: InputProblem) -> str:
    """A problem with the Inputs, located by the key path a scenario file uses."""
    path = list(problem.path)
    renames = {"goal_weights": ["weights", "goals"], "evidence_weight": ["weights", "evidence"]}
    if path and path[0] in renames:
        path = [*renames[str(path[0])], *path[1:]]
    return str(InputProblem(tuple(path), problem.message))


def scenario_to_dict(scenario: Scenario, *, base: Path | None = Path(".")) -> dict[str, Any]:
    """The TOML form of a scenario (the inverse of scenario_from_dict)."""
    if scenario.catalog_path is None:
        raise SpecError(f"scenario {scenario.name!r} has no catalog file: save its catalog first (e.g. as CSV)")
    data: dict[str, Any] = {"name": scenario.name}
    if scenario.description:
        data["description"] = scenario.description
    data["catalog"] = _relative(scenario.catalog_path, base)
    named = (("goals", scenario.goals_path), ("asks", scenario.asks_path), ("baseline", scenario.baseline_path))
    for key, path in named:
        if path is not None:
            data[key] = _relative(path, base)
    if not scenario.optimize:
        data["optimize"] = False
    if scenario.solver != "highs":
        data["solver"] = scenario.solver
    budget = scenario.budget
    data["budget"] = {str(year): amount for year, amount in budget.items()} if isinstance(budget, dict) else budget
    data["weights"] = {"evidence": scenario.evidence_weight, "goals": dict(scenario.goal_weights)}
    data["assumptions"] = _assumptions_to_dict(scenario.assumptions)
    data["constraints"] = [constraint_to_dict(c) for c in scenario.constraints]
    u = scenario.uncertainty
    data["uncertainty"] = {
        "goal_weight_sd": u.goal_weight_sd,
        "reach_ranges": u.reach_ranges,
        "reach": {key: list(value) for key, value in u.reach.items()},
    }
    return data


# --- readers ---------------------------------------------------------------------------------------


class _Reader:
    def __init__(self, data: dict[str, Any], problems: list[str]):
        self.data, self.problems = data, problems

    def text(self, key: str, *, required: bool = False) -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                self.problems.append(f"{key}: missing")
            return ""
        if not isinstance(value, str):
            self.problems.append(f"{key}: expected text, got {reprlib.repr(value)}")
            return ""
        return value

    def path(self, key: str, base: Path, *, required: bool = False) -> Path | None:
        text = self.text(key, required=required)
        if not text:
            return None
        try:
            path = (base / text).resolve() if not Path(text).is_absolute() else Path(text)
            found = path.exists()
        except (OSError, ValueError) as exc:  # a NUL character, a name too long for the file system
            self.problems.append(f"{key}: not a usable file name: {reprlib.repr(text)} ({exc})")
            return None
        if not found:
            self.problems.append(f"{key}: file not found: {text}")
        return path


def _table(data: dict[str, Any], key: str, where: str, problems: list[str]) -> dict[str, Any]:
    """data[key] if it is a table (missing: empty); anything else is a problem at `where`."""
    value = data.get(key, {})
    if not isinstance(value, dict):
        problems.append(f"{where}: expected a table, got {reprlib.repr(value)}")
        return {}
    return value


def _unknown_keys(table: dict[str, Any], known: set[str], where: str) -> list[str]:
    prefix = f"{where}." if where else ""
    return [f"{prefix}{key}: unknown key (known: {', '.join(sorted(known))})" for key in table if key not in known]


def _number(value: object, where: str, problems: list[str], *, high: float) -> float | None:
    """`value` as a float if it is a finite number from 0 to `high`; else a problem at `where` and None."""
    try:
        return check_number(value, "the value", high=high)
    except ValueError as exc:
        problems.append(f"{where}: {exc}")
        return None


def _budget(value: object, problems: list[str]) -> Budget:
    if value is None:
        problems.append("budget: missing (kroner, or a table of kroner per year)")
        return 0.0
    if not isinstance(value, dict):
        return _number(value, "budget", problems, high=MAX_KR) or 0.0
    budget: dict[Year, float] = {}
    for year, amount in value.items():
        try:
            key = check_year(year, "a key")
        except ValueError as exc:
            problems.append(f"budget.{year}: the keys of a budget table are years: {exc}")
            continue
        number = _number(amount, f"budget.{year}", problems, high=MAX_KR)
        if number is not None:  # else a problem, and no scenario
            budget[key] = number
    if not value:
        problems.append("budget: the table has no years")
    return budget


def _numbers(table: object, where: str, problems: list[str], high: float) -> dict[str, float]:
    """A table of numbers from 0 to `high`, each given plainly or as {value = 40, why = "..."}."""
    if not isinstance(table, dict):
        problems.append(f"{where}: expected a table of numbers")
        return {}
    result: dict[str, float] = {}
    for key, value in table.items():
        if isinstance(value, dict):  # {value = 40, why = "..."}
            value = value.get("value")
        number = _number(value, f"{where}.{key}", problems, high=high)
        if number is not None:
            result[key] = number
    return result


def _assumptions(table: dict[str, Any], problems: list[str]) -> Assumptions:
    known = {"reach", "cost", "intensity", "udvalg_split", "extend", "range_reach"}
    problems.extend(_unknown_keys(table, known, "assumptions"))
    reasons = {
        f"{what}.{key}": str(value["why"])
        for what in ("reach", "cost", "intensity", "extend")
        for key, value in _table(table, what, f"assumptions.{what}", []).items()
        if isinstance(value, dict) and "why" in value
    }
    extend: dict[str, dict[Year, float]] = {}
    for key, years in _table(table, "extend", "assumptions.extend", problems).items():
        where = f"assumptions.extend.{key}"
        if not isinstance(years, dict):
            problems.append(f'{where}: expected a table of kroner by year, e.g. {{ 2022 = 150000, why = "..." }}')
            continue
        years_of: dict[str, int] = {}
        for year in years:
            if year == "why":
                continue
            try:
                years_of[year] = check_year(year, "a key")
            except ValueError as exc:
                problems.append(f"{where}.{year}: the keys are years (and why): {exc}")
        amounts = {year: years[year] for year in years_of}
        extend[key] = {years_of[y]: v for y, v in _numbers(amounts, where, problems, MAX_KR).items()}
    splits: dict[str, dict[str, float]] = {}
    for key, split in _table(table, "udvalg_split", "assumptions.udvalg_split", problems).items():
        splits[key] = _numbers(split, f"assumptions.udvalg_split.{key}", problems, MAX_SHARE)
    range_reach = table.get("range_reach", "low")
    if range_reach not in RANGE_POLICIES:
        problems.append(
            f"assumptions.range_reach: expected one of {', '.join(RANGE_POLICIES)}, got {reprlib.repr(range_reach)}"
        )
        range_reach = "low"
    highest = {"reach": MAX_REACH, "cost": MAX_KR, "intensity": MAX_WEIGHT}
    values = {
        what: _numbers(table.get(what) or {}, f"assumptions.{what}", problems, high) for what, high in highest.items()
    }
    for key, value in values["cost"].items():
        if value == 0:
            problems.append(f"assumptions.cost.{key}: a cost must be positive")
    if any(p.startswith("assumptions.") for p in problems):
        return Assumptions()
    return Assumptions(udvalg_split=splits, extend=extend, range_reach=range_reach, reasons=reasons, **values)


_FIELD_WORDS = {str: "text", float: "a number"}


def _constraints(items: object, problems: list[str]) -> list[Constraint]:
    if not isinstance(items, list):
        problems.append("constraints: expected a list of tables ([[constraints]])")
        return []
    constraints = [_constraint(item, f"constraints[{n}]", problems) for n, item in enumerate(items)]
    return [constraint for constraint in constraints if constraint is not None]


def _constraint(item: object, where: str, problems: list[str]) -> Constraint | None:
    """One [[constraints]] table as its constraint, or None with each problem added at its key path."""
    if not isinstance(item, dict) or "kind" not in item:
        problems.append(f"{where}: expected a table with a kind (one of {', '.join(CONSTRAINTS)})")
        return None
    if not isinstance(item["kind"], str):
        problems.append(f"{where}.kind: expected one of {', '.join(CONSTRAINTS)}, got {reprlib.repr(item['kind'])}")
        return None
    cls = CONSTRAINTS.get(item["kind"])
    if cls is None:
        problems.append(
            f"{where}.kind: unknown constraint {reprlib.repr(item['kind'])} (known: {', '.join(CONSTRAINTS)})"
        )
        return None
    hints = typing.get_type_hints(cls)
    expected = {f.name: hints[f.name] for f in dataclasses.fields(cls)}
    arguments = {key: value for key, value in item.items() if key != "kind"}
    unknown = sorted(set(arguments) - set(expected))
    if unknown:
        fields = ", ".join(sorted(expected))
        problems.append(f"{where}: unknown field(s) {unknown} for {item['kind']} (fields: {fields})")
        return None
    wrong = [f"{where}: {p}" for key, value in arguments.items() if (p := _field_problem(key, value, expected[key]))]
    if wrong:
        problems.extend(wrong)
        return None
    try:
        return cls(**{key: tuple(value) if isinstance(value, list) else value for key, value in arguments.items()})
    except (TypeError, ValueError) as exc:  # a missing field, or the constraint's own check (SpecError)
        problems.append(f"{where}: {exc}")
        return None


def _field_problem(name: str, value: object, expected: object) -> str | None:
    """What is wrong with a constraint field's value for its annotated type ("kr must be ..."), or None.

    tuple[str, ...] takes a list of ids; float a finite number (`share` at most 1, any other field is
    kroner, at most MAX_KR); int (only in the Year alias) a year; str text.
    """
    options = typing.get_args(expected) if isinstance(expected, types.UnionType) else (expected,)
    if typing.get_origin(expected) is tuple:
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return None
        return f"{name} must be a list of ids (text), got {reprlib.repr(value)}"
    try:
        if int in options:
            check_year(value, name)
        elif float in options and is_real(value):
            check_number(value, name, high=MAX_SHARE if name == "share" else MAX_KR)
        elif not (str in options and isinstance(value, str)):
            wanted = " or ".join(_FIELD_WORDS[option] for option in options if option in _FIELD_WORDS)
            return f"{name} must be {wanted}, got {reprlib.repr(value)}"
    except ValueError as exc:
        return str(exc)
    return None


def _uncertainty(table: dict[str, Any], problems: list[str]) -> Uncertainty:
    problems.extend(_unknown_keys(table, {"goal_weight_sd", "reach_ranges", "reach"}, "uncertainty"))
    sd = _number(
        table.get("goal_weight_sd", Uncertainty.goal_weight_sd), "uncertainty.goal_weight_sd", problems, high=MAX_SPREAD
    )
    ranges = table.get("reach_ranges", True)
    if not isinstance(ranges, bool):
        problems.append("uncertainty.reach_ranges: expected true or false")
        ranges = True
    reach: dict[str, tuple[float, float]] = {}
    for key, pair in _table(table, "reach", "uncertainty.reach", problems).items():
        where = f"uncertainty.reach.{key}"
        if not (isinstance(pair, list) and len(pair) == 2):
            problems.append(f"{where}: expected [low, high] with 0 ≤ low ≤ high, got {reprlib.repr(pair)}")
            continue
        low, high = (_number(v, where, problems, high=MAX_REACH) for v in pair)
        if low is not None and high is not None:
            if low > high:
                problems.append(f"{where}: expected [low, high] with 0 ≤ low ≤ high, got {reprlib.repr(pair)}")
            reach[key] = (low, high)
    return Uncertainty(goal_weight_sd=sd or 0.0, reach_ranges=ranges, reach=reach)


# --- writers ---------------------------------------------------------------------------------------


def _assumptions_to_dict(assumptions: Assumptions) -> dict[str, Any]:
    reasons = assumptions.reasons
    data: dict[str, Any] = {"range_reach": assumptions.range_reach}
    for what in ("reach", "cost", "intensity"):
        values = getattr(assumptions, what)
        data[what] = {
            key: {"value": value, "why": reasons[f"{what}.{key}"]} if f"{what}.{key}" in reasons else value
            for key, value in values.items()
        }
    data["udvalg_split"] = {key: dict(split) for key, split in assumptions.udvalg_split.items()}
    data["extend"] = {
        key: {**{str(year): kr for year, kr in years.items()}, **({"why": reasons[f"extend.{key}"]}
                                                                  if f"extend.{key}" in reasons else {})}
        for key, years in assumptions.extend.items()
    }  # fmt: skip
    return data


def constraint_to_dict(constraint: Constraint) -> dict[str, Any]:
    """A constraint as its TOML table: kind first, then the fields that differ from their defaults."""
    data: dict[str, Any] = {"kind": constraint.kind}
    for f in dataclasses.fields(constraint):
        value = getattr(constraint, f.name)
        if value is None or value == f.default:
            continue
        data[f.name] = list(value) if isinstance(value, tuple) else value
    return data


def _relative(path: Path, base: Path | None) -> str:
    if base is None:
        return str(path.resolve())
    try:
        return os.path.relpath(path, base.resolve())
    except ValueError:  # another drive on Windows
        return str(path)
