"""Hostile scenario files: encodings, files that are not text, nesting that overflows the parser, non-finite
or absurd numbers everywhere a number enters, and constraint fields of the wrong type. Each gives a
ScenarioError naming the key path; generated TOML documents never raise anything else."""

from __future__ import annotations

import errno
import math
import os
import re
import warnings
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer.constraints import CONSTRAINTS
from optimizer.files import EncodingNote
from optimizer.limits import MAX_SCENARIO_BYTES
from scenarios import Scenario, ScenarioError, load_scenario
from tests.hostile.builders import fails_cleanly, write_workbook

ROOT = Path(__file__).resolve().parents[2]
CATALOG = (ROOT / "data" / "frederiksberg" / "handleplan_2021_2022.csv").as_posix()
HEAD = f'name = "Ærø på tværs"\ncatalog = "{CATALOG}"\nbudget = 700000\n'


def _problems(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert path.name in str(info.value)
    return info.value.problems


def _write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "s.toml"
    path.write_bytes(text.encode(encoding))
    return path


# --- encodings and what the file is ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "note"),
    [
        pytest.param("utf-8", None, id="utf-8"),
        pytest.param("utf-8-sig", None, id="utf-8-bom (was 'Invalid statement at line 1, column 1')"),
        pytest.param("utf-16", "UTF-16", id="utf-16"),
        pytest.param("cp1252", "Windows-1252", id="cp1252"),
    ],
)
def test_scenario_in_every_encoding_reads_the_same(encoding: str, note: str | None, tmp_path: Path) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scenario = load_scenario(_write(tmp_path, HEAD, encoding))
    assert scenario.name == "Ærø på tværs"
    assert scenario.budget == 700_000
    notes = [str(w.message).split(":")[0] for w in caught if issubclass(w.category, EncodingNote)]
    assert notes == ([] if note is None else [f"s.toml is not UTF-8; it was read as {note}"])


def _invalid_bytes(folder: Path) -> Path:
    path = folder / "s.toml"
    path.write_bytes(b'name = "\x81"')
    return path


@pytest.mark.parametrize(
    ("make", "pattern"),
    [
        pytest.param(lambda d: d / "s.toml", r"file not found", id="missing"),
        pytest.param(lambda d: (d / "s.toml").mkdir() or d / "s.toml", r"is a folder", id="folder"),
        pytest.param(lambda d: os.mkfifo(d / "s.toml") or d / "s.toml", r"not a regular file", id="fifo"),
        pytest.param(lambda d: write_workbook(d / "s.toml"), r"is a zip archive .*not a text file", id="workbook"),
        pytest.param(_invalid_bytes, r"byte 0x81 on line 1 is neither UTF-8 nor Windows-1252", id="invalid-bytes"),
    ],
)  # fmt: skip
def test_file_that_is_no_scenario(make, pattern: str, tmp_path: Path) -> None:
    problems = _problems(make(tmp_path))
    assert len(problems) == 1 and re.search(pattern, problems[0]), problems


def test_permission_denied_when_opening(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the OS answers a user without read permission (simulated: the tests may run as root)."""
    path = _write(tmp_path, HEAD)

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", refuse)
    assert _problems(path) == [f"cannot read {path}: Permission denied"]


def test_scenario_over_the_size_cap_is_refused_unread(tmp_path: Path) -> None:
    path = _write(tmp_path, "")
    with path.open("wb") as handle:
        handle.truncate(MAX_SCENARIO_BYTES + 1)
    assert re.search(r"more than the limit of 10 MB", _problems(path)[0])


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        pytest.param("x = " + "[" * 5000 + "]" * 5000, r"nested too deeply", id="arrays-nested-5000"),
        pytest.param("x = " + "{a = " * 5000 + "1" + "}" * 5000, r"nested too deeply", id="tables-nested-5000"),
        pytest.param("budget = " + "9" * 5000, r"not valid TOML: Exceeds the limit \(4300 digits\)", id="5000-digits"),
    ],
)
def test_toml_the_parser_cannot_take(text: str, pattern: str, tmp_path: Path) -> None:
    problems = _problems(_write(tmp_path, text))
    assert len(problems) == 1 and re.search(pattern, problems[0]), problems


# --- numbers --------------------------------------------------------------------------------------

NUMBER_PLACES = {
    "budget": ("budget = {}\n", "budget"),
    "budget-year": ("[budget]\n2021 = {}\n", "budget.2021"),
    "evidence": ("[weights]\nevidence = {}\n", "weights.evidence"),
    "goal-weight": ("[weights.goals]\nsundhed = {}\n", "weights.goals.sundhed"),
    "reach": ("[assumptions.reach]\nx = {}\n", "assumptions.reach.x"),
    "reach-with-why": ('[assumptions.reach]\nx = {{ value = {}, why = "guess" }}\n', "assumptions.reach.x"),
    "cost": ("[assumptions.cost]\nx = {}\n", "assumptions.cost.x"),
    "intensity": ("[assumptions.intensity]\nx = {}\n", "assumptions.intensity.x"),
    "udvalg-split": ("[assumptions.udvalg_split.x]\nSU = {}\n", "assumptions.udvalg_split.x.SU"),
    "goal-weight-sd": ("[uncertainty]\ngoal_weight_sd = {}\n", "uncertainty.goal_weight_sd"),
    "uncertainty-reach": ("[uncertainty.reach]\nx = [1, {}]\n", "uncertainty.reach.x"),
    "lock-kr": ('[[constraints]]\nkind = "lock"\nid = "x"\nkr = {}\n', "constraints[0]: kr"),
    "udvalg-share": ('[[constraints]]\nkind = "udvalg_max"\nudvalg = "SU"\nshare = {}\n', "constraints[0]"),
    "fixed-line-kr": ('[[constraints]]\nkind = "fixed_line"\nname = "x"\nkr = {}\n', "constraints[0]: kr"),
}
ABSURD = {"inf": "inf", "minus-inf": "-inf", "nan": "nan", "1e300": "1e300", "400-digits": "9" * 400}


@pytest.mark.parametrize("value", list(ABSURD))
@pytest.mark.parametrize("place", list(NUMBER_PLACES))
def test_non_finite_or_absurd_number_is_refused_at_its_key_path(place: str, value: str, tmp_path: Path) -> None:
    """Each of these once reached the solver and gave "Optimal … objective nan" (or an IndexError)."""
    template, key_path = NUMBER_PLACES[place]
    head = HEAD.replace("budget = 700000\n", "") if place.startswith("budget") else HEAD
    problems = _problems(_write(tmp_path, head + template.format(ABSURD[value])))
    assert len(problems) == 1, problems
    assert problems[0].startswith(key_path), problems
    assert re.search(r"finite|of at most|too large", problems[0]), problems


@pytest.mark.parametrize(
    "key",
    [
        pytest.param('"²"', id="superscript-digit"),
        pytest.param('"2022.5"', id="decimal"),
        pytest.param("20221", id="five"),
    ],
)
def test_extend_year_that_is_no_year_is_a_problem_of_the_file(key: str, tmp_path: Path) -> None:
    """A year under [assumptions.extend] is read as the budget's years are: "²" is a digit to Python but no year."""
    text = HEAD + f"[assumptions.extend]\nfb21-cricket = {{ {key} = 10000 }}\n"
    problems = _problems(_write(tmp_path, text))
    assert any(p.startswith("assumptions.extend.fb21-cricket.") and "must be a year" in p for p in problems), problems


@pytest.mark.parametrize(
    ("key", "pattern"),
    [
        pytest.param('"2021.5"', r"budget\.2021\.5: the keys of a budget table are years", id="decimal"),
        pytest.param('"⁵"', r"budget\.⁵: the keys of a budget table are years", id="superscript-digit"),
        pytest.param("20211", r"budget\.20211: .*must be a year \(1000-9999\)", id="five-digits"),
    ],
)
def test_budget_year_that_is_no_year(key: str, pattern: str, tmp_path: Path) -> None:
    text = HEAD.replace("budget = 700000\n", "") + f"[budget]\n{key} = 700000\n"
    problems = _problems(_write(tmp_path, text))
    assert any(re.search(pattern, p) for p in problems), problems


# --- constraint fields of the wrong type ----------------------------------------------------------

WRONG_FIELDS = {
    "id-nested-list": ('kind = "lock"\nid = [["a0"]]\nkr = 1', r"constraints\[0\]: id must be text, got \[\['a0'\]\]"),
    "id-number": ('kind = "exclude"\nid = 7', r"constraints\[0\]: id must be text, got 7"),
    "kr-text": ('kind = "lock"\nid = "a0"\nkr = "100.000"', r"constraints\[0\]: kr must be a number, got '100\.000'"),
    "kr-bool": ('kind = "lock"\nid = "a0"\nkr = true', r"constraints\[0\]: kr must be a number, got True"),
    "share-table": ('kind = "udvalg_max"\nudvalg = "SU"\nshare = {a = 1}', r"share must be a number, got \{'a': 1\}"),
    "udvalg-list": ('kind = "udvalg_min"\nudvalg = ["SU"]\nkr = 1', r"udvalg must be text, got \['SU'\]"),
    "ids-text": ('kind = "exclusive"\nids = "a0"', r"ids must be a list of ids \(text\), got 'a0'"),
    "ids-numbers": (
        'kind = "continuity"\nshare = 0.5\nids = [1, 2]',
        r"ids must be a list of ids \(text\), got \[1, 2\]",
    ),
    "year-decimal": ('kind = "exclude"\nid = "a0"\nyear = 2021.5', r"year must be a year \(1000-9999\), got 2021\.5"),
    "year-word": ('kind = "exclude"\nid = "a0"\nyear = "next"', r"year must be a year \(1000-9999\), got 'next'"),
    "year-date": (
        'kind = "exclude"\nid = "a0"\nyear = 2021-01-01',
        r"year must be a year \(1000-9999\), got 2021-01-01",
    ),
    "prerequisite-bool": ('kind = "requires"\nid = "a0"\nprerequisite = false', r"prerequisite must be text"),
}


@pytest.mark.parametrize("case", list(WRONG_FIELDS))
def test_constraint_field_of_the_wrong_type_names_the_field(case: str, tmp_path: Path) -> None:
    body, pattern = WRONG_FIELDS[case]
    problems = _problems(_write(tmp_path, HEAD + "[[constraints]]\n" + body + "\n"))
    assert len(problems) == 1 and re.search(pattern, problems[0]), problems


def test_a_path_no_file_system_takes(tmp_path: Path) -> None:
    problems = _problems(_write(tmp_path, HEAD.replace(CATALOG, "a\\u0000b") + f'goals = "{"x" * 5000}"\n'))
    assert [p.split(":")[0] for p in problems] == ["catalog", "goals"]
    assert all("not a usable file name" in p for p in problems), problems


@pytest.mark.parametrize("command", ["run", "robustness", "sweep"])
def test_a_hostile_scenario_through_the_cli(command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, HEAD + "[weights]\nevidence = inf\n" + "[uncertainty]\ngoal_weight_sd = nan\n")
    extra = {"run": [], "robustness": ["-n", "3", "--quiet"], "sweep": ["--from", "0", "--to", "1", "--step", "1"]}
    err = fails_cleanly(capsys, tmp_path / "out", command, str(path), *extra[command])
    assert "s.toml: 2 problems" in err and "weights.evidence" in err and "uncertainty.goal_weight_sd" in err


# --- generated documents --------------------------------------------------------------------------

KEYS = st.sampled_from(
    ["name", "catalog", "budget", "weights", "evidence", "goals", "assumptions", "reach", "cost", "intensity",
     "udvalg_split", "range_reach", "constraints", "kind", "id", "ids", "kr", "share", "year", "prerequisite",
     "uncertainty", "goal_weight_sd", "reach_ranges", "optimize", "solver", "baseline", "description", "value",
     "why", "2021", "SU", "x"]
) | st.text(min_size=1, max_size=8)  # fmt: skip
SCALARS = (
    st.booleans()
    | st.integers(min_value=-(10**400), max_value=10**400)
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from([*CONSTRAINTS, CATALOG, "low", "highs", "a0", "*"])
)
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4), max_leaves=25
)
DOCUMENTS = st.fixed_dictionaries({"name": st.text(max_size=5), "catalog": st.just(CATALOG)}) | st.just({})


def _load_generated(path: Path, document: dict) -> Scenario | None:
    """Load a generated document: a Scenario, or None after a ScenarioError naming the file."""
    path.write_text(tomli_w.dumps(document), encoding="utf-8")
    try:
        return load_scenario(path)
    except ScenarioError as exc:
        assert path.name in str(exc)
        return None


def _numbers_of(scenario: Scenario) -> list[float]:
    """Every number a loaded scenario hands to the optimizer."""
    budget = scenario.budget.values() if isinstance(scenario.budget, dict) else [scenario.budget]
    a, u = scenario.assumptions, scenario.uncertainty
    fields = [getattr(c, name, None) for c in scenario.constraints for name in ("kr", "share")]
    return [
        *budget, scenario.evidence_weight, *scenario.goal_weights.values(), u.goal_weight_sd,
        *(x for pair in u.reach.values() for x in pair), *a.reach.values(), *a.cost.values(), *a.intensity.values(),
        *(x for split in a.udvalg_split.values() for x in split.values()), *(f for f in fields if f is not None),
    ]  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(base=DOCUMENTS, extra=st.dictionaries(KEYS, VALUES, max_size=6))
def test_generated_toml_never_raises_anything_but_a_scenario_error(tmp_path: Path, base: dict, extra: dict) -> None:
    scenario = _load_generated(tmp_path / "s.toml", base | extra)
    if scenario is not None:
        assert all(math.isfinite(number) and number >= 0 for number in _numbers_of(scenario))


NUMBER = st.integers(-(10**400), 10**400) | st.floats() | st.sampled_from([0, 0.5, 1, 2021, 700_000])
FIELD = (
    NUMBER | st.booleans() | st.text(max_size=4) | st.sampled_from(["a0", "SU", "2021"]) | st.lists(st.text(max_size=3))
)
NAMED = st.dictionaries(st.sampled_from(["x", "SU", "sundhed"]), NUMBER, max_size=2)
CONSTRAINT_TABLE = st.builds(
    lambda kind, fields: {"kind": kind, **fields},
    st.sampled_from(list(CONSTRAINTS)),
    st.dictionaries(
        st.sampled_from(["id", "ids", "kr", "share", "year", "udvalg", "goal", "name", "prerequisite"]), FIELD
    ),
)
SECTIONS = st.fixed_dictionaries(
    {},
    optional={
        "budget": NUMBER | st.dictionaries(st.sampled_from(["2021", "2022", "21"]), NUMBER, min_size=1, max_size=2),
        "weights": st.fixed_dictionaries({}, optional={"evidence": NUMBER, "goals": NAMED}),
        "assumptions": st.fixed_dictionaries(
            {},
            optional={
                "reach": NAMED,
                "cost": st.dictionaries(
                    st.just("x"), NUMBER | st.fixed_dictionaries({"value": NUMBER, "why": st.text()})
                ),
                "intensity": NAMED,
                "udvalg_split": st.dictionaries(st.just("x"), NAMED, max_size=1),
            },
        ),
        "constraints": st.lists(CONSTRAINT_TABLE, max_size=3),
        "uncertainty": st.fixed_dictionaries(
            {},
            optional={"goal_weight_sd": NUMBER, "reach": st.dictionaries(st.just("x"), st.lists(NUMBER, max_size=3))},
        ),
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sections=SECTIONS)
def test_generated_scenarios_load_with_finite_numbers_or_fail_with_a_scenario_error(
    tmp_path: Path, sections: dict
) -> None:
    """Valid files with generated sections: either every number loaded is finite and in range, or a ScenarioError."""
    scenario = _load_generated(tmp_path / "s.toml", {"name": "x", "catalog": CATALOG, "budget": 700_000} | sections)
    if scenario is not None:
        numbers = _numbers_of(scenario)
        assert all(math.isfinite(number) and 0 <= number <= 1e12 for number in numbers), numbers


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=200))
def test_generated_text_never_raises_anything_but_a_scenario_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    try:
        load_scenario(path)
    except ScenarioError as exc:
        assert "s.toml" in str(exc)
