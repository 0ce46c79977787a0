"""The workspace: the controls beside the result. The pulje's sliders and the result run as one fragment, so
moving the pulje re-runs this part only and the result follows within a fraction of a second; the weights and
limits below the pulje are drawn with the whole page (a change there re-runs it), so a move of the pulje does
not draw them again."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from scenarios.bundled import has_decided
from scenarios.settings import Settings
from scenarios.whatif import WhatIf
from ui import assumptions, controls, data, editor, explain, library, results, sharing, state, tradeoffs
from ui.fragment import guarded, part
from ui.topbar import pulje_note_key
from ui_text import APP, RESULTS

TABS = "result_tabs"


def analysed(settings: Settings, source: data.Source) -> tuple[Settings, WhatIf]:
    """The settings and their analysis; where the catalog has no decided plan and no reference is pinned, the
    first optimum is pinned as the reference (in the workspace and the committee view alike)."""
    whatif = data.analysis(settings, source)
    if not has_decided(source.key) and settings.reference is None and whatif.is_ok:
        assert whatif.result is not None
        settings = settings.pinned(whatif.result, "first")
        state.set_settings(settings)
        whatif = data.analysis(settings, source)
    return settings, whatif


def draw() -> None:
    """The controls beside the result (the columns made here, outside the fragment that writes into them)."""
    left, right = st.columns([1, 3], gap="medium")
    money, rest = left.container(), left.container()
    workspace(money, right)
    settings = state.settings()
    if settings is not None:
        with rest, guarded("the weights and limits"):
            source = state.source()
            catalog, _ = data.catalog(source)
            controls.weights_and_limits(settings, catalog, data.ranges(source, state.start()))


@part
def workspace(money: DeltaGenerator, right: DeltaGenerator) -> None:
    """The pulje's sliders (in `money`) and the result with its tabs (in `right`; the tab "Bibliotek" a part
    of its own within)."""
    settings, source = state.settings(), state.source()
    if settings is None:
        right.info(APP["no_catalog"])
        return
    catalog, _ = data.catalog(source)
    start = state.start()
    decided = has_decided(source.key)
    settings, whatif = analysed(settings, source)
    with right:  # the result's figures first: the browser shows them while the controls and tables are drawn
        if whatif.is_ok:
            assert whatif.result is not None
            results.budget_bar(whatif.result)
            results.key_figures(whatif)
            results.reference_line(settings, whatif, decided)
        explain.blockers(whatif, catalog)
    with money:
        controls.pulje(settings, data.ranges(source, start))
    with right:
        tabs = st.tabs(RESULTS["tabs"], key=TABS, on_change="rerun")
        with tabs[0]:
            if tabs[0].open:
                table = results.allocation(whatif) if whatif.is_ok else None
                editor.draw(settings, catalog, expanded=bool(whatif.missing))
                if table is not None:
                    results.details(whatif, table)
        if tabs[1].open and whatif.is_ok:
            with tabs[1]:
                explain.why(whatif, settings)
        if tabs[2].open:
            with tabs[2]:
                tradeoffs.draw(whatif, settings, source, catalog)
        if tabs[3].open:
            with tabs[3]:
                assumptions.draw(settings, whatif, pulje_note_key(source), catalog)
        if tabs[4].open:
            with tabs[4]:
                sharing.draw(settings, whatif, source)
        if tabs[5].open:
            with tabs[5]:
                library.draw(settings, whatif, source)
