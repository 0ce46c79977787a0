"""The public solve() and evaluate(), and the one place that picks and configures the solver.

PuLP declares the model; HiGHS (in process, through highspy) solves it by default, CBC on request.
The explanations (duals, thresholds, conflicts) re-solve the compiled HiGHS model.
"""

from __future__ import annotations

import math
import re
import time
import warnings
from collections.abc import Iterable, Mapping
from enum import Enum
from pathlib import Path

import numpy as np
import pandas as pd
import pulp

from optimizer.compiled import DEFAULT_TIME_LIMIT, MIP_REL_GAP, CompiledModel, RawSolution, new_highs
from optimizer.errors import SolverError, SpecError
from optimizer.explain import binding_constraints, budget_shadow_price, diagnose, entry_thresholds
from optimizer.model import LinearModel, build_model
from optimizer.problem import DEFAULT_EVIDENCE_WEIGHT, Assumptions, Instance, prepare
from optimizer.result import Allocation, tabulate
from optimizer.status import Status


class Solver(Enum):
    """The solvers pulje can use."""

    HIGHS = "highs"
    CBC = "cbc"

    @classmethod
    def parse(cls, value: str | Solver) -> Solver:
        if isinstance(value, Solver):
            return value
        try:
            return cls(str(value).lower())
        except ValueError:
            raise SpecError(f"unknown solver {value!r}: use 'highs' or 'cbc'") from None


def solve(
    catalog: pd.DataFrame,
    budget: float | Mapping[object, float],
    *,
    goal_weights: Mapping[str, float] | None = None,
    evidence_weight: float = DEFAULT_EVIDENCE_WEIGHT,
    constraints: Iterable[object] | None = None,
    solver: str | Solver = "highs",
    assumptions: Assumptions | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> Allocation:
    """Allocate the pulje across the catalog's indsatser to maximize the weighted value.

    budget: kroner for one year, or {year: kroner} to plan several years at once.
    goal_weights: weight per goal key (default 1 each); evidence_weight: how much a star adds (value ×
    (1 + w·stars)). constraints: values from optimizer.constraints. assumptions: figures the catalog lacks.
    Infeasible constraints do not raise: the Allocation's status and `conflict` explain them.
    """
    started = time.perf_counter()
    constraints = list(constraints or [])
    choice = Solver.parse(solver)
    inst = prepare(
        catalog,
        budget,
        goal_weights=goal_weights,
        evidence_weight=evidence_weight,
        constraints=constraints,
        assumptions=assumptions,
    )
    model = build_model(inst, constraints)
    raw = run_pulp(model, choice, time_limit)
    amounts = _amounts(model, raw)
    result = _allocation(inst, model, raw.status, raw.objective, amounts, choice.value)
    if raw.status.has_solution:
        compiled = CompiledModel(model, time_limit=time_limit)
        relaxed = compiled.solve_relaxation()
        duals = relaxed.row_duals if relaxed.status is Status.OPTIMAL else None
        result.binding = binding_constraints(model, raw.values, duals)
        result.shadow_price_budget = budget_shadow_price(model, duals)
        result.duals_from_relaxation = model.is_mip
        result.entry_function = lambda: entry_thresholds(model, compiled, amounts, raw.objective)
    elif raw.status is Status.INFEASIBLE:
        result.conflict = diagnose(model, time_limit)
    result.seconds = time.perf_counter() - started
    return result


def evaluate(
    catalog: pd.DataFrame,
    amounts: pd.DataFrame | Mapping[str, float],
    budget: float | Mapping[object, float],
    *,
    goal_weights: Mapping[str, float] | None = None,
    evidence_weight: float = DEFAULT_EVIDENCE_WEIGHT,
    assumptions: Assumptions | None = None,
) -> Allocation:
    """Value a given allocation (e.g. the decided baseline) with the same value function as solve().

    amounts: {id: kroner} for one year, or a DataFrame with columns id, year, amount_kr (long format).
    Indsatser not listed get nothing; fixed lines in `amounts` are ignored (they come off the top).
    """
    started = time.perf_counter()
    inst = prepare(
        catalog,
        budget,
        goal_weights=goal_weights,
        evidence_weight=evidence_weight,
        assumptions=assumptions,
        optimizing=False,
    )
    matrix = _amount_matrix(inst, amounts, set(catalog.loc[catalog["fixed"], "id"]))
    value = float((matrix * inst.value_per_kr()[:, None]).sum())
    result = _allocation(inst, None, Status.EVALUATED, value, matrix, "")
    for t, year in enumerate(inst.years):
        spent = matrix[:, t].sum() + inst.fixed[t]
        if spent > inst.pulje[t] + 0.5:
            label = "" if year is None else f" {year}"
            result.assumptions.append(
                f"The allocation{label} spends {spent:,.0f} kr., above the pulje of {inst.pulje[t]:,.0f} kr."
            )
    result.seconds = time.perf_counter() - started
    return result


def run_pulp(model: LinearModel, solver: Solver, time_limit: float = DEFAULT_TIME_LIMIT) -> RawSolution:
    """Declare the model in PuLP and solve it with HiGHS (in process) or CBC."""
    problem, variables = to_pulp(model, model.solver_objective())
    if solver is Solver.HIGHS:
        new_highs()  # swallows HiGHS's one-time banner before PuLP creates its own instance
        engine = pulp.HiGHS(msg=False, timeLimit=time_limit, gapRel=MIP_REL_GAP)
    else:
        with warnings.catch_warnings():  # PuLP 3 warns that its bundled CBC goes away in PuLP 4 (pinned < 4)
            warnings.simplefilter("ignore", DeprecationWarning)
            engine = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit, gapRel=MIP_REL_GAP)
    try:
        problem.solve(engine)
    except pulp.PulpSolverError as exc:
        raise SolverError(f"{solver.value} failed: {exc}") from None
    status = _pulp_status(problem)
    if not status.has_solution:
        return RawSolution(status, None, math.nan)
    values = np.array([v.varValue or 0.0 for v in variables])
    values = np.clip(values, model.col_lower, model.col_upper)
    return RawSolution(status, values, float(model.objective @ values))


def to_pulp(model: LinearModel, objective: np.ndarray | None = None) -> tuple[pulp.LpProblem, list[pulp.LpVariable]]:
    """The model as a PuLP problem with readable, unique names (objective in value units by default)."""
    problem = pulp.LpProblem("pulje", pulp.LpMaximize)
    names = _unique_names(model.col_names)
    variables = [
        problem.add_variable(
            name,
            lowBound=model.col_lower[j],
            upBound=model.col_upper[j],
            cat=pulp.LpInteger if model.integer[j] else pulp.LpContinuous,
        )
        for j, name in enumerate(names)
    ]
    coefficients = model.objective if objective is None else objective
    problem += pulp.LpAffineExpression([(variables[j], c) for j, c in enumerate(coefficients) if c != 0]), "value"
    for row, name in zip(model.rows, _unique_names([row.name for row in model.rows]), strict=True):
        expression = pulp.LpAffineExpression([(variables[j], c) for j, c in zip(row.index, row.coef, strict=True)])
        if row.lower == row.upper:
            problem += expression == row.lower, name
            continue
        if math.isfinite(row.lower):
            problem += expression >= row.lower, name if not math.isfinite(row.upper) else f"{name}_min"
        if math.isfinite(row.upper):
            problem += expression <= row.upper, name if not math.isfinite(row.lower) else f"{name}_max"
    return problem, variables


def write_model(model: LinearModel, path: str | Path) -> Path:
    """Write the model to .lp or .mps (objective in value units) for re-solving elsewhere."""
    path = Path(path)
    problem, _ = to_pulp(model)
    if path.suffix.lower() == ".mps":
        problem.writeMPS(str(path), with_objsense=True)
    elif path.suffix.lower() == ".lp":
        problem.writeLP(str(path))
    else:
        raise SpecError(f"cannot write a model to {path.name}: use a .lp or .mps file name")
    return path


def _pulp_status(problem: pulp.LpProblem) -> Status:
    if problem.status == pulp.LpStatusOptimal:
        return Status.OPTIMAL if problem.sol_status == pulp.LpSolutionOptimal else Status.FEASIBLE
    if problem.status == pulp.LpStatusInfeasible:
        return Status.INFEASIBLE
    return Status.NOT_SOLVED


def _unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    result = []
    for name in names:
        clean = re.sub(r"[^0-9A-Za-z_]", "_", name.replace("æ", "ae").replace("ø", "oe").replace("å", "aa"))
        clean = re.sub(r"_+", "_", clean).strip("_") or "c"
        if clean in seen:
            seen[clean] += 1
            clean = f"{clean}_{seen[clean]}"
        else:
            seen[clean] = 0
        result.append(clean)
    return result


def _amounts(model: LinearModel, raw: RawSolution) -> np.ndarray:
    if raw.values is None:
        return np.zeros(model.x_cols.shape)
    return raw.values[model.x_cols]


def _allocation(
    inst: Instance, model: LinearModel | None, status: Status, objective: float, amounts: np.ndarray, solver: str
) -> Allocation:
    frame, by_udvalg, by_goal = tabulate(inst, amounts)
    return Allocation(
        status=status,
        objective=objective,
        allocation=frame,
        by_udvalg=by_udvalg,
        by_goal=by_goal,
        years=list(inst.years),
        pulje={y: float(inst.pulje[t]) for t, y in enumerate(inst.years)},
        fixed={y: float(inst.fixed[t]) for t, y in enumerate(inst.years)},
        assumptions=list(inst.notes),
        solver=solver,
        model=model,
    )


def _amount_matrix(inst: Instance, amounts: pd.DataFrame | Mapping[str, float], fixed_ids: set[str]) -> np.ndarray:
    matrix = np.zeros((inst.n, len(inst.years)))
    if isinstance(amounts, Mapping):
        if len(inst.years) != 1:
            raise SpecError("a multi-year evaluation needs amounts with columns id, year, amount_kr")
        records = [(k, None, v) for k, v in amounts.items()]
    else:
        missing = {"id", "amount_kr"} - set(amounts.columns)
        if missing:
            raise SpecError(f"amounts lack column(s) {sorted(missing)}")
        years = amounts["year"] if "year" in amounts.columns else [None] * len(amounts)
        records = list(zip(amounts["id"], years, amounts["amount_kr"], strict=True))
    single = inst.years == [None]
    if single and len({year for _, year, _ in records if year is not None}) > 1:
        raise SpecError("the amounts cover several years: pass a budget per year, or select one year")
    for indsats_id, year, amount in records:
        if indsats_id in fixed_ids:
            continue
        i = inst.index_of(indsats_id)
        columns = [0] if single else inst.year_indices(year)
        for t in columns:
            matrix[i, t] += float(amount)
    return matrix
