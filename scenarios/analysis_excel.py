"""Excel workbooks for the analyses (budget sweep, frontier, robustness), the validated catalog, and any
named tables; in Danish, with a summary sheet where a reader needs one. Written atomically."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl.worksheet.worksheet import Worksheet

from optimizer.catalog import as_written
from optimizer.formats import Kind, format_kr, format_number
from scenarios.export import render_assumption, status_text
from scenarios.frontier import Frontier
from scenarios.robustness import Robustness
from scenarios.sweep import Sweep
from scenarios.workbook import Book
from ui_text import EXCEL as T

ROBUSTNESS_COLUMNS = (
    "id", "name", "core_index", "mean_kr", "sd_kr", "p05_kr", "p50_kr", "p95_kr", "expected_kr", "robust_kr",
)  # fmt: skip


def write_sweep_excel(sweep: Sweep, path: str | Path, *, name: str | None = None) -> Path:
    """The sweep as a workbook: a summary, the value at each budget, and the budget at which each indsats enters."""
    book = Book()
    points = sweep.points
    rows: list[tuple[str, object, Kind | None]] = [(T["scenario"], name, None)]
    budgets = points["budget_per_year_kr"]
    count = len(budgets) - 1
    span = T["budgets_text"].format(first=format_kr(budgets.min()), last=format_kr(budgets.max()), count=count)
    rows.append((T["budgets"], span, None))
    if points["next_100k_value"].notna().any():
        best = sweep.best_step
        text = T["best_step_text"].format(
            budget=format_kr(best["budget_per_year_kr"]), value=format_number(best["next_100k_value"])
        )
        rows.append((T["best_step"], text, None))
    if sweep.years != (None,):
        rows.append((T["sweep_years"], T["sweep_years_text"].format(years=", ".join(map(str, sweep.years))), None))
    _summary(book, T["sweep_head"], rows)
    frame = points.assign(status=[status_text(s, short=True) for s in points["status"]])
    keys = ("budget_per_year_kr", "status", "objective", "next_100k_value", "allocated_kr")
    labels = {key: T[key] for key in keys}
    _table_sheet(book, T["sheet_sweep"], frame, {**labels, "entered": T["entered"], "left": T["left"]})
    sheet = _table_sheet(
        book, T["sheet_entries"], sweep.entries, {"id": T["id"], "name": T["name"], "enters_at_kr": T["enters_at_kr"]}
    )
    if sweep.entries["enters_at_kr"].isna().any():
        book.note(sheet, T["never_entered"])
    return book.save(path, notes_sheet=T["sheet_summary"])


def write_frontier_excel(frontier: Frontier, path: str | Path, *, name: str | None = None) -> Path:
    """The frontier as a workbook: a summary, the points (each goal's value) and the kroner per indsats
    at each point (one column per point, rows by indsats id and name)."""
    book = Book()
    goal_a, goal_b = frontier.goal_a, frontier.goal_b
    rows = [
        (T["scenario"], name, None),
        (T["goal_a"], goal_a, None),
        (T["goal_b"], goal_b, None),
        (T["frontier_method"], T["frontier_method_text"], None),
    ]
    _summary(book, T["frontier_head"], rows)
    points = frontier.points.assign(point=np.arange(1, len(frontier.points) + 1))
    labels = {
        "point": T["point"],
        "epsilon": T["epsilon"].format(goal=goal_b),
        "value_a": T["value_for"].format(goal=goal_a),
        "value_b": T["value_for"].format(goal=goal_b),
        "objective": T["objective"],
    }
    _table_sheet(book, T["sheet_points"], points, labels)
    amounts = frontier.amounts
    points_columns = [c for c in amounts.columns if c.startswith("point_")]
    amount_labels = {"id": T["id"], "name": T["name"]}
    amount_labels |= {key: T["point_label"].format(point=int(key.removeprefix("point_")) + 1) for key in points_columns}
    kinds = dict.fromkeys(points_columns, Kind.KRONER)
    book.table(book.sheet(T["sheet_amounts"]), amounts, amount_labels, kinds=kinds)
    return book.save(path, notes_sheet=T["sheet_summary"])


def write_robustness_excel(result: Robustness, path: str | Path, *, name: str | None = None) -> Path:
    """Robustness as a workbook: what was drawn and the value over the draws, then per indsats its core
    index, the spread of its amount, the expected-value plan and the robust (CVaR) plan."""
    book = Book()
    low, high = np.percentile(result.objectives, [5, 95])
    interval = f"{format_number(low)} - {format_number(high)}"
    drawn = "; ".join(render_assumption(note) for note in result.uncertain) or T["nothing_drawn"]
    rows = [
        (T["scenario"], name, None),
        (T["draws"], result.draws, Kind.COUNT),
        (T["seed"], str(result.seed), None),  # an identifier of the draws, not a quantity
        (T["drawn"], drawn, None),
        (T["objective_mean"], float(np.mean(result.objectives)), Kind.VALUE),
        (T["objective_interval"], interval, None),
        (T["expected_value"], result.expected_value, Kind.VALUE),
        (T["expected_plan_cvar"], result.expected_plan_cvar, Kind.VALUE),
        (T["robust_cvar"], result.robust_cvar, Kind.VALUE),
    ]
    _summary(book, T["robustness_head"], rows)
    labels = {key: T[key] for key in ROBUSTNESS_COLUMNS}
    extra = {c: c for c in result.table.columns if c not in labels}  # columns added later still show
    sheet = _table_sheet(book, T["sheet_robustness"], result.table, {**labels, **extra})
    book.note(sheet, T["robust_note"])
    return book.save(path, notes_sheet=T["sheet_summary"])


def write_catalog_excel(catalog: pd.DataFrame, path: str | Path) -> Path:
    """A validated catalog as a workbook in the catalog format itself (sheets "indsatser" and
    "målsætninger", columns by their keys), so it loads again with load_catalog."""
    book = Book()
    flat = as_written(catalog)
    _table_sheet(book, T["sheet_catalog"], flat, {column: column for column in flat.columns})
    goals = pd.DataFrame(list(catalog.attrs.get("goals", {}).items()), columns=["key", "title"])
    _table_sheet(book, T["sheet_catalog_goals"], goals, {"key": "key", "title": "title"})
    return book.save(path, notes_sheet=T["sheet_notes"])


def write_tables_excel(tables: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """Write named tables to one workbook, a sheet each, headed by their column keys."""
    book = Book()
    for title, frame in tables.items():
        _table_sheet(book, title[:31], frame, {column: column for column in frame.columns})
    return book.save(path, notes_sheet=T["sheet_notes"])


def _summary(book: Book, head: str, rows: Sequence[tuple[str, object, Kind | None]]) -> None:
    sheet = book.sheet(T["sheet_summary"])
    book.title(sheet, head)
    book.pairs(sheet, [row for row in rows if row[1] is not None])


def _table_sheet(book: Book, title: str, frame: pd.DataFrame, labels: dict[str, str]) -> Worksheet:
    sheet = book.sheet(title)
    book.table(sheet, frame, labels)
    return sheet
