"""The tab "Bibliotek": save what is on the screen as a new version in the shared scenario library, list the saved
scenarios and their versions, open or restore one, and compare two or more side by side. A library problem
(unreachable, busy, a bad address) is said in Danish and keeps the session's settings."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from optimizer import PuljeError, Result
from optimizer.formats import Kind
from scenarios import saved, share
from scenarios.export import status_text
from scenarios.library.errors import LibraryError
from scenarios.library.records import TEXT_LENGTH
from scenarios.settings import Settings
from scenarios.whatif import WhatIf
from ui import data, sharing, state, tables
from ui.fragment import part
from ui.library_compare import comparison
from ui.tables import md
from ui_text import LIBRARY as T

NAME, AUTHOR, NOTE = "library_name", "library_author", "library_note"  # not re-keyed: kept all session
Labels = dict[str, dict[int, str]]  # per name: version -> its label in the picker
KEPT = "library_typed"  # what was typed, kept while the tab is closed (Streamlit forgets a widget not drawn)
PICK_NAME, PICK_VERSION, MESSAGE = "library_pick_name", "library_pick_version", "library_message"
NOTE_LENGTH = 500


@part
def draw(settings: Settings, whatif: WhatIf, source: data.Source) -> None:
    """The tab, as a part of the page of its own: typing a name or a note, or picking a version, re-runs this
    tab only (the settings and their result are the ones the workspace drew with)."""
    said = _message()
    _save_form(settings, whatif.result, source)
    try:
        library = data.library()
        listing, table, labels = _read(library.url.render_as_string(hide_password=False), library.stamp())
    except LibraryError as exc:
        problem = saved.library_problem(exc)
        if problem not in said:  # the save just said it
            st.error(md(problem))
        return
    st.subheader(T["list_head"])
    if listing.empty:
        st.info(T["empty"])
        return
    tables.draw(table, height=min(38 + 35 * len(listing), 320))
    _pick(labels)
    comparison(listing)


def _message() -> list[str]:
    """What the last action in this tab did (shown once); returns the texts shown."""
    messages = st.session_state.pop(MESSAGE, [])
    for error, text in messages:
        (st.error if error else st.success)(md(text))
    return [text for _, text in messages]


def _say(text: str, *, error: bool = False) -> None:
    st.session_state.setdefault(MESSAGE, []).append((error, text))


# --- saving ------------------------------------------------------------------------------------------


def _save_form(settings: Settings, result: Result | None, source: data.Source) -> None:
    st.subheader(T["save_head"])
    st.caption(T["save_help"])
    kept = st.session_state.setdefault(KEPT, {})
    on = state.saved()
    if on is not None and not kept.get(NAME):
        kept[NAME] = on.name
    for key in (NAME, AUTHOR, NOTE):  # set on every run of the tab: a browser that unmounted a box (another
        st.session_state[key] = kept.get(key, "")  # tab was open) shows it empty unless the run sends its text
    name, author = st.columns(2)
    name.text_input(T["name"], key=NAME, help=T["name_help"], max_chars=TEXT_LENGTH, on_change=_keep, args=(NAME,))
    author.text_input(
        T["author"], key=AUTHOR, help=T["author_help"], max_chars=TEXT_LENGTH, on_change=_keep, args=(AUTHOR,)
    )
    st.text_input(T["note"], key=NOTE, max_chars=NOTE_LENGTH, on_change=_keep, args=(NOTE,))
    st.button(
        T["save"],
        type="primary",
        disabled=result is None,
        on_click=_save,
        args=(settings, result, source),
        key=state.key("library_save"),
    )
    if result is None:
        st.caption(T["nothing_to_save"])


def _keep(key: str) -> None:
    st.session_state.setdefault(KEPT, {})[key] = st.session_state.get(key, "")


def _save(settings: Settings, result: Result | None, source: data.Source) -> None:
    """Save the settings shown when the button was pressed, with their result; the session is then on that
    version (its link names it)."""
    name, author = _typed(NAME), _typed(AUTHOR)
    problems = [p for p in (saved.text_problem(name, "name"), saved.text_problem(author, "author")) if p]
    if problems:
        _say(" ".join(problems), error=True)
        return
    try:
        info = saved.save(
            data.library(),
            settings,
            data.checked(source),
            source.files,
            result,
            name=name,
            author=author,
            note=_typed(NOTE),
        )
    except LibraryError as exc:
        _say(saved.library_problem(exc), error=True)
        return
    except PuljeError as exc:  # the core could not run what is stored (e.g. a file gone meanwhile)
        _say(T["open_failed"].format(name=name, version="", detail=exc), error=True)
        return
    st.session_state[NOTE] = ""
    st.session_state[KEPT] = {NAME: name, AUTHOR: author, NOTE: ""}
    state.mark_saved(info, settings)
    _follow_version()
    _say(T["saved"].format(name=info.name, version=info.version))
    state.rerun_app()  # the top bar and the address name the version now


def _typed(key: str) -> str:
    return str(st.session_state.get(key) or st.session_state.get(KEPT, {}).get(key) or "").strip()


# --- the versions: list, open, restore ---------------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=8)
def _read(url: str, stamp: tuple[object, ...]) -> tuple[pd.DataFrame, tables.TextTable, Labels]:
    """The library's versions; the table of them as shown (name, version, who saved it when, its value, status
    and note); per name its versions' labels in the picker (oldest first): read and formatted once per change of
    the library (Library.stamp), not on every run of the tab (the page only reads them)."""
    listing = data.library().list()
    times = [saved.saved_time(moment) for moment in listing["created_at"]]
    shown = listing.assign(
        saved=times,
        status=[status_text(s, short=True) for s in listing["status"]],
        objective=pd.to_numeric(listing["objective"], errors="coerce"),
    )
    kinds = {"version": Kind.COUNT, "objective": Kind.VALUE}
    table = tables.text_table(shown, T["columns"], kinds=kinds, widths={"note": "medium"})
    labels: Labels = {}
    rows = zip(listing["name"].tolist(), listing["version"].tolist(), listing["author"].tolist(), times, strict=True)
    for name, version, author, time in rows:
        words = {"version": int(version), "author": author, "time": time}
        labels.setdefault(name, {})[int(version)] = T["version_label"].format(**words)
    return listing, table, labels


def _pick(labels: Labels) -> None:
    """Choose a name and one of its versions; open it, restore it as the newest, or copy its link."""
    names = list(labels)
    on = state.saved()
    if st.session_state.get(PICK_NAME) not in names:
        st.session_state[PICK_NAME] = on.name if on is not None and on.name in names else names[0]
    left, right = st.columns(2)
    name = left.selectbox(T["choose_name"], names, key=PICK_NAME)
    numbers = list(labels[name])
    if st.session_state.get(PICK_VERSION) not in numbers:
        st.session_state[PICK_VERSION] = on.version if on is not None and on.name == name else numbers[-1]
    version = right.selectbox(T["choose_version"], numbers, key=PICK_VERSION, format_func=labels[name].__getitem__)
    opening, restoring = st.columns(2)
    opening.button(T["open"], help=T["open_help"], on_click=_open, args=(name, version), key="library_open")
    restoring.button(
        T["restore"], help=T["restore_help"], on_click=_restore, args=(name, version), key="library_restore"
    )
    st.caption(T["version_link"])
    st.code(sharing.url(share.on_version({}, name, version)), language=None)


def _open(name: str, version: int) -> None:
    info = state.open_saved(name, version)
    if info is not None:
        state.notice(T["opened"].format(name=info.name, version=info.version))
    state.rerun_app()


def _restore(name: str, version: int) -> None:
    """Save the chosen version's content again as the newest version of its name, and open it."""
    author = _typed(AUTHOR)
    problem = saved.text_problem(author, "author")
    if problem:
        _say(problem, error=True)
        return
    try:
        info = data.library().restore(name, version, author)
    except LibraryError as exc:
        _say(saved.library_problem(exc), error=True)
        return
    if state.open_saved(info.name, info.version) is not None:
        _follow_version()
        state.notice(T["restored"].format(old=version, name=info.name, version=info.version))
    state.rerun_app()


def _follow_version() -> None:
    """The pickers show the version the session is now on (the one just saved or restored)."""
    for key in (PICK_NAME, PICK_VERSION):
        st.session_state.pop(key, None)
