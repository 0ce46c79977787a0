"""The one module that speaks to HiGHS: a model compiled once, solved, and re-solved with new bounds or
objectives (a new pulje, new weights, an indsats forced in), which is what makes explanations, sweeps,
robustness and the app's sliders cheap.

Every solve has two stages. The first maximizes the value. The second keeps the value within
`TIE_TOL` of that optimum and prefers lower ids, so that ties are broken by id exactly, on every
path, whatever basis the solver happens to start from.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import highspy
import numpy as np

from optimizer.fastpath import Bounds, Shape, shape_of, solve_capped, solve_enumerated, solve_knapsack, solve_lp
from optimizer.model import LinearModel
from optimizer.status import Status
from optimizer.ties import FACE_TOL, TIE_TOL, tie_objective

DEFAULT_TIME_LIMIT = 60.0
LARGE_LP = 5_000  # columns from which an LP's first stage runs the interior point method
SORTED_LP = 2_000  # columns from which an LP with only budget rows (and bounds) is sorted, not passed to HiGHS
MIP_REL_GAP = 1e-9
# A MILP's second stage starts from the first stage's optimum, and its value row leaves few allocations to tell
# apart: cuts at the root only, and no heuristics hunting for better starts (measured on benchmarks/cases.py's
# 1.000-indsats model with five caps through HiGHS, which the knapsack under caps now answers: 170 → 140 ms, on
# top of the columns held by value).
TIE_BREAK_OPTIONS: dict[str, bool | int | float | str] = {
    "mip_allow_cut_separation_at_nodes": False,
    "mip_heuristic_effort": 0.0,
    "mip_heuristic_run_feasibility_jump": False,
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_rens": False,
    "mip_heuristic_run_root_reduced_cost": False,
}
_KINDS = highspy.HighsModelStatus
_BANNER_SILENCED = False


@dataclass(frozen=True)
class RawSolution:
    """Column values and the objective in value units; row duals of the first stage where the model is an LP."""

    status: Status
    values: np.ndarray | None
    objective: float
    row_duals: np.ndarray | None = None
    message: str = ""
    col_duals: np.ndarray | None = None


def new_highs(time_limit: float = DEFAULT_TIME_LIMIT) -> highspy.Highs:
    """A quiet HiGHS instance. HiGHS prints a banner to stdout once per process; that one is swallowed so
    that JSON on stdout stays clean."""
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


def kept_value(first: RawSolution, second: RawSolution) -> bool:
    """Whether the tie-break kept the first stage's value (a safeguard against a solver's tolerances)."""
    if second.values is None or second.status is not Status.OPTIMAL:
        return False
    return second.objective >= first.objective - 1e-6 * max(1.0, abs(first.objective))


class CompiledModel:
    """A LinearModel compiled once; change the objective or bounds and solve again.

    A solve first tries the exact fast paths of optimizer/fastpath.py (a sort where only the budget binds, a
    knapsack for all-or-nothing models, under udvalg caps too); otherwise HiGHS solves it, the model being passed to
    HiGHS on first need. The method follows the model's shape: an LP of at least LARGE_LP columns runs the interior
    point method without presolve (HiGHS's presolve and dual simplex are slow on many alike columns), the second
    stage the simplex method; a MILP runs without presolve (measured by benchmarks/: HiGHS's MIP presolve took half
    the time of a 1.000-indsats model with caps and more than it saved on the pabulib budgets); smaller LPs HiGHS's
    choice of method, without presolve too (measured: 0,1 ms less on the bundled Copenhagen catalog, 11 -> 3,6 ms at
    1.000 indsatser with five udvalg caps, 124 -> 7,6 ms at 3.000). The HiGHS object stays inside: results keep
    plain arrays, so they can be pickled and cached.
    """

    def __init__(self, model: LinearModel, *, time_limit: float = DEFAULT_TIME_LIMIT):
        self.model = model
        self.time_limit = time_limit
        self.objective = model.objective.copy()
        self._lower, self._upper = model.col_lower.copy(), model.col_upper.copy()
        self._row_lower, self._row_upper = model.row_bounds()
        self._is_relaxed = False
        self._highs: highspy.Highs | None = None
        self._shape: Shape | bool | None = False  # False: not looked at yet
        self._aside: set[bool] = set()  # where the fast path stepped aside, by relaxed or not (see _fast)

    @property
    def highs(self) -> highspy.Highs:
        """The model in HiGHS, passed with the current objective and bounds when first needed."""
        if self._highs is None:
            self._highs = self._passed()
        return self._highs

    @property
    def large_lp(self) -> bool:
        return not self.model.is_mip and self.model.n_cols >= LARGE_LP

    def _passed(self) -> highspy.Highs:
        model = self.model
        highs = new_highs(self.time_limit)
        lp = highspy.HighsLp()
        lp.num_col_ = model.n_cols
        lp.num_row_ = model.n_rows
        lp.col_cost_ = self._scaled(self.objective)
        lp.col_lower_, lp.col_upper_ = self._lower, self._upper
        lp.row_lower_, lp.row_upper_ = self._row_lower, self._row_upper
        start, index, value = model.column_matrix()
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = start
        lp.a_matrix_.index_ = index
        lp.a_matrix_.value_ = value
        lp.sense_ = highspy.ObjSense.kMaximize
        if model.is_mip and not self._is_relaxed:
            kinds = highspy.HighsVarType
            lp.integrality_ = [kinds.kInteger if integer else kinds.kContinuous for integer in model.integer]
        highs.passModel(lp)
        return highs

    @contextmanager
    def _options(self, values: dict[str, bool | int | float | str]) -> Iterator[None]:
        """Temporarily other HiGHS options, restoring the ones set before."""
        highs = self.highs
        saved = {name: highs.getOptionValue(name)[1] for name in values}  # (status, value)
        for name, value in values.items():
            highs.setOptionValue(name, value)
        try:
            yield
        finally:
            for name, value in saved.items():
                highs.setOptionValue(name, value)

    # -- changes --
    def set_objective(self, objective: np.ndarray) -> None:
        """New value-per-column coefficients (new goal weights, reaches, an indsats's value raised); rows stay."""
        self.objective = np.asarray(objective, dtype=float)
        if self._highs is not None:
            cols = np.arange(self.model.n_cols, dtype=np.int32)
            self._highs.changeColsCost(len(cols), cols, self._scaled(self.objective))

    def set_pulje(self, pulje: np.ndarray) -> None:
        """A new pulje per year: moves the budget rows and the limits given as a share of the pulje."""
        lower, upper = self.model.row_bounds(np.asarray(pulje, dtype=float))
        self.set_row_bounds(np.arange(len(lower)), lower, upper)

    def set_row_bounds(self, rows: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
        rows = np.asarray(rows, dtype=np.int32)
        self._row_lower[rows], self._row_upper[rows] = lower, upper
        if self._highs is not None:
            # highspy has changeRowsBounds (this code relies on it), but its type stubs leave it out
            self._highs.changeRowsBounds(  # type: ignore[attr-defined]
                len(rows), rows, np.asarray(lower, float), np.asarray(upper, float)
            )

    def row_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """The rows' current bounds (copies)."""
        return self._row_lower.copy(), self._row_upper.copy()

    @contextmanager
    def changed_rows(self, rows: list[int], lower: list[float], upper: list[float]) -> Iterator[None]:
        """Temporarily change row bounds (e.g. a limit loosened by 100.000 kr.), restoring them afterwards."""
        idx = np.array(rows, dtype=np.int32)
        saved = self._row_lower[idx].copy(), self._row_upper[idx].copy()
        self.set_row_bounds(idx, np.array(lower, dtype=float), np.array(upper, dtype=float))
        try:
            yield
        finally:
            self.set_row_bounds(idx, *saved)

    @contextmanager
    def changed_cols(self, cols: list[int], lower: list[float], upper: list[float]) -> Iterator[None]:
        """Temporarily change column bounds (e.g. force an indsats in), restoring them afterwards."""
        idx = np.array(cols, dtype=np.int32)
        saved = self._lower[idx].copy(), self._upper[idx].copy()
        self._set_cols(idx, np.array(lower, dtype=float), np.array(upper, dtype=float))
        try:
            yield
        finally:
            self._set_cols(idx, *saved)

    @contextmanager
    def changed_objective(self, objective: np.ndarray) -> Iterator[None]:
        """Temporarily another objective, restoring the current one afterwards."""
        saved = self.objective
        self.set_objective(objective)
        try:
            yield
        finally:
            self.set_objective(saved)

    # -- solving --
    def solve(self, *, break_ties: bool = True) -> RawSolution:
        """Maximize the value; then, among the allocations of that value, prefer lower ids.

        For an LP the second stage runs on the optimal face itself (columns with a non-zero reduced cost and
        rows with a non-zero dual held where they are), so it cannot trade value for id order. A MILP first
        keeps its value within TIE_TOL by a row; its continuous part then takes the LP's second stage.
        """
        fast = self._fast()
        if fast is not None:
            return fast
        if self.model.is_mip:
            with self._options({"presolve": "off"}):  # HiGHS's MIP presolve costs more than it saves on these models
                return self._stages(self._run(duals=True), break_ties)
        with self._options({"solver": "ipm" if self.large_lp else "choose", "presolve": "off"}):
            first = self._run(duals=True)
        return self._stages(first, break_ties)

    def _stages(self, first: RawSolution, break_ties: bool) -> RawSolution:
        """After the first stage, the tie-break by id among the allocations of its value (see solve)."""
        if first.values is None or not break_ties or first.status is not Status.OPTIMAL:
            return self._without_col_duals(first)
        if not self.model.is_mip:
            second = self._on_optimal_face(first)
        else:
            second = self._near_optimal(first)
            if second is not None and not self.model.integer.all():
                second = self._continuous_part(second)
        chosen = second if second is not None and kept_value(first, second) else first
        return RawSolution(chosen.status, chosen.values, chosen.objective, first.row_duals, first.message)

    def solve_relaxation(self) -> RawSolution:
        """The LP relaxation (integrality dropped) with row duals, for the rates at the margin of a MILP."""
        with self._relaxed():
            fast = self._fast(any_size=True)  # the LP relaxation of a model the knapsack answered: a sort
            return fast if fast is not None else self._without_col_duals(self._run(duals=True))

    def _fast(self, *, any_size: bool = False) -> RawSolution | None:
        """The fast paths' answer for the current objective and bounds, or None where they step aside. A small
        all-or-nothing model is enumerated whatever its rows; an LP is sorted from SORTED_LP columns when its
        only rows are the budget's and bounds (any_size: any LP, e.g. the relaxation of a model the knapsack
        answered)."""
        integer = self.model.integer & (not self._is_relaxed)
        bounds = Bounds(self._lower, self._upper, self._row_lower, self._row_upper)
        scaled = self._scaled(self.objective)
        if integer.all():
            enumerated = solve_enumerated(self.model, scaled, tie_objective(self.model, scaled), bounds)
            if enumerated is not None:
                return RawSolution(Status.OPTIMAL, enumerated, float(self.objective @ enumerated))
        if not integer.any() and not any_size and self.model.n_cols < SORTED_LP:
            return None  # a small LP: HiGHS answers in well under a millisecond
        if self._shape is False:
            self._shape = shape_of(self.model)
        shape = self._shape
        if shape is None or isinstance(shape, bool) or self._is_relaxed in self._aside:
            return None
        values: np.ndarray | None = None
        duals: np.ndarray | None = None
        if integer.all():
            knapsack = solve_knapsack(self.model, shape, scaled[None, :], bounds)
            if knapsack is not None and knapsack[1][0]:
                values = knapsack[0][0]
            elif shape.other_rows.size:  # a row binds, or too many steps: the knapsack under caps may answer
                values = solve_capped(self.model, shape, scaled, bounds)
        elif not integer.any() and (any_size or shape.other_rows.size == 0):  # small LPs returned above
            lp = solve_lp(self.model, shape, scaled[None, :], bounds)
            if lp is not None and lp[2][0] and not np.isnan(lp[1][0]).any():
                values, duals = lp[0][0], lp[1][0] * self._scale
        else:
            return None
        if values is None:
            self._aside.add(self._is_relaxed)  # another row binds: the re-solves of this kind go to the solver
            return None
        return RawSolution(Status.OPTIMAL, values, float(self.objective @ values), duals)

    def _run(self, *, duals: bool = False) -> RawSolution:
        self.highs.run()
        status, message = self._status()
        if not status.has_solution:
            return RawSolution(status, None, math.nan, message=message)
        solution = self.highs.getSolution()
        values = np.clip(np.asarray(solution.col_value), self._lower, self._upper)
        if self.model.is_mip and not self._is_relaxed:  # whole, as decided (HiGHS gives them within 10⁻⁶)
            values[self.model.integer] = np.round(values[self.model.integer])
        if status is Status.FEASIBLE and not (self.objective @ values > 0 or np.abs(values).max(initial=0) > 0):
            return RawSolution(Status.TIME_LIMIT, None, math.nan, message=message)  # nothing allocated is no answer
        row_duals = col_duals = None
        if duals and (not self.model.is_mip or self._is_relaxed):
            row_duals = np.asarray(solution.row_dual)[: self.model.n_rows] * self._scale
            col_duals = np.asarray(solution.col_dual) * self._scale
        return RawSolution(status, values, float(self.objective @ values), row_duals, message, col_duals)

    def _on_optimal_face(self, first: RawSolution) -> RawSolution | None:
        """The LP's second stage: complementary slackness fixes every column whose reduced cost and every row
        whose dual is not zero; over what is left (the optimal face) maximize the id-weighted value."""
        assert first.values is not None and first.row_duals is not None and first.col_duals is not None
        tol = FACE_TOL * self._scale
        cols = np.flatnonzero(np.abs(first.col_duals) > tol)
        rows = np.flatnonzero(np.abs(first.row_duals) > tol)
        activity = self.model.activity(first.values)
        if self._single_point(first, activity, tol):
            return first
        scaled = self._scaled(self.objective)
        with (
            self.changed_cols(list(cols), list(first.values[cols]), list(first.values[cols])),
            self.changed_rows(list(rows), list(activity[rows]), list(activity[rows])),
            self._costs(tie_objective(self.model, scaled)),
        ):
            second = self._run()
        return second

    def _single_point(self, first: RawSolution, activity: np.ndarray, tol: float) -> bool:
        """Whether the optimal face is the first stage's point alone, so no tie can exist: every column and
        row that complementary slackness leaves free (zero reduced cost or dual) lies strictly inside its
        bounds, hence is basic, and the basis fixes it."""
        assert first.values is not None and first.row_duals is not None and first.col_duals is not None
        free = np.abs(first.col_duals) <= tol
        if _at_a_bound(first.values[free], self._lower[free], self._upper[free]).any():
            return False
        free_rows = np.abs(first.row_duals) <= tol
        return not _at_a_bound(activity[free_rows], self._row_lower[free_rows], self._row_upper[free_rows]).any()

    def _near_optimal(self, first: RawSolution) -> RawSolution | None:
        """The MILP's second stage: a row keeps the value within TIE_TOL of the first stage's, and the objective
        becomes the id-weighted value; the first stage's allocation is the starting point. The binary columns
        that every allocation of that value has alike are held first (_held_by_value), and HiGHS runs with
        TIE_BREAK_OPTIONS: on a 1.000-indsats model with five caps through HiGHS (benchmarks/cases.py's, which
        fastpath.solve_capped answers now) each of the two halves the stage's time or nearly, as the value row
        leaves few allocations to tell apart."""
        assert first.values is not None
        scaled = self._scaled(self.objective)
        scaled_value = float(scaled @ first.values)
        floor = scaled_value - TIE_TOL * max(1.0, abs(scaled_value))
        held = self._held_by_value(scaled, floor - TIE_TOL * max(1.0, abs(scaled_value)), first.values)
        support = np.flatnonzero(scaled).astype(np.int32)
        self.highs.addRow(floor, math.inf, len(support), support, scaled[support])
        start = highspy.HighsSolution()
        start.col_value = list(first.values)
        at = list(first.values[held])
        try:
            with (
                self._costs(tie_objective(self.model, scaled)),
                self.changed_cols(list(held), at, at),
                self._options(TIE_BREAK_OPTIONS),
            ):
                self.highs.setSolution(start)
                return self._run()
        finally:
            self.highs.deleteRows(1, np.array([self.model.n_rows], dtype=np.int32))

    def _held_by_value(self, scaled: np.ndarray, floor: float, point: np.ndarray) -> np.ndarray:
        """The binary columns that every allocation of (scaled) value at least `floor` has as `point` has them.
        For any row multipliers y (≥ 0 on an upper bound, ≤ 0 on a lower; here the LP relaxation's duals) a
        feasible x has value ≤ Σ_i y_i·bound_i + Σ_j (c_j − yᵀA_j)·x_j; a column whose other value brings the
        most that sum can reach below `floor` keeps its value (reduced-cost fixing against the first stage)."""
        nothing = np.zeros(0, dtype=int)
        with self._relaxed():
            self.highs.run()
            if self.highs.getModelStatus() != _KINDS.kOptimal:
                return nothing
            duals = np.asarray(self.highs.getSolution().row_dual)[: self.model.n_rows]
        duals = np.where(np.isfinite(np.where(duals > 0, self._row_upper, self._row_lower)), duals, 0.0)
        bounds = np.where(duals > 0, self._row_upper, np.where(duals < 0, self._row_lower, 0.0))
        model = self.model
        entries = model.row_value * duals[model.row_of]
        reduced = scaled - np.bincount(model.row_index, weights=entries, minlength=model.n_cols)
        with np.errstate(invalid="ignore"):
            best = np.maximum(reduced * self._lower, reduced * self._upper)  # each column's most within its bounds
        most = float(duals @ bounds + best.sum())
        if not math.isfinite(most):
            return nothing
        flipped = most - best + reduced * (1 - point)  # the most with the column at its other value
        binary = model.integer & (self._lower == 0) & (self._upper == 1)
        return np.flatnonzero(binary & (flipped < floor))

    def _continuous_part(self, second: RawSolution) -> RawSolution | None:
        """With the MILP's integer choices held, the continuous part's own two stages (as an LP)."""
        assert second.values is not None
        integer = np.flatnonzero(self.model.integer)
        held = list(second.values[integer].round())
        with self.changed_cols(list(integer), held, held), self._relaxed():
            first = self._run(duals=True)
            return self._on_optimal_face(first) if first.status is Status.OPTIMAL else None

    @contextmanager
    def _costs(self, costs: np.ndarray) -> Iterator[None]:
        """Temporarily other solver costs (already scaled), restoring the scaled objective afterwards."""
        cols = np.arange(self.model.n_cols, dtype=np.int32)
        self.highs.changeColsCost(len(cols), cols, costs)
        try:
            yield
        finally:
            self.highs.changeColsCost(len(cols), cols, self._scaled(self.objective))

    @contextmanager
    def _relaxed(self) -> Iterator[None]:
        """Temporarily the LP relaxation (integrality dropped)."""
        integer = np.flatnonzero(self.model.integer).astype(np.int32)
        kinds = highspy.HighsVarType
        if integer.size and self._highs is not None:
            self._highs.changeColsIntegrality(integer.size, integer, np.full(integer.size, kinds.kContinuous))
        self._is_relaxed = True
        try:
            yield
        finally:
            self._is_relaxed = False
            if integer.size and self._highs is not None:
                self._highs.changeColsIntegrality(integer.size, integer, np.full(integer.size, kinds.kInteger))

    @staticmethod
    def _without_col_duals(solution: RawSolution) -> RawSolution:
        return RawSolution(solution.status, solution.values, solution.objective, solution.row_duals, solution.message)

    # -- internals --
    @property
    def _scale(self) -> float:
        largest = float(np.max(np.abs(self.objective))) if self.objective.size else 0.0
        return largest if largest > 0 else 1.0

    def _scaled(self, objective: np.ndarray) -> np.ndarray:
        """The objective handed to the solver: divided by its largest coefficient, so it is at most 1."""
        largest = float(np.max(np.abs(objective))) if objective.size else 0.0
        return objective / (largest if largest > 0 else 1.0)

    def _set_cols(self, idx: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
        self._lower[idx], self._upper[idx] = lower, upper
        if self._highs is not None:
            self._highs.changeColsBounds(len(idx), idx, lower, upper)

    def _status(self) -> tuple[Status, str]:
        status = self.highs.getModelStatus()
        if status == _KINDS.kOptimal:
            return Status.OPTIMAL, ""
        if status in (_KINDS.kInfeasible, _KINDS.kUnboundedOrInfeasible):
            return Status.INFEASIBLE, ""
        text = self.highs.modelStatusToString(status)
        point = self.highs.getInfo().primal_solution_status == 2  # kSolutionStatusFeasible
        if status in (_KINDS.kTimeLimit, _KINDS.kIterationLimit, _KINDS.kInterrupt, _KINDS.kSolutionLimit):
            message = f"HiGHS stopped before proving an answer ({text}; time limit {self.time_limit:g} s)"
            return (Status.FEASIBLE if point and self.model.is_mip else Status.TIME_LIMIT), message
        return Status.NOT_SOLVED, f"HiGHS gave no proven answer ({text})"


def _at_a_bound(values: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Which values sit on their lower or upper bound (within 1e-9, relative)."""
    with np.errstate(invalid="ignore"):
        at_bound: np.ndarray = _near(values, lower) | _near(values, upper)
    return at_bound


def _near(values: np.ndarray, bound: np.ndarray) -> np.ndarray:
    near: np.ndarray = np.abs(values - bound) <= 1e-9 * np.maximum(1.0, np.abs(bound))
    return near


def solve_cvar(model: LinearModel, draw_objectives: np.ndarray, alpha: float, time_limit: float) -> RawSolution:
    """The allocation that maximizes the mean value over the worst `alpha` share of draws (CVaR), exactly for
    these draws (Rockafellar and Uryasev): maximize t − 1/(αD) Σ_d u_d with u_d ≥ t − value_d(x), u_d ≥ 0,
    over the model's own feasible allocations. draw_objectives: D × columns, value per column in each draw.
    The objective returned is the CVaR in value units."""
    draws = len(draw_objectives)
    n, m = model.n_cols, model.n_rows
    scale = float(np.max(np.abs(draw_objectives))) or 1.0
    highs = new_highs(time_limit)
    highs.setOptionValue("presolve", "off")  # as in CompiledModel.solve: 0,44 -> 0,31 s on Copenhagen's 2.000 draws
    highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
    start, index, value = model.column_matrix()
    lower, upper = model.row_bounds()
    highs.addRows(m, lower, upper, 0, np.zeros(m, np.int32), np.zeros(0, np.int32), np.zeros(0))
    highs.addCols(n, np.zeros(n), model.col_lower, model.col_upper, len(index), start[:-1], index, value)
    if model.is_mip:
        integer = np.flatnonzero(model.integer).astype(np.int32)
        highs.changeColsIntegrality(integer.size, integer, np.full(integer.size, highspy.HighsVarType.kInteger))
    t_col = n
    highs.addCol(1.0, -math.inf, math.inf, 0, np.zeros(0, np.int32), np.zeros(0))
    weight = -1.0 / (alpha * draws)
    highs.addCols(draws, np.full(draws, weight), np.zeros(draws), np.full(draws, math.inf), 0,
                  np.zeros(draws, np.int32), np.zeros(0, np.int32), np.zeros(0))  # fmt: skip
    support = np.flatnonzero(np.any(draw_objectives != 0, axis=0))
    width = len(support) + 2  # each draw's row: its values on the support, -t and its own u_d, all at once
    cols = np.column_stack([np.tile(support, (draws, 1)), np.full(draws, t_col), t_col + 1 + np.arange(draws)])
    coefs = np.column_stack([draw_objectives[:, support] / scale, -np.ones(draws), np.ones(draws)])
    starts = np.arange(0, draws * width, width, dtype=np.int32)
    highs.addRows(draws, np.zeros(draws), np.full(draws, math.inf), draws * width, starts,
                  cols.ravel().astype(np.int32), coefs.ravel())  # fmt: skip
    highs.run()
    status = highs.getModelStatus()
    if status != _KINDS.kOptimal:
        return RawSolution(Status.NOT_SOLVED, None, math.nan, message=highs.modelStatusToString(status))
    values = np.asarray(highs.getSolution().col_value)
    return RawSolution(Status.OPTIMAL, values[:n], float(highs.getInfo().objective_function_value) * scale)


@dataclass(frozen=True)
class Slack:
    """A row allowed to give: lowering its lower bound ("lower") or raising its upper bound ("raise"), at `weight`
    per unit."""

    row: int
    direction: str
    weight: float


def solve_elastic(model: LinearModel, slacks: list[Slack], time_limit: float) -> np.ndarray:
    """The least total weighted slack that makes the whole model feasible (integrality kept): the model's rows
    with a slack column added to each given side. Returns each slack's amount, in its row's unit."""
    start, index, value = model.column_matrix()
    lower, upper = model.row_bounds()
    n = model.n_cols
    highs = new_highs(time_limit)
    highs.changeObjectiveSense(highspy.ObjSense.kMinimize)
    highs.addRows(model.n_rows, lower, upper, 0, np.zeros(model.n_rows, np.int32), np.zeros(0, np.int32), np.zeros(0))
    highs.addCols(n, np.zeros(n), model.col_lower, model.col_upper, len(index), start[:-1], index, value)
    if model.is_mip:
        integer = np.flatnonzero(model.integer).astype(np.int32)
        highs.changeColsIntegrality(integer.size, integer, np.full(integer.size, highspy.HighsVarType.kInteger))
    for slack in slacks:
        sign = 1.0 if slack.direction == "lower" else -1.0  # row + slack ≥ lower, or row − slack ≤ upper
        highs.addCol(slack.weight, 0.0, math.inf, 1, np.array([slack.row], np.int32), np.array([sign]))
    highs.run()
    if highs.getModelStatus() != _KINDS.kOptimal:
        return np.zeros(len(slacks))
    return np.asarray(highs.getSolution().col_value)[n:]
