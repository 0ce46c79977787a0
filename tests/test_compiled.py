"""The compiled HiGHS fast path against the PuLP path: objectives, new objectives, budget duals and bounds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

import optimizer
from optimizer import Status, UdvalgMax
from optimizer.compiled import CompiledModel
from optimizer.model import LinearModel, build_model
from optimizer.problem import prepare

GOALS = {"a": "Goal A", "b": "Goal B", "c": "Goal C"}
UDVALG = ("SU", "KFU", "AUU", "SU/KFU")
BASE_ROW = {
    "udvalg": "SU", "goals": "a", "min_kr": "", "max_kr": "", "reach": "", "reach_min": "", "reach_max": "",
    "reach_unit": "borgere", "stars": "", "scalable": "false", "source": "test", "quote": "", "note": "",
}  # fmt: skip
OBJ_REL = 1e-6  # both paths solve the same model with the same tie-break


@dataclass(frozen=True)
class Case:
    """A seeded random catalog with its pulje, weights and constraints."""

    catalog: pd.DataFrame
    budget: int
    weights: dict[str, float]
    evidence_weight: float
    constraints: list[object]

    def model(self, weights: dict[str, float] | None = None, evidence_weight: float | None = None) -> LinearModel:
        inst = prepare(
            self.catalog,
            self.budget,
            goal_weights=self.weights if weights is None else weights,
            evidence_weight=self.evidence_weight if evidence_weight is None else evidence_weight,
            constraints=self.constraints,
        )
        return build_model(inst, self.constraints)

    def solve(
        self, weights: dict[str, float] | None = None, evidence_weight: float | None = None, budget: float | None = None
    ) -> optimizer.Result:
        return optimizer.solve(
            self.catalog,
            self.budget if budget is None else budget,
            goal_weights=self.weights if weights is None else weights,
            evidence_weight=self.evidence_weight if evidence_weight is None else evidence_weight,
            constraints=self.constraints,
        )


def random_weights(rng: np.random.Generator) -> dict[str, float]:
    return {goal: float(rng.choice([0.25, 0.5, 1.0, 2.0, 4.0])) for goal in GOALS}


def random_case(
    seed: int,
    *,
    kinds: Sequence[str] = ("binary", "scalable", "minimum"),
    limit: str | None = "share",
    always: bool = False,
) -> Case:
    """n ≤ 14 indsatser of the given kinds; half the seeds (all with `always`) get an SU maximum given as a
    share of the pulje (limit="share") or in kroner (limit="kr")."""
    rng = np.random.default_rng(seed)
    rows, highs = [], []
    for k in range(int(rng.integers(3, 15))):
        kind = str(rng.choice(kinds))
        cost = int(rng.integers(5_000, 300_000))
        max_kr = int(cost * rng.uniform(1.0, 2.5)) if kind != "binary" and rng.random() < 0.4 else None
        high = cost if max_kr is None else max_kr
        rows.append(
            {
                **BASE_ROW,
                "id": f"c{k:02d}",
                "name": f"C{k}",
                "udvalg": "SU" if k == 0 else str(rng.choice(UDVALG)),
                "goals": ";".join(g for g in GOALS if rng.random() < 0.5) or "c",
                "cost_kr": cost,
                "reach": round(float(rng.uniform(1, 1_000)), 2),
                "stars": int(rng.integers(0, 4)),
                "scalable": "false" if kind == "binary" else "true",
                "min_kr": int(high * rng.uniform(0.1, 0.7)) if kind == "minimum" else "",
                "max_kr": "" if max_kr is None else max_kr,
            }
        )
        highs.append(high)
    catalog = optimizer.validate_catalog(pd.DataFrame(rows), goals=GOALS)
    budget = int(rng.uniform(0.2, 0.8) * sum(highs))
    constraints: list[object] = []
    share = float(rng.uniform(0.2, 0.6))
    if limit is not None and (rng.random() < 0.5 or always):
        limited = UdvalgMax("SU", share=share) if limit == "share" else UdvalgMax("SU", kr=int(share * budget))
        constraints.append(limited)
    return Case(catalog, budget, random_weights(rng), float(rng.choice([0.0, 0.5, 1.0])), constraints)


def budget_row(model: LinearModel) -> int:
    return next(r for r, row in enumerate(model.rows) if row.kind == "budget")


# --- the same objective as the PuLP path ----------------------------------------------------------


@pytest.mark.parametrize("seed", range(15))
def test_compiled_matches_solve(seed: int) -> None:
    case = random_case(seed)
    compiled = CompiledModel(case.model()).solve()
    reference = case.solve()
    assert compiled.status is Status.OPTIMAL and reference.status is Status.OPTIMAL
    assert compiled.objective == pytest.approx(reference.objective, rel=OBJ_REL)


@pytest.mark.parametrize("seed", range(100, 115))
def test_set_objective_matches_a_fresh_solve_with_other_weights(seed: int) -> None:
    case = random_case(seed)
    rng = np.random.default_rng(seed + 10_000)
    weights, evidence_weight = random_weights(rng), float(rng.choice([0.0, 1.0, 3.0]))
    new_objective = case.model(weights, evidence_weight).objective
    model = case.model()
    assert not np.allclose(new_objective, model.objective)  # else the test would prove nothing
    compiled = CompiledModel(model)
    before = compiled.solve()

    compiled.set_objective(new_objective)
    after = compiled.solve()

    assert before.objective == pytest.approx(case.solve().objective, rel=OBJ_REL)
    assert after.status is Status.OPTIMAL
    assert after.objective == pytest.approx(case.solve(weights, evidence_weight).objective, rel=OBJ_REL)


@pytest.mark.parametrize("seed", range(200, 208))
def test_relaxation_uses_the_new_objective_and_restores_integrality(seed: int) -> None:
    case = random_case(seed, kinds=("binary", "minimum"))
    rng = np.random.default_rng(seed)
    weights = random_weights(rng)
    other = case.model(weights)
    compiled = CompiledModel(case.model())
    compiled.set_objective(other.objective)
    mip = compiled.solve()

    relaxed = compiled.solve_relaxation()
    again = compiled.solve()

    assert relaxed.objective == pytest.approx(CompiledModel(other).solve_relaxation().objective, rel=1e-9)
    assert relaxed.objective >= mip.objective * (1 - 1e-9)  # a relaxation bounds the MILP from above
    assert again.objective == pytest.approx(mip.objective, rel=1e-9)
    integer = other.integer
    assert integer.any()
    np.testing.assert_allclose(again.values[integer], np.round(again.values[integer]), atol=1e-6)


# --- the budget dual is the slope of the LP objective ---------------------------------------------


def lp_objective(case: Case, budget: float) -> float:
    result = case.solve(budget=budget)
    assert result.status is Status.OPTIMAL
    return result.objective


@pytest.mark.parametrize("seed", range(300, 312))
def test_budget_dual_equals_the_slope_mid_segment(seed: int) -> None:
    """Pure LP with only a budget: the objective is piecewise linear in the pulje with kinks where an
    indsats is filled. Placing the pulje halfway into a segment, the dual equals the central difference."""
    case = random_case(seed, kinds=("scalable",), limit=None)
    cost, max_kr, stars = (case.catalog[column].to_numpy() for column in ("cost_kr", "max_kr", "stars"))
    coverage = np.array([sum(case.weights[g] for g in goals) for goals in case.catalog["goals"]])
    value = case.catalog["reach"].to_numpy() / cost * coverage * (1 + case.evidence_weight * stars)
    capacity = np.where(np.isnan(max_kr), cost, max_kr)[np.argsort(-value, kind="stable")]
    filled = np.concatenate([[0.0], np.cumsum(capacity)])
    k = seed % (len(capacity) + 1)  # k == n: a pulje above what every indsats can take (slope 0)
    budget = filled[k] + (0.5 * capacity[k] if k < len(capacity) else 10_000.0)
    step = 0.25 * capacity[k] if k < len(capacity) else 5_000.0
    model = build_model(
        prepare(case.catalog, budget, goal_weights=case.weights, evidence_weight=case.evidence_weight), []
    )
    assert not model.is_mip

    dual = CompiledModel(model).solve_relaxation().row_duals[budget_row(model)]

    slope = (lp_objective(case, budget + step) - lp_objective(case, budget - step)) / (2 * step)
    expected = value[np.argsort(-value, kind="stable")][k] if k < len(capacity) else 0.0
    assert slope == pytest.approx(expected, rel=1e-6, abs=1e-12)
    assert dual == pytest.approx(slope, rel=1e-6, abs=1e-12)


def one_sided_slopes(case: Case) -> tuple[float, float]:
    """The right and left difference quotients of the LP objective in the pulje (1 % steps)."""
    step = 0.01 * case.budget
    here = lp_objective(case, case.budget)
    right = (lp_objective(case, case.budget + step) - here) / step
    left = (here - lp_objective(case, case.budget - step)) / step
    return right, left


@pytest.mark.parametrize("seed", range(400, 412))
def test_budget_dual_lies_between_the_one_sided_slopes(seed: int) -> None:
    """With an udvalg limit in kroner the kinks are not known in advance; the LP objective is still concave
    in the pulje, so any optimal dual of the budget row lies between the right and left difference quotients."""
    case = random_case(seed, kinds=("scalable",), limit="kr")
    model = case.model()
    assert not model.is_mip
    relaxed = CompiledModel(model).solve_relaxation()
    dual = relaxed.row_duals[budget_row(model)]
    right, left = one_sided_slopes(case)
    assert relaxed.objective == pytest.approx(lp_objective(case, case.budget), rel=1e-6)
    assert right * (1 - 1e-6) - 1e-12 <= dual <= left * (1 + 1e-6) + 1e-12


@pytest.mark.parametrize("seed", range(450, 458))
def test_reported_budget_shadow_price_is_the_value_of_another_krone(seed: int) -> None:
    """Result.shadow_price_budget is "value gained per extra krone in the pulje". With an udvalg maximum
    given as a share of the pulje, an extra krone also raises that maximum, so the price must include it."""
    case = random_case(seed, kinds=("scalable",), limit="share", always=True)
    price = case.solve().shadow_price_budget
    right, left = one_sided_slopes(case)
    assert right * (1 - 1e-6) - 1e-12 <= price <= left * (1 + 1e-6) + 1e-12


# --- bounds() restores the bounds -----------------------------------------------------------------


def forced_column(model: LinearModel, values: np.ndarray) -> tuple[int, float]:
    """An x column to force: an unfunded all-or-nothing indsats in at its cost, else a funded one out."""
    inst = model.instance
    for i in range(inst.n):
        col = int(model.x_cols[i, 0])
        if inst.binary[i] and values[col] < 0.5 and inst.cost[i] <= inst.pulje[0]:
            return col, float(inst.cost[i])
    funded = next(int(model.x_cols[i, 0]) for i in range(inst.n) if values[model.x_cols[i, 0]] > 0.5)
    return funded, 0.0


@pytest.mark.parametrize("seed", range(500, 508))
def test_bounds_context_restores_the_bounds(seed: int) -> None:
    case = random_case(seed, kinds=("binary", "binary", "scalable"))
    model = case.model()
    compiled = CompiledModel(model)
    base = compiled.solve()
    col, amount = forced_column(model, base.values)

    with compiled.bounds([col], [amount], [amount]):
        forced = compiled.solve()
        lp = compiled.highs.getLp()
        assert lp.col_lower_[col] == amount and lp.col_upper_[col] == amount

    assert forced.status is Status.OPTIMAL
    assert forced.values[col] == pytest.approx(amount, abs=1e-6)
    assert forced.objective <= base.objective * (1 + 1e-9)
    lp = compiled.highs.getLp()
    np.testing.assert_array_equal(lp.col_lower_, model.col_lower)
    np.testing.assert_array_equal(lp.col_upper_, model.col_upper)
    after = compiled.solve()
    assert after.objective == pytest.approx(base.objective, rel=1e-9)
    np.testing.assert_allclose(after.values, base.values, atol=1e-6)


def test_bounds_are_restored_when_the_block_raises() -> None:
    case = random_case(600, kinds=("binary", "scalable"))
    model = case.model()
    compiled = CompiledModel(model)
    with pytest.raises(RuntimeError, match="inside"), compiled.bounds([0, 1], [0.0, 0.0], [0.0, 0.0]):
        raise RuntimeError("inside")
    lp = compiled.highs.getLp()
    np.testing.assert_array_equal(lp.col_lower_, model.col_lower)
    np.testing.assert_array_equal(lp.col_upper_, model.col_upper)


def test_nested_bounds_restore_the_outer_bounds() -> None:
    """Leaving an inner bounds() block gives back the bounds in force before it, i.e. the outer block's."""
    case = random_case(601, kinds=("scalable",))
    model = case.model()
    compiled = CompiledModel(model)
    with compiled.bounds([0], [0.0], [0.0]):
        with compiled.bounds([0, 1], [0.0, 0.0], [0.0, 0.0]):
            pass
        lp = compiled.highs.getLp()
        assert lp.col_upper_[0] == 0.0, "the outer block's bound on column 0 was lost when the inner block ended"
    lp = compiled.highs.getLp()
    np.testing.assert_array_equal(lp.col_upper_, model.col_upper)
