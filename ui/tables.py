"""Tables and text on the page: Danish headers and numbers over the real numbers (so sorting a column sorts by
value, not by text), and every text from a catalog, a file or a link escaped before it reaches Markdown."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa
import streamlit as st

from optimizer.formats import Kind, column_kind, format_as

NUMBER_PX = 104  # a column of Danish numbers: room for "-10.000.000" and a short header
_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def md(text: object) -> str:
    """Text safe inside Markdown: every punctuation character Markdown (or Streamlit's :color[] and $math$)
    could read is backslash-escaped, and line breaks become spaces, so a catalog's `source` cannot load an
    image, open a link or close a code span."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))


_RISKY = re.compile(r"[\\`*_\[\]<>$~|!#]|:[\w/-]+[:\[]|^\s*([-+]|\d+[.)])\s")


def label(text: object) -> str:
    """A widget's label: as it is when no Markdown could be read into it (so a screen reader reads it as
    written), escaped like md() when it could ("![x](…)", ":red[…]", "$…$", "`…")."""
    shown = " ".join(str(text).split())
    return md(shown) if _RISKY.search(shown) else shown


def show(
    frame: pd.DataFrame,
    labels: dict[str, str],
    *,
    kinds: dict[str, Kind] | None = None,
    height: int | str = "auto",
    sortable: bool = False,
    widths: dict[str, str] | None = None,
) -> None:
    """The columns `labels` names, headed by the labels; numbers written the Danish way by their kind
    (kroner 1.234.567, values 4.786,13, shares 40 %), right-aligned, missing ones as empty cells.

    sortable=True keeps the numbers under the Danish text (a pandas Styler), so a click on a header sorts by
    value; otherwise the cells are text (text_table)."""
    if not sortable:
        draw(text_table(frame, labels, kinds=kinds, widths=widths), height=height)
        return
    kinds, _, sized = _sized(frame, labels, kinds, widths)
    formats = {
        labels[k]: (lambda v, kind=kind: format_as(v, kind)) for k, kind in kinds.items() if kind is not Kind.TEXT
    }
    # Streamlit writes the Styler's text into a frame cell by cell: a quarter quicker in Python's strings
    with pd.option_context("mode.string_storage", "python"):
        shown = frame[list(labels)].rename(columns=labels).style.format(formats, na_rep="")
        st.dataframe(shown, hide_index=True, height=height, column_config=sized)


@dataclass(frozen=True)
class TextTable:
    """A table of Danish text, ready to draw (and to keep: a table read once, e.g. the library's list)."""

    data: pa.Table
    config: dict[str, Any]


def text_table(
    frame: pd.DataFrame,
    labels: dict[str, str],
    *,
    kinds: dict[str, Kind] | None = None,
    widths: dict[str, str] | None = None,
) -> TextTable:
    """The columns `labels` names as Arrow text, numbers written as show() writes them: an Arrow table built
    from the columns (a pandas frame costs several times more to build and convert for the few rows these
    tables have)."""
    kinds, sizes, sized = _sized(frame, labels, kinds, widths)
    numeric = [k for k, kind in kinds.items() if kind is not Kind.TEXT]
    text = pa.table(
        {
            labels[k]: [format_as(v, kinds[k]) for v in frame[k].tolist()] if k in numeric else _text(frame[k])
            for k in labels
        }
    )
    right = {labels[k]: st.column_config.TextColumn(alignment="right", width=sizes[k]) for k in numeric}
    return TextTable(text, {**sized, **right})


def draw(table: TextTable, *, height: int | str = "auto") -> None:
    """A text table on the page."""
    st.dataframe(table.data, hide_index=True, height=height, column_config=table.config)


def _sized(
    frame: pd.DataFrame, labels: dict[str, str], kinds: dict[str, Kind] | None, widths: dict[str, str] | None
) -> tuple[dict[str, Kind], dict[str, Any], dict[str, Any]]:
    """Each column's kind (given, or read from its values), the widths set, and the headers' configuration
    (width, alignment); the first column (the name) is kept in view when the table scrolls sideways."""
    kinds = {k: (kinds or {}).get(k) or column_kind(k, frame[k]) for k in labels}
    numeric = [k for k, kind in kinds.items() if kind is not Kind.TEXT]
    first = next(iter(labels))
    sizes = {**dict.fromkeys(numeric, NUMBER_PX), **(widths or {})}
    sized = {
        labels[k]: st.column_config.Column(width=w, pinned=k == first, alignment="right" if k in numeric else None)
        for k, w in sizes.items()
    }
    return kinds, sizes, sized


def _text(column: pd.Series) -> pa.Array:
    """A text column as Arrow text, a missing cell empty (as format_as writes it)."""
    return pa.array([format_as(v, Kind.TEXT) for v in column.tolist()], type=pa.string())
