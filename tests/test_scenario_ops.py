"""Scenario operations: run, baseline, compare, budget sweeps, two-goal frontiers and robustness draws."""

from __future__ import annotations

import csv
import itertools
import math
import tomllib
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pulp
import pytest

from optimizer import Status
from scenarios import Scenario, Uncertainty, baseline, compare, frontier, load_scenario, robustness, run, sweep_budget
from scenarios.robustness import _draw_values
from scenarios.run import instance_and_model

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_DIR = ROOT / "scenarios" / "examples"
EXAMPLES = sorted(p.stem for p in EXAMPLE_DIR.glob("*.toml"))
OPTIMIZING = [name for name in EXAMPLES if name != "frederiksberg_baseline"]
FREDERIKSBERG = ["frederiksberg_baseline", "frederiksberg_labour_market_first", "frederiksberg_max_reach"]
AON = "frederiksberg_max_reach/all-or-nothing"  # the max-reach scenario without Scalable: the catalog as it is
FB_TILSKUD = ROOT / "data" / "frederiksberg" / "handleplan_2021_2022_tilskud.csv"
FUNDED = 0.5  # kroner


@cache
def scenario(name: str) -> Scenario:
    """An example scenario by file stem; 'x/all-or-nothing' is example x with its constraints dropped."""
    stem, _, variant = name.partition("/")
    loaded = load_scenario(EXAMPLE_DIR / f"{stem}.toml")
    return loaded.replace(constraints=()) if variant == "all-or-nothing" else loaded


@cache
def solved(name: str):
    return run(scenario(name))


def amounts_of(result) -> dict[str, float]:
    return dict(zip(result.allocation["id"], result.allocation["amount_kr"], strict=True))


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def figures(s: Scenario) -> dict[str, dict]:
    """Per indsats, straight from the catalog CSV: cost, the reach the model should use (an assumption, else the
    stated figure, else the low end of the stated range), goals, udvalg. Fixed lines are left out."""
    out = {}
    for row in read_rows(s.catalog):
        if row.get("fixed", "").strip().lower() == "true":
            continue
        if row["id"] in s.assumptions.reach:
            reach = s.assumptions.reach[row["id"]]
        elif row["reach"]:
            reach = float(row["reach"])
        else:
            reach = float(row["reach_min"] or row["reach_max"] or "nan")
        out[row["id"]] = {
            "cost": float(row["cost_kr"]),
            "reach": reach,
            "goals": tuple(row["goals"].split(";")),
            "udvalg": tuple(row["udvalg"].split("/")),
            "stars": float(row["stars"] or 0),
        }
    return out


def fixed_total(s: Scenario) -> float:
    return sum(float(r["cost_kr"]) for r in read_rows(s.catalog) if r.get("fixed", "").strip().lower() == "true")


def goal_value_per_kr(s: Scenario, goal: str) -> dict[str, float]:
    """Value per krone credited to one goal: reach / cost × the goal's weight × evidence factor (intensity 1)."""
    weight = s.goal_weights.get(goal, 1.0)
    return {
        i: f["reach"] / f["cost"] * weight * (goal in f["goals"]) * (1 + s.evidence_weight * f["stars"])
        for i, f in figures(s).items()
    }


def value_per_kr(s: Scenario) -> dict[str, float]:
    return {
        i: f["reach"]
        / f["cost"]
        * sum(s.goal_weights.get(g, 1.0) for g in f["goals"])
        * (1 + s.evidence_weight * f["stars"])
        for i, f in figures(s).items()
    }


def per_year(budget: float, s: Scenario) -> float | dict[int, float]:
    return {year: budget for year in s.budget} if isinstance(s.budget, dict) else budget


def years(s: Scenario) -> int:
    return len(s.budget) if isinstance(s.budget, dict) else 1


# --- run and baseline ----------------------------------------------------------------------------


def _stated_assumptions(name: str) -> list[tuple[str, str, str | None]]:
    """(what, id, why) for every override in the example's TOML file, read with tomllib."""
    raw = tomllib.loads((EXAMPLE_DIR / f"{name}.toml").read_text(encoding="utf-8"))
    found = []
    for what in ("reach", "cost", "intensity"):
        for key, value in raw.get("assumptions", {}).get(what, {}).items():
            found.append((what, key, value.get("why") if isinstance(value, dict) else None))
    return found


def test_examples_state_assumptions_with_reasons() -> None:
    assert sum(len(_stated_assumptions(name)) for name in EXAMPLES) >= 5


@pytest.mark.parametrize("name", EXAMPLES)
def test_run_lists_every_assumption_with_its_reason(name: str) -> None:
    notes = solved(name).assumptions
    for what, key, why in _stated_assumptions(name):
        matching = [
            note for note in notes if key in note and ("ntensity" in note if what == "intensity" else what in note)
        ]
        assert matching, f"no note for the assumed {what} of {key}: {notes}"
        if why:
            assert any(why in note for note in matching), f"the reason for {what}.{key} is not shown: {matching}"


@pytest.mark.parametrize("name", OPTIMIZING)
def test_run_of_an_optimizing_example_is_optimal(name: str) -> None:
    result = solved(name).result
    assert result.status is Status.OPTIMAL
    assert solved(name).scenario == scenario(name)


def test_baseline_example_is_evaluated_not_optimized() -> None:
    assert solved("frederiksberg_baseline").result.status is Status.EVALUATED


@pytest.mark.parametrize("name", FREDERIKSBERG)
def test_baseline_values_the_decided_allocation(name: str) -> None:
    s = scenario(name)
    base = baseline(s)
    assert base.result.status is Status.EVALUATED
    decided: dict[tuple[str, int], float] = {}
    for row in read_rows(FB_TILSKUD):
        decided[row["id"], int(row["year"])] = float(row["amount_kr"])
    frame = base.result.allocation.set_index("id")
    info = figures(s)
    assert set(frame.index) == set(info)
    for indsats_id in info:
        for year in (2021, 2022):
            assert math.isclose(frame.at[indsats_id, f"amount_kr_{year}"], decided.get((indsats_id, year), 0.0))
    expected = sum(
        decided.get((i, y), 0.0) * v for i, v in value_per_kr(s).items() for y in (2021, 2022)
    )  # value = Σ amount / cost × reach × Σ goal weights
    assert math.isclose(base.result.objective, expected, rel_tol=1e-9)


def test_the_decided_allocation_spends_exactly_the_pulje() -> None:
    """The pool table's sums (722.000 and 700.000) include the 40.000 fixed line; nothing is over the pulje."""
    base = baseline(scenario("frederiksberg_baseline")).result
    for year in (2021, 2022):
        assert math.isclose(base.allocation[f"amount_kr_{year}"].sum() + base.fixed[year], base.pulje[year])
    assert not any("above the pulje" in note for note in base.assumptions)


def test_baseline_of_the_labour_market_scenario_uses_its_goal_weights() -> None:
    """The same decided allocation is worth more when arbejdsmarked weighs 3: by 2 × its members' value."""
    plain = baseline(scenario("frederiksberg_max_reach")).result.objective
    labour = baseline(scenario("frederiksberg_labour_market_first")).result.objective
    s = scenario("frederiksberg_max_reach")
    decided = {}
    for row in read_rows(FB_TILSKUD):
        decided[row["id"]] = decided.get(row["id"], 0.0) + float(row["amount_kr"])
    extra = sum(decided.get(i, 0.0) * 2 * v for i, v in goal_value_per_kr(s, "arbejdsmarked").items())
    assert math.isclose(labour - plain, extra, rel_tol=1e-9)


# --- compare -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLES)
def test_a_run_compared_with_itself_is_empty(name: str) -> None:
    comparison = compare(solved(name), solved(name))
    assert comparison.is_empty
    assert comparison.differences.empty
    assert comparison.gains.empty
    assert comparison.losses.empty


@pytest.mark.parametrize("name", EXAMPLES)
def test_two_runs_of_one_scenario_compare_empty(name: str) -> None:
    assert compare(run(scenario(name)), solved(name)).is_empty


PAIRS = [  # "baseline": the decided allocation valued with the second scenario's weights
    ("baseline", "frederiksberg_max_reach"),
    ("baseline", "frederiksberg_labour_market_first"),
    ("frederiksberg_max_reach", AON),
    ("copenhagen_bruttokatalog", "copenhagen_evidence_first"),
]
PAIR_IDS = [f"{a}-vs-{b}" for a, b in PAIRS]


@cache
def _runs(first: str, second: str):
    one = baseline(scenario(second)) if first == "baseline" else solved(first)
    return one, solved(second)


@pytest.mark.parametrize(("first", "second"), PAIRS, ids=PAIR_IDS)
def test_compare_lists_exactly_the_indsatser_whose_amounts_differ(first: str, second: str) -> None:
    one, two = _runs(first, second)
    if first == "baseline":  # the decided amounts, from the tilskud file itself
        a: dict[str, float] = dict.fromkeys(figures(scenario(second)), 0.0)
        for row in read_rows(FB_TILSKUD):
            if row["id"] in a:
                a[row["id"]] += float(row["amount_kr"])
    else:
        a = amounts_of(one.result)
    b = amounts_of(two.result)
    expected = {i for i in a if abs(a[i] - b[i]) > FUNDED}
    comparison = compare(one, two)
    assert expected, "the pair should differ somewhere"
    assert set(comparison.differences["id"]) == expected
    assert not comparison.is_empty
    assert set(comparison.gains["id"]) == {i for i in expected if b[i] > a[i]}
    assert set(comparison.losses["id"]) == {i for i in expected if b[i] < a[i]}
    for frame, sign in ((comparison.gains, 1), (comparison.losses, -1)):
        for row in frame.itertuples(index=False):
            assert sign * row.change > 0
            assert math.isclose(row.change, b[row.id] - a[row.id], abs_tol=1e-6)


@pytest.mark.parametrize(("first", "second"), PAIRS, ids=PAIR_IDS)
def test_compare_udvalg_totals_are_sums_of_the_indsatser(first: str, second: str) -> None:
    comparison = compare(*_runs(first, second))
    info = figures(scenario(second))
    amounts = comparison.by_indsats.set_index("id")
    by_udvalg = comparison.by_udvalg.set_index("udvalg")
    for label in comparison.labels:
        expected: dict[str, float] = {}
        for indsats_id, f in info.items():
            for udvalg in f["udvalg"]:  # a shared "SU/KFU" indsats counts half to each
                expected[udvalg] = expected.get(udvalg, 0.0) + amounts.at[indsats_id, label] / len(f["udvalg"])
        assert set(by_udvalg.index) == set(expected)
        for udvalg, kr in expected.items():
            assert math.isclose(by_udvalg.at[udvalg, label], kr, abs_tol=1e-6), (label, udvalg)


@pytest.mark.parametrize(("first", "second"), PAIRS, ids=PAIR_IDS)
def test_compare_goal_totals_are_sums_of_the_indsatser(first: str, second: str) -> None:
    comparison = compare(*_runs(first, second))
    info = figures(scenario(second))
    amounts = comparison.by_indsats.set_index("id")
    by_goal = comparison.by_goal.set_index("goal")
    for label in comparison.labels:
        for goal in by_goal.index:
            expected = sum(amounts.at[i, label] for i, f in info.items() if goal in f["goals"])
            assert math.isclose(by_goal.at[goal, label], expected, abs_tol=1e-6), (label, goal)


def test_shared_udvalg_split_in_the_max_reach_run() -> None:
    """By hand: KFU gets udstyrspulje + cricket + half of borgerservice-to-go and åben rådgivning."""
    a = amounts_of(solved("frederiksberg_max_reach").result)
    kfu = a["fb21-udstyrspulje"] + a["fb21-cricket"] + (a["fb21-borgerservice-to-go"] + a["fb21-aaben-raadgivning"]) / 2
    by_udvalg = solved("frederiksberg_max_reach").result.by_udvalg.set_index("udvalg")
    assert math.isclose(by_udvalg.at["KFU", "amount_kr"], kfu)


# --- budget sweeps -------------------------------------------------------------------------------

SWEEPS = {
    "frederiksberg_max_reach": [0, 30_000, 40_000, 100_000, 250_000, 400_000, 550_000, 700_000, 900_000, 1_200_000],
    "frederiksberg_labour_market_first": [0, 40_000, 100_000, 250_000, 400_000, 550_000, 700_000, 1_200_000],
    AON: [0, 30_000, 40_000, 100_000, 250_000, 400_000, 550_000, 700_000, 900_000, 1_200_000],
    "copenhagen_bruttokatalog": [0, 500_000, 2_000_000, 5_000_000, 10_000_000, 20_000_000, 40_000_000],
    "copenhagen_evidence_first": [0, 1_000_000, 3_000_000, 10_000_000, 25_000_000],
}
SWEEP_POINTS = [(name, budget) for name, budgets in SWEEPS.items() for budget in budgets]


@cache
def swept(name: str):
    return sweep_budget(scenario(name), SWEEPS[name])


@pytest.mark.parametrize("name", list(SWEEPS))
def test_sweep_objective_never_falls_as_the_budget_grows(name: str) -> None:
    points = swept(name).points
    assert list(points["budget_kr"]) == sorted(float(b) for b in SWEEPS[name])
    feasible = points[points["status"] != "infeasible"]
    assert len(feasible) >= 3
    objectives = feasible["objective"].to_numpy()
    assert np.all(np.diff(objectives) >= -1e-9 * np.abs(objectives).max())
    assert objectives[-1] > objectives[0]


@pytest.mark.parametrize("name", list(SWEEPS))
def test_sweep_is_infeasible_exactly_below_the_fixed_lines(name: str) -> None:
    points = swept(name).points
    expected = points["budget_kr"] < fixed_total(scenario(name))
    assert list(points["status"] == "infeasible") == list(expected)


@pytest.mark.parametrize(("name", "budget"), SWEEP_POINTS, ids=[f"{n}@{b}" for n, b in SWEEP_POINTS])
def test_sweep_point_equals_a_fresh_run(name: str, budget: float) -> None:
    s = scenario(name)
    point = swept(name).points.set_index("budget_kr").loc[float(budget)]
    fresh = run(s.replace(budget=per_year(budget, s))).result
    assert point["status"] == fresh.status.value
    if fresh.is_ok:
        assert math.isclose(point["objective"], fresh.objective, rel_tol=1e-6, abs_tol=1e-9)


@pytest.mark.parametrize("name", list(SWEEPS))
def test_sweep_amounts_give_its_objective_and_stay_in_budget(name: str) -> None:
    s, sweep = scenario(name), swept(name)
    value = value_per_kr(s) if name.startswith("frederiksberg") else amounts_of_value(name)
    for point in sweep.points.itertuples(index=False):
        if point.status == "infeasible":
            continue
        column = sweep.amounts[point.budget_kr]
        assert math.isclose(column.sum(), point.allocated_kr, rel_tol=1e-9, abs_tol=1e-6)
        assert column.sum() <= years(s) * (point.budget_kr - fixed_total(s)) + 1e-3
        worth = sum(column[i] * value[i] for i in column.index)
        assert math.isclose(worth, point.objective, rel_tol=1e-6, abs_tol=1e-9)


def amounts_of_value(name: str) -> dict[str, float]:
    """Value per krone as the solved allocation reports it (for catalogs the helper above does not model)."""
    frame = solved(name).result.allocation
    return dict(zip(frame["id"], frame["value_per_kr"], strict=True))


@pytest.mark.parametrize("name", list(SWEEPS))
def test_sweep_entered_and_left_agree_with_the_amounts(name: str) -> None:
    sweep = swept(name)
    previous = pd.Series(0.0, index=sweep.amounts.index)
    for point in sweep.points.itertuples(index=False):
        now = sweep.amounts[point.budget_kr].fillna(0.0)
        assert set(point.entered) == set(now.index[(now > FUNDED) & (previous <= FUNDED)])
        assert set(point.left) == set(now.index[(now <= FUNDED) & (previous > FUNDED)])
        previous = now


@pytest.mark.parametrize("name", list(SWEEPS))
def test_sweep_entries_are_the_first_budget_with_funding(name: str) -> None:
    sweep = swept(name)
    entries = sweep.entries.set_index("id")["enters_at_kr"]
    assert set(entries.index) == set(sweep.amounts.index)
    for indsats_id, row in sweep.amounts.iterrows():
        funded = [budget for budget, kr in row.items() if kr > FUNDED]
        if funded:
            assert entries[indsats_id] == min(funded), indsats_id
        else:
            assert math.isnan(entries[indsats_id]), indsats_id
    values = sweep.entries["enters_at_kr"].to_numpy()
    known = values[~np.isnan(values)]
    assert np.all(np.diff(known) >= 0)
    assert np.all(np.isnan(values[len(known) :]))


# --- frontiers -----------------------------------------------------------------------------------

FRONTIERS = [
    ("frederiksberg_max_reach", "arbejdsmarked", "sundhed"),
    ("frederiksberg_labour_market_first", "uddannelse", "sundhed"),
    (AON, "arbejdsmarked", "sundhed"),
    (AON, "medborgerskab", "uddannelse"),
    ("copenhagen_bruttokatalog", "job", "foreningsliv"),
    ("copenhagen_evidence_first", "folkeskole", "job"),
]
FRONTIER_IDS = [f"{n}:{a}-{b}" for n, a, b in FRONTIERS]


@cache
def traced(name: str, goal_a: str, goal_b: str):
    return frontier(scenario(name), goal_a, goal_b, points=7)


def _dominates(p: tuple[float, float], q: tuple[float, float], tol: float) -> bool:
    """p beats q on both goals, strictly on at least one (beyond the tolerance)."""
    return p[0] >= q[0] - tol and p[1] >= q[1] - tol and (p[0] > q[0] + tol or p[1] > q[1] + tol)


def _tol(*values: float) -> float:
    return 1e-6 * max(1.0, *(abs(v) for v in values))


@pytest.mark.parametrize(("name", "goal_a", "goal_b"), FRONTIERS, ids=FRONTIER_IDS)
def test_frontier_points_do_not_dominate_each_other(name: str, goal_a: str, goal_b: str) -> None:
    table = traced(name, goal_a, goal_b).points
    points = list(zip(table["value_a"], table["value_b"], strict=True))
    assert len(points) >= 2
    for p, q in itertools.permutations(points, 2):
        assert not _dominates(p, q, _tol(*p, *q)), (p, q)
    assert [b for _, b in points] == sorted(b for _, b in points)


def _single_goal_optimum(name: str, goal: str) -> float:
    """The best value for one goal alone: solve with every other goal weighted 0 (the goal keeps its weight)."""
    s = scenario(name)
    goals = solved(name).result.by_goal["goal"]
    weights = {g: (s.goal_weights.get(g, 1.0) if g == goal else 0.0) for g in goals}
    return run(s.replace(goal_weights=weights)).result.objective


@pytest.mark.parametrize(("name", "goal_a", "goal_b"), FRONTIERS, ids=FRONTIER_IDS)
def test_frontier_endpoints_are_the_single_goal_optima(name: str, goal_a: str, goal_b: str) -> None:
    points = traced(name, goal_a, goal_b).points
    best_a, best_b = _single_goal_optimum(name, goal_a), _single_goal_optimum(name, goal_b)
    assert math.isclose(points["value_a"].iloc[0], best_a, rel_tol=1e-6, abs_tol=1e-9)
    assert math.isclose(points["value_b"].iloc[-1], best_b, rel_tol=1e-6, abs_tol=1e-9)
    assert points["value_a"].max() <= best_a * (1 + 1e-6) + 1e-9
    assert points["value_b"].max() <= best_b * (1 + 1e-6) + 1e-9


@pytest.mark.parametrize(("name", "goal_a", "goal_b"), [f for f in FRONTIERS if f[0].startswith("frederiksberg")])
def test_frontier_values_follow_from_its_amounts(name: str, goal_a: str, goal_b: str) -> None:
    result = traced(name, goal_a, goal_b)
    s = scenario(name)
    va, vb = goal_value_per_kr(s, goal_a), goal_value_per_kr(s, goal_b)
    for n, point in enumerate(result.points.itertuples(index=False)):
        column = result.amounts[n]
        assert math.isclose(sum(column[i] * va[i] for i in column.index), point.value_a, rel_tol=1e-6)
        assert math.isclose(sum(column[i] * vb[i] for i in column.index), point.value_b, rel_tol=1e-6)


def _all_or_nothing_outcomes(goal_a: str, goal_b: str) -> np.ndarray:
    """Every allocation of the Frederiksberg catalog at full cost or nothing, per year within that year's pulje
    (less the 40.000 fixed line), as (value for A, value for B) summed over both years."""
    s = scenario(AON)
    info = figures(s)
    ids = list(info)
    va, vb = goal_value_per_kr(s, goal_a), goal_value_per_kr(s, goal_b)
    per_year = []
    for pulje in s.budget.values():
        room = pulje - fixed_total(s)
        year = []
        for chosen in itertools.product((0, 1), repeat=len(ids)):
            cost = sum(info[i]["cost"] for i, c in zip(ids, chosen, strict=True) if c)
            if cost <= room + 1e-6:
                picked = [i for i, c in zip(ids, chosen, strict=True) if c]
                year.append(
                    (sum(info[i]["cost"] * va[i] for i in picked), sum(info[i]["cost"] * vb[i] for i in picked))
                )
        per_year.append(np.array(year))
    first, second = per_year
    return (first[:, None, :] + second[None, :, :]).reshape(-1, 2)


@pytest.mark.parametrize(("goal_a", "goal_b"), [("arbejdsmarked", "sundhed"), ("medborgerskab", "uddannelse")])
def test_all_or_nothing_frontier_is_not_beaten_by_any_allocation(goal_a: str, goal_b: str) -> None:
    outcomes = _all_or_nothing_outcomes(goal_a, goal_b)
    assert len(outcomes) > 1000
    points = traced(AON, goal_a, goal_b).points
    for a, b in zip(points["value_a"], points["value_b"], strict=True):
        tol = _tol(a, b)
        beats = (outcomes[:, 0] >= a - tol) & (outcomes[:, 1] >= b - tol)
        beats &= (outcomes[:, 0] > a + tol) | (outcomes[:, 1] > b + tol)
        assert not beats.any(), (a, b, outcomes[beats][:3])
        assert np.any(np.all(np.abs(outcomes - [a, b]) <= tol, axis=1)), "a frontier point is no feasible allocation"
    assert math.isclose(points["value_a"].iloc[0], outcomes[:, 0].max(), rel_tol=1e-9)
    assert math.isclose(points["value_b"].iloc[-1], outcomes[:, 1].max(), rel_tol=1e-9)


@pytest.mark.filterwarnings("ignore:PULP_CBC_CMD is deprecated:DeprecationWarning")
@pytest.mark.parametrize(
    ("name", "goal_a", "goal_b"),
    [
        ("frederiksberg_max_reach", "arbejdsmarked", "sundhed"),
        ("frederiksberg_labour_market_first", "uddannelse", "sundhed"),
    ],
)
def test_scalable_frontier_is_not_beaten_by_an_independent_lp(name: str, goal_a: str, goal_b: str) -> None:
    """Our own LP (x[i,t] in [0, cost], budget less the fixed line per year, AUU at most half where the scenario
    says so): maximize A with B at least the point's B; it must not beat the frontier point on A."""
    s = scenario(name)
    info = figures(s)
    va, vb = goal_value_per_kr(s, goal_a), goal_value_per_kr(s, goal_b)
    auu_cap = any(getattr(c, "udvalg", None) == "AUU" for c in s.constraints)
    for point in traced(name, goal_a, goal_b).points.itertuples(index=False):
        problem = pulp.LpProblem("check", pulp.LpMaximize)
        x = {
            (i, y): problem.add_variable(f"x{n}_{y}", 0, info[i]["cost"]) for n, i in enumerate(info) for y in s.budget
        }
        problem += pulp.lpSum(x[i, y] * va[i] for (i, y) in x)
        problem += pulp.lpSum(x[i, y] * vb[i] for (i, y) in x) >= point.value_b * (1 - 1e-7)
        for y, pulje in s.budget.items():
            problem += pulp.lpSum(x[i, y] for i in info) <= pulje - fixed_total(s)
            if auu_cap:
                problem += pulp.lpSum(x[i, y] for i in info if "AUU" in info[i]["udvalg"]) <= 0.5 * pulje
        problem.solve(pulp.PULP_CBC_CMD(msg=False))
        assert pulp.LpStatus[problem.status] == "Optimal"
        assert pulp.value(problem.objective) <= point.value_a * (1 + 1e-6) + 1e-6


TINY_HEADER = (
    "id,name,udvalg,goals,cost_kr,min_kr,max_kr,reach,reach_min,reach_max,reach_unit,stars,scalable,source,quote,note"
)


def _tiny(tmp_path: Path, rows: list[tuple[str, str, int]], budget: float) -> Scenario:
    """A tiny all-or-nothing catalog (id, goals, reach; cost 100 each) with goals a and b."""
    (tmp_path / "goals.csv").write_text("key,title\na,Goal A\nb,Goal B\n", encoding="utf-8")
    lines = [f"{i},{i},SU,{goals},100,,,{reach},,,borgere,,false,test,q," for i, goals, reach in rows]
    (tmp_path / "tiny.csv").write_text("\n".join([TINY_HEADER, *lines]) + "\n", encoding="utf-8")
    return Scenario(name="tiny", catalog=tmp_path / "tiny.csv", budget=budget, evidence_weight=0.0)


def test_frontier_of_a_hand_worked_catalog(tmp_path: Path) -> None:
    """Two of three fit. {aa, bb}: A 30, B 20; {aa, cc}: A 40, B 10; {bb, cc}: A 10, B 30; none dominates another."""
    s = _tiny(tmp_path, [("aa", "a", 30), ("bb", "b", 20), ("cc", "a;b", 10)], 200)
    result = frontier(s, "a", "b", points=11)
    assert list(result.points["value_a"]) == pytest.approx([40, 30, 10])
    assert list(result.points["value_b"]) == pytest.approx([10, 20, 30])
    funded = [set(result.amounts.index[result.amounts[n] > FUNDED]) for n in range(3)]
    assert funded == [{"aa", "cc"}, {"aa", "bb"}, {"bb", "cc"}]


def test_frontier_breaks_a_tie_towards_the_other_goal(tmp_path: Path) -> None:
    """Only one fits and both are worth 10 for A; only bb-ab also serves B, so (10, 10) is the whole frontier
    and (10, 0) would be dominated (aa-a sorts first, so the solver's own tie-break would pick it)."""
    s = _tiny(tmp_path, [("aa-a", "a", 10), ("bb-ab", "a;b", 10)], 100)
    result = frontier(s, "a", "b", points=5)
    assert list(result.points["value_a"]) == pytest.approx([10])
    assert list(result.points["value_b"]) == pytest.approx([10])
    assert result.amounts[0].to_dict() == pytest.approx({"aa-a": 0, "bb-ab": 100})


# --- robustness ----------------------------------------------------------------------------------

ROBUST = ["frederiksberg_max_reach", "frederiksberg_labour_market_first", AON, "copenhagen_bruttokatalog"]
FIXED = Uncertainty(goal_weight_sd=0, reach_ranges=False)


@pytest.mark.parametrize("name", ROBUST)
def test_without_uncertainty_every_draw_is_the_deterministic_run(name: str) -> None:
    s = scenario(name).replace(uncertainty=FIXED)
    result = robustness(s, 6, seed=0)
    table = result.table.set_index("id")
    expected = amounts_of(solved(name).result)
    assert set(table.index) == set(expected)
    for indsats_id, kr in expected.items():
        assert table.at[indsats_id, "core_index"] == (1.0 if kr > FUNDED else 0.0), indsats_id
        for column in ("mean_kr", "p05_kr", "p50_kr", "p95_kr", "robust_kr"):
            assert math.isclose(table.at[indsats_id, column], kr, abs_tol=1.0), (indsats_id, column)
        assert table.at[indsats_id, "sd_kr"] <= 1.0
    assert all(math.isclose(o, solved(name).result.objective, rel_tol=1e-6) for o in result.objectives)
    assert result.uncertain == []


@cache
def drawn(name: str, n: int, seed: int):
    s = scenario(name).replace(uncertainty=Uncertainty(goal_weight_sd=0.4, reach_ranges=True))
    return robustness(s, n, seed=seed)


@pytest.mark.parametrize("name", ROBUST)
def test_core_indices_are_shares_of_draws(name: str) -> None:
    result = drawn(name, 30, 7)
    core = result.table["core_index"].to_numpy()
    assert np.all((core >= 0) & (core <= 1))
    assert np.allclose(core * 30, np.round(core * 30))  # a count of draws out of 30
    assert len(result.objectives) == 30


@pytest.mark.parametrize("name", ROBUST)
def test_robustness_is_reproducible_for_a_seed(name: str) -> None:
    s = scenario(name).replace(uncertainty=Uncertainty(goal_weight_sd=0.4, reach_ranges=True))
    again = robustness(s, 30, seed=7)
    pd.testing.assert_frame_equal(again.table, drawn(name, 30, 7).table)
    assert np.array_equal(again.objectives, drawn(name, 30, 7).objectives)


@pytest.mark.parametrize("name", ROBUST)
def test_robustness_differs_for_another_seed(name: str) -> None:
    assert not np.allclose(drawn(name, 30, 7).objectives, drawn(name, 30, 8).objectives)


@pytest.mark.parametrize("name", ROBUST)
def test_robustness_percentiles_are_ordered_and_within_bounds(name: str) -> None:
    table = drawn(name, 30, 7).table.set_index("id")
    info = figures(scenario(name))
    for indsats_id, row in table.iterrows():
        assert row["p05_kr"] <= row["p50_kr"] + 1e-6 <= row["p95_kr"] + 2e-6, indsats_id
        assert row["p05_kr"] >= -1e-6
        assert row["p95_kr"] <= info[indsats_id]["cost"] * years(scenario(name)) + 1e-6
        assert 0 <= row["robust_kr"] <= info[indsats_id]["cost"] * years(scenario(name)) + 1e-6


@pytest.mark.parametrize("name", ROBUST)
def test_robust_allocation_stays_in_budget(name: str) -> None:
    s = scenario(name)
    room = sum(pulje - fixed_total(s) for pulje in (s.budget.values() if isinstance(s.budget, dict) else [s.budget]))
    assert drawn(name, 30, 7).table["robust_kr"].sum() <= room + 1e-3


def _drawn_reach(s: Scenario, n: int, seed: int) -> tuple[pd.DataFrame, list[str]]:
    """The reaches of n draws (draws × indsatser), read back from the drawn values with goal weights fixed."""
    s = s.replace(uncertainty=Uncertainty(0.0, s.uncertainty.reach_ranges, s.uncertainty.reach))
    inst, _ = instance_and_model(s)
    values, uncertain = _draw_values(s, inst, n, np.random.default_rng(seed))
    per_reach = inst.value_per_kr() / np.where(inst.reach > 0, inst.reach, 1.0)
    reach = np.divide(values, per_reach, out=np.full_like(values, np.nan), where=per_reach > 0)
    return pd.DataFrame(reach, columns=inst.ids), uncertain


@pytest.mark.parametrize("name", ["frederiksberg_max_reach", "copenhagen_bruttokatalog"])
def test_drawn_reaches_stay_within_the_stated_ranges(name: str) -> None:
    s = scenario(name).replace(uncertainty=Uncertainty(0.0, True))
    reach, uncertain = _drawn_reach(s, 4000, 3)
    ranged = 0
    for row in read_rows(s.catalog):
        if row["id"] not in reach.columns:
            continue
        column = reach[row["id"]]
        low, high = row["reach_min"], row["reach_max"]
        if row["id"] not in s.assumptions.reach and low and high:
            ranged += 1
            low, high = float(low), float(high)
            assert column.min() >= low - 1e-9 and column.max() <= high + 1e-9, row["id"]
            span = high - low
            assert column.min() < low + 0.05 * span and column.max() > high - 0.05 * span, row["id"]
            assert math.isclose(column.mean(), (low + high) / 2, rel_tol=0.03), row["id"]
        elif not math.isnan(figures(s)[row["id"]]["reach"]):  # a point figure or an assumption: never drawn
            assert np.allclose(column, figures(s)[row["id"]]["reach"]), row["id"]
    assert ranged >= 1
    assert any(f"for {ranged} indsats" in u for u in uncertain)


def test_drawn_reach_uses_the_users_range_over_an_assumption() -> None:
    s = scenario("frederiksberg_max_reach")
    s = s.replace(uncertainty=Uncertainty(0.0, False, {"fb21-aaben-raadgivning": (100.0, 400.0)}))
    reach, _ = _drawn_reach(s, 3000, 5)
    column = reach["fb21-aaben-raadgivning"]
    assert column.min() >= 100 - 1e-9 and column.max() <= 400 + 1e-9
    assert column.min() < 115 and column.max() > 385
    others = reach.drop(columns=["fb21-aaben-raadgivning"])
    assert np.allclose(others.std(), 0)  # reach_ranges=False: nothing else is drawn


def test_goal_weight_factors_have_mean_one() -> None:
    """With reaches fixed, the mean drawn value per krone is the deterministic one (lognormal factors of mean 1)."""
    s = scenario("frederiksberg_labour_market_first").replace(uncertainty=Uncertainty(0.5, False))
    inst, _ = instance_and_model(s)
    values, uncertain = _draw_values(s, inst, 40_000, np.random.default_rng(11))
    assert np.allclose(values.mean(axis=0), inst.value_per_kr(), rtol=0.02)
    assert values.std(axis=0).min() > 0
    assert len(uncertain) == 1 and "0.5" in uncertain[0]
