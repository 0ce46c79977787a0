"""pulje's optimizer: load a catalog of indsatser, allocate a pulje by linear programming, explain it.

>>> from optimizer import load_catalog, solve
>>> catalog = load_catalog("data/frederiksberg/handleplan_2021_2022.csv")
>>> result = solve(catalog, 700_000, assumptions=...)  # see README
"""

from optimizer.amounts import load_amounts
from optimizer.catalog import load_catalog, load_goals, validate_catalog
from optimizer.constraints import (
    CONSTRAINTS,
    AllOrNothing,
    Continuity,
    Exclude,
    FixedLine,
    GoalMin,
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
from optimizer.problem import Assumptions
from optimizer.result import Allocation
from optimizer.solve import Solver, evaluate, solve
from optimizer.status import Status

__all__ = [
    "CONSTRAINTS",
    "AllOrNothing",
    "Allocation",
    "Assumptions",
    "CatalogError",
    "Continuity",
    "Exclude",
    "FixedLine",
    "GoalMin",
    "InfeasibleError",
    "Lock",
    "MaxFunding",
    "MinFunding",
    "MissingDataError",
    "MutuallyExclusive",
    "PuljeError",
    "Requires",
    "Scalable",
    "SetupCost",
    "Solver",
    "SolverError",
    "SpecError",
    "Status",
    "UdvalgMax",
    "UdvalgMin",
    "evaluate",
    "format_kr",
    "format_number",
    "format_share",
    "load_amounts",
    "load_catalog",
    "load_goals",
    "solve",
    "validate_catalog",
]
