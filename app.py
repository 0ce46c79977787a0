"""Placeholder Streamlit page: the bundled catalogs of indsatser, with missing figures shown as missing."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pandas as pd
import streamlit as st

import ui_text
from optimizer import PuljeError, load_catalog
from optimizer.numbers import format_kr

# PULJE_DATA_DIR points the app at another copy of data/ (the tests use it to show a broken catalog).
DATA_DIR = Path(os.environ.get("PULJE_DATA_DIR") or Path(__file__).resolve().parent / "data")
CATALOGS = {
    "fb2021": "frederiksberg/handleplan_2021_2022.csv",
    "fb2019": "frederiksberg/handleplan_2019.csv",
    "kk2019": "copenhagen/bruttokatalog_2019_2022.csv",
}


@st.cache_data(show_spinner=False)
def cached_catalog(path: str, modified: float) -> pd.DataFrame:
    """load_catalog, cached per file and modification time (a PuljeError is raised, not cached)."""
    return load_catalog(path)


def number(value: float) -> str:
    """A Danish-formatted whole number: 1234 -> "1.234"."""
    return format_kr(value, unit="")


def reach_text(row: pd.Series) -> str:
    """The reach as the document gives it: one figure, a minimum, a range, or missing."""
    if row["fixed"]:
        return ui_text.FIXED_LINE
    value, low, high = row["reach"], row["reach_min"], row["reach_max"]
    if not math.isnan(value):
        text = ui_text.REACH_AT_LEAST.format(low=number(low)) if low == value else number(value)
    elif not math.isnan(low) and not math.isnan(high):
        text = ui_text.REACH_RANGE.format(low=number(low), high=number(high))
    elif not math.isnan(low):
        text = ui_text.REACH_AT_LEAST.format(low=number(low))
    elif not math.isnan(high):
        text = ui_text.REACH_AT_MOST.format(high=number(high))
    else:
        return ui_text.MISSING
    return f"{text} {row['reach_unit']}".strip()


def table(catalog: pd.DataFrame) -> pd.DataFrame:
    """The catalog's rows as display text, one column per heading in ui_text.COLUMNS."""
    rows = {
        "id": catalog["id"],
        "name": catalog["name"],
        "udvalg": [("/".join(u) or ui_text.NOT_STATED) for u in catalog["udvalg"]],
        "goals": [", ".join(g) for g in catalog["goals"]],
        "cost": [ui_text.MISSING if math.isnan(c) else format_kr(c) for c in catalog["cost_kr"]],
        "reach": [reach_text(row) for _, row in catalog.iterrows()],
    }
    return pd.DataFrame(rows).rename(columns=ui_text.COLUMNS).set_index(ui_text.COLUMNS["id"])


def show_catalog(key: str, path: Path) -> None:
    """Draw one catalog: name, counts, udvalg, source document and the table; or the error that stopped it."""
    name = ui_text.CATALOG_NAMES[key]
    st.header(name)
    try:
        catalog = cached_catalog(str(path), path.stat().st_mtime if path.exists() else 0.0)
    except PuljeError as exc:
        st.error(f"{ui_text.LOAD_FAILED.format(name=name)}\n\n```\n{exc}\n```")
        return
    fixed = int(catalog["fixed"].sum())
    count = ui_text.COUNT.format(indsatser=len(catalog) - fixed)
    st.markdown(count + (ui_text.FIXED_COUNT.format(fixed=fixed) if fixed else ""))
    st.markdown(ui_text.UDVALG.format(udvalg=", ".join(sorted({u for us in catalog["udvalg"] for u in us}))))
    files = ", ".join(f"`data/sources/{source}`" for source in sorted(set(catalog["source"])))
    st.caption(ui_text.SOURCE.format(title=ui_text.SOURCE_TITLES[key], files=files))
    st.table(table(catalog))


st.set_page_config(page_title=ui_text.PAGE_TITLE, layout="wide")
st.title(ui_text.PAGE_TITLE)
st.markdown(ui_text.INTRO)
for catalog_key, relative in CATALOGS.items():
    show_catalog(catalog_key, DATA_DIR / relative)
