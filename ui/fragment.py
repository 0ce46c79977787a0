"""A part of the page that reruns on its own (a Streamlit fragment): a widget inside it re-runs that part
only, so typing a note to save does not solve and draw the result again."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import ParamSpec

import streamlit as st

from ui import state
from ui_text import APP

P = ParamSpec("P")
log = logging.getLogger(__name__)


def part(draw: Callable[P, None]) -> Callable[P, None]:
    """`draw` as a fragment: a callback that asked for the whole page (state.rerun_app) gets it first; a bug
    shows the Danish "unexpected" message, not a traceback (the log keeps it); the link follows the page."""

    @functools.wraps(draw)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        if state.take_rerun_app():
            st.rerun(scope="app")
        try:
            draw(*args, **kwargs)
        except Exception:  # a bug must not put a traceback in front of a committee
            log.exception("%s could not be drawn", draw.__qualname__)
            st.error(APP["unexpected"])
        state.write_url()

    return st.fragment(run)
