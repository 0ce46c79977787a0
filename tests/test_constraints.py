"""Every constraint kind moves the optimum to a hand-worked allocation, binds, and explains its infeasible case."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pytest

from optimizer import (
    AllOrNothing,
    Continuity,
    Exclude,
    FixedLine,
    GoalMin,
    InfeasibleError,
    Lock,
    MaxFunding,
    MinFunding,
    MutuallyExclusive,
    Requires,
    Result,
    Scalable,
    SetupCost,
    SpecError,
    Status,
    UdvalgMax,
    UdvalgMin,
    solve,
)
from optimizer.examples import greedy
from tests.conftest import make_catalog

KR_TOL = 1.0  # kroner


# Value per krone with evidence weight 0 and goal weights 1 is reach / cost (each indsats serves one goal):
#   a 3 per 1.000 kr., b 2, c 1, d 0.2. Every indsats costs 100.000 kr. and is scalable.
# Without constraints, 250.000 kr. buy a and b in full and half of c: a 100.000, b 100.000, c 50.000,
# value 300 + 200 + 50 = 550.
BASE_ROWS: list[dict[str, object]] = [
    {"id": "a", "udvalg": "AUU", "goals": "job", "cost_kr": 100_000, "reach": 300},
    {"id": "b", "udvalg": "AUU", "goals": "job", "cost_kr": 100_000, "reach": 200},
    {"id": "c", "udvalg": "SU", "goals": "skole", "cost_kr": 100_000, "reach": 100},
    {"id": "d", "udvalg": "KFU", "goals": "skole", "cost_kr": 100_000, "reach": 20},
]
BUDGET = 250_000
BASE = make_catalog(BASE_ROWS)


def with_changes(rows: list[dict[str, object]], changes: Mapping[str, Mapping[str, object]]) -> list[dict[str, object]]:
    """A copy of rows with some cells changed, e.g. {"c": {"scalable": ""}}."""
    return [{**row, **changes.get(str(row["id"]), {})} for row in rows]


def amounts(result: Result, year: int | None = None) -> dict[str, float]:
    """id -> kroner in one year (single-year pulje: year None)."""
    column = "amount_kr" if year is None else f"amount_kr_{year}"
    return dict(zip(result.allocation["id"], result.allocation[column], strict=True))


def assert_allocation(result: Result, expected: Mapping[str, float], year: int | None = None) -> None:
    got = amounts(result, year)
    assert set(got) == set(expected)
    for indsats_id, kr in expected.items():
        assert math.isclose(got[indsats_id], kr, abs_tol=KR_TOL), f"{indsats_id} ({year}): {got[indsats_id]} != {kr}"


def binding_names(result: Result) -> set[str]:
    return {b.name for b in result.binding}


def test_base_catalog_without_constraints() -> None:
    """The reference optimum every constraint below moves away from."""
    result = solve(BASE, BUDGET, evidence_weight=0)
    assert result.status is Status.OPTIMAL
    assert_allocation(result, {"a": 100_000, "b": 100_000, "c": 50_000, "d": 0})
    assert math.isclose(result.objective, 550.0)
    assert binding_names(result) == {"budget"}


# --- each constraint kind changes the optimum -----------------------------------------------------


@dataclass(frozen=True)
class Optimum:
    """A constraint set on a hand-built catalog and the optimum worked out by hand."""

    constraints: tuple[object, ...]
    expected: dict[str, float]
    objective: float
    binding: frozenset[str]
    rows: tuple[dict[str, object], ...] = tuple(BASE_ROWS)


SINGLE_YEAR = [
    pytest.param(
        # AUU (a + b) at most 150.000: a 100.000 and b 50.000, the other 100.000 to c. 300 + 100 + 100 = 500.
        Optimum((UdvalgMax("AUU", kr=150_000),), {"a": 100_000, "b": 50_000, "c": 100_000, "d": 0}, 500.0,
                frozenset({"budget", "udvalg_max[AUU]"})),
        id="udvalg_max-kr",
    ),
    pytest.param(
        # 40 % of 250.000 = 100.000 for AUU: a only; c 100.000, d the last 50.000. 300 + 100 + 10 = 410.
        Optimum((UdvalgMax("AUU", share=0.4),), {"a": 100_000, "b": 0, "c": 100_000, "d": 50_000}, 410.0,
                frozenset({"budget", "udvalg_max[AUU]"})),
        id="udvalg_max-share",
    ),
    pytest.param(
        # KFU (d) at least 80.000: d 80.000, a 100.000, b the remaining 70.000, c nothing. 16 + 300 + 140 = 456.
        Optimum((UdvalgMin("KFU", kr=80_000),), {"a": 100_000, "b": 70_000, "c": 0, "d": 80_000}, 456.0,
                frozenset({"budget", "udvalg_min[KFU]"})),
        id="udvalg_min-kr",
    ),
    pytest.param(
        # 20 % of 250.000 = 50.000 for KFU: d 50.000, a and b in full, c nothing. 10 + 300 + 200 = 510.
        Optimum((UdvalgMin("KFU", share=0.2),), {"a": 100_000, "b": 100_000, "c": 0, "d": 50_000}, 510.0,
                frozenset({"budget", "udvalg_min[KFU]"})),
        id="udvalg_min-share",
    ),
    pytest.param(
        # goal skole (c, d) at least 120.000: c 100.000 (better than d), d 20.000, a 100.000, b 30.000.
        # 100 + 4 + 300 + 60 = 464.
        Optimum((GoalMin("skole", kr=120_000),), {"a": 100_000, "b": 30_000, "c": 100_000, "d": 20_000}, 464.0,
                frozenset({"budget", "goal_min[skole]"})),
        id="goal_min-kr",
    ),
    pytest.param(
        # 60 % of 250.000 = 150.000 for skole: c 100.000, d 50.000, a the last 100.000. 100 + 10 + 300 = 410.
        Optimum((GoalMin("skole", share=0.6),), {"a": 100_000, "b": 0, "c": 100_000, "d": 50_000}, 410.0,
                frozenset({"budget", "goal_min[skole]"})),
        id="goal_min-share",
    ),
    pytest.param(
        # d locked at 60.000: a 100.000, b the remaining 90.000. 12 + 300 + 180 = 492.
        Optimum((Lock("d", 60_000),), {"a": 100_000, "b": 90_000, "c": 0, "d": 60_000}, 492.0,
                frozenset({"budget", "lock[d]"})),
        id="lock",
    ),
    pytest.param(
        # a excluded: b, c in full, d 50.000. 200 + 100 + 10 = 310.
        Optimum((Exclude("a"),), {"a": 0, "b": 100_000, "c": 100_000, "d": 50_000}, 310.0,
                frozenset({"budget", "exclude[a]"})),
        id="exclude",
    ),
    pytest.param(
        # a only as far as d (same cost, so x_a <= x_d): the pair a+d is worth (3 + 0.2) / 2 = 1.6 per 1.000 kr.,
        # below b (2) and above c (1). b 100.000, then the pair shares 150.000: a 75.000, d 75.000.
        # 200 + 225 + 15 = 440.
        Optimum((Requires("a", prerequisite="d"),), {"a": 75_000, "b": 100_000, "c": 0, "d": 75_000}, 440.0,
                frozenset({"budget", "requires[a<-d]"})),
        id="requires-constraint",
    ),
    pytest.param(
        # The same rule from the catalog's requires column, no constraint given: the same optimum.
        Optimum((), {"a": 75_000, "b": 100_000, "c": 0, "d": 75_000}, 440.0,
                frozenset({"budget", "requires[a<-d]"}), tuple(with_changes(BASE_ROWS, {"a": {"requires": "d"}}))),
        id="requires-catalog-column",
    ),
    pytest.param(
        # a or b, not both: a (the better) in full, then c 100.000 and d 50.000. 300 + 100 + 10 = 410.
        Optimum((MutuallyExclusive(("a", "b")),), {"a": 100_000, "b": 0, "c": 100_000, "d": 50_000}, 410.0,
                frozenset({"budget", "exclusive[a|b]"})),
        id="mutually_exclusive",
    ),
    pytest.param(
        # 50.000 off the top leaves 200.000: a and b in full. 500.
        Optimum((FixedLine("priser", 50_000),), {"a": 100_000, "b": 100_000, "c": 0, "d": 0}, 500.0,
                frozenset({"budget"})),
        id="fixed_line",
    ),
    pytest.param(
        # c all-or-nothing (100.000) does not fit in the 50.000 left after a and b: d gets them. 500 + 10 = 510.
        Optimum((AllOrNothing("c"),), {"a": 100_000, "b": 100_000, "c": 0, "d": 50_000}, 510.0,
                frozenset({"budget"})),
        id="all_or_nothing",
    ),
    pytest.param(
        # c is 0 or at least 60.000. c 60.000 taken from b: 300 + 180 + 60 = 540 beats d 50.000 (510);
        # any more to c swaps b (2) for c (1).
        Optimum((MinFunding("c", 60_000),), {"a": 100_000, "b": 90_000, "c": 60_000, "d": 0}, 540.0,
                frozenset({"budget"})),
        id="min_funding",
    ),
    pytest.param(
        # a at most 40.000: b, c in full, d the last 10.000. 120 + 200 + 100 + 2 = 422.
        Optimum((MaxFunding("a", 40_000),), {"a": 40_000, "b": 100_000, "c": 100_000, "d": 10_000}, 422.0,
                frozenset({"budget"})),
        id="max_funding",
    ),
    pytest.param(
        # c's scalability not stated: all-or-nothing, as in the all_or_nothing case. 510.
        Optimum((), {"a": 100_000, "b": 100_000, "c": 0, "d": 50_000}, 510.0, frozenset({"budget"}),
                tuple(with_changes(BASE_ROWS, {"c": {"scalable": ""}}))),
        id="scalability-unstated",
    ),
    pytest.param(
        # Scalable(c) allows half of c again: the base optimum, 550.
        Optimum((Scalable("c"),), {"a": 100_000, "b": 100_000, "c": 50_000, "d": 0}, 550.0, frozenset({"budget"}),
                tuple(with_changes(BASE_ROWS, {"c": {"scalable": ""}}))),
        id="scalable-unstated",
    ),
    pytest.param(
        # Scalable(c) overrides an explicit scalable=false too.
        Optimum((Scalable("c"),), {"a": 100_000, "b": 100_000, "c": 50_000, "d": 0}, 550.0, frozenset({"budget"}),
                tuple(with_changes(BASE_ROWS, {"c": {"scalable": "false"}}))),
        id="scalable-false",
    ),
]  # fmt: skip


@pytest.mark.parametrize("case", SINGLE_YEAR)
def test_constraint_moves_the_optimum(case: Optimum) -> None:
    catalog = BASE if case.rows == tuple(BASE_ROWS) else make_catalog(list(case.rows))
    result = solve(catalog, BUDGET, evidence_weight=0, constraints=case.constraints)
    assert result.status is Status.OPTIMAL
    assert_allocation(result, case.expected)
    assert math.isclose(result.objective, case.objective, rel_tol=1e-9)
    assert binding_names(result) == case.binding
    assert sum(amounts(result).values()) <= BUDGET - sum(result.fixed.values()) + KR_TOL


def test_fixed_line_is_recorded_and_noted() -> None:
    result = solve(BASE, BUDGET, evidence_weight=0, constraints=[FixedLine("priser", 50_000)])
    assert result.fixed == {None: 50_000}
    budget_row = next(b for b in result.binding if b.name == "budget")
    assert math.isclose(budget_row.bound, 200_000)
    assert any("priser" in note and "50.000 kr." in note for note in result.assumptions)


def test_min_funding_leaves_zero_allowed() -> None:
    """MinFunding is 0 or at least the minimum: with too little left, the indsats gets nothing (not the minimum)."""
    # After a and b 50.000 remain. c needs at least 95.000: a 100.000, b 55.000, c 95.000 gives
    # 300 + 110 + 95 = 505, less than d 50.000 (510), so c gets nothing.
    result = solve(BASE, BUDGET, evidence_weight=0, constraints=[MinFunding("c", 95_000)])
    assert_allocation(result, {"a": 100_000, "b": 100_000, "c": 0, "d": 50_000})
    assert math.isclose(result.objective, 510.0)


MULTI_YEAR = [
    pytest.param(
        # a has a 50.000 set-up cost in the year it starts. 2021: a 100.000 + 50.000 set-up + b 100.000 (value 500)
        # beats leaving a out (b, c, d 50.000: 310). 2022: a continues without set-up: the base optimum (550).
        # Total 1050.
        {2021: 250_000, 2022: 250_000},
        (SetupCost("a", 50_000),),
        {
            2021: {"a": 100_000, "b": 100_000, "c": 0, "d": 0},
            2022: {"a": 100_000, "b": 100_000, "c": 50_000, "d": 0},
        },
        1050.0,
        {"budget[2021]", "budget[2022]"},
        id="setup_cost",
    ),
    pytest.param(
        # AUU at most 100.000 in 2022 only: 2021 the base optimum (550); 2022 a, c in full, d 50.000 (410). 960.
        {2021: 250_000, 2022: 250_000},
        (UdvalgMax("AUU", kr=100_000, year=2022),),
        {
            2021: {"a": 100_000, "b": 100_000, "c": 50_000, "d": 0},
            2022: {"a": 100_000, "b": 0, "c": 100_000, "d": 50_000},
        },
        960.0,
        {"budget[2021]", "budget[2022]", "udvalg_max[AUU,2022]"},
        id="udvalg_max-one-year",
    ),
    pytest.param(
        # d locked at 60.000 in 2021 only: 2021 as the lock case (492), 2022 the base optimum (550). 1042.
        {2021: 250_000, 2022: 250_000},
        (Lock("d", 60_000, year=2021),),
        {
            2021: {"a": 100_000, "b": 90_000, "c": 0, "d": 60_000},
            2022: {"a": 100_000, "b": 100_000, "c": 50_000, "d": 0},
        },
        1042.0,
        {"budget[2021]", "budget[2022]", "lock[d,2021]"},
        id="lock-one-year",
    ),
    pytest.param(
        # Budgets differ per year: 2022 has 150.000 (a 100.000, b 50.000: 400). 550 + 400 = 950.
        {2021: 250_000, 2022: 150_000},
        (),
        {
            2021: {"a": 100_000, "b": 100_000, "c": 50_000, "d": 0},
            2022: {"a": 100_000, "b": 50_000, "c": 0, "d": 0},
        },
        950.0,
        {"budget[2021]", "budget[2022]"},
        id="budget-per-year",
    ),
    pytest.param(
        # c keeps at least half of last year's amount. 2021 c 50.000 (value 50) forces c 25.000 in 2022, taken
        # from b (loss 25): 550 + (300 + 150 + 25) = 1025, better than d 50.000 in 2021 (510 + 500 = 1010).
        {2021: 250_000, 2022: 200_000},
        (Continuity(0.5, ("c",)),),
        {
            2021: {"a": 100_000, "b": 100_000, "c": 50_000, "d": 0},
            2022: {"a": 100_000, "b": 75_000, "c": 25_000, "d": 0},
        },
        1025.0,
        {"budget[2021]", "budget[2022]", "continuity[c,2022]"},
        id="continuity",
    ),
]


@pytest.mark.parametrize(("budget", "constraints", "expected", "objective", "binding"), MULTI_YEAR)
def test_multi_year_constraint_moves_the_optimum(
    budget: dict[int, float],
    constraints: tuple[object, ...],
    expected: dict[int, dict[str, float]],
    objective: float,
    binding: set[str],
) -> None:
    result = solve(BASE, budget, evidence_weight=0, constraints=constraints)
    assert result.status is Status.OPTIMAL
    assert result.years == tuple(budget)
    for year, allocation in expected.items():
        assert_allocation(result, allocation, year)
    assert math.isclose(result.objective, objective, rel_tol=1e-9)
    assert binding_names(result) == binding


def test_requires_counts_the_prerequisite_funded_so_far() -> None:
    """Requires over years: a concept funded in 2021 carries its roll-out in 2022 without being funded again."""
    catalog = make_catalog(
        [
            {"id": "koncept", "udvalg": "SU", "goals": "job", "cost_kr": 100_000, "scalable": "false"},
            {
                "id": "udrulning",
                "udvalg": "SU",
                "goals": "job",
                "cost_kr": 200_000,
                "reach": 400,
                "requires": "koncept",
            },
            {"id": "andet", "udvalg": "SU", "goals": "job", "cost_kr": 300_000, "reach": 450},
        ]
    )
    # udrulning 2 per 1.000 kr., andet 1.5. 2021: koncept (100.000, no reach) + udrulning 200.000 = 400.
    # 2022: the concept is paid for; udrulning 200.000 + andet 100.000 = 550. Total 950, against 900 for andet alone.
    result = solve(catalog, {2021: 300_000, 2022: 300_000}, evidence_weight=0)
    assert result.status is Status.OPTIMAL
    assert_allocation(result, {"koncept": 100_000, "udrulning": 200_000, "andet": 0}, 2021)
    assert_allocation(result, {"koncept": 0, "udrulning": 200_000, "andet": 100_000}, 2022)
    assert math.isclose(result.objective, 950.0)
    assert {"requires[udrulning<-koncept,2021]", "requires[udrulning<-koncept,2022]"} <= binding_names(result)


# --- infeasible cases -------------------------------------------------------------------------------

# p 600.000 kr. (AUU, job), q 400.000 (SU, job and skole), r 300.000 (KFU, skole); all scalable. Pulje 700.000.
CONFLICT_ROWS: list[dict[str, object]] = [
    {"id": "p", "udvalg": "AUU", "goals": "job", "cost_kr": 600_000, "reach": 600},
    {"id": "q", "udvalg": "SU", "goals": "job;skole", "cost_kr": 400_000, "reach": 200},
    {"id": "r", "udvalg": "KFU", "goals": "skole", "cost_kr": 300_000, "reach": 100},
]
CONFLICT = make_catalog(CONFLICT_ROWS)
PULJE = 700_000


@dataclass(frozen=True)
class Infeasible:
    """Constraints that cannot hold together, the rows a report must name, and the total relaxation needed."""

    constraints: tuple[object, ...]
    names: frozenset[str]
    relax: float  # the smallest total relaxation, in kroner
    text: str  # the relaxation as the message writes it
    budget: float | dict[int, float] = PULJE


INFEASIBLE = [
    pytest.param(
        # minima 500.000 + 320.000 = 820.000 against 700.000: 120.000 apart.
        Infeasible((UdvalgMin("AUU", kr=500_000), UdvalgMin("SU", kr=320_000)),
                   frozenset({"udvalg_min[AUU]", "udvalg_min[SU]", "budget"}), 120_000, "120.000 kr."),
        id="udvalg_min-kr",
    ),
    pytest.param(
        # 80 % + 50 % of 700.000 = 560.000 + 350.000 = 910.000: 210.000 apart.
        Infeasible((UdvalgMin("AUU", share=0.8), UdvalgMin("SU", share=0.5)),
                   frozenset({"udvalg_min[AUU]", "udvalg_min[SU]", "budget"}), 210_000, "210.000 kr."),
        id="udvalg_min-share",
    ),
    pytest.param(
        # p (AUU) locked at 300.000 but AUU at most 200.000: 100.000 apart.
        Infeasible((UdvalgMax("AUU", kr=200_000), Lock("p", 300_000)),
                   frozenset({"udvalg_max[AUU]", "lock[p]"}), 100_000, "100.000 kr."),
        id="udvalg_max",
    ),
    pytest.param(
        # job (p, q: room for 1.000.000) at least 800.000 with a pulje of 700.000: 100.000 apart.
        Infeasible((GoalMin("job", kr=800_000),), frozenset({"goal_min[job]", "budget"}), 100_000, "100.000 kr."),
        id="goal_min-budget",
    ),
    pytest.param(
        # skole (q, r) can take at most 700.000; at least 750.000 contradicts their own sizes: 50.000.
        Infeasible((GoalMin("skole", kr=750_000),), frozenset({"goal_min[skole]"}), 50_000, "50.000 kr."),
        id="goal_min-own-figures",
    ),
    pytest.param(
        # 500.000 + 400.000 locked in a pulje of 700.000: 200.000 apart.
        Infeasible((Lock("p", 500_000), Lock("q", 400_000)), frozenset({"lock[p]", "lock[q]", "budget"}),
                   200_000, "200.000 kr."),
        id="lock-budget",
    ),
    pytest.param(
        # r costs 300.000 at full scale: locking it at 400.000 cannot hold: 100.000.
        Infeasible((Lock("r", 400_000),), frozenset({"lock[r]"}), 100_000, "100.000 kr."),
        id="lock-above-cost",
    ),
    pytest.param(
        # AUU has only p; p excluded, AUU at least 100.000: 100.000 apart.
        Infeasible((Exclude("p"), UdvalgMin("AUU", kr=100_000)), frozenset({"exclude[p]", "udvalg_min[AUU]"}),
                   100_000, "100.000 kr."),
        id="exclude",
    ),
    pytest.param(
        # p 600.000 in 2021 must keep 80 % (480.000) in 2022, whose pulje is 300.000: 180.000 apart
        # (relaxing the lock instead would take 225.000).
        Infeasible((Lock("p", 600_000, year=2021), Continuity(0.8, ("p",))),
                   frozenset({"lock[p,2021]", "continuity[p,2022]", "budget[2022]"}), 180_000, "180.000 kr.",
                   {2021: 700_000, 2022: 300_000}),
        id="continuity",
    ),
    pytest.param(
        # q only as far as p, p excluded, q locked at 100.000 (a quarter of q): a quarter of q's funded share,
        # or 100.000 kr. off the lock, both weigh 100.000 kr.
        Infeasible((Requires("q", prerequisite="p"), Exclude("p"), Lock("q", 100_000)),
                   frozenset({"requires[q<-p]", "exclude[p]", "lock[q]"}), 100_000, "100.000 kr."),
        id="requires",
    ),
    pytest.param(
        # at most one of p, q, but both locked: one indicator too many, or 100.000 kr. off a lock (both 100.000 kr.).
        Infeasible((MutuallyExclusive(("p", "q")), Lock("p", 100_000), Lock("q", 100_000)),
                   frozenset({"exclusive[p|q]", "lock[p]", "lock[q]"}), 100_000, "100.000 kr."),
        id="mutually_exclusive",
    ),
    pytest.param(
        # 200.000 off the top leaves 500.000; p locked at 600.000: 100.000 apart.
        Infeasible((FixedLine("priser", 200_000), Lock("p", 600_000)), frozenset({"lock[p]", "budget"}),
                   100_000, "100.000 kr."),
        id="fixed_line",
    ),
    pytest.param(
        # p all-or-nothing at 600.000 cannot be locked at 300.000: 300.000 either way.
        Infeasible((AllOrNothing("p"), Lock("p", 300_000)), frozenset({"lock[p]"}), 300_000, "300.000 kr."),
        id="all_or_nothing",
    ),
    pytest.param(
        # p is 0 or at least 400.000, AUU (only p) between 100.000 and 300.000: 100.000 apart either way.
        Infeasible((MinFunding("p", 400_000), UdvalgMin("AUU", kr=100_000), UdvalgMax("AUU", kr=300_000)),
                   frozenset({"udvalg_min[AUU]", "udvalg_max[AUU]"}), 100_000, "100.000 kr."),
        id="min_funding",
    ),
    pytest.param(
        # p at most 200.000 but AUU (only p) at least 300.000: 100.000.
        Infeasible((MaxFunding("p", 200_000), UdvalgMin("AUU", kr=300_000)), frozenset({"udvalg_min[AUU]"}),
                   100_000, "100.000 kr."),
        id="max_funding",
    ),
    pytest.param(
        # p locked at 600.000 plus its 200.000 set-up cost in a pulje of 700.000: 100.000 apart.
        Infeasible((SetupCost("p", 200_000), Lock("p", 600_000)), frozenset({"lock[p]", "budget"}),
                   100_000, "100.000 kr."),
        id="setup_cost",
    ),
    pytest.param(
        # the 2022 minima 500.000 + 300.000 against the 2022 pulje of 700.000 (2021 has room): 100.000 apart.
        Infeasible((UdvalgMin("AUU", kr=500_000, year=2022), UdvalgMin("SU", kr=300_000, year=2022)),
                   frozenset({"udvalg_min[AUU,2022]", "udvalg_min[SU,2022]", "budget[2022]"}), 100_000,
                   "100.000 kr.", {2021: 800_000, 2022: 700_000}),
        id="multi-year",
    ),
]  # fmt: skip


@pytest.mark.parametrize("case", INFEASIBLE)
def test_infeasible_case_is_explained(case: Infeasible) -> None:
    result = solve(CONFLICT, case.budget, evidence_weight=0, constraints=case.constraints)
    assert result.status is Status.INFEASIBLE
    assert not result.is_ok
    conflict = result.conflict
    assert conflict is not None
    assert set(conflict.names) == case.names
    assert {fix.constraint for fix in conflict.smallest_fix} <= case.names
    assert math.isclose(conflict.total_kr, case.relax, rel_tol=1e-6)
    for name in case.names:
        assert name in conflict.message
    assert "cannot" in conflict.message
    assert case.text in conflict.message
    assert "Traceback" not in conflict.message
    with pytest.raises(InfeasibleError) as raised:
        result.raise_for_status()
    assert str(raised.value) == conflict.message


def test_single_row_conflict_says_it_contradicts_the_indsats_figures() -> None:
    result = solve(CONFLICT, PULJE, evidence_weight=0, constraints=[AllOrNothing("p"), Lock("p", 300_000)])
    assert "cannot hold even on its own" in result.conflict.message
    assert "p locked at 300.000 kr." in result.conflict.message


def test_scalable_resolves_an_all_or_nothing_conflict() -> None:
    """A lock below the cost of an all-or-nothing indsats is infeasible; Scalable makes it hold."""
    catalog = make_catalog(with_changes(CONFLICT_ROWS, {"p": {"scalable": "false"}}))
    stuck = solve(catalog, PULJE, evidence_weight=0, constraints=[Lock("p", 300_000)])
    assert stuck.status is Status.INFEASIBLE
    assert stuck.conflict.names == ("lock[p]",)
    freed = solve(catalog, PULJE, evidence_weight=0, constraints=[Lock("p", 300_000), Scalable("p")])
    assert freed.status is Status.OPTIMAL
    # p 300.000 (1 per 1.000 kr.), then q 400.000 (0.5 per 1.000 kr., two goals: 1 per 1.000 kr.) fills the pulje.
    assert_allocation(freed, {"p": 300_000, "q": 400_000, "r": 0})
    assert math.isclose(freed.objective, 300 + 400.0)


def test_conflict_of_a_multi_year_budget_names_the_year() -> None:
    result = solve(
        CONFLICT,
        {2021: 800_000, 2022: 700_000},
        evidence_weight=0,
        constraints=[Lock("p", 500_000), Lock("q", 250_000)],
    )
    # 750.000 locked each year: 2021 (800.000) has room, 2022 (700.000) is 50.000 short.
    assert set(result.conflict.names) == {"lock[p,2022]", "lock[q,2022]", "budget[2022]"}
    assert math.isclose(sum(fix.amount for fix in result.conflict.smallest_fix), 50_000, rel_tol=1e-6)


# --- bad specs --------------------------------------------------------------------------------------

CHOICE_ROWS = with_changes(BASE_ROWS, {"c": {"scalable": "false"}})


def _solve_base(constraints: list[object], budget: float | dict[int, float] = BUDGET) -> Result:
    return solve(BASE, budget, evidence_weight=0, constraints=constraints)


BAD_SPECS: list[object] = [
    pytest.param(lambda: UdvalgMax("AUU", share=1.5), r"UdvalgMax\.share must be a share between 0 and 1.*1\.5",
                 id="share-above-1"),
    pytest.param(lambda: UdvalgMin("AUU", share=-0.1), r"share between 0 and 1.*-0\.1", id="share-negative"),
    pytest.param(lambda: GoalMin("job", share=2), r"GoalMin\.share must be a share between 0 and 1", id="goal-share"),
    pytest.param(lambda: Continuity(1.5), r"Continuity\.share must be a share between 0 and 1", id="continuity-share"),
    pytest.param(lambda: UdvalgMax("AUU", kr=100_000, share=0.5), r"exactly one of kr= or share=", id="kr-and-share"),
    pytest.param(lambda: UdvalgMin("AUU"), r"exactly one of kr= or share=", id="neither-kr-nor-share"),
    pytest.param(lambda: _solve_base([UdvalgMax("XYZ", kr=1)]), r"udvalg 'XYZ' does not occur.*AUU, KFU, SU",
                 id="unknown-udvalg"),
    pytest.param(lambda: _solve_base([UdvalgMin("XYZ", kr=1)]), r"udvalg 'XYZ' does not occur",
                 id="unknown-udvalg-min"),
    pytest.param(lambda: _solve_base([GoalMin("nope", kr=1)]), r"unknown goal 'nope'.*job, skole", id="unknown-goal"),
    pytest.param(lambda: _solve_base([Lock("nope", 1)]), r"unknown indsats id 'nope'", id="unknown-id-lock"),
    pytest.param(lambda: _solve_base([Exclude("nope")]), r"unknown indsats id 'nope'", id="unknown-id-exclude"),
    pytest.param(lambda: _solve_base([Requires("a", prerequisite="nope")]), r"unknown indsats id 'nope'",
                 id="unknown-id-requires"),
    pytest.param(lambda: _solve_base([UdvalgMax("AUU", kr=1, year=2023)], {2021: 1, 2022: 1}),
                 r"year 2023 is not a year of the pulje", id="year-not-in-budget"),
    pytest.param(lambda: _solve_base([Lock("a", 1, year=2021)]), r"year 2021 is not a year of the pulje",
                 id="year-on-single-year-budget"),
    pytest.param(lambda: Lock("a", -1), r"Lock\('a'\)\.kr must be a non-negative amount", id="negative-lock"),
    pytest.param(lambda: UdvalgMin("AUU", kr=-5), r"UdvalgMin\.kr must be a non-negative amount", id="negative-kr"),
    pytest.param(lambda: MinFunding("a", -1), r"non-negative amount", id="negative-min-funding"),
    pytest.param(lambda: MaxFunding("a", -1), r"non-negative amount", id="negative-max-funding"),
    pytest.param(lambda: FixedLine("priser", -1), r"non-negative amount", id="negative-fixed-line"),
    pytest.param(lambda: SetupCost("a", -1), r"non-negative amount", id="negative-setup-cost"),
    pytest.param(lambda: Lock("a", math.nan), r"finite amount in kroner, got nan", id="nan-lock"),
    pytest.param(lambda: _solve_base([], -1), r"budget must be a non-negative amount", id="negative-budget"),
    pytest.param(lambda: _solve_base([], {2021: 1, 2022: -1}), r"budget for 2022 must be a non-negative",
                 id="negative-budget-year"),
    pytest.param(lambda: solve(make_catalog(CHOICE_ROWS), BUDGET, constraints=[MinFunding("c", 10_000)]),
                 r"MinFunding\('c'\): the indsats is all-or-nothing; make it scalable first",
                 id="min-funding-on-all-or-nothing"),
    pytest.param(lambda: _solve_base([AllOrNothing("c"), MinFunding("c", 10_000)]), r"all-or-nothing",
                 id="min-funding-after-all-or-nothing"),
    pytest.param(lambda: solve(make_catalog(CHOICE_ROWS), BUDGET, constraints=[MaxFunding("c", 10_000)]),
                 r"MaxFunding\('c'\): the indsats is all-or-nothing", id="max-funding-on-all-or-nothing"),
    pytest.param(lambda: MutuallyExclusive(("a",)), r"at least two ids", id="exclusive-one-id"),
    pytest.param(lambda: _solve_base([UdvalgMax("AUU", kr=1), UdvalgMax("AUU", kr=2)]),
                 r"udvalg_max\[AUU\] is given twice", id="same-row-twice"),
    pytest.param(lambda: _solve_base(["udvalg_max AUU 100"]), r"is not a pulje constraint", id="not-a-constraint"),
]  # fmt: skip


@pytest.mark.parametrize(("make", "message"), BAD_SPECS)
def test_bad_spec_raises_spec_error(make: Callable[[], object], message: str) -> None:
    with pytest.raises(SpecError, match=message):
        make()


def test_min_funding_above_the_maximum_is_a_spec_error() -> None:
    """A minimum above what the indsats can take makes it silently unfundable; the catalog loader rejects the
    same contradiction (min_kr above max_kr) in a file, so a constraint should not slip it through either."""
    with pytest.raises(SpecError, match=r"MinFunding\('c'\)"):
        _solve_base([MinFunding("c", 200_000)])  # c costs (and can take at most) 100.000 kr.


def test_all_or_nothing_for_every_indsats() -> None:
    """AllOrNothing("*") turns every scalable indsats into 0 or its full cost."""
    example = greedy()
    scalable = solve(example.catalog, example.budget, evidence_weight=0)
    assert any(0 < a < c for a, c in zip(scalable.allocation["amount_kr"], scalable.allocation["cost_kr"], strict=True))
    result = solve(example.catalog, example.budget, evidence_weight=0, constraints=[AllOrNothing("*")])
    for amount, cost in zip(result.allocation["amount_kr"], result.allocation["cost_kr"], strict=True):
        assert amount == pytest.approx(0.0, abs=0.5) or amount == pytest.approx(cost)
    # beta (200.000, reach 200) alone fits the 250.000; alfa or gamma cannot join it: value 200
    assert result.objective == pytest.approx(200.0, rel=1e-6)
