"""The session's state: the current settings (one frozen value), read from the link when a session starts and
written back to the link after every change; where they start (the catalog's start, or the saved version the
session is on, which the link then names); and the generation that keys the widgets, so that settings
changed from outside a widget (another catalog, an uploaded scenario, a fix) show in every widget.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import streamlit as st

from optimizer import PuljeError
from optimizer.errors import CatalogError
from scenarios import saved as saved_versions
from scenarios import share
from scenarios.danish import catalog_problems
from scenarios.library.errors import FileNotStored, LibraryError
from scenarios.library.records import VersionInfo
from scenarios.settings import Settings
from ui import data
from ui_text import APP, LIBRARY, LINK

DEFAULT_CATALOG = "fb2021"
SETTINGS, SOURCE, GEN, VIEW, NOTICES, ERRORS = "settings", "source", "gen", "view", "notices", "errors"
START, SAVED = "start", "saved"
RERUN_APP = "rerun_app"
COMMITTEE = "udvalg"  # visning=udvalg in a link opens the committee view


def start_session() -> None:
    """On a session's first run: the saved version or the catalog the link names, with the link's settings
    over it (else the default catalog's start)."""
    if SOURCE in st.session_state:
        return
    params = st.query_params.to_dict()
    st.session_state[GEN] = 0
    st.session_state[NOTICES] = []
    st.session_state[ERRORS] = {}
    st.session_state[VIEW] = COMMITTEE if params.get(share.VIEW_KEY) == COMMITTEE else "tool"
    if share.LIBRARY_KEY in params:
        name, version, problems = share.version_of(params)
        for problem in problems:
            notice(problem)
        if open_saved(name, version, params):
            return
        notice(LIBRARY["link_failed"], error=True)
        params = {}
    key = str(params.get(share.CATALOG_KEY, DEFAULT_CATALOG))
    try:
        source = data.source_of(key)
        if source is None:
            notice(LINK["unknown_catalog"].format(key=key))
    except FileNotStored:
        notice(APP["upload_gone"], error=True)
        source = None
    except LibraryError as exc:
        notice(saved_versions.library_problem(exc), error=True)
        source = None
    if source is None:
        source = data.source_of(DEFAULT_CATALOG)
        params = {}
    assert source is not None
    switch_to(source, params)


def open_saved(name: str, version: int | None, params: Mapping[str, str] | None = None) -> VersionInfo | None:
    """Open a saved version (its catalog from the files it was saved with, its settings as the start, a link's
    settings over them); on any problem keep what the session had and say why in Danish (None)."""
    try:
        opened = saved_versions.open_version(data.library(), name, version)
    except LibraryError as exc:
        notice(saved_versions.library_problem(exc), error=True)
        return None
    except PuljeError as exc:
        shown = "" if version is None else version
        notice(LIBRARY["open_failed"].format(name=name, version=shown, detail=exc), error=True)
        return None
    if opened.bundled is not None:
        source = data.source_of(opened.bundled)
    else:
        source = data.stored_source(opened.settings.catalog, opened.files)
    assert source is not None
    if not switch_to(source, params, start=opened.settings, saved=opened.info):
        return None
    return opened.info


def switch_to(
    source: data.Source,
    params: Mapping[str, str] | None = None,
    settings: Settings | None = None,
    *,
    start: Settings | None = None,
    saved: VersionInfo | None = None,
) -> bool:
    """Open a catalog at its start settings (or `start`, a saved version's), a link's settings over them, or the
    given settings. On a catalog that cannot be read, keep what the session had and say why (False)."""
    try:
        _, encodings = data.catalog(source)
        base = start if start is not None else data.start(source, source.version)
    except PuljeError as exc:
        _say_unreadable(exc, source)
        _keep(source)
        return False
    for encoding in encodings:
        notice(APP["encoding"].format(file=source.name, encoding=encoding))
    if settings is None:
        settings = base
        if params:
            known = dataclasses.replace(data.checked(source).known(), years=base.years)
            settings, problems = share.decode(params, base, known)
            if problems:
                notice(APP["link_head"], problems)
    st.session_state[SOURCE] = source
    st.session_state[START] = base
    st.session_state[SAVED] = saved
    set_settings(settings, rebuild=True)
    return True


def readable(source: data.Source) -> bool:
    """Whether the catalog reads; when it does not, every problem is said (with its row and column)."""
    try:
        data.catalog(source)
    except PuljeError as exc:
        _say_unreadable(exc, source)
        return False
    return True


def _say_unreadable(error: PuljeError, source: data.Source) -> None:
    if isinstance(error, CatalogError):
        head, lines = catalog_problems(error, source.name)
        notice(head, lines, error=True)
    else:
        notice(APP["catalog_failed"].format(file=source.name), [str(error)], error=True)


def _keep(source: data.Source) -> None:
    """What a session that could not open its first catalog holds: the source, and no settings."""
    st.session_state.setdefault(SOURCE, source)
    st.session_state.setdefault(SETTINGS, None)
    st.session_state.setdefault(START, None)
    st.session_state.setdefault(SAVED, None)


def mark_saved(info: VersionInfo, settings: Settings) -> None:
    """The session is now on the version just saved: the link names it, and the version's settings are the start
    (as opening it gives them: a pinned reference is not saved, so the link keeps it)."""
    st.session_state[START] = settings.replace(reference=None, reference_origin="")
    st.session_state[SAVED] = info
    set_settings(settings, rebuild=True)


def settings() -> Settings | None:
    return st.session_state.get(SETTINGS)


def source() -> data.Source:
    return st.session_state[SOURCE]


def start() -> Settings:
    """Where the session's settings start: the catalog's start, or the saved version the session is on."""
    return st.session_state[START]


def saved() -> VersionInfo | None:
    """The saved version the session is on (opened or saved last), or None."""
    return st.session_state.get(SAVED)


def set_settings(new: Settings, *, rebuild: bool = False) -> None:
    """New settings; `rebuild` re-keys the widgets so they show the new values (a change not made by them),
    and asks for a run of the whole page, as some widgets are drawn outside the fragments (the weights)."""
    st.session_state[SETTINGS] = new
    if rebuild:
        old = st.session_state.get(GEN, 0)
        st.session_state[GEN] = old + 1
        st.session_state[ERRORS] = {}
        for stale in [k for k in st.session_state if isinstance(k, str) and k.startswith(f"{old}:")]:
            del st.session_state[stale]  # the old generation's keys: Streamlit walks every key on every run
        rerun_app()


def key(*parts: object) -> str:
    """A widget key of the current generation."""
    return ":".join(str(p) for p in (st.session_state.get(GEN, 0), *parts))


def is_current(widget_key: str) -> bool:
    """Whether a widget key is of the current generation. A browser can still send a change to a widget the
    last rebuild replaced (a slider moved while a save re-keys the widgets); its key and value are gone, so
    the callback drops that change and the run draws the current widgets, showing the settings as they are."""
    return widget_key.startswith(f"{st.session_state.get(GEN, 0)}:")


def notice(head: str, lines: list[str] | None = None, *, error: bool = False) -> None:
    """A message for the top of the page, shown on the next run of the whole page."""
    st.session_state.setdefault(NOTICES, []).append((head, list(lines or []), error))


def rerun_app() -> None:
    """Ask for a run of the whole page after this callback (a fragment's callback that changed the catalog or
    re-keyed the widgets); a run of the whole page takes the request itself (app.page)."""
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


def link_params(view: str | None = None) -> dict[str, str]:
    """The link of what is on the screen: the saved version or the catalog, the settings that differ from where
    they start, and the view."""
    current = settings()
    params: dict[str, str] = {share.CATALOG_KEY: source().key}
    if current is not None:
        params = share.encode(current, start())
    on = saved()
    if on is not None:
        params = share.on_version(params, on.name, on.version)
    if view:
        params[share.VIEW_KEY] = view
    return params


def write_url() -> None:
    """Keep the page's address the link of what is on the screen."""
    params = link_params(COMMITTEE if is_committee() else None)
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
