"""Exact answers without the solver where the model's shape allows, equal to the solver's own (ties broken by
id as optimizer/ties.py says):

- an LP where only the budget binds: each year a sort by value per krone (the fractional knapsack); the
  budget's dual is the value per krone of the indsats funded in part;
- an all-or-nothing model: each year a knapsack by dynamic programming over the budget in steps of the
  largest common divisor of the asks (exact: the asks are whole kroner);
- a small all-or-nothing model (at most MAX_ENUMERATED free columns), whatever its rows: every allocation tried;
- an all-or-nothing model whose other rows are caps on the asks of columns no other cap holds (udvalg caps),
  where the knapsack steps aside: the caps kept by the knapsack itself (solve_capped), after reduced-cost fixing
  leaves it few free items.

The sort and the knapsack solve the model with its budget rows only (a row on one column becomes a bound on
it) and then check every other row. The model with fewer rows has at least the full model's optimum, so an
answer satisfying every row is the full model's optimum, and the tie-break over its larger set of optima picks
the same allocation. Where a row is violated (a cap or a `requires` binds), or holds with equality in an LP (its
dual would not be unique), or the LP's budget dual is not unique, they step aside (None) and the solver runs.
The sort and the knapsack take a batch of objectives (draws × columns): robustness solves all its draws at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from optimizer.model import SCALE, LinearModel
from optimizer.ties import FACE_TOL, SPEND_PENALTY, TIE_TOL, id_preference

MAX_DP_CELLS = 2_000_000  # items × budget steps of one knapsack (beyond, the solver is faster)
DP_CHUNK_CELLS = 1 << 17  # draws × budget steps worked on at once (fits a processor's cache)
TIE_WEIGHT = TIE_TOL / 100  # the knapsack maximizes value + this × tie value: equal values are told apart by
# the tie value, and no value difference above 2·10⁻¹¹ of the total is ever outweighed by it
ROW_TOL = 1e-9  # relative: a row this close to a bound holds with equality
CAPPED_CELLS_PER_ITEM = 20_000  # solve_capped's knapsacks and their merge work out at most this many free items ×
# steps per indsats and year (or MAX_DP_CELLS): HiGHS's time on such models grows faster than their size (measured,
# five binding udvalg caps: 5 ms at 60 indsatser, 35 ms at 200, 360 ms at 1.000; 2·10⁷ cells take about 30 ms)
MAX_ENUMERATED = 16  # free binary columns up to which every allocation is tried (2¹⁶: 2-3 ms; from 18 HiGHS is faster)


@dataclass(frozen=True)
class Shape:
    """What the fast paths need of a model: its budget rows, the rows on one column and the rest."""

    budget_rows: np.ndarray  # per year: its budget row
    year_of: np.ndarray  # per column: the year of its budget row (-1: none)
    weight: np.ndarray  # per column: its coefficient in that row (the ask in units of 100.000 kr.)
    bound_rows: np.ndarray  # rows on a single column, read as bounds on it
    bound_cols: np.ndarray
    bound_coefs: np.ndarray
    other_rows: np.ndarray  # rows checked once the budget rows are solved
    preference: np.ndarray  # per column: the id preference of its indsats
    idle: np.ndarray  # per column: its tie value where it has no value (a small cost per krone asked)
    pairs: tuple[tuple[int, int], ...]  # (prerequisite, later) columns of `requires` rows within one year
    pair_rows: np.ndarray  # those rows (the knapsack keeps them itself)


def shape_of(model: LinearModel) -> Shape | None:
    """The model's Shape, or None when a column is not a share of an ask (indicators, set-up starts)."""
    inst = model.instance
    if model.n_cols != model.share_cols.size or inst.n == 0:
        return None
    counts = np.diff(model.row_start)
    budget = np.array([r for r, row in enumerate(model.rows) if row.kind == "budget"], dtype=int)
    year_of, weight = np.full(model.n_cols, -1), np.zeros(model.n_cols)
    for t, r in enumerate(budget):
        entries = slice(model.row_start[r], model.row_start[r + 1])
        year_of[model.row_index[entries]], weight[model.row_index[entries]] = t, model.row_value[entries]
    single = np.flatnonzero(counts == 1)
    single = single[model.row_value[model.row_start[single]] > 0]
    cols = model.row_index[model.row_start[single]]
    if len(np.unique(cols)) < len(cols):
        return None  # two rows on one column: the solver sorts out which one holds
    rest = np.setdiff1d(np.arange(model.n_rows), np.concatenate([budget, single]))
    preference = np.repeat(id_preference(model), inst.n_years).reshape(inst.n, inst.n_years)
    column_preference, idle = np.zeros(model.n_cols), np.zeros(model.n_cols)
    column_preference[model.share_cols] = preference
    idle[model.share_cols] = np.where(inst.cost > 0, -SPEND_PENALTY * inst.cost / max(inst.cost.max(), 1.0), 0.0)
    pairs, pair_rows = _pairs(model, rest, year_of)
    return Shape(budget, year_of, weight, single, cols, model.row_value[model.row_start[single]], rest,
                 column_preference, idle, pairs, pair_rows)  # fmt: skip


def _pairs(model: LinearModel, rows: np.ndarray, year_of: np.ndarray) -> tuple[tuple[tuple[int, int], ...], np.ndarray]:
    """`requires` rows s[later] − s[first] ≤ 0 on two columns of one budget row, each column in one such row at
    most (a later asking only in a year after its prerequisite's last ask is left to the row check)."""
    found, seen = [], set()
    for r in rows:
        entries = slice(model.row_start[r], model.row_start[r + 1])
        cols, coefs = model.row_index[entries], model.row_value[entries]
        if model.rows[r].kind == "requires" and len(cols) == 2 and sorted(coefs) == [-1.0, 1.0]:
            later, first = (int(c) for c in (cols if coefs[0] > 0 else cols[::-1]))
            same_year = year_of[later] == year_of[first] >= 0
            if same_year and later not in seen and first not in seen and model.row_upper[r] == 0:
                found.append((r, first, later))
                seen |= {later, first}
    return tuple((first, later) for _, first, later in found), np.array([r for r, _, _ in found], dtype=int)


@dataclass(frozen=True)
class Bounds:
    """The current column and row bounds (as the compiled model holds them)."""

    col_lower: np.ndarray
    col_upper: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray


def solve_many(model: LinearModel, objectives: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Each row of `objectives` (value per column; one row per draw) solved at the model's own bounds by the
    fast path its shape allows: the column values per draw and a mask of the draws answered (elsewhere a row
    binds); None where no fast path fits the model."""
    shape = shape_of(model)
    if shape is None or (model.integer.any() and not model.integer.all()):
        return None
    row_lower, row_upper = model.row_bounds()
    bounds = Bounds(model.col_lower, model.col_upper, row_lower, row_upper)
    largest = np.abs(objectives).max(axis=1, keepdims=True)
    scaled = objectives / np.where(largest > 0, largest, 1.0)  # each draw as the solver would see it
    if model.integer.all():
        return solve_knapsack(model, shape, scaled, bounds)
    return _lp_draws(model, shape, scaled, bounds)


def _lp_draws(
    model: LinearModel, shape: Shape, objective: np.ndarray, bounds: Bounds
) -> tuple[np.ndarray, np.ndarray] | None:
    """Each draw's LP optimum (the shares only) by sorting, with the mask of the draws answered. A `requires`
    pair within a year is one indsats funded at one share where the later is worth more per krone than its
    prerequisite (then the pair's money is best spent on both together), else two, the prerequisite first. None
    (the solver answers) where a pair's bounds differ, its prerequisite is held above 0 or its later is (a lock:
    the prerequisite must then rise to it, which the sort does not do)."""
    folded = _folded(shape, bounds)
    if folded is None or (objective < 0).any() or not _only_budget_columns(shape, *folded):
        return None
    lower, upper = folded
    values, answered = np.tile(lower, (len(objective), 1)), np.ones(len(objective), dtype=bool)
    for t, r in enumerate(shape.budget_rows):
        cols = np.flatnonzero(shape.year_of == t)
        position = {int(c): k for k, c in enumerate(cols)}
        pairs = [(position[f], position[later]) for f, later in shape.pairs if f in position and later in position]
        firsts, laters = np.array([f for f, _ in pairs], dtype=int), np.array([la for _, la in pairs], dtype=int)
        low, high = lower[cols], upper[cols]
        if math.isfinite(bounds.row_lower[r]) or (low[firsts] != 0).any() or (low[laters] != 0).any():
            return None
        if (high[firsts] != high[laters]).any():
            return None
        value, weight = objective[:, cols].copy(), shape.weight[cols]
        together = value[:, firsts] / weight[firsts] < value[:, laters] / weight[laters]
        both = np.where(together, value[:, firsts] + value[:, laters], 0.0)
        value[:, firsts], value[:, laters] = (
            np.where(together, 0.0, value[:, firsts]),
            np.where(together, 0.0, value[:, laters]),
        )
        preference = shape.preference[cols]
        filled = _fill(np.hstack([value, both]), np.concatenate([weight, weight[firsts] + weight[laters]]),
                       np.concatenate([low, low[laters]]), np.concatenate([high, high[firsts]]), bounds.row_upper[r],
                       np.concatenate([preference, (preference[firsts] + preference[laters]) / 2]))  # fmt: skip
        if filled is None:
            return None
        shares, _, _, face = filled
        paired = shares[:, len(cols) :]
        shares = shares[:, : len(cols)]
        shares[:, firsts] += paired
        shares[:, laters] += paired
        values[:, cols] = shares
        in_pair = face[:, len(cols) :].any(axis=1) | face[:, firsts].any(axis=1) | face[:, laters].any(axis=1)
        answered &= ~(in_pair & (face.sum(axis=1) > 1))  # a pair tied with another indsats: the solver decides
    return values, answered & _rows_hold(model, shape, values, bounds, strictly=False, handled=shape.pair_rows)


def solve_lp(
    model: LinearModel, shape: Shape, objective: np.ndarray, bounds: Bounds, *, strictly: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The LP's optimum for each row of `objective` (scaled, draws × columns) by sorting, with each draw's row
    duals (scaled; NaN where not unique) and whether every other row holds (strictly: and none with equality,
    so that the duals are the solver's); None where the sort does not give the model's answer."""
    folded = _folded(shape, bounds)
    if folded is None or (objective < 0).any():
        return None
    lower, upper = folded
    draws = len(objective)
    values, duals, exact = np.tile(lower, (draws, 1)), np.zeros((draws, model.n_rows)), np.ones(draws, bool)
    for t, r in enumerate(shape.budget_rows):
        cols = np.flatnonzero(shape.year_of == t)
        if math.isfinite(bounds.row_lower[r]):
            return None
        filled = _fill(objective[:, cols], shape.weight[cols], lower[cols], upper[cols], bounds.row_upper[r],
                       shape.preference[cols])  # fmt: skip
        if filled is None:
            return None
        values[:, cols], duals[:, r], unique, _ = filled
        exact &= unique
    if not _only_budget_columns(shape, lower, upper):
        return None
    slack = _rows_hold(model, shape, values, bounds, strictly=strictly)
    duals[:, shape.bound_rows] = _bound_duals(shape, objective, duals, values, bounds, lower, upper)
    exact &= ~np.isnan(duals).any(axis=1)
    return values, np.where(exact[:, None], duals, np.nan), slack


def _fill(value: np.ndarray, weight: np.ndarray, low: np.ndarray, high: np.ndarray, budget: float,
          preference: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:  # fmt: skip
    """One year's fractional knapsack for each draw: (shares, the budget's dual, whether the dual is unique, the
    items on the optimal face)."""
    if (weight <= 0).any():
        return None
    room = budget - weight @ low
    if room < -ROW_TOL * max(1.0, abs(budget)):
        return None  # infeasible: the solver says so, with its conflict
    if not weight.size:  # a year nothing is asked in: its budget is slack
        none = np.zeros((len(value), 0))
        unique = np.full(len(value), room > ROW_TOL * max(1.0, abs(budget)))
        return none, np.zeros(len(value)), unique, none.astype(bool)
    draws = np.arange(len(value))[:, None]
    capacity = (high - low) * weight
    ratio = value / weight
    order = np.argsort(-ratio, axis=1, kind="stable")
    wanted = np.where(value > 0, capacity, 0.0)
    cumulative = np.cumsum(wanted[draws, order], axis=1)
    binding = cumulative[:, -1] > room
    marginal = (cumulative > room).argmax(axis=1)
    dual = np.where(binding, ratio[draws[:, 0], order[draws[:, 0], marginal]], 0.0)
    reduced = value - dual[:, None] * weight
    above = reduced > FACE_TOL
    face = (np.abs(reduced) <= FACE_TOL) & (value > 0)
    left = room - np.where(above, capacity, 0.0).sum(axis=1)
    by_id = np.argsort(-preference, kind="stable")  # on the face, lower ids first (more id-weighted value)
    face_capacity = np.where(face, capacity, 0.0)[:, by_id]
    before = np.cumsum(face_capacity, axis=1) - face_capacity
    spent = np.zeros_like(value)
    spent[:, by_id] = np.clip(left[:, None] - before, 0.0, face_capacity)
    shares = np.where(above, high, low) + spent / weight
    tol = ROW_TOL * np.maximum(1.0, np.abs(high))
    partial = face & (shares > low + tol) & (shares < high - tol)
    unique = np.where(binding, partial.any(axis=1), left > ROW_TOL * max(1.0, abs(budget)))
    return shares, dual, unique, face


def solve_knapsack(
    model: LinearModel, shape: Shape, objective: np.ndarray, bounds: Bounds
) -> tuple[np.ndarray, np.ndarray] | None:
    """An all-or-nothing model's optimum for each row of `objective` (scaled), tie-break included, by dynamic
    programming over each year's budget (a `requires` pair within a year is one choice of three: neither, the
    prerequisite, both); with a mask of the draws whose answer satisfies every row. None where the asks have no
    common step small enough."""
    folded = _folded(shape, bounds)
    if folded is None or (objective < 0).any() or not _only_budget_columns(shape, *folded):
        return None
    lower, upper = folded
    lower, upper = np.ceil(lower - 1e-9), np.floor(upper + 1e-9)
    if (lower > upper).any() or (upper > 1).any():
        return None
    values = np.tile(lower, (len(objective), 1))
    tie = np.where(objective == 0, shape.idle, objective * shape.preference)  # as ties.tie_objective, per draw
    paired = {later: first for first, later in shape.pairs}
    for t, r in enumerate(shape.budget_rows):
        in_year = shape.year_of == t
        room = (bounds.row_upper[r] - shape.weight[in_year] @ lower[in_year]) * SCALE
        cols = np.flatnonzero(in_year & (upper > lower))
        if math.isfinite(bounds.row_lower[r]) or room < -ROW_TOL * SCALE:
            return None  # infeasible: the solver says so, with its conflict
        if cols.size == 0:
            continue
        stepped = _common_step(shape.weight[cols], room)
        if stepped is None:
            return None
        whole, step = stepped
        steps = math.floor(room / step + 1e-9)
        if len(cols) * (steps + 1) > MAX_DP_CELLS:
            return None
        sizes = (whole // step).astype(np.int64)
        values[:, cols] = _knapsack(objective[:, cols], tie[:, cols], sizes, steps, _choices(cols, paired))
    free = upper > lower
    kept = [free[first] and free[later] for first, later in shape.pairs]  # a pair with a column held is checked
    return values, _rows_hold(model, shape, values, bounds, strictly=False, handled=shape.pair_rows[kept])


def _common_step(weight: np.ndarray, room: float) -> tuple[np.ndarray, int] | None:
    """The asks (budget coefficients) in whole kroner and their largest common divisor; None unless every ask
    is a positive whole number of kroner and `room` (kroner) is fewer than MAX_DP_CELLS such steps."""
    kroner = weight * SCALE
    whole = np.round(kroner)
    if not (np.allclose(kroner, whole, rtol=0, atol=1e-6) and (whole > 0).all()):
        return None
    step = int(np.gcd.reduce(whole.astype(np.int64)))
    return (whole, step) if 0 <= room / step < MAX_DP_CELLS else None  # else too fine a step


def _choices(cols: np.ndarray, paired: dict[int, int]) -> list[tuple[tuple[int, ...], ...]]:
    """The knapsack's choices over these columns (by position): each column alone, except that a column
    requiring another free one comes only with it."""
    position = {int(c): k for k, c in enumerate(cols)}
    firsts = {position[paired[c]]: position[c] for c in position if c in paired and paired[c] in position}
    laters = set(firsts.values())
    return [((k,), (k, firsts[k])) if k in firsts else ((k,),) for k in range(len(cols)) if k not in laters]


def _knapsack(value: np.ndarray, tie: np.ndarray, sizes: np.ndarray, steps: int,
              choices: list[tuple[tuple[int, ...], ...]]) -> np.ndarray:  # fmt: skip
    """0/1 knapsack for each draw, maximizing value + TIE_WEIGHT × tie value within `steps`: the most value, and
    among equal values the most tie value. `choices` lists, per group, its options (sets of items); a group
    takes at most one. Returns the chosen items (draws × items)."""
    draws, items = value.shape
    key = value + TIE_WEIGHT * tie
    chosen = np.zeros((draws, items), dtype=bool)
    chunk = max(1, DP_CHUNK_CELLS // (steps + 1))
    options = [[(list(option), int(sizes[list(option)].sum())) for option in group] for group in choices]
    with_buffer = np.empty((min(chunk, draws), steps + 1))  # reused: a fresh array per item costs its page faults
    better_buffer = np.empty((min(chunk, draws), steps + 1), dtype=bool)
    for start in range(0, draws, chunk):
        part = key[start : start + chunk]
        best = np.zeros((len(part), steps + 1))
        taken = np.zeros((len(options), len(part), steps + 1), dtype=np.int8)  # the option taken, 0: none
        for g, group in enumerate(options):
            before = best.copy() if len(group) > 1 else best
            for o, (members, size) in enumerate(group, start=1):
                if size > steps:
                    continue
                width = steps + 1 - size
                with_it = np.add(before[:, :width], part[:, members].sum(axis=1, keepdims=True),
                                 out=with_buffer[: len(part), :width])  # fmt: skip
                better = np.greater(with_it, best[:, size:], out=better_buffer[: len(part), :width])
                np.copyto(taken[g, :, size:], o, where=better)
                np.copyto(best[:, size:], with_it, where=better)
        room = np.full(len(part), steps)
        rows = np.arange(len(part))
        for g in range(len(options) - 1, -1, -1):
            option = taken[g, rows, room]
            for o, (members, size) in enumerate(options[g], start=1):
                picked = option == o
                chosen[start : start + chunk][np.ix_(picked, members)] = True
                room = room - np.where(picked, size, 0)
    return chosen.astype(float)


def _folded(shape: Shape, bounds: Bounds) -> tuple[np.ndarray, np.ndarray] | None:
    """Column bounds with the rows on one column folded in; None if they contradict."""
    lower, upper = bounds.col_lower.copy(), bounds.col_upper.copy()
    cols, coefs = shape.bound_cols, shape.bound_coefs
    lower[cols] = np.maximum(lower[cols], bounds.row_lower[shape.bound_rows] / coefs)
    upper[cols] = np.minimum(upper[cols], bounds.row_upper[shape.bound_rows] / coefs)
    if (lower > upper + ROW_TOL * np.maximum(1.0, np.abs(upper))).any():
        return None
    return lower, np.maximum(lower, upper)


def _only_budget_columns(shape: Shape, lower: np.ndarray, upper: np.ndarray) -> bool:
    """Every column that may move lies in a budget row (so the budget limits it)."""
    return bool(((shape.year_of >= 0) | (upper <= lower)).all())


def _rows_hold(model: LinearModel, shape: Shape, values: np.ndarray, bounds: Bounds, *, strictly: bool,
               handled: np.ndarray | None = None) -> np.ndarray:  # fmt: skip
    """Per draw: whether every other row holds (strictly: and none with equality); `handled` rows need no check."""
    rows = shape.other_rows if handled is None else np.setdiff1d(shape.other_rows, handled)
    if rows.size == 0:
        return np.ones(len(values), dtype=bool)
    if len(values) == 1:
        activity = model.activity(values[0])[rows][None, :]
    else:  # many draws of a small model: one matrix product
        matrix = np.zeros((rows.size, model.n_cols))
        for k, r in enumerate(rows):
            entries = slice(model.row_start[r], model.row_start[r + 1])
            matrix[k, model.row_index[entries]] = model.row_value[entries]
        activity = values @ matrix.T
    low, high = bounds.row_lower[rows], bounds.row_upper[rows]
    tol = ROW_TOL * np.maximum(1.0, np.maximum(np.abs(np.nan_to_num(low, posinf=0, neginf=0)),
                                                np.abs(np.nan_to_num(high, posinf=0, neginf=0))))  # fmt: skip
    if strictly:
        inside = (activity > low + tol) & (activity < high - tol)
    else:
        inside = (activity >= low - tol) & (activity <= high + tol)
    holds: np.ndarray = inside.all(axis=1)
    return holds


def _bound_duals(shape: Shape, objective: np.ndarray, duals: np.ndarray, values: np.ndarray, bounds: Bounds,
                 lower: np.ndarray, upper: np.ndarray) -> np.ndarray:  # fmt: skip
    """The duals of the rows on one column: the column's reduced cost per unit of the row where the row is the
    bound that holds it, 0 where the column is not held by it; NaN where its own bound holds it too."""
    cols, coefs = shape.bound_cols, shape.bound_coefs
    budget_dual = np.zeros_like(objective)
    moving = shape.year_of >= 0
    budget_dual[:, moving] = duals[:, shape.budget_rows[shape.year_of[moving]]]
    reduced = (objective - budget_dual * shape.weight)[:, cols]
    x = values[:, cols]
    row_low, row_high = bounds.row_lower[shape.bound_rows] / coefs, bounds.row_upper[shape.bound_rows] / coefs
    tol = ROW_TOL * np.maximum(1.0, np.abs(x))
    held_high = (reduced > FACE_TOL) & (np.abs(x - row_high) <= tol)
    held_low = (reduced < -FACE_TOL) & (np.abs(x - row_low) <= tol)
    own = (held_high & (np.abs(bounds.col_upper[cols] - row_high) <= tol)) | (
        held_low & (np.abs(bounds.col_lower[cols] - row_low) <= tol)
    )
    result = np.where(held_high | held_low, reduced / coefs, 0.0)
    return np.where(own, np.nan, result)


def solve_enumerated(model: LinearModel, objective: np.ndarray, tie: np.ndarray, bounds: Bounds) -> np.ndarray | None:
    """A small all-or-nothing model's optimum with the solver's tie-break, by trying every allocation of its free
    columns against every row: the most value (`objective`, scaled); among the allocations within TIE_TOL of it,
    the most `tie` value (ties.tie_objective), as the solver's second stage. None where a column is not binary,
    more than MAX_ENUMERATED are free, no allocation is feasible (the solver says so, with its conflict) or the
    best two are tied in tie value too (then the solver's choice is its own)."""
    lower, upper = np.ceil(bounds.col_lower - 1e-9), np.floor(bounds.col_upper + 1e-9)
    if not model.integer.all() or (lower > upper).any() or (lower < 0).any() or (upper > 1).any():
        return None
    free = np.flatnonzero(upper > lower)
    if free.size > MAX_ENUMERATED:
        return None
    position = np.full(model.n_cols, -1)
    position[free] = np.arange(free.size)
    on_free = position[model.row_index] >= 0
    matrix = np.zeros((model.n_rows, free.size))  # the rows over the free columns only
    np.add.at(matrix, (model.row_of[on_free], position[model.row_index[on_free]]), model.row_value[on_free])
    low, high = bounds.row_lower, bounds.row_upper
    limited = np.isfinite(low) | np.isfinite(high)
    slack = ROW_TOL * np.maximum(1.0, np.maximum(np.abs(np.nan_to_num(low, posinf=0, neginf=0)),
                                                 np.abs(np.nan_to_num(high, posinf=0, neginf=0))))  # fmt: skip
    held = model.activity(lower)
    low, high = (low - held - slack)[limited], (high - held + slack)[limited]
    matrix = matrix[limited]
    half = free.size // 2
    terms = np.vstack([objective[free], tie[free], matrix])
    first, second = _subset_sums(terms[:, :half]), _subset_sums(terms[:, half:])
    value = first[:, 0, None] + second[None, :, 0]  # allocations: one subset of each half of the free columns
    feasible = np.ones(value.shape, dtype=bool)
    for k in range(len(matrix)):
        activity = first[:, 2 + k, None] + second[None, :, 2 + k]
        feasible &= (activity >= low[k]) & (activity <= high[k])
    if not feasible.any():
        return None
    best = float(value[feasible].max())
    near = feasible & (value >= best - TIE_TOL * max(1.0, abs(best)))
    tied = np.where(near, first[:, 1, None] + second[None, :, 1], -np.inf).ravel()
    top = np.argpartition(tied, -2)[-2:] if tied.size > 1 else np.array([0])
    top = top[np.argsort(tied[top])]
    if top.size > 1 and tied[top[0]] >= tied[top[1]] - TIE_TOL * max(1.0, abs(tied[top[1]])):
        return None
    left, right = divmod(int(top[-1]), len(second))
    values = lower.copy()
    values[free[:half]] = (left >> np.arange(half)) & 1
    values[free[half:]] = (right >> np.arange(free.size - half)) & 1
    return values


def _subset_sums(terms: np.ndarray) -> np.ndarray:
    """Each subset's sums of the columns of `terms`: row b of the result sums the columns whose bit is set in b."""
    sums = np.zeros((1, len(terms)))
    for column in terms.T:
        sums = np.vstack([sums, sums + column])
    return sums


def solve_capped(model: LinearModel, shape: Shape, objective: np.ndarray, bounds: Bounds) -> np.ndarray | None:
    """An all-or-nothing model's optimum (one scaled objective), tie-break included, where every row besides the
    budget's and bounds is an upper cap on the asks of its own columns and no column is in two caps (udvalg
    caps): per year a knapsack over the budget with each capped group's own knapsack under its cap merged in
    (_capped_knapsack). None where a row is of another kind, the asks have no common step or the knapsack would
    be too large (the solver answers)."""
    folded = _folded(shape, bounds)
    if folded is None or (objective < 0).any() or not _only_budget_columns(shape, *folded):
        return None
    lower, upper = np.ceil(folded[0] - 1e-9), np.floor(folded[1] + 1e-9)
    if (lower > upper).any() or (lower < 0).any() or (upper > 1).any():
        return None
    cap_of = _cap_of(model, shape, bounds)
    if cap_of is None:
        return None
    key = objective + TIE_WEIGHT * np.where(objective == 0, shape.idle, objective * shape.preference)
    values, held = lower.copy(), model.activity(lower)
    for t, r in enumerate(shape.budget_rows):
        in_year = shape.year_of == t
        cols = np.flatnonzero(in_year & (upper > lower))
        caps = np.unique(cap_of[in_year & (cap_of >= 0)])
        if math.isfinite(bounds.row_lower[r]) or (shape.year_of[np.isin(cap_of, caps)] != t).any():
            return None  # a floor on the budget, or a cap over two years
        rows = np.concatenate([[r], caps]).astype(int)
        left = bounds.row_upper[rows] - held[rows]
        if (left < -ROW_TOL * np.maximum(1.0, np.abs(bounds.row_upper[rows]))).any():
            return None  # the columns held already break a row: the solver says so, with its conflict
        if cols.size == 0:
            continue
        stepped = _common_step(shape.weight[cols], left.max() * SCALE)
        if stepped is None:
            return None
        whole, step = stepped
        steps = np.floor(np.maximum(left * SCALE / step, 0.0) + 1e-9).astype(np.int64)
        group = np.where(cap_of[cols] >= 0, np.searchsorted(caps, cap_of[cols]), -1)
        chosen = _capped_knapsack(key[cols], (whole // step).astype(np.int64), group, steps[1:], int(steps[0]))
        if chosen is None:
            return None
        values[cols] = chosen
    return values


def _cap_of(model: LinearModel, shape: Shape, bounds: Bounds) -> np.ndarray | None:
    """Per column: the other row that caps it (-1: none); None unless every other row is a cap Σ ask·x ≤ limit
    (coefficients the columns' budget coefficients, no lower limit) and no column is in two."""
    cap_of = np.full(model.n_cols, -1)
    for r in shape.other_rows:
        entries = slice(model.row_start[r], model.row_start[r + 1])
        cols, coefs = model.row_index[entries], model.row_value[entries]
        if math.isfinite(bounds.row_lower[r]) or not math.isfinite(bounds.row_upper[r]) or (cap_of[cols] >= 0).any():
            return None
        if cols.size == 0 and bounds.row_upper[r] < 0:
            return None  # a row on nothing that cannot hold: the solver says so
        if (shape.year_of[cols] < 0).any() or not np.allclose(coefs, shape.weight[cols], rtol=1e-12, atol=0):
            return None
        cap_of[cols] = r
    return cap_of


def _capped_knapsack(key: np.ndarray, size: np.ndarray, group: np.ndarray, caps: np.ndarray,
                     budget: int) -> np.ndarray | None:  # fmt: skip
    """0/1 knapsack maximizing `key` within `budget` steps where the items of group g (≥ 0) together take at most
    caps[g] steps; None where it would be too large. Exact by reduced-cost fixing: the LP relaxation's prices
    (_prices) bound every allocation's key by `bound` less the reduced costs it goes against, and a greedy
    allocation's key is reached, so an item whose reduced cost exceeds their gap keeps its LP side in the
    optimum. Over the free items: each group's knapsack under its cap, whose best keys per weight (its Pareto
    points) are merged group by group, then with the knapsack of the free uncapped items over the budget left."""
    caps, limit = np.minimum(caps, budget), max(MAX_DP_CELLS, CAPPED_CELLS_PER_ITEM * key.size)
    reduced, bound = _prices(key, size, group, caps, budget)
    floor = float(key @ _greedy(key, size, group, caps, budget))
    fixed = np.abs(reduced) > bound - floor + ROW_TOL * max(1.0, abs(bound))
    inside = fixed & (reduced > 0)
    budget -= int(size[inside].sum())
    caps = caps - np.bincount(group[inside & (group >= 0)], weights=size[inside & (group >= 0)], minlength=caps.size)
    free_asks = np.bincount(group[~fixed & (group >= 0)], weights=size[~fixed & (group >= 0)], minlength=caps.size)
    caps = np.minimum(np.minimum(caps, budget), free_asks).astype(np.int64)  # (above what its free items ask: alike)
    uncapped = np.flatnonzero(~fixed & (group < 0))
    groups = [np.flatnonzero(~fixed & (group == g)) for g in range(caps.size)]
    cells = uncapped.size * (budget + 1) + sum(items.size * (int(caps[g]) + 1) for g, items in enumerate(groups))
    if budget < 0 or (caps < 0).any() or cells > limit:
        return None  # (the greedy allocation keeps every fixing, so the first cannot happen)
    tables = [_best_per_weight(key[items], size[items], int(caps[g])) for g, items in enumerate(groups)]
    points = sum(int((np.diff(own, prepend=-np.inf) > 0).sum()) for own, _ in tables)
    if points * (min(int(caps.sum()), budget) + 1) > limit:
        return None  # the groups' merge would be too large
    chosen: np.ndarray = inside.copy()
    best, picks = np.zeros(1), []  # the groups' best keys per total weight, and per group the weight it takes
    for own, _ in tables:
        merged, weight = _merged(best, own, budget)
        picks.append((weight, best.size))
        best = merged
    rest, taken = _best_per_weight(key[uncapped], size[uncapped], budget, budget - (best.size - 1))
    spent = np.arange(best.size)
    total = int(np.argmax(best + rest[budget - spent]))  # the steps the groups take together
    chosen[uncapped] = _traced(taken, size[uncapped], budget - total)
    for items, (_, own_taken), (weight, before) in zip(groups[::-1], tables[::-1], picks[::-1], strict=True):
        chosen[items] = _traced(own_taken, size[items], int(weight[total]))
        total = min(total - int(weight[total]), before - 1)
    return chosen.astype(float)


def _prices(key: np.ndarray, size: np.ndarray, group: np.ndarray, caps: np.ndarray,
            budget: int) -> tuple[np.ndarray, float]:  # fmt: skip
    """The LP relaxation's price per step of the budget (λ) and of each cap (μ_g), found by sorting, with each
    item's reduced cost (key − (λ + μ_g)·size) and the bound λ·budget + Σ μ_g·caps[g] + Σ max(reduced, 0) on any
    allocation's key. Any prices ≥ 0 give a valid bound; the LP's give the tightest."""
    ratio = key / size
    order = np.argsort(-ratio, kind="stable")
    order = order[key[order] > 0]
    counted = size.astype(float)  # the steps an item takes of the budget in the LP: what its cap leaves it
    breaks = np.zeros(caps.size)  # per group: the ratio of its item cut by its cap (0: the cap leaves all)
    for g in range(caps.size):
        items = order[group[order] == g]
        after = np.cumsum(size[items])
        cut = np.searchsorted(after, caps[g], side="right")
        breaks[g] = ratio[items[cut]] if cut < items.size else 0.0
        counted[items] = np.clip(caps[g] - (after - size[items]), 0, size[items])
    cut = np.searchsorted(np.cumsum(counted[order]), budget, side="right")
    budget_price = float(ratio[order[cut]]) if cut < order.size else 0.0
    cap_price = np.maximum(breaks - budget_price, 0.0)
    reduced = key - (budget_price + np.append(cap_price, 0.0)[group]) * size  # group -1 (no cap): the 0 appended
    return reduced, float(budget_price * budget + cap_price @ caps + np.maximum(reduced, 0.0).sum())


def _greedy(key: np.ndarray, size: np.ndarray, group: np.ndarray, caps: np.ndarray, budget: int) -> np.ndarray:
    """A feasible allocation: the items of positive key by key per step, each that still fits."""
    chosen = np.zeros(key.size, dtype=bool)
    left, cap_left = budget, caps.copy()
    for item in np.argsort(-key / size, kind="stable"):
        g, need = group[item], size[item]
        if key[item] <= 0:
            break
        if need <= left and (g < 0 or need <= cap_left[g]):
            chosen[item], left = True, left - need
            if g >= 0:
                cap_left[g] -= need
    return chosen


def _best_per_weight(key: np.ndarray, size: np.ndarray, steps: int, lowest: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """0/1 knapsack: per number of steps from `lowest` up to `steps` the best key within it, and per item and
    steps whether the item was taken there (for _traced). Equal keys keep the earlier items' choice. After k
    items only the steps up to their total ask can differ (above, the best is the one at that total), and only
    those from `lowest` less the later items' asks can still lead to `lowest`: the rest is not worked out."""
    best = np.zeros(steps + 1)
    taken = np.zeros((key.size, steps + 1), dtype=bool)
    asked = np.cumsum(size)
    lowest = min(lowest, int(asked[-1]) if asked.size else 0)
    buffer, known = np.empty(steps + 1), 0  # best is worked out up to `known` steps
    for item in range(key.size):
        need, top = int(size[item]), min(steps, int(asked[item]))
        if top > known:
            best[known + 1 : top + 1] = best[known]
            known = top
        low = max(need, lowest - int(asked[-1] - asked[item]))
        if low > top:
            continue
        with_it = np.add(best[low - need : top + 1 - need], key[item], out=buffer[: top + 1 - low])
        better = np.greater(with_it, best[low : top + 1], out=taken[item, low : top + 1])
        np.copyto(best[low : top + 1], with_it, where=better)
    best[known + 1 :] = best[known]
    return best, taken


def _traced(taken: np.ndarray, size: np.ndarray, steps: int) -> np.ndarray:
    """The items of _best_per_weight's best choice within `steps`."""
    chosen = np.zeros(len(taken), dtype=bool)
    asked = np.cumsum(size)
    for item in range(len(taken) - 1, -1, -1):
        steps = min(steps, int(asked[item]))  # above the items' total ask, the best is the one at it
        if taken[item, steps]:
            chosen[item], steps = True, steps - int(size[item])
    return chosen


def _merged(best: np.ndarray, own: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """Two best-key-per-weight tables merged (max-plus convolution, up to `limit` steps), with the weight the
    second takes at each total. Only the second's Pareto points (more key than at any fewer steps) are tried."""
    merged = np.full(min(best.size + own.size - 1, limit + 1), -np.inf)
    weight = np.zeros(merged.size, dtype=np.int64)
    within = np.pad(best, (0, merged.size - best.size), mode="edge")  # within more steps: the best within all
    for steps in np.flatnonzero(np.diff(own, prepend=-np.inf) > 0):
        if steps >= merged.size:
            break
        width = merged.size - steps
        with_it = within[:width] + own[steps]
        better = with_it > merged[steps : steps + width]
        np.copyto(merged[steps : steps + width], with_it, where=better)
        np.copyto(weight[steps : steps + width], steps, where=better)
    return merged, weight
