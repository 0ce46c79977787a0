"""The editable table: per indsats a lock (per year in multi-year plans), an exclusion, partial funding, its
own cost and reach, an extension beyond its ask ("udvid"), and a reason; each change becomes a setting shown
as an assumption. Amounts are typed the Danish way; a cell that cannot be read is named and changes nothing.
"""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import streamlit as st

from optimizer.formats import format_count, format_kr
from optimizer.numbers import NumberFormatError, parse_number
from scenarios.settings import RowEdit, Settings
from ui import state
from ui.tables import md
from ui_text import EDITOR as T

PARTIAL = {None: "katalog", True: "ja", False: "nej"}
EDIT_GEN = "editor_gen"
EDIT_ERRORS = "editor_errors"


def draw(settings: Settings, catalog: pd.DataFrame, *, expanded: bool) -> None:
    """The table of every indsats (and fixed line) with its changes; an edit applies when its cell is left."""
    box = st.expander(T["head"], expanded=expanded, key=state.key("editor_open"), on_change="rerun")
    if not box.open:
        return
    with box:
        st.caption(T["help"])
        years = [y for y in settings.years if y is not None]
        frame = frame_of(settings, catalog, years)
        key = state.key("editor", st.session_state.get(EDIT_GEN, 0))
        st.session_state["editor_key"] = key  # the tests write their edits here
        columns = _columns(years, own_cost=not years or any(not asks for asks in catalog["asks"]))
        st.data_editor(
            frame[list(columns)],
            key=key,
            hide_index=True,
            column_config=columns,
            height=min(40 + 35 * len(frame), 640),
            disabled=["name", "catalog_cost", "catalog_reach"],
            width="stretch",
        )
        if _apply(key, list(frame["id"]), list(frame["name"]), list(frame["fixed"]), years):
            st.rerun()  # the result above was drawn before the edit
        for error in st.session_state.get(EDIT_ERRORS, []):
            st.warning(md(error))


def frame_of(settings: Settings, catalog: pd.DataFrame, years: list) -> pd.DataFrame:
    """One row per indsats as the editor shows it: the catalog's figures and the settings' changes as text."""
    records = []
    for row in catalog.itertuples(index=False):
        edit = settings.edit(row.id)
        lock, extend = dict(edit.lock), dict(edit.extend)
        record = {
            "id": row.id,
            "fixed": bool(row.fixed),
            "name": row.name + (T["fixed_suffix"] if row.fixed else ""),
            "catalog_cost": T["missing"] if math.isnan(row.cost_kr) else format_kr(row.cost_kr),
            "catalog_reach": reach_text(row),
        }
        if years:
            record.update({f"lock_{y}": _amount(lock.get(y)) for y in years})
        else:
            record["lock"] = _amount(lock.get(None))
        record.update(
            {
                "exclude": edit.exclude,
                "partial": T["partial_options"][PARTIAL[edit.partial]],
                "cost": _amount(edit.cost_kr),
                "reach": _count(edit.reach),
            }
        )
        record.update({f"extend_{y}": _amount(extend.get(y)) for y in years})
        record["reason"] = edit.reason
        records.append(record)
    return pd.DataFrame.from_records(records)


def reach_text(row: object) -> str:
    """The reach as the catalog states it: one figure, a minimum, a range, or missing."""
    value, low, high = row.reach, row.reach_min, row.reach_max  # type: ignore[attr-defined]
    if row.fixed:  # type: ignore[attr-defined]
        return ""
    if not math.isnan(value):
        return format_count(value)
    if not math.isnan(low) and not math.isnan(high):
        return f"{format_count(low)}-{format_count(high)}"
    if not math.isnan(low):
        return T["reach_at_least"].format(low=format_count(low))
    if not math.isnan(high):
        return T["reach_at_most"].format(high=format_count(high))
    return T["missing"]


def _amount(value: float | None) -> str:
    return "" if value is None else format_kr(value, unit="")


def _count(value: float | None) -> str:
    return "" if value is None else format_count(value) if float(value).is_integer() else str(value).replace(".", ",")


def _columns(years: list, *, own_cost: bool) -> dict:
    """The editor's columns in the order a committee fills them: the figures first, then the rules. A plan whose
    indsatser all state their ask per year has no column for an own cost (it would change no year): a year's
    amount is changed by extending it ("Udvid")."""
    text = st.column_config.TextColumn
    columns: dict = {
        "name": text(T["name"], width="medium", pinned=True),
        "catalog_cost": text(T["catalog_cost"]),
        **({"cost": text(T["cost"])} if own_cost else {}),
        "catalog_reach": text(T["catalog_reach"]),
        "reach": text(T["reach"]),
        "reason": text(T["reason"], width="large"),
    }
    if years:
        columns.update({f"lock_{y}": text(T["lock_year"].format(year=y)) for y in years})
    else:
        columns["lock"] = text(T["lock"])
    columns["exclude"] = st.column_config.CheckboxColumn(T["exclude"])
    columns["partial"] = st.column_config.SelectboxColumn(
        T["partial"], options=list(T["partial_options"].values()), required=True
    )
    columns.update({f"extend_{y}": text(T["extend_year"].format(year=y)) for y in years})
    return columns


def _apply(key: str, ids: list[str], names: list[str], fixed: list[bool], years: list) -> bool:
    """Apply the cells just edited (True if there were any); a cell that cannot be read is named in a message
    and changes nothing. The table is then drawn afresh from the settings (a new key)."""
    ss = st.session_state
    edited = (ss.get(key) or {}).get("edited_rows", {})
    if not edited:
        return False
    settings = state.settings()
    assert settings is not None
    errors: list[str] = []
    for position, cells in edited.items():
        indsats_id = ids[int(position)]
        edit = settings.edit(indsats_id)
        for column, value in cells.items():
            changed = _cell(edit, column, value, fixed[int(position)], years)
            if isinstance(changed, str):
                errors.append(changed.format(name=names[int(position)], column=_label(column), text=value))
            else:
                edit = changed
        settings = settings.with_edit(edit)
    state.set_settings(settings)
    ss[EDIT_ERRORS] = errors
    ss[EDIT_GEN] = ss.get(EDIT_GEN, 0) + 1
    return True


def _label(column: str) -> str:
    base, _, year = column.partition("_")
    template = {
        "lock": T["lock_year"] if year else T["lock"],
        "extend": T["extend_year"],
        "cost": T["cost"],
        "reach": T["reach"],
    }.get(base if year else column, column)
    return template.format(year=year)


def _cell(edit: RowEdit, column: str, value: object, fixed: bool, years: list) -> RowEdit | str:
    """The row's changes with one cell applied, or the message template saying why it cannot be."""
    if column == "reason":
        return dataclasses.replace(edit, reason=str(value or "").strip())
    if fixed and column != "cost":
        return T["fixed_only_cost"]
    if column == "exclude":
        return dataclasses.replace(edit, exclude=bool(value))
    if column == "partial":
        chosen = next((k for k, label in T["partial_options"].items() if label == value), "katalog")
        return dataclasses.replace(edit, partial={"katalog": None, "ja": True, "nej": False}[chosen])
    text = "" if value is None else str(value).strip()
    try:
        number = None if not text else parse_number(text)
    except NumberFormatError:
        return T["bad_value"]
    if number is not None and (math.isnan(number) or number < 0):
        return T["bad_value"]
    base, _, year_text = column.partition("_")
    if base == "cost" and number == 0:
        return T["cost_zero"]
    if base in ("cost", "reach") and not year_text:
        return dataclasses.replace(edit, **{"cost_kr" if base == "cost" else "reach": number})
    year = next((y for y in years if str(y) == year_text), None)
    return edit.with_year("lock" if base == "lock" else "extend", year, number)
