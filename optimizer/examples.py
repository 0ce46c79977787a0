"""Tiny canonical catalogs whose optimum can be worked out by hand; tests, README and notebook reuse them."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from optimizer.catalog import validate_catalog
from optimizer.constraints import Constraint, UdvalgMax


@dataclass(frozen=True)
class Example:
    """A catalog with its budget and the optimum, worked out by hand in `reasoning`."""

    name: str
    reasoning: str
    catalog: pd.DataFrame
    budget: float
    expected: dict[str, float]  # id -> kroner at the optimum (evidence weight 0, goal weights 1)
    objective: float
    constraints: tuple[Constraint, ...] = ()


def _catalog(rows: list[dict[str, object]], goals: dict[str, str]) -> pd.DataFrame:
    defaults = {
        "udvalg": "SU", "goals": "a", "min_kr": "", "max_kr": "", "reach": "", "reach_min": "", "reach_max": "",
        "reach_unit": "borgere", "stars": "", "scalable": "true", "source": "example", "quote": "", "note": "",
    }  # fmt: skip
    frame = pd.DataFrame([{**defaults, "name": str(row["id"]).capitalize(), **row} for row in rows])
    return validate_catalog(frame, goals=goals, origin="example")


def greedy() -> Example:
    """Scalable indsatser and only a budget: fund by value per krone, best first (fractional knapsack)."""
    catalog = _catalog(
        [
            {"id": "alfa", "cost_kr": 100_000, "reach": 50},  # 0.5 per 1.000 kr.
            {"id": "beta", "cost_kr": 200_000, "reach": 200},  # 1.0 per 1.000 kr.
            {"id": "gamma", "cost_kr": 100_000, "reach": 20},  # 0.2 per 1.000 kr.
        ],
        {"a": "Goal A"},
    )
    return Example(
        "greedy",
        "beta has the most reach per krone and takes 200.000; alfa takes the remaining 50.000 (half of it): "
        "value 200 + 25 = 225.",
        catalog,
        250_000,
        {"alfa": 50_000, "beta": 200_000, "gamma": 0},
        225.0,
    )


def knapsack() -> Example:
    """All-or-nothing indsatser where funding the best ratio first is not optimal."""
    catalog = _catalog(
        [
            {"id": "stor", "cost_kr": 600_000, "reach": 660, "scalable": "false"},  # 1.10 per 1.000 kr.
            {"id": "mellem", "cost_kr": 500_000, "reach": 500, "scalable": "false"},  # 1.00 per 1.000 kr.
            {"id": "lille", "cost_kr": 500_000, "reach": 500, "scalable": "false"},  # 1.00 per 1.000 kr.
        ],
        {"a": "Goal A"},
    )
    return Example(
        "knapsack",
        "With 1.000.000 kr., greedy takes stor (660) and nothing else fits; mellem + lille give 1000.",
        catalog,
        1_000_000,
        {"stor": 0, "mellem": 500_000, "lille": 500_000},
        1000.0,
    )


def shared_udvalg() -> Example:
    """An indsats shared by two udvalg counts half to each; an udvalg maximum then binds."""
    catalog = _catalog(
        [
            {"id": "bibliotek", "udvalg": "SU/KFU", "cost_kr": 100_000, "reach": 400, "goals": "a;b"},  # 8 per 1.000
            {"id": "idraet", "udvalg": "KFU", "cost_kr": 100_000, "reach": 300},  # 3 per 1.000 kr.
            {"id": "job", "udvalg": "AUU", "cost_kr": 100_000, "reach": 100},  # 1 per 1.000 kr.
        ],
        {"a": "Goal A", "b": "Goal B"},
    )
    return Example(
        "shared_udvalg",
        "bibliotek serves two goals (value 800) and is funded in full; it counts 50.000 to KFU. With KFU at most "
        "100.000, idraet gets the 50.000 left under KFU (value 150), and job the rest of the pulje: 100.000 "
        "(value 100). Total 1050.",
        catalog,
        250_000,
        {"bibliotek": 100_000, "idraet": 50_000, "job": 100_000},
        1050.0,
        (UdvalgMax("KFU", kr=100_000),),
    )


def concept_rollout() -> Example:
    """B only if A: a roll-out needs its concept, which reaches no one by itself."""
    catalog = _catalog(
        [
            {"id": "koncept", "cost_kr": 100_000, "reach": "", "scalable": "false"},
            {"id": "udrulning", "cost_kr": 200_000, "reach": 400, "requires": "koncept"},  # 2 per 1.000 kr.
            {"id": "andet", "cost_kr": 300_000, "reach": 450},  # 1.5 per 1.000 kr.
        ],
        {"a": "Goal A"},
    )
    return Example(
        "concept_rollout",
        "udrulning alone would be best (2 per 1.000 kr.) but needs koncept (100.000, no reach): 300.000 buys "
        "400. andet alone buys 450 for 300.000, so with 300.000 andet wins.",
        catalog,
        300_000,
        {"koncept": 0, "udrulning": 0, "andet": 300_000},
        450.0,
    )


EXAMPLES = {example.name: example for example in (greedy(), knapsack(), shared_udvalg(), concept_rollout())}
