"""Exact re-solves of small all-or-nothing models by listing their feasible funding choices once.

When every indsats is all-or-nothing, an allocation is a choice of which indsatser to fund in which
year, and between robustness draws only the objective changes: the feasible choices stay the same. For
up to MAX_CHOICES yes/no choices, list the feasible ones once, drop those that funding one more
indsats-year also satisfies (no value is negative, so they never win), and each draw's optimum is the
best of the rest: one matrix product instead of a MILP per draw. Ties are broken by id exactly as the
solver's tie-break does. Tests check that it agrees with the solver.
"""

from __future__ import annotations

import numpy as np

from optimizer.model import TIE_BREAK, LinearModel

MAX_CHOICES = 18  # at most 2^18 = 262.144 candidate choices, checked in chunks
CHUNK = 1 << 14
FEASIBILITY_TOL = 1e-7


def applies(model: LinearModel) -> bool:
    """Whether every indsats is all-or-nothing and there are few enough yes/no choices to list."""
    inst = model.instance
    return bool(inst.binary.all()) and 0 < inst.n * len(inst.years) <= MAX_CHOICES


class EnumeratedModel:
    """The undominated feasible funding choices of an all-or-nothing model."""

    def __init__(self, model: LinearModel):
        if not applies(model):
            raise ValueError("enumeration needs an all-or-nothing model with at most MAX_CHOICES choices")
        self.model = model
        inst = model.instance
        self.shape = (inst.n, len(inst.years))
        self.choices = _undominated(_feasible_choices(model))  # choices × (n·years), bool
        funded_years = self.choices.reshape(len(self.choices), *self.shape).sum(axis=2)
        self.kroner = funded_years * inst.cost[None, :]  # choices × n: kroner to each indsats over the years
        rank = np.argsort(np.argsort(inst.ids))
        self._tie_break = 1.0 + TIE_BREAK * (inst.n - rank) / inst.n

    @property
    def feasible(self) -> bool:
        return len(self.choices) > 0

    def best(self, value_per_kr: np.ndarray) -> np.ndarray:
        """Index of the best choice for each row of value per krone (draws × n)."""
        if not self.feasible:
            raise ValueError("the model has no feasible funding choice")
        scores = (np.atleast_2d(value_per_kr) * self._tie_break[None, :]) @ self.kroner.T
        return scores.argmax(axis=1)

    def columns(self, choice: int) -> np.ndarray:
        """The model's full column vector for a choice."""
        return _columns(self.model, self.choices[choice : choice + 1])[0]


def _feasible_choices(model: LinearModel) -> np.ndarray:
    width = model.instance.n * len(model.instance.years)
    matrix = np.zeros((len(model.rows), model.n_cols))
    for r, row in enumerate(model.rows):
        matrix[r, row.index] = row.coef
    lower, upper = model.row_bounds()
    tol_low, tol_high = FEASIBILITY_TOL * (1 + np.abs(lower)), FEASIBILITY_TOL * (1 + np.abs(upper))
    found = []
    for start in range(0, 1 << width, CHUNK):
        codes = np.arange(start, min(1 << width, start + CHUNK), dtype=np.int64)
        bits = ((codes[:, None] >> np.arange(width)) & 1).astype(bool)
        columns = _columns(model, bits)
        activity = columns @ matrix.T
        ok = np.all((activity >= lower - tol_low) & (activity <= upper + tol_high), axis=1)
        ok &= np.all(
            (columns >= model.col_lower - FEASIBILITY_TOL) & (columns <= model.col_upper + FEASIBILITY_TOL), axis=1
        )
        found.append(bits[ok])
    return np.concatenate(found) if found else np.zeros((0, width), dtype=bool)


def _columns(model: LinearModel, bits: np.ndarray) -> np.ndarray:
    """Column vectors (choices × columns) of funding choices: x = cost·z, z, and set-up starts."""
    inst = model.instance
    n, years = inst.n, len(inst.years)
    funded = bits.reshape(len(bits), n, years)
    columns = np.zeros((len(bits), model.n_cols))
    columns[:, model.x_cols.ravel()] = (funded * inst.cost[None, :, None]).reshape(len(bits), n * years)
    for (i, t), col in model.indicator_cols.items():
        columns[:, col] = funded[:, i, t]
    for (i, t), col in model.start_cols.items():
        columns[:, col] = funded[:, i, t] & ~(funded[:, i, t - 1] if t > 0 else False)
    return columns


def _undominated(choices: np.ndarray) -> np.ndarray:
    """Drop each choice for which funding one more indsats-year is feasible too."""
    if len(choices) == 0:
        return choices
    weights = 1 << np.arange(choices.shape[1], dtype=np.int64)
    codes = choices.astype(np.int64) @ weights
    feasible = set(codes.tolist())
    keep = [
        not any(not choice[j] and (code | int(weights[j])) in feasible for j in range(choices.shape[1]))
        for choice, code in zip(choices, codes.tolist(), strict=True)
    ]
    return choices[np.array(keep, dtype=bool)]
