"""The enumeration fast path picks the same allocation as the MILP solver, draw after draw, ties included."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from optimizer import (
    Assumptions,
    Continuity,
    Exclude,
    Inputs,
    Lock,
    MutuallyExclusive,
    Scalable,
    SetupCost,
    Status,
    UdvalgMax,
    UdvalgMin,
    compile_inputs,
    solve,
    validate_catalog,
)
from optimizer.enumeration import MAX_CHOICES, EnumeratedModel, applies
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


def with_values(inputs: Inputs, values: np.ndarray) -> Inputs:
    """The same inputs with each indsats's reach assumed such that its value per year at full scale is `values`
    (so that the public solve() optimizes exactly that objective)."""
    inst = compile_inputs(inputs).instance
    per_reach = inst.value_per_reach().sum(axis=1)
    assert np.all(per_reach > 0)
    return inputs.replace(assumptions=Assumptions(reach=dict(zip(inst.ids, values / per_reach, strict=True))))


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


def case_inputs(name: str, rng: np.random.Generator) -> Inputs:
    n, budget, constraints = CASES[name]
    return Inputs(catalog(rng, n), budget, evidence_weight=0.5, constraints=tuple(constraints))


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("seed", range(4))
def test_enumeration_picks_the_solvers_optimum(name: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    inputs = case_inputs(name, rng)
    compiled = compile_inputs(inputs)
    model, inst, highs = compiled.model, compiled.instance, compiled.highs
    assert applies(model)
    listed = EnumeratedModel(model)
    if highs.solve().status is Status.INFEASIBLE:
        assert solve(inputs).status is Status.INFEASIBLE
        assert not listed.feasible
        with pytest.raises(ValueError, match="no feasible"):
            listed.best(inst.full_value())
        return
    draws = inst.full_value()[None, :] * rng.uniform(0.1, 3.0, size=(25, inst.n))
    best = listed.best(draws)
    for d, values in enumerate(draws):
        highs.set_objective(model.objective_for(values))
        solution = highs.solve()
        assert solution.status is Status.OPTIMAL
        funded = solution.values[model.share_cols] > 0.5
        assert np.array_equal(listed.funded[best[d]], funded), f"draw {d}"
        assert np.allclose(listed.kroner[best[d]], model.kroner(solution.values).sum(axis=1), atol=0.5)
        assert np.isclose(values @ listed.shares[best[d]], solution.objective, rtol=1e-9)


@pytest.mark.parametrize("name", [name for name in CASES if name != "infeasible lock"])
def test_enumeration_picks_what_the_public_solve_picks(name: str) -> None:
    """The same objective given to solve() (as assumed reaches): the same allocation, indsats by indsats and year."""
    rng = np.random.default_rng(99)
    inputs = case_inputs(name, rng)
    compiled = compile_inputs(inputs)
    listed = EnumeratedModel(compiled.model)
    inst = compiled.instance
    draws = inst.full_value()[None, :] * rng.uniform(0.1, 3.0, size=(4, inst.n))
    for d, k in enumerate(listed.best(draws)):
        result = solve(with_values(inputs, draws[d]))
        assert result.status is Status.OPTIMAL
        got = result.allocation[[f"amount_kr_{y}" for y in inst.years] if inst.n_years > 1 else ["amount_kr"]]
        assert np.allclose(got.to_numpy(), listed.funded[k] * inst.cost, atol=0.5), f"draw {d}"
        assert np.isclose(result.objective, draws[d] @ listed.shares[k], rtol=1e-9)


def tied_catalog(n: int) -> pd.DataFrame:
    """n all-or-nothing indsatser of one goal and no stars, costing 100.000 or 200.000 kr.: values drawn from a few
    round numbers tie often, in total value and in value per krone."""
    rows = [
        {"id": f"t{k:02d}", "udvalg": "SU", "goals": "a", "cost_kr": 100_000 * (1 + k % 2), "reach": 10,
         "reach_unit": "borgere", "scalable": "false"}
        for k in range(n)
    ]  # fmt: skip
    return validate_catalog(pd.DataFrame([{"name": r["id"], "source": "test", **r} for r in rows]), goals=GOALS)


TIED = {
    "one year": 400_000,
    "two years": {2021: 300_000, 2022: 500_000},
}


def documented_winners(values: np.ndarray, cost: np.ndarray, pulje: list[float]) -> list[np.ndarray]:
    """Brute force over every funding choice of each year (the years are independent here): the choices of the
    best value that, among those, have the most value weighted towards lower ids (weight 1 + √p / √p_n for the
    first n primes p, the first id the largest: the rule highs.py documents). More than one if that ties too."""
    n = len(values)
    primes = np.array([2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37][:n], dtype=float)
    weight = 1.0 + np.sqrt(primes[::-1]) / np.sqrt(primes[-1])  # ids t00 < t01 < ... are already in rank order
    chosen = np.array(list(itertools.product((0, 1), repeat=n)), dtype=bool)
    per_year = []
    for t, room in enumerate(pulje):
        fits = chosen[chosen @ cost[:, t] <= room + 1e-6]
        value = fits @ values
        best = fits[np.isclose(value, value.max(), rtol=1e-12)]
        preferred = best @ (values * weight)
        per_year.append(best[np.isclose(preferred, preferred.max(), rtol=1e-12)])
    return [np.stack(combo, axis=1) for combo in itertools.product(*per_year)]


@pytest.mark.parametrize("budget", list(TIED.values()), ids=list(TIED))
@pytest.mark.parametrize("seed", range(6))
def test_ties_are_broken_by_the_documented_rule(budget: float | dict[int, float], seed: int) -> None:
    """Values from {10, 20, 40}: many allocations share the best value. Where the rule (best value, then the most
    id-weighted value) names one winner, the solver and the enumeration both pick it."""
    rng = np.random.default_rng(seed)
    inputs = Inputs(tied_catalog(7), budget, evidence_weight=0.0)
    compiled = compile_inputs(inputs)
    model, highs, inst = compiled.model, compiled.highs, compiled.instance
    listed = EnumeratedModel(model)
    draws = rng.choice([10.0, 20.0, 40.0], size=(12, inst.n))
    best = listed.best(draws)
    decided = 0
    for d, values in enumerate(draws):
        winners = documented_winners(values, inst.cost, list(inst.pulje - inst.fixed))
        if len(winners) > 1:
            continue  # the rule itself does not decide: see the test below
        highs.set_objective(model.objective_for(values))
        solution = highs.solve()
        assert np.array_equal(solution.values[model.share_cols] > 0.5, winners[0]), f"draw {d}: the solver"
        assert np.array_equal(listed.funded[best[d]], winners[0]), f"draw {d}: the enumeration"
        scores = listed.shares @ values
        decided += int(np.sum(np.isclose(scores, scores.max(), rtol=1e-12)) > 1)
    assert decided >= 3, "the draws should contain value ties the rule decides, or this test proves nothing"
    public = solve(with_values(inputs, draws[0]))
    assert np.array_equal(public.allocation["amount_kr"].to_numpy() > 0.5, listed.funded[best[0]].any(axis=1))


def test_enumeration_agrees_with_the_solver_when_the_id_preference_ties_too() -> None:
    """Seven all-or-nothing indsatser t00..t06 costing 100.000/200.000 kr. alternately, pulje 400.000 kr., values
    20, 40, 20, 20, 40, 40, 40. {t00, t02, t04, t06} and {t01, t04, t06} are both worth 120 and both 177,14
    id-weighted (20·2 + 20·12/7 + 40·10/7 + 40·8/7 = 40·13/7 + 40·10/7 + 40·8/7). Reproduction:
        c = compile_inputs(Inputs(tied_catalog(7), 400_000, evidence_weight=0))
        v = np.array([20, 40, 20, 20, 40, 40, 40.0])
        c.highs.set_objective(c.model.objective_for(v)); c.highs.solve().values[c.model.share_cols].ravel()
        #  -> 1 0 1 0 1 0 1, while listed = EnumeratedModel(c.model); listed.funded[listed.best(v)[0]] -> 0 1 0 0 1 0 1
    """
    compiled = compile_inputs(Inputs(tied_catalog(7), 400_000, evidence_weight=0.0))
    values = np.array([20.0, 40.0, 20.0, 20.0, 40.0, 40.0, 40.0])
    assert len(documented_winners(values, compiled.instance.cost, [400_000.0])) == 1  # the prime weights decide
    listed = EnumeratedModel(compiled.model)
    compiled.highs.set_objective(compiled.model.objective_for(values))
    solution = compiled.highs.solve()
    assert np.array_equal(listed.funded[listed.best(values)[0]], solution.values[compiled.model.share_cols] > 0.5)


def test_a_draw_valuing_an_indsats_at_zero_funds_it_as_the_solver_does() -> None:
    """t00 (100.000 kr.) worth 10, t01 (200.000 kr.) worth 0 in this draw, pulje 300.000 kr.: funding t01 adds
    nothing, so the solver's tie-break leaves it out, as solve() does with t01's reach assumed 0. The enumeration
    kept only "fund both" (t01 had value in the compiled objective) and picks it. Not reachable from robustness()
    today (its draws are 0 only where the compiled value is 0), but best() takes any values. Reproduction:
        c = compile_inputs(Inputs(tied_catalog(2), 300_000, evidence_weight=0)); v = np.array([10.0, 0.0])
        listed = EnumeratedModel(c.model); listed.funded[listed.best(v)[0]].ravel()  # [True, True]
        c.highs.set_objective(c.model.objective_for(v)); c.highs.solve().values  # shares [1, 0]
    """
    inputs = Inputs(tied_catalog(2), 300_000, evidence_weight=0.0)
    values = np.array([10.0, 0.0])
    public = solve(inputs.replace(assumptions=Assumptions(reach={"t01": 0.0})))
    assert list(public.allocation["amount_kr"]) == [100_000, 0]
    compiled = compile_inputs(inputs)
    listed = EnumeratedModel(compiled.model)
    assert list(listed.kroner[listed.best(values)[0]]) == [100_000, 0]


def test_ties_go_to_the_lower_id_as_in_the_solver() -> None:
    rows = catalog(np.random.default_rng(0), 2)
    rows["cost_kr"] = 100_000.0
    rows["reach"] = 50.0
    rows["stars"] = 0.0
    rows["goals"] = [("a",), ("a",)]
    inputs = Inputs(rows, 100_000, evidence_weight=0)
    compiled = compile_inputs(inputs)
    listed = EnumeratedModel(compiled.model)
    chosen = listed.kroner[listed.best(compiled.instance.full_value()[None, :])[0]]
    assert list(chosen) == [100_000, 0]
    assert list(solve(inputs).allocation["amount_kr"]) == [100_000, 0]


def test_dominated_choices_are_dropped() -> None:
    """With room for everything, the only undominated choice is to fund everything."""
    rows = catalog(np.random.default_rng(1), 5)
    listed = EnumeratedModel(compile_inputs(Inputs(rows, float(rows["cost_kr"].sum()), evidence_weight=0)).model)
    assert len(listed.undominated) == 1 and listed.funded[listed.undominated[0]].all()


def test_not_for_scalable_or_large_models() -> None:
    rows = catalog(np.random.default_rng(2), 6)
    assert not applies(compile_inputs(Inputs(rows, 300_000, constraints=(Scalable("i00"),))).model)
    big = catalog(np.random.default_rng(3), MAX_CHOICES + 1)
    model = compile_inputs(Inputs(big, 300_000)).model
    assert not applies(model)
    with pytest.raises(ValueError, match="all-or-nothing"):
        EnumeratedModel(model)


def test_robustness_paths_agree() -> None:
    """scenarios.robustness's two engines give the same amounts and objectives on the same draws."""
    rng = np.random.default_rng(7)
    constraints = (UdvalgMax("KFU", kr=150_000),)
    compiled = compile_inputs(Inputs(catalog(rng, 8), {2021: 400_000, 2022: 350_000}, constraints=constraints))
    assert applies(compiled.model)
    draws = compiled.instance.full_value()[None, :] * rng.uniform(0.2, 2.0, size=(60, compiled.instance.n))
    (fast_kr, fast_value), (slow_kr, slow_value) = (
        _enumerated(compiled, draws, False),
        _compiled(compiled, draws, False),
    )
    assert np.allclose(fast_kr, slow_kr, atol=0.5)
    assert np.allclose(fast_value, slow_value, rtol=1e-9)
    assert len({tuple(row) for row in (fast_kr > 0.5)}) > 1  # the draws change the choice, or nothing was compared
