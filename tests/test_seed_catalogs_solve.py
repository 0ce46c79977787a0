"""The three seed catalogs: refused where figures are missing, solved and valued with stated assumptions."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pandas as pd
import pytest

from optimizer import (
    Result,
    Assumptions,
    Exclude,
    Lock,
    MissingDataError,
    Scalable,
    Status,
    evaluate,
    load_amounts,
    load_catalog,
    solve,
)
from tests.conftest import COPENHAGEN, FREDERIKSBERG_2019, FREDERIKSBERG_2021, FREDERIKSBERG_2021_TILSKUD

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


@pytest.mark.parametrize("budget", FB_BUDGETS)
def test_frederiksberg_2021_solves_with_reach_assumptions(budget: float | dict[int, float]) -> None:
    frame = raw(FREDERIKSBERG_2021)
    fixed_kr = float(frame.loc[is_fixed(frame), "cost_kr"].sum())
    assert fixed_kr == 40_000
    costs = dict(zip(frame.loc[~is_fixed(frame), "id"], frame.loc[~is_fixed(frame), "cost_kr"], strict=True))
    values = value_per_kr(FREDERIKSBERG_2021, FB_REACH, evidence_weight=1.0)
    pulje = budget if isinstance(budget, dict) else {None: budget}

    result = solve(load_catalog(FREDERIKSBERG_2021), budget, assumptions=FB_ASSUMPTIONS)
    assert result.status is Status.OPTIMAL
    assert "fb21-integrationspriser" not in set(result.allocation["id"])
    assert result.fixed == dict.fromkeys(pulje, fixed_kr)
    # Scalability is stated for none of them: each is all-or-nothing, so the years are separate 0/1 knapsacks.
    expected = sum(_best_all_or_nothing(values, costs, kr - fixed_kr) for kr in pulje.values())
    assert math.isclose(result.objective, expected, rel_tol=1e-9)
    for year, kr in pulje.items():
        spent = amounts(result, year)
        assert sum(spent.values()) <= kr - fixed_kr + EPS
        for indsats_id, amount in spent.items():
            assert math.isclose(amount, 0, abs_tol=EPS) or math.isclose(amount, costs[indsats_id])
    budget_rows = {row.name: row.upper for row in result.model.rows if row.kind == "budget"}
    names = {year: "budget" if year is None else f"budget[{year}]" for year in pulje}
    assert budget_rows == {names[year]: kr - fixed_kr for year, kr in pulje.items()}


# --- the decided baseline ---------------------------------------------------------------------------

BASELINE_BUDGET = {2021: 722_000, 2022: 700_000}


def _baseline() -> Result:
    catalog = load_catalog(FREDERIKSBERG_2021)
    decided = load_amounts(FREDERIKSBERG_2021_TILSKUD, catalog=catalog)
    return evaluate(catalog, decided, BASELINE_BUDGET, assumptions=FB_ASSUMPTIONS)


def test_baseline_is_valued_with_the_same_value_function() -> None:
    catalog_frame = raw(FREDERIKSBERG_2021)
    assert catalog_frame["stars"].isna().all()  # so the evidence factor is 1 whatever its weight
    tilskud = raw(FREDERIKSBERG_2021_TILSKUD)
    fixed_ids = set(catalog_frame.loc[is_fixed(catalog_frame), "id"])
    grants = tilskud[~tilskud["id"].isin(fixed_ids)]
    values = value_per_kr(FREDERIKSBERG_2021, FB_REACH, evidence_weight=1.0)
    expected = sum(values[row.id] * row.amount_kr for row in grants.itertuples(index=False))

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
    assert set(blocked.conflict.names) == {f"requires[{rollout}<-{concept}]", f"lock[{rollout}]", f"exclude[{concept}]"}


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
