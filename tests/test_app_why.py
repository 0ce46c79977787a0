"""What the app says about an allocation holds when checked by solving again, independently: an indsats
"blocked by an udvalg maximum" gets money without that maximum, "100.000 kr. more" buys what a solve at the
higher pulje buys and goes where that solve puts it, the smallest fix of contradicting settings makes them
solvable, the reference is the decided plan valued with the same weights, and the price of evidence is what
the evidence weight costs in the value of reach alone."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from optimizer import Inputs, evaluate, load_amounts, load_catalog, solve
from scenarios.bundled import BUNDLED, start_settings
from scenarios.danish import detail
from scenarios.settings import RowEdit, Settings
from scenarios.tradeoffs import evidence_price, value_for_money
from scenarios.whatif import analyse, limit_use, missing_figures
from scenarios.why import STATUSES, blocked_by_udvalg_max, with_names
from tests.conftest import make_catalog
from ui_text import REASONS

FB = load_catalog(BUNDLED["fb2021"].path)
KK = load_catalog(BUNDLED["kk2019"].path)


def random_case(seed: int) -> tuple[pd.DataFrame, Settings]:
    """A random catalog of three udvalg, some all-or-nothing, with a maximum on the first udvalg."""
    rng = np.random.default_rng(seed)
    rows = [
        {
            "id": f"i{k:02d}",
            "udvalg": ["SU", "KFU", "AUU"][k % 3],
            "goals": str(rng.choice(["job", "skole", "job;skole"])),
            "cost_kr": int(rng.integers(5, 40)) * 10_000,
            "reach": int(rng.integers(5, 400)),
            "scalable": "true" if rng.random() < 0.5 else "false",
        }
        for k in range(9)
    ]
    catalog = make_catalog(rows)
    total = float(catalog["cost_kr"].sum())
    su = float(catalog.loc[catalog["udvalg"].map(lambda u: "SU" in u), "cost_kr"].sum())
    settings = Settings(
        "x", budget=((None, round(total * 0.6, -3)),), evidence_weight=0.0, udvalg_max=(("SU", round(su * 0.3, -3)),)
    )
    return catalog, settings


def without_limit(settings: Settings, udvalg: str) -> Settings:
    return settings.with_limit("udvalg_max", udvalg, None)


@pytest.mark.parametrize("seed", range(12))
def test_blocked_by_an_udvalg_maximum_means_funded_without_it(seed: int) -> None:
    catalog, settings = random_case(seed)
    whatif = analyse(settings, catalog)
    assert whatif.result is not None and whatif.table is not None
    lifted = solve(without_limit(settings, "SU").to_inputs(catalog)).allocation.set_index("id")["amount_kr"]
    for row in whatif.table.itertuples(index=False):
        assert row.status in STATUSES
        if row.status == "blocked_udvalg":
            assert lifted[row.id] > 0.5, row.id  # lifting the limit alone funds it
            assert "SU" in row.udvalg
    blocked = blocked_by_udvalg_max(whatif.result)
    unfunded_in_su = [r.id for r in whatif.table.itertuples() if r.amount_kr <= 0.5 and "SU" in r.udvalg]
    assert set(blocked) == {i for i in unfunded_in_su if lifted[i] > 0.5}


@pytest.mark.parametrize("seed", range(12))
def test_statuses_agree_with_the_amounts(seed: int) -> None:
    catalog, settings = random_case(seed)
    table = analyse(settings, catalog).table
    assert table is not None
    for row in table.itertuples(index=False):
        ask = row.cost_kr
        if row.status == "funded":
            assert row.amount_kr >= ask - 0.5
        elif row.status == "partly":
            assert 0.5 < row.amount_kr < ask - 0.5
        else:
            assert row.amount_kr <= 0.5


@pytest.mark.parametrize("key", ["fb2021", "kk2019"])
@pytest.mark.parametrize("share", [0.5, 0.8])
def test_another_100k_buys_what_a_solve_at_the_higher_pulje_buys_and_goes_where_it_puts_it(key, share) -> None:
    catalog = FB if key == "fb2021" else KK
    begin = start_settings(key, catalog)
    settings = begin.replace(budget=tuple((y, round(kr * share, -3)) for y, kr in begin.budget))
    whatif = analyse(settings, catalog)
    assert whatif.next_100k is not None and whatif.result is not None
    now = solve(settings.to_inputs(catalog))
    names = dict(zip(catalog["id"], catalog["name"], strict=True))
    for row in whatif.next_100k.itertuples(index=False):
        more = solve(settings.with_budget(row.year, dict(settings.budget)[row.year] + 100_000).to_inputs(catalog))
        assert math.isclose(row.gain, more.objective - now.objective, abs_tol=1e-6)
        change = more.allocation.set_index("id")["amount_kr"] - now.allocation.set_index("id")["amount_kr"]
        for indsats_id, kr in change.items():
            assert (names[indsats_id] in row.goes_to) == (abs(kr) > 0.5), (indsats_id, kr, row.goes_to)


def test_the_reference_is_the_decided_plan_valued_with_the_current_weights() -> None:
    settings = start_settings("fb2021", FB).with_weight("sundhed", 3.0).with_budget(2021, 500_000)
    decided = load_amounts(BUNDLED["fb2021"].decided_path, catalog=FB)
    whatif = analyse(settings, FB, reference=decided)
    valued = evaluate(settings.to_inputs(FB), decided)
    table = whatif.table.set_index("id")
    for row in valued.allocation.itertuples(index=False):
        assert math.isclose(table.loc[row.id, "reference_kr"], row.amount_kr, abs_tol=1e-6)
        assert math.isclose(table.loc[row.id, "reference_value"], row.value, abs_tol=1e-9)
        assert math.isclose(
            table.loc[row.id, "change_kr"], table.loc[row.id, "amount_kr"] - row.amount_kr, abs_tol=1e-6
        )
    assert math.isclose(whatif.figures.reference_value, valued.objective, rel_tol=1e-12)


def test_a_reference_funding_nothing_of_an_excluded_indsats_without_reach_is_still_valued() -> None:
    settings = start_settings("kk2019", KK)  # excludes kk-vaekstprogram, which states no reach
    first = analyse(settings, KK)
    pinned = settings.pinned(first.result, "first")
    amounts = pd.DataFrame(pinned.reference, columns=["id", "year", "amount_kr"])
    moved = analyse(pinned.with_budget(None, 6_000_000), KK, reference=amounts)
    assert moved.reference_problem == "" and moved.reference is not None
    assert math.isclose(moved.figures.reference_value, first.result.objective, rel_tol=1e-9)


def contradicting() -> Settings:
    s = start_settings("fb2021", FB).with_budget(2021, 400_000)
    return s.with_limit("udvalg_min", "AUU", 300_000).with_limit("udvalg_min", "UU", 197_000)


def test_contradicting_limits_are_named_in_danish_with_a_fix_that_solves() -> None:
    settings = contradicting()
    assert not solve(settings.to_inputs(FB)).is_ok
    whatif = analyse(settings, FB)
    view = whatif.conflict
    assert view is not None and view.sets and view.fixes
    texts = [t for group in view.sets for t in group] + list(view.fixes)
    assert all(not any(word in t for word in ("raise", "lower", "spend on", "pulje of")) for t in texts), texts
    assert view.fixed is not None
    fixed = solve(view.fixed.to_inputs(FB))
    assert fixed.is_ok
    moved = {
        k for k in ("udvalg_min", "udvalg_max", "goal_min", "budget") if getattr(view.fixed, k) != getattr(settings, k)
    }
    assert moved  # the fix is made through the controls, not by dropping a constraint
    assert len(view.fixed.constraints()) == len(settings.constraints())


def test_a_lock_in_a_year_an_indsats_asks_nothing_is_a_conflict_of_one() -> None:
    settings = start_settings("fb2021", FB).with_edit(RowEdit("fb21-cricket", lock=((2022, 5_000.0),)))
    view = analyse(settings, FB).conflict
    assert view is not None and len(view.sets) == 1 and len(view.sets[0]) == 1
    assert "Cricket" in view.sets[0][0]  # named by its name, not its id
    assert view.fixed is not None and solve(view.fixed.to_inputs(FB)).is_ok


def test_room_under_each_limit_is_the_limit_less_what_is_spent() -> None:
    settings = (
        start_settings("fb2021", FB).with_limit("udvalg_max", "AUU", 300_000).with_limit("goal_min", "sundhed", 100_000)
    )
    whatif = analyse(settings, FB)
    rooms = limit_use(whatif, settings)
    result = solve(settings.to_inputs(FB))
    for row in rooms.itertuples(index=False):
        column = f"amount_kr_{row.year}"
        if row.what == "udvalg":
            spent = result.by_udvalg.set_index("udvalg").loc[row.key, column]
            assert math.isclose(row.room_kr, 300_000 - spent, abs_tol=1e-6)
        else:
            serves = result.allocation["goals"].str.split(";").map(lambda g, key=row.key: key in g)
            assert math.isclose(row.spent_kr, result.allocation.loc[serves, column].sum(), abs_tol=1e-6)
            assert row.spent_kr >= 100_000 - 1e-6


def test_missing_figures_are_every_cost_and_reach_the_catalog_lacks() -> None:
    catalog = load_catalog(BUNDLED["fb2019"].path)
    settings = start_settings("fb2019", catalog)
    missing = missing_figures(settings.to_inputs(catalog))
    costs = {i for i, kind in missing if kind == "cost"}
    reaches = {i for i, kind in missing if kind == "reach"}
    assert costs == set(catalog.loc[catalog["cost_kr"].isna(), "id"])
    stated = catalog[["reach", "reach_min", "reach_max"]].notna().any(axis=1) | catalog["fixed"]
    assert reaches == set(catalog.loc[~stated, "id"])
    whatif = analyse(settings, catalog)
    assert whatif.result is None and set(whatif.missing) == set(missing)


def test_evidence_price_is_the_value_given_up_without_evidence() -> None:
    settings = start_settings("kk2019", KK).with_budget(None, 6_000_000)
    inputs = settings.to_inputs(KK)
    prices = evidence_price(inputs, solve, weights=(0.0, 1.0, 3.0))
    plain = solve(inputs.replace(evidence_weight=0.0))
    rest = KK[KK["id"] != "kk-vaekstprogram"].reset_index(drop=True)  # excluded: it states no reach to value
    for row in prices.itertuples(index=False):
        chosen = solve(inputs.replace(evidence_weight=row.evidence_weight))
        amounts = dict(zip(chosen.allocation["id"], chosen.allocation["amount_kr"], strict=True))
        assert amounts.pop("kk-vaekstprogram") == 0
        without = evaluate(Inputs(rest, 6_000_000, evidence_weight=0.0), amounts)
        assert math.isclose(row.value_without_evidence, without.objective, rel_tol=1e-9)
        assert math.isclose(row.given_up, plain.objective - without.objective, abs_tol=1e-6)
        assert row.given_up >= -1e-6


def test_value_for_money_points_are_each_indsatss_ask_and_full_value() -> None:
    result = solve(start_settings("kk2019", KK).to_inputs(KK))
    points, rate = value_for_money(result)
    full = solve(Inputs(KK, 1e9, evidence_weight=1.0, constraints=start_settings("kk2019", KK).constraints()))
    by_id = full.allocation.set_index("id")
    for row in points.itertuples(index=False):
        if by_id.loc[row.id, "funded_share"] > 0.999:  # funded in full at a pulje that buys everything
            assert math.isclose(row.full_value, by_id.loc[row.id, "value"], rel_tol=1e-9)
    assert rate is not None and math.isclose(rate, result.budget_rate_per_100k[None])
    amounts = result.allocation.set_index("id")["amount_kr"]
    for row in points.itertuples(index=False):  # partly funded is its own class: the jobparate indsats at 10 mio.
        expected = "none" if amounts[row.id] <= 0.5 else "full" if amounts[row.id] >= row.ask_kr - 0.5 else "partly"
        assert row.funded == expected, row.id
    assert set(points["funded"]) == {"full", "partly", "none"}


def test_names_replace_ids_longest_first() -> None:
    names = {"kk-laerere": "Lærere", "kk-laerere-udbredelse": "Lærere, udbredelse"}
    assert with_names("kk-laerere-udbredelse kun hvis kk-laerere", names) == "Lærere, udbredelse kun hvis Lærere"


def test_a_tie_is_said_as_a_tie() -> None:
    """Frederiksberg at 500.000 kr. in 2021: Kvinder i job ties with Farvel til farvede forventninger (80 each)."""
    settings = start_settings("fb2021", FB).with_budget(2021, 500_000)
    table = analyse(settings, FB).table.set_index("id")
    assert table.loc["fb21-kvinder-i-job", "reason"] == REASONS["tied"]


def test_core_messages_about_missing_figures_are_said_in_danish() -> None:
    text = detail("reach is not stated for: a (A); b (B). Supply a reach assumption for each (...), or exclude them.")
    assert text.startswith("rækkevidden er ikke angivet for")
