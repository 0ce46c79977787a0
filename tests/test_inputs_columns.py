"""Inputs read their catalog's columns once, when they check it: a replace() that keeps the catalog solves as fresh
Inputs over the same catalog do, one that passes an edited catalog solves the edit, and the arrays cannot be
changed behind the Inputs' back."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from optimizer import solve
from scenarios.spec import load_scenario

EXAMPLE = load_scenario(Path(__file__).parents[1] / "scenarios" / "examples" / "copenhagen_bruttokatalog.toml").inputs


def fresh(**changes: object):
    """The same Inputs built anew (dataclasses.replace runs the check again, reading the catalog afresh)."""
    return dataclasses.replace(EXAMPLE, catalog=EXAMPLE.catalog.copy(), **changes)


@pytest.mark.parametrize("budget", [2_000_000.0, 7_500_000.0, 25_000_000.0])
def test_a_replaced_budget_solves_as_fresh_inputs_do(budget: float) -> None:
    a, b = solve(EXAMPLE.replace(budget=budget, evidence_weight=0.5)), solve(fresh(budget=budget, evidence_weight=0.5))
    assert a.objective == pytest.approx(b.objective, rel=1e-9)
    assert np.allclose(a.allocation["amount_kr"], b.allocation["amount_kr"])


def test_an_edited_catalog_passed_to_replace_is_read_again() -> None:
    edited = EXAMPLE.catalog.copy()
    funded = solve(EXAMPLE).allocation.set_index("id")["amount_kr"]
    chosen = int(edited.index[edited["id"] == funded.idxmax()][0])
    edited.loc[chosen, "cost_kr"] = float(edited.loc[chosen, "cost_kr"]) * 50  # the largest grant, now far dearer
    replaced = EXAMPLE.replace(catalog=edited)
    assert replaced.columns[0]["cost_kr"][chosen] == edited.loc[chosen, "cost_kr"]
    expected = solve(dataclasses.replace(EXAMPLE, catalog=edited.copy()))
    assert solve(replaced).objective == pytest.approx(expected.objective, rel=1e-9)
    assert expected.objective < solve(EXAMPLE).objective


def test_the_columns_cannot_be_written() -> None:
    rows, fixed_rows = EXAMPLE.replace(budget=1_000_000.0).columns
    with pytest.raises(ValueError, match="read-only"):
        rows["cost_kr"][0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        rows["name"][0] = "x"
    assert all(not values.flags.writeable for values in fixed_rows.values())
