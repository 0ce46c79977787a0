"""Scenario TOML files: the examples load, save/load round-trips, the text diffs well, bad files list every problem."""

from __future__ import annotations

import difflib
import re
import tomllib
from pathlib import Path

import pytest

from optimizer import PuljeError
from optimizer.constraints import (
    CONSTRAINTS,
    AllOrNothing,
    Continuity,
    Exclude,
    FixedLine,
    GoalMin,
    GoalValueMin,
    Lock,
    MaxFunding,
    MinFunding,
    MutuallyExclusive,
    Requires,
    Scalable,
    SetupCost,
    UdvalgMax,
    UdvalgMin,
)
from optimizer.inputs import Assumptions
from scenarios import Scenario, ScenarioError, Uncertainty, load_scenario, save_scenario

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "scenarios" / "examples").glob("*.toml"))
FB_CATALOG = ROOT / "data" / "frederiksberg" / "handleplan_2021_2022.csv"
FB_GOALS = ROOT / "data" / "frederiksberg" / "goals.csv"
FB_TILSKUD = ROOT / "data" / "frederiksberg" / "handleplan_2021_2022_tilskud.csv"
CPH_CATALOG = ROOT / "data" / "copenhagen" / "bruttokatalog_2019_2022.csv"
KVINDER, CRICKET, AABEN = "fb21-kvinder-i-job", "fb21-cricket", "fb21-aaben-raadgivning"

# One sample of every constraint kind, with non-default values in every field that has a default.
SAMPLES: dict[str, tuple] = {
    "udvalg_min": (UdvalgMin("SU", kr=25_000), UdvalgMin("KFU", share=0.1, year=2021)),
    "udvalg_max": (UdvalgMax("AUU", share=0.5), UdvalgMax("UU", kr=150_000.5, year="2022")),
    "goal_min": (GoalMin("sundhed", kr=50_000, year=2022), GoalMin("by", share=0.05)),
    "lock": (Lock(CRICKET, 10_000, year=2021), Lock(KVINDER, 150_000.0)),
    "exclude": (Exclude(CRICKET), Exclude(KVINDER, year=2022)),
    "continuity": (Continuity(0.8), Continuity(0.5, ids=(KVINDER, CRICKET))),
    "requires": (Requires(CRICKET, KVINDER),),
    "exclusive": (MutuallyExclusive((KVINDER, CRICKET)), MutuallyExclusive((KVINDER, CRICKET, AABEN))),
    "fixed_line": (FixedLine("Integrationspriser", 40_000), FixedLine("Netværk", 5_000.0, year=2021)),
    "all_or_nothing": (AllOrNothing(AABEN),),
    "min_funding": (MinFunding(KVINDER, 50_000),),
    "max_funding": (MaxFunding(KVINDER, 120_000.0),),
    "scalable": (Scalable("*"), Scalable(KVINDER)),
    "setup_cost": (SetupCost(AABEN, 20_000),),
    "goal_value_min": (GoalValueMin("sundhed", 50.0),),
}


def _scenario(**changes: object) -> Scenario:
    """A hand-built multi-year Frederiksberg scenario with every optional part filled in."""
    base = Scenario.from_files(
        "Håndbygget: alt udfyldt",
        FB_CATALOG,
        {2021: 722_000.0, 2022: 700_000},
        goal_weights={"arbejdsmarked": 3.0, "sundhed": 0.5},
        evidence_weight=0.25,
        constraints=(),
        assumptions=Assumptions(
            reach={"fb21-farvel-til-farvede-forventninger": 40.0, AABEN: 250},
            cost={CRICKET: 12_000.0},
            intensity={KVINDER: 3.0},
            udvalg_split={AABEN: {"SU": 0.7, "KFU": 0.3}},
            range_reach="mid",
            reasons={
                "reach.fb21-farvel-til-farvede-forventninger": "8 per school, five schools",
                f"reach.{AABEN}": 'we assume 250 different people a year ("many return")',
                f"cost.{CRICKET}": "quoted by the club",
            },
        ),
        description='Every field set, with æøå and "quotes" in the text.',
        goals=FB_GOALS,
        baseline=FB_TILSKUD,
        optimize=True,
        solver="cbc",
        uncertainty=Uncertainty(goal_weight_sd=0.35, reach_ranges=False, reach={AABEN: (100.0, 400)}),
    )
    return base.replace(**changes)


def _copenhagen(**changes: object) -> Scenario:
    """A single-year scenario on another catalog, with no goals or baseline file named."""
    return Scenario.from_files("Håndbygget: København", CPH_CATALOG, 10_000_000.0, **changes)


def _write(tmp_path: Path, text: str, name: str = "bad.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return info.value.problems


# --- the shipped examples ------------------------------------------------------------------------


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_loads_with_the_figures_of_its_file(path: Path) -> None:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    scenario = load_scenario(path)
    assert scenario.name == raw["name"]
    assert scenario.catalog_path == (path.parent / raw["catalog"]).resolve()
    assert scenario.catalog_path.is_file()
    budget = raw["budget"]
    expected_budget = {int(y): float(v) for y, v in budget.items()} if isinstance(budget, dict) else float(budget)
    assert scenario.budget == expected_budget
    assert scenario.evidence_weight == raw.get("weights", {}).get("evidence", 1.0)
    assert scenario.optimize is raw.get("optimize", True)
    assert [c.kind for c in scenario.constraints] == [c["kind"] for c in raw.get("constraints", [])]
    for what, table in raw.get("assumptions", {}).items():
        for key, value in table.items():
            number = value["value"] if isinstance(value, dict) else value
            assert getattr(scenario.assumptions, what)[key] == number
            if isinstance(value, dict) and "why" in value:
                assert scenario.assumptions.reasons[f"{what}.{key}"] == value["why"]


# --- round trips ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_round_trips(path: Path, tmp_path: Path) -> None:
    scenario = load_scenario(path)
    assert load_scenario(save_scenario(scenario, tmp_path / "copy.toml")) == scenario


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_round_trips_from_another_folder(path: Path, tmp_path: Path) -> None:
    """Paths are written relative to the new file, so a copy saved elsewhere still finds its catalog."""
    scenario = load_scenario(path)
    target = tmp_path / "a" / "b"
    target.mkdir(parents=True)
    saved = save_scenario(scenario, target / "copy.toml")
    assert load_scenario(saved) == scenario
    assert not tomllib.loads(saved.read_text(encoding="utf-8"))["catalog"].startswith("/")


def test_every_constraint_kind_has_a_sample() -> None:
    assert set(SAMPLES) == set(CONSTRAINTS)
    for kind, samples in SAMPLES.items():
        assert all(type(c) is CONSTRAINTS[kind] for c in samples), kind


@pytest.mark.parametrize("kind", sorted(CONSTRAINTS))
def test_constraint_kind_round_trips(kind: str, tmp_path: Path) -> None:
    scenario = _scenario(constraints=SAMPLES[kind])
    loaded = load_scenario(save_scenario(scenario, tmp_path / "s.toml"))
    assert loaded.constraints == SAMPLES[kind]
    assert [type(c) for c in loaded.constraints] == [type(c) for c in SAMPLES[kind]]
    assert loaded == scenario


def test_all_constraint_kinds_together_round_trip(tmp_path: Path) -> None:
    everything = tuple(c for kind in sorted(SAMPLES) for c in SAMPLES[kind])
    scenario = _scenario(constraints=everything)
    assert load_scenario(save_scenario(scenario, tmp_path / "s.toml")) == scenario


def test_mutually_exclusive_ids_come_back_as_a_tuple(tmp_path: Path) -> None:
    scenario = _scenario(constraints=(MutuallyExclusive((KVINDER, CRICKET, AABEN)),))
    (loaded,) = load_scenario(save_scenario(scenario, tmp_path / "s.toml")).constraints
    assert loaded.ids == (KVINDER, CRICKET, AABEN)
    assert isinstance(loaded.ids, tuple)


def test_hand_built_scenario_round_trips_field_by_field(tmp_path: Path) -> None:
    scenario = _scenario()
    loaded = load_scenario(save_scenario(scenario, tmp_path / "s.toml"))
    assert loaded.budget == {2021: 722_000, 2022: 700_000}
    assert loaded.goal_weights == {"arbejdsmarked": 3.0, "sundhed": 0.5}
    assert loaded.evidence_weight == 0.25
    assert loaded.assumptions == scenario.assumptions
    assert loaded.assumptions.reasons[f"reach.{AABEN}"] == 'we assume 250 different people a year ("many return")'
    assert loaded.assumptions.reasons[f"cost.{CRICKET}"] == "quoted by the club"
    assert loaded.assumptions.range_reach == "mid"
    assert loaded.uncertainty == Uncertainty(goal_weight_sd=0.35, reach_ranges=False, reach={AABEN: (100.0, 400.0)})
    assert loaded.goals_path == FB_GOALS and loaded.baseline_path == FB_TILSKUD
    assert loaded.solver == "cbc"
    assert loaded.description == scenario.description
    assert loaded == scenario


@pytest.mark.parametrize(
    "changes",
    [
        {"single_year_catalog": True},
        {"optimize": False},
        {"solver": "highs", "description": ""},
        {"budget": {2021: 722_000.0, 2022: 700_000.0, 2023: 0.0}},
        {"uncertainty": Uncertainty()},
        {"goal_weights": {}},
    ],
    ids=["single-year", "not-optimized", "defaults", "three-years", "default-uncertainty", "no-goal-weights"],
)
def test_variants_round_trip(changes: dict, tmp_path: Path) -> None:
    scenario = _copenhagen() if changes.pop("single_year_catalog", False) else _scenario(**changes)
    assert load_scenario(save_scenario(scenario, tmp_path / "s.toml")) == scenario


# --- the text diffs well -------------------------------------------------------------------------


SAVED_CASES = [*EXAMPLES, None]
SAVED_IDS = [*(p.stem for p in EXAMPLES), "hand-built"]


def _saved_case(path: Path | None) -> Scenario:
    return load_scenario(path) if path else _scenario(constraints=tuple(c for s in SAMPLES.values() for c in s))


@pytest.mark.parametrize("path", SAVED_CASES, ids=SAVED_IDS)
def test_writing_twice_gives_identical_text(path: Path | None, tmp_path: Path) -> None:
    scenario = _saved_case(path)
    first = save_scenario(scenario, tmp_path / "one.toml").read_text(encoding="utf-8")
    second = save_scenario(scenario, tmp_path / "two.toml").read_text(encoding="utf-8")
    assert first == second


@pytest.mark.parametrize("path", SAVED_CASES, ids=SAVED_IDS)
def test_saving_what_was_loaded_gives_identical_text(path: Path | None, tmp_path: Path) -> None:
    """save → load → save changes nothing, so re-saving an unchanged scenario shows no diff."""
    first = save_scenario(_saved_case(path), tmp_path / "one.toml").read_text(encoding="utf-8")
    again = save_scenario(load_scenario(tmp_path / "one.toml"), tmp_path / "two.toml").read_text(encoding="utf-8")
    assert again == first


@pytest.mark.parametrize(
    ("one", "two"),
    [
        (
            {"goal_weights": {"arbejdsmarked": 3.0, "sundhed": 0.5}},
            {"goal_weights": {"sundhed": 0.5, "arbejdsmarked": 3.0}},
        ),
        ({"budget": {2021: 722_000.0, 2022: 700_000.0}}, {"budget": {2022: 700_000.0, 2021: 722_000.0}}),
    ],
    ids=["goal-weight-order", "budget-year-order"],
)
def test_equal_scenarios_write_identical_text(one: dict, two: dict, tmp_path: Path) -> None:
    """The text depends on the scenario, not on how its dicts happened to be filled in."""
    first, second = _scenario(**one), _scenario(**two)
    assert first == second
    text_one = save_scenario(first, tmp_path / "one.toml").read_text(encoding="utf-8")
    text_two = save_scenario(second, tmp_path / "two.toml").read_text(encoding="utf-8")
    assert text_one == text_two


def test_top_level_keys_come_in_a_fixed_order(tmp_path: Path) -> None:
    text = save_scenario(_scenario(constraints=SAMPLES["exclusive"]), tmp_path / "s.toml").read_text(encoding="utf-8")
    keys = [line.split(" = ")[0] for line in text.splitlines() if " = " in line and not line.startswith((" ", "["))]
    top = [key for key in keys if key in ("name", "description", "catalog", "goals", "baseline", "solver")]
    assert top == ["name", "description", "catalog", "goals", "baseline", "solver"]
    headers = [line for line in text.splitlines() if line.startswith("[")]
    order = ["[budget]", "[weights]", "[assumptions]", "[[constraints]]", "[uncertainty]"]
    assert [h for h in headers if h in order] == [*order[:3], "[[constraints]]", "[[constraints]]", order[-1]]


@pytest.mark.parametrize("kind", sorted(CONSTRAINTS))
def test_adding_a_constraint_only_adds_lines(kind: str, tmp_path: Path) -> None:
    """Adding one constraint to a scenario shows in a diff as added lines only, not a rewrite of the others."""
    before = _scenario(constraints=(Scalable("*"), Exclude(CRICKET)))
    after = before.replace(constraints=(*before.constraints, SAMPLES[kind][-1]))
    old = save_scenario(before, tmp_path / "before.toml").read_text(encoding="utf-8").splitlines()
    new = save_scenario(after, tmp_path / "after.toml").read_text(encoding="utf-8").splitlines()
    removed = [line for line in difflib.ndiff(old, new) if line.startswith("- ")]
    assert removed == []


# --- bad files: one problem each, with its key path ------------------------------------------------

HEAD = f'name = "x"\ncatalog = "{FB_CATALOG.as_posix()}"\nbudget = 700000\n'
NO_BUDGET = f'name = "x"\ncatalog = "{FB_CATALOG.as_posix()}"\n'

ONE_PROBLEM = {
    "missing-name": (f'catalog = "{FB_CATALOG.as_posix()}"\nbudget = 1\n', r"^name: missing"),
    "missing-catalog": ('name = "x"\nbudget = 1\n', r"^catalog: missing"),
    "missing-budget": (NO_BUDGET, r"^budget: missing"),
    "catalog-not-found": ('name = "x"\ncatalog = "no/such/catalog.csv"\nbudget = 1\n', r"^catalog: .*not found"),
    "goals-not-found": (HEAD + 'goals = "no_goals.csv"\n', r"^goals: .*not found"),
    "baseline-not-found": (HEAD + 'baseline = "no_tilskud.csv"\n', r"^baseline: .*not found"),
    "unknown-top-level-key": (HEAD + "colour = 'red'\n", r"^colour: unknown key"),
    "negative-budget": (NO_BUDGET + "budget = -700000\n", r"^budget: .*-700000"),
    "text-budget": (NO_BUDGET + 'budget = "700.000"\n', r"^budget: "),
    "negative-budget-year": (NO_BUDGET + "[budget]\n2021 = 722000\n2022 = -1\n", r"^budget\.2022: .*-1"),
    "non-year-budget-key": (NO_BUDGET + "[budget]\n2021 = 722000\nnext = 700000\n", r"^budget\.next: .*years"),
    "empty-budget-table": (NO_BUDGET + "[budget]\n", r"^budget: .*no years"),
    "description-not-text": (HEAD + "description = 5\n", r"^description: expected text"),
    "name-not-text": (f'name = 5\ncatalog = "{FB_CATALOG.as_posix()}"\nbudget = 1\n', r"^name: expected text"),
    "unknown-constraint-kind": (HEAD + '[[constraints]]\nkind = "udvalg_maximum"\n', r"^constraints\[0\]\.kind: "),
    "constraint-without-kind": (HEAD + '[[constraints]]\nid = "x"\n', r"^constraints\[0\]: .*kind"),
    "unknown-constraint-field": (
        HEAD
        + '[[constraints]]\nkind = "exclude"\nid = "x"\n[[constraints]]\nkind = "lock"\nid = "x"\nkr = 1\ncolour = 1\n',
        r"^constraints\[1\].*colour",
    ),
    "constraint-share-1.5": (
        HEAD + '[[constraints]]\nkind = "udvalg_max"\nudvalg = "AUU"\nshare = 1.5\n',
        r"^constraints\[0\].*share.*1\.5",
    ),
    "constraint-missing-field": (HEAD + '[[constraints]]\nkind = "lock"\nid = "x"\n', r"^constraints\[0\].*kr"),
    "constraint-negative-kr": (HEAD + '[[constraints]]\nkind = "lock"\nid = "x"\nkr = -5\n', r"^constraints\[0\].*-5"),
    "exclusive-one-id": (HEAD + '[[constraints]]\nkind = "exclusive"\nids = ["x"]\n', r"^constraints\[0\].*two"),
    "constraints-not-a-list": (HEAD + 'constraints = "lock"\n', r"^constraints: "),
    "negative-reach": (HEAD + "[assumptions.reach]\nx = -40\n", r"^assumptions\.reach\.x: .*-40"),
    "negative-reach-with-why": (
        HEAD + '[assumptions.reach]\nx = { value = -40, why = "guess" }\n',
        r"^assumptions\.reach\.x: .*-40",
    ),
    "reach-without-value": (HEAD + '[assumptions.reach]\nx = { why = "guess" }\n', r"^assumptions\.reach\.x: "),
    "zero-cost": (HEAD + "[assumptions.cost]\nx = 0\n", r"^assumptions\.cost\.x: .*positive"),
    "text-intensity": (HEAD + '[assumptions.intensity]\nx = "high"\n', r"^assumptions\.intensity\.x: "),
    "bad-udvalg-split": (HEAD + "[assumptions.udvalg_split.x]\nSU = -0.5\n", r"^assumptions\.udvalg_split\.x\.SU: "),
    "unknown-assumption-key": (HEAD + "[assumptions.reech]\nx = 40\n", r"^assumptions\.reech: unknown key"),
    "range-reach-not-low-mid-high": (HEAD + '[assumptions]\nrange_reach = "average"\n', r"^assumptions\.range_reach: "),
    "negative-goal-weight": (HEAD + "[weights.goals]\nsundhed = -1\n", r"^weights\.goals\.sundhed: .*-1"),
    "negative-evidence-weight": (HEAD + "[weights]\nevidence = -0.5\n", r"^weights\.evidence: .*-0\.5"),
    "uncertainty-low-above-high": (HEAD + "[uncertainty.reach]\nx = [60, 40]\n", r"^uncertainty\.reach\.x: "),
    "uncertainty-negative-low": (HEAD + "[uncertainty.reach]\nx = [-1, 40]\n", r"^uncertainty\.reach\.x: "),
    "uncertainty-three-values": (HEAD + "[uncertainty.reach]\nx = [1, 2, 3]\n", r"^uncertainty\.reach\.x: "),
    "uncertainty-text-range": (HEAD + '[uncertainty.reach]\nx = "40-60"\n', r"^uncertainty\.reach\.x: "),
    "uncertainty-negative-sd": (HEAD + "[uncertainty]\ngoal_weight_sd = -0.2\n", r"^uncertainty\.goal_weight_sd: "),
    "uncertainty-ranges-not-bool": (HEAD + '[uncertainty]\nreach_ranges = "yes"\n', r"^uncertainty\.reach_ranges: "),
    "optimize-false-without-baseline": (HEAD + "optimize = false\n", r"^optimize: .*baseline"),
    "optimize-not-bool": (HEAD + 'optimize = "no"\n', r"^optimize: "),
    "unknown-solver": (HEAD + 'solver = "gurobi"\n', r"^solver: .*gurobi"),
    "invalid-toml": ('name = "x\ncatalog = \n', r"not valid TOML"),
    # a value of the wrong shape where a table is expected: reported, never a crash
    "assumed-reach-not-a-table": (HEAD + "[assumptions]\nreach = 40\n", r"^assumptions\.reach: "),
    "udvalg-split-not-a-table": (HEAD + "[assumptions]\nudvalg_split = 0.5\n", r"^assumptions\.udvalg_split"),
    "uncertainty-reach-not-a-table": (HEAD + "[uncertainty]\nreach = 40\n", r"^uncertainty\.reach: "),
    "constraint-kind-not-text": (HEAD + "[[constraints]]\nkind = ['lock']\n", r"^constraints\[0\]\.kind: "),
    # a misspelt key inside a known table is reported like one at the top level, not silently ignored
    "unknown-weights-key": (HEAD + "[weights]\nevidance = 3.0\n", r"^weights\.evidance: unknown key"),
    "unknown-uncertainty-key": (
        HEAD + "[uncertainty]\ngoal_weight_ds = 0.5\n",
        r"^uncertainty\.goal_weight_ds: unknown",
    ),
}


@pytest.mark.parametrize("case", sorted(ONE_PROBLEM))
def test_bad_file_reports_its_problem_with_the_key_path(case: str, tmp_path: Path) -> None:
    text, pattern = ONE_PROBLEM[case]
    problems = _problems(_write(tmp_path, text))
    assert len(problems) == 1, problems
    assert re.search(pattern, problems[0]), problems[0]


def test_missing_file_is_a_scenario_error(tmp_path: Path) -> None:
    problems = _problems(tmp_path / "nowhere.toml")
    assert len(problems) == 1
    assert "not found" in problems[0]


def test_scenario_error_is_a_pulje_error(tmp_path: Path) -> None:
    with pytest.raises(PuljeError) as info:
        load_scenario(_write(tmp_path, NO_BUDGET))
    assert isinstance(info.value, ScenarioError)
    assert isinstance(info.value, ValueError)
    assert "bad.toml" in str(info.value)


def test_missing_name_catalog_and_budget_are_all_reported(tmp_path: Path) -> None:
    problems = _problems(_write(tmp_path, 'description = "nothing else"\n'))
    assert len(problems) == 3
    assert sorted(p.split(":")[0] for p in problems) == ["budget", "catalog", "name"]


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    text = """
description = "no name, and a problem in every part of the file"
catalog = "missing/catalog.csv"
colour = "red"
optimize = false

[budget]
2021 = -722000
next = 700000

[weights]
evidence = -1

[weights.goals]
sundhed = -2

[assumptions]
range_reach = "average"

[assumptions.reach]
x = -40

[assumptions.cost]
y = 0

[[constraints]]
kind = "udvalg_maximum"

[[constraints]]
kind = "exclude"
id = "x"
colour = "red"

[[constraints]]
kind = "udvalg_max"
udvalg = "AUU"
share = 1.5

[uncertainty]
goal_weight_sd = -0.1

[uncertainty.reach]
z = [60, 40]
"""
    expected_paths = [
        "name",
        "catalog",
        "colour",
        "budget.2021",
        "budget.next",
        "weights.evidence",
        "weights.goals.sundhed",
        "assumptions.range_reach",
        "assumptions.reach.x",
        "assumptions.cost.y",
        "constraints[0].kind",
        "constraints[1]",
        "constraints[2]",
        "uncertainty.goal_weight_sd",
        "uncertainty.reach.z",
        "optimize",
    ]
    with pytest.raises(ScenarioError) as info:
        load_scenario(_write(tmp_path, text))
    problems = info.value.problems
    assert len(problems) == len(expected_paths), "\n".join(problems)
    for path in expected_paths:
        assert sum(p.startswith(f"{path}:") for p in problems) == 1, (path, problems)
    assert f"{len(expected_paths)} problems" in str(info.value)
    for problem in problems:
        assert problem in str(info.value)


# --- what the names mean: checked against the catalog, all at once, with the nearest known name -------------

TWO_YEARS = f'name = "x"\ncatalog = "{FB_CATALOG.as_posix()}"\n[budget]\n2021 = 722000\n2022 = 700000\n'
MEANING = """
[weights.goals]
arbejdsmaked = 2.0

[assumptions.reach]
fb21-aaben-raadgivnig = 250

[[constraints]]
kind = "lock"
id = "fb21-cricet"
kr = 1000

[[constraints]]
kind = "udvalg_max"
udvalg = "AU"
kr = 100000

[[constraints]]
kind = "goal_min"
goal = "sundhed"
kr = 1000

[[constraints]]
kind = "goal_min"
goal = "sundhed"
kr = 2000
year = 2022

[[constraints]]
kind = "exclude"
id = "fb21-cricket"
year = 2023
"""
MEANING_PROBLEMS = {
    "weights.goals.arbejdsmaked": r"unknown goal 'arbejdsmaked'; did you mean 'arbejdsmarked'\?",
    "assumptions.reach.fb21-aaben-raadgivnig": r"unknown indsats id .*did you mean 'fb21-aaben-raadgivning'\?",
    "constraints[0].id": r"unknown indsats id 'fb21-cricet'; did you mean 'fb21-cricket'\?",
    "constraints[1].udvalg": r"udvalg 'AU' does not occur in the catalog; did you mean 'AUU'\?",
    "constraints[3]": r"goal_min\[sundhed,2022\] is given twice \(also constraints\[2\]\)",
    "constraints[4].year": r"year 2023 is not a year of the pulje \(its years are 2021, 2022\)",
}


def test_meaning_problems_are_reported_at_once_with_file_and_key_path(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(_write(tmp_path, TWO_YEARS + MEANING, name="meaning.toml"))
    problems = info.value.problems
    assert len(problems) == len(MEANING_PROBLEMS), "\n".join(problems)
    for path, pattern in MEANING_PROBLEMS.items():
        matching = [p for p in problems if p.startswith(f"{path}: ")]
        assert len(matching) == 1, (path, problems)
        assert re.search(pattern, matching[0]), matching[0]
    assert str(info.value).startswith("meaning.toml: 6 problems")
    assert "None" not in str(info.value)


def test_a_year_on_a_single_year_pulje_never_shows_none(tmp_path: Path) -> None:
    text = HEAD + '[[constraints]]\nkind = "exclude"\nid = "fb21-cricket"\nyear = 2022\n'
    problems = _problems(_write(tmp_path, text))
    assert problems == ["constraints[0].year: year 2022 is not a year of the pulje (it is for one year, none named)"]


def test_meaning_problems_wait_for_the_files_own_shape(tmp_path: Path) -> None:
    """A file with a problem of shape is reported for that first; its names are checked once it reads."""
    problems = _problems(_write(tmp_path, "colour = 'red'\n" + TWO_YEARS + MEANING))
    known = "asks, assumptions, baseline, budget, catalog, constraints, description, goals, name, optimize, solver"
    assert problems == [f"colour: unknown key (known: {known}, uncertainty, weights)"]


def test_a_catalog_problem_is_reported_under_the_catalog_key(tmp_path: Path) -> None:
    catalog = tmp_path / "katalog.csv"
    catalog.write_text("id,name,goals,cost_kr\na,A,job,-5\n", encoding="utf-8")
    problems = _problems(_write(tmp_path, f'name = "x"\ncatalog = "{catalog.as_posix()}"\nbudget = 1\n'))
    assert len(problems) == 1
    assert problems[0].startswith("catalog: katalog.csv: 1 problem")
    assert "row 2, column cost_kr" in problems[0]


def test_uncertainty_range_for_an_unknown_id_is_named(tmp_path: Path) -> None:
    problems = _problems(_write(tmp_path, HEAD + "[uncertainty.reach]\nghost = [1, 2]\n"))
    assert problems == ["uncertainty.reach.ghost: unknown indsats id 'ghost'"]
