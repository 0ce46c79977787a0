"""Analyses in a notebook: Altair charts of a budget sweep and of a frontier; and a run's HTML summary and
allocation chart (optimizer.display, which a result and a run also show as themselves: `run` in a cell,
`run.plot(reference=...)`). Prose English, numbers Danish; axes in the Danish number locale."""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

import altair as alt
import pandas as pd

from optimizer import display as core
from optimizer.display import KRONER_AXIS, VALUE_AXIS, Shown, danish_locale
from scenarios.frontier import Frontier
from scenarios.run import ScenarioRun
from scenarios.sweep import Sweep

Reference = object  # a run, a result, a Series or {id: kroner}


def html(item: ScenarioRun | Shown) -> str:
    """A run (or a bare solve result) as HTML: its name, status, the pulje's use, the allocation table."""
    if isinstance(item, ScenarioRun):
        return core.html(item.result, item.name)
    return core.html(item)


def allocation_chart(item: ScenarioRun | Shown, reference: Reference | None = None) -> alt.LayerChart:
    """Bars of the amount per indsats with the reference's amount (e.g. the decided plan) marked on each bar."""
    return core.allocation_chart(item.result if isinstance(item, ScenarioRun) else item, reference)


def sweep_chart(sweep: Sweep | Mapping[str, Sweep]) -> alt.Chart:
    """The total value against the pulje (per year) for one sweep, or one line per sweep for {label: sweep}."""
    sweeps = sweep if isinstance(sweep, Mapping) else {"": sweep}
    frames = [s.points.assign(sweep=label) for label, s in sweeps.items()]
    columns = ["sweep", "budget_per_year_kr", "objective", "next_100k_value", "status"]
    data = pd.concat(frames, ignore_index=True)[columns]
    data = data.dropna(subset=["objective"])  # a budget with no feasible allocation has no value to draw
    encoding = {
        "x": alt.X("budget_per_year_kr:Q", title="pulje per year (kr.)", axis=alt.Axis(format=KRONER_AXIS)),
        "y": alt.Y("objective:Q", title="total value", axis=alt.Axis(format=VALUE_AXIS)),
        "tooltip": [
            alt.Tooltip("budget_per_year_kr:Q", title="pulje per year (kr.)", format=KRONER_AXIS),
            alt.Tooltip("objective:Q", title="total value", format=VALUE_AXIS),
            alt.Tooltip("next_100k_value:Q", title="another 100.000 kr. a year buy", format=VALUE_AXIS),
        ],
    }
    if len(sweeps) > 1:
        encoding["color"] = alt.Color("sweep:N", title=None)
    chart = alt.Chart(data).mark_line(point=True).encode(**encoding)
    configured = chart.properties(title="Value against the pulje", width=420).configure(locale=danish_locale())
    return cast(alt.Chart, configured)  # altair types configure() as Any; it returns a copy of the chart


def frontier_chart(frontier: Frontier) -> alt.Chart:
    """The frontier: goal B's value across, goal A's up, one numbered point per non-dominated allocation."""
    data = frontier.points.assign(point=range(1, len(frontier.points) + 1))
    a, b = frontier.goal_a, frontier.goal_b
    chart = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("value_b:Q", title=f"value for {b}", axis=alt.Axis(format=VALUE_AXIS)),
            y=alt.Y("value_a:Q", title=f"value for {a}", axis=alt.Axis(format=VALUE_AXIS)),
            order="point:Q",
            tooltip=[
                alt.Tooltip("point:Q", title="point"),
                alt.Tooltip("value_a:Q", title=f"value for {a}", format=VALUE_AXIS),
                alt.Tooltip("value_b:Q", title=f"value for {b}", format=VALUE_AXIS),
                alt.Tooltip("objective:Q", title="total value", format=VALUE_AXIS),
            ],
        )
    )
    configured = chart.properties(title=f"Frontier between {a} and {b}", width=420).configure(locale=danish_locale())
    return cast(alt.Chart, configured)  # altair types configure() as Any; it returns a copy of the chart
