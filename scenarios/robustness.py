"""Robustness: Monte Carlo over uncertain goal weights and reaches, re-solving one compiled model.

Each draw multiplies every goal weight by a lognormal factor of mean 1 (relative spread
`goal_weight_sd`) and draws each reach that has a range from a triangular distribution over the
range, peaking at the value the scenario itself reads (the low end by default): the draws are centred
on the plan being tested. Only objective coefficients change between draws: where only the budget binds,
all draws are solved at once by the exact fast paths of optimizer/fastpath.py (a sort for scalable
indsatser, a knapsack for all-or-nothing ones); the draws where another row binds re-solve one compiled
model (small all-or-nothing models: the exact enumeration). The core index of an indsats is the share of
draws in which it is funded.

Two plans come with it, each with its formula:
- the expected-value plan maximizes E[value] = Σ_i E[reach_i] · Σ_g w_g · E[factor_g] · base_ig, with the
  exact means (E[factor] = 1; a triangular reach has mean (low + mode + high) / 3), so it does not move
  with the seed;
- the robust plan maximizes the CVaR: the mean value over the worst 10 % of the draws (up to
  CVAR_DRAWS of them), max_x max_t t − 1/(0,1·D) Σ_d max(0, t − value_d(x)), solved exactly for those draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimizer import Compiled, compile_inputs, enumeration
from optimizer.errors import SolverError, SpecError
from optimizer.fastpath import solve_many
from optimizer.highs import DEFAULT_TIME_LIMIT, solve_cvar
from optimizer.instance import Instance
from optimizer.notes import Note, number
from optimizer.result import FUNDED_EPS
from scenarios.progress import Progress, progress_bar
from scenarios.run import optimizing, with_catalog
from scenarios.spec import Scenario

CVAR_ALPHA = 0.10
CVAR_DRAWS = 2_000


@dataclass(frozen=True)
class Robustness:
    """Per indsats: core index and spread of its amount over the draws; the expected-value and robust plans."""

    draws: int
    seed: int
    table: pd.DataFrame  # id, name, core_index, mean_kr, sd_kr, p05_kr, p50_kr, p95_kr, expected_kr, robust_kr
    objectives: np.ndarray  # the optimal value of each draw
    expected_value: float  # the expected value of the expected-value plan (exact)
    robust_cvar: float  # the robust plan's mean value over the worst 10 % of the CVaR draws
    expected_plan_cvar: float  # the expected-value plan's, over the same draws
    uncertain: tuple[Note, ...]  # what was drawn (str() gives the words)


def robustness(
    scenario: Scenario,
    n: int = 10_000,
    *,
    seed: int = 0,
    catalog: pd.DataFrame | None = None,
    progress: Progress = False,
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> Robustness:
    """Solve `n` draws of the uncertain inputs and summarise how stable each indsats's funding is. A draw or plan
    the solver leaves unproven within `time_limit` seconds (per solve) raises SolverError saying so."""
    if n < 1:
        raise SpecError("robustness needs at least one draw")
    if seed < 0:
        raise SpecError(f"the seed must be a non-negative whole number, got {seed}")
    scenario = optimizing(with_catalog(scenario, catalog))
    compiled = compile_inputs(scenario.inputs, time_limit=time_limit)
    inst, model = compiled.instance, compiled.model
    values, uncertain = draw_values(scenario, inst, n, np.random.default_rng(seed))
    amounts, objectives = _solve_draws(compiled, values, progress)
    mean_value = expected_values(scenario, inst)
    expected = compiled.highs
    expected.set_objective(model.objective_for(mean_value))
    plan = expected.solve()
    if not plan.status.is_proven or plan.values is None:
        raise SolverError(f"the expected-value plan has no proven optimum: {plan.status.describe()} {plan.message}")
    expected.set_objective(model.objective)
    sample = model.objectives_for(values[:CVAR_DRAWS])
    robust = solve_cvar(model, sample, CVAR_ALPHA, compiled.time_limit)
    if robust.values is None:
        raise SolverError(f"the robust plan has no proven optimum ({robust.message}; time limit {time_limit:g} s)")
    spread = np.percentile(amounts, [5, 50, 95], axis=0)
    table = pd.DataFrame(
        {
            "id": inst.ids,
            "name": inst.names,
            "core_index": (amounts > FUNDED_EPS).mean(axis=0),
            "mean_kr": amounts.mean(axis=0),
            "sd_kr": amounts.std(axis=0),
            "p05_kr": spread[0],
            "p50_kr": spread[1],
            "p95_kr": spread[2],
            "expected_kr": model.kroner(plan.values).sum(axis=1),
            "robust_kr": model.kroner(robust.values).sum(axis=1),
        }
    )
    return Robustness(
        draws=n,
        seed=seed,
        table=table,
        objectives=objectives,
        expected_value=float(model.objective_for(mean_value) @ plan.values),
        robust_cvar=robust.objective,
        expected_plan_cvar=cvar(sample @ plan.values, CVAR_ALPHA),
        uncertain=tuple(uncertain),
    )


def cvar(values: np.ndarray, alpha: float) -> float:
    """The mean of the worst `alpha` share of values (the fractional draw at the boundary counted in part)."""
    ordered = np.sort(values)
    k = alpha * len(ordered)
    whole = math.floor(k)
    total = ordered[:whole].sum() + (k - whole) * (ordered[whole] if whole < len(ordered) else 0.0)
    return float(total / k)


def _solve_draws(compiled: Compiled, values: np.ndarray, progress: Progress) -> tuple[np.ndarray, np.ndarray]:
    """Every draw's optimal amounts and value: all at once by a fast path where only the budget binds; the
    draws where another row binds by the enumeration (small all-or-nothing models) or by re-solves."""
    model = compiled.model
    objectives = model.objectives_for(values)
    batch = solve_many(model, objectives)
    left = np.arange(len(values))
    amounts, optimum = np.zeros((len(values), model.instance.n)), np.zeros(len(values))
    if batch is not None:
        solved, answered = batch
        amounts[answered] = (solved[answered][:, model.share_cols] * model.instance.cost).sum(axis=2)
        optimum[answered] = np.einsum("dc,dc->d", objectives[answered], solved[answered])
        left = np.flatnonzero(~answered)
    if left.size:
        solve_rest = _enumerated if enumeration.applies(model) else _compiled
        amounts[left], optimum[left] = solve_rest(compiled, values[left], progress)
    return amounts, optimum


def _compiled(compiled: Compiled, values: np.ndarray, progress: Progress) -> tuple[np.ndarray, np.ndarray]:
    """Re-solve the compiled model with each draw's objective."""
    model, highs = compiled.model, compiled.highs
    draws = len(values)
    amounts, objectives = np.zeros((draws, model.instance.n)), np.zeros(draws)
    for d in progress_bar(range(draws), enabled=progress, desc="robustness", total=draws):
        highs.set_objective(model.objective_for(values[d]))
        solution = highs.solve()
        if not solution.status.is_proven or solution.values is None:
            raise SolverError(f"draw {d} has no proven optimum: {solution.status.describe()} {solution.message}")
        amounts[d] = model.kroner(solution.values).sum(axis=1)
        objectives[d] = solution.objective
    highs.set_objective(model.objective)
    return amounts, objectives


def _enumerated(compiled: Compiled, values: np.ndarray, progress: Progress) -> tuple[np.ndarray, np.ndarray]:
    """Pick each draw's best from the listed feasible choices of a small all-or-nothing model."""
    listed = enumeration.EnumeratedModel(compiled.model)
    if not listed.feasible:
        raise SpecError("the scenario has no feasible allocation")
    best = listed.best(values)
    shares = listed.shares[best]  # draws × n: funded years of each indsats
    return listed.kroner[best], np.einsum("dn,dn->d", values, shares)


def draw_values(scenario: Scenario, inst: Instance, n: int, rng: np.random.Generator) -> tuple[np.ndarray, list[Note]]:
    """Each draw's value per year at full scale for every indsats (draws × indsatser), and what was drawn."""
    spec = scenario.uncertainty
    base = inst.value_per_reach()  # n × goals, at the chosen weights
    uncertain: list[Note] = []
    if spec.goal_weight_sd > 0:
        sigma = math.sqrt(math.log(1 + spec.goal_weight_sd**2))
        factors = rng.lognormal(-(sigma**2) / 2, sigma, size=(n, len(inst.goal_keys)))  # mean 1
        uncertain.append(Note("drawn_weights", {"sd": number(spec.goal_weight_sd)}))
    else:
        factors = np.ones((n, len(inst.goal_keys)))
    reach = np.tile(inst.reach, (n, 1))
    low, mode, high = reach_ranges(scenario, inst)
    drawn = np.flatnonzero(high > low)
    if drawn.size:
        reach[:, drawn] = rng.triangular(low[drawn], mode[drawn], high[drawn], size=(n, drawn.size))
        uncertain.append(Note("drawn_reach", {"count": number(drawn.size)}))
    return reach * (factors @ base.T), uncertain


def expected_values(scenario: Scenario, inst: Instance) -> np.ndarray:
    """The exact expected value per year at full scale of each indsats under the draws."""
    low, mode, high = reach_ranges(scenario, inst)
    mean_reach = np.where(high > low, (low + mode + high) / 3, inst.reach)
    return inst.full_value(mean_reach)


def reach_ranges(scenario: Scenario, inst: Instance) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per indsats: the range reach is drawn from and its peak (the scenario's own reading, kept in range)."""
    low, high = inst.reach.copy(), inst.reach.copy()
    if scenario.uncertainty.reach_ranges:
        low, high = inst.reach_low.copy(), inst.reach_high.copy()
    for indsats_id, (r_low, r_high) in scenario.uncertainty.reach.items():
        i = inst.index_of(indsats_id)
        low[i], high[i] = r_low, r_high
    return low, np.clip(inst.reach, low, high), high
