"""A model compiled once into HiGHS (in process) and re-solved with new objectives or bounds.

This is the fast path behind sweeps, robustness draws and the explanations: building the PuLP
model again for every draw is what it avoids. Tests check that it agrees with the PuLP path.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import highspy
import numpy as np

from optimizer.model import LinearModel
from optimizer.status import Status

DEFAULT_TIME_LIMIT = 60.0
MIP_REL_GAP = 1e-9
_BANNER_SILENCED = False


@dataclass
class RawSolution:
    """Column values and the objective in value units (unscaled, without the tie-break bonus)."""

    status: Status
    values: np.ndarray | None
    objective: float
    row_duals: np.ndarray | None = None
    col_duals: np.ndarray | None = None


def new_highs(time_limit: float = DEFAULT_TIME_LIMIT) -> highspy.Highs:
    """A quiet HiGHS instance. HiGHS prints a banner to stdout once per process; that one is swallowed
    so that JSON on stdout stays clean."""
    global _BANNER_SILENCED
    if not _BANNER_SILENCED:
        sys.stdout.flush()
        saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        try:
            highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(devnull)
        _BANNER_SILENCED = True
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", float(time_limit))
    highs.setOptionValue("mip_rel_gap", MIP_REL_GAP)
    highs.setOptionValue("random_seed", 0)
    return highs


class CompiledModel:
    """A LinearModel passed to HiGHS once; change the objective or bounds and solve again."""

    def __init__(self, model: LinearModel, *, time_limit: float = DEFAULT_TIME_LIMIT):
        self.model = model
        self.highs = new_highs(time_limit)
        self._objective = model.objective.copy()
        self._lower, self._upper = model.col_lower.copy(), model.col_upper.copy()
        lp = highspy.HighsLp()
        lp.num_col_ = model.n_cols
        lp.num_row_ = len(model.rows)
        lp.col_cost_ = model.solver_objective()
        lp.col_lower_ = model.col_lower
        lp.col_upper_ = model.col_upper
        lp.row_lower_, lp.row_upper_ = model.row_bounds()
        start, index, value = model.column_matrix()
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = start
        lp.a_matrix_.index_ = index
        lp.a_matrix_.value_ = value
        lp.sense_ = highspy.ObjSense.kMaximize
        if model.is_mip:
            lp.integrality_ = [
                highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous for flag in model.integer
            ]
        self.highs.passModel(lp)

    def set_objective(self, objective: np.ndarray) -> None:
        """New value-per-column coefficients (e.g. new goal weights or reaches); the rows stay."""
        self._objective = np.asarray(objective, dtype=float)
        cost = self.model.solver_objective(self._objective)
        self.highs.changeColsCost(len(cost), np.arange(len(cost), dtype=np.int32), cost)

    def set_pulje(self, pulje: np.ndarray) -> None:
        """A new pulje per year: moves the budget rows and the limits given as a share of the pulje."""
        lower, upper = self.model.row_bounds(np.asarray(pulje, dtype=float))
        rows = np.arange(len(lower), dtype=np.int32)
        self.highs.changeRowsBounds(len(rows), rows, lower, upper)

    def solve(self) -> RawSolution:
        """Solve with the current objective and bounds."""
        self.highs.run()
        status = self._status()
        if not status.has_solution:
            return RawSolution(status, None, float("nan"))
        values = np.asarray(self.highs.getSolution().col_value)
        return RawSolution(status, values, float(self._objective @ values))

    def solve_relaxation(self) -> RawSolution:
        """Solve the LP relaxation (integrality dropped) in value units, with row and column duals."""
        highs, n = self.highs, self.model.n_cols
        integer = np.flatnonzero(self.model.integer).astype(np.int32)
        cols = np.arange(n, dtype=np.int32)
        highs.changeColsCost(n, cols, self._objective)
        if integer.size:
            highs.changeColsIntegrality(integer.size, integer, [highspy.HighsVarType.kContinuous] * integer.size)
        try:
            highs.run()
            status = self._status()
            if not status.has_solution:
                return RawSolution(status, None, float("nan"))
            solution = highs.getSolution()
            values = np.asarray(solution.col_value)
            return RawSolution(
                status,
                values,
                float(self._objective @ values),
                np.asarray(solution.row_dual),
                np.asarray(solution.col_dual),
            )
        finally:
            if integer.size:
                highs.changeColsIntegrality(integer.size, integer, [highspy.HighsVarType.kInteger] * integer.size)
            highs.changeColsCost(n, cols, self.model.solver_objective(self._objective))

    @contextmanager
    def bounds(self, cols: list[int], lower: list[float], upper: list[float]) -> Iterator[None]:
        """Temporarily change column bounds (e.g. force an indsats in), restoring them afterwards."""
        idx = np.array(cols, dtype=np.int32)
        saved = self._lower[idx].copy(), self._upper[idx].copy()
        self._set_bounds(idx, np.array(lower, dtype=float), np.array(upper, dtype=float))
        try:
            yield
        finally:
            self._set_bounds(idx, *saved)

    def _set_bounds(self, idx: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
        self._lower[idx], self._upper[idx] = lower, upper
        self.highs.changeColsBounds(len(idx), idx, lower, upper)

    def _status(self) -> Status:
        status = self.highs.getModelStatus()
        kinds = highspy.HighsModelStatus
        if status == kinds.kOptimal:
            return Status.OPTIMAL
        if status in (kinds.kInfeasible, kinds.kUnboundedOrInfeasible):
            return Status.INFEASIBLE
        has_point = self.highs.getInfo().primal_solution_status == 2  # kSolutionStatusFeasible
        if status in (kinds.kTimeLimit, kinds.kIterationLimit, kinds.kInterrupt) and has_point:
            return Status.FEASIBLE
        return Status.NOT_SOLVED
