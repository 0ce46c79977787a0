"""pulje's optimizer: load a catalog of indsatser, allocate a pulje by linear programming, explain it.

>>> from optimizer import load_catalog, solve
>>> catalog = load_catalog("data/frederiksberg/handleplan_2021_2022.csv")
>>> result = solve(catalog, 700_000, assumptions=...)  # see README
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from optimizer.lazy import import_on_use

if TYPE_CHECKING:  # for readers and type checkers; at run time each name is imported on first use
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

_HOMES = {
    "AllOrNothing": "optimizer.constraints",
    "Assumptions": "optimizer.inputs",
    "CONSTRAINTS": "optimizer.constraints",
    "CatalogError": "optimizer.errors",
    "Compiled": "optimizer.solve",
    "Constraint": "optimizer.constraints",
    "Continuity": "optimizer.constraints",
    "Exclude": "optimizer.constraints",
    "FixedLine": "optimizer.constraints",
    "GoalMin": "optimizer.constraints",
    "GoalValueMin": "optimizer.constraints",
    "InfeasibleError": "optimizer.errors",
    "Inputs": "optimizer.inputs",
    "Lock": "optimizer.constraints",
    "MaxFunding": "optimizer.constraints",
    "MinFunding": "optimizer.constraints",
    "MissingDataError": "optimizer.errors",
    "MutuallyExclusive": "optimizer.constraints",
    "PuljeError": "optimizer.errors",
    "Requires": "optimizer.constraints",
    "Result": "optimizer.result",
    "Scalable": "optimizer.constraints",
    "SetupCost": "optimizer.constraints",
    "Solver": "optimizer.solve",
    "SolverError": "optimizer.errors",
    "SpecError": "optimizer.errors",
    "Status": "optimizer.status",
    "UdvalgMax": "optimizer.constraints",
    "UdvalgMin": "optimizer.constraints",
    "compile_inputs": "optimizer.solve",
    "evaluate": "optimizer.solve",
    "format_kr": "optimizer.formats",
    "format_number": "optimizer.formats",
    "format_share": "optimizer.formats",
    "load_amounts": "optimizer.amounts",
    "load_asks": "optimizer.amounts",
    "load_catalog": "optimizer.catalog",
    "load_goals": "optimizer.catalog",
    "solve": "optimizer.solve",
    "validate_catalog": "optimizer.catalog",
    "with_asks": "optimizer.catalog",
}

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


import_on_use(__name__, _HOMES)
