"""Build the linear (or mixed-integer) model from an Instance and the rule constraints.

The model is kept solver-neutral: columns with bounds and integrality, named rows with sparse
coefficients, and the objective. solve.py hands it to PuLP (HiGHS or CBC, LP/MPS export);
compiled.py hands the same arrays to highspy for fast re-solves. Rows flagged `soft` are the
user's and the budget's: those an infeasibility report may name and relax.

Variables, for indsats i and year t:
  x[i,t]   kroner allocated, 0 ≤ x ≤ max_i
  z[i,t]   binary "funded" indicator, created only where needed: all-or-nothing (x = cost·z),
           minimum viable funding (min·z ≤ x ≤ max·z), mutual exclusion, set-up costs
  s[i,t]   binary "starts this year", only for indsatser with a set-up cost
Objective: maximize Σ value_per_kr_i · x[i,t]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from optimizer.errors import SpecError
from optimizer.numbers import format_kr
from optimizer.problem import Instance

INF = float("inf")
TIE_BREAK = 1e-6  # relative objective bonus for lower ids, so ties are broken by id


@dataclass
class Row:
    """One named constraint row: lower ≤ Σ coef·x[index] ≤ upper."""

    name: str
    kind: str
    index: np.ndarray
    coef: np.ndarray
    lower: float
    upper: float
    about: str
    soft: bool
    constraint: object = None
    t: int | None = None  # the year index the row belongs to, if any
    pulje_share: float | None = None  # the bound is this share of the pulje (limits given as share=)


@dataclass
class LinearModel:
    """A solver-neutral model: columns, rows and the objective (to maximize)."""

    instance: Instance
    col_names: list[str]
    col_lower: np.ndarray
    col_upper: np.ndarray
    integer: np.ndarray
    objective: np.ndarray  # value per column (0 for indicator columns)
    rows: list[Row]
    x_cols: np.ndarray  # (n, years) -> column index
    indicator_cols: dict[tuple[int, int], int] = field(default_factory=dict)  # (i, t) -> binary "funded"
    start_cols: dict[tuple[int, int], int] = field(default_factory=dict)  # (i, t) -> binary "starts this year"

    @property
    def is_mip(self) -> bool:
        return bool(self.integer.any())

    @property
    def n_cols(self) -> int:
        return len(self.col_names)

    def solver_objective(self, objective: np.ndarray | None = None) -> np.ndarray:
        """The objective handed to the solver: scaled to max 1 with a tiny bonus for lower ids."""
        objective = self.objective if objective is None else objective
        largest = np.max(np.abs(objective)) if objective.size else 0.0
        return objective / (largest if largest > 0 else 1.0) * self._tie_break

    @cached_property
    def _tie_break(self) -> np.ndarray:
        """1 + a bonus of at most TIE_BREAK on each x column, larger for lower ids."""
        n = self.instance.n
        rank = np.argsort(np.argsort(self.instance.ids))
        factor = np.ones(self.n_cols)
        for i in range(n):
            factor[self.x_cols[i]] += TIE_BREAK * (n - rank[i]) / n
        return factor

    def objective_for(self, value_per_kr: np.ndarray) -> np.ndarray:
        """An objective over the columns from a value per krone per indsats (the same in every year)."""
        objective = np.zeros(self.n_cols)
        objective[self.x_cols] = np.asarray(value_per_kr, dtype=float)[:, None]
        return objective

    def row_bounds(self, pulje: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The rows' lower and upper bounds; for another pulje per year, budget rows and limits given as a
        share of the pulje move with it."""
        lower = np.array([row.lower for row in self.rows], dtype=float)
        upper = np.array([row.upper for row in self.rows], dtype=float)
        if pulje is None:
            return lower, upper
        for r, row in enumerate(self.rows):
            if row.kind == "budget":
                upper[r] = pulje[row.t] - self.instance.fixed[row.t]
            elif row.pulje_share is not None:
                bound = row.pulje_share * pulje[row.t]
                lower[r], upper[r] = (bound, upper[r]) if np.isfinite(row.lower) else (lower[r], bound)
        return lower, upper

    def column_matrix(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The constraint matrix in compressed-column form (start, index, value)."""
        entries = [(col, r, v) for r, row in enumerate(self.rows) for col, v in zip(row.index, row.coef, strict=True)]
        entries.sort()
        counts = np.bincount([col for col, _, _ in entries], minlength=self.n_cols)
        start = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
        index = np.array([r for _, r, _ in entries], dtype=np.int32)
        value = np.array([v for _, _, v in entries], dtype=float)
        return start, index, value


@dataclass
class ModelBuilder:
    """Collects columns and rows; the constraint classes call it through `compile`."""

    inst: Instance
    col_names: list[str] = field(default_factory=list)
    col_lower: list[float] = field(default_factory=list)
    col_upper: list[float] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)
    objective: list[float] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    _indicators: dict[tuple[int, int], int] = field(default_factory=dict)
    _row_names: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        inst = self.inst
        value = inst.value_per_kr()
        self.x_cols = np.zeros((inst.n, len(inst.years)), dtype=int)
        for i in range(inst.n):
            for t in range(len(inst.years)):
                self.x_cols[i, t] = self._add_col(
                    self.col_label("x", inst.ids[i], t), 0.0, inst.high[i], False, value[i]
                )

    # -- queries used by the constraint classes --
    @property
    def n(self) -> int:
        return self.inst.n

    @property
    def n_years(self) -> int:
        return len(self.inst.years)

    def x(self, i: int, t: int) -> int:
        return int(self.x_cols[i, t])

    def id_of(self, i: int) -> str:
        return self.inst.ids[i]

    def index_of(self, indsats_id: str) -> int:
        return self.inst.index_of(indsats_id)

    def cost(self, i: int) -> float:
        return float(self.inst.cost[i])

    def pulje(self, t: int) -> float:
        return float(self.inst.pulje[t])

    def years_of(self, year: object) -> list[int]:
        return self.inst.year_indices(year)

    def udvalg_members(self, udvalg: str) -> list[tuple[int, float]]:
        members = [(i, self.inst.split[self.inst.ids[i]].get(udvalg, 0.0)) for i in range(self.n)]
        if not any(udvalg in u for u in self.inst.udvalg):
            known = sorted({u for us in self.inst.udvalg for u in us})
            raise SpecError(f"udvalg {udvalg!r} does not occur in the catalog (udvalg: {', '.join(known)})")
        return [(i, share) for i, share in members if share > 0]

    def goal_members(self, goal: str) -> list[int]:
        if goal not in self.inst.goal_keys:
            raise SpecError(f"unknown goal {goal!r} (goals: {', '.join(self.inst.goal_keys)})")
        return [i for i in range(self.n) if goal in self.inst.goals[i]]

    def row_name(self, kind: str, label: str, *, t: int) -> str:
        year = self.inst.years[t]
        return f"{kind}[{label}]" if year is None else f"{kind}[{label},{year}]"

    def col_label(self, kind: str, label: str, t: int) -> str:
        return self.row_name(kind, label, t=t)

    # -- building --
    def indicator(self, i: int, t: int) -> int:
        """The binary "funded" column of indsats i in year t (created on first use)."""
        key = (i, t)
        if key not in self._indicators:
            inst = self.inst
            z = self._add_col(self.col_label("z", inst.ids[i], t), 0.0, 1.0, True, 0.0)
            self._indicators[key] = z
            x = self.x(i, t)
            if inst.binary[i]:
                self._link(f"all_or_nothing[{inst.ids[i]},{t}]", {x: 1.0, z: -inst.cost[i]}, 0.0, 0.0)
            else:
                self._link(f"funded_max[{inst.ids[i]},{t}]", {x: 1.0, z: -inst.high[i]}, -INF, 0.0)
                if inst.low[i] > 0:
                    self._link(f"min_viable[{inst.ids[i]},{t}]", {x: 1.0, z: -inst.low[i]}, 0.0, INF)
        return self._indicators[key]

    def add_row(
        self,
        name: str,
        terms: dict[int, float],
        *,
        lower: float = -INF,
        upper: float = INF,
        kind: str,
        about: str,
        constraint: object = None,
        soft: bool = True,
        t: int | None = None,
        pulje_share: float | None = None,
    ) -> None:
        if name in self._row_names:
            raise SpecError(f"the constraint {name} is given twice")
        self._row_names.add(name)
        index = np.array(list(terms), dtype=int)
        coef = np.array(list(terms.values()), dtype=float)
        self.rows.append(Row(name, kind, index, coef, lower, upper, about, soft, constraint, t, pulje_share))

    def build(self, constraints: list[object]) -> LinearModel:
        inst = self.inst
        for i in range(inst.n):
            if inst.binary[i] or inst.low[i] > 0:
                for t in range(self.n_years):
                    self.indicator(i, t)
        start_cols = self._setup_columns()
        for t in range(self.n_years):
            terms = {self.x(i, t): 1.0 for i in range(inst.n)}
            terms.update({col: inst.setup[i] for (i, tt), col in start_cols.items() if tt == t})
            available = inst.pulje[t] - inst.fixed[t]
            fixed = f" after {format_kr(inst.fixed[t])} in fixed lines" if inst.fixed[t] else ""
            self.add_row(
                "budget" if inst.years[t] is None else f"budget[{inst.years[t]}]",
                terms,
                upper=available,
                kind="budget",
                t=t,
                about=f"the pulje of {format_kr(inst.pulje[t])}{fixed}",
            )
        from optimizer.constraints import Requires

        catalog_rules = [Requires(a, b) for a, b in inst.requires]
        for constraint in [*catalog_rules, *constraints]:
            if hasattr(constraint, "compile"):
                constraint.compile(self)
        return LinearModel(
            instance=inst,
            col_names=self.col_names,
            col_lower=np.array(self.col_lower, dtype=float),
            col_upper=np.array(self.col_upper, dtype=float),
            integer=np.array(self.integer, dtype=bool),
            objective=np.array(self.objective, dtype=float),
            rows=self.rows,
            x_cols=self.x_cols,
            indicator_cols=dict(self._indicators),
            start_cols=start_cols,
        )

    def _setup_columns(self) -> dict[tuple[int, int], int]:
        inst, cols = self.inst, {}
        for i in np.flatnonzero(inst.setup > 0):
            for t in range(self.n_years):
                s = self._add_col(self.col_label("s", inst.ids[i], t), 0.0, 1.0, True, 0.0)
                cols[(int(i), t)] = s
                terms = {s: 1.0, self.indicator(int(i), t): -1.0}
                if t > 0:
                    terms[self.indicator(int(i), t - 1)] = 1.0
                self._link(f"starts[{inst.ids[i]},{t}]", terms, 0.0, INF)
        return cols

    def _add_col(self, name: str, lower: float, upper: float, integer: bool, objective: float) -> int:
        self.col_names.append(name)
        self.col_lower.append(lower)
        self.col_upper.append(upper)
        self.integer.append(integer)
        self.objective.append(objective)
        return len(self.col_names) - 1

    def _link(self, name: str, terms: dict[int, float], lower: float, upper: float) -> None:
        self.add_row(name, terms, lower=lower, upper=upper, kind="link", about="model structure", soft=False)


def build_model(inst: Instance, constraints: list[object]) -> LinearModel:
    """The model for an Instance and the user's constraints (rule constraints become rows)."""
    return ModelBuilder(inst).build(list(constraints))
