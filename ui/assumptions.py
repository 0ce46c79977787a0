"""The tab "Antagelser": every assumption behind the numbers in Danish, the committee's own changes first
(each with its reason), then the model's (ranges read, missing figures assumed, fixed lines)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from scenarios.export import constraint_text, render_assumption
from scenarios.settings import Settings
from scenarios.whatif import WhatIf
from scenarios.why import with_names
from ui.tables import md
from ui_text import ASSUMPTIONS as T
from ui_text import PULJE_NOTES


def lines(settings: Settings, whatif: WhatIf, names: dict[str, str]) -> tuple[list[str], list[str]]:
    """The committee's changes (constraints in words, with the row's reason) and the model's assumptions, the
    indsatser named by their names."""
    changes = []
    for constraint in settings.constraints():
        text = constraint_text(constraint)
        reason = settings.edit(getattr(constraint, "id", "")).reason if hasattr(constraint, "id") else ""
        changes.append(with_names(T["reason"].format(text=text, reason=reason) if reason else text, names))
    notes = [with_names(render_assumption(n), names) for n in whatif.result.notes] if whatif.result is not None else []
    return changes, notes


def draw(settings: Settings, whatif: WhatIf, pulje_note: str, catalog: pd.DataFrame) -> None:
    st.subheader(T["head"])
    note = PULJE_NOTES.get(pulje_note)
    if note:
        st.markdown(md(note))
    changes, notes = lines(settings, whatif, dict(zip(catalog["id"], catalog["name"], strict=True)))
    st.markdown(f"**{T['changes_head']}**")
    st.markdown("\n".join(f"- {md(line)}" for line in changes) if changes else T["none"])
    if notes:
        st.markdown(f"**{T['core_head']}**")
        st.markdown("\n".join(f"- {md(line)}" for line in notes))
