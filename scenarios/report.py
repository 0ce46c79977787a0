"""Plain-text and JSON renderings of runs, comparisons, sweeps, robustness and frontiers (for the CLI).

The prose is English, the numbers Danish (4.786,13; 1.234.567; 40 %), each column formatted by its kind
(`optimizer.formats`). Every text is made safe for a terminal: control characters in ids or names are
shown as escapes, never acted on.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from optimizer.explain import Explanation
from optimizer.formats import Kind, column_kind, format_as, format_count, format_kr, format_number, is_missing
from optimizer.result import Result
from scenarios.compare import Comparison
from scenarios.frontier import Frontier
from scenarios.robustness import Robustness
from scenarios.run import ScenarioRun
from scenarios.safe_text import terminal_cell, terminal_text
from scenarios.sweep import Sweep

PER_GOAL_NOTE = "an indsats counts under every goal it serves, so the amounts add up to more than the total"
NONE = "  (none)"


def run_text(run: ScenarioRun, *, explanation: Explanation | None = None) -> str:
    """A run as text: status, pulje, the allocation, totals, binding limits (with what loosening each really
    buys, when explained), what unfunded indsatser would need (when explained), assumptions."""
    result = run.result
    parts = [f"Scenario: {run.name}", result.status.describe()]
    if result.message:
        parts.append(result.message)
    if result.conflict is not None:
        parts.append(result.conflict.message)
    if result.is_ok:
        parts.extend(result.outcome_lines(explanation.budget_next_100k if explanation is not None else None))
        if explanation is not None and explanation.next_100k_goes_to is not None:
            parts.extend(_goes_to(result, explanation))
        columns = ["id", "udvalg", "cost_kr", "amount_kr"]
        columns += [c for c in result.allocation.columns if c.startswith(("amount_kr_", "ask_kr_"))]
        columns += ["funded_share", "value", "value_per_100k"]
        parts += ["", _table(result.allocation[columns]), ""]
        parts.append("By udvalg:\n" + _table(result.by_udvalg))
        parts.append(f"By goal ({PER_GOAL_NOTE}):\n" + _table(result.by_goal.drop(columns=["title"])))
        if result.binding:
            rate = "LP relaxation's rate" if result.rates_from_relaxation else "rate at the margin"
            limits = _binding(result)
            headers = {"rate_per_100k": f"{rate} per 100.000 kr."}
            if explanation is not None and explanation.binding_gains is not None:
                limits["next_100k_buys"] = [explanation.binding_gains.get(b.name) for b in result.binding]
            parts.append(
                "Binding limits (value a limit loosened by 100.000 kr. buys; positive: loosening helps):\n"
                + _table(limits, headers=headers)
            )
        entry = explanation.entry_thresholds if explanation is not None else None
        if entry is not None and not entry.empty:
            entry = entry[["id", "value_per_100k", "needed_value_per_100k", "entry_kr", "note"]]
            parts.append("What the unfunded would need (value per 100.000 kr.):\n" + _table(entry))
    if result.assumptions:
        parts.append("Assumptions:\n" + "\n".join(f"  - {a}" for a in result.assumptions))
    return terminal_text("\n".join(parts))


def _goes_to(result: Result, explanation: Explanation) -> list[str]:
    """Where another 100.000 kr. in the pulje goes, per year, as the re-solve moves it (over all years)."""
    names = dict(zip(result.allocation["id"], result.allocation["name"], strict=True))
    lines = []
    for year, change in (explanation.next_100k_goes_to or {}).items():
        label = "" if year is None else f" {year}"
        moved = "; ".join(
            f"{names.get(i, i)} ({i}) {'+' if kr > 0 else '−'}{format_kr(abs(kr))}" for i, kr in change.items()
        )
        if math.isnan(explanation.budget_next_100k.get(year, math.nan)):
            moved = "not known (the re-solve with 100.000 kr. more has no proven answer)"
        lines.append(f"  Another 100.000 kr. in the pulje{label} goes to: {moved or 'no change in the allocation'}")
    return lines


def _binding(result: Result) -> pd.DataFrame:
    """The binding limits with each bound in its own unit (kroner for most) and the duals' rate."""
    bounds = [format_kr(b.bound, unit="") if b.unit == "kr" else format_number(b.bound) for b in result.binding]
    return result.binding_table[["constraint", "about"]].assign(
        bound=bounds, rate_per_100k=result.binding_table["rate_per_100k"]
    )


def comparison_text(comparison: Comparison) -> str:
    """What differs between runs, and who gains and who loses (last run against the first)."""
    parts = ["Runs:\n" + "\n".join(f"  {label}  {name}" for label, name in comparison.legend.items())]
    warning = weight_warning(comparison)
    if warning:
        parts.append(f"Warning: {warning}")
    if comparison.is_empty:
        parts.append("No differences: the runs allocate the same amounts.")
        return terminal_text("\n\n".join(parts))
    first, last = comparison.labels[0], comparison.labels[-1]
    headers = {"change": f"change ({last}-{first})"}
    kinds = dict.fromkeys(comparison.labels, Kind.KRONER)
    parts.append("Objective:\n" + _table(comparison.objective))
    differences = comparison.differences.drop(columns=["name"])
    parts.append("Indsatser whose amount differs:\n" + _table(differences, kinds=kinds, headers=headers))
    parts.append("By udvalg:\n" + _table(comparison.by_udvalg, kinds=kinds, headers=headers))
    by_goal = comparison.by_goal.drop(columns=["title"])
    parts.append(f"By goal ({PER_GOAL_NOTE}):\n" + _table(by_goal, kinds=kinds, headers=headers))
    for heading, frame in (("Gains", comparison.gains), ("Losses", comparison.losses)):
        if not frame.empty:
            table = _table(frame.drop(columns=["name"]), kinds=kinds, headers=headers)
            parts.append(f"{heading} ({last} against {first}):\n{table}")
    return terminal_text("\n\n".join(parts))


def weight_warning(comparison: Comparison) -> str | None:
    """Which weights differ between the compared runs, in words; None when they agree."""
    parts = [
        f"{'evidence weight' if goal is None else f'weight of {goal}'}: "
        + ", ".join(f"{label} {format_number(weight, trim=True)}" for label, weight in weights.items())
        for goal, weights in comparison.differing_weights()
    ]
    if not parts:
        return None
    return (
        f"the runs were valued with different weights ({'; '.join(parts)}), "
        "so their values do not compare; their amounts do."
    )


def comparison_dict(comparison: Comparison) -> dict[str, Any]:
    """A comparison as JSON-ready data; the tables' run columns are headed by the labels in `legend`."""
    return {
        "runs": comparison.names,
        "legend": comparison.legend,
        "same_weights": comparison.same_weights,
        "warnings": [w for w in [weight_warning(comparison)] if w],
        "weights": _records(comparison.weights),
        "is_empty": comparison.is_empty,
        "objective": _records(comparison.objective),
        "differences": _records(comparison.differences),
        "by_udvalg": _records(comparison.by_udvalg),
        "by_goal": _records(comparison.by_goal),
        "gains": _records(comparison.gains),
        "losses": _records(comparison.losses),
        "assumptions": comparison.assumptions,
    }


def sweep_text(sweep: Sweep) -> str:
    """A sweep as text, with the budget step where money buys the most."""
    text = _table(sweep.points)
    if sweep.points["next_100k_value"].notna().any():
        best = sweep.best_step
        per_year = " a year" if sweep.years != (None,) else ""
        step, value = format_kr(best["budget_per_year_kr"]), format_number(best["next_100k_value"])
        text += f"\n\nAnother 100.000 kr.{per_year} buys the most at a pulje of {step}{per_year}: {value}."
    entries = sweep.entries.dropna(subset=["enters_at_kr"])
    if not entries.empty:
        text += "\n\nFirst funded at:\n" + _table(entries)
    return terminal_text(text)


def robustness_text(result: Robustness) -> str:
    """Core indices and spreads as text."""
    head = f"{format_count(result.draws)} draws (seed {result.seed}); drawn: " + (
        "; ".join(map(str, result.uncertain)) or "nothing (no uncertainty)"
    )
    low, high = np.percentile(result.objectives, [5, 95])
    mean = format_number(np.mean(result.objectives))
    objective = f"Optimal value over the draws: mean {mean}, 5-95 %: {format_number(low)} - {format_number(high)}"
    robust = (
        f"Expected-value plan (expected_kr): expected value {format_number(result.expected_value)}; "
        f"mean of its worst 10 % of draws {format_number(result.expected_plan_cvar)}.\n"
        f"Robust plan (robust_kr, the best mean over the worst 10 % of draws): {format_number(result.robust_cvar)}."
    )
    table = _table(result.table.drop(columns=["name"]))
    return terminal_text("\n".join([head, objective, robust, "", table]))


def robustness_dict(result: Robustness) -> dict[str, Any]:
    """Robustness as JSON-ready data."""
    return {
        "draws": result.draws,
        "seed": result.seed,
        "uncertain": [str(note) for note in result.uncertain],
        "expected_value": result.expected_value,
        "robust_cvar": result.robust_cvar,
        "expected_plan_cvar": result.expected_plan_cvar,
        "objective_mean": float(np.mean(result.objectives)),
        "indsatser": _records(result.table),
    }


def frontier_text(result: Frontier) -> str:
    """The frontier points as text, numbered as in the workbook."""
    points = result.points.assign(point=np.arange(1, len(result.points) + 1))
    points = points[["point", *result.points.columns]]
    head = f"Frontier between {result.goal_a} (value_a) and {result.goal_b} (value_b):\n"
    return terminal_text(head + _table(points))


def validate_text(path: str | Path, catalog: pd.DataFrame) -> str:
    """What `pulje validate` says about a catalog without problems."""
    return terminal_text(f"{path}: {format_count(len(catalog))} rows, no problems.")


def frames_dict(frames: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """Several tables as JSON-ready data."""
    return {name: _records(frame) for name, frame in frames.items()}


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    return [{str(k): _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _plain(value: object) -> object:
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if is_missing(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isinf(value):
        return None
    return value


def _table(frame: pd.DataFrame, *, kinds: dict[str, Kind] | None = None, headers: dict[str, str] | None = None) -> str:
    """The frame as an aligned text table: each column formatted by its kind, numbers right-aligned,
    text left-aligned, every cell escaped for the terminal."""
    if frame.empty:
        return NONE
    columns = []
    for key in frame.columns:
        kind = (kinds or {}).get(key) or column_kind(key, frame[key])
        cells = [terminal_cell(format_as(value, kind)) for value in frame[key]]
        header = terminal_cell(str((headers or {}).get(key, key)))
        width = max(len(header), *(len(cell) for cell in cells))
        align = str.ljust if kind is Kind.TEXT else str.rjust
        columns.append([align(header, width), *(align(cell, width) for cell in cells)])
    return "\n".join("  ".join(row).rstrip() for row in zip(*columns, strict=True))
