"""The fast paths (a knapsack for all-or-nothing models, a sort for LPs) give the solver's own answer on random
catalogs, ties broken by id included, and step aside where a cap or a `requires` binds."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from optimizer import AllOrNothing, Inputs, Requires, UdvalgMax, compile_inputs
from optimizer import highs as highs_module
from optimizer.fastpath import shape_of
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


def same(fast: RawSolution, general: RawSolution) -> None:
    assert math.isclose(fast.objective, general.objective, rel_tol=1e-9, abs_tol=1e-9)
    assert np.allclose(fast.values, general.values, atol=1e-7)


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


@pytest.mark.parametrize("binary", [True, False], ids=["all-or-nothing", "scalable"])
@pytest.mark.parametrize("seed", range(6))
def test_a_binding_cap_makes_the_fast_path_step_aside(seed: int, binary: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(highs_module, "SORTED_LP", 0)
    catalog = random_catalog(seed, binary=binary)
    budget = round(float(catalog["cost_kr"].sum()) * 0.6, -3)
    inputs = Inputs(catalog, budget, evidence_weight=0)
    unlimited, _ = solutions(inputs)
    assert unlimited is not None
    spent_su = float(compile_inputs(inputs).model.kroner(unlimited.values)[catalog["udvalg"] == ("SU",)].sum())
    capped = inputs.replace(constraints=(UdvalgMax("SU", kr=round(spent_su / 2, -3)),))
    fast, general = solutions(capped)
    assert fast is None, "the cap binds: the fast path must leave the model to the solver"
    assert shape_of(compile_inputs(capped).model) is not None, "the model's shape alone would not refuse it"
    solved = compile_inputs(capped).solve()
    assert math.isclose(solved.objective, general.objective, rel_tol=1e-9)


def requires_inputs(binary: bool, budget: float, *, second_roll_out: bool = False) -> Inputs:
    rows = [{"id": "roll-out", "udvalg": "SU", "goals": "job", "cost_kr": 100_000, "reach": 500},
            {"id": "concept", "udvalg": "SU", "goals": "job", "cost_kr": 100_000, "reach": 1},
            {"id": "other", "udvalg": "SU", "goals": "job", "cost_kr": 100_000, "reach": 300}]  # fmt: skip
    if second_roll_out:
        rows.append({"id": "roll-out-2", "udvalg": "SU", "goals": "job", "cost_kr": 50_000, "reach": 400})
    for row in rows:
        row["scalable"] = "false" if binary else "true"
    return Inputs(make_catalog(rows), budget, evidence_weight=0)


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
