"""Contradicting constraints: each independent conflict is named, and the smallest fix, applied, makes the whole
model feasible (checked by applying it and solving again), while anything smaller does not."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from optimizer import (
    Constraint,
    GoalMin,
    Lock,
    Result,
    Status,
    UdvalgMax,
    UdvalgMin,
    solve,
)
from optimizer.result import Relaxation
from scenarios.cli import main
from tests.conftest import make_catalog

ROWS = [
    {"id": "a", "udvalg": "A", "goals": "job", "cost_kr": 300_000, "reach": 30},
    {"id": "b", "udvalg": "B", "goals": "job", "cost_kr": 300_000, "reach": 30},
    {"id": "c", "udvalg": "C", "goals": "skole", "cost_kr": 200_000, "reach": 20},
]
ISSUE = [UdvalgMin("A", kr=300_000), UdvalgMin("B", kr=300_000), Lock("c", 50_000)]


def applied(
    budget: float | dict, constraints: list[Constraint], fixes: tuple[Relaxation, ...], scale: float = 1.0
) -> tuple[float | dict, list[Constraint]]:
    """The budget and constraints with each relaxation applied (scaled by `scale`), as a user would write them."""
    budget = dict(budget) if isinstance(budget, dict) else budget
    changed = list(constraints)
    for fix in fixes:
        sign = 1.0 if fix.direction == "raise" else -1.0
        delta = sign * fix.amount * scale
        if fix.constraint.startswith("budget"):
            year = fix.constraint[len("budget[") : -1] if "[" in fix.constraint else None
            if year is None:
                budget = budget + delta
            else:
                budget[int(year)] += delta
            continue
        k = next(k for k, c in enumerate(changed) if fix.constraint.startswith(f"{c.kind}[{_label(c)}"))
        changed[k] = _moved(changed[k], delta)
    return budget, changed


def _label(constraint: Constraint) -> str:
    return getattr(constraint, "label", None) or constraint.id  # type: ignore[attr-defined]


def _moved(constraint: Constraint, delta: float) -> Constraint:
    if isinstance(constraint, Lock):
        return replace(constraint, kr=constraint.kr + delta)
    if isinstance(constraint, UdvalgMin | UdvalgMax | GoalMin):
        return replace(constraint, kr=max(constraint.limit(0) + delta, 0.0), share=None)
    raise AssertionError(constraint)


def solved(catalog: pd.DataFrame, budget: float | dict, constraints: list[Constraint]) -> Result:
    return solve(catalog, budget, evidence_weight=0, constraints=constraints)


def test_the_issues_reproduction_needs_150_000_over_the_whole_model() -> None:
    """Minima of 300.000 + 300.000 and a lock of 50.000 in a pulje of 500.000: 150.000 apart, not 100.000."""
    catalog = make_catalog(ROWS)
    result = solved(catalog, 500_000, ISSUE)
    assert result.status is Status.INFEASIBLE
    assert math.isclose(result.conflict.total_kr, 150_000)
    assert solved(catalog, 600_000, ISSUE).status is Status.INFEASIBLE  # the old report's fix: not enough
    budget, constraints = applied(500_000, ISSUE, result.conflict.smallest_fix)
    assert solved(catalog, budget, constraints).status is Status.OPTIMAL
    assert "150.000 kr." in result.conflict.message


def random_infeasible(seed: int) -> tuple[pd.DataFrame, float, list[Constraint]]:
    """A small catalog and limits drawn until they contradict each other."""
    rng = np.random.default_rng(seed)
    rows = [
        {
            "id": f"i{k}",
            "udvalg": str(rng.choice(["A", "B", "C"])),
            "goals": str(rng.choice(["job", "skole"])),
            "cost_kr": int(rng.integers(5, 40)) * 10_000,
            "reach": int(rng.integers(1, 300)),
            "scalable": "false" if rng.random() < 0.4 else "true",
        }
        for k in range(int(rng.integers(3, 7)))
    ]
    catalog = make_catalog(rows)
    budget = float(int(rng.integers(10, 60)) * 10_000)
    constraints: list[Constraint] = []
    for name in sorted({row["udvalg"] for row in rows}):
        constraints.append(UdvalgMin(name, kr=float(int(rng.integers(5, 30)) * 10_000)))
    if rng.random() < 0.5 and any(row["goals"] == "job" for row in rows):
        constraints.append(GoalMin("job", kr=float(int(rng.integers(5, 40)) * 10_000)))
    scalable = [row for row in rows if row["scalable"] == "true"]
    if scalable and rng.random() < 0.7:
        row = scalable[int(rng.integers(len(scalable)))]
        constraints.append(Lock(str(row["id"]), float(int(rng.integers(1, 5)) * 10_000)))
    return catalog, budget, constraints


INFEASIBLE_SEEDS = [seed for seed in range(60) if solved(*random_infeasible(seed)).status is Status.INFEASIBLE][:20]


def test_there_are_enough_infeasible_draws() -> None:
    assert len(INFEASIBLE_SEEDS) == 20


@pytest.mark.parametrize("seed", INFEASIBLE_SEEDS)
def test_the_smallest_fix_makes_the_whole_model_feasible_and_less_does_not(seed: int) -> None:
    catalog, budget, constraints = random_infeasible(seed)
    conflict = solved(catalog, budget, constraints).conflict
    assert conflict is not None and conflict.smallest_fix
    fixed_budget, fixed = applied(budget, constraints, conflict.smallest_fix)
    assert solved(catalog, fixed_budget, fixed).status is Status.OPTIMAL
    short_budget, short = applied(budget, constraints, conflict.smallest_fix, scale=0.99)
    assert solved(catalog, short_budget, short).status is Status.INFEASIBLE
    assert math.isclose(
        conflict.total_kr, sum(fix.amount for fix in conflict.smallest_fix), abs_tol=len(conflict.smallest_fix)
    )


def test_independent_conflicts_are_each_named() -> None:
    """A lock above c's own cost, and udvalg minima that exceed the pulje: two conflicts with nothing in common."""
    catalog = make_catalog(ROWS)
    constraints = [Lock("c", 250_000), UdvalgMin("A", kr=300_000), UdvalgMin("B", kr=300_000)]
    conflict = solved(catalog, 500_000, constraints).conflict
    assert {frozenset(group) for group in conflict.sets} == {
        frozenset({"lock[c]"}),
        frozenset({"udvalg_min[A]", "udvalg_min[B]", "budget"}),
    }
    assert "Conflict 1" in conflict.message and "Conflict 2" in conflict.message
    budget, fixed = applied(500_000, constraints, conflict.smallest_fix)
    assert solved(catalog, budget, fixed).status is Status.OPTIMAL


def test_at_most_five_conflicts_are_named() -> None:
    rows = [{"id": f"x{k}", "udvalg": "A", "goals": "job", "cost_kr": 10_000, "reach": 1} for k in range(7)]
    constraints = [Lock(f"x{k}", 20_000) for k in range(7)]  # each above its own cost: seven conflicts
    conflict = solved(make_catalog(rows), 1_000_000, constraints).conflict
    assert len(conflict.sets) == 5
    assert len(conflict.smallest_fix) == 7  # the fix still covers every one


def test_an_infeasible_solve_prints_its_json(tmp_path, capsys) -> None:
    path = tmp_path / "katalog.csv"
    pd.DataFrame([{**row, "name": row["id"], "scalable": "true"} for row in ROWS]).to_csv(path, index=False)
    code = main([
        "solve", str(path), "--budget", "500000", "--udvalg-min", "A=300000", "--udvalg-min", "B=300000",
        "--lock", "c=50000", "--format", "json",
    ])  # fmt: skip
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert data["status"] == "infeasible"
    conflict = data["conflict"]
    # the minimal conflicting set; the lock is not in it, yet the smallest fix of the whole model counts it
    assert [sorted(group) for group in conflict["constraints"]] == [["budget", "udvalg_min[A]", "udvalg_min[B]"]]
    assert math.isclose(conflict["total_kr"], 150_000)
    assert math.isclose(sum(fix["relax_kr"] for fix in conflict["smallest_fix"]), 150_000)
    assert all({"constraint", "relax_kr", "direction"} <= set(fix) for fix in conflict["smallest_fix"])
