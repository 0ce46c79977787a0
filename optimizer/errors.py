"""The errors pulje raises: each says what is wrong and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass


class PuljeError(Exception):
    """Base class of every error pulje raises on purpose; catch it to show the message to a user."""


@dataclass(frozen=True)
class Problem:
    """One problem in an input file: where it is (file, row, column), the value, and what is expected."""

    message: str
    row: int | None = None
    column: str | None = None
    value: object = None

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                f"row {self.row}" if self.row is not None else "",
                f"column {self.column}" if self.column else "",
            )
            if part
        )
        return f"{where}: {self.message}" if where else self.message


class CatalogError(PuljeError, ValueError):
    """A catalog (or goals file) that cannot be used; lists every problem found, not only the first."""

    def __init__(self, origin: str, problems: list[Problem]):
        self.origin = origin
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{origin}: {count} problem{'s' if count != 1 else ''}"
        super().__init__(head + "".join(f"\n  - {p}" for p in self.problems))


@dataclass(frozen=True)
class InputProblem:
    """One problem with the inputs of a solve, located by its path: ("constraints", 2, "udvalg") reads
    `constraints[2].udvalg`, the same key path a scenario file uses."""

    path: tuple[str | int, ...]
    message: str

    @property
    def where(self) -> str:
        """The path as text: goal_weights.arbejdsmarked, constraints[2].udvalg, budget.2021."""
        text = ""
        for part in self.path:
            text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
        return text

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.path else self.message


class InputFileError(PuljeError, ValueError):
    """A file that cannot be read as what it should be: missing, a folder, too large, binary, undecodable.

    The loaders report it as their own error (CatalogError, ScenarioError) naming the file.
    """


class SpecError(PuljeError, ValueError):
    """Inputs to solve() or a scenario that do not fit the catalog (unknown udvalg, bad share...).

    Carries every problem found (each with its key path), not only the first.
    """

    def __init__(self, message: str | list[InputProblem], *, origin: str = ""):
        self.problems = [InputProblem((), message)] if isinstance(message, str) else list(message)
        self.origin = origin
        if isinstance(message, str):
            text = f"{origin}: {message}" if origin else message
        else:
            count = len(self.problems)
            head = f"{origin}: " if origin else ""
            text = f"{head}{count} problem{'s' if count != 1 else ''}" + "".join(f"\n  - {p}" for p in self.problems)
            if count == 1 and not origin:
                text = str(self.problems[0])
        super().__init__(text)


class MissingDataError(PuljeError, ValueError):
    """The catalog lacks a figure the model needs (reach or cost); the message lists the indsatser."""

    def __init__(self, message: str, ids: list[str]):
        self.ids = list(ids)
        super().__init__(message)


class InfeasibleError(PuljeError):
    """Raised by Allocation.raise_for_status() when the constraints contradict each other."""


class SolverError(PuljeError, RuntimeError):
    """The solver could not run or returned no usable answer."""
