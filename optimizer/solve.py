"""The public solve(), evaluate() and compile(): inputs in, a frozen Result out, through one compiled model.

HiGHS (through optimizer/highs.py) solves and re-solves the model for the allocation, the rates at the
margin, what another 100.000 kr. buys and, when the constraints contradict, the conflict. CBC (through
optimizer/pulp_io.py) can be chosen for the allocation instead; the explanations still re-solve in HiGHS.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable, Mapping
from enum import Enum
from typing import TypedDict, Unpack

import numpy as np
import pandas as pd

from optimizer.conflict import diagnose
from optimizer.constraints import Constraint, Year
from optimizer.errors import SpecError
from optimizer.explain import binding_limits, budget_rates
from optimizer.highs import DEFAULT_TIME_LIMIT, CompiledModel, RawSolution
from optimizer.inputs import DEFAULT_EVIDENCE_WEIGHT, Assumptions, Budget, Inputs
from optimizer.instance import Instance, prepare
from optimizer.model import LinearModel, build_model
from optimizer.notes import Note, kroner
from optimizer.result import Binding, Conflict, Result
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


def as_inputs(
    catalog: pd.DataFrame | Inputs,
    budget: Budget | None = None,
    *,
    goal_weights: Mapping[str, float] | None = None,
    evidence_weight: float = DEFAULT_EVIDENCE_WEIGHT,
    constraints: Iterable[Constraint] | None = None,
    assumptions: Assumptions | None = None,
) -> Inputs:
    """Inputs from the keyword form (or Inputs as they are)."""
    if isinstance(catalog, Inputs):
        return catalog
    if budget is None:
        raise SpecError("solve() needs a budget: kroner, or {year: kroner}")
    return Inputs(
        catalog,
        budget,
        goal_weights=dict(goal_weights or {}),
        evidence_weight=evidence_weight,
        constraints=tuple(constraints or ()),
        assumptions=assumptions or Assumptions(),
    )


def solve(
    catalog: pd.DataFrame | Inputs,
    budget: Budget | None = None,
    *,
    goal_weights: Mapping[str, float] | None = None,
    evidence_weight: float = DEFAULT_EVIDENCE_WEIGHT,
    constraints: Iterable[Constraint] | None = None,
    assumptions: Assumptions | None = None,
    solver: str | Solver = "highs",
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> Result:
    """Allocate the pulje across the catalog's indsatser to maximize the weighted value.

    Takes Inputs, or the same fields as keywords: budget (kroner for one year, or {year: kroner}), goal
    weights (default 1 each), the evidence weight (a star multiplies value by 1 + w), constraints from
    optimizer.constraints and assumptions for figures the catalog lacks. Contradicting constraints do not
    raise: the Result's status and `conflict` explain them.
    """
    inputs = as_inputs(
        catalog,
        budget,
        goal_weights=goal_weights,
        evidence_weight=evidence_weight,
        constraints=constraints,
        assumptions=assumptions,
    )
    return compile_inputs(inputs, time_limit=time_limit).solve(solver=solver)


def compile_inputs(inputs: Inputs, *, time_limit: float = DEFAULT_TIME_LIMIT) -> Compiled:
    """Inputs prepared and compiled once, to solve and re-solve (the app keeps one per catalog and constraints)."""
    return Compiled(inputs, time_limit=time_limit)


class Compiled:
    """A model compiled for some Inputs. `solve(other)` re-solves it for Inputs that differ only in the
    pulje or the weights (a slider moved), and compiles afresh when anything else differs."""

    def __init__(self, inputs: Inputs, *, time_limit: float = DEFAULT_TIME_LIMIT):
        self.inputs = inputs
        self.time_limit = time_limit
        self.instance = prepare(inputs)
        self.model = build_model(self.instance, inputs.constraints)
        self.highs = CompiledModel(self.model, time_limit=time_limit)

    def solve(self, inputs: Inputs | None = None, *, solver: str | Solver = "highs") -> Result:
        """Solve for `inputs` (default: the compiled ones)."""
        started = time.perf_counter()
        if inputs is not None and inputs is not self.inputs:
            if not self._same_structure(inputs):
                return Compiled(inputs, time_limit=self.time_limit).solve(solver=solver)
            self._move_to(inputs)
        choice = Solver.parse(solver)
        if choice is Solver.HIGHS:
            raw = self.highs.solve()
        else:
            from optimizer.pulp_io import solve_cbc  # PuLP is imported only when CBC is asked for

            raw = solve_cbc(self.model, self.time_limit)
        return self._result(raw, choice.value, started)

    def _same_structure(self, inputs: Inputs) -> bool:
        old = self.inputs
        return (
            _same_catalog(inputs.catalog, old.catalog)
            and inputs.constraints == old.constraints
            and inputs.assumptions == old.assumptions
            and inputs.years == old.years
        )

    def _move_to(self, inputs: Inputs) -> None:
        """Change the compiled model's pulje and weights to those of `inputs` (same structure)."""
        inst = self.instance.reweighted(
            np.array(inputs.pulje, dtype=float),
            {key: float(inputs.goal_weights.get(key, 1.0)) for key in self.instance.goal_keys},
            float(inputs.evidence_weight),
        )
        objective = self.model.objective_for(inst.full_value())
        model = dataclasses.replace(self.model, instance=inst, objective=objective)
        lower, upper = model.row_bounds(inst.pulje)
        model = dataclasses.replace(model, row_lower=lower, row_upper=upper)
        self.inputs, self.instance, self.model = inputs, inst, model
        self.highs.model = model
        self.highs.set_objective(objective)
        self.highs.set_pulje(inst.pulje)

    def _result(self, raw: RawSolution, solver: str, started: float) -> Result:
        model, inst = self.model, self.instance
        if raw.values is None:
            conflict = diagnose(model, self.time_limit) if raw.status is Status.INFEASIBLE else None
            return _result(inst, model, raw.status, raw.objective, np.zeros(inst.cost.shape), solver, started,
                           conflict=conflict, message=raw.message)  # fmt: skip
        duals = raw.row_duals
        if duals is None:
            relaxed = self.highs.solve_relaxation()
            duals = relaxed.row_duals if relaxed.status is Status.OPTIMAL else None
        return _result(
            inst, model, raw.status, raw.objective, model.kroner(raw.values), solver, started,
            values=raw.values,
            binding=binding_limits(model, raw.values, duals),
            budget_rate_per_100k=budget_rates(model, duals),
            rates_from_relaxation=model.is_mip,
            message=raw.message,
        )  # fmt: skip


def _same_catalog(new: pd.DataFrame, old: pd.DataFrame) -> bool:
    """The same catalog cell by cell, with the same goals (Inputs re-validates its catalog into a new frame,
    so a slider's new Inputs never holds the compiled one's object)."""
    return new is old or (list(new.columns) == list(old.columns) and new.attrs == old.attrs and bool(new.equals(old)))


class _Solved(TypedDict, total=False):
    """What a solve adds to a Result beyond the tables (an evaluation adds none of it)."""

    values: np.ndarray
    binding: tuple[Binding, ...]
    budget_rate_per_100k: dict[Year, float]
    rates_from_relaxation: bool
    conflict: Conflict | None
    message: str


def _result(
    inst: Instance,
    model: LinearModel | None,
    status: Status,
    objective: float,
    amounts: np.ndarray,
    solver: str,
    started: float,
    notes: tuple[Note, ...] = (),
    **fields: Unpack[_Solved],
) -> Result:
    amounts.setflags(write=False)  # the tables are made from it when first read
    return Result(
        status=status,
        objective=objective,
        amounts=amounts,
        years=inst.years,
        pulje={y: float(inst.pulje[t]) for t, y in enumerate(inst.years)},
        fixed={y: float(inst.fixed[t]) for t, y in enumerate(inst.years)},
        notes=inst.notes + notes,
        solver=solver,
        seconds=time.perf_counter() - started,
        instance=inst,
        model=model,
        **fields,
    )


def evaluate(
    catalog: pd.DataFrame | Inputs,
    amounts: pd.DataFrame | Mapping[str, float],
    budget: Budget | None = None,
    *,
    goal_weights: Mapping[str, float] | None = None,
    evidence_weight: float = DEFAULT_EVIDENCE_WEIGHT,
    assumptions: Assumptions | None = None,
) -> Result:
    """Value a given allocation (e.g. the decided baseline) with the same value function as solve().

    amounts: {id: kroner} for one year, or a DataFrame with columns id, year, amount_kr (long format).
    Indsatser not listed get nothing; fixed lines in `amounts` are ignored (they come off the top).
    """
    started = time.perf_counter()
    inputs = as_inputs(catalog, budget, goal_weights=goal_weights, evidence_weight=evidence_weight,
                       assumptions=assumptions)  # fmt: skip
    inst = prepare(inputs.replace(constraints=()), optimizing=False)
    fixed_ids = set(inputs.catalog.loc[inputs.catalog["fixed"], "id"])
    matrix = _amount_matrix(inst, amounts, fixed_ids)
    value = float((inst.shares(matrix) * inst.full_value()[:, None]).sum())
    return _result(inst, None, Status.EVALUATED, value, matrix, "", started, notes=_evaluation_notes(inst, matrix))


def _evaluation_notes(inst: Instance, matrix: np.ndarray) -> tuple[Note, ...]:
    notes = []
    for t, year in enumerate(inst.years):
        spent = matrix[:, t].sum() + inst.fixed[t]
        if spent > inst.pulje[t] + 0.5:
            label = "" if year is None else f" {year}"
            notes.append(Note("over_budget", {"year": label, "spent": kroner(spent), "pulje": kroner(inst.pulje[t])}))
    return tuple(notes)


def _amount_matrix(inst: Instance, amounts: pd.DataFrame | Mapping[str, float], fixed_ids: set[str]) -> np.ndarray:
    matrix = np.zeros((inst.n, inst.n_years))
    if isinstance(amounts, Mapping):
        if inst.n_years != 1:
            raise SpecError("a multi-year evaluation needs amounts with columns id, year, amount_kr")
        records = [(k, None, v) for k, v in amounts.items()]
    else:
        missing = {"id", "amount_kr"} - set(amounts.columns)
        if missing:
            raise SpecError(f"amounts lack column(s) {sorted(missing)}")
        years = amounts["year"] if "year" in amounts.columns else [None] * len(amounts)
        records = list(zip(amounts["id"], years, amounts["amount_kr"], strict=True))
    single = inst.years == (None,)
    if single and len({year for _, year, _ in records if year is not None}) > 1:
        raise SpecError("the amounts cover several years: pass a budget per year, or select one year")
    for indsats_id, year, amount in records:
        if indsats_id in fixed_ids:
            continue
        i = inst.index_of(indsats_id)
        for t in [0] if single else inst.year_indices(year):
            matrix[i, t] += float(amount)
    return matrix
