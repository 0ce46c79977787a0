"""Each canonical example in optimizer.examples solves to its hand-worked allocation and objective."""

from __future__ import annotations

import math

import pytest

from optimizer import Status, solve
from optimizer.examples import EXAMPLES, Example

NAMES = sorted(EXAMPLES)


def test_the_examples_are_there() -> None:
    assert set(NAMES) == {"greedy", "knapsack", "shared_udvalg", "concept_rollout"}


@pytest.mark.parametrize("name", NAMES)
def test_example_solves_to_its_expected_allocation(name: str) -> None:
    example = EXAMPLES[name]
    result = solve(example.catalog, example.budget, evidence_weight=0, constraints=example.constraints)
    assert result.status is Status.OPTIMAL
    got = dict(zip(result.allocation["id"], result.allocation["amount_kr"], strict=True))
    assert set(got) == set(example.expected)
    for indsats_id, kr in example.expected.items():
        assert math.isclose(got[indsats_id], kr, abs_tol=1.0), f"{name}: {indsats_id} {got[indsats_id]} != {kr}"
    assert math.isclose(result.objective, example.objective, rel_tol=1e-9)


def _value_per_kr(example: Example) -> dict[str, float]:
    """reach / cost × number of goals served, from the catalog's own columns (evidence weight 0, goal weights 1);
    an indsats without reach (a concept) is worth nothing by itself."""
    catalog = example.catalog
    return {
        row.id: (0.0 if math.isnan(row.reach) else row.reach / row.cost_kr) * len(row.goals)
        for row in catalog.itertuples(index=False)
    }


@pytest.mark.parametrize("name", NAMES)
def test_example_expectation_is_consistent(name: str) -> None:
    """The hand-worked answer itself adds up: its value is the stated objective and it fits the budget."""
    example = EXAMPLES[name]
    value = _value_per_kr(example)
    assert math.isclose(sum(value[i] * kr for i, kr in example.expected.items()), example.objective, rel_tol=1e-9)
    assert sum(example.expected.values()) <= example.budget
    costs = dict(zip(example.catalog["id"], example.catalog["cost_kr"], strict=True))
    for indsats_id, kr in example.expected.items():
        assert 0 <= kr <= costs[indsats_id]
