"""The tab "Afvejninger": value for money, the value against the pulje, the frontier between two goals,
robustness (on request, with a progress bar) and the price of evidence; each chart with its table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from optimizer.catalog import goal_titles
from optimizer.formats import Kind
from scenarios.settings import Settings
from scenarios.tradeoffs import goal_values, robust, value_for_money
from scenarios.whatif import WhatIf
from ui import charts, data, state
from ui.controls import short_titles
from ui.tables import show
from ui_text import TRADEOFF_COLUMNS as C
from ui_text import TRADEOFFS as T

DRAWS = (200, 1_000, 5_000)
ROBUSTNESS = "robustness"  # session key: the last robustness run, with the settings it was run for


def draw(whatif: WhatIf, settings: Settings, source: data.Source, catalog: pd.DataFrame) -> None:
    result = whatif.result
    if result is None or not result.is_ok:
        st.info(T["needs_result"])
        return
    names = (T["value_for_money"], T["sweep"], T["frontier"], T["robustness"], T["evidence"])
    tabs = st.tabs(names, key=state.key("tradeoff_tabs"), on_change="rerun")
    parts = (_value_for_money, _sweep, _frontier, _robustness, _evidence)
    for tab, part in zip(tabs, parts, strict=True):
        if tab.open:
            with tab:
                part(whatif, settings, source, catalog)


def _table(frame: pd.DataFrame, keys: list[str], kinds: dict[str, Kind] | None = None) -> None:
    box = st.expander(T["table"], key=state.key("table", *keys), on_change="rerun")
    if box.open:
        with box:
            show(frame, {k: C[k] for k in keys}, kinds=kinds)


def _value_for_money(whatif: WhatIf, settings: Settings, source: data.Source, catalog: pd.DataFrame) -> None:
    assert whatif.result is not None
    st.caption(T["value_for_money_help"])
    points, rate = value_for_money(whatif.result)
    points = points.assign(
        funded_text=points["funded"].map({"full": T["funded"], "partly": T["partly_funded"], "none": T["not_funded"]})
    )
    st.altair_chart(charts.value_for_money(points, rate), width="stretch", alt=T["value_for_money_help"])
    _table(points, ["name", "ask_kr", "full_value", "value_per_100k", "funded_text"], {"ask_kr": Kind.KRONER})


def _sweep(whatif: WhatIf, settings: Settings, source: data.Source, catalog: pd.DataFrame) -> None:
    st.caption(T["sweep_help"])
    swept = data.sweep(source.version, settings.key(), settings, source)
    names = dict(zip(catalog["id"], catalog["name"], strict=True))
    points = swept.points.assign(entered_text=swept.points["entered"].map(lambda ids: ", ".join(names[i] for i in ids)))
    per_year = settings.years != (None,)
    current = max(kr for _, kr in settings.budget)
    st.altair_chart(charts.sweep(points, current, per_year), width="stretch", alt=T["sweep_help"])
    _table(
        points,
        ["budget_per_year_kr", "objective", "next_100k_value", "entered_text"],
        {"budget_per_year_kr": Kind.KRONER},
    )
    st.markdown(f"**{T['sweep_entries']}**")
    show(swept.entries, {"name": C["name"], "enters_at_kr": C["enters_at_kr"]}, kinds={"enters_at_kr": Kind.KRONER})


def _frontier(whatif: WhatIf, settings: Settings, source: data.Source, catalog: pd.DataFrame) -> None:
    assert whatif.result is not None
    st.caption(T["frontier_help"])
    titles = goal_titles(catalog)
    goals = list(titles)
    if len(goals) < 2:
        st.info(T["one_goal"])
        return
    left, right = st.columns(2)
    goal_a = left.selectbox(T["goal_a"], goals, index=0, format_func=titles.get, key=state.key("goal_a"))
    goal_b = right.selectbox(T["goal_b"], goals, index=1, format_func=titles.get, key=state.key("goal_b"))
    if goal_a == goal_b:
        st.info(T["same_goal"])
        return
    traced = data.frontier(source.version, settings.key(), goal_a, goal_b, settings, source)
    now = goal_values(whatif.result, goal_a, goal_b)
    shown = short_titles(titles)
    st.altair_chart(
        charts.frontier(traced.points, shown[goal_a], shown[goal_b], now), width="stretch", alt=T["frontier_help"]
    )
    _table(traced.points, ["value_a", "value_b"])


def _robustness(whatif: WhatIf, settings: Settings, source: data.Source, catalog: pd.DataFrame) -> None:
    st.caption(T["robustness_help"])
    draws = st.segmented_control(T["draws"], DRAWS, default=DRAWS[1], key=state.key("draws"), required=True)
    if st.button(T["run_robustness"], key=state.key("run_robustness")):
        bar = st.progress(0.0, text=T["robustness_running"].format(done=0, total=draws))

        def report(done: int, total: int) -> None:
            bar.progress(done / max(total, 1), text=T["robustness_running"].format(done=done, total=total))

        ran = robust(data.inputs(settings, source), int(draws or DRAWS[1]), progress=report)
        bar.empty()
        st.session_state[ROBUSTNESS] = (settings.key(), ran)
    stored = st.session_state.get(ROBUSTNESS)
    if stored is None or stored[0] != settings.key():
        return
    ran = stored[1]
    st.caption(T["robustness_done"].format(draws=ran.draws, seed=ran.seed))
    table = ran.table.assign(core_pct=ran.table["core_index"] * 100)
    st.altair_chart(charts.core_index(table), width="stretch", alt=T["robustness_help"])
    _table(ran.table, ["name", "core_index", "mean_kr", "p05_kr", "p95_kr"])


def _evidence(whatif: WhatIf, settings: Settings, source: data.Source, catalog: pd.DataFrame) -> None:
    st.caption(T["evidence_help"])
    if not (catalog["stars"].fillna(0) > 0).any():
        st.info(T["no_stars"])
        return
    prices = data.evidence(source.version, settings.key(), settings, source)
    shown = prices.assign(starred_pct=prices["starred_share"] * 100)
    st.altair_chart(charts.evidence_price(shown), width="stretch", alt=T["evidence_help"])
    _table(
        prices,
        ["evidence_weight", "value_without_evidence", "given_up", "starred_share"],
        {"starred_share": Kind.SHARE},
    )
