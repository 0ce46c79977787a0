"""A part of the page that reruns on its own (a Streamlit fragment): a widget inside it re-runs that part
only, so typing a note to save does not solve and draw the result again; and the guard every part of the page
is drawn under, so that a bug shows a Danish message, not a traceback."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
        with guarded(draw.__qualname__):
            draw(*args, **kwargs)
        state.write_url()

    return st.fragment(run)


@contextmanager
def guarded(what: str) -> Iterator[None]:
    """Draw `what`; a bug there shows the Danish "unexpected" message, not a traceback (the log keeps it)."""
    try:
        yield
    except Exception:  # a bug must not put a traceback in front of a committee
        log.exception("%s could not be drawn", what)
        st.error(APP["unexpected"])
