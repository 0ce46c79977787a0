"""The Excel workbook for a committee paper (in Danish), and tables as CSV for machines.

Cells that hold user text (names, notes, assumptions) are written as text even when they start with
"=", "+", "-" or "@", so a spreadsheet never runs them as formulas; CSV fields get an apostrophe in
front of such text. Every file is written atomically: a reader never sees half of one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

import pandas as pd

from optimizer.constraints import Constraint, Year
from optimizer.explain import binding_gains, budget_next_100k
from optimizer.files import atomic_path
from optimizer.formats import Kind, format_kr, format_number, format_share
from optimizer.limits import is_real
from optimizer.notes import Note
from optimizer.result import Binding, Result, ask_column, year_column
from scenarios.compare import Comparison
from scenarios.run import ScenarioRun
from scenarios.safe_text import csv_line, terminal_text
from scenarios.spec import constraint_to_dict
from scenarios.workbook import Book
from ui_text import BINDING, CONSTRAINT_WORDS, CONSTRAINTS, NOTE_WORDS, NOTES
from ui_text import EXCEL as T

ALLOCATION_WIDTHS = {"id": 22, "name": 26, "goals": 22, "reach_unit": 20}  # the allocation is a wide table

# --- the core's structured texts in Danish -------------------------------------------------------


def render_assumption(note: Note) -> str:
    """An assumption behind the numbers, in Danish (templates in ui_text.NOTES)."""
    return note.render(NOTES, NOTE_WORDS)


def render_binding(binding: Binding) -> str:
    """What a binding limit means ("Betydning"), in Danish (templates in ui_text.BINDING by kind)."""
    later, _, first = binding.label.partition("<-")
    words = {
        "label": binding.label,
        "later": later,
        "first": first,
        "ids": binding.label.replace("|", ", "),
        "bound": format_kr(binding.bound) if binding.unit == "kr" else format_number(binding.bound),
        "year": "" if binding.year is None else CONSTRAINT_WORDS["year"].format(year=binding.year),
    }
    return BINDING.get(binding.kind, "{label}").format(**words)


# --- the committee workbook ---------------------------------------------------------------------


def write_excel(
    run: ScenarioRun,
    path: str | Path,
    *,
    comparison: Comparison | None = None,
    next_100k: Mapping[Year, float] | None = None,
) -> Path:
    """Write the run as a workbook: summary, allocation, udvalg, goals, assumptions, constraints, comparison.
    `next_100k`: what 100.000 kr. more buys per year where the caller re-solved it already (budget_next_100k)."""
    book = Book()
    result = run.result
    gains: dict[Year, float] = {}
    if result.status.is_proven and result.model is not None:
        gains = dict(next_100k) if next_100k is not None else budget_next_100k(result)
    _summary(book, run, comparison, gains)
    _allocation(book, run)
    _udvalg(book, run)
    _goals(book, run)
    book.lines(book.sheet(T["sheet_assumptions"]), T["assumptions_head"], _assumptions(run))
    _constraints(book, run, gains)
    if comparison is not None:
        _comparison(book, comparison)
    return book.save(path, notes_sheet=T["sheet_summary"])


def status_text(status: str, *, short: bool = False) -> str:
    """A status value ("optimal", …) in Danish words."""
    return T[("status_short_" if short else "status_") + status]


def weight_warning(comparison: Comparison) -> str | None:
    """In Danish: which weights differ between the compared runs, or None when they agree."""
    parts = [
        f"{T['evidence_weight'] if goal is None else T['goal_weight'].format(goal=goal)}: "
        + ", ".join(f"{label} {format_number(weight, trim=True)}" for label, weight in weights.items())
        for goal, weights in comparison.differing_weights()
    ]
    return T["weights_differ"].format(differences="; ".join(parts)) if parts else None


def _summary(book: Book, run: ScenarioRun, comparison: Comparison | None, gains: dict[Year, float]) -> None:
    result, scenario = run.result, run.scenario
    sheet = book.sheet(T["sheet_summary"])
    book.title(sheet, T["summary_head"])
    rows: list[tuple[str, object, Kind | None]] = [
        (T["scenario"], scenario.name, None),
        (T["description"], scenario.description, None),
        (T["catalog"], scenario.catalog_path.name if scenario.catalog_path else T["catalog_in_memory"], None),
        (T["status"], status_text(result.status.value), None),
    ]
    if result.conflict is not None:  # why there is no allocation (the core's words)
        rows.append((T["conflict"], result.conflict.message, None))
    rows.append((T["objective"], result.objective, Kind.VALUE))
    for use in result.budget_use:
        suffix = "" if use.year is None else f" {use.year}"
        rows += [
            (T["pulje"] + suffix, use.pulje_kr, Kind.KRONER),
            (T["fixed_lines"] + suffix, use.fixed_kr, Kind.KRONER),
            (T["allocated"] + suffix, use.allocated_kr, Kind.KRONER),
            (T["unused"] + suffix, use.unused_kr, Kind.KRONER),
        ]
    for year, value in gains.items():
        rows.append((T["next_100k"] + ("" if year is None else f" {year}"), value, Kind.VALUE))
    for year, value in result.budget_rate_per_100k.items():
        rows.append((T["rate_per_100k"] + ("" if year is None else f" {year}"), value, Kind.VALUE))
    if result.rates_from_relaxation:
        rows.append((T["shadow_note"], T["shadow_relaxation"], None))
    if comparison is not None:
        legend = "; ".join(f"{label}: {name}" for label, name in comparison.legend.items())
        rows.append((T["sheet_comparison"], legend, None))
        warning = weight_warning(comparison)
        if warning:
            rows.append((T["warning"], warning, None))
    book.pairs(sheet, rows)


def _allocation(book: Book, run: ScenarioRun) -> None:
    sheet = book.sheet(T["sheet_allocation"])
    labels = {
        "id": T["id"], "name": T["name"], "udvalg": T["udvalg"], "goals": T["goals"], "cost_kr": T["cost_kr"],
        "amount_kr": T["amount_kr"], **_year_labels(run), **_ask_labels(run), "funded_share": T["funded_share"],
        "reach_used": T["reach_used"], "reach_unit": T["reach_unit"], "reached": T["reached"], "stars": T["stars"],
        "value": T["value"], "value_per_100k": T["value_per_100k"],
    }  # fmt: skip
    allocation = run.result.allocation
    frame = allocation.assign(goals=allocation["goals"].str.replace(";", ", "))
    first = book.table(sheet, frame, labels, widths=ALLOCATION_WIDTHS)
    totals = {}
    for column, key in enumerate([k for k in labels if k in frame.columns], start=1):
        if key == "value" or key.startswith("amount_kr"):
            cells = [sheet.cell(r, column).value or 0.0 for r in range(first + 1, sheet.max_row + 1)]
            totals[column] = (float(sum(cells)), Kind.VALUE if key == "value" else Kind.KRONER)  # as shown
    book.total_row(sheet, totals)


def _udvalg(book: Book, run: ScenarioRun) -> None:
    sheet = book.sheet(T["sheet_udvalg"])
    frame = run.result.by_udvalg
    labels = {"udvalg": T["udvalg"], "amount_kr": T["amount_kr"], **_year_labels(run)}
    book.table(sheet, frame, labels)
    keys = [key for key in labels if key in frame.columns]
    book.total_row(sheet, {keys.index(k) + 1: (float(frame[k].sum()), Kind.KRONER) for k in keys[1:]})
    book.note(sheet, T["per_udvalg_note"])


def _goals(book: Book, run: ScenarioRun) -> None:
    sheet = book.sheet(T["sheet_goals"])
    labels = {
        "goal": T["goal"],
        "title": T["goal_title"],
        "weight": T["weight"],
        "amount_kr": T["goal_amount_kr"],
        "value": T["value"],
    }
    book.table(sheet, run.result.by_goal, labels)
    book.note(sheet, T["per_goal_note"])


def _assumptions(run: ScenarioRun) -> list[str]:
    return [render_assumption(note) for note in run.result.notes] or [T["none"]]


def _constraints(book: Book, run: ScenarioRun, budget: dict[Year, float]) -> None:
    sheet = book.sheet(T["sheet_constraints"])
    book.heading(sheet, T["constraints_head"])
    files: list[str | None] = [_in_file(c) for c in run.scenario.constraints] or [None]
    listed = pd.DataFrame(
        {"text": [constraint_text(c) for c in run.scenario.constraints] or [T["none"]], "file": files}
    )
    book.table(sheet, listed, {"text": T["constraint_text"], "file": T["constraint_file"]})
    result = run.result
    if not result.binding:
        return
    book.heading(sheet, T["binding_head"])
    gains = binding_gains(result, budget) if result.status.is_proven else {}
    shown = pd.DataFrame(
        {
            "constraint": [b.name for b in result.binding],
            "about": [render_binding(b) for b in result.binding],
            "bound": [b.bound for b in result.binding],
            "gain": [gains.get(b.name) for b in result.binding],
            "rate": [b.rate_per_100k for b in result.binding],
        }
    )
    labels = {"constraint": T["constraint"], "about": T["about"], "bound": T["bound"], "gain": T["binding_gain"],
              "rate": T["binding_rate"]}  # fmt: skip
    first = book.table(sheet, shown, labels, kinds={"bound": Kind.KRONER, "gain": Kind.VALUE, "rate": Kind.VALUE})
    bound = list(labels).index("bound") + 1
    for offset, binding in enumerate(result.binding, start=1):
        if binding.unit != "kr":  # a bound is in kroner only for the rows that limit kroner
            book.put(sheet.cell(first + offset, bound), binding.bound, Kind.VALUE)
    book.note(sheet, T["binding_note"])
    if result.rates_from_relaxation:
        book.note(sheet, T["shadow_relaxation"])


def constraint_text(constraint: Constraint) -> str:
    """A scenario constraint in Danish words, e.g. "Højst 50 % af puljen til udvalget AUU"."""
    template = CONSTRAINTS.get(getattr(constraint, "kind", ""))
    if template is None or not dataclasses.is_dataclass(constraint):
        return _in_file(constraint)
    fields = {f.name: getattr(constraint, f.name) for f in dataclasses.fields(constraint)}
    words = {key: _constraint_value(key, value) for key, value in fields.items()}
    if "share" in fields and fields["share"] is not None and "kr" in fields:
        words["limit"] = CONSTRAINT_WORDS["share_of_pulje"].format(share=format_share(fields["share"]))
    else:
        words["limit"] = words.get("kr", "")
    words["year"] = "" if fields.get("year") is None else CONSTRAINT_WORDS["year"].format(year=fields["year"])
    return template.format(**words)


def _constraint_value(key: str, value: object) -> str:
    if key in ("id", "ids") and value in ("*", ()):
        return CONSTRAINT_WORDS["every_indsats"]
    if key == "kr" and is_real(value):  # a number, as every constraint checks its kr and share
        return format_kr(value)
    if key == "share" and is_real(value):
        return format_share(value)
    if isinstance(value, tuple):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)


def _in_file(constraint: Constraint) -> str:
    """The constraint as the scenario file writes it: kind, then its fields."""
    fields = constraint_to_dict(constraint)
    return f"{fields.pop('kind')}: " + ", ".join(f"{key} = {value}" for key, value in fields.items())


def _comparison(book: Book, comparison: Comparison) -> None:
    """The runs (labels A, B … with their names and values), then the amounts per indsats, udvalg and goal:
    every table keeps its keys in columns A-C and the runs' amounts from column D on."""
    sheet = book.sheet(T["sheet_comparison"])
    book.heading(sheet, T["compare_runs_head"])
    objective = comparison.objective.assign(status=[status_text(s, short=True) for s in comparison.objective["status"]])
    labels = {"label": T["label"], "run": T["run"], "status": T["status"], "objective": T["objective"]}
    book.table(sheet, objective, {**labels, "allocated_kr": T["allocated"]})
    warning = weight_warning(comparison)
    if warning:
        book.note(sheet, warning, bold=True)
    change = T["change"].format(first=comparison.labels[0], last=comparison.labels[-1])
    amounts = {**{label: label for label in comparison.labels}, "change": change}
    kinds = dict.fromkeys(comparison.labels, Kind.KRONER)
    for head, frame, keys in (
        ("compare_indsats_head", comparison.by_indsats, {"id": T["id"], "name": T["name"], "udvalg": T["udvalg"]}),
        ("compare_udvalg_head", comparison.by_udvalg.assign(_b=None, _c=None), {"udvalg": T["udvalg"]}),
        ("compare_goal_head", comparison.by_goal.assign(_c=None), {"goal": T["goal"], "title": T["goal_title"]}),
    ):
        book.heading(sheet, T[head])
        columns = {**keys, **{blank: "" for blank in ("_b", "_c") if blank in frame.columns}}
        book.table(sheet, frame, {**columns, **amounts}, kinds=kinds)
    book.note(sheet, T["per_goal_note"])


def _year_labels(run: ScenarioRun | Result) -> dict[str, str]:
    years = (run.result if isinstance(run, ScenarioRun) else run).years
    return {} if years == (None,) else {year_column(y): f"{T['amount_kr']} {y}" for y in years}


def _ask_labels(run: ScenarioRun) -> dict[str, str]:
    """The multi-year allocation's asks per year beside the amounts (an indsats gets at most its ask)."""
    years = run.result.years
    return {} if years == (None,) else {ask_column(y): T["ask_kr"].format(year=y) for y in years}


# --- CSV ----------------------------------------------------------------------------------------


def write_csv(frame: pd.DataFrame, target: str | Path | TextIO) -> None:
    """Write a table as CSV (UTF-8, comma-separated) to a file (atomically) or an open text stream such as
    sys.stdout. Missing values are empty; fields with ; are quoted; formula-like text is neutralized.
    On a terminal, control characters are shown as escapes (the data is for reading there, not for a file)."""
    if isinstance(target, str | Path):
        with atomic_path(target) as temporary, temporary.open("w", newline="", encoding="utf-8") as handle:
            write_csv(frame, handle)
        return
    lines = [csv_line([str(column) for column in frame.columns])]
    lines += [csv_line(list(row)) for row in frame.itertuples(index=False)]
    for line in lines:
        target.write(terminal_text(line.removesuffix("\r\n")) + "\n" if target.isatty() else line)
