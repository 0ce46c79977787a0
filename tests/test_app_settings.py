"""The app's settings as a value: where each catalog starts, how settings become Inputs, a link and back
(hypothesis: any settings survive the round trip), a link that does not fit, and the scenario file and back,
which `pulje run` runs to the allocation the core gives for the same settings."""

from __future__ import annotations

import json
import math
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer import load_catalog, solve
from scenarios import load_scenario, share
from scenarios.bundled import BUNDLED, EXAMPLES, start_settings, stated_pulje
from scenarios.settings import RowEdit, Settings, control_ranges
from scenarios.settings_file import read_scenario, settings_from_scenario, settings_toml
from tests.conftest import pulje

FB = load_catalog(BUNDLED["fb2021"].path)
KK = load_catalog(BUNDLED["kk2019"].path)
FB_START = start_settings("fb2021", FB)
KK_START = start_settings("kk2019", KK)


def test_frederiksberg_2021_starts_from_the_decided_plans_example_with_danish_reasons() -> None:
    assert FB_START.budget == ((2021, 722_000.0), (2022, 700_000.0))
    assert FB_START.evidence_weight == 0.0
    assumed = {e.id: e.reach for e in FB_START.edits}
    assert assumed == {"fb21-farvel-til-farvede-forventninger": 40.0, "fb21-aaben-raadgivning": 250.0}
    assert all("antager" in e.reason for e in FB_START.edits)  # Danish, not the file's English


def test_start_settings_solve_as_the_example_scenario_does() -> None:
    for key, catalog, example in (("fb2021", FB, "frederiksberg_baseline"), ("kk2019", KK, "copenhagen_bruttokatalog")):
        ours = solve(start_settings(key, catalog).to_inputs(catalog))
        theirs = solve(load_scenario(EXAMPLES / f"{example}.toml").inputs)
        assert math.isclose(ours.objective, theirs.objective, rel_tol=1e-12), key
        assert ours.allocation["amount_kr"].round(2).equals(theirs.allocation["amount_kr"].round(2)), key


def test_frederiksberg_2019_starts_at_the_pulje_its_plan_states() -> None:
    catalog = load_catalog(BUNDLED["fb2019"].path)
    assert start_settings("fb2019", catalog).budget == ((None, 1_700_000.0),)
    assert stated_pulje("handleplan_2019", "pulje") == 1_700_000.0


def test_copenhagen_starts_with_its_unstated_reach_excluded_and_said_why() -> None:
    edit = KK_START.edit("kk-vaekstprogram")
    assert edit.exclude and "målgruppe" in edit.reason


@pytest.mark.parametrize(("key", "catalog", "begin"), [("fb2021", FB, FB_START), ("kk2019", KK, KK_START)])
def test_the_starting_pulje_lies_on_the_sliders_grid(key: str, catalog, begin: Settings) -> None:
    ranges = control_ranges(catalog, begin)
    for _, kr in begin.budget:
        assert kr % ranges.step == 0 and kr <= ranges.pulje_high
    assert ranges.pulje_high / ranges.step >= 100


def test_settings_become_the_constraints_and_assumptions_they_say() -> None:
    changed = (
        FB_START.with_limit("udvalg_max", "AUU", 300_000)
        .with_limit("goal_min", "sundhed", 50_000)
        .with_edit(RowEdit("fb21-cricket", lock=((2021, 10_000.0),), reason="aftalt"))
        .with_edit(RowEdit("fb21-udstyrspulje", exclude=True))
        .with_edit(RowEdit("fb21-kvinder-i-job", partial=True, cost_kr=120_000.0, reason="nyt tilbud"))
    )
    inputs = changed.to_inputs(FB)
    kinds = sorted(c.kind for c in inputs.constraints)
    assert kinds == ["exclude", "goal_min", "lock", "scalable", "udvalg_max"]
    assert inputs.assumptions.cost == {"fb21-kvinder-i-job": 120_000.0}
    assert inputs.assumptions.reasons["cost.fb21-kvinder-i-job"] == "nyt tilbud"


def test_an_edit_back_to_nothing_drops_out() -> None:
    locked = FB_START.with_edit(RowEdit("fb21-cricket", exclude=True))
    assert locked.with_edit(RowEdit("fb21-cricket")).edits == FB_START.edits


# --- links ---------------------------------------------------------------------------------------------------

FB_KNOWN = FB_START.to_inputs(FB).known()
IDS = st.sampled_from(sorted(FB_KNOWN.ids))
YEARS = st.sampled_from([2021, 2022])
KR = st.integers(0, 2_000_000).map(float) | st.floats(0, 2e6, allow_nan=False).map(lambda x: round(x, 2))
WEIGHT = st.floats(0, 5, allow_nan=False, allow_infinity=False)


@st.composite
def fb_settings(draw: st.DrawFn) -> Settings:
    """Any settings the app can hold for Frederiksberg 2021-2022 (a reason with any text, a link's worst)."""
    s = FB_START
    for year in (2021, 2022):
        if draw(st.booleans()):
            s = s.with_budget(year, draw(KR))
    for goal in draw(st.lists(st.sampled_from(FB_KNOWN.goals), max_size=3)):
        s = s.with_weight(goal, draw(WEIGHT))
    if draw(st.booleans()):
        s = s.replace(evidence_weight=draw(WEIGHT))
    for which, names in (
        ("udvalg_min", FB_KNOWN.udvalg),
        ("udvalg_max", FB_KNOWN.udvalg),
        ("goal_min", FB_KNOWN.goals),
    ):
        for name in draw(st.lists(st.sampled_from(names), max_size=2, unique=True)):
            s = s.with_limit(which, name, draw(st.none() | KR))
    for indsats_id in draw(st.lists(IDS, max_size=4, unique=True)):
        s = s.with_edit(
            RowEdit(
                indsats_id,
                lock=tuple(sorted(draw(st.dictionaries(YEARS, KR, max_size=2)).items())),
                exclude=draw(st.booleans()),
                partial=draw(st.sampled_from([None, True, False])),
                cost_kr=draw(st.none() | st.integers(1, 10**6).map(float)),
                reach=draw(st.none() | st.floats(0, 1e4, allow_nan=False).map(lambda x: round(x, 3))),
                extend=tuple(sorted(draw(st.dictionaries(YEARS, KR, max_size=2)).items())),
                reason=draw(st.text(max_size=40)),
            )
        )
    if draw(st.booleans()):
        rows = draw(st.dictionaries(st.tuples(IDS, YEARS), KR, min_size=1, max_size=4))
        origin = draw(st.sampled_from(["first", "pinned"]))
        s = s.replace(reference=tuple((i, y, kr) for (i, y), kr in sorted(rows.items())), reference_origin=origin)
    return s


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fb_settings())
def test_any_settings_survive_a_link(original: Settings) -> None:
    params = share.encode(original, FB_START)
    assert all(isinstance(v, str) for v in params.values())
    back, problems = share.decode(params, FB_START, FB_KNOWN)
    assert problems == []
    assert back == original
    assert back.key() == original.key()


def test_a_link_holds_only_what_differs_from_the_start() -> None:
    assert share.encode(FB_START, FB_START) == {"katalog": "fb2021"}
    moved = FB_START.with_budget(2021, 650_000).with_weight("sundhed", 0.125)
    assert share.encode(moved, FB_START) == {"katalog": "fb2021", "pulje.2021": "650000", "vaegt.sundhed": "0,125"}


BAD_LINKS = {
    "unknown key": ({"farve": "rød"}, "»farve«"),
    "not a number": ({"pulje.2021": "mange"}, "»mange«"),
    "negative": ({"pulje.2021": "-5"}, "»-5«"),
    "infinite": ({"evidens": "1e400"}, "»1e400«"),
    "unknown udvalg": ({"udvalg_max.XYZ": "1000"}, "»XYZ«"),
    "unknown goal": ({"vaegt.penge": "2"}, "»penge«"),
    "unknown id": ({"laas.2021.fb21-nope": "1000"}, "»fb21-nope«"),
    "not a year of the pulje": ({"laas.2019.fb21-cricket": "1000"}, "»2019«"),
    "single-year key in a two-year plan": ({"pulje": "700000"}, "»pulje«"),
    "bad choice": ({"delvis.fb21-cricket": "måske"}, "»måske«"),
    "bad extra": ({"ekstra": '[{"kind": "nope"}]'}, "»ekstra«"),
    "bad reference": ({"ref": "fb21-cricket:2021"}, "fb21-cricket:2021"),
}


@pytest.mark.parametrize(("params", "named"), BAD_LINKS.values(), ids=BAD_LINKS.keys())
def test_a_link_item_that_cannot_be_used_is_skipped_in_danish_and_the_rest_applied(params, named: str) -> None:
    good = {"katalog": "fb2021", "pulje.2022": "555000"}
    back, problems = share.decode({**good, **params}, FB_START, FB_KNOWN)
    assert len(problems) == 1 and named in problems[0], problems
    assert dict(back.budget)[2022] == 555_000.0
    assert back.replace(budget=FB_START.budget) == FB_START


# --- scenario files ------------------------------------------------------------------------------------------


def changed_settings() -> Settings:
    return (
        FB_START.with_budget(2021, 600_000)
        .with_weight("arbejdsmarked", 2.5)
        .with_limit("udvalg_max", "AUU", 250_000)
        .with_edit(RowEdit("fb21-cricket", lock=((2021, 10_000.0), (2022, 0.0)), reason="aftalt med klubben"))
        .with_edit(RowEdit("fb21-udstyrspulje", exclude=True, reason="dækkes andetsteds"))
        .with_edit(RowEdit("fb21-dansk-sproglig-opkvalificering", partial=True))
    )


def toml_of(s: Settings) -> str:
    return settings_toml(
        s, FB, name="pulje-appen", catalog_path=BUNDLED["fb2021"].path, baseline_path=BUNDLED["fb2021"].decided_path
    )


def test_the_scenario_file_reads_back_to_the_same_settings(tmp_path: Path) -> None:
    s = changed_settings()
    text = toml_of(s)
    tomllib.loads(text)  # it is TOML
    scenario = read_scenario(text.encode("utf-8"), "plan.toml", tmp_path, lambda key, given: None)
    assert settings_from_scenario(scenario, "fb2021") == s


def test_the_scenario_file_runs_through_pulje_run_to_the_same_allocation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    s = changed_settings()
    path = tmp_path / "elsewhere" / "plan.toml"
    path.parent.mkdir()
    path.write_text(toml_of(s), encoding="utf-8")
    code, out, err = pulje(capsys, "run", str(path), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    expected = solve(s.to_inputs(FB))
    got = {row["id"]: row["amount_kr"] for row in data["allocation"]}
    for indsats_id, amount in zip(expected.allocation["id"], expected.allocation["amount_kr"], strict=True):
        assert math.isclose(got[indsats_id], amount, abs_tol=0.5), indsats_id
    assert math.isclose(data["objective"], expected.objective, rel_tol=1e-9)


def test_a_scenario_file_from_another_machine_finds_the_bundled_catalog_by_name(tmp_path: Path) -> None:
    text = toml_of(changed_settings()).replace(str(BUNDLED["fb2021"].path), "/somewhere/else/handleplan_2021_2022.csv")

    def resolve(key: str, given: str) -> Path | None:
        return BUNDLED["fb2021"].path if Path(given).name == BUNDLED["fb2021"].path.name else None

    scenario = read_scenario(text.encode("utf-8"), "plan.toml", tmp_path, resolve)
    assert scenario.catalog_path == BUNDLED["fb2021"].path


def test_the_example_scenarios_become_settings_that_solve_alike() -> None:
    for path in sorted(EXAMPLES.glob("*.toml")):
        scenario = load_scenario(path)
        s = settings_from_scenario(scenario, "x")
        ours, theirs = solve(s.to_inputs(scenario.catalog)), solve(scenario.inputs)
        assert math.isclose(ours.objective, theirs.objective, rel_tol=1e-12), path.name
