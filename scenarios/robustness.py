"""Robustness: Monte Carlo over uncertain goal weights and reaches, re-solving one compiled model.

Each draw multiplies every goal weight by a lognormal factor (relative spread `goal_weight_sd`) and
draws each reach uniformly within its stated range (and within the ranges the user assumes). Only
objective coefficients change between draws, so the model is compiled once and re-solved with new
costs. The core index of an indsats is the share of draws in which it is funded. The robust allocation
maximizes the expected value (the mean of the drawn objectives, which is linear in the draws).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimizer import enumeration
from optimizer.compiled import CompiledModel
from optimizer.errors import SpecError
from optimizer.result import FUNDED_EPS
from scenarios.progress import progress_bar
from scenarios.run import catalog_of, instance_and_model
from scenarios.spec import Scenario


@dataclass
class Robustness:
    """Per indsats: core index and spread of its amount over the draws; plus the robust allocation."""

    draws: int
    seed: int
    table: pd.DataFrame  # id, name, core_index, mean_kr, sd_kr, p05_kr, p50_kr, p95_kr, robust_kr
    objectives: np.ndarray  # the optimal objective of each draw
    robust_objective: float  # expected value of the robust allocation
    uncertain: list[str]  # what was drawn, in words


def robustness(scenario: Scenario, n: int = 10_000, *, seed: int = 0, progress: bool = False) -> Robustness:
    """Solve `n` draws of the uncertain inputs and summarise how stable each indsats's funding is.

    Small all-or-nothing models take the exact enumeration fast path (optimizer.enumeration); others
    re-solve the compiled HiGHS model with each draw's objective.
    """
    if n < 1:
        raise SpecError("robustness needs at least one draw")
    catalog = catalog_of(scenario)
    inst, model = instance_and_model(scenario, catalog=catalog)
    coefficients, uncertain = _draw_values(scenario, inst, n, np.random.default_rng(seed), catalog=catalog)
    solve_draws = _enumerated if enumeration.applies(model) else _compiled
    amounts, objectives, robust_amounts, robust_objective = solve_draws(model, coefficients, progress)
    table = pd.DataFrame(
        {
            "id": inst.ids,
            "name": inst.names,
            "core_index": (amounts > FUNDED_EPS).mean(axis=0),
            "mean_kr": amounts.mean(axis=0),
            "sd_kr": amounts.std(axis=0),
            "p05_kr": np.percentile(amounts, 5, axis=0),
            "p50_kr": np.percentile(amounts, 50, axis=0),
            "p95_kr": np.percentile(amounts, 95, axis=0),
            "robust_kr": robust_amounts,
        }
    )
    return Robustness(n, seed, table, objectives, robust_objective, uncertain)


def _compiled(model, coefficients: np.ndarray, progress: bool) -> tuple:
    """Re-solve the compiled model with each draw's objective; the robust allocation uses the mean."""
    compiled = CompiledModel(model)
    n = len(coefficients)
    amounts, objectives = np.zeros((n, model.instance.n)), np.zeros(n)
    for d in progress_bar(range(n), enabled=progress, desc="robustness", total=n):
        compiled.set_objective(model.objective_for(coefficients[d]))
        solution = compiled.solve()
        if not solution.status.has_solution:
            raise SpecError(f"draw {d} has no feasible allocation ({solution.status.describe()})")
        amounts[d] = solution.values[model.x_cols].sum(axis=1)
        objectives[d] = solution.objective
    compiled.set_objective(model.objective_for(coefficients.mean(axis=0)))
    robust = compiled.solve()
    return amounts, objectives, robust.values[model.x_cols].sum(axis=1), robust.objective


def _enumerated(model, coefficients: np.ndarray, progress: bool) -> tuple:
    """Pick each draw's best from the listed feasible choices of an all-or-nothing model."""
    listed = enumeration.EnumeratedModel(model)
    if not listed.feasible:
        raise SpecError("the scenario has no feasible allocation")
    best = listed.best(coefficients)
    amounts = listed.kroner[best]
    objectives = np.einsum("dn,dn->d", coefficients, amounts)
    mean = coefficients.mean(axis=0)
    robust = listed.kroner[listed.best(mean)[0]]
    return amounts, objectives, robust, float(mean @ robust)


def _draw_values(
    scenario: Scenario, inst, n: int, rng: np.random.Generator, *, catalog: pd.DataFrame | None = None
) -> tuple[np.ndarray, list[str]]:
    """Value per krone for each draw and indsats (n × indsatser), and what was drawn, in words."""
    spec = scenario.uncertainty
    base = inst.value_per_reach_and_weight()  # n × goals
    weights = np.array([inst.goal_weights.get(g, 1.0) for g in inst.goal_keys])
    uncertain = []
    if spec.goal_weight_sd > 0:
        sigma = math.sqrt(math.log(1 + spec.goal_weight_sd**2))
        factors = rng.lognormal(-(sigma**2) / 2, sigma, size=(n, len(weights)))  # mean 1, relative sd as given
        uncertain.append(f"goal weights × lognormal factor with mean 1 and relative sd {spec.goal_weight_sd:g}")
    else:
        factors = np.ones((n, len(weights)))
    reach = np.tile(inst.reach, (n, 1))
    low, high = _reach_ranges(scenario, inst, catalog_of(scenario) if catalog is None else catalog)
    drawn = np.flatnonzero(high > low)
    if drawn.size:
        reach[:, drawn] = rng.uniform(low[drawn], high[drawn], size=(n, drawn.size))
        uncertain.append(f"reach drawn uniformly within the stated or assumed range for {drawn.size} indsats(er)")
    values = reach * ((factors * weights[None, :]) @ base.T)
    return values, uncertain


def _reach_ranges(scenario: Scenario, inst, catalog: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    low, high = inst.reach.copy(), inst.reach.copy()
    if scenario.uncertainty.reach_ranges:
        catalog = catalog.set_index("id")
        for i, indsats_id in enumerate(inst.ids):
            if indsats_id in scenario.assumptions.reach:
                continue
            r_low, r_high = catalog.at[indsats_id, "reach_min"], catalog.at[indsats_id, "reach_max"]
            if not (math.isnan(r_low) or math.isnan(r_high)):
                low[i], high[i] = r_low, r_high
    for indsats_id, (r_low, r_high) in scenario.uncertainty.reach.items():
        i = inst.index_of(indsats_id)
        low[i], high[i] = r_low, r_high
    return low, high
