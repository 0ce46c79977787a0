"""The knapsack under udvalg caps (fastpath.solve_capped) gives the solver's own allocation, ties broken by id
included, whether the caps bind or not, and steps aside where a row is no cap of its own columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from optimizer import (
    Compiled,
    Exclude,
    GoalMin,
    Inputs,
    Lock,
    Requires,
    Status,
    UdvalgMax,
    UdvalgMin,
    compile_inputs,
)
from optimizer import fastpath as fastpath_module
from optimizer.fastpath import Bounds, shape_of, solve_capped
from optimizer.highs import CompiledModel, RawSolution
from tests.conftest import make_catalog
from tests.test_fastpath import compiled_or_reject

UDVALG = ("SU", "KFU", "BUU", "TMU")


def generated(n: int, seed: int) -> pd.DataFrame:
    """n all-or-nothing indsatser over 20 udvalg, asks of 10.000-499.000 kr. in whole 1.000 kr. and reaches of
    5-499 (as benchmarks/workloads.py generates them: reaches repeat, so values tie)."""
    rng = np.random.default_rng(seed)
    rows = [{"id": f"i{k}", "udvalg": f"U{rng.integers(0, 20)}", "goals": "job", "scalable": "false",
             "cost_kr": int(rng.integers(10, 500)) * 1000, "reach": int(rng.integers(5, 500))}
            for k in range(n)]  # fmt: skip
    return make_catalog(rows)


def capped_and_general(inputs: Inputs | Compiled) -> tuple[np.ndarray | None, RawSolution]:
    """solve_capped's allocation (None where it steps aside) and HiGHS's two stages, for the same model."""
    compiled = compile_inputs(inputs) if isinstance(inputs, Inputs) else inputs
    highs, model = compiled.highs, compiled.model
    shape = shape_of(model)
    assert shape is not None
    bounds = Bounds(highs._lower, highs._upper, *highs.row_bounds())
    capped = solve_capped(model, shape, highs._scaled(highs.objective), bounds)
    general = CompiledModel(model)
    general._fast = lambda: None  # type: ignore[method-assign]
    return capped, general.solve()


def agree(capped: np.ndarray | None, general: RawSolution) -> None:
    """The same allocation, or a step aside where the solver finds no allocation."""
    if general.status is not Status.OPTIMAL:
        assert capped is None, "an infeasible model: the solver says so, with its conflict"
        return
    assert capped is not None
    assert general.values is not None
    assert np.array_equal(capped, general.values), np.flatnonzero(capped != general.values)


@st.composite
def capped_inputs(draw: st.DrawFn) -> Inputs:
    """Up to 40 all-or-nothing indsatser over four udvalg and one or two years, asks and reaches from small sets
    (ties) and twins (ties by id), with caps on some udvalg from none to all of their asks, a lock and an
    exclusion at times."""
    n = draw(st.integers(2, 40))
    years = draw(st.sampled_from([(2025,), (2025, 2026)]))
    rows = []
    for k in range(n):
        cost = draw(st.integers(1, 12)) * 5_000
        row = {"id": f"i{draw(st.integers(0, 10**6)):07d}{k}", "udvalg": draw(st.sampled_from(UDVALG)),
               "goals": "job", "cost_kr": cost, "reach": draw(st.sampled_from([0, 10, 20, 30, 45])),
               "scalable": "false"}  # fmt: skip
        if len(years) == 2:
            first, second = draw(st.sampled_from([(1, 1), (1, 2), (1, 0), (0, 1)]))
            row["asks"] = f"2025={cost * first}; 2026={cost * second}"
        rows.append(row)
    rows += [dict(rows[k], id=f"t{k}") for k in draw(st.lists(st.integers(0, n - 1), max_size=4, unique=True))]
    total = sum(int(row["cost_kr"]) for row in rows)  # type: ignore[call-overload]
    budget = {year: draw(st.integers(0, 20)) * total / 20 for year in years}
    capped = draw(st.lists(st.sampled_from(sorted({str(row["udvalg"]) for row in rows})), max_size=4, unique=True))
    rules: list[object] = [UdvalgMax(u, kr=draw(st.integers(0, 30)) * total / 60) for u in capped]
    ids = [str(row["id"]) for row in rows]
    if draw(st.booleans()):
        locked = draw(st.sampled_from(rows))
        rules.append(Lock(str(locked["id"]), kr=float(locked["cost_kr"]), year=years[0]))  # type: ignore[arg-type]
    if draw(st.booleans()):
        rules.append(Exclude(draw(st.sampled_from(ids))))
    return Inputs(make_catalog(rows), budget, evidence_weight=0, constraints=tuple(rules))  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(capped_inputs())
def test_the_knapsack_under_caps_gives_the_solvers_allocation(inputs: Inputs) -> None:
    compiled = compiled_or_reject(inputs)
    assume(shape_of(compiled.model) is not None)  # (a lock and an exclusion on one column: no fast path runs)
    agree(*capped_and_general(compiled))


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("share", [0.5, 0.8, 1.3])
def test_a_generated_catalog_under_caps_gets_the_solvers_allocation(seed: int, share: float) -> None:
    """300 indsatser over 20 udvalg, caps on five of them binding or not: most columns are fixed by their
    reduced cost and the rest solved by the knapsack; the answer is still HiGHS's, ties by id included (reaches
    repeat among 300)."""
    catalog = generated(300, seed)
    budget = round(float(catalog["cost_kr"].sum()) * 0.3, -3)
    caps = tuple(UdvalgMax(f"U{k}", kr=round(budget / 20 * share, -3)) for k in range(5))
    agree(*capped_and_general(Inputs(catalog, budget, evidence_weight=0, constraints=caps)))


def test_the_caps_decide_and_twins_go_by_id() -> None:
    """Worked by hand: 100.000 kr. for three equal indsatser and one that is worth more; the cap on SU (50.000
    kr.) lets one SU twin in, the lower id; the better KFU one takes the other 50.000 kr."""
    rows = [{"id": i, "udvalg": "SU", "goals": "job", "cost_kr": 50_000, "reach": 10, "scalable": "false"}
            for i in ("b", "a", "c")]  # fmt: skip
    rows.append({"id": "k", "udvalg": "KFU", "goals": "job", "cost_kr": 50_000, "reach": 12, "scalable": "false"})
    inputs = Inputs(make_catalog(rows), 100_000, evidence_weight=0, constraints=(UdvalgMax("SU", kr=50_000),))
    capped, general = capped_and_general(inputs)
    agree(capped, general)
    assert capped is not None and list(capped) == [0.0, 1.0, 0.0, 1.0]


@pytest.mark.parametrize(
    "rule",
    [UdvalgMin("KFU", kr=50_000), GoalMin("job", kr=50_000), Requires("a", "k")],
    ids=["a lower limit", "a goal row", "a requires"],
)
def test_a_row_that_is_no_cap_makes_it_step_aside(rule: object) -> None:
    rows = [{"id": i, "udvalg": u, "goals": "job", "cost_kr": 50_000, "reach": r, "scalable": "false"}
            for i, u, r in (("a", "SU", 10), ("b", "SU", 20), ("k", "KFU", 5), ("m", "KFU", 6))]  # fmt: skip
    constraints = (UdvalgMax("SU", kr=50_000), rule)
    capped, _ = capped_and_general(Inputs(make_catalog(rows), 100_000, evidence_weight=0, constraints=constraints))
    assert capped is None


def test_a_shared_indsats_makes_it_step_aside() -> None:
    """An indsats of two udvalg counts half to each cap: the cap's coefficients are no longer its asks."""
    rows = [{"id": i, "udvalg": u, "goals": "job", "cost_kr": 50_000, "reach": 10, "scalable": "false"}
            for i, u in (("a", "SU"), ("b", "SU/KFU"), ("k", "KFU"))]  # fmt: skip
    inputs = Inputs(make_catalog(rows), 100_000, evidence_weight=0, constraints=(UdvalgMax("SU", kr=50_000),))
    capped, general = capped_and_general(inputs)
    assert capped is None and general.status is Status.OPTIMAL


def test_too_large_a_knapsack_is_left_to_the_solver(monkeypatch: pytest.MonkeyPatch) -> None:
    """60 indsatser, a budget of about 4.700 steps of 1.000 kr.: allowed 5.000 cells, the knapsack steps aside."""
    catalog = generated(60, 0)
    budget = round(float(catalog["cost_kr"].sum()) * 0.3, -3)
    inputs = Inputs(catalog, budget, evidence_weight=0, constraints=(UdvalgMax("U0", kr=1e5),))
    assert capped_and_general(inputs)[0] is not None
    monkeypatch.setattr(fastpath_module, "MAX_DP_CELLS", 5_000)
    monkeypatch.setattr(fastpath_module, "CAPPED_CELLS_PER_ITEM", 0)
    assert capped_and_general(inputs)[0] is None


def test_a_cap_broken_by_the_columns_held_is_left_to_the_solver() -> None:
    """A locks 50.000 kr. on SU, whose cap is 25.000 kr., and SU's other indsats is excluded: no column of the cap
    is free, and no allocation is feasible."""
    rows = [{"id": i, "udvalg": u, "goals": "job", "cost_kr": 50_000, "reach": 10, "scalable": "false"}
            for i, u in (("a", "SU"), ("b", "SU"), ("k", "KFU"))]  # fmt: skip
    rules = (UdvalgMax("SU", kr=25_000), Lock("a", kr=50_000), Exclude("b"))
    agree(*capped_and_general(Inputs(make_catalog(rows), 100_000, evidence_weight=0, constraints=rules)))
