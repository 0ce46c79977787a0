"""The `pulje` commands (solve, run, compare, sweep, robustness, frontier, validate) and their output in the
chosen format. Imported only when a command runs, so that `pulje --help` starts without pandas or a solver."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from optimizer import Assumptions, Inputs, load_catalog, solve
from optimizer.catalog import as_written
from optimizer.explain import Explanation, budget_next_100k, explain
from optimizer.limits import MAX_KR, MAX_REACH, MAX_WEIGHT
from optimizer.result import by_year
from scenarios import report
from scenarios.analysis_excel import (
    write_catalog_excel,
    write_frontier_excel,
    write_robustness_excel,
    write_sweep_excel,
)
from scenarios.compare import Comparison, compare
from scenarios.export import write_csv, write_excel
from scenarios.flags import KRONER, UsageError, budget, checked_count, constraints, extensions, money, number, pairs
from scenarios.frontier import frontier
from scenarios.robustness import robustness
from scenarios.run import ScenarioRun, baseline, run
from scenarios.spec import Scenario, load_scenario
from scenarios.sweep import sweep_budget


def solve_command(args: argparse.Namespace) -> int:
    catalog = load_catalog(args.catalog, goals=args.goals, sheet=args.sheet)
    inputs = Inputs(
        catalog,
        budget(args.budget),
        goal_weights=pairs(args.goal_weight, "--goal-weight", high=MAX_WEIGHT),
        evidence_weight=number(args.evidence_weight, "--evidence-weight", high=MAX_WEIGHT),
        constraints=tuple(constraints(args)),
        assumptions=Assumptions(
            reach=pairs(args.assume_reach, "--assume-reach", high=MAX_REACH),
            cost=pairs(args.assume_cost, "--assume-cost", high=MAX_KR, what=KRONER),
            intensity=pairs(args.intensity, "--intensity", high=MAX_WEIGHT),
            extend=extensions(args.extend),
            range_reach=args.range_reach,
        ),
    )
    scenario = Scenario(
        name=Path(args.catalog).stem,
        inputs=inputs,
        catalog_path=Path(args.catalog).resolve(),
        goals_path=Path(args.goals).resolve() if args.goals else None,
        solver=args.solver,
    )
    result = _solved(scenario, args)
    code = _emit_run(result, args)
    if args.write_model:  # after the output, so a failure to write it leaves the output complete
        result.result.write_model(args.write_model)  # written atomically
    return code


def _solved(scenario: Scenario, args: argparse.Namespace) -> ScenarioRun:
    """The scenario run within --time-limit seconds per solve (its baseline valued where it only values one)."""
    if not scenario.optimize:
        return run(scenario)
    return ScenarioRun(scenario, solve(scenario.inputs, solver=scenario.solver, time_limit=args.time_limit))


def run_command(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    result = _solved(scenario, args)
    comparison = compare(baseline(scenario), result) if args.compare_baseline and scenario.optimize else None
    return _emit_run(result, args, comparison=comparison)


def compare_command(args: argparse.Namespace) -> int:
    scenarios = [load_scenario(path) for path in args.scenarios]
    runs = [run(s) for s in scenarios]
    if args.baseline:
        runs.insert(0, baseline(scenarios[0]))
    if len(runs) < 2:
        raise UsageError("compare needs two scenarios, or one with --baseline")
    comparison = compare(*runs)
    return _emit(
        args,
        text=lambda: report.comparison_text(comparison),
        data=lambda: report.comparison_dict(comparison),
        table=comparison.by_indsats,
        excel=lambda path: write_excel(runs[-1], path, comparison=comparison),
    )


def sweep_command(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    start, stop, step = (
        money(v, flag) for v, flag in ((args.start, "--from"), (args.stop, "--to"), (args.step, "--step"))
    )
    if step <= 0 or stop < start:
        raise UsageError("--step must be positive and --to at least --from")
    count = int((stop - start) // step) + 1
    checked_count(count, "the number of budgets (--from, --to, --step)", cap=args.max_points, flag="--max-points")
    budgets = [start + k * step for k in range(count)]
    result = sweep_budget(scenario, budgets, progress=not args.quiet)
    return _emit(
        args,
        text=lambda: report.sweep_text(result),
        data=lambda: report.frames_dict({"sweep": result.points, "entries": result.entries}),
        table=result.points,
        excel=lambda path: write_sweep_excel(result, path, name=scenario.name),
    )


def robustness_command(args: argparse.Namespace) -> int:
    checked_count(args.n, "-n (the number of draws)", cap=args.max_draws, flag="--max-draws")
    if args.seed < 0:
        raise UsageError(f"--seed must be 0 or more, got {args.seed}")
    scenario = load_scenario(args.scenario)
    result = robustness(scenario, args.n, seed=args.seed, progress=not args.quiet, time_limit=args.time_limit)
    return _emit(
        args,
        text=lambda: report.robustness_text(result),
        data=lambda: report.robustness_dict(result),
        table=result.table,
        excel=lambda path: write_robustness_excel(result, path, name=scenario.name),
    )


def frontier_command(args: argparse.Namespace) -> int:
    checked_count(args.points, "--points", cap=args.max_points, flag="--max-points")
    scenario = load_scenario(args.scenario)
    result = frontier(scenario, args.goal_a, args.goal_b, points=args.points, progress=not args.quiet)
    return _emit(
        args,
        text=lambda: report.frontier_text(result),
        data=lambda: report.frames_dict({"frontier": result.points, "amounts": result.amounts}),
        table=result.points,
        excel=lambda path: write_frontier_excel(result, path, name=scenario.name),
    )


def validate_command(args: argparse.Namespace) -> int:
    catalog = load_catalog(args.catalog, goals=args.goals, sheet=args.sheet)
    flat = as_written(catalog)
    return _emit(
        args,
        text=lambda: report.validate_text(args.catalog, catalog),
        data=lambda: {"catalog": str(args.catalog), "rows": len(catalog), "problems": []},
        table=flat,
        excel=lambda path: write_catalog_excel(catalog, path),
    )


# --- output -------------------------------------------------------------------------------------


def _emit_run(result: ScenarioRun, args: argparse.Namespace, *, comparison: Comparison | None = None) -> int:
    """Print the run in the chosen format, then write --excel if asked (a failure to write exits 2 after it)."""
    explanation = None
    if result.result.status.is_proven and result.result.model is not None:
        wanted = getattr(args, "explain", False)  # what 100.000 kr. more buy is always shown; the rest on request
        explanation = explain(result.result) if wanted else Explanation(budget_next_100k(result.result))
    if args.format == "json":
        data = result.result.to_dict()
        if explanation is not None:
            data["budget_next_100k"] = by_year(explanation.budget_next_100k)
        if explanation is not None and getattr(args, "explain", False):
            gains = explanation.to_dict()
            for item in data["binding"]:
                item["gain_next_100k"] = gains["gain_next_100k"].get(item["constraint"])
            data["entry_thresholds"] = gains["entry_thresholds"]
            data["next_100k_goes_to"] = gains["next_100k_goes_to"]
        if comparison is not None:
            data["comparison"] = report.comparison_dict(comparison)
        _print_json(data)
    elif args.format == "csv":
        write_csv(result.result.allocation, sys.stdout)
    else:
        print(report.run_text(result, explanation=explanation))
        if comparison is not None:
            print()
            print(report.comparison_text(comparison))
    sys.stdout.flush()
    if args.excel:
        next_100k = explanation.budget_next_100k if explanation is not None else None
        write_excel(result, args.excel, comparison=comparison, next_100k=next_100k)
    return 0 if result.result.status.is_proven else 1


def _emit(
    args: argparse.Namespace,
    *,
    text: Callable[[], str],
    data: Callable[[], dict[str, Any]],
    table: pd.DataFrame,
    excel: Callable[[str], object],
) -> int:
    """Print in the chosen format (the text, `data` as JSON or `table` as CSV), then write --excel if asked."""
    if args.format == "json":
        _print_json(data())
    elif args.format == "csv":
        write_csv(table, sys.stdout)
    else:
        print(text())
    sys.stdout.flush()
    if args.excel:
        excel(args.excel)
    return 0


def _print_json(data: dict[str, Any]) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
