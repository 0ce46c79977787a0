"""The core's structure holds: no import cycles (imports inside functions counted), one module per solver library,
a result that pickles (so the app can cache it), and a compiled re-solve that equals a fresh solve."""

from __future__ import annotations

import ast
import math
import pickle
from pathlib import Path

import pytest

from optimizer import Assumptions, Inputs, UdvalgMax, load_catalog, solve
from optimizer.explain import budget_next_100k, explain
from optimizer.solve import compile_inputs
from tests.conftest import COPENHAGEN, FREDERIKSBERG_2021, ROOT

PACKAGES = ("optimizer", "scenarios")
MODULES = sorted(path for package in PACKAGES for path in (ROOT / package).rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module of the project that `path` imports, anywhere in the file (functions included)."""
    names: set[str] = set()
    package = module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else module_name(path)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    known = {module_name(p) for p in MODULES}
    return {name for name in names if name in known and name != module_name(path)}


def test_the_project_has_modules_to_check() -> None:
    assert len(MODULES) > 20


def test_no_import_cycles() -> None:
    graph = {module_name(path): imports_of(path) for path in MODULES}
    for name in graph:  # a package's __init__ re-exports its modules; that edge is not a cycle of logic
        if name in PACKAGES:
            graph[name] = set()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        if state.get(node) == 1:
            cycles.append([*trail[trail.index(node) :], node])
            return
        if state.get(node) == 2:
            return
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            visit(target, [*trail, node])
        state[node] = 2

    for start in sorted(graph):
        visit(start, [])
    assert cycles == []


@pytest.mark.parametrize(("library", "owner"), [("highspy", "optimizer/highs.py"), ("pulp", "optimizer/pulp_io.py")])
def test_one_module_speaks_to_each_solver_library(library: str, owner: str) -> None:
    users = []
    for path in [*MODULES, ROOT / "app.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])  # fmt: skip
            if any(name == library or name.startswith(f"{library}.") for name in names):
                users.append(path.relative_to(ROOT).as_posix())
    assert sorted(set(users)) == [owner]


FB_REACH = {"fb21-farvel-til-farvede-forventninger": 40, "fb21-aaben-raadgivning": 250}


def test_a_result_pickles_and_is_explained_after_unpickling() -> None:
    result = solve(load_catalog(FREDERIKSBERG_2021), 700_000, assumptions=Assumptions(reach=FB_REACH))
    again = pickle.loads(pickle.dumps(result))
    assert again.objective == result.objective
    assert again.assumptions == result.assumptions
    assert again.allocation.equals(result.allocation)
    before, after = explain(result), explain(again)
    assert before.binding_gains == after.binding_gains
    assert before.entry_thresholds.equals(after.entry_thresholds)


@pytest.mark.parametrize(
    "change",
    [{"budget": 6_000_000.0}, {"goal_weights": {"job": 3.0}}, {"evidence_weight": 0.0},
     {"budget": 14_000_000.0, "goal_weights": {"folkeskole": 0.2}, "evidence_weight": 2.5}],
    ids=["budget", "weights", "evidence", "all"],
)  # fmt: skip
def test_a_compiled_re_solve_equals_a_fresh_solve(change: dict) -> None:
    """The app's slider path: one compiled model, new pulje or weights, the same answer as solving afresh."""
    catalog = load_catalog(COPENHAGEN)
    inputs = Inputs(catalog, 10_000_000.0, constraints=(UdvalgMax("BIU", share=0.9),),
                    assumptions=Assumptions(reach={"kk-vaekstprogram": 50}))  # fmt: skip
    compiled = compile_inputs(inputs)
    compiled.solve()
    moved = compiled.solve(inputs.replace(**change))
    fresh = solve(inputs.replace(**change))
    assert math.isclose(moved.objective, fresh.objective, rel_tol=1e-9)
    assert moved.allocation["amount_kr"].round(2).equals(fresh.allocation["amount_kr"].round(2))
    assert moved.budget_rate_per_100k == pytest.approx(fresh.budget_rate_per_100k)
    assert budget_next_100k(moved) == pytest.approx(budget_next_100k(fresh))
    assert moved.allocation["value"].round(6).equals(fresh.allocation["value"].round(6))
