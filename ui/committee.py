"""The committee view ("udvalgsvisning"), for a projector: no controls, large high-contrast type, three key
figures (the value, the funded indsatser, the change from the reference) and the allocation."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from optimizer.formats import format_kr
from scenarios.whatif import WhatIf
from ui import charts, state, style
from ui.explain import blockers
from ui.results import key_figures
from ui.tables import md
from ui_text import APP, COLUMNS, RESULTS, STATUS
from ui_text import COMMITTEE as T


def draw(whatif: WhatIf, title: str, catalog: pd.DataFrame) -> None:
    style.committee()
    head, leave = st.columns([4, 1], vertical_alignment="center")
    head.title(md(title))
    leave.button(APP["committee_exit"], on_click=state.set_committee, args=(False,), key="committee_exit")
    blockers(whatif, catalog)
    figures = whatif.figures
    if figures is None or whatif.table is None:
        return
    key_figures(whatif, committee=True)
    st.markdown(f"**{T['table']}**")
    shown_table = whatif.table[["name", "reference_kr", "amount_kr", "change_kr"]].copy()
    shown_table["name"] = shown_table["name"].map(md)  # st.table reads its cells as Markdown
    for column in ("reference_kr", "amount_kr", "change_kr"):
        shown_table[column] = shown_table[column].map(format_kr)
    labels = {
        "name": COLUMNS["name"],
        "reference_kr": COLUMNS["reference_kr"],
        "amount_kr": COLUMNS["amount_kr"],
        "change_kr": COLUMNS["change_kr"],
    }
    st.table(shown_table.rename(columns=labels).set_index(COLUMNS["name"]))
    spec = charts.allocation(whatif.table, STATUS, large=True)
    st.vega_lite_chart(spec=spec, width="stretch", alt=RESULTS["chart_alt"])
