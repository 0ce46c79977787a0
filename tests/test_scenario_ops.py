"""Scenario operations: run, baseline, compare, budget sweeps, two-goal frontiers and robustness draws.

Expected figures are computed here from the CSV files themselves (csv module, plain arithmetic): an indsats's
value in a year is the share of that year's ask it gets × reach × Σ goal weights × evidence factor. For
Frederiksberg 2021-2022 the asks per year come from the pool table (handleplan_2021_2022_asks.csv); its sums less
the fixed line are exactly the asks of each year, so at the decided pulje every example funds every ask. The
"tight" variants give each year 400.000 kr. instead, so that the optimizer has to choose.
"""

from __future__ import annotations

import csv
import dataclasses
import itertools
import math
import tomllib
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pulp
import pytest

from optimizer import Status, compile_inputs, solve
from optimizer.constraints import Year
from optimizer.result import year_column
from scenarios import Scenario, Uncertainty, baseline, compare, frontier, load_scenario, robustness, run, sweep_budget
from scenarios.robustness import draw_values

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_DIR = ROOT / "scenarios" / "examples"
EXAMPLES = sorted(p.stem for p in EXAMPLE_DIR.glob("*.toml"))
OPTIMIZING = [name for name in EXAMPLES if name != "frederiksberg_baseline"]
FREDERIKSBERG = ["frederiksberg_baseline", "frederiksberg_labour_market_first", "frederiksberg_max_reach"]
TIGHT = {2021: 400_000, 2022: 400_000}  # below either year's asks (682.000 and 660.000 after the fixed line)
AON = "frederiksberg_max_reach/all-or-nothing"  # the max-reach scenario without Scalable: the catalog as it is
MAX_REACH_TIGHT = "frederiksberg_max_reach/tight"
LABOUR_TIGHT = "frederiksberg_labour_market_first/tight"
AON_TIGHT = "frederiksberg_max_reach/tight/all-or-nothing"
FB_TILSKUD = ROOT / "data" / "frederiksberg" / "handleplan_2021_2022_tilskud.csv"
FUNDED = 0.5  # kroner


@cache
def scenario(name: str) -> Scenario:
    """An example scenario by file stem, with variants after slashes: 'all-or-nothing' drops its constraints,
    'tight' gives each year 400.000 kr., 'one-year' makes it a single-year pulje of 400.000 kr."""
    stem, *variants = name.split("/")
    s = load_scenario(EXAMPLE_DIR / f"{stem}.toml")
    for variant in variants:
        changes = {"all-or-nothing": {"constraints": ()}, "tight": {"budget": TIGHT}, "one-year": {"budget": 400_000}}
        s = s.replace(name=f"{s.name} ({variant})", **changes[variant])
    return s


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
    stated figure, else the stated range read by the scenario's policy), goals, udvalg, stars and the stated
    range. Fixed lines are left out."""
    out = {}
    policy = s.assumptions.range_reach
    for row in read_rows(s.catalog_path):
        if row.get("fixed", "").strip().lower() == "true":
            continue
        low, high = (float(row[k]) if row[k] else math.nan for k in ("reach_min", "reach_max"))
        if row["id"] in s.assumptions.reach:
            reach = s.assumptions.reach[row["id"]]
        elif row["reach"]:
            reach = float(row["reach"])
        elif not (math.isnan(low) or math.isnan(high)):
            reach = {"low": low, "mid": (low + high) / 2, "high": high}[policy]
        else:
            reach = high if math.isnan(low) else low
        out[row["id"]] = {
            "cost": float(row["cost_kr"]),
            "reach": reach,
            "low": low,
            "high": high,
            "goals": tuple(row["goals"].split(";")),
            "udvalg": tuple(row["udvalg"].split("/")),
            "stars": float(row["stars"] or 0),
        }
    return out


def fixed_total(s: Scenario) -> float:
    return sum(float(r["cost_kr"]) for r in read_rows(s.catalog_path) if r.get("fixed", "").strip().lower() == "true")


def asks(s: Scenario) -> dict[tuple[str, Year], float]:
    """What each indsats asks for in each year of the scenario's pulje. A single-year pulje: cost_kr. Several
    years: the asks file next to the catalog, where an indsats with rows asks for nothing in a year the file covers
    but it has no row for (cricket's blank 2022); cost_kr where the file says nothing."""
    info = figures(s)
    if not isinstance(s.budget, dict):
        return {(i, None): f["cost"] for i, f in info.items()}
    path = s.catalog_path.with_name(f"{s.catalog_path.stem}_asks.csv")
    rows = read_rows(path) if path.is_file() else []
    listed = {(r["id"], int(r["year"])): float(r["cost_kr"]) for r in rows}
    covered, with_rows = {int(r["year"]) for r in rows}, {r["id"] for r in rows}
    return {
        (i, y): listed.get((i, y), 0.0 if i in with_rows and y in covered else info[i]["cost"])
        for i in info
        for y in s.budget
    }


def per_reach(s: Scenario, goal: str | None = None) -> dict[str, float]:
    """Value of one person reached at full scale: Σ goal weights (or one goal's) × (1 + evidence weight × stars)."""
    return {
        i: sum(s.goal_weights.get(g, 1.0) for g in f["goals"] if goal is None or g == goal)
        * (1 + s.evidence_weight * f["stars"])
        for i, f in figures(s).items()
    }


def full_value(s: Scenario, goal: str | None = None) -> dict[str, float]:
    """Value per year at full scale (of one goal, or of all): reach × per_reach (intensity 1)."""
    return {i: f["reach"] * per_reach(s, goal)[i] for i, f in figures(s).items()}


def worth(s: Scenario, kroner: dict[tuple[str, Year], float], goal: str | None = None) -> float:
    """The value of kroner per indsats and year: Σ kr / that year's ask × value per year at full scale."""
    ask, value = asks(s), full_value(s, goal)
    return sum(kr / ask[key] * value[key[0]] for key, kr in kroner.items() if kr > FUNDED)


def by_year(s: Scenario, result) -> dict[tuple[str, Year], float]:
    years = list(s.budget) if isinstance(s.budget, dict) else [None]
    frame = result.allocation.set_index("id")
    return {(i, y): float(frame.at[i, year_column(y)]) for i in frame.index for y in years}


def decided() -> dict[tuple[str, Year], float]:
    """The decided tilskud per indsats and year, from the baseline file."""
    return {(row["id"], int(row["year"])): float(row["amount_kr"]) for row in read_rows(FB_TILSKUD)}


def per_year(budget: float, s: Scenario) -> float | dict[int, float]:
    return dict.fromkeys(s.budget, budget) if isinstance(s.budget, dict) else budget


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
    """Each grant is valued as the share of that year's ask it covers (before the per-year asks: of cost_kr, the
    larger year's ask, which undervalued the smaller 2022 grants of Dansk sproglig and Farvel til farvede)."""
    s = scenario(name)
    base = baseline(s)
    assert base.result.status is Status.EVALUATED
    frame = base.result.allocation.set_index("id")
    info = figures(s)
    grants = decided()
    assert set(frame.index) == set(info)
    for indsats_id in info:
        for year in (2021, 2022):
            assert math.isclose(frame.at[indsats_id, f"amount_kr_{year}"], grants.get((indsats_id, year), 0.0))
    own = {key: kr for key, kr in grants.items() if key[0] in info}
    assert math.isclose(base.result.objective, worth(s, own), rel_tol=1e-9)


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
    own = {key: kr for key, kr in decided().items() if key[0] in figures(s)}
    assert math.isclose(labour - plain, 2 * worth(s, own, goal="arbejdsmarked"), rel_tol=1e-9)


@pytest.mark.parametrize("name", [name for name in OPTIMIZING if name.startswith("frederiksberg")])
def test_frederiksberg_examples_fund_every_ask_at_the_pool_tables_sums(name: str) -> None:
    """By hand: 722.000 − 40.000 = 682.000 is the sum of the 2021 asks, 700.000 − 40.000 = 660.000 of the 2022
    asks, and every indsats has value: the optimum funds every ask, i.e. it is the decided plan."""
    s = scenario(name)
    ask = asks(s)
    for year, pulje in s.budget.items():
        assert sum(kr for (_, y), kr in ask.items() if y == year) == pulje - fixed_total(s)
    assert by_year(s, solved(name).result) == pytest.approx(ask, abs=FUNDED)
    assert compare(baseline(s), solved(name)).is_empty


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


PAIRS = [  # "baseline": the decided allocation valued with the second scenario's weights (and its tighter pulje)
    ("baseline", MAX_REACH_TIGHT),
    ("baseline", LABOUR_TIGHT),
    (MAX_REACH_TIGHT, AON_TIGHT),
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
        for (indsats_id, _), kr in decided().items():
            if indsats_id in a:
                a[indsats_id] += kr
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


@pytest.mark.parametrize("name", ["frederiksberg_max_reach", MAX_REACH_TIGHT])
def test_shared_udvalg_split_in_the_max_reach_run(name: str) -> None:
    """By hand: KFU gets udstyrspulje + cricket + half of borgerservice-to-go and åben rådgivning."""
    a = amounts_of(solved(name).result)
    kfu = a["fb21-udstyrspulje"] + a["fb21-cricket"] + (a["fb21-borgerservice-to-go"] + a["fb21-aaben-raadgivning"]) / 2
    by_udvalg = solved(name).result.by_udvalg.set_index("udvalg")
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
SWEEP_IDS = [f"{n}@{b}" for n, b in SWEEP_POINTS]


@cache
def swept(name: str):
    return sweep_budget(scenario(name), SWEEPS[name])


@cache
def fresh(name: str, budget: float):
    """An independent solve of the scenario with `budget` in every year (no compiled model reused)."""
    s = scenario(name)
    return solve(s.inputs.replace(budget=per_year(budget, s)))


@pytest.mark.parametrize("name", list(SWEEPS))
def test_sweep_objective_never_falls_as_the_budget_grows(name: str) -> None:
    points = swept(name).points
    assert list(points["budget_per_year_kr"]) == sorted(float(b) for b in SWEEPS[name])
    feasible = points[points["status"] != "infeasible"]
    assert len(feasible) >= 3
    objectives = feasible["objective"].to_numpy()
    assert np.all(np.diff(objectives) >= -1e-9 * np.abs(objectives).max())
    assert objectives[-1] > objectives[0]


@pytest.mark.parametrize("name", list(SWEEPS))
def test_sweep_is_infeasible_exactly_below_the_fixed_lines(name: str) -> None:
    points = swept(name).points
    expected = points["budget_per_year_kr"] < fixed_total(scenario(name))
    assert list(points["status"] == "infeasible") == list(expected)


@pytest.mark.parametrize(("name", "budget"), SWEEP_POINTS, ids=SWEEP_IDS)
def test_sweep_point_equals_a_fresh_run(name: str, budget: float) -> None:
    point = swept(name).points.set_index("budget_per_year_kr").loc[float(budget)]
    result = fresh(name, budget)
    assert point["status"] == result.status.value
    if result.is_ok:
        assert math.isclose(point["objective"], result.objective, rel_tol=1e-6, abs_tol=1e-9)


@pytest.mark.parametrize(("name", "budget"), SWEEP_POINTS, ids=SWEEP_IDS)
def test_sweep_next_100k_is_what_100k_more_buys(name: str, budget: float) -> None:
    """next_100k_value: a fresh solve with 100.000 kr. more in every year, minus the fresh solve at the budget."""
    point = swept(name).points.set_index("budget_per_year_kr").loc[float(budget)]
    here, more = fresh(name, budget), fresh(name, budget + 100_000)
    if not (here.status.is_proven and more.status.is_proven):
        assert math.isnan(point["next_100k_value"])
        return
    assert math.isclose(point["next_100k_value"], more.objective - here.objective, rel_tol=1e-6, abs_tol=1e-6)


@pytest.mark.parametrize("name", list(SWEEPS))
def test_sweep_next_100k_is_not_always_zero(name: str) -> None:
    """Somewhere along each sweep more money buys something (else the test above compares zeros)."""
    assert swept(name).points["next_100k_value"].max() > 0


@pytest.mark.parametrize("name", list(SWEEPS))
def test_best_step_is_where_100k_buys_the_most(name: str) -> None:
    points = swept(name).points
    assert swept(name).best_step["next_100k_value"] == points["next_100k_value"].max()


@pytest.mark.parametrize(("name", "budget"), SWEEP_POINTS, ids=SWEEP_IDS)
def test_sweep_amounts_give_its_objective_and_stay_in_budget(name: str, budget: float) -> None:
    """The sweep's amounts (totals over the years) are a fresh solve's; that solve's amounts per year, valued
    here against each year's ask, give the sweep's objective, and stay within the pulje less the fixed lines."""
    s, sweep = scenario(name), swept(name)
    point = sweep.points.set_index("budget_per_year_kr").loc[float(budget)]
    if point["status"] == "infeasible":
        return
    column = sweep.amounts[float(budget)]
    result = fresh(name, budget)
    assert np.allclose(column.to_numpy(), result.allocation.set_index("id").loc[column.index, "amount_kr"], atol=1.0)
    assert math.isclose(column.sum(), point["allocated_kr"], rel_tol=1e-9, abs_tol=1e-6)
    for year in s.budget if isinstance(s.budget, dict) else [None]:
        assert result.allocation[year_column(year)].sum() <= budget - fixed_total(s) + 1e-3
    if name.startswith("frederiksberg"):
        value = worth(s, by_year(s, result))
    else:  # Copenhagen: one year, intensities assumed: the value per 100.000 kr. the solve reports
        value = float((result.allocation["amount_kr"] * result.allocation["value_per_100k"]).sum() / 100_000)
    assert math.isclose(value, point["objective"], rel_tol=1e-6, abs_tol=1e-9)


@pytest.mark.parametrize("name", list(SWEEPS))
def test_sweep_entered_and_left_agree_with_the_amounts(name: str) -> None:
    sweep = swept(name)
    previous = pd.Series(0.0, index=sweep.amounts.index)
    for point in sweep.points.itertuples(index=False):
        now = sweep.amounts[point.budget_per_year_kr].fillna(0.0)
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


@pytest.mark.parametrize("name", [n for n in SWEEPS if n.startswith("frederiksberg")])
def test_sweep_never_spends_beyond_the_asks(name: str) -> None:
    """With 1,2 mio. kr. a year the optimum stops at the asks: 682.000 + 660.000 kr. over the two years."""
    s = scenario(name)
    top = swept(name).points.set_index("budget_per_year_kr").loc[1_200_000.0]
    assert math.isclose(top["allocated_kr"], sum(asks(s).values()), abs_tol=1.0)
    assert top["next_100k_value"] == pytest.approx(0.0, abs=1e-9)


# --- frontiers -----------------------------------------------------------------------------------

FRONTIERS = [
    (MAX_REACH_TIGHT, "arbejdsmarked", "sundhed"),
    (LABOUR_TIGHT, "uddannelse", "sundhed"),
    (AON_TIGHT, "arbejdsmarked", "sundhed"),
    (AON_TIGHT, "medborgerskab", "uddannelse"),
    ("copenhagen_bruttokatalog", "job", "foreningsliv"),
    ("copenhagen_evidence_first", "folkeskole", "job"),
]
FRONTIER_IDS = [f"{n}:{a}-{b}" for n, a, b in FRONTIERS]


@cache
def traced(name: str, goal_a: str, goal_b: str):
    return frontier(scenario(name), goal_a, goal_b, points=7)


def point_amounts(result, n: int) -> pd.Series:
    """Kroner per indsats (over the years) at frontier point n."""
    return result.amounts.set_index("id")[f"point_{n}"]


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


def test_frontier_at_the_pool_tables_sums_is_one_point() -> None:
    """Every ask fits the decided pulje, so one allocation is best for both goals: a frontier of one point, at
    both single-goal optima (each the value of every ask of its indsatser: Σ reach over the years they ask)."""
    name = "frederiksberg_max_reach"
    s = scenario(name)
    result = frontier(s, "arbejdsmarked", "sundhed", points=5)
    assert len(result.points) == 1
    for goal, column in (("arbejdsmarked", "value_a"), ("sundhed", "value_b")):
        everything = worth(s, asks(s), goal=goal)
        assert math.isclose(result.points[column].iloc[0], everything, rel_tol=1e-9)
        assert math.isclose(everything, _single_goal_optimum(name, goal), rel_tol=1e-9)


def _lp_variables(s: Scenario, problem: pulp.LpProblem) -> dict[tuple[str, int], pulp.LpVariable]:
    """x[i, year] in [0, that year's ask], within each year's pulje less the fixed line (AUU at most half the
    pulje where the scenario caps it)."""
    info, ask = figures(s), asks(s)
    x = {(i, y): problem.add_variable(f"x{n}_{y}", 0, ask[i, y]) for n, i in enumerate(info) for y in s.budget}
    auu_cap = any(getattr(c, "udvalg", None) == "AUU" for c in s.constraints)
    for y, pulje in s.budget.items():
        problem += pulp.lpSum(x[i, y] for i in info) <= pulje - fixed_total(s)
        if auu_cap:
            problem += pulp.lpSum(x[i, y] for i in info if "AUU" in info[i]["udvalg"]) <= 0.5 * pulje
    return x


def _goal_value(s: Scenario, x: dict, goal: str) -> pulp.LpAffineExpression:
    ask, value = asks(s), full_value(s, goal)
    return pulp.lpSum(x[i, y] * value[i] / ask[i, y] for (i, y) in x if ask[i, y] > 0)


def _solve_lp(problem: pulp.LpProblem) -> str:
    problem.solve(pulp.PULP_CBC_CMD(msg=False))
    return pulp.LpStatus[problem.status]


@pytest.mark.filterwarnings("ignore:PULP_CBC_CMD is deprecated:DeprecationWarning")
@pytest.mark.parametrize(("name", "goal_a", "goal_b"), [f for f in FRONTIERS if f[0].startswith("frederiksberg")])
def test_frontier_values_follow_from_its_amounts(name: str, goal_a: str, goal_b: str) -> None:
    """The frontier reports kroner per indsats over the years; some split of them over the years, within each
    year's ask and pulje, is worth exactly the point's value for A and for B (found by our own LP)."""
    result = traced(name, goal_a, goal_b)
    s = scenario(name)
    for n, point in enumerate(result.points.itertuples(index=False)):
        column = point_amounts(result, n)
        problem = pulp.LpProblem("split", pulp.LpMaximize)
        x = _lp_variables(s, problem)
        for i in figures(s):
            problem += pulp.lpSum(x[i, y] for y in s.budget) == column[i]
        value_a, value_b = _goal_value(s, x, goal_a), _goal_value(s, x, goal_b)
        for expression, target in ((value_a, point.value_a), (value_b, point.value_b)):
            problem += expression >= target - _tol(target)
            problem += expression <= target + _tol(target)
        problem += value_a
        assert _solve_lp(problem) == "Optimal", f"point {n}: no split of its amounts gives its values"


def _all_or_nothing_outcomes(name: str, goal_a: str, goal_b: str) -> np.ndarray:
    """Every allocation of the Frederiksberg catalog at each year's full ask or nothing, within that year's pulje
    (less the 40.000 fixed line), as (value for A, value for B) summed over both years."""
    s = scenario(name)
    ask = asks(s)
    va, vb = full_value(s, goal_a), full_value(s, goal_b)
    per_year = []
    for year, pulje in s.budget.items():
        room = pulje - fixed_total(s)
        ids = [i for i in figures(s) if ask[i, year] > 0]  # nothing to fund in a year it asks for nothing
        outcomes = []
        for chosen in itertools.product((0, 1), repeat=len(ids)):
            picked = [i for i, c in zip(ids, chosen, strict=True) if c]
            if sum(ask[i, year] for i in picked) <= room + 1e-6:
                outcomes.append((sum(va[i] for i in picked), sum(vb[i] for i in picked)))
        per_year.append(np.array(outcomes))
    first, second = per_year
    return (first[:, None, :] + second[None, :, :]).reshape(-1, 2)


@pytest.mark.parametrize(("goal_a", "goal_b"), [("arbejdsmarked", "sundhed"), ("medborgerskab", "uddannelse")])
def test_all_or_nothing_frontier_is_not_beaten_by_any_allocation(goal_a: str, goal_b: str) -> None:
    outcomes = _all_or_nothing_outcomes(AON_TIGHT, goal_a, goal_b)
    assert len(outcomes) > 1000
    points = traced(AON_TIGHT, goal_a, goal_b).points
    for a, b in zip(points["value_a"], points["value_b"], strict=True):
        tol = _tol(a, b)
        beats = (outcomes[:, 0] >= a - tol) & (outcomes[:, 1] >= b - tol)
        beats &= (outcomes[:, 0] > a + tol) | (outcomes[:, 1] > b + tol)
        assert not beats.any(), (a, b, outcomes[beats][:3])
        assert np.any(np.all(np.abs(outcomes - [a, b]) <= tol, axis=1)), "a frontier point is no feasible allocation"
    assert math.isclose(points["value_a"].iloc[0], outcomes[:, 0].max(), rel_tol=1e-9)
    assert math.isclose(points["value_b"].iloc[-1], outcomes[:, 1].max(), rel_tol=1e-9)


@pytest.mark.filterwarnings("ignore:PULP_CBC_CMD is deprecated:DeprecationWarning")
@pytest.mark.parametrize(("name", "goal_a", "goal_b"), [FRONTIERS[0], FRONTIERS[1]], ids=FRONTIER_IDS[:2])
def test_scalable_frontier_is_not_beaten_by_an_independent_lp(name: str, goal_a: str, goal_b: str) -> None:
    """Our own LP (x[i,t] in [0, ask of year t], budget less the fixed line per year, AUU at most half where the
    scenario says so): maximize A with B at least the point's B; it must not beat the frontier point on A."""
    s = scenario(name)
    for point in traced(name, goal_a, goal_b).points.itertuples(index=False):
        problem = pulp.LpProblem("check", pulp.LpMaximize)
        x = _lp_variables(s, problem)
        problem += _goal_value(s, x, goal_a)
        problem += _goal_value(s, x, goal_b) >= point.value_b * (1 - 1e-7)
        assert _solve_lp(problem) == "Optimal"
        assert pulp.value(problem.objective) <= point.value_a * (1 + 1e-6) + 1e-6


TINY_HEADER = (
    "id,name,udvalg,goals,cost_kr,min_kr,max_kr,reach,reach_min,reach_max,reach_unit,stars,scalable,source,quote,note"
)


def _tiny(tmp_path: Path, rows: list[tuple[str, str, int]], budget: float) -> Scenario:
    """A tiny all-or-nothing catalog (id, goals, reach; cost 100 each) with goals a and b."""
    (tmp_path / "goals.csv").write_text("key,title\na,Goal A\nb,Goal B\n", encoding="utf-8")
    lines = [f"{i},{i},SU,{goals},100,,,{reach},,,borgere,,false,test,q," for i, goals, reach in rows]
    (tmp_path / "tiny.csv").write_text("\n".join([TINY_HEADER, *lines]) + "\n", encoding="utf-8")
    return Scenario.from_files("tiny", tmp_path / "tiny.csv", budget, evidence_weight=0.0)


def test_frontier_of_a_hand_worked_catalog(tmp_path: Path) -> None:
    """Two of three fit. {aa, bb}: A 30, B 20; {aa, cc}: A 40, B 10; {bb, cc}: A 10, B 30; none dominates another."""
    s = _tiny(tmp_path, [("aa", "a", 30), ("bb", "b", 20), ("cc", "a;b", 10)], 200)
    result = frontier(s, "a", "b", points=11)
    assert list(result.points["value_a"]) == pytest.approx([40, 30, 10])
    assert list(result.points["value_b"]) == pytest.approx([10, 20, 30])
    funded = [set(point_amounts(result, n).index[point_amounts(result, n) > FUNDED]) for n in range(3)]
    assert funded == [{"aa", "cc"}, {"aa", "bb"}, {"bb", "cc"}]


def test_frontier_breaks_a_tie_towards_the_other_goal(tmp_path: Path) -> None:
    """Only one fits and both are worth 10 for A; only bb-ab also serves B, so (10, 10) is the whole frontier
    and (10, 0) would be dominated (aa-a sorts first, so the solver's own tie-break would pick it)."""
    s = _tiny(tmp_path, [("aa-a", "a", 10), ("bb-ab", "a;b", 10)], 100)
    result = frontier(s, "a", "b", points=5)
    assert list(result.points["value_a"]) == pytest.approx([10])
    assert list(result.points["value_b"]) == pytest.approx([10])
    assert point_amounts(result, 0).to_dict() == pytest.approx({"aa-a": 0, "bb-ab": 100})


# --- robustness ----------------------------------------------------------------------------------

ROBUST = [MAX_REACH_TIGHT, LABOUR_TIGHT, AON_TIGHT, "copenhagen_bruttokatalog"]
FIXED = Uncertainty(goal_weight_sd=0, reach_ranges=False)
DRAWN = Uncertainty(goal_weight_sd=0.4, reach_ranges=True)


@pytest.mark.parametrize("name", ROBUST)
def test_without_uncertainty_every_draw_is_the_deterministic_run(name: str) -> None:
    s = scenario(name).replace(uncertainty=FIXED)
    result = robustness(s, 6, seed=0)
    table = result.table.set_index("id")
    expected = amounts_of(solved(name).result)
    assert set(table.index) == set(expected)
    for indsats_id, kr in expected.items():
        assert table.at[indsats_id, "core_index"] == (1.0 if kr > FUNDED else 0.0), indsats_id
        for column in ("mean_kr", "p05_kr", "p50_kr", "p95_kr", "expected_kr", "robust_kr"):
            assert math.isclose(table.at[indsats_id, column], kr, abs_tol=1.0), (indsats_id, column)
        assert table.at[indsats_id, "sd_kr"] <= 1.0
    assert all(math.isclose(o, solved(name).result.objective, rel_tol=1e-6) for o in result.objectives)
    assert math.isclose(result.expected_value, solved(name).result.objective, rel_tol=1e-6)
    assert result.uncertain == ()


@cache
def drawn(name: str, n: int, seed: int):
    return robustness(scenario(name).replace(uncertainty=DRAWN), n, seed=seed)


@pytest.mark.parametrize("name", ROBUST)
def test_core_indices_are_shares_of_draws(name: str) -> None:
    result = drawn(name, 30, 7)
    core = result.table["core_index"].to_numpy()
    assert np.all((core >= 0) & (core <= 1))
    assert np.allclose(core * 30, np.round(core * 30))  # a count of draws out of 30
    assert len(result.objectives) == 30


@pytest.mark.parametrize("name", ROBUST)
def test_robustness_is_reproducible_for_a_seed(name: str) -> None:
    again = robustness(scenario(name).replace(uncertainty=DRAWN), 30, seed=7)
    pd.testing.assert_frame_equal(again.table, drawn(name, 30, 7).table)
    assert np.array_equal(again.objectives, drawn(name, 30, 7).objectives)


@pytest.mark.parametrize("name", ROBUST)
def test_robustness_differs_for_another_seed(name: str) -> None:
    assert not np.allclose(drawn(name, 30, 7).objectives, drawn(name, 30, 8).objectives)


@pytest.mark.parametrize("name", ROBUST)
def test_robustness_percentiles_are_ordered_and_within_bounds(name: str) -> None:
    """No amount over the draws, nor in either plan, exceeds what the indsats asks for over the years."""
    s = scenario(name)
    table = drawn(name, 30, 7).table.set_index("id")
    asked: dict[str, float] = {}
    for (indsats_id, _), kr in asks(s).items():
        asked[indsats_id] = asked.get(indsats_id, 0.0) + kr
    for indsats_id, row in table.iterrows():
        assert row["p05_kr"] <= row["p50_kr"] + 1e-6 <= row["p95_kr"] + 2e-6, indsats_id
        assert row["p05_kr"] >= -1e-6
        for column in ("p95_kr", "robust_kr", "expected_kr"):
            assert -1e-6 <= row[column] <= asked[indsats_id] + 1e-6, (indsats_id, column)


@pytest.mark.parametrize("name", ROBUST)
def test_robust_allocation_stays_in_budget(name: str) -> None:
    s = scenario(name)
    room = sum(pulje - fixed_total(s) for pulje in (s.budget.values() if isinstance(s.budget, dict) else [s.budget]))
    assert drawn(name, 30, 7).table["robust_kr"].sum() <= room + 1e-3
    assert drawn(name, 30, 7).table["expected_kr"].sum() <= room + 1e-3


# --- the expected-value plan and the robust (CVaR) plan ---


@pytest.mark.parametrize("name", ROBUST)
def test_expected_value_plan_does_not_move_with_the_seed(name: str) -> None:
    one, other = drawn(name, 30, 7), drawn(name, 30, 8)
    assert np.array_equal(one.table["expected_kr"], other.table["expected_kr"])
    assert one.expected_value == other.expected_value


def mean_reach(s: Scenario) -> dict[str, float]:
    """The exact mean reach of every indsats whose reach is drawn from its stated range: a triangular distribution
    over [low, high] peaking at the scenario's own reading has mean (low + mode + high) / 3."""
    assert not s.uncertainty.reach, "user ranges are not modelled here"
    return {
        i: (f["low"] + f["reach"] + f["high"]) / 3
        for i, f in figures(s).items()
        if i not in s.assumptions.reach and not (math.isnan(f["low"]) or math.isnan(f["high"]))
    }


@pytest.mark.parametrize("name", ROBUST)
def test_expected_value_plan_is_a_solve_at_the_exact_mean_reaches(name: str) -> None:
    """The catalog rebuilt with each drawn reach set to its exact mean (goal weights at their mean, the chosen
    ones), solved as any catalog: the same plan and value as the robustness's expected-value plan."""
    s = scenario(name).replace(uncertainty=DRAWN)
    means = mean_reach(s)
    assert means, "the scenario draws no reach"
    catalog = s.catalog.copy()
    for indsats_id, reach in means.items():
        catalog.loc[catalog["id"] == indsats_id, "reach"] = reach
    result = solve(s.inputs.replace(catalog=catalog))
    robust = drawn(name, 30, 7)
    assert np.allclose(robust.table["expected_kr"], result.allocation["amount_kr"], atol=1.0)
    assert math.isclose(robust.expected_value, result.objective, rel_tol=1e-9)


def cvar_of(values: np.ndarray, alpha: float = 0.1) -> float:
    """The mean of the worst alpha share of the values (here alpha × draws is a whole number)."""
    k = alpha * len(values)
    assert k == int(k)
    return float(np.sort(values)[: int(k)].mean())


ONE_YEAR = ["frederiksberg_max_reach/one-year", "frederiksberg_max_reach/one-year/all-or-nothing"]


@pytest.mark.parametrize("name", [*ONE_YEAR, "copenhagen_bruttokatalog"])
def test_robust_plan_has_the_best_cvar_over_the_draws(name: str) -> None:
    """Single-year scenarios, so a plan's value in a draw is Σ kr / cost × the draw's value at full scale: the CVaR
    (worst 10 % of 200 draws) computed here of the robust plan equals the reported one and is at least that of
    the expected-value plan and of the deterministic run's plan."""
    s = scenario(name).replace(uncertainty=DRAWN)
    result = robustness(s, 200, seed=5)
    inst = compile_inputs(s.inputs).instance
    values, _ = draw_values(s, inst, 200, np.random.default_rng(5))
    cost = np.array([figures(s)[i]["cost"] for i in inst.ids])
    table = result.table.set_index("id").loc[list(inst.ids)]

    def cvar_of_plan(kroner: np.ndarray) -> float:
        return cvar_of(values @ (kroner / cost))

    robust, expected = cvar_of_plan(table["robust_kr"].to_numpy()), cvar_of_plan(table["expected_kr"].to_numpy())
    deterministic = cvar_of_plan(np.array([amounts_of(solved(name).result)[i] for i in inst.ids]))
    assert math.isclose(robust, result.robust_cvar, rel_tol=1e-6)
    assert math.isclose(expected, result.expected_plan_cvar, rel_tol=1e-6)
    assert robust >= expected - 1e-6 * abs(expected)
    assert robust >= deterministic - 1e-6 * abs(deterministic)


@pytest.mark.parametrize("name", ROBUST)
def test_robust_plans_reported_cvar_is_at_least_the_expected_plans(name: str) -> None:
    result = drawn(name, 30, 7)
    assert result.robust_cvar >= result.expected_plan_cvar - 1e-6 * abs(result.expected_plan_cvar)
    assert result.expected_plan_cvar <= result.expected_value * (1 + 1e-9)  # the worst draws' mean is at most a mean


# --- the draws ---


def _drawn_reach(s: Scenario, n: int, seed: int) -> tuple[pd.DataFrame, list[str]]:
    """The reaches of n draws (draws × indsatser), read back from the drawn values with goal weights fixed:
    a drawn value per year at full scale divided by the value of one person reached (computed from the CSV)."""
    s = s.replace(uncertainty=Uncertainty(0.0, s.uncertainty.reach_ranges, s.uncertainty.reach))
    inst = compile_inputs(s.inputs).instance
    values, uncertain = draw_values(s, inst, n, np.random.default_rng(seed))
    value = per_reach(s)
    per = np.array([value[i] for i in inst.ids])
    reach = np.divide(values, per, out=np.full_like(values, np.nan), where=per > 0)
    return pd.DataFrame(reach, columns=inst.ids), uncertain


def triangular_cdf(x: np.ndarray, low: float, mode: float, high: float) -> np.ndarray:
    left = (x - low) ** 2 / ((high - low) * (mode - low)) if mode > low else np.zeros_like(x)
    right = 1 - (high - x) ** 2 / ((high - low) * (high - mode)) if high > mode else np.ones_like(x)
    return np.clip(np.where(x <= mode, left, right), 0.0, 1.0)


def assert_triangular(column: pd.Series, low: float, mode: float, high: float, label: str) -> None:
    """Within [low, high], near both ends, mean (low + mode + high) / 3, and the empirical distribution within a
    Kolmogorov-Smirnov distance of the triangular one peaking at `mode` (a uniform one is 0,25 away and more)."""
    x = np.sort(column.to_numpy())
    assert x[0] >= low - 1e-9 and x[-1] <= high + 1e-9, label
    span = high - low
    assert x[0] < low + 0.1 * span and x[-1] > high - 0.1 * span, label
    assert math.isclose(x.mean(), (low + mode + high) / 3, rel_tol=0.02), label
    empirical = np.arange(1, len(x) + 1) / len(x)
    distance = np.max(np.abs(empirical - triangular_cdf(x, low, mode, high)))
    assert distance < 2.0 / math.sqrt(len(x)), (label, distance)


@pytest.mark.parametrize("policy", ["low", "mid", "high"])
@pytest.mark.parametrize("name", ["frederiksberg_max_reach", "copenhagen_bruttokatalog"])
def test_drawn_reaches_are_triangular_within_the_stated_ranges(name: str, policy: str) -> None:
    """A reach with a stated range is drawn over the range, peaking at the scenario's own reading (its range
    policy: the low end, the middle or the high end); a point figure or an assumption is never drawn."""
    s = scenario(name)
    s = s.replace(
        assumptions=dataclasses.replace(s.assumptions, range_reach=policy), uncertainty=Uncertainty(0.0, True)
    )
    reach, uncertain = _drawn_reach(s, 4000, 3)
    ranged = 0
    for indsats_id, f in figures(s).items():
        column = reach[indsats_id]
        if indsats_id not in s.assumptions.reach and not (math.isnan(f["low"]) or math.isnan(f["high"])):
            ranged += 1  # figures() reads the range by the policy: the mode the draws must peak at
            assert_triangular(column, f["low"], f["reach"], f["high"], indsats_id)
        elif not math.isnan(f["reach"]):
            assert np.allclose(column, f["reach"]), indsats_id
    assert ranged >= 1
    assert any(f"for {ranged} indsats" in str(u) for u in uncertain)


def test_drawn_reach_uses_the_users_range_over_an_assumption() -> None:
    """A user's range (100-400) for Åben Rådgivning, whose reach the scenario assumes (250): drawn over the user's
    range, peaking at the assumed 250; with reach_ranges off nothing else is drawn."""
    s = scenario("frederiksberg_max_reach")
    s = s.replace(uncertainty=Uncertainty(0.0, False, {"fb21-aaben-raadgivning": (100.0, 400.0)}))
    reach, _ = _drawn_reach(s, 3000, 5)
    assert s.assumptions.reach["fb21-aaben-raadgivning"] == 250
    assert_triangular(reach["fb21-aaben-raadgivning"], 100.0, 250.0, 400.0, "fb21-aaben-raadgivning")
    others = reach.drop(columns=["fb21-aaben-raadgivning"])
    assert np.allclose(others.std(), 0)  # reach_ranges=False: nothing else is drawn


def test_goal_weight_factors_have_mean_one() -> None:
    """With reaches fixed, the mean drawn value of each indsats is the deterministic one (lognormal factors of
    mean 1): reach × (3 for arbejdsmarked + 1 for each other goal it serves)."""
    s = scenario("frederiksberg_labour_market_first").replace(uncertainty=Uncertainty(0.5, False))
    inst = compile_inputs(s.inputs).instance
    values, uncertain = draw_values(s, inst, 40_000, np.random.default_rng(11))
    expected = full_value(s)
    assert np.allclose(values.mean(axis=0), [expected[i] for i in inst.ids], rtol=0.02)
    assert values.std(axis=0).min() > 0
    assert len(uncertain) == 1 and "relative sd 0,5" in str(uncertain[0])
