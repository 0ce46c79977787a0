"""pulje's optimizer: load a catalog of indsatser, allocate a pulje by linear programming, explain it.

>>> from optimizer import load_catalog, solve
>>> catalog = load_catalog("data/frederiksberg/handleplan_2021_2022.csv")
>>> result = solve(catalog, 700_000, assumptions=...)  # see README
"""

from optimizer.amounts import load_amounts, load_asks
from optimizer.catalog import load_catalog, load_goals, validate_catalog, with_asks
from optimizer.constraints import (
    CONSTRAINTS,
    AllOrNothing,
    Constraint,
    Continuity,
    Exclude,
    FixedLine,
    GoalMin,
    GoalValueMin,
    Lock,
    MaxFunding,
    MinFunding,
    MutuallyExclusive,
    Requires,
    Scalable,
    SetupCost,
    UdvalgMax,
    UdvalgMin,
)
from optimizer.errors import CatalogError, InfeasibleError, MissingDataError, PuljeError, SolverError, SpecError
from optimizer.formats import format_kr, format_number, format_share
from optimizer.inputs import Assumptions, Inputs
from optimizer.result import Result
from optimizer.solve import Compiled, Solver, compile_inputs, evaluate, solve
from optimizer.status import Status

__all__ = [
    "CONSTRAINTS",
    "AllOrNothing",
    "Assumptions",
    "CatalogError",
    "Compiled",
    "Constraint",
    "Continuity",
    "Exclude",
    "FixedLine",
    "GoalMin",
    "GoalValueMin",
    "InfeasibleError",
    "Inputs",
    "Lock",
    "MaxFunding",
    "MinFunding",
    "MissingDataError",
    "MutuallyExclusive",
    "PuljeError",
    "Requires",
    "Result",
    "Scalable",
    "SetupCost",
    "Solver",
    "SolverError",
    "SpecError",
    "Status",
    "UdvalgMax",
    "UdvalgMin",
    "compile_inputs",
    "evaluate",
    "format_kr",
    "format_number",
    "format_share",
    "load_amounts",
    "load_asks",
    "load_catalog",
    "load_goals",
    "solve",
    "validate_catalog",
    "with_asks",
]
