"""The session's state: the current settings (one frozen value), read from the link when a session starts and
written back to the link after every change; and the generation that keys the widgets, so that settings
changed from outside a widget (another catalog, an uploaded scenario, a fix) show in every widget.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd
import streamlit as st

from optimizer import PuljeError
from optimizer.catalog import goal_titles
from optimizer.errors import CatalogError
from optimizer.inputs import Known
from scenarios import share
from scenarios.danish import catalog_problems
from scenarios.settings import Settings
from ui import data
from ui_text import APP, LINK

DEFAULT_CATALOG = "fb2021"
SETTINGS, SOURCE, GEN, VIEW, NOTICES, ERRORS = "settings", "source", "gen", "view", "notices", "errors"
RERUN_APP = "rerun_app"
COMMITTEE = "udvalg"  # visning=udvalg in a link opens the committee view


def start_session() -> None:
    """On a session's first run: the catalog and settings of the link (or the default catalog's start)."""
    if SOURCE in st.session_state:
        return
    params = st.query_params.to_dict()
    st.session_state[GEN] = 0
    st.session_state[NOTICES] = []
    st.session_state[ERRORS] = {}
    st.session_state[VIEW] = COMMITTEE if params.get(share.VIEW_KEY) == COMMITTEE else "tool"
    key = str(params.get(share.CATALOG_KEY, DEFAULT_CATALOG))
    source = data.source_of(key)
    if source is None:
        notice(APP["upload_gone"] if key.startswith(data.UPLOAD_PREFIX) else LINK["unknown_catalog"].format(key=key))
        source = data.source_of(DEFAULT_CATALOG)
        params = {}
    assert source is not None
    switch_to(source, params)


def switch_to(source: data.Source, params: Mapping[str, str] | None = None, settings: Settings | None = None) -> bool:
    """Open a catalog at its start settings, a link's settings over them, or the given settings.
    On a catalog that cannot be read, keep what the session had and say why (False)."""
    try:
        frame, encoding_notes = data.catalog(source)
        start = data.start(source, source.version)
    except CatalogError as exc:
        head, lines = catalog_problems(exc, source.name)
        notice(head, lines, error=True)
        st.session_state.setdefault(SOURCE, source)
        st.session_state.setdefault(SETTINGS, None)
        return False
    except PuljeError as exc:
        notice(APP["catalog_failed"].format(file=source.name), [str(exc)], error=True)
        st.session_state.setdefault(SOURCE, source)
        st.session_state.setdefault(SETTINGS, None)
        return False
    for message in encoding_notes:
        read_as = re.search(r"read as ([\w-]+)", message)
        notice(APP["encoding"].format(file=source.name, encoding=read_as.group(1) if read_as else "?"))
    if settings is None:
        settings = start
        if params:
            settings, problems = share.decode(params, start, known(frame, start))
            if problems:
                notice(APP["link_head"], problems)
    st.session_state[SOURCE] = source
    set_settings(settings, rebuild=True)
    return True


def known(catalog: pd.DataFrame, settings: Settings) -> Known:
    """The names a link may use on this catalog: its ids, udvalg and goals, and the pulje's years."""
    return Known(
        ids=tuple(catalog["id"]),
        udvalg=tuple(sorted({u for us in catalog["udvalg"] for u in us})),
        goals=tuple(goal_titles(catalog)),
        years=settings.years,
    )


def settings() -> Settings | None:
    return st.session_state.get(SETTINGS)


def source() -> data.Source:
    return st.session_state[SOURCE]


def set_settings(new: Settings, *, rebuild: bool = False) -> None:
    """New settings; `rebuild` re-keys the widgets so they show the new values (a change not made by them)."""
    st.session_state[SETTINGS] = new
    if rebuild:
        st.session_state[GEN] = st.session_state.get(GEN, 0) + 1
        st.session_state[ERRORS] = {}


def key(*parts: object) -> str:
    """A widget key of the current generation."""
    return ":".join(str(p) for p in (st.session_state.get(GEN, 0), *parts))


def notice(head: str, lines: list[str] | None = None, *, error: bool = False) -> None:
    """A message for the top of the page, shown on the next run of the whole page."""
    st.session_state.setdefault(NOTICES, []).append((head, list(lines or []), error))


def rerun_app() -> None:
    """Ask for a run of the whole page after this callback (a fragment's callback that changed the catalog)."""
    st.session_state[RERUN_APP] = True


def take_rerun_app() -> bool:
    """True once after rerun_app() was asked for."""
    return bool(st.session_state.pop(RERUN_APP, False))


def take_notices() -> list[tuple[str, list[str], bool]]:
    """The messages waiting to be shown (each is shown once)."""
    return st.session_state.pop(NOTICES, [])


def is_committee() -> bool:
    return st.session_state.get(VIEW) == COMMITTEE


def set_committee(on: bool) -> None:
    st.session_state[VIEW] = COMMITTEE if on else "tool"


def write_url() -> None:
    """The link of what is on the screen: the catalog, the settings that differ from its start, the view."""
    current = settings()
    params: dict[str, str] = {share.CATALOG_KEY: source().key}
    if current is not None:
        params = share.encode(current, data.start(source(), source().version))
    if is_committee():
        params[share.VIEW_KEY] = COMMITTEE
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
