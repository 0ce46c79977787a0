"""The three seed catalogs: refused where figures are missing, solved and valued with stated assumptions."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pandas as pd
import pytest

from optimizer import (
    Assumptions,
    Exclude,
    Lock,
    MissingDataError,
    Result,
    Scalable,
    Status,
    evaluate,
    load_amounts,
    load_catalog,
    solve,
)
from optimizer.model import SCALE
from tests.conftest import COPENHAGEN, FREDERIKSBERG_2019, FREDERIKSBERG_2021, FREDERIKSBERG_2021_TILSKUD

FREDERIKSBERG_2021_ASKS = FREDERIKSBERG_2021.with_name("handleplan_2021_2022_asks.csv")

# Test figures for the two Frederiksberg indsatser whose yearly reach the plan does not state (any will do;
# the point is that the user states them).
FB_REACH = {"fb21-farvel-til-farvede-forventninger": 50.0, "fb21-aaben-raadgivning": 100.0}
FB_ASSUMPTIONS = Assumptions(reach=FB_REACH)
FB_BUDGETS = [
    pytest.param(700_000, id="700k"),
    pytest.param({2021: 722_000, 2022: 700_000}, id="2021-2022"),
]
KK_REACH = {"kk-vaekstprogram": 30.0}
KK_ASSUMPTIONS = Assumptions(reach=KK_REACH)
EPS = 1e-6


def raw(path: Path) -> pd.DataFrame:
    """The CSV as plain pandas reads it, without the optimizer's loader (to compute expectations independently)."""
    return pd.read_csv(path)


def is_fixed(frame: pd.DataFrame) -> pd.Series:
    return frame["fixed"].astype("string").fillna("").str.lower().isin({"true", "1"})


def stated_reach(row: pd.Series, assumed: dict[str, float]) -> float:
    """Reach per year: the user's figure, else the point figure, else the low end of a range; NaN if none."""
    if row["id"] in assumed:
        return assumed[row["id"]]
    for column in ("reach", "reach_min", "reach_max"):
        if not math.isnan(row[column]):
            return float(row[column])
    return math.nan


def value_per_kr(path: Path, assumed: dict[str, float], evidence_weight: float) -> dict[str, float]:
    """reach / cost × number of goals × (1 + w·stars), goal weights 1; prerequisites without reach count 0."""
    frame = raw(path)
    frame = frame[~is_fixed(frame)]
    prerequisites = {r for cell in frame.get("requires", pd.Series(dtype=str)).dropna() for r in str(cell).split(";")}
    values = {}
    for _, row in frame.iterrows():
        reach = stated_reach(row, assumed)
        if math.isnan(reach) and row["id"] in prerequisites:
            reach = 0.0
        stars = 0.0 if math.isnan(row["stars"]) else float(row["stars"])
        goals = len(str(row["goals"]).split(";"))
        values[row["id"]] = reach / row["cost_kr"] * goals * (1 + evidence_weight * stars)
    return values


def full_value(path: Path, assumed: dict[str, float], evidence_weight: float) -> dict[str, float]:
    """Value per year at full scale: reach × number of goals × (1 + w·stars), goal weights 1."""
    frame = raw(path)
    costs = dict(zip(frame["id"], frame["cost_kr"], strict=True))
    return {i: v * costs[i] for i, v in value_per_kr(path, assumed, evidence_weight).items()}


def yearly_asks() -> dict[int, dict[str, float]]:
    """What each indsats asks for in each year, read with plain pandas from the asks file; an indsats with rows
    asks for nothing in a covered year it has no row for (cricket's blank 2022 cell). Fixed lines left out."""
    frame = raw(FREDERIKSBERG_2021)
    ids = list(frame.loc[~is_fixed(frame), "id"])
    asks = raw(FREDERIKSBERG_2021_ASKS)
    return {
        int(year): {i: float(rows.set_index("id")["cost_kr"].get(i, 0.0)) for i in ids}
        for year, rows in asks.groupby("year")
    }


def amounts(result: Result, year: int | None = None) -> dict[str, float]:
    column = "amount_kr" if year is None else f"amount_kr_{year}"
    return dict(zip(result.allocation["id"], result.allocation[column], strict=True))


# --- Frederiksberg 2021-2022 ------------------------------------------------------------------------


def test_frederiksberg_2021_refuses_without_reach_assumptions() -> None:
    frame = raw(FREDERIKSBERG_2021)
    no_reach = frame[~is_fixed(frame) & frame[["reach", "reach_min", "reach_max"]].isna().all(axis=1)]
    assert set(no_reach["id"]) == {"fb21-farvel-til-farvede-forventninger", "fb21-aaben-raadgivning"}
    catalog = load_catalog(FREDERIKSBERG_2021)
    with pytest.raises(MissingDataError) as raised:
        solve(catalog, 700_000)
    assert sorted(raised.value.ids) == sorted(no_reach["id"])
    for indsats_id in no_reach["id"]:
        assert indsats_id in str(raised.value)
    assert "reach" in str(raised.value)


def _best_all_or_nothing(values: dict[str, float], costs: dict[str, float], available: float) -> float:
    """The best value of any subset of whole indsatser within `available` kroner (brute force)."""
    ids = list(values)
    best = 0.0
    for chosen in itertools.product((0, 1), repeat=len(ids)):
        spend = sum(costs[i] for i, c in zip(ids, chosen, strict=True) if c)
        if spend <= available:
            best = max(best, sum(values[i] * costs[i] for i, c in zip(ids, chosen, strict=True) if c))
    return best


def _best_fractional(values: dict[str, float], costs: dict[str, float], available: float) -> float:
    """The best value when any share of an indsats may be funded: fill by value per krone (the greedy optimum)."""
    best, room = 0.0, available
    for i in sorted((i for i in values if costs[i] > 0), key=lambda i: -values[i] / costs[i]):
        share = min(1.0, room / costs[i])
        best, room = best + share * values[i], room - share * costs[i]
        if room <= 0:
            break
    return best


@pytest.mark.parametrize("budget", FB_BUDGETS)
def test_frederiksberg_2021_solves_with_reach_assumptions(budget: float | dict[int, float]) -> None:
    """One year: each indsats at its cost_kr. Two years: each at that year's ask from the pool table (Farvel til
    farvede forventninger 197.000 then 150.000, Kvinder i job nothing in 2022, ...), funded whole or not at all,
    worth reach × goals when funded. The pool table's sums less the fixed line are exactly the asks of each year
    (682.000 and 660.000), so the two-year optimum funds every ask."""
    frame = raw(FREDERIKSBERG_2021)
    fixed_kr = float(frame.loc[is_fixed(frame), "cost_kr"].sum())
    assert fixed_kr == 40_000
    cost_kr = dict(zip(frame.loc[~is_fixed(frame), "id"], frame.loc[~is_fixed(frame), "cost_kr"], strict=True))
    worth = full_value(FREDERIKSBERG_2021, FB_REACH, evidence_weight=1.0)
    pulje = budget if isinstance(budget, dict) else {None: budget}
    asks = yearly_asks() if isinstance(budget, dict) else {None: cost_kr}

    result = solve(load_catalog(FREDERIKSBERG_2021), budget, assumptions=FB_ASSUMPTIONS)
    assert result.status is Status.OPTIMAL
    assert "fb21-integrationspriser" not in set(result.allocation["id"])
    assert result.fixed == dict.fromkeys(pulje, fixed_kr)
    # Scalability is stated for none of them: each is all-or-nothing, so the years are separate 0/1 knapsacks.
    per_kr = {year: {i: worth[i] / asks[year][i] if asks[year][i] else 0.0 for i in worth} for year in pulje}
    expected = sum(_best_all_or_nothing(per_kr[year], asks[year], kr - fixed_kr) for year, kr in pulje.items())
    assert math.isclose(result.objective, expected, rel_tol=1e-9)
    for year, kr in pulje.items():
        spent = amounts(result, year)
        assert sum(spent.values()) <= kr - fixed_kr + EPS
        for indsats_id, amount in spent.items():
            assert math.isclose(amount, 0, abs_tol=EPS) or math.isclose(amount, asks[year][indsats_id])
    model = result.model
    budget_rows = {row.name: model.row_upper[r] * SCALE for r, row in enumerate(model.rows) if row.kind == "budget"}
    names = {year: "budget" if year is None else f"budget[{year}]" for year in pulje}
    assert budget_rows == pytest.approx({names[year]: kr - fixed_kr for year, kr in pulje.items()}, rel=1e-12)


def test_the_pool_tables_sums_fund_every_ask_in_the_two_year_solve() -> None:
    """By hand: 722.000 − 40.000 = 682.000 = 150.000 + 150.000 + 197.000 + 10.000 + 100.000 + 75.000 (2021),
    700.000 − 40.000 = 660.000 = 200.000 + 120.000 + 150.000 + 15.000 + 100.000 + 75.000 (2022): the optimum is
    the decided plan, every indsats at its ask, and its value is the sum of reach × goals over the asks."""
    asks = yearly_asks()
    assert {year: sum(a.values()) for year, a in asks.items()} == {2021: 682_000, 2022: 660_000}
    result = solve(load_catalog(FREDERIKSBERG_2021), BASELINE_BUDGET, assumptions=FB_ASSUMPTIONS)
    for year, ask in asks.items():
        assert amounts(result, year) == pytest.approx(ask, abs=EPS)
    worth = full_value(FREDERIKSBERG_2021, FB_REACH, evidence_weight=1.0)
    expected = sum(worth[i] for ask in asks.values() for i, kr in ask.items() if kr > 0)
    assert math.isclose(result.objective, expected, rel_tol=1e-9)
    assert math.isclose(result.objective, _baseline().objective, rel_tol=1e-9)


ASK_BUDGETS = [
    {2021: 100_000, 2022: 100_000},
    {2021: 300_000, 2022: 450_000},
    {2021: 722_000, 2022: 700_000},
    {2021: 1_000_000, 2022: 400_000},
    {2021: 2_000_000, 2022: 2_000_000},
]


@pytest.mark.parametrize("scalable", [False, True], ids=["all-or-nothing", "scalable"])
@pytest.mark.parametrize("budget", ASK_BUDGETS, ids=lambda b: "-".join(f"{y}:{kr // 1000}k" for y, kr in b.items()))
def test_two_year_solve_never_funds_beyond_a_years_ask(budget: dict[int, float], scalable: bool) -> None:
    """In no year does an indsats get more than it asks for that year, nor anything in a year it asks 0 (even
    with money to spare); the scalable optimum is the greedy fill of each year's asks by value per krone."""
    catalog = load_catalog(FREDERIKSBERG_2021)
    constraints = [Scalable("*")] if scalable else []
    result = solve(catalog, budget, constraints=constraints, assumptions=FB_ASSUMPTIONS)
    assert result.status is Status.OPTIMAL
    asks = yearly_asks()
    for year in budget:
        for indsats_id, amount in amounts(result, year).items():
            if asks[year][indsats_id] == 0:
                assert amount == 0.0, (indsats_id, year)
            assert amount <= asks[year][indsats_id] + EPS, (indsats_id, year, amount)
    if not scalable:
        return
    worth = full_value(FREDERIKSBERG_2021, FB_REACH, evidence_weight=1.0)
    expected = sum(_best_fractional(worth, asks[year], kr - 40_000) for year, kr in budget.items())
    assert math.isclose(result.objective, expected, rel_tol=1e-9)


def test_an_extension_is_what_lets_an_indsats_beyond_its_ask() -> None:
    """Kvinder i job asks nothing in 2022; extended ("udvid") to 150.000 kr. there, with money to spare, it gets
    it, and the result says so."""
    catalog = load_catalog(FREDERIKSBERG_2021)
    budget = {2021: 2_000_000, 2022: 2_000_000}
    assumptions = Assumptions(
        reach=FB_REACH, extend={"fb21-kvinder-i-job": {2022: 150_000}}, reasons={"extend.fb21-kvinder-i-job": "test"}
    )
    result = solve(catalog, budget, assumptions=assumptions)
    assert amounts(result, 2022)["fb21-kvinder-i-job"] == pytest.approx(150_000)
    assert amounts(solve(catalog, budget, assumptions=FB_ASSUMPTIONS), 2022)["fb21-kvinder-i-job"] == 0.0
    assert any("fb21-kvinder-i-job" in note and "150.000" in note for note in result.assumptions)


def test_extend_below_the_ask_caps_the_year_and_counts_as_full_funding() -> None:
    """ "Udvid" to less than the ask (dansk sproglig asks 150.000 kr. in 2021; set 100.000 kr.): with money to
    spare it gets exactly 100.000 kr. that year, valued as the year's full value, and the note says so
    rather than calling it an extension "beyond" the ask."""
    catalog = load_catalog(FREDERIKSBERG_2021)
    budget = {2021: 2_000_000, 2022: 2_000_000}
    target = "fb21-dansk-sproglig-opkvalificering"
    lowered = Assumptions(reach=FB_REACH, extend={target: {2021: 100_000}})
    plain = solve(catalog, budget, assumptions=FB_ASSUMPTIONS)
    result = solve(catalog, budget, assumptions=lowered)
    assert amounts(plain, 2021)[target] == pytest.approx(150_000)
    assert amounts(result, 2021)[target] == pytest.approx(100_000)
    assert result.allocation.set_index("id").at[target, "value"] == pytest.approx(
        plain.allocation.set_index("id").at[target, "value"]
    )
    note = next(note for note in result.assumptions if target in note and "100.000" in note)
    assert "instead of its ask (150.000 kr.)" in note and "beyond" not in note


# --- the decided baseline ---------------------------------------------------------------------------

BASELINE_BUDGET = {2021: 722_000, 2022: 700_000}


def _baseline() -> Result:
    catalog = load_catalog(FREDERIKSBERG_2021)
    decided = load_amounts(FREDERIKSBERG_2021_TILSKUD, catalog=catalog)
    return evaluate(catalog, decided, BASELINE_BUDGET, assumptions=FB_ASSUMPTIONS)


def test_baseline_is_valued_with_the_same_value_function() -> None:
    """A grant is valued as the share of that year's ask it covers × reach × goals. (Before the per-year asks
    it was valued against the single cost_kr, the larger year's ask: 4058,14 instead of 4090.)"""
    catalog_frame = raw(FREDERIKSBERG_2021)
    assert catalog_frame["stars"].isna().all()  # so the evidence factor is 1 whatever its weight
    tilskud = raw(FREDERIKSBERG_2021_TILSKUD)
    fixed_ids = set(catalog_frame.loc[is_fixed(catalog_frame), "id"])
    grants = tilskud[~tilskud["id"].isin(fixed_ids)]
    worth, asks = full_value(FREDERIKSBERG_2021, FB_REACH, evidence_weight=1.0), yearly_asks()
    expected = sum(
        row.amount_kr / asks[row.year][row.id] * worth[row.id]
        for row in grants.itertuples(index=False)
        if row.amount_kr > 0
    )

    baseline = _baseline()
    assert baseline.status is Status.EVALUATED
    assert math.isclose(baseline.objective, expected, rel_tol=1e-9)
    for year in BASELINE_BUDGET:
        decided = grants[grants["year"] == year].set_index("id")["amount_kr"]
        got = amounts(baseline, year)
        for indsats_id, kr in got.items():
            assert math.isclose(kr, float(decided.get(indsats_id, 0.0)))


def test_baseline_fits_the_pulje_it_was_decided_for() -> None:
    """The pool table's sums (722.000 and 700.000, fixed line included) are exactly the pulje: no overspend note."""
    tilskud = raw(FREDERIKSBERG_2021_TILSKUD)
    assert tilskud.groupby("year")["amount_kr"].sum().to_dict() == BASELINE_BUDGET
    baseline = _baseline()
    assert not any("above the pulje" in note for note in baseline.assumptions)


def test_optimized_scalable_allocation_is_at_least_the_baseline() -> None:
    catalog = load_catalog(FREDERIKSBERG_2021)
    scalable = [Scalable(i) for i, fixed in zip(catalog["id"], catalog["fixed"], strict=True) if not fixed]
    optimized = solve(catalog, BASELINE_BUDGET, constraints=scalable, assumptions=FB_ASSUMPTIONS)
    assert optimized.status is Status.OPTIMAL
    assert optimized.objective >= _baseline().objective - EPS


# --- Copenhagen -------------------------------------------------------------------------------------

KK_PAIRS = [  # (roll-out, concept) from the catalog's requires column
    ("kk-diskrimination-pilot", "kk-diskrimination-kortlaegning"),
    ("kk-anonym-rekruttering-udbredelse", "kk-anonym-rekruttering-koncept"),
    ("kk-laerere-udbredelse", "kk-laerere-metodehaefte"),
]


def test_copenhagen_requires_pairs_are_the_catalog_rows() -> None:
    frame = raw(COPENHAGEN)
    pairs = {(row.id, row.requires) for row in frame.dropna(subset=["requires"]).itertuples(index=False)}
    assert pairs == set(KK_PAIRS)


def test_copenhagen_refuses_without_a_reach_for_the_growth_programme() -> None:
    with pytest.raises(MissingDataError) as raised:
        solve(load_catalog(COPENHAGEN), 10_000_000)
    assert raised.value.ids == ["kk-vaekstprogram"]  # the concept rows reach no one but are prerequisites


@pytest.mark.parametrize("budget", [pytest.param(2_000_000, id="2mio"), pytest.param(10_000_000, id="10mio")])
def test_copenhagen_solves_with_a_stated_budget(budget: float) -> None:
    frame = raw(COPENHAGEN)
    costs = dict(zip(frame["id"], frame["cost_kr"], strict=True))
    values = value_per_kr(COPENHAGEN, KK_REACH, evidence_weight=1.0)

    result = solve(load_catalog(COPENHAGEN), budget, evidence_weight=1.0, assumptions=KK_ASSUMPTIONS)
    assert result.status is Status.OPTIMAL
    spent = amounts(result)
    assert sum(spent.values()) <= budget + EPS
    for indsats_id, kr in spent.items():
        assert -EPS <= kr <= costs[indsats_id] + EPS
    assert math.isclose(result.objective, sum(values[i] * kr for i, kr in spent.items()), rel_tol=1e-9)
    for rollout, concept in KK_PAIRS:
        assert spent[rollout] / costs[rollout] <= spent[concept] / costs[concept] + EPS, rollout


@pytest.mark.parametrize(("rollout", "concept"), KK_PAIRS, ids=[pair[0] for pair in KK_PAIRS])
def test_copenhagen_rollout_is_never_funded_beyond_its_concept(rollout: str, concept: str) -> None:
    catalog = load_catalog(COPENHAGEN)
    costs = dict(zip(catalog["id"], catalog["cost_kr"], strict=True))
    half = costs[rollout] / 2
    result = solve(catalog, 10_000_000, assumptions=KK_ASSUMPTIONS, constraints=[Lock(rollout, half)])
    assert result.status is Status.OPTIMAL
    # Half the roll-out needs at least half the concept.
    assert amounts(result)[concept] >= costs[concept] / 2 - 1.0
    blocked = solve(
        catalog, 10_000_000, assumptions=KK_ASSUMPTIONS, constraints=[Lock(rollout, half), Exclude(concept)]
    )
    assert blocked.status is Status.INFEASIBLE
    # The catalog's requires row is named: without it a lock and an exclude of two indsatser do not contradict.
    assert set(blocked.conflict.names) == {f"requires[{rollout}<-{concept}]", f"lock[{rollout}]", f"exclude[{concept}]"}
    # But it is no constraint a user can relax: the smallest fix moves the user's own.
    assert {fix.constraint for fix in blocked.conflict.smallest_fix} <= {f"lock[{rollout}]", f"exclude[{concept}]"}


@pytest.mark.parametrize(("rollout", "concept"), KK_PAIRS, ids=[pair[0] for pair in KK_PAIRS])
def test_copenhagen_binding_requires_row_is_reported(rollout: str, concept: str) -> None:
    """Half the roll-out locked: the concept (which reaches no one itself) is funded exactly as far as needed,
    so the catalog's requires row holds with equality and is listed among the binding limits, without a rate in
    kroner (it is a row of funded shares)."""
    catalog = load_catalog(COPENHAGEN)
    costs = dict(zip(catalog["id"], catalog["cost_kr"], strict=True))
    result = solve(catalog, 10_000_000, assumptions=KK_ASSUMPTIONS, constraints=[Lock(rollout, costs[rollout] / 2)])
    assert math.isclose(amounts(result)[concept], costs[concept] / 2, abs_tol=1.0)
    binding = {b.name: b for b in result.binding}
    row = binding[f"requires[{rollout}<-{concept}]"]
    assert row.kind == "requires" and row.rate_per_100k is None


# --- Frederiksberg 2019 -----------------------------------------------------------------------------


def test_frederiksberg_2019_refuses_listing_every_missing_cost() -> None:
    frame = raw(FREDERIKSBERG_2019)
    missing = set(frame.loc[frame["cost_kr"].isna(), "id"])
    assert len(missing) == len(frame) == 13  # the transcript lost every kroner figure, the fixed line's too
    with pytest.raises(MissingDataError) as raised:
        solve(load_catalog(FREDERIKSBERG_2019), 1_700_000)
    assert set(raised.value.ids) == missing
    for indsats_id in missing:
        assert indsats_id in str(raised.value)


def test_frederiksberg_2019_with_the_fixed_line_stated_lists_every_indsats_cost() -> None:
    frame = raw(FREDERIKSBERG_2019)
    indsatser = set(frame.loc[~is_fixed(frame), "id"])
    assumptions = Assumptions(cost={"fb19-integrationspriser": 50_000})
    with pytest.raises(MissingDataError) as raised:
        solve(load_catalog(FREDERIKSBERG_2019), 1_700_000, assumptions=assumptions)
    assert set(raised.value.ids) == indsatser
    assert "cost" in str(raised.value)
