"""Real pabulib instances: read_pabulib against the file, and solve() against exhaustive enumeration and bounds."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import PABULIB

import optimizer
from optimizer import Result, Status
from optimizer.pabulib import read_pabulib

ALL_FILES = sorted(path.name for path in PABULIB.glob("*.pb"))
ENUMERATE_UP_TO = 20  # projects: 2^20 subsets, enumerated in chunks
SPLIT_UP_TO = 32  # projects: exact by meet-in-the-middle (two halves of at most 2^16 subsets)
CHUNK_BITS = 16
OBJ_REL = 1e-5  # the solver's tie-break bonus may cost up to 1e-6 of the objective


def sections(path: Path) -> dict[str, list[list[str]]]:
    """The META, PROJECTS and VOTES sections of a .pb file as lists of rows (header first)."""
    found: dict[str, list[list[str]]] = {}
    current = None
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter=";"):
            if len(row) == 1 and row[0].strip() in {"META", "PROJECTS", "VOTES"}:
                current = row[0].strip()
                found[current] = []
            elif current is not None and row:
                found[current].append(row)
    return found


def project_count(path: Path) -> int:
    return len(sections(path).get("PROJECTS", [])) - 1


SMALL_FILES = [name for name in ALL_FILES if project_count(PABULIB / name) <= ENUMERATE_UP_TO]
SPLIT_FILES = [name for name in ALL_FILES if project_count(PABULIB / name) <= SPLIT_UP_TO]


def subset_bits(n: int, start: int, stop: int) -> np.ndarray:
    """Subsets number start..stop-1 of n items as 0/1 rows."""
    return ((np.arange(start, stop)[:, None] >> np.arange(n)) & 1).astype(float)


def enumerate_best(values: np.ndarray, costs: np.ndarray, budget: float) -> float:
    """The most value of any subset whose cost is within the budget, trying all 2^n subsets."""
    n, best = len(values), 0.0
    chunk = 1 << CHUNK_BITS
    for start in range(0, 1 << n, chunk):
        bits = subset_bits(n, start, min(start + chunk, 1 << n))
        fits = bits @ costs <= budget
        if fits.any():
            best = max(best, float((bits @ values)[fits].max()))
    return best


def split_best(values: np.ndarray, costs: np.ndarray, budget: float) -> float:
    """The same optimum by meet-in-the-middle: for every subset of the first half, the best subset of the
    second half that fits in what is left (sorted by cost, with a running maximum of value)."""
    half = len(values) // 2
    left = subset_bits(half, 0, 1 << half)
    right = subset_bits(len(values) - half, 0, 1 << (len(values) - half))
    left_cost, left_value = left @ costs[:half], left @ values[:half]
    right_cost, right_value = right @ costs[half:], right @ values[half:]
    order = np.argsort(right_cost, kind="stable")
    right_cost, best_so_far = right_cost[order], np.maximum.accumulate(right_value[order])
    fits = left_cost <= budget
    last = np.searchsorted(right_cost, budget - left_cost[fits], side="right") - 1  # the empty set always fits
    return float((left_value[fits] + best_so_far[last]).max())


def solve_file(path: Path) -> tuple[pd.DataFrame, float, Result]:
    catalog, budget = read_pabulib(path)
    return catalog, budget, optimizer.solve(catalog, budget)


def amounts_of(result: Result, catalog: pd.DataFrame) -> np.ndarray:
    by_id = dict(zip(result.allocation["id"], result.allocation["amount_kr"], strict=True))
    return np.array([by_id[i] for i in catalog["id"]], dtype=float)


# --- reading ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ALL_FILES)
def test_read_pabulib_takes_costs_votes_and_budget_from_the_file(pabulib_dir: Path, name: str) -> None:
    """Costs and budget as written; votes, or points (score) for cumulative ballots; all-or-nothing."""
    found = sections(pabulib_dir / name)
    meta = {row[0]: row[1] for row in found["META"][1:]}
    header, rows = found["PROJECTS"][0], found["PROJECTS"][1:]
    value_column = "score" if meta["vote_type"] == "cumulative" else "votes"
    projects = {row[header.index("project_id")]: row for row in rows}

    catalog, budget = read_pabulib(pabulib_dir / name)

    assert budget == float(meta["budget"])
    assert sorted(catalog["id"]) == sorted(projects)
    for row in catalog.itertuples(index=False):
        assert row.cost_kr == float(projects[row.id][header.index("cost")])
        assert row.reach == float(projects[row.id][header.index(value_column)])
    assert catalog["scalable"].tolist() == [False] * len(catalog)
    assert len(catalog) == int(meta.get("num_projects", len(catalog)))


# --- solving ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SMALL_FILES)
def test_small_instances_match_exhaustive_enumeration(pabulib_dir: Path, name: str) -> None:
    catalog, budget, result = solve_file(pabulib_dir / name)
    assert len(catalog) <= ENUMERATE_UP_TO
    values, costs = catalog["reach"].to_numpy(float), catalog["cost_kr"].to_numpy(float)
    assert result.status is Status.OPTIMAL
    assert result.objective == pytest.approx(enumerate_best(values, costs, budget), rel=OBJ_REL)


@pytest.mark.parametrize("name", SPLIT_FILES)
def test_instances_up_to_32_projects_match_meet_in_the_middle(pabulib_dir: Path, name: str) -> None:
    catalog, budget, result = solve_file(pabulib_dir / name)
    values, costs = catalog["reach"].to_numpy(float), catalog["cost_kr"].to_numpy(float)
    assert result.status is Status.OPTIMAL
    assert result.objective == pytest.approx(split_best(values, costs, budget), rel=OBJ_REL)


@pytest.mark.parametrize("name", ALL_FILES)
def test_allocation_is_all_or_nothing_within_the_budget(pabulib_dir: Path, name: str) -> None:
    catalog, budget, result = solve_file(pabulib_dir / name)
    assert result.is_ok
    amounts = amounts_of(result, catalog)
    costs, votes = catalog["cost_kr"].to_numpy(float), catalog["reach"].to_numpy(float)
    funded = np.isclose(amounts, costs, rtol=1e-9)
    assert np.all(funded | np.isclose(amounts, 0.0, atol=1e-6))
    assert amounts.sum() <= budget * (1 + 1e-9)
    assert costs[funded].sum() <= budget
    assert result.objective == pytest.approx(votes[funded].sum(), rel=1e-9)


@pytest.mark.parametrize("name", ALL_FILES)
def test_objective_between_greedy_and_the_fractional_bound(pabulib_dir: Path, name: str) -> None:
    """Any feasible selection (greedy by votes per krone, adding what still fits) is a lower bound on the
    optimum; the fractional knapsack (the LP relaxation) is an upper bound."""
    catalog, budget, result = solve_file(pabulib_dir / name)
    values, costs = catalog["reach"].to_numpy(float), catalog["cost_kr"].to_numpy(float)
    greedy, fractional, left_greedy, left_fractional = 0.0, 0.0, budget, budget
    for k in np.argsort(-values / costs, kind="stable"):
        if costs[k] <= left_greedy:
            greedy, left_greedy = greedy + values[k], left_greedy - costs[k]
        take = min(1.0, max(left_fractional, 0.0) / costs[k])
        fractional, left_fractional = fractional + take * values[k], left_fractional - take * costs[k]
    assert result.objective >= greedy * (1 - OBJ_REL)
    assert result.objective <= fractional * (1 + 1e-9)
