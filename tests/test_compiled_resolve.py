"""The app's slider path: a compiled model re-solved for new Inputs that differ only in the pulje or the
weights gives what a fresh solve gives, and is really re-solved in place (not compiled again)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from optimizer import Inputs, UdvalgMax, compile_inputs, solve
from scenarios import load_scenario
from tests.conftest import ROOT, make_catalog

EXAMPLES = ROOT / "scenarios" / "examples"


def same_allocation(a: object, b: object) -> bool:
    first = a.allocation.set_index("id")["amount_kr"].round(2)  # type: ignore[attr-defined]
    second = b.allocation.set_index("id")["amount_kr"].round(2)  # type: ignore[attr-defined]
    return bool(first.equals(second))


def changes(inputs: Inputs) -> list[dict]:
    """Slider moves: the pulje down and up, a goal weight, the evidence weight."""
    budget = inputs.budget
    scaled = {y: v * 0.7 for y, v in budget.items()} if isinstance(budget, dict) else budget * 0.7
    raised = {y: v * 1.3 for y, v in budget.items()} if isinstance(budget, dict) else budget * 1.3
    goal = inputs.known().goals[0]
    return [{"budget": scaled}, {"budget": raised}, {"goal_weights": {goal: 3.0}}, {"evidence_weight": 2.5}]


@pytest.mark.parametrize("name", ["frederiksberg_baseline", "frederiksberg_max_reach", "copenhagen_bruttokatalog"])
def test_moved_model_matches_a_fresh_solve_on_the_bundled_catalogs(name: str) -> None:
    inputs = load_scenario(EXAMPLES / f"{name}.toml").inputs
    compiled = compile_inputs(inputs)
    for change in changes(inputs):
        moved_inputs = inputs.replace(**change)
        moved = compiled.solve(moved_inputs)
        assert compiled.inputs is moved_inputs, "re-solved in place, not compiled again"
        fresh = solve(moved_inputs)
        assert math.isclose(moved.objective, fresh.objective, rel_tol=1e-9), change
        assert same_allocation(moved, fresh), change


def test_a_changed_constraint_is_compiled_afresh() -> None:
    inputs = load_scenario(EXAMPLES / "frederiksberg_max_reach.toml").inputs
    compiled = compile_inputs(inputs)
    limited = inputs.replace(constraints=(*inputs.constraints, UdvalgMax("AUU", kr=100_000)))
    result = compiled.solve(limited)
    assert compiled.inputs is inputs  # the compiled model keeps its own structure
    assert same_allocation(result, solve(limited))
    assert result.by_udvalg.set_index("udvalg").loc["AUU", "amount_kr"] <= 2 * 100_000 + 1  # two years


def test_an_edited_catalog_is_compiled_afresh() -> None:
    """Equal-looking Inputs over a catalog with one cost changed must not reuse the old model."""
    rows = [
        {"id": f"i{k}", "udvalg": "SU", "goals": "job", "cost_kr": 100_000, "reach": 10 * (k + 1)} for k in range(4)
    ]
    catalog = make_catalog(rows)
    inputs = Inputs(catalog, 150_000, evidence_weight=0)
    compiled = compile_inputs(inputs)
    edited = catalog.copy()
    edited.loc[edited["id"] == "i3", "cost_kr"] = 400_000.0
    other = Inputs(edited, 150_000, evidence_weight=0)
    moved = compiled.solve(other)
    assert compiled.inputs is inputs
    assert same_allocation(moved, solve(other))


@pytest.mark.parametrize("seed", range(6))
def test_moved_model_matches_on_random_catalogs(seed: int) -> None:
    rng = np.random.default_rng(seed)
    rows = [
        {
            "id": f"i{k:02d}",
            "udvalg": str(rng.choice(["SU", "KFU", "AUU"])),
            "goals": str(rng.choice(["job", "job;skole", "skole"])),
            "cost_kr": int(rng.integers(5, 40)) * 10_000,
            "reach": int(rng.integers(5, 400)),
            "stars": int(rng.integers(0, 2)),
            "scalable": "true" if rng.random() < 0.5 else "false",
        }
        for k in range(10)
    ]
    catalog = make_catalog(rows)
    inputs = Inputs(catalog, {2021: 600_000, 2022: 500_000}, constraints=(UdvalgMax("SU", kr=250_000),))
    compiled = compile_inputs(inputs)
    for change in changes(inputs):
        moved_inputs = inputs.replace(**change)
        moved, fresh = compiled.solve(moved_inputs), solve(moved_inputs)
        assert compiled.inputs is moved_inputs
        assert math.isclose(moved.objective, fresh.objective, rel_tol=1e-9, abs_tol=1e-9), change
        assert same_allocation(moved, fresh), change
