"""The compiled HiGHS model: re-solves after a new objective or pulje agree with a fresh solve(), budget duals are
the slope of the value in the pulje (per 100.000 kr.: kroner rows are in units of 100.000 kr.), and the
temporary-change context managers restore what they changed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

import optimizer
from optimizer import Inputs, Status, UdvalgMax
from optimizer import highs as highs_module
from optimizer.highs import CompiledModel
from optimizer.instance import prepare
from optimizer.model import SCALE, LinearModel, build_model
from tests.test_fastpath import random_catalog

GOALS = {"a": "Goal A", "b": "Goal B", "c": "Goal C"}
UDVALG = ("SU", "KFU", "AUU", "SU/KFU")
BASE_ROW = {
    "udvalg": "SU", "goals": "a", "min_kr": "", "max_kr": "", "reach": "", "reach_min": "", "reach_max": "",
    "reach_unit": "borgere", "stars": "", "scalable": "false", "source": "test", "quote": "", "note": "",
}  # fmt: skip
OBJ_REL = 1e-6


@dataclass(frozen=True)
class Case:
    """A seeded random catalog with its pulje, weights and constraints."""

    catalog: pd.DataFrame
    budget: int
    weights: dict[str, float]
    evidence_weight: float
    constraints: tuple[object, ...]

    def inputs(
        self, weights: dict[str, float] | None = None, evidence_weight: float | None = None, budget: float | None = None
    ) -> Inputs:
        return Inputs(
            self.catalog,
            self.budget if budget is None else budget,
            goal_weights=self.weights if weights is None else weights,
            evidence_weight=self.evidence_weight if evidence_weight is None else evidence_weight,
            constraints=self.constraints,
        )

    def model(self, weights: dict[str, float] | None = None, evidence_weight: float | None = None) -> LinearModel:
        inputs = self.inputs(weights, evidence_weight)
        return build_model(prepare(inputs), inputs.constraints)

    def solve(self, **changes: object) -> optimizer.Result:
        return optimizer.solve(self.inputs(**changes))  # type: ignore[arg-type]


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
    constraints: tuple[object, ...] = ()
    share = float(rng.uniform(0.2, 0.6))
    if limit is not None and (rng.random() < 0.5 or always):
        limited = UdvalgMax("SU", share=share) if limit == "share" else UdvalgMax("SU", kr=int(share * budget))
        constraints = (limited,)
    return Case(catalog, budget, random_weights(rng), float(rng.choice([0.0, 0.5, 1.0])), constraints)


def budget_row(model: LinearModel) -> int:
    return model.row_number("budget")


def assert_same_allocation(model: LinearModel, values: np.ndarray, result: optimizer.Result) -> None:
    """The re-solve's kroner per indsats are the fresh solve's (both break ties by id the same way)."""
    assert result.status is Status.OPTIMAL
    np.testing.assert_allclose(model.kroner(values).sum(axis=1), result.allocation["amount_kr"], atol=0.5)


# --- against a fresh solve --------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(15))
def test_compiled_model_matches_cbc(seed: int) -> None:
    """The compiled HiGHS model and CBC (through PuLP, another solver on the same model) reach the same value."""
    case = random_case(seed)
    compiled = CompiledModel(case.model()).solve()
    reference = optimizer.solve(case.inputs(), solver="cbc")
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
    fresh = case.solve(weights=weights, evidence_weight=evidence_weight)
    assert after.status is Status.OPTIMAL
    assert after.objective == pytest.approx(fresh.objective, rel=OBJ_REL)
    assert_same_allocation(model, after.values, fresh)


@pytest.mark.parametrize("seed", range(150, 165))
def test_set_pulje_matches_a_fresh_solve_at_that_pulje(seed: int) -> None:
    """A new pulje moves the budget row and any limit given as a share of the pulje (always here)."""
    case = random_case(seed, always=True)
    rng = np.random.default_rng(seed)
    model = case.model()
    compiled = CompiledModel(model)
    before = compiled.solve()
    for factor in rng.uniform(0.3, 1.8, size=3):
        budget = float(round(case.budget * factor))
        compiled.set_pulje(np.array([budget]))
        moved = compiled.solve()
        fresh = case.solve(budget=budget)
        assert moved.objective == pytest.approx(fresh.objective, rel=OBJ_REL)
        assert_same_allocation(model, moved.values, fresh)
    compiled.set_pulje(np.array([float(case.budget)]))
    back = compiled.solve()
    assert back.objective == pytest.approx(before.objective, rel=1e-9)
    np.testing.assert_allclose(back.values, before.values, atol=1e-6)


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
    assert again.objective == pytest.approx(case.solve(weights=weights).objective, rel=OBJ_REL)
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
    """Pure LP with only a budget: the objective is piecewise linear in the pulje with kinks where an indsats is
    filled. Placing the pulje halfway into a segment, the dual of the budget row (a row in units of 100.000 kr.)
    equals the central difference in value per krone × 100.000, and both the k-th best value per krone × 100.000."""
    case = random_case(seed, kinds=("scalable",), limit=None)
    cost, max_kr, stars = (case.catalog[column].to_numpy() for column in ("cost_kr", "max_kr", "stars"))
    coverage = np.array([sum(case.weights[g] for g in goals) for goals in case.catalog["goals"]])
    value = case.catalog["reach"].to_numpy() / cost * coverage * (1 + case.evidence_weight * np.nan_to_num(stars))
    order = np.argsort(-value, kind="stable")
    capacity = np.where(np.isnan(max_kr), cost, max_kr)[order]
    filled = np.concatenate([[0.0], np.cumsum(capacity)])
    k = seed % (len(capacity) + 1)  # k == n: a pulje above what every indsats can take (slope 0)
    budget = filled[k] + (0.5 * capacity[k] if k < len(capacity) else 10_000.0)
    step = 0.25 * capacity[k] if k < len(capacity) else 5_000.0
    model = build_model(prepare(case.inputs(budget=budget)), ())
    assert not model.is_mip

    dual = CompiledModel(model).solve_relaxation().row_duals[budget_row(model)]

    slope = (lp_objective(case, budget + step) - lp_objective(case, budget - step)) / (2 * step)
    expected = value[order][k] if k < len(capacity) else 0.0
    assert slope == pytest.approx(expected, rel=1e-6, abs=1e-12)
    assert dual == pytest.approx(slope * SCALE, rel=1e-6, abs=1e-9)
    assert case.solve(budget=budget).budget_rate_per_100k[None] == pytest.approx(slope * SCALE, rel=1e-6, abs=1e-9)


def one_sided_slopes(case: Case) -> tuple[float, float]:
    """The right and left difference quotients of the LP objective in the pulje (1 % steps), per krone."""
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
    dual = relaxed.row_duals[budget_row(model)] / SCALE  # per krone
    right, left = one_sided_slopes(case)
    assert relaxed.objective == pytest.approx(lp_objective(case, case.budget), rel=1e-6)
    assert right * (1 - 1e-6) - 1e-12 <= dual <= left * (1 + 1e-6) + 1e-12


@pytest.mark.parametrize("seed", range(450, 458))
def test_reported_budget_rate_is_the_value_of_another_100k_at_the_margin(seed: int) -> None:
    """Result.budget_rate_per_100k is the value per 100.000 kr. more in the pulje at the margin. With an udvalg
    maximum given as a share of the pulje, more pulje also raises that maximum, so the rate must include it."""
    case = random_case(seed, kinds=("scalable",), limit="share", always=True)
    rate = case.solve().budget_rate_per_100k[None] / SCALE
    right, left = one_sided_slopes(case)
    assert right * (1 - 1e-6) - 1e-12 <= rate <= left * (1 + 1e-6) + 1e-12


# --- the context managers restore what they changed ------------------------------------------------


def forced_column(model: LinearModel, values: np.ndarray) -> tuple[int, float]:
    """A share column to force: an unfunded all-or-nothing indsats in (share 1) where its ask fits, else a funded
    one out (share 0)."""
    inst = model.instance
    for i in range(inst.n):
        col = int(model.share_cols[i, 0])
        if inst.binary[i] and values[col] < 0.5 and inst.cost[i, 0] <= inst.pulje[0]:
            return col, 1.0
    funded = next(int(model.share_cols[i, 0]) for i in range(inst.n) if values[model.share_cols[i, 0]] > 0.5)
    return funded, 0.0


def assert_lp_bounds(compiled: CompiledModel, model: LinearModel) -> None:
    lp = compiled.highs.getLp()
    np.testing.assert_array_equal(lp.col_lower_, model.col_lower)
    np.testing.assert_array_equal(lp.col_upper_, model.col_upper)
    np.testing.assert_array_equal(lp.row_lower_, model.row_lower)
    np.testing.assert_array_equal(lp.row_upper_, model.row_upper)


@pytest.mark.parametrize("seed", range(500, 508))
def test_changed_cols_restores_the_bounds(seed: int) -> None:
    case = random_case(seed, kinds=("binary", "binary", "scalable"))
    model = case.model()
    compiled = CompiledModel(model)
    base = compiled.solve()
    col, share = forced_column(model, base.values)

    with compiled.changed_cols([col], [share], [share]):
        forced = compiled.solve()
        lp = compiled.highs.getLp()
        assert lp.col_lower_[col] == share and lp.col_upper_[col] == share

    assert forced.status is Status.OPTIMAL
    assert forced.values[col] == pytest.approx(share, abs=1e-6)
    assert forced.objective <= base.objective * (1 + 1e-9)
    assert_lp_bounds(compiled, model)
    after = compiled.solve()
    assert after.objective == pytest.approx(base.objective, rel=1e-9)
    np.testing.assert_allclose(after.values, base.values, atol=1e-6)


@pytest.mark.parametrize("seed", range(520, 526))
def test_changed_rows_loosens_the_budget_and_restores_it(seed: int) -> None:
    """The budget row raised by one unit (100.000 kr.) inside the block is a fresh solve at the pulje + 100.000."""
    case = random_case(seed, limit="kr")
    model = case.model()
    compiled = CompiledModel(model)
    base = compiled.solve()
    r = budget_row(model)
    lower, upper = compiled.row_bounds()
    with compiled.changed_rows([r], [lower[r]], [upper[r] + 1.0]):
        more = compiled.solve()
    assert more.objective == pytest.approx(case.solve(budget=case.budget + 100_000).objective, rel=OBJ_REL)
    assert more.objective >= base.objective * (1 - 1e-9)
    assert_lp_bounds(compiled, model)
    assert compiled.solve().objective == pytest.approx(base.objective, rel=1e-9)


def test_changed_objective_restores_the_objective() -> None:
    case = random_case(530)
    model = case.model()
    compiled = CompiledModel(model)
    base = compiled.solve()
    with compiled.changed_objective(np.zeros(model.n_cols)):
        assert compiled.solve().objective == 0.0
    np.testing.assert_array_equal(compiled.objective, model.objective)
    assert compiled.solve().objective == pytest.approx(base.objective, rel=1e-9)


def test_bounds_are_restored_when_the_block_raises() -> None:
    case = random_case(600, kinds=("binary", "scalable"))
    model = case.model()
    compiled = CompiledModel(model)
    with pytest.raises(RuntimeError, match="inside"), compiled.changed_cols([0, 1], [0.0, 0.0], [0.0, 0.0]):
        raise RuntimeError("inside")
    r = budget_row(model)
    with pytest.raises(RuntimeError, match="inside"), compiled.changed_rows([r], [0.0], [0.0]):
        raise RuntimeError("inside")
    assert_lp_bounds(compiled, model)


def test_nested_bounds_restore_the_outer_bounds() -> None:
    """Leaving an inner block gives back the bounds in force before it, i.e. the outer block's."""
    case = random_case(601, kinds=("scalable",))
    model = case.model()
    compiled = CompiledModel(model)
    with compiled.changed_cols([0], [0.0], [0.0]):
        with compiled.changed_cols([0, 1], [0.0, 0.0], [0.0, 0.0]):
            pass
        lp = compiled.highs.getLp()
        assert lp.col_upper_[0] == 0.0, "the outer block's bound on column 0 was lost when the inner block ended"
    assert_lp_bounds(compiled, model)


def capped_binary_model(seed: int, n: int, twins: int) -> LinearModel:
    """An all-or-nothing model with twins (ties) whose udvalg cap binds, so that no fast path answers it."""
    catalog = random_catalog(seed, binary=True, n=n, twins=twins)
    total = float(catalog["cost_kr"].sum())
    inputs = Inputs(catalog, round(total * 0.4, -3), evidence_weight=0,
                    constraints=(UdvalgMax("SU", kr=round(total * 0.12, -3)),))  # fmt: skip
    return optimizer.compile_inputs(inputs).model


@pytest.mark.parametrize("seed", range(8))
def test_columns_held_by_value_are_alike_in_every_allocation_of_that_value(seed: int) -> None:
    """Brute force over every allocation: those within the floor all have the held columns as the optimum has."""
    model = capped_binary_model(seed, 9, 3)
    compiled = CompiledModel(model)
    with compiled._options({"presolve": "off"}):
        first = compiled._run()
    assert first.values is not None
    scaled = compiled._scaled(model.objective)
    grid = ((np.arange(1 << model.n_cols)[:, None] >> np.arange(model.n_cols)) & 1).astype(float)
    lower, upper = model.row_bounds()
    activity = grid @ np.array([model.activity(column) for column in np.eye(model.n_cols)])
    feasible = grid[((activity >= lower - 1e-9) & (activity <= upper + 1e-9)).all(axis=1)]
    floor = np.sort(feasible @ scaled)[-4]  # a floor with the four best allocations above it
    held = compiled._held_by_value(scaled, floor, first.values)
    above = feasible[feasible @ scaled >= floor]
    assert (above[:, held] == first.values[held]).all()


def test_at_the_first_stages_value_most_columns_are_held() -> None:
    model = capped_binary_model(0, 30, 15)
    compiled = CompiledModel(model)
    with compiled._options({"presolve": "off"}):
        first = compiled._run()
    assert first.values is not None
    scaled = compiled._scaled(model.objective)
    held = compiled._held_by_value(scaled, float(scaled @ first.values) * (1 - 1e-9), first.values)
    assert held.size > model.n_cols / 2


@pytest.mark.parametrize("seed", range(6))
def test_the_tie_breaks_speed_ups_leave_its_answer(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The MILP's second stage with columns held by value and TIE_BREAK_OPTIONS picks what it picks without them."""
    model = capped_binary_model(seed, 30, 15)
    fast = CompiledModel(model).solve()
    monkeypatch.setattr(highs_module, "TIE_BREAK_OPTIONS", {})
    monkeypatch.setattr(CompiledModel, "_held_by_value", lambda *_: np.zeros(0, dtype=int))
    plain = CompiledModel(model).solve()
    assert fast.status is Status.OPTIMAL and plain.status is Status.OPTIMAL
    assert np.array_equal(fast.values, plain.values)
