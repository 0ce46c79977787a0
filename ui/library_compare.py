"""Two or more saved versions side by side: each run again from the files and settings it was saved with (the
core's comparison), with their value, the amounts per indsats and per udvalg; when they were valued with
different weights the page says their values do not compare, only their amounts."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from optimizer import PuljeError
from optimizer.formats import Kind
from scenarios.compare import Comparison
from scenarios.export import status_text, weight_warning
from scenarios.library.errors import LibraryError
from scenarios.library.records import parse_ref
from scenarios.library.store import Library
from scenarios.saved import library_problem
from ui import data
from ui.tables import md, show
from ui_text import LIBRARY as T

CHOSEN = "library_compare"


def comparison(listing: pd.DataFrame) -> None:
    """Choose two or more versions; their comparison follows."""
    st.subheader(T["compare_head"])
    refs = [f"{name}@{version}" for name, version in zip(listing["name"], listing["version"], strict=True)]
    chosen = st.multiselect(
        T["compare_label"], refs, key=CHOSEN, help=T["compare_help"], format_func=_label, placeholder=T["compare_none"]
    )
    if len(chosen) < 2:
        return
    versions = tuple((name, int(version)) for name, version in map(parse_ref, chosen) if version is not None)
    try:
        compared = _compared(versions)
    except LibraryError as exc:
        st.error(md(library_problem(exc)))
        return
    except PuljeError as exc:  # a version the core cannot run any more
        st.error(md(T["open_failed"].format(name="", version="", detail=exc)))
        return
    draw(compared, versions)


def _label(ref: str) -> str:
    name, version = parse_ref(ref)
    return f"{name} · {version}"


def _compared(versions: tuple[tuple[str, int], ...]) -> Comparison:
    library = data.library()
    return _cached(repr(library), versions, library)


@st.cache_data(show_spinner=False, max_entries=16)
def _cached(where: str, versions: tuple[tuple[str, int], ...], _library: Library) -> Comparison:
    """Saved versions never change, so a comparison is kept per library and versions."""
    return _library.compare(*versions)


def draw(compared: Comparison, versions: tuple[tuple[str, int], ...]) -> None:
    """The legend, the weights warning, the value of each and the amounts per indsats and per udvalg."""
    legend = [
        T["compare_legend"].format(label=label, name=name, version=version)
        for label, (name, version) in zip(compared.labels, versions, strict=True)
    ]
    st.caption(" · ".join(md(line) for line in legend))
    warning = weight_warning(compared)
    if warning:
        st.warning(md(warning))
    if compared.is_empty:
        st.info(T["compare_same"])
    words = T["compare_columns"]
    st.markdown(f"**{T['compare_objective']}**")
    objective = compared.objective.assign(status=[status_text(s, short=True) for s in compared.objective["status"]])
    labels = {k: words[k] for k in ("label", "objective", "status", "allocated_kr")}
    show(objective, labels, kinds={"objective": Kind.VALUE, "allocated_kr": Kind.KRONER})
    first, last = compared.labels[0], compared.labels[-1]
    amounts = {label: label for label in compared.labels} | {"change": T["change"].format(first=first, last=last)}
    kroner = dict.fromkeys(amounts, Kind.KRONER)
    st.markdown(f"**{T['compare_indsats']}**")
    by_indsats = compared.by_indsats.assign(name=compared.by_indsats["name"].map(str))
    show(by_indsats, {"name": words["name"], "udvalg": words["udvalg"], **amounts}, kinds=kroner)
    st.markdown(f"**{T['compare_udvalg']}**")
    show(compared.by_udvalg, {"udvalg": words["udvalg"], **amounts}, kinds=kroner)
