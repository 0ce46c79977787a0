"""Exact re-solves of small all-or-nothing models by listing their feasible funding choices once.

When every indsats is all-or-nothing, an allocation is a choice of which indsatser to fund in which
year, and between robustness draws only the objective changes: the feasible choices stay the same. For
up to MAX_CHOICES yes/no choices, list the feasible ones once, drop those that funding one more
indsats-year also satisfies (no value is negative, so they never win), and each draw's optimum is the
best of the rest: one matrix product instead of a MILP per draw. Ties are broken exactly as the solver's
second stage breaks them (within TIE_TOL of the best value, the most value weighted towards lower ids).
Tests check that it agrees with the solver.
"""

from __future__ import annotations

import numpy as np

from optimizer.model import LinearModel
from optimizer.ties import SPEND_PENALTY, TIE_TOL, id_preference

MAX_CHOICES = 18  # at most 2^18 = 262.144 candidate choices, checked in chunks
CHUNK = 1 << 14
FEASIBILITY_TOL = 1e-7


def applies(model: LinearModel) -> bool:
    """Whether every indsats is all-or-nothing and there are few enough yes/no choices to list."""
    inst = model.instance
    return bool(inst.binary.all()) and 0 < int((inst.cost > 0).sum()) <= MAX_CHOICES


class EnumeratedModel:
    """The undominated feasible funding choices of an all-or-nothing model."""

    def __init__(self, model: LinearModel):
        if not applies(model):
            raise ValueError("enumeration needs an all-or-nothing model with at most MAX_CHOICES choices")
        self.model = model
        inst = model.instance
        self.free = np.flatnonzero((inst.cost > 0).ravel())  # the indsats-years that can be funded at all
        positive = model.objective[model.share_cols] > 0  # n × years
        choices = _feasible_choices(model, self.free)  # choices × free, bool: every feasible choice
        self._undominated = np.flatnonzero(_undominated(choices, positive.ravel()[self.free]))  # while valued stay so
        self._valued = positive.any(axis=1)
        funded = np.zeros((len(choices), inst.n * inst.n_years), dtype=bool)
        funded[:, self.free] = choices
        self.funded = funded.reshape(len(choices), inst.n, inst.n_years)
        self.shares = self.funded.sum(axis=2).astype(float)  # choices × n: funded years
        self.kroner = (self.funded * inst.cost[None, :, :]).sum(axis=2)  # choices × n: kroner over the years
        self._preference = id_preference(model)
        self._idle_cost = (self.funded * (inst.cost / inst.cost.max())[None, :, :]).sum(axis=2)  # choices × n

    @property
    def feasible(self) -> bool:
        return len(self.funded) > 0

    @property
    def undominated(self) -> np.ndarray:
        """Indices of the choices that funding one more valued indsats-year cannot improve."""
        return self._undominated

    def best(self, full_value: np.ndarray) -> np.ndarray:
        """Index of the best choice for each row of values per year at full scale (draws × n).

        Rows in which every indsats the model values keeps some value are decided among the undominated
        choices; a row valuing one of them at 0 among all feasible choices (funding it could then be idle)."""
        if not self.feasible:
            raise ValueError("the model has no feasible funding choice")
        values = np.atleast_2d(full_value)
        best = np.empty(len(values), dtype=int)
        lost = ((values <= 0) & self._valued[None, :]).any(axis=1)
        for rows, candidates in ((~lost, self._undominated), (lost, np.arange(len(self.funded)))):
            if rows.any():
                best[rows] = candidates[self._best_among(values[rows], candidates)]
        return best

    def _best_among(self, values: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        largest = np.abs(values).max(axis=1, keepdims=True)
        scaled = values / np.where(largest > 0, largest, 1.0)  # as the solver sees each draw
        shares = self.shares[candidates]
        scores = scaled @ shares.T
        top = scores.max(axis=1, keepdims=True)
        tied = scores >= top - TIE_TOL * np.maximum(1.0, np.abs(top))
        preferred = (scaled * self._preference[None, :]) @ shares.T
        preferred -= SPEND_PENALTY * (scaled == 0) @ self._idle_cost[candidates].T
        best: np.ndarray = np.where(tied, preferred, -np.inf).argmax(axis=1)
        return best


def _feasible_choices(model: LinearModel, free: np.ndarray) -> np.ndarray:
    """Every yes/no choice over the free indsats-years that satisfies all rows."""
    inst = model.instance
    width = len(free)
    matrix = np.zeros((model.n_rows, model.n_cols))
    matrix[model.row_of, model.row_index] = model.row_value
    lower, upper = model.row_bounds()
    tol_low, tol_high = FEASIBILITY_TOL * (1 + np.abs(lower)), FEASIBILITY_TOL * (1 + np.abs(upper))
    found = []
    for start in range(0, 1 << width, CHUNK):
        codes = np.arange(start, min(1 << width, start + CHUNK), dtype=np.int64)
        bits = ((codes[:, None] >> np.arange(width)) & 1).astype(bool)
        funded = np.zeros((len(bits), inst.n * inst.n_years), dtype=bool)
        funded[:, free] = bits
        columns = _columns(model, funded.reshape(len(bits), inst.n, inst.n_years))
        activity = columns @ matrix.T
        ok = np.all((activity >= lower - tol_low) & (activity <= upper + tol_high), axis=1)
        ok &= np.all(
            (columns >= model.col_lower - FEASIBILITY_TOL) & (columns <= model.col_upper + FEASIBILITY_TOL), axis=1
        )
        found.append(bits[ok])
    return np.concatenate(found) if found else np.zeros((0, width), dtype=bool)


def _columns(model: LinearModel, funded: np.ndarray) -> np.ndarray:
    """Column vectors (choices × columns) of funding choices: the shares (0/1), and set-up starts."""
    columns = np.zeros((len(funded), model.n_cols))
    columns[:, model.share_cols.ravel()] = funded.reshape(len(funded), -1)
    for (i, t), col in model.start_cols.items():
        columns[:, col] = funded[:, i, t] & ~(funded[:, i, t - 1] if t > 0 else False)
    return columns


def _undominated(choices: np.ndarray, valued: np.ndarray) -> np.ndarray:
    """Which choices to keep (a mask): not those for which funding one more indsats-year of some value is
    feasible too (it never wins while no value is negative and the valued keep their value); choices that
    differ only by indsatser of no value are kept for the tie-break."""
    if len(choices) == 0:
        return np.zeros(0, dtype=bool)
    weights = 1 << np.arange(choices.shape[1], dtype=np.int64)
    codes = choices.astype(np.int64) @ weights
    feasible = set(codes.tolist())
    keep = [
        not any(valued[j] and not choice[j] and (code | int(weights[j])) in feasible for j in range(choices.shape[1]))
        for choice, code in zip(choices, codes.tolist(), strict=True)
    ]
    return np.array(keep, dtype=bool)
