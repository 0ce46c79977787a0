"""The status of a solve as a value, never a string to compare."""

from __future__ import annotations

from enum import Enum


class Status(Enum):
    """What came of a solve (or an evaluation of a given allocation)."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    TIME_LIMIT = "time_limit"
    NOT_SOLVED = "not_solved"
    EVALUATED = "evaluated"

    @property
    def has_solution(self) -> bool:
        """Whether there is an allocation to read."""
        return self in (Status.OPTIMAL, Status.FEASIBLE, Status.EVALUATED)

    @property
    def is_proven(self) -> bool:
        """Whether the allocation is proven best (or is a given one, valued as it is)."""
        return self in (Status.OPTIMAL, Status.EVALUATED)

    def describe(self) -> str:
        """The status in plain words."""
        return {
            Status.OPTIMAL: "Optimal: no allocation within the constraints has a higher value.",
            Status.FEASIBLE: "NOT PROVEN OPTIMAL: the solver stopped at its time limit with a valid allocation; "
            "a better one may exist (raise the time limit).",
            Status.INFEASIBLE: "No allocation satisfies all the constraints: they contradict each other.",
            Status.TIME_LIMIT: "No answer: the solver stopped at its time limit before finding a valid allocation "
            "(raise the time limit, or make the model smaller).",
            Status.NOT_SOLVED: "No answer: the solver could not solve the model.",
            Status.EVALUATED: "A given allocation, valued with the same value function (not optimized).",
        }[self]
