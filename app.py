"""pulje's app: a what-if tool a committee uses live, in Danish. It only draws: the settings come from the
link and the controls, everything shown comes from scenarios.whatif, every text from ui_text."""

from __future__ import annotations

import logging

import streamlit as st

from ui import committee, data, state, style, topbar, workspace
from ui.sharing import catalog_name
from ui.tables import md
from ui.workspace import analysed
from ui_text import APP

st.set_page_config(page_title=APP["page_title"], layout="wide", initial_sidebar_state="collapsed")
style.base()


def page() -> None:
    state.start_session()
    state.take_rerun_app()  # this run draws the whole page already
    for head, lines, error in state.take_notices():
        text = "\n".join([md(head), *(f"- {md(line)}" for line in lines)])
        (st.error if error else st.info)(text)
    settings, source = state.settings(), state.source()
    if state.is_committee() and settings is not None:
        catalog, _ = data.catalog(source)
        committee.draw(analysed(settings, source)[1], catalog_name(source), catalog)
        state.write_url()
        return
    topbar.draw()
    workspace.draw()


try:
    page()
except Exception:  # a bug must not put a traceback in front of a committee; the server log keeps it
    logging.getLogger("pulje.app").exception("the page could not be drawn")
    st.error(APP["unexpected"])
