"""Build the linear (or mixed-integer) model from an Instance and the rule constraints, well scaled.

Variables, for indsats i and year t:
  s[i,t]  the funded share of i's ask in year t: 0 ≤ s ≤ high_i (0 in a year it asks for nothing);
          binary for an all-or-nothing indsats (funded at its full ask or not at all)
  z[i,t]  binary "funded" indicator where needed: minimum viable funding (low·z ≤ s ≤ high·z) and
          mutual exclusion (for an all-or-nothing indsats z is s itself)
  u[i,t]  binary "starts this year", only for indsatser with a set-up cost
Objective: maximize Σ value_i · s[i,t], value_i being i's value per year at full scale.
Rows in kroner are written in units of 100.000 kr. (`SCALE`), so coefficients are asks/100.000 and the
matrix, bounds and costs stay within a few orders of magnitude; results are reported in kroner.

The model is solver-neutral (columns, named rows in compressed form, the objective): highs.py hands it
to HiGHS, pulp_io.py to CBC and to LP/MPS files. Rows flagged `soft` are the user's and the budget's:
those an infeasibility report may relax and whose loosening a result prices.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from optimizer.constraints import Constraint, Continuity, Requires, RowRule, Year
from optimizer.errors import SpecError
from optimizer.formats import format_kr
from optimizer.instance import Instance

SCALE = 100_000.0  # kroner per model unit in rows about kroner
INF = math.inf


@dataclass(frozen=True)
class Row:
    """What one row means: `lower ≤ Σ coef · column ≤ upper`, in `unit` ("kr": units of SCALE kroner;
    "share": funded shares; "count": funded indsatser; "value": value)."""

    name: str
    kind: str
    label: str
    t: int | None
    about: str
    soft: bool
    unit: str
    kr_per_unit: float  # kroner one unit of this row stands for (to weigh a relaxation, and price 100.000 kr.)
    constraint: Constraint | None = None
    pulje_share: float | None = None  # the bound is this share of the pulje (limits given as share=)


@dataclass(frozen=True, eq=False)
class LinearModel:
    """A solver-neutral model: columns, rows (compressed by row) and the objective, to maximize."""

    instance: Instance
    col_lower: np.ndarray
    col_upper: np.ndarray
    integer: np.ndarray
    objective: np.ndarray  # value per column unit (0 for indicator columns)
    share_cols: np.ndarray  # (n, years) -> column of s[i,t]
    indicator_cols: dict[tuple[int, int], int]
    start_cols: dict[tuple[int, int], int]
    rows: tuple[Row, ...]
    row_start: np.ndarray
    row_index: np.ndarray
    row_value: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray

    @property
    def is_mip(self) -> bool:
        return bool(self.integer.any())

    @property
    def n_cols(self) -> int:
        return len(self.col_lower)

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @cached_property
    def col_names(self) -> tuple[str, ...]:
        """Readable column names: s[id] / s[id,2022], z[...], u[...] (made on demand: only files need them)."""
        inst = self.instance
        names = [""] * self.n_cols
        for (i, t), col in np.ndenumerate(self.share_cols):
            names[col] = _label("s", inst.ids[i], inst.years[t])
        for prefix, cols in (("z", self.indicator_cols), ("u", self.start_cols)):
            for (i, t), col in cols.items():
                if not names[col]:
                    names[col] = _label(prefix, inst.ids[i], inst.years[t])
        return tuple(names)

    def kroner(self, values: np.ndarray) -> np.ndarray:
        """n × years: the kroner allocated, from a column vector."""
        kroner: np.ndarray = values[self.share_cols] * self.instance.cost
        return kroner

    def objective_for(self, full_value: np.ndarray) -> np.ndarray:
        """An objective over the columns from a value per year at full scale per indsats (n, or n × years)."""
        value = np.asarray(full_value, dtype=float)
        objective: np.ndarray = self.objectives_for(value[None, :, None] if value.ndim == 1 else value[None])[0]
        return objective

    def objectives_for(self, full_values: np.ndarray) -> np.ndarray:
        """Many objectives at once (robustness's draws): from draws × n (the same value every year) or
        draws × n × years values per year at full scale, one objective over the columns per draw."""
        values = np.asarray(full_values, dtype=float)
        values = values[:, :, None] if values.ndim == 2 else values
        objectives = np.zeros((len(values), self.n_cols))
        objectives[:, self.share_cols] = np.where(self.instance.cost > 0, values, 0.0)
        return objectives

    def row_bounds(self, pulje: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The rows' bounds; for another pulje per year, the budget rows and limits given as a share of the
        pulje move with it."""
        lower, upper = self.row_lower.copy(), self.row_upper.copy()
        if pulje is None:
            return lower, upper
        fixed = self.instance.fixed
        for r, row in enumerate(self.rows):
            if row.kind == "budget":
                upper[r] = (pulje[row.t] - fixed[row.t]) / SCALE
            elif row.pulje_share is not None:
                bound = row.pulje_share * pulje[row.t] / SCALE
                lower[r], upper[r] = (bound, upper[r]) if np.isfinite(lower[r]) else (lower[r], bound)
        return lower, upper

    def activity(self, values: np.ndarray) -> np.ndarray:
        """Σ coef · value for every row."""
        return np.bincount(self.row_of, weights=self.row_value * values[self.row_index], minlength=self.n_rows)

    @cached_property
    def row_of(self) -> np.ndarray:
        """The row of each matrix entry."""
        return np.repeat(np.arange(self.n_rows), np.diff(self.row_start))

    def column_matrix(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The constraint matrix in compressed-column form (start, index, value), as HiGHS takes it."""
        order = np.lexsort((self.row_of, self.row_index))
        counts = np.bincount(self.row_index, minlength=self.n_cols)
        start = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
        return start, self.row_of[order].astype(np.int32), self.row_value[order]

    def row_number(self, name: str) -> int:
        """The position of the row with this name."""
        try:
            return self._row_numbers[name]
        except KeyError:
            raise SpecError(f"the model has no row {name!r}") from None

    @cached_property
    def _row_numbers(self) -> dict[str, int]:
        return {row.name: r for r, row in enumerate(self.rows)}


def _label(kind: str, label: str, year: Year) -> str:
    return f"{kind}[{label}]" if year is None else f"{kind}[{label},{year}]"


@dataclass
class ModelBuilder:
    """Collects columns and rows; the rule constraints call it through `compile`."""

    inst: Instance
    lower: list[np.ndarray] = field(default_factory=list)
    upper: list[np.ndarray] = field(default_factory=list)
    integer: list[np.ndarray] = field(default_factory=list)
    n_cols: int = 0
    rows: list[Row] = field(default_factory=list)
    row_cols: list[np.ndarray] = field(default_factory=list)
    row_coefs: list[np.ndarray] = field(default_factory=list)
    row_lower: list[float] = field(default_factory=list)
    row_upper: list[float] = field(default_factory=list)
    indicators: dict[tuple[int, int], int] = field(default_factory=dict)
    starts: dict[tuple[int, int], int] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)
    soft: bool = True  # rows from the catalog's own figures (its requires column) are not the user's to relax

    def __post_init__(self) -> None:
        inst = self.inst
        asks = inst.cost > 0
        high = np.where(asks, inst.high[:, None], 0.0)
        self.share_cols = self._add_cols(np.zeros(high.size), high.ravel(), np.repeat(inst.binary, inst.n_years))
        self.share_cols = self.share_cols.reshape(inst.n, inst.n_years)
        semi = np.flatnonzero(~inst.binary & (inst.low > 0))
        for i in semi:
            for t in range(inst.n_years):
                self.indicator(int(i), t)

    # -- queries for the constraint classes --
    @property
    def n(self) -> int:
        return self.inst.n

    @property
    def n_years(self) -> int:
        return self.inst.n_years

    def index_of(self, indsats_id: str) -> int:
        return self.inst.index_of(indsats_id)

    def pulje(self, t: int) -> float:
        return float(self.inst.pulje[t])

    def years_of(self, year: Year) -> list[int]:
        return self.inst.year_indices(year)

    def udvalg_members(self, udvalg: str) -> tuple[np.ndarray, np.ndarray]:
        column = self.inst.split[:, self.inst.udvalg_keys.index(udvalg)]
        members = np.flatnonzero(column > 0)
        return members, column[members]

    def goal_members(self, goal: str) -> tuple[np.ndarray, np.ndarray]:
        members = np.flatnonzero(self.inst.member[:, self.inst.goal_keys.index(goal)] > 0)
        return members, np.ones(len(members))

    # -- rows --
    def kroner_row(
        self,
        constraint: Constraint | None,
        label: str,
        t: int,
        members: tuple[np.ndarray, np.ndarray] | dict[int, float],
        *,
        lower: float = -INF,
        upper: float = INF,
        about: str,
        pulje_share: float | None = None,
        kind: str | None = None,
        extra: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        """Σ weight_i · x[i,t] between lower and upper kroner, written in units of SCALE kroner."""
        if isinstance(members, dict):
            members = (np.array(list(members), dtype=int), np.array(list(members.values()), dtype=float))
        index, weight = members
        cost = self.inst.cost[index, t]
        keep = cost > 0
        cols = self.share_cols[index[keep], t]
        coefs = weight[keep] * cost[keep] / SCALE
        if extra is not None:
            cols, coefs = np.concatenate([cols, extra[0]]), np.concatenate([coefs, extra[1] / SCALE])
        if not kind:
            assert constraint is not None, "a row without a constraint (the budget) names its kind"
            kind = constraint.kind
        self._row(
            Row(self._name(kind, label, t), kind, label, t, about, True, "kr", SCALE, constraint, pulje_share),
            cols, coefs, lower / SCALE, upper / SCALE,
        )  # fmt: skip

    def continuity_row(self, constraint: Continuity, i: int, t: int) -> None:
        """s[i,t] ≥ share · s[i,t-1], where i asks for something in both years."""
        cost = self.inst.cost
        if cost[i, t] <= 0 or cost[i, t - 1] <= 0:
            return
        share = float(constraint.share)
        indsats_id = self.inst.ids[i]
        self._row(
            Row(self._name("continuity", indsats_id, t), "continuity", indsats_id, t,
                f"{indsats_id} keeps at least {share:.0%} of last year's share of its ask", True, "share",
                float(cost[i, t]), constraint),
            np.array([self.share_cols[i, t], self.share_cols[i, t - 1]]), np.array([1.0, -share]), 0.0, INF,
        )  # fmt: skip

    def requires_row(self, constraint: RowRule, later: int, first: int, t: int) -> None:
        """s[later,t] ≤ Σ_{u≤t} s[first,u]: funded only as far as the prerequisite is, so far."""
        cost = self.inst.cost
        if cost[later, t] <= 0:
            return
        earlier = [u for u in range(t + 1) if cost[first, u] > 0]
        ids = self.inst.ids
        label = f"{ids[later]}<-{ids[first]}"
        self._row(
            Row(self._name("requires", label, t), "requires", label, t,
                f"{ids[later]} only as far as {ids[first]} is funded", True, "share", float(cost[later, t]),
                constraint),
            np.array([self.share_cols[later, t], *self.share_cols[first, earlier]]),
            np.array([1.0, *[-1.0] * len(earlier)]), -INF, 0.0,
        )  # fmt: skip

    def exclusive_row(self, constraint: RowRule, indices: list[int], t: int) -> None:
        """Σ funded[i,t] ≤ 1."""
        ids = [self.inst.ids[i] for i in indices]
        label = "|".join(ids)
        cost = float(max(self.inst.cost[i, t] for i in indices))
        cols = np.array([self.indicator(i, t) for i in indices])
        self._row(
            Row(self._name("exclusive", label, t), "exclusive", label, t, f"at most one of {', '.join(ids)} funded",
                True, "count", cost, constraint),
            cols, np.ones(len(cols)), -INF, 1.0,
        )  # fmt: skip

    def goal_value(self, goal: str) -> np.ndarray:
        """Per column: the value credited to `goal` per unit (0 outside its indsatser's shares)."""
        value = np.zeros(self.n_cols)
        by_goal = self.inst.value_by_goal()[:, self.inst.goal_keys.index(goal)]
        value[self.share_cols] = np.where(self.inst.cost > 0, by_goal[:, None], 0.0)
        return value

    def value_row(self, constraint: RowRule, label: str, value: np.ndarray, lower: float) -> None:
        """Σ value · s ≥ lower over the plan, in value units (e.g. a goal's value, for the frontier)."""
        cols = np.flatnonzero(value)
        t = None
        self._row(
            Row(self._name(constraint.kind, label, t), constraint.kind, label, t,
                f"value credited to {label} at least {lower:g}", True, "value", math.nan, constraint),
            cols, value[cols], lower, INF,
        )  # fmt: skip

    def indicator(self, i: int, t: int) -> int:
        """The binary "funded" column of indsats i in year t (s itself when i is all-or-nothing)."""
        if self.inst.binary[i]:
            return int(self.share_cols[i, t])
        key = (i, t)
        if key not in self.indicators:
            inst = self.inst
            z = int(self._add_cols(np.zeros(1), np.ones(1), np.ones(1, dtype=bool))[0])
            self.indicators[key] = z
            s = int(self.share_cols[i, t])
            high = inst.high[i] if inst.cost[i, t] > 0 else 0.0
            self._link("funded_max", i, t, np.array([s, z]), np.array([1.0, -high]), -INF, 0.0)
            if inst.low[i] > 0:
                self._link("min_viable", i, t, np.array([s, z]), np.array([1.0, -inst.low[i]]), 0.0, INF)
        return self.indicators[key]

    def build(self, constraints: tuple[Constraint, ...], catalog_rules: tuple[RowRule, ...]) -> LinearModel:
        inst = self.inst
        start_terms = self._setup_columns()
        for t in range(self.n_years):
            cols, setups = start_terms.get(t, (np.zeros(0, dtype=int), np.zeros(0)))
            available = inst.pulje[t] - inst.fixed[t]
            fixed = f" after {format_kr(inst.fixed[t])} in fixed lines" if inst.fixed[t] else ""
            self.kroner_row(
                None, "", t, (np.arange(inst.n), np.ones(inst.n)), upper=available, kind="budget",
                about=f"the pulje of {format_kr(inst.pulje[t])}{fixed}", extra=(cols, setups),
            )  # fmt: skip
        self.soft = False
        for rule in catalog_rules:
            rule.compile(self)
        self.soft = True
        for constraint in constraints:
            if isinstance(constraint, RowRule):
                constraint.compile(self)
        return self._model()

    # -- internals --
    def _name(self, kind: str, label: str, t: int | None) -> str:
        year = None if t is None else self.inst.years[t]
        name = f"{kind}[{label}]" if kind != "budget" else "budget"
        if year is not None:
            name = f"{kind}[{label},{year}]" if kind != "budget" else f"budget[{year}]"
        if name in self.names:
            raise SpecError(f"the constraint {name} is given twice")
        self.names.add(name)
        return name

    def _row(self, row: Row, cols: np.ndarray, coefs: np.ndarray, lower: float, upper: float) -> None:
        if row.soft and not self.soft:
            row = replace(row, soft=False)
        self.rows.append(row)
        self.row_cols.append(np.asarray(cols, dtype=np.int64))
        self.row_coefs.append(np.asarray(coefs, dtype=float))
        self.row_lower.append(lower)
        self.row_upper.append(upper)

    def _link(self, kind: str, i: int, t: int, cols: np.ndarray, coefs: np.ndarray, lower: float, upper: float) -> None:
        name = self._name(kind, self.inst.ids[i], t)
        self._row(Row(name, kind, self.inst.ids[i], t, "model structure", False, "share", math.nan), cols, coefs, lower,
                  upper)  # fmt: skip

    def _add_cols(self, lower: np.ndarray, upper: np.ndarray, integer: np.ndarray) -> np.ndarray:
        first = self.n_cols
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(integer)
        self.n_cols += len(lower)
        return np.arange(first, self.n_cols)

    def _setup_columns(self) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """Binary "starts" columns for indsatser with a set-up cost; their cost enters the budget rows."""
        inst = self.inst
        terms: dict[int, tuple[list[int], list[float]]] = {}
        for i in map(int, np.flatnonzero(inst.setup > 0)):
            for t in range(self.n_years):
                u = int(self._add_cols(np.zeros(1), np.ones(1), np.ones(1, dtype=bool))[0])
                self.starts[(i, t)] = u
                cols, coefs = [u, self.indicator(i, t)], [1.0, -1.0]
                if t > 0:
                    cols.append(self.indicator(i, t - 1))
                    coefs.append(1.0)
                self._link("starts", i, t, np.array(cols), np.array(coefs), 0.0, INF)
                old_cols, old_coefs = terms.get(t, ([], []))
                terms[t] = ([*old_cols, u], [*old_coefs, float(inst.setup[i])])
        return {t: (np.array(c, dtype=int), np.array(v, dtype=float)) for t, (c, v) in terms.items()}

    def _model(self) -> LinearModel:
        inst = self.inst
        lengths = np.array([len(c) for c in self.row_cols], dtype=np.int64)
        objective = np.zeros(self.n_cols)
        value = inst.full_value()
        objective[self.share_cols] = np.where(inst.cost > 0, value[:, None], 0.0)
        return LinearModel(
            instance=inst,
            col_lower=np.concatenate(self.lower),
            col_upper=np.concatenate(self.upper),
            integer=np.concatenate(self.integer),
            objective=objective,
            share_cols=self.share_cols,
            indicator_cols=dict(self.indicators),
            start_cols=dict(self.starts),
            rows=tuple(self.rows),
            row_start=np.concatenate([[0], np.cumsum(lengths)]),
            row_index=np.concatenate(self.row_cols) if self.row_cols else np.zeros(0, dtype=np.int64),
            row_value=np.concatenate(self.row_coefs) if self.row_coefs else np.zeros(0),
            row_lower=np.array(self.row_lower, dtype=float),
            row_upper=np.array(self.row_upper, dtype=float),
        )


def build_model(inst: Instance, constraints: tuple[Constraint, ...]) -> LinearModel:
    """The model for an Instance and the user's constraints (rule constraints become rows; the catalog's
    `requires` column becomes Requires rows)."""
    from_catalog = tuple(Requires(later, first) for later, first in inst.requires)
    return ModelBuilder(inst).build(constraints, from_catalog)
