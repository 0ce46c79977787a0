"""The one module that speaks to PuLP: solving with CBC, and writing the model as .lp or .mps for an auditor.

The written file names columns after the indsatser (s[id,year] is the funded share of the year's ask)
and rows after the constraints, and opens with a comment giving the pulje, the weights and the units,
so that it re-solves to the reported objective in any solver.
"""

from __future__ import annotations

import math
import re
import warnings
from pathlib import Path

import numpy as np
import pulp

from optimizer.errors import SolverError, SpecError
from optimizer.files import atomic_path
from optimizer.formats import format_kr
from optimizer.highs import MIP_REL_GAP, RawSolution, kept_value
from optimizer.model import SCALE, LinearModel
from optimizer.status import Status
from optimizer.ties import FACE_TOL, TIE_TOL, tie_objective

CBC_TIE_TOL = 100 * TIE_TOL  # CBC's preprocessing mistakes a tighter value row for an infeasible one


def solve_cbc(model: LinearModel, time_limit: float) -> RawSolution:
    """Solve with CBC: the value first, then (as with HiGHS) the id order among the allocations of that value:
    for an LP on its optimal face (columns with a non-zero reduced cost and rows with a non-zero dual held), for
    a MILP within CBC_TIE_TOL of the value."""
    problem, variables = to_pulp(model)
    first = _run(problem, variables, model, time_limit)
    if first.status is not Status.OPTIMAL or first.values is None:
        return first
    largest = float(np.abs(model.objective).max()) or 1.0
    scaled = model.objective / largest
    if model.is_mip:
        value = float(scaled @ first.values)
        problem += (
            pulp.LpAffineExpression([(variables[j], c) for j, c in enumerate(scaled) if c != 0])
            >= value - CBC_TIE_TOL * max(1.0, abs(value)),
            "near_optimal_value",
        )
    else:
        _hold_optimal_face(problem, variables, largest)
    problem.setObjective(pulp.LpAffineExpression([(variables[j], c) for j, c in enumerate(tie_objective(model, scaled))
                                                  if c != 0]))  # fmt: skip
    second = _run(problem, variables, model, time_limit)
    return second if kept_value(first, second) else first


def _hold_optimal_face(problem: pulp.LpProblem, variables: list[pulp.LpVariable], largest: float) -> None:
    """Fix the columns whose reduced cost, and the rows whose dual, is not zero (complementary slackness)."""
    tol = FACE_TOL * largest
    for variable in variables:
        if variable.dj is not None and abs(variable.dj) > tol:
            variable.lowBound = variable.upBound = variable.varValue
    for constraint in list(problem.constraints()):
        if constraint.pi is not None and abs(constraint.pi) > tol:
            activity = sum(variable.varValue * coefficient for variable, coefficient in constraint.items())
            problem += pulp.LpAffineExpression(list(constraint.items())) == activity, f"{constraint.name}_held"


def cbc_command() -> pulp.PULP_CBC_CMD:
    """PuLP's bundled CBC (PuLP 3 warns that it goes away in PuLP 4; the project pins PuLP below 4)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return pulp.PULP_CBC_CMD(msg=False)


def _run(
    problem: pulp.LpProblem, variables: list[pulp.LpVariable], model: LinearModel, time_limit: float
) -> RawSolution:
    with warnings.catch_warnings():  # PuLP 3 warns that its bundled CBC goes away in PuLP 4 (pinned < 4)
        warnings.simplefilter("ignore", DeprecationWarning)
        engine = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit, gapRel=MIP_REL_GAP)
        try:
            problem.solve(engine)
        except pulp.PulpSolverError as exc:
            raise SolverError(f"cbc failed: {exc}") from None
    if problem.status == pulp.LpStatusInfeasible:
        return RawSolution(Status.INFEASIBLE, None, math.nan)
    if problem.status != pulp.LpStatusOptimal:
        return RawSolution(Status.NOT_SOLVED, None, math.nan, message=f"CBC: {pulp.LpStatus[problem.status]}")
    proven = problem.sol_status == pulp.LpSolutionOptimal
    values = np.clip(np.array([v.varValue or 0.0 for v in variables]), model.col_lower, model.col_upper)
    message = "" if proven else "CBC stopped at its time limit with a valid allocation"
    return RawSolution(Status.OPTIMAL if proven else Status.FEASIBLE, values, float(model.objective @ values), None,
                       message)  # fmt: skip


def to_pulp(model: LinearModel, *, negated: bool = False) -> tuple[pulp.LpProblem, list[pulp.LpVariable]]:
    """The model as a PuLP problem with readable, unique names; the objective in value units (maximized, or its
    negative minimized where a file format cannot say "maximize" portably)."""
    problem = pulp.LpProblem("pulje", pulp.LpMinimize if negated else pulp.LpMaximize)
    sign = -1.0 if negated else 1.0
    variables = [
        problem.add_variable(
            name,
            lowBound=float(model.col_lower[j]),
            upBound=float(model.col_upper[j]),
            cat=pulp.LpInteger if model.integer[j] else pulp.LpContinuous,
        )
        for j, name in enumerate(_unique_names(model.col_names))
    ]
    objective = [(variables[j], sign * float(c)) for j, c in enumerate(model.objective) if c != 0]
    problem += pulp.LpAffineExpression(objective), "minus_value" if negated else "value"
    names = _unique_names([row.name for row in model.rows])
    for r, name in enumerate(names):
        span = slice(model.row_start[r], model.row_start[r + 1])
        terms = [(variables[j], float(c)) for j, c in zip(model.row_index[span], model.row_value[span], strict=True)]
        expression = pulp.LpAffineExpression(terms)
        lower, upper = float(model.row_lower[r]), float(model.row_upper[r])
        if lower == upper:
            problem += expression == lower, name
            continue
        if math.isfinite(lower):
            problem += expression >= lower, name if not math.isfinite(upper) else f"{name}_min"
        if math.isfinite(upper):
            problem += expression <= upper, name if not math.isfinite(lower) else f"{name}_max"
    return problem, variables


def write_model(model: LinearModel, path: str | Path) -> Path:
    """Write the model to .lp or .mps (objective in value units) for re-solving elsewhere, atomically."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".lp", ".mps"):
        raise SpecError(f"cannot write a model to {path.name}: use a .lp or .mps file name")
    mps = suffix == ".mps"
    problem, _ = to_pulp(model, negated=mps)
    comment = "* " if mps else "\\ "
    header = "".join(f"{comment}{line}\n" for line in header_lines(model, negated=mps))
    with atomic_path(path) as temporary:
        if mps:
            problem.writeMPS(str(temporary))
        else:
            problem.writeLP(str(temporary))
        temporary.write_text(header + temporary.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def header_lines(model: LinearModel, *, negated: bool = False) -> list[str]:
    """What the file's numbers mean: the pulje, the weights and the units."""
    inst = model.instance
    pulje = ", ".join(
        f"{'' if year is None else f'{year}: '}{format_kr(p)} (fixed lines {format_kr(f)})"
        for year, p, f in zip(inst.years, inst.pulje, inst.fixed, strict=True)
    )
    weights = ", ".join(f"{key} {weight:g}" for key, weight in inst.goal_weights.items())
    return [
        "written by pulje: the allocation of a municipal pool (pulje) across indsatser; see its README, The model",
        f"pulje per year: {pulje}",
        f"goal weights: {weights}; evidence weight: {inst.evidence_weight:g} (value x (1 + w x stars))",
        "columns: s_<id>_<year> = funded share of the indsats's ask that year (kroner = share x ask);",
        "  z_... = 1 if funded (minimum viable funding, exclusion); u_... = 1 if it starts that year (set-up cost)",
        f"rows in kroner (budget, udvalg_*, goal_min, lock, exclude) are in units of {format_kr(SCALE)}",
        "objective: maximize value = sum over indsatser and years of share x reach x goal weights x evidence x "
        "intensity",
        *(["MPS readers differ on OBJSENSE, so this file MINIMIZES minus_value: its optimum is minus the value"]
          if negated else []),
    ]  # fmt: skip


def _unique_names(names: list[str] | tuple[str, ...]) -> list[str]:
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
