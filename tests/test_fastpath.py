"""The fast paths (a knapsack for all-or-nothing models, a sort for LPs, every allocation tried for small
all-or-nothing models) give the solver's own answer on random catalogs, ties broken by id included, and the
knapsack and the sort step aside where a cap or a `requires` binds."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from optimizer import (
    AllOrNothing,
    Compiled,
    Exclude,
    Inputs,
    Lock,
    MaxFunding,
    MutuallyExclusive,
    Requires,
    SetupCost,
    Status,
    UdvalgMax,
    UdvalgMin,
    compile_inputs,
)
from optimizer import fastpath as fastpath_module
from optimizer import highs as highs_module
from optimizer.errors import SpecError
from optimizer.fastpath import shape_of, solve_many
from optimizer.highs import CompiledModel, RawSolution
from scenarios import Scenario, load_scenario
from scenarios.robustness import _solve_draws, draw_values
from tests.conftest import ROOT, make_catalog


def random_catalog(seed: int, *, binary: bool, n: int = 12, twins: int = 3) -> pd.DataFrame:
    """Indsatser with asks in whole 5.000 kr., some of them twins (same ask, reach and goals: a tie), ids in
    random order, over two udvalg."""
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(n):
        rows.append({"id": f"x{int(rng.integers(100, 999))}{k}", "udvalg": "SU" if k % 2 else "KFU", "goals": "job",
                     "cost_kr": int(rng.integers(2, 60)) * 5_000, "reach": int(rng.integers(5, 300)),
                     "scalable": "false" if binary else "true"})  # fmt: skip
    for k in range(twins):
        twin = dict(rows[k], id=f"t{int(rng.integers(100, 999))}{k}")
        rows.append(twin)
    order = rng.permutation(len(rows))
    return make_catalog([rows[k] for k in order])


def solutions(inputs: Inputs) -> tuple[RawSolution | None, RawSolution]:
    """The fast path's answer (None where it steps aside) and HiGHS's, for the same compiled model."""
    compiled = compile_inputs(inputs)
    fast = compiled.highs._fast()
    general = CompiledModel(compiled.model)
    general._fast = lambda: None  # type: ignore[method-assign]
    return fast, general.solve()


@pytest.fixture
def no_enumeration(monkeypatch: pytest.MonkeyPatch) -> None:
    """The knapsack's own answers: small models are not enumerated."""
    monkeypatch.setattr(fastpath_module, "MAX_ENUMERATED", 0)


def same(fast: RawSolution, general: RawSolution) -> None:
    assert math.isclose(fast.objective, general.objective, rel_tol=1e-9, abs_tol=1e-9)
    assert np.allclose(fast.values, general.values, atol=1e-7)


@pytest.mark.usefixtures("no_enumeration")
@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("share", [0.15, 0.4, 0.7])
def test_the_knapsack_gives_the_solvers_allocation(seed: int, share: float) -> None:
    catalog = random_catalog(seed, binary=True)
    budget = round(float(catalog["cost_kr"].sum()) * share, -3)
    fast, general = solutions(Inputs(catalog, budget, evidence_weight=0))
    assert fast is not None, "only the budget limits this model: the knapsack answers"
    same(fast, general)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("share", [0.15, 0.4, 0.7])
def test_the_sort_gives_the_solvers_allocation_and_budget_dual(
    seed: int, share: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(highs_module, "SORTED_LP", 0)
    catalog = random_catalog(seed, binary=False)
    budget = round(float(catalog["cost_kr"].sum()) * share, -3) + 1_234  # a budget that ends inside an ask
    fast, general = solutions(Inputs(catalog, budget, evidence_weight=0))
    assert fast is not None, "only the budget limits this model: the sort answers"
    same(fast, general)
    assert fast.row_duals is not None and general.row_duals is not None
    assert np.allclose(fast.row_duals, general.row_duals, rtol=1e-7, atol=1e-9)


@pytest.mark.usefixtures("no_enumeration")
@pytest.mark.parametrize("binary", [True, False], ids=["all-or-nothing", "scalable"])
def test_twins_get_the_money_lower_id_first(binary: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(highs_module, "SORTED_LP", 0)
    rows = [{"id": i, "udvalg": "SU", "goals": "job", "cost_kr": 100_000, "reach": 50,
             "scalable": "false" if binary else "true"} for i in ("b", "a", "c")]  # fmt: skip
    fast, general = solutions(Inputs(make_catalog(rows), 150_000, evidence_weight=0))
    assert fast is not None
    same(fast, general)
    funded = dict(zip("bac", fast.values, strict=True))
    assert funded["a"] == 1.0 and funded["c"] == 0.0
    assert funded["b"] == (0.0 if binary else 0.5)


def half_capped(seed: int, binary: bool) -> Inputs:
    """A random catalog with a cap on SU at half of what SU gets without it (so the cap binds)."""
    catalog = random_catalog(seed, binary=binary)
    budget = round(float(catalog["cost_kr"].sum()) * 0.6, -3)
    inputs = Inputs(catalog, budget, evidence_weight=0)
    unlimited, _ = solutions(inputs)
    assert unlimited is not None
    spent_su = float(compile_inputs(inputs).model.kroner(unlimited.values)[catalog["udvalg"] == ("SU",)].sum())
    return inputs.replace(constraints=(UdvalgMax("SU", kr=round(spent_su / 2, -3)),))


@pytest.mark.usefixtures("no_enumeration")
@pytest.mark.parametrize("seed", range(6))
def test_a_binding_cap_makes_the_sort_step_aside(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(highs_module, "SORTED_LP", 0)
    capped = half_capped(seed, binary=False)
    fast, general = solutions(capped)
    assert fast is None, "the cap binds: the sort must leave the model to the solver"
    assert shape_of(compile_inputs(capped).model) is not None, "the model's shape alone would not refuse it"
    solved = compile_inputs(capped).solve()
    assert math.isclose(solved.objective, general.objective, rel_tol=1e-9)


@pytest.mark.usefixtures("no_enumeration")
@pytest.mark.parametrize("seed", range(6))
def test_a_binding_cap_leaves_all_or_nothing_to_the_knapsack_under_caps(seed: int) -> None:
    """The plain knapsack's answer breaks the cap; the knapsack under caps (solve_capped) gives the solver's."""
    capped = half_capped(seed, binary=True)
    compiled = compile_inputs(capped)
    highs = compiled.highs
    bounds = fastpath_module.Bounds(highs._lower, highs._upper, *highs.row_bounds())
    shape = shape_of(compiled.model)
    assert shape is not None
    plain = fastpath_module.solve_knapsack(compiled.model, shape, highs._scaled(highs.objective)[None, :], bounds)
    assert plain is not None and not plain[1][0], "the plain knapsack's answer breaks the cap"
    fast, general = solutions(capped)
    assert fast is not None
    same(fast, general)


def requires_inputs(binary: bool, budget: float, *, second_roll_out: bool = False) -> Inputs:
    rows = [{"id": "roll-out", "udvalg": "SU", "goals": "job", "cost_kr": 100_000, "reach": 500},
            {"id": "concept", "udvalg": "SU", "goals": "job", "cost_kr": 100_000, "reach": 1},
            {"id": "other", "udvalg": "SU", "goals": "job", "cost_kr": 100_000, "reach": 300}]  # fmt: skip
    if second_roll_out:
        rows.append({"id": "roll-out-2", "udvalg": "SU", "goals": "job", "cost_kr": 50_000, "reach": 400})
    for row in rows:
        row["scalable"] = "false" if binary else "true"
    return Inputs(make_catalog(rows), budget, evidence_weight=0)


@pytest.mark.usefixtures("no_enumeration")
def test_the_knapsack_keeps_a_requires_pair_itself() -> None:
    """All-or-nothing: a prerequisite and the indsats requiring it are one choice of three (neither, the
    prerequisite, both), so the knapsack gives the solver's answer though the rule binds."""
    inputs = requires_inputs(True, 200_000)
    free, _ = solutions(inputs)
    assert free is not None and free.values[1] == 0.0, "without the rule the concept is not funded"
    fast, general = solutions(inputs.replace(constraints=(Requires("roll-out", "concept"),)))
    assert fast is not None
    same(fast, general)
    assert list(fast.values) == [1.0, 1.0, 0.0]


@pytest.mark.usefixtures("no_enumeration")
def test_a_prerequisite_of_two_makes_the_knapsack_step_aside() -> None:
    inputs = requires_inputs(True, 150_000, second_roll_out=True)
    rules = (Requires("roll-out", "concept"), Requires("roll-out-2", "concept"))
    fast, general = solutions(inputs.replace(constraints=rules))
    assert fast is None, "a prerequisite of two is not a pair, and the second rule binds: the solver decides"
    assert list(general.values) == [0.0, 1.0, 0.0, 1.0], "the concept with the second roll-out"


def test_a_binding_requires_makes_the_sort_step_aside(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(highs_module, "SORTED_LP", 0)
    inputs = requires_inputs(False, 150_000)
    free, _ = solutions(inputs)
    assert free is not None and free.values[1] == 0.0, "without the rule the concept is not funded"
    bound = inputs.replace(constraints=(Requires("roll-out", "concept"),))
    fast, general = solutions(bound)
    assert fast is None
    result = compile_inputs(bound).solve()
    assert result.allocation.set_index("id").loc["concept", "amount_kr"] > 0, "the rule now funds the concept"
    assert math.isclose(result.objective, general.objective, rel_tol=1e-9)


def one_solve_per_draw(compiled: object, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each draw solved by HiGHS on its own (the general path)."""
    model = compiled.model  # type: ignore[attr-defined]
    general = CompiledModel(model)
    general._fast = lambda: None  # type: ignore[method-assign]
    amounts, objectives = np.zeros((len(values), model.instance.n)), np.zeros(len(values))
    for d, value in enumerate(values):
        general.set_objective(model.objective_for(value))
        solution = general.solve()
        amounts[d], objectives[d] = model.kroner(solution.values).sum(axis=1), solution.objective
    return amounts, objectives


@pytest.mark.parametrize(
    ("case", "binary"),
    [("copenhagen", True), ("copenhagen", False), ("random", True), ("random", False)],
    ids=["copenhagen-all-or-nothing", "copenhagen-scalable", "random-all-or-nothing", "random-scalable"],
)
def test_robustness_draws_solved_together_equal_one_solve_per_draw(case: str, binary: bool) -> None:
    """The draws solved at once (sort or knapsack, the general path for draws where a row binds) give what one
    solve per draw gives, draw by draw; in Copenhagen the concept/roll-out `requires` pairs bind."""
    if case == "copenhagen":
        scenario = load_scenario(ROOT / "scenarios" / "examples" / "copenhagen_bruttokatalog.toml")
        scenario = scenario.replace(constraints=(*scenario.constraints, *([AllOrNothing("*")] if binary else [])))
    else:
        catalog = random_catalog(5, binary=binary, n=14)
        scenario = Scenario("random", Inputs(catalog, round(float(catalog["cost_kr"].sum()) * 0.4, -3)))
    compiled = compile_inputs(scenario.inputs)
    values, _ = draw_values(scenario, compiled.instance, 120, np.random.default_rng(3))
    together = _solve_draws(compiled, values, False)
    alone = one_solve_per_draw(compiled, values)
    assert np.allclose(together[0], alone[0], atol=1.0)  # HiGHS leaves crumbs within its integrality tolerance
    assert np.allclose(together[1], alone[1], rtol=1e-8)


@st.composite
def small_binary_inputs(draw: st.DrawFn) -> Inputs:
    """A few all-or-nothing indsatser over one or two years, with twins (ties) and asks and reaches from small
    sets (more ties), and any of a binding udvalg cap, `requires` rules (a prerequisite of two among them), a
    lock and a mutual exclusion."""
    n = draw(st.integers(2, 7))
    names = draw(st.lists(st.sampled_from("abcdefghijklmnop"), min_size=n + 2, max_size=n + 2, unique=True))
    rows = []
    for k in range(n):
        rows.append({"id": names[k], "udvalg": "SU" if k == 0 else draw(st.sampled_from(["SU", "KFU"])), "goals": "job",
                     "cost_kr": draw(st.integers(1, 8)) * 25_000, "reach": draw(st.sampled_from([0, 40, 80, 120])),
                     "scalable": "false"})  # fmt: skip
    for twin in names[n : n + draw(st.integers(0, 2))]:
        rows.append(dict(rows[draw(st.integers(0, n - 1))], id=twin))
    ids = [str(row["id"]) for row in rows]
    total = sum(int(row["cost_kr"]) for row in rows)  # type: ignore[call-overload]
    years = draw(st.sampled_from([(2025,), (2025, 2026)]))
    budget = {year: draw(st.integers(0, 20)) * total / 20 for year in years}
    rules: list[object] = []
    if draw(st.booleans()):
        rules.append(UdvalgMax("SU", kr=draw(st.integers(0, 8)) * 25_000))
    pairs = st.tuples(st.sampled_from(ids), st.sampled_from(ids)).filter(lambda pair: pair[0] != pair[1])
    rules += [Requires(later, first) for later, first in draw(st.lists(pairs, max_size=3, unique=True))]
    if draw(st.booleans()):
        locked = draw(st.sampled_from(rows))
        rules.append(Lock(str(locked["id"]), kr=float(locked["cost_kr"])))  # type: ignore[arg-type]
    if draw(st.booleans()):
        exclusive = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=3, unique=True))
        rules.append(MutuallyExclusive(tuple(exclusive)))
    return Inputs(make_catalog(rows), budget, evidence_weight=0, constraints=tuple(rules))  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(small_binary_inputs())
def test_every_allocation_tried_gives_the_solvers_allocation(inputs: Inputs) -> None:
    """A small all-or-nothing model is enumerated whatever rows bind, and the answer is HiGHS's, ties included;
    it steps aside only where no allocation is feasible (the solver then says so, with its conflict)."""
    fast, general = solutions(inputs)
    if fast is None:
        assert general.status is Status.INFEASIBLE
    else:
        assert general.status is Status.OPTIMAL
        same(fast, general)


@pytest.mark.parametrize("seed", range(10))
def test_set_up_starts_are_enumerated_or_left_to_the_solver(seed: int) -> None:
    """A set-up start column has no tie value of its own: where the budget leaves it free to be 0 or 1, two
    allocations tie in tie value too and the enumeration steps aside; where it answers, it is HiGHS's answer."""
    catalog = random_catalog(seed, binary=True, n=5, twins=1)
    ids = list(catalog["id"])
    total = float(catalog["cost_kr"].sum())
    inputs = Inputs(catalog, {2025: round(total * 0.5, -3), 2026: round(total * 0.6, -3)}, evidence_weight=0,
                    constraints=(SetupCost(ids[0], kr=20_000), SetupCost(ids[1], kr=30_000)))  # fmt: skip
    fast, general = solutions(inputs)
    assert general.status is Status.OPTIMAL
    if fast is not None:
        same(fast, general)


@pytest.mark.parametrize("seed", range(6))
def test_an_indsats_forced_in_is_enumerated_as_the_solver_solves_it(seed: int) -> None:
    catalog = random_catalog(seed, binary=True, n=9, twins=2)
    inputs = Inputs(catalog, round(float(catalog["cost_kr"].sum()) * 0.4, -3), evidence_weight=0,
                    constraints=(UdvalgMax("SU", kr=round(float(catalog["cost_kr"].sum()) * 0.1, -3)),))  # fmt: skip
    compiled = compile_inputs(inputs)
    general = CompiledModel(compiled.model)
    general._fast = lambda: None  # type: ignore[method-assign]
    unforced = compiled.highs._fast()
    assert unforced is not None
    for column in np.flatnonzero(unforced.values == 0):
        forced = [int(column)], [1.0], [1.0]
        with compiled.highs.changed_cols(*forced), general.changed_cols(*forced):
            fast, solved = compiled.highs._fast(), general.solve()
        if solved.status is Status.OPTIMAL:
            assert fast is not None and fast.values[column] == 1.0
            same(fast, solved)
        else:
            assert fast is None, "no allocation is feasible: the solver says so, with its conflict"


def test_more_free_columns_than_enumerated_go_to_the_other_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = random_catalog(0, binary=True, n=9, twins=2)
    inputs = Inputs(catalog, round(float(catalog["cost_kr"].sum()) * 0.4, -3), evidence_weight=0,
                    constraints=(UdvalgMax("SU", kr=round(float(catalog["cost_kr"].sum()) * 0.1, -3)),
                                 UdvalgMin("KFU", kr=10_000)))  # fmt: skip
    assert solutions(inputs)[0] is not None
    monkeypatch.setattr(fastpath_module, "MAX_ENUMERATED", 10)
    assert solutions(inputs)[0] is None, "11 free columns, the cap binds (the knapsack steps aside), a floor is no cap"


@pytest.mark.usefixtures("no_enumeration")
def test_the_relaxation_stepping_aside_leaves_the_knapsack_on() -> None:
    """The LP relaxation (for the rates at the margin) leaves a budget its asks fill exactly to the solver (its
    dual is not unique); the all-or-nothing re-solves still take the knapsack."""
    catalog = random_catalog(1, binary=True)
    compiled = compile_inputs(Inputs(catalog, float(catalog["cost_kr"].sum()), evidence_weight=0))
    highs = compiled.highs
    assert highs._fast() is not None
    with highs._relaxed():
        assert highs._fast(any_size=True) is None, "a degenerate relaxation: the solver answers it"
    assert highs._fast() is not None


@st.composite
def small_requires_inputs(draw: st.DrawFn, *, binary: bool) -> Inputs:
    """A few indsatser over one or two years with `requires` rules (some prerequisites asking only in the first
    year and their later only in the second), twins, and any of a lock (a full or half ask, one year or every
    year), an exclusion, a funding cap and a binding udvalg cap."""
    n = draw(st.integers(2, 6))
    names = draw(st.lists(st.sampled_from("abcdefghijklmnop"), min_size=n + 2, max_size=n + 2, unique=True))
    years = draw(st.sampled_from([(2025,), (2025, 2026)]))
    rows = []
    for k in range(n):
        cost = draw(st.integers(1, 8)) * 25_000
        row = {"id": names[k], "udvalg": "SU" if k == 0 else draw(st.sampled_from(["SU", "KFU"])), "goals": "job",
               "cost_kr": cost, "reach": draw(st.sampled_from([0, 40, 80, 120])),
               "scalable": "false" if binary else "true"}  # fmt: skip
        if len(years) == 2:
            first, second = draw(st.sampled_from([(1, 1), (1, 1), (1, 0), (0, 1)]))
            row["asks"] = f"2025={cost * first}; 2026={cost * second}"
        rows.append(row)
    for twin in names[n : n + draw(st.integers(0, 2))]:
        rows.append(dict(rows[draw(st.integers(0, n - 1))], id=twin))
    ids = [str(row["id"]) for row in rows]
    total = sum(int(row["cost_kr"]) for row in rows)  # type: ignore[call-overload]
    budget = {year: draw(st.integers(0, 20)) * total / 20 for year in years}
    pairs = st.tuples(st.sampled_from(ids), st.sampled_from(ids)).filter(lambda pair: pair[0] != pair[1])
    required = draw(st.lists(pairs, max_size=3, unique=True))
    rules: list[object] = [Requires(later, first) for later, first in required]
    if draw(st.booleans()):  # a lock, on the later of a rule as often as on any indsats
        locked_id = draw(st.sampled_from([*ids, *[later for later, _ in required] * len(ids)]))
        locked = next(row for row in rows if row["id"] == locked_id)
        share = 1.0 if binary else draw(st.sampled_from([1.0, 1.0, 0.5]))
        year = draw(st.sampled_from([None, *years]))
        rules.append(Lock(str(locked["id"]), kr=share * float(locked["cost_kr"]), year=year))  # type: ignore[arg-type]
    if draw(st.booleans()):
        rules.append(Exclude(draw(st.sampled_from(ids))))
    if not binary and draw(st.booleans()):
        capped = draw(st.sampled_from(rows))
        rules.append(MaxFunding(str(capped["id"]), kr=float(capped["cost_kr"]) / 2))  # type: ignore[arg-type]
    if draw(st.integers(0, 3)) == 0:
        rules.append(UdvalgMax("SU", kr=draw(st.integers(0, 8)) * 25_000))
    return Inputs(make_catalog(rows), budget, evidence_weight=0, constraints=tuple(rules))  # type: ignore[arg-type]


def tied_draws(draw: st.DrawFn, n: int) -> np.ndarray:
    """A few draws of value per indsats from a small set (so indsatser tie within a draw, and with their twins)."""
    count = draw(st.integers(1, 5))
    values = draw(st.lists(st.sampled_from([0.0, 1.0, 2.0, 3.0, 4.5]), min_size=count * n, max_size=count * n))
    return np.array(values).reshape(count, n)


def compiled_or_reject(inputs: Inputs) -> Compiled:
    """The compiled model, or the example rejected where its rules contradict the catalog (a lock in a year the
    indsats asks nothing, a lock above a funding cap)."""
    try:
        return compile_inputs(inputs)
    except SpecError:
        reject()


@pytest.mark.parametrize("binary", [False, True], ids=["scalable", "all-or-nothing"])
@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(data=st.data())
def test_draws_with_requires_locks_and_exclusions_equal_one_solve_per_draw(binary: bool, data: st.DataObject) -> None:
    """Robustness's draws solved at once (the sort or the knapsack, `requires` pairs kept by them) give what one
    HiGHS solve per draw gives, draw by draw, where a lock holds a pair's later up, a prerequisite is excluded or
    capped, or a pair spans two years; where the model is infeasible no draw is answered by the fast path."""
    compiled = compiled_or_reject(data.draw(small_requires_inputs(binary=binary)))
    values = tied_draws(data.draw, compiled.instance.n)
    general = CompiledModel(compiled.model)
    general._fast = lambda: None  # type: ignore[method-assign]
    if general.solve().status is not Status.OPTIMAL:
        batch = solve_many(compiled.model, compiled.model.objectives_for(values))
        assert batch is None or not batch[1].any(), "an infeasible model: the solver says so, with its conflict"
        return
    together = _solve_draws(compiled, values, False)
    alone = one_solve_per_draw(compiled, values)
    assert np.allclose(together[0], alone[0], atol=1.0)  # HiGHS leaves crumbs within its integrality tolerance
    assert np.allclose(together[1], alone[1], rtol=1e-8, atol=1e-9)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(inputs=small_requires_inputs(binary=False))
def test_the_sort_with_requires_locks_and_exclusions_gives_the_solvers_answer(inputs: Inputs) -> None:
    """A CompiledModel solve of an LP with `requires` rules, locks, exclusions and caps: the sort answers only
    where it gives HiGHS's allocation and row duals (else it steps aside)."""
    compiled = compiled_or_reject(inputs)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(highs_module, "SORTED_LP", 0)
        fast = compiled.highs._fast()
    general = CompiledModel(compiled.model)
    general._fast = lambda: None  # type: ignore[method-assign]
    solved = general.solve()
    if fast is None:
        return
    assert solved.status is Status.OPTIMAL
    same(fast, solved)
    assert fast.row_duals is not None and solved.row_duals is not None
    assert np.allclose(fast.row_duals, solved.row_duals, rtol=1e-7, atol=1e-9)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(inputs=small_requires_inputs(binary=True))
def test_the_sorted_relaxation_with_requires_locks_and_exclusions_gives_the_solvers_duals(inputs: Inputs) -> None:
    """The LP relaxation of an all-or-nothing model (the rates at the margin) sorted with `requires` rules, locks
    and exclusions among its rows: where the sort answers, its value and row duals are HiGHS's."""
    compiled = compiled_or_reject(inputs)
    fast = compiled.highs.solve_relaxation()
    general = CompiledModel(compiled.model)
    general._fast = lambda **_: None  # type: ignore[method-assign]
    solved = general.solve_relaxation()
    assert fast.status is solved.status
    if solved.status is not Status.OPTIMAL:
        return
    assert math.isclose(fast.objective, solved.objective, rel_tol=1e-9, abs_tol=1e-9)
    assert fast.row_duals is not None and solved.row_duals is not None
    assert np.allclose(fast.row_duals, solved.row_duals, rtol=1e-7, atol=1e-9)


def test_draws_with_a_lock_on_a_pairs_later_equal_one_solve_per_draw() -> None:
    """The roll-out locked at its full ask: the concept it requires must be funded in full too. The sort's pair
    (one indsats from the later's lower bound up) would count the lock twice and fund the roll-out twice over; it
    steps aside and the solver answers."""
    inputs = requires_inputs(False, 400_000)
    inputs = inputs.replace(constraints=(Requires("roll-out", "concept"), Lock("roll-out", kr=100_000)))
    compiled = compile_inputs(inputs)
    values = np.array([[5.0, 0.01, 3.0], [4.0, 0.03, 1.0]])
    together, alone = _solve_draws(compiled, values, False), one_solve_per_draw(compiled, values)
    assert np.allclose(together[0], alone[0], atol=1.0)
    assert np.allclose(together[1], alone[1], rtol=1e-8)
    assert (together[0][:, 0] == 100_000).all(), "the lock holds"


@pytest.mark.parametrize("binary", [False, True], ids=["scalable", "all-or-nothing"])
def test_a_requires_across_years_is_checked_by_the_fast_paths(binary: bool) -> None:
    """The concept asks in 2025 only, the roll-out in 2026 only: their `requires` row joins two budget rows, so
    it is no pair of one year's sort or knapsack and is checked like any other row."""
    rows = [{"id": "roll-out", "cost_kr": 100_000, "reach": 500, "asks": "2025=0; 2026=100000"},
            {"id": "concept", "cost_kr": 100_000, "reach": 1, "asks": "2025=100000; 2026=0"},
            {"id": "other", "cost_kr": 100_000, "reach": 300}]  # fmt: skip
    for row in rows:
        row.update(udvalg="SU", goals="job", scalable="false" if binary else "true")
    inputs = Inputs(make_catalog(rows), {2025: 100_000, 2026: 200_000}, evidence_weight=0,
                    constraints=(Requires("roll-out", "concept"),))  # fmt: skip
    compiled = compile_inputs(inputs)
    values = np.array([[5.0, 0.01, 3.0], [1.0, 0.01, 3.0]])
    together, alone = _solve_draws(compiled, values, False), one_solve_per_draw(compiled, values)
    assert np.allclose(together[0], alone[0], atol=1.0)
    assert np.allclose(together[1], alone[1], rtol=1e-8)
    assert together[0][0, 0] == together[0][0, 1] == 100_000, "the roll-out only with its concept"
