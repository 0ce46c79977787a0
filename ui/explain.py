"""Why, in plain Danish: what stops the model (missing figures, settings that do not fit, contradicting
limits and the smallest change that reconciles them), and for a solved allocation what 100.000 kr. more
would buy and where it would go, which limits bind and what loosening each buys, the room left under
each limit, and why each indsats without money gets none."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from optimizer.formats import Kind, format_kr, format_number
from optimizer.result import FUNDED_EPS
from scenarios.export import status_text
from scenarios.settings import Settings
from scenarios.whatif import WhatIf, limit_use
from scenarios.why import binding_table
from ui import state
from ui.tables import md, show
from ui_text import COLUMNS, EDITOR, EXPLAIN, RESULTS, STATUS


def blockers(whatif: WhatIf, catalog: pd.DataFrame) -> None:
    """What keeps the model from an allocation, each said with what to do about it."""
    if whatif.problems:
        st.error("\n".join([EXPLAIN["problems_head"], *(f"- {md(p)}" for p in whatif.problems)]))
    if whatif.missing:
        names = dict(zip(catalog["id"], catalog["name"], strict=True))
        lines = []
        for kind in ("cost", "reach"):
            listed = [names.get(i, i) for i, k in whatif.missing if k == kind]
            if listed:
                text = EDITOR["missing_" + kind].format(count=len(listed), names="; ".join(listed))
                lines.append(f"- {md(text)}")
        st.warning("\n".join([f"**{EDITOR['missing_head']}**", *lines, "", EDITOR["missing_help"]]))
    result = whatif.result
    if result is not None and whatif.conflict is not None:
        conflict(whatif)
    elif result is not None and not result.is_ok:
        st.error(RESULTS["no_answer"].format(detail=md(status_text(result.status.value))))
    elif result is not None and not result.status.is_proven:
        st.warning(RESULTS["not_proven"])


def conflict(whatif: WhatIf) -> None:
    """Which limits contradict each other, the smallest change that reconciles them all, and a button that
    makes that change through the controls."""
    view = whatif.conflict
    assert view is not None
    parts = [f"**{EXPLAIN['conflict_head']}**"]
    for n, group in enumerate(view.sets, start=1):
        head = EXPLAIN["conflict_single"] if len(group) == 1 else EXPLAIN["conflict_set"]
        if len(view.sets) > 1:
            head = EXPLAIN["conflict_n"].format(n=n, text=head)
        parts.append("\n".join([head, *(f"- {md(text)}" for text in group)]))
    if view.fixes:
        lines = [EXPLAIN["conflict_fix"].format(total=format_kr(view.total_kr)), *(f"- {md(t)}" for t in view.fixes)]
        parts.append("\n".join(lines))
    st.error("\n\n".join(parts))
    if view.fixed is not None:
        st.button(
            EXPLAIN["conflict_apply"],
            help=EXPLAIN["conflict_apply_help"],
            on_click=_apply,
            args=(view.fixed,),
            type="primary",
            key=state.key("fix"),
        )
    elif view.fixes:
        st.caption(EXPLAIN["conflict_manual"])


def _apply(fixed: Settings) -> None:
    state.set_settings(fixed, rebuild=True)


def why(whatif: WhatIf, settings: Settings) -> None:
    """The tab "Hvorfor": the next 100.000 kr., the binding limits, the room under limits, the unfunded."""
    result = whatif.result
    assert result is not None and whatif.table is not None
    st.subheader(EXPLAIN["next_head"])
    if whatif.next_100k is not None:
        for row in whatif.next_100k.itertuples(index=False):
            year = "" if row.year is None else f" {row.year}"
            line = EXPLAIN["next_line"].format(year=year, gain=format_number(row.gain), rate=format_number(row.rate))
            st.markdown(md(line) + " " + md(EXPLAIN["next_goes"].format(goes=row.goes_to)))
        if result.rates_from_relaxation:
            st.caption(EXPLAIN["next_relaxation"])
    st.subheader(EXPLAIN["binding_head"])
    _binding(whatif)
    st.subheader(EXPLAIN["rooms_head"])
    rooms = limit_use(whatif, settings)
    if rooms.empty:
        st.caption(EXPLAIN["rooms_none"])
    else:
        what = {"udvalg": COLUMNS["udvalg"], "goal": COLUMNS["goal"]}
        show(
            rooms.assign(what=rooms["what"].map(what), year=rooms["year"].map(lambda y: "" if y is None else str(y))),
            {
                "what": COLUMNS["what"],
                "key": COLUMNS["limit_name"],
                "year": COLUMNS["year"],
                "spent_kr": COLUMNS["spent_kr"],
                "min_kr": COLUMNS["min_kr"],
                "max_kr": COLUMNS["max_kr"],
                "room_kr": COLUMNS["room_kr"],
            },
            kinds=dict.fromkeys(("spent_kr", "min_kr", "max_kr", "room_kr"), Kind.KRONER),
        )
    st.subheader(EXPLAIN["unfunded_head"])
    unfunded = whatif.table[whatif.table["amount_kr"] <= FUNDED_EPS]
    if unfunded.empty:
        st.caption(EXPLAIN["unfunded_none"])
    lines = [
        "- " + EXPLAIN["unfunded_line"].format(name=md(r.name), status=md(STATUS[r.status]), reason=md(r.reason))
        for r in unfunded.itertuples(index=False)
    ]
    if lines:
        st.markdown("\n".join(lines))


def _binding(whatif: WhatIf) -> None:
    result = whatif.result
    assert result is not None
    table = binding_table(result, whatif.budget_gains())
    if table.empty:
        st.caption(EXPLAIN["binding_none"])
        return
    table = table.assign(gain=table["gain"].map(lambda g: math.nan if g is None else g))
    show(
        table,
        {"text": EXPLAIN["binding_text"], "gain": EXPLAIN["binding_gain"], "rate": EXPLAIN["binding_rate"]},
        kinds={"gain": Kind.VALUE, "rate": Kind.VALUE},
    )
    st.caption(EXPLAIN["binding_note"])
    if table["gain"].isna().any():
        st.caption(EXPLAIN["binding_blank"])
