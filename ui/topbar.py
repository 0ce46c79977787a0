"""The bar at the top: which catalog (a bundled one or an uploaded file), what it holds and where its pulje
comes from, the committee view, and starting over. A file that cannot be used is named with every problem,
row and column, and the catalog and settings the session had are kept."""

from __future__ import annotations

import streamlit as st

from optimizer.catalog import goal_titles
from optimizer.errors import PuljeError
from scenarios.bundled import BUNDLED
from scenarios.library.errors import LibraryError
from scenarios.saved import library_problem, saved_time
from ui import data, state
from ui.tables import md
from ui_text import APP, CATALOG_NAMES, LIBRARY, PULJE_NOTES, SOURCE_TITLES


def pulje_note_key(source: data.Source) -> str:
    return source.key if source.key in BUNDLED else "upload"


def draw() -> None:
    source = state.source()
    title, choice, upload, view, reset = st.columns([3, 4, 2, 2, 2], vertical_alignment="bottom")
    title.markdown(f"## {APP['title']}")
    options = [*BUNDLED, *([source.key] if source.key not in BUNDLED else [])]
    own = APP["saved_name" if state.saved() is not None else "uploaded_name"].format(file=source.name)
    names = {**CATALOG_NAMES, source.key: CATALOG_NAMES.get(source.key, own)}
    key = state.key("catalog")
    choice.selectbox(
        APP["catalog"],
        options,
        index=options.index(source.key),
        format_func=names.get,
        key=key,
        on_change=_chosen,
        args=(key,),
        help=APP["catalog_help"],
    )
    with upload.popover(APP["upload_choice"], width="stretch"):
        st.caption(APP["upload_help"])
        upload_key = state.key("upload")
        st.file_uploader(
            APP["upload_label"],
            type=["csv", "xlsx", "txt", "tsv"],
            key=upload_key,
            on_change=_uploaded,
            args=(upload_key,),
        )
    view_key = state.key("committee")
    view.toggle(
        APP["committee_toggle"],
        value=state.is_committee(),
        help=APP["committee_help"],
        key=view_key,
        on_change=_committee,
        args=(view_key,),
    )
    reset.button(APP["reset"], help=APP["reset_help"], on_click=_reset, key=state.key("reset"), width="stretch")
    _about(source)


def _about(source: data.Source) -> None:
    """The catalog's counts, its source document and where its pulje comes from, in one line."""
    try:
        catalog, _ = data.catalog(source)
    except PuljeError:  # shown as a notice where it was loaded
        return
    fixed = int(catalog["fixed"].sum())
    udvalg = {u for us in catalog["udvalg"] for u in us}
    parts = [
        APP["counts"].format(indsatser=len(catalog) - fixed, udvalg=len(udvalg), goals=len(goal_titles(catalog)))
        + (APP["fixed_count" if fixed == 1 else "fixed_counts"].format(fixed=fixed) if fixed else "")
    ]
    if source.key in SOURCE_TITLES:
        parts.append(APP["source"].format(title=SOURCE_TITLES[source.key]))
    on = state.saved()
    if on is None:
        parts.append(PULJE_NOTES[pulje_note_key(source)])
    else:
        words = {"name": on.name, "version": on.version, "author": on.author, "time": saved_time(on.created_at)}
        parts.append(LIBRARY["on_version"].format(**words))
    st.caption(" — ".join(md(part) for part in parts))


def _chosen(key: str) -> None:
    choice = st.session_state.get(key)
    if not state.is_current(key) or choice == state.source().key:
        return
    try:
        found = data.source_of(str(choice))
    except LibraryError as exc:
        state.notice(library_problem(exc), error=True)
        return
    if found is None:
        state.notice(APP["upload_gone"], error=True)
        return
    state.switch_to(found)


def _uploaded(key: str) -> None:
    """Open an uploaded catalog once it reads, kept in the library by its hash (so its link works on every app
    process sharing the library); on any problem keep the catalog and settings the session had."""
    uploaded = st.session_state.get(key)
    if uploaded is None:
        return
    content = uploaded.getvalue()
    try:
        source = data.upload_source(content, uploaded.name)
        readable = state.readable(source)
        if readable:
            data.keep_upload(content, source)
    except LibraryError as exc:
        state.notice(APP["upload_unsaved"].format(file=uploaded.name), [library_problem(exc)], error=True)
        readable = False
    if readable and state.switch_to(source):
        catalog, _ = data.catalog(source)
        state.notice(APP["upload_ok"].format(file=source.name, count=int((~catalog["fixed"]).sum())))
    else:
        state.notice(APP["upload_kept"])


def _committee(key: str) -> None:
    if state.is_current(key):
        state.set_committee(bool(st.session_state.get(key)))


def _reset() -> None:
    """Back to where the settings start: the catalog's start, or the saved version the session is on."""
    state.switch_to(state.source(), start=state.start(), saved=state.saved())
