"""The tab "Del og gem": the link to exactly what is on the screen (and to the committee view), the scenario
as TOML and the committee workbook as Excel, and an uploaded scenario file to go on from."""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import urlencode

import streamlit as st

from optimizer import PuljeError
from scenarios.bundled import BUNDLED
from scenarios.settings import Settings
from scenarios.settings_file import committee_workbook, read_scenario, settings_from_scenario, settings_toml
from scenarios.spec import ScenarioError
from scenarios.whatif import WhatIf
from ui import data, state
from ui.tables import md
from ui_text import CATALOG_NAMES, REFERENCE, WORDS
from ui_text import SHARE as T

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def link(view: str | None = None) -> str:
    """The link to what is on the screen."""
    return url(state.link_params(view))


def url(params: dict[str, str]) -> str:
    """This app's address with a query (st.context.url is the page without its query)."""
    return f"{st.context.url or ''}?{urlencode(params)}"


def catalog_name(source: data.Source) -> str:
    return CATALOG_NAMES.get(source.key, source.name)


def draw(settings: Settings, whatif: WhatIf, source: data.Source) -> None:
    st.subheader(T["link_head"])
    st.caption(T["link_help"] + ("" if source.key in BUNDLED else " " + T["link_upload"]))
    st.code(link(), language=None, wrap_lines=True)
    st.caption(T["committee_link"])
    st.code(link(state.COMMITTEE), language=None, wrap_lines=True)
    st.subheader(T["downloads_head"])
    stem = T["file_stem"].format(catalog=source.key.replace(":", "-"))
    name = T["scenario_name"].format(catalog=catalog_name(source))
    try:
        toml = _toml(settings, source, name)
    except PuljeError:
        toml = None
    left, right = st.columns(2)
    if toml is not None:
        left.download_button(
            T["toml"],
            toml.encode("utf-8"),
            file_name=f"{stem}.toml",
            mime="application/toml",
            help=T["toml_help"],
            on_click="ignore",
            key=state.key("toml"),
        )
    result = whatif.result
    if result is not None and result.is_ok:
        right.download_button(
            T["excel"],
            lambda: _workbook(settings, whatif, source, name),
            file_name=f"{stem}.xlsx",
            mime=XLSX,
            help=T["excel_help"],
            on_click="ignore",
            key=state.key("excel"),
        )
    st.subheader(T["upload_head"])
    st.file_uploader(
        T["upload_label"],
        type=["toml"],
        key=state.key("toml_upload"),
        on_change=_uploaded,
        args=(state.key("toml_upload"),),
    )


def _toml(settings: Settings, source: data.Source, name: str) -> str:
    bundled = BUNDLED.get(source.key)
    return settings_toml(
        settings,
        data.checked(source),
        name=name,
        catalog_path=source.path if bundled else Path(source.name),
        baseline_path=bundled.decided_path if bundled else None,
        relative=bundled is None,
    )


def _workbook(settings: Settings, whatif: WhatIf, source: data.Source, name: str) -> bytes:
    assert whatif.result is not None
    origin = settings.reference_origin if settings.reference is not None else "decided"
    with tempfile.TemporaryDirectory() as folder:
        return committee_workbook(
            settings,
            data.checked(source),
            whatif.result,
            whatif.reference,
            name=name,
            reference_name=REFERENCE[origin].removesuffix("."),
            catalog_path=source.path if source.key in BUNDLED else None,
            folder=Path(folder),
            next_100k=whatif.budget_gains(),
        )


def _resolve(key: str, given: str) -> Path | None:
    """A scenario file's catalog (or companion file) found here: a catalog the app has, by its file's name."""
    wanted = Path(given).name
    return next((s.path for s in _known_sources() if s.name == wanted), None) if key == "catalog" else None


def _uploaded(key: str) -> None:
    """Go on from an uploaded scenario file; on any problem keep everything as it was and say why."""
    uploaded = st.session_state.get(key)
    if uploaded is None:
        return
    try:
        with tempfile.TemporaryDirectory() as folder:
            scenario = read_scenario(uploaded.getvalue(), uploaded.name, Path(folder), _resolve)
    except ScenarioError as exc:
        count = len(exc.problems)
        head = T["upload_failed"].format(
            file=uploaded.name, count=count, noun=WORDS["problem" if count == 1 else "problems"]
        )
        state.notice(head, [str(p) for p in exc.problems], error=True)
        state.rerun_app()
        return
    source = _source_of(scenario.catalog_path)
    if source is None:
        state.notice(T["upload_catalog"].format(file=md(Path(str(scenario.catalog_path)).name)), error=True)
        state.rerun_app()
        return
    settings = settings_from_scenario(scenario, source.key)
    if state.switch_to(source, settings=settings):
        state.notice(T["upload_ok"].format(name=md(scenario.name)))
    state.rerun_app()


def _source_of(path: Path | None) -> data.Source | None:
    if path is None:
        return None
    return next((s for s in _known_sources() if s.path.resolve() == Path(path).resolve()), None)


def _known_sources() -> list[data.Source]:
    """The catalogs a scenario file may name here: the bundled ones, then the one on the screen."""
    bundled = [data.source_of(key) for key in BUNDLED]
    return [*(s for s in bundled if s is not None), state.source()]
