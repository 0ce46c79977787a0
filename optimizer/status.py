"""The status of a solve as a value, never a string to compare."""

from __future__ import annotations

from enum import Enum


class Status(Enum):
    """What came of a solve (or an evaluation of a given allocation)."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    NOT_SOLVED = "not_solved"
    EVALUATED = "evaluated"

    @property
    def has_solution(self) -> bool:
        """Whether there is an allocation to read."""
        return self in (Status.OPTIMAL, Status.FEASIBLE, Status.EVALUATED)

    def describe(self) -> str:
        """The status in plain words."""
        return {
            Status.OPTIMAL: "Optimal: no allocation within the constraints has a higher value.",
            Status.FEASIBLE: "A valid allocation, but the time limit was reached before it was proven optimal.",
            Status.INFEASIBLE: "No allocation satisfies all the constraints: they contradict each other.",
            Status.NOT_SOLVED: "The solver gave no answer.",
            Status.EVALUATED: "A given allocation, valued with the same value function (not optimized).",
        }[self]
