"""The result beside the reference: the budget bar, the key figures, what the reference is (and pinning
another), and the allocation: the table per indsats, the chart, the totals per udvalg and per goal."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from optimizer.formats import Kind, format_count, format_kr, format_number
from optimizer.result import Result, ask_column, year_column
from scenarios.settings import Settings
from scenarios.whatif import WhatIf
from ui import charts, state
from ui.tables import md, show
from ui_text import COLUMNS, COMMITTEE, REFERENCE, RESULTS, STATUS

KRONER = {"reference_kr": Kind.KRONER, "amount_kr": Kind.KRONER, "change_kr": Kind.KRONER, "cost_kr": Kind.KRONER}
VALUES = {"reference_value": Kind.VALUE, "value": Kind.VALUE, "change_value": Kind.VALUE}
WIDTHS = {"name": "medium", "udvalg": "small", "reason": "medium"}
SORTS = {
    "udvalg": (["udvalg", "name"], [True, True]),
    "value_per_100k": (["value_per_100k"], [False]),
    "change_kr": (["change_kr"], [False]),
    "amount_kr": (["amount_kr"], [False]),
}


def budget_bar(result: Result) -> None:
    """Per year: how much of the pulje is allocated, as a bar and in words (kept in view while scrolling)."""
    with st.container(key="budget_bar"):
        for use in result.budget_use:
            available = use.pulje_kr - use.fixed_kr
            share = 0.0 if available <= 0 else min(1.0, max(0.0, use.allocated_kr / available))
            words = {
                "pulje": format_kr(use.pulje_kr),
                "allocated": format_kr(use.allocated_kr),
                "available": format_kr(available),
                "fixed": format_kr(use.fixed_kr),
                "unused": format_kr(use.unused_kr),
            }
            words["year"] = "" if use.year is None else f" {use.year}"
            text = RESULTS["budget_line_fixed" if use.fixed_kr else "budget_line"].format(**words)
            st.progress(share, text=md(text))


def deltas(whatif: WhatIf) -> tuple[str | None, str | None, str | None]:
    """The key figures' changes from the reference in words ("+12,50", "-1", "2 indsatser ændret"), None
    without a reference."""
    figures = whatif.figures
    assert figures is not None
    if figures.reference_value is None or figures.reference_funded is None or figures.changed is None:
        return None, None, None
    value = figures.value - figures.reference_value
    count = figures.funded - figures.reference_funded
    changed = RESULTS["changed_one" if figures.changed == 1 else "changed_many"].format(count=figures.changed)
    return _signed(value, format_number(value)), _signed(count, format_count(count)), changed


def _signed(value: float, text: str) -> str:
    return text if value < 0 or text.startswith("-") else "+" + text


def unchanged(delta: str | None) -> bool:
    return delta is None or delta.lstrip("+-").strip("0,.") == ""


def delta_color(delta: str | None) -> str:
    """Green up, red down; grey when nothing changed (a "+0" is not good news)."""
    return "off" if unchanged(delta) else "normal"


def delta_arrow(delta: str | None) -> str:
    """No arrow when nothing changed."""
    return "off" if unchanged(delta) else "auto"


def key_figures(whatif: WhatIf, *, committee: bool = False) -> None:
    """The total value, the funded indsatser and how far the allocation is from the reference, each with its
    change from the reference; the committee view says "7 af 8" and leaves out the help and the borders
    (its style draws its own)."""
    figures = whatif.figures
    assert figures is not None and whatif.table is not None
    value_delta, count_delta, changed = deltas(whatif)
    labels = COMMITTEE if committee else RESULTS
    funded = format_count(figures.funded)
    if committee:
        funded += " " + COMMITTEE["of"].format(count=len(whatif.table))
    moved = format_kr(figures.changed_kr) if figures.changed_kr is not None else "–"
    shown = (  # label, value, change, help, and whether the change is good or bad news (a count is neither)
        (labels["value"], format_number(figures.value), value_delta, None if committee else RESULTS["value_help"], 0),
        (labels["funded"], funded, count_delta, None, 0),
        (labels["moved"], moved, changed, None if committee else RESULTS["moved_help"], 1),
    )
    for column, (label, value, delta, help, plain) in zip(st.columns(3), shown, strict=True):
        column.metric(label, value, delta, help=help, border=not committee,
                      delta_color="off" if plain else delta_color(delta),
                      delta_arrow="off" if plain else delta_arrow(delta))  # fmt: skip


def reference_line(settings: Settings, whatif: WhatIf, has_decided: bool) -> None:
    """What the reference is, and the buttons to pin the shown allocation or go back to the decided one."""
    origin = settings.reference_origin if settings.reference is not None else ("decided" if has_decided else "none")
    text, pin, unpin = st.columns([4, 2, 3], vertical_alignment="center")
    text.caption(REFERENCE.get(origin, REFERENCE["pinned"]))
    if whatif.result is not None and whatif.result.is_ok:
        pin.button(
            REFERENCE["pin"], help=REFERENCE["pin_help"], on_click=_pin, args=(whatif.result,), key=state.key("pin")
        )
    if has_decided and settings.reference is not None:
        unpin.button(REFERENCE["unpin"], on_click=_unpin, key=state.key("unpin"))
    if whatif.reference_problem:
        st.info(REFERENCE["problem"].format(detail=md(whatif.reference_problem)))


def _pin(result: Result) -> None:
    state.set_settings(state.settings().pinned(result, "pinned"))  # type: ignore[union-attr]


def _unpin() -> None:
    state.set_settings(state.settings().replace(reference=None, reference_origin=""))  # type: ignore[union-attr]


def allocation(whatif: WhatIf) -> pd.DataFrame:
    """The table per indsats (reference, now, the changes, why), in the order chosen; returns that order."""
    assert whatif.table is not None and whatif.result is not None
    options = RESULTS["sort_options"]
    chosen = st.segmented_control(
        RESULTS["sort"], list(options), format_func=options.get, default="udvalg", key=state.key("sort"), required=True
    )
    columns, ascending = SORTS[chosen or "udvalg"]
    table = whatif.table.assign(status_text=[STATUS[status] for status in whatif.table["status"].tolist()])
    table = table.sort_values(columns, ascending=ascending, kind="stable")
    labels = {
        "name": COLUMNS["name"],
        "udvalg": COLUMNS["udvalg"],
        "status_text": COLUMNS["status"],
        "reference_kr": COLUMNS["reference_kr"],
        "amount_kr": COLUMNS["amount_kr"],
        "change_kr": COLUMNS["change_kr"],
        "change_value": COLUMNS["change_value"],
        "reason": COLUMNS["reason"],
        "value_per_100k": COLUMNS["value_per_100k"],
    }
    st.caption(RESULTS["table_caption"])
    height = min(38 + 35 * len(table), 460)
    show(table, labels, kinds={**KRONER, **VALUES}, height=height, sortable=True, widths=WIDTHS)
    return table


def details(whatif: WhatIf, table: pd.DataFrame) -> None:
    """Below the table: each year's amount against its ask (two-year plans), the chart, the totals."""
    _per_year(whatif, table)
    spec = charts.allocation(table, STATUS)
    st.vega_lite_chart(spec=spec, width="stretch", alt=RESULTS["chart_alt"])
    st.caption(RESULTS["chart_note"])
    totals(whatif)


def _per_year(whatif: WhatIf, table: pd.DataFrame) -> None:
    """In a multi-year plan: each year's amount beside what the indsats asks for that year."""
    assert whatif.result is not None
    years = whatif.result.years
    if years == (None,):
        return
    labels = {"name": COLUMNS["name"]}
    for year in years:
        labels[year_column(year)] = COLUMNS["amount_year"].format(year=year)
        labels[ask_column(year)] = COLUMNS["ask_year"].format(year=year)
    st.markdown(f"**{RESULTS['per_year']}**")
    show(table, labels, kinds=dict.fromkeys(list(labels)[1:], Kind.KRONER), widths={"name": "medium"})


def totals(whatif: WhatIf) -> None:
    """Totals per udvalg and per goal, reference beside now."""
    assert whatif.by_udvalg is not None and whatif.by_goal is not None
    st.markdown(f"**{RESULTS['per_udvalg']}**")
    labels = {
        "udvalg": COLUMNS["udvalg"],
        "reference_kr": COLUMNS["reference_kr"],
        "amount_kr": COLUMNS["amount_kr"],
        "change_kr": COLUMNS["change_kr"],
    }
    show(whatif.by_udvalg, labels, kinds=KRONER, widths={"udvalg": "medium"})
    st.markdown(f"**{RESULTS['per_goal']}**")
    labels = {
        "title": COLUMNS["goal"],
        "reference_kr": COLUMNS["reference_kr"],
        "amount_kr": COLUMNS["amount_kr"],
        "change_kr": COLUMNS["change_kr"],
        "reference_value": COLUMNS["reference_value"],
        "value": COLUMNS["value"],
        "change_value": COLUMNS["change_value"],
    }
    show(whatif.by_goal, labels, kinds={**KRONER, **VALUES}, widths={"title": "large"})
    st.caption(RESULTS["per_goal_note"])
