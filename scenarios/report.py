"""Plain-text and JSON renderings of runs, comparisons, sweeps, robustness and frontiers (for the CLI)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from optimizer.explain import Explanation
from optimizer.numbers import format_kr
from scenarios.compare import Comparison
from scenarios.frontier import Frontier
from scenarios.robustness import Robustness
from scenarios.run import ScenarioRun
from scenarios.sweep import Sweep


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
        columns = ["id", "udvalg", "cost_kr", "amount_kr"]
        columns += [c for c in result.allocation.columns if c.startswith("amount_kr_")]
        columns += ["funded_share", "value", "value_per_kr"]
        frame = result.allocation[columns].assign(value_per_kr=result.allocation["value_per_kr"] * 100_000)
        parts += ["", _table(frame.rename(columns={"value_per_kr": "value_per_100k"})), ""]
        parts.append("By udvalg:\n" + _table(result.by_udvalg))
        parts.append("By goal:\n" + _table(result.by_goal.drop(columns=["title"])))
        if result.binding:
            rate = "LP relaxation's rate" if result.rates_from_relaxation else "rate at the margin"
            limits = result.binding_table.drop(columns=["kind"]).rename(columns={"rate_per_100k": rate})
            if explanation is not None and explanation.binding_gains is not None:
                limits["next_100k_buys"] = [explanation.binding_gains.get(b.name) for b in result.binding]
            parts.append(
                "Binding limits (value per 100.000 kr. the limit is loosened; positive: loosening helps):\n"
                + _table(limits, kr=["bound"])
            )
        if (
            explanation is not None
            and explanation.entry_thresholds is not None
            and not explanation.entry_thresholds.empty
        ):
            entry = explanation.entry_thresholds.drop(columns=["name"])
            parts.append("What the unfunded would need (value per 100.000 kr.):\n" + _table(entry))
    if result.assumptions:
        parts.append("Assumptions:\n" + "\n".join(f"  - {a}" for a in result.assumptions))
    return "\n".join(parts)


def comparison_text(comparison: Comparison) -> str:
    """What differs between runs, and who gains and who loses (last run against the first)."""
    if comparison.is_empty:
        return "No differences: the runs allocate the same amounts."
    parts = ["Objective:\n" + _table(comparison.objective)]
    kr = comparison.names
    parts.append("Indsatser whose amount differs:\n" + _table(comparison.differences.drop(columns=["name"]), kr=kr))
    parts.append("By udvalg:\n" + _table(comparison.by_udvalg, kr=kr))
    parts.append("By goal:\n" + _table(comparison.by_goal.drop(columns=["title"]), kr=kr))
    for label, frame in (("Gains", comparison.gains), ("Losses", comparison.losses)):
        if not frame.empty:
            heading = f"{label} ({comparison.names[-1]} against {comparison.names[0]})"
            parts.append(f"{heading}:\n" + _table(frame.drop(columns=["name"]), kr=kr))
    return "\n\n".join(parts)


def comparison_dict(comparison: Comparison) -> dict:
    """A comparison as JSON-ready data."""
    return {
        "runs": comparison.names,
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
    frame = sweep.points.assign(
        entered=sweep.points["entered"].map(", ".join), left=sweep.points["left"].map(", ".join)
    )
    text = _table(frame)
    if sweep.points["next_100k_value"].notna().any():
        best = sweep.best_step
        step = format_kr(best["budget_per_year_kr"])
        per_year = " a year" if sweep.years != (None,) else ""
        text += f"\n\nAnother 100.000 kr.{per_year} buys the most at {step}{per_year}: {best['next_100k_value']:,.2f}."
    entries = sweep.entries.dropna(subset=["enters_at_kr"])
    if not entries.empty:
        text += "\n\nFirst funded at:\n" + _table(entries)
    return text


def robustness_text(result: Robustness) -> str:
    """Core indices and spreads as text."""
    head = f"{result.draws} draws (seed {result.seed}); drawn: " + (
        "; ".join(result.uncertain) or "nothing (no uncertainty)"
    )
    low, high = np.percentile(result.objectives, [5, 95])
    objective = f"Optimal value over the draws: mean {np.mean(result.objectives):,.2f}, 5-95 %: {low:,.2f}-{high:,.2f}"
    return "\n".join([head, objective, "", _table(result.table.drop(columns=["name"]))])


def robustness_dict(result: Robustness) -> dict:
    """Robustness as JSON-ready data."""
    return {
        "draws": result.draws,
        "seed": result.seed,
        "uncertain": result.uncertain,
        "expected_value": result.expected_value,
        "robust_cvar": result.robust_cvar,
        "expected_plan_cvar": result.expected_plan_cvar,
        "objective_mean": float(np.mean(result.objectives)),
        "indsatser": _records(result.table),
    }


def frontier_text(result: Frontier) -> str:
    """The frontier points as text."""
    return f"Frontier between {result.goal_a} (value_a) and {result.goal_b} (value_b):\n" + _table(result.points)


def frames_dict(frames: dict[str, pd.DataFrame]) -> dict:
    """Several tables as JSON-ready data."""
    return {name: _records(frame) for name, frame in frames.items()}


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _plain(value: object) -> object:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


def _table(frame: pd.DataFrame, kr: list[str] | tuple[str, ...] = ()) -> str:
    formatters = {}
    for column in frame.columns:
        if column.endswith("_kr") or column.startswith("amount_kr") or column in ("change", *kr):
            formatters[column] = lambda v: "" if pd.isna(v) else format_kr(v, unit="")
        elif column in ("funded_share", "core_index"):
            formatters[column] = lambda v: "" if pd.isna(v) else f"{v:.0%}"
        elif pd.api.types.is_float_dtype(frame[column]):
            formatters[column] = lambda v: "" if pd.isna(v) else f"{v:,.2f}"
    return frame.to_string(index=False, formatters=formatters)
