"""The controls: the pulje (per year), a weight per goal, the evidence weight, each udvalg's minimum and
maximum and each goal's minimum; every slider with a box beside it that takes Danish amounts ("700.000",
"0,7 mio."). A box that cannot be read says so under it and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from optimizer.catalog import goal_titles
from optimizer.formats import format_kr, format_number
from optimizer.limits import MAX_KR, MAX_WEIGHT
from optimizer.numbers import NumberFormatError, parse_number
from scenarios.export import constraint_text
from scenarios.settings import Ranges, Settings
from ui import state
from ui.tables import label as as_label
from ui.tables import md
from ui_text import CONTROLS as T

WEIGHT_HIGH, WEIGHT_STEP = 5.0, 0.1
BOX_PX = 112  # the number box beside a slider: room for "10.000.000"
Apply = Callable[[Settings, float | None], Settings]


def pulje(settings: Settings, ranges: Ranges) -> None:
    """The controls' head and the money: the pulje of each year (`ranges`: the sliders' ranges for the
    catalog, data.ranges)."""
    st.subheader(T["head"])
    for year, kr in settings.budget:
        label = T["pulje"] if year is None else T["pulje_year"].format(year=year)
        _paired(
            ("pulje", year), label, kr, 0.0, ranges.pulje_high, ranges.step, "kr", _budget(year), help=T["pulje_help"]
        )


def weights_and_limits(settings: Settings, catalog: pd.DataFrame, ranges: Ranges) -> None:
    """Below the pulje, in the order a committee thinks: what counts (a weight per goal, the evidence), then
    the limits."""
    titles = goal_titles(catalog)
    with st.expander(T["weights"], expanded=True):
        st.caption(T["weights_help"])
        shown = short_titles(titles)
        for goal, title in titles.items():
            _paired(
                ("vaegt", goal),
                shown[goal],
                settings.weight(goal),
                0.0,
                WEIGHT_HIGH,
                WEIGHT_STEP,
                "weight",
                _weight(goal),
                help=title if shown[goal] != title else None,
            )
        _paired(
            ("evidens",),
            T["evidence"],
            settings.evidence_weight,
            0.0,
            WEIGHT_HIGH,
            WEIGHT_STEP,
            "weight",
            _evidence,
            help=T["evidence_help"],
        )
    _limits(settings, ranges, titles)
    if settings.extra_constraints:
        with st.expander(T["extra_head"]):
            st.caption(T["extra_help"])
            for constraint in settings.extra_constraints:
                st.text(constraint_text(constraint))


def _limits(settings: Settings, ranges: Ranges, titles: dict[str, str]) -> None:
    """The udvalg and goal limits, each group in an expander whose sliders are drawn only while it is open."""
    lows, highs, goal_lows = dict(settings.udvalg_min), dict(settings.udvalg_max), dict(settings.goal_min)
    udvalg = st.expander(T["udvalg"], expanded=bool(lows or highs), key=state.key("udvalg_open"), on_change="rerun")
    if udvalg.open:
        with udvalg:
            st.caption(T["udvalg_help"])
            for name, top in ranges.udvalg_high.items():
                low_label, high_label = T["udvalg_min"].format(udvalg=name), T["udvalg_max"].format(udvalg=name)
                _paired(
                    ("udvalg_min", name),
                    low_label,
                    lows.get(name),
                    0.0,
                    top,
                    ranges.step,
                    "kr",
                    _limit("udvalg_min", name),
                    empty="zero",
                )
                _paired(
                    ("udvalg_max", name),
                    high_label,
                    highs.get(name),
                    0.0,
                    top,
                    ranges.step,
                    "kr",
                    _limit("udvalg_max", name),
                    empty="top",
                )
    goals = st.expander(T["goals"], expanded=bool(goal_lows), key=state.key("goals_open"), on_change="rerun")
    if goals.open:
        with goals:
            st.caption(T["goals_help"])
            for goal, top in ranges.goal_high.items():
                label = T["goal_min"].format(title=short_titles(titles).get(goal, goal))
                _paired(
                    ("maal_min", goal),
                    label,
                    goal_lows.get(goal),
                    0.0,
                    top,
                    ranges.step,
                    "kr",
                    _limit("goal_min", goal),
                    empty="zero",
                )


def short_titles(titles: dict[str, str], limit: int = 44) -> dict[str, str]:
    """Goal titles short enough for a control's label (the full title is its help text): words every title
    starts with are left out ("Flere københavnere med minoritetsbaggrund skal …"), then long ones are cut."""
    words = [t.split() for t in titles.values()]
    common = 0
    while len(words) > 1 and all(len(w) > common + 1 for w in words) and len({w[common] for w in words}) == 1:
        common += 1
    shown = {}
    for key, parts in zip(titles, words, strict=True):
        start = common - 1 if common >= 3 else 0  # keep the last shared word: "… skal i job"
        text = ("… " if start else "") + " ".join(parts[start:])
        cut = text.rfind(" ", 0, limit - 1)
        shown[key] = text if len(text) <= limit else text[: cut if cut > 0 else limit].rstrip(",;:–- ") + " …"
    return shown


def _budget(year: object) -> Apply:
    return lambda s, v: s.with_budget(year, 0.0 if v is None else v)  # type: ignore[arg-type]


def _weight(goal: str) -> Apply:
    return lambda s, v: s.with_weight(goal, 1.0 if v is None else v)


def _evidence(s: Settings, v: float | None) -> Settings:
    return s.replace(evidence_weight=0.0 if v is None else v)


def _limit(which: str, key: str) -> Apply:
    return lambda s, v: s.with_limit(which, key, v)


# --- a slider with a box beside it -------------------------------------------------------------------


def _paired(
    name: tuple,
    label: str,
    value: float | None,
    low: float,
    high: float,
    step: float,
    kind: str,
    apply: Apply,
    *,
    empty: str = "",
    help: str | None = None,
) -> None:
    """A slider and a text box for one setting. empty="top": the slider's top means no limit; "zero": 0 does."""
    ss = st.session_state
    s_key, b_key, r_key = state.key(*name, "s"), state.key(*name, "b"), state.key(*name, "top")
    top = max(ss.get(r_key, high), high, value or 0.0)
    ss[r_key] = top
    if s_key not in ss:
        ss[s_key] = _on_slider(value, top, empty)
    if b_key not in ss:
        _show(b_key, _text(value, kind, empty))
    args = (s_key, b_key, r_key, kind, empty, apply)
    shown, tip = as_label(label), md(help) if help else None  # a catalog's names are Markdown to Streamlit
    st.markdown(md(label), help=tip)  # the label above slider and box, full width: a long title wraps there
    row = st.container(horizontal=True, vertical_alignment="center", gap="small", wrap=False)  # one block
    # value= is what the key holds already: without it Streamlit copies the whole session state to find out
    # whether the slider is a range (a third of a slider's cost)
    row.slider(shown, float(low), float(top), value=ss[s_key], step=float(step), key=s_key, on_change=_slid,
               args=args, label_visibility="collapsed")  # fmt: skip
    row.text_input(
        as_label(T["box"].format(label=label)),
        key=b_key,
        on_change=_typed,
        args=args,
        label_visibility="collapsed",
        width=BOX_PX,
    )
    error = ss[state.ERRORS].get(b_key)
    if error:
        st.caption(error)


def _on_slider(value: float | None, top: float, empty: str) -> float:
    if value is None:
        return float(top) if empty == "top" else 0.0
    return float(min(value, top))


def _text(value: float | None, kind: str, empty: str) -> str:
    if value is None:
        return T["no_limit"] if empty == "top" else T["no_minimum"]
    if kind == "weight":
        return format_number(value, 2, trim=True)
    return format_kr(value, unit="")


def _slid(s_key: str, b_key: str, r_key: str, kind: str, empty: str, apply: Apply) -> None:
    if not state.is_current(s_key):
        return
    ss = st.session_state
    moved = float(ss[s_key])
    value = None if (empty == "top" and moved >= ss[r_key]) or (empty == "zero" and moved == 0) else moved
    state.set_settings(apply(state.settings(), value))
    _show(b_key, _text(value, kind, empty))
    ss[state.ERRORS].pop(b_key, None)


def _show(b_key: str, text: str) -> None:
    """Put a value in a box, remembering it was put there: the browser may send it back as if typed, and
    taking that echo for a new value would move the slider back under a user who is still moving it."""
    st.session_state[b_key] = text
    st.session_state[b_key + ":shown"] = text


def _typed(s_key: str, b_key: str, r_key: str, kind: str, empty: str, apply: Apply) -> None:
    if not state.is_current(b_key):
        return
    ss = st.session_state
    text = str(ss[b_key]).strip()
    if text == ss.get(b_key + ":shown"):  # the echo of what the slider put there, or the value already set
        ss[state.ERRORS].pop(b_key, None)
        return
    errors = ss[state.ERRORS]
    if empty and (not text or text.lower() in T["none_words"]):
        value = None
    else:
        try:
            value = parse_number(text)
        except NumberFormatError:
            value = float("nan")
        high = MAX_WEIGHT if kind == "weight" else MAX_KR
        if value != value:  # NaN: not a number, or empty
            errors[b_key] = T["not_a_weight" if kind == "weight" else "not_a_number"].format(text=text)
            return
        if not 0 <= value <= high:
            errors[b_key] = T["out_of_range"].format(text=text, high=format_number(high, 0))
            return
    errors.pop(b_key, None)
    state.set_settings(apply(state.settings(), value))
    if value is not None and value > ss[r_key]:
        ss[r_key] = value
    ss[s_key] = _on_slider(value, ss[r_key], empty)
    _show(b_key, _text(value, kind, empty))
