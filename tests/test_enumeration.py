"""The enumeration fast path picks the same allocation as the MILP solver, draw after draw."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from optimizer import (
    Continuity,
    Exclude,
    Lock,
    MutuallyExclusive,
    Scalable,
    SetupCost,
    Status,
    UdvalgMax,
    UdvalgMin,
    validate_catalog,
)
from optimizer.compiled import CompiledModel
from optimizer.enumeration import MAX_CHOICES, EnumeratedModel, applies
from optimizer.model import build_model
from optimizer.problem import prepare
from scenarios.robustness import _compiled, _enumerated

GOALS = {"a": "A", "b": "B"}


def catalog(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """A random all-or-nothing catalog with two udvalg and two goals."""
    rows = [
        {
            "id": f"i{k:02d}",
            "name": f"I{k}",
            "udvalg": ["SU", "KFU", "SU/KFU"][k % 3],
            "goals": ["a", "b", "a;b"][int(rng.integers(3))],
            "cost_kr": int(rng.integers(1, 20)) * 10_000,
            "min_kr": "", "max_kr": "",
            "reach": int(rng.integers(1, 100)),
            "reach_min": "", "reach_max": "", "reach_unit": "borgere",
            "stars": int(rng.integers(0, 4)),
            "scalable": "false",
            "source": "test", "quote": "", "note": "",
        }
        for k in range(n)
    ]  # fmt: skip
    return validate_catalog(pd.DataFrame(rows), goals=GOALS)


CASES = {
    "one year": (7, 400_000, []),
    "udvalg limits": (8, 500_000, [UdvalgMax("SU", kr=200_000), UdvalgMin("KFU", kr=60_000)]),
    "lock and exclude": (8, 450_000, [Lock("i01", 0), Exclude("i02")]),
    "infeasible lock": (6, 300_000, [Lock("i01", 1)]),  # all-or-nothing: 1 kr. is never its cost
    "mutually exclusive": (8, 450_000, [MutuallyExclusive(("i00", "i03"))]),
    "two years, set-up": (6, {2021: 300_000, 2022: 250_000}, [SetupCost("i00", 40_000), SetupCost("i04", 30_000)]),
    "two years, continuity": (6, {2021: 300_000, 2022: 300_000}, [Continuity(1.0)]),
    "three years": (5, {2021: 200_000, 2022: 150_000, 2023: 220_000}, []),
}


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("seed", range(4))
def test_enumeration_picks_the_solvers_optimum(name: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, budget, constraints = CASES[name]
    inst = prepare(catalog(rng, n), budget, evidence_weight=0.5, constraints=constraints)
    model = build_model(inst, constraints)
    assert applies(model)
    listed = EnumeratedModel(model)
    compiled = CompiledModel(model)
    if compiled.solve().status is Status.INFEASIBLE:
        assert not listed.feasible
        with pytest.raises(ValueError, match="no feasible"):
            listed.best(inst.value_per_kr())
        return
    draws = inst.value_per_kr()[None, :] * rng.uniform(0.1, 3.0, size=(25, inst.n))
    best = listed.best(draws)
    for d, values in enumerate(draws):
        column_values = np.zeros(model.n_cols)
        column_values[model.x_cols] = values[:, None]
        compiled.set_objective(column_values)
        solution = compiled.solve()
        assert solution.status is Status.OPTIMAL
        chosen = listed.columns(best[d])
        assert np.allclose(chosen[model.x_cols], solution.values[model.x_cols], atol=0.5), f"draw {d}"
        assert np.isclose(column_values @ chosen, solution.objective, rtol=1e-9)


def test_ties_go_to_the_lower_id_as_in_the_solver() -> None:
    rows = catalog(np.random.default_rng(0), 2)
    rows["cost_kr"] = 100_000.0
    rows["reach"] = 50.0
    rows["stars"] = 0.0
    rows["goals"] = [("a",), ("a",)]
    inst = prepare(rows, 100_000, evidence_weight=0)
    model = build_model(inst, [])
    listed = EnumeratedModel(model)
    chosen = listed.columns(listed.best(inst.value_per_kr()[None, :])[0])
    assert chosen[model.x_cols[0, 0]] == 100_000 and chosen[model.x_cols[1, 0]] == 0


def test_dominated_choices_are_dropped() -> None:
    """With room for everything, the only undominated choice is to fund everything."""
    rows = catalog(np.random.default_rng(1), 5)
    inst = prepare(rows, float(rows["cost_kr"].sum()), evidence_weight=0)
    listed = EnumeratedModel(build_model(inst, []))
    assert listed.choices.shape[0] == 1 and listed.choices.all()


def test_not_for_scalable_or_large_models() -> None:
    rows = catalog(np.random.default_rng(2), 6)
    inst = prepare(rows, 300_000, constraints=[Scalable("i00")])
    assert not applies(build_model(inst, [Scalable("i00")]))
    big = catalog(np.random.default_rng(3), MAX_CHOICES + 1)
    assert not applies(build_model(prepare(big, 300_000), []))
    with pytest.raises(ValueError, match="all-or-nothing"):
        EnumeratedModel(build_model(prepare(big, 300_000), []))


def test_robustness_paths_agree() -> None:
    """scenarios.robustness's two engines give the same amounts and objectives on the same draws."""
    rng = np.random.default_rng(7)
    inst = prepare(catalog(rng, 8), {2021: 400_000, 2022: 350_000}, constraints=[UdvalgMax("KFU", kr=150_000)])
    model = build_model(inst, [UdvalgMax("KFU", kr=150_000)])
    draws = inst.value_per_kr()[None, :] * rng.uniform(0.2, 2.0, size=(60, inst.n))
    fast, slow = _enumerated(model, draws, False), _compiled(model, draws, False)
    assert np.allclose(fast[0], slow[0], atol=0.5)
    assert np.allclose(fast[1], slow[1], rtol=1e-9)
    assert np.allclose(fast[2], slow[2], atol=0.5)
    assert np.isclose(fast[3], slow[3], rtol=1e-9)
