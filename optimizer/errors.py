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


class InputFileError(PuljeError, ValueError):
    """A file that cannot be read as what it should be: missing, a folder, too large, binary, undecodable.

    The loaders report it as their own error (CatalogError, ScenarioError) naming the file.
    """


class SpecError(PuljeError, ValueError):
    """An input to solve() or a scenario that does not fit the catalog (unknown udvalg, bad share...)."""


class MissingDataError(PuljeError, ValueError):
    """The catalog lacks a figure the model needs (reach or cost); the message lists the indsatser."""

    def __init__(self, message: str, ids: list[str]):
        self.ids = list(ids)
        super().__init__(message)


class InfeasibleError(PuljeError):
    """Raised by Allocation.raise_for_status() when the constraints contradict each other."""


class SolverError(PuljeError, RuntimeError):
    """The solver could not run or returned no usable answer."""
