"""Results in a notebook: an HTML summary with the allocation table, and Altair charts.

Each function takes the result object as it is, so a result class can show itself with a one-line
`_repr_html_` (`return display.html(self)`) or `plot()`. As in the CLI, the prose is English and every
number Danish (4.786,13; 1.234.567 kr.; 40 %); the charts' axes use the Danish number locale.
"""

from __future__ import annotations

import html as markup
from collections.abc import Mapping

import altair as alt
import pandas as pd

from optimizer.formats import Kind, column_kind, format_as
from optimizer.result import Result
from scenarios.export import per_100k
from scenarios.frontier import Frontier
from scenarios.run import ScenarioRun
from scenarios.sweep import Sweep

DANISH = alt.Locale(number=alt.NumberLocale(decimal=",", thousands=".", grouping=[3], currency=["", " kr."]))
KRONER_AXIS = ",.0f"  # d3 format; with the Danish locale 1234567 reads 1.234.567
VALUE_AXIS = ",.2f"
TABLE_COLUMNS = ["id", "name", "udvalg", "amount_kr", "funded_share", "value", "value_per_100k"]
HEADERS = {
    "id": "id",
    "name": "name",
    "udvalg": "udvalg",
    "amount_kr": "amount (kr.)",
    "funded_share": "funded",
    "value": "value",
    "value_per_100k": "value per 100.000 kr.",
}
Reference = ScenarioRun | Result | Mapping[str, float] | pd.Series


def html(item: ScenarioRun | Result) -> str:
    """A run (or a bare solve result) as HTML: name, status, the pulje's use, the total value, the
    allocation table and, folded, the assumptions. Every text from the catalog is escaped."""
    result = item.result if isinstance(item, ScenarioRun) else item
    parts = ['<div class="pulje-result">']
    if isinstance(item, ScenarioRun):
        parts.append(f"<h4>{_text(item.name)}</h4>")
    parts.append(f"<p><b>{_text(result.status.describe())}</b></p>")
    if result.conflict is not None:
        parts.append(f"<p>{_text(result.conflict.message)}</p>")
    if result.is_ok:
        parts.append("<ul>" + "".join(f"<li>{_text(line)}</li>" for line in result.outcome_lines()) + "</ul>")
        parts.append(_html_table(_allocation_table(result)))
    if result.assumptions:
        items = "".join(f"<li>{_text(line)}</li>" for line in result.assumptions)
        parts.append(f"<details><summary>Assumptions ({len(result.assumptions)})</summary><ul>{items}</ul></details>")
    parts.append("</div>")
    return "\n".join(parts)


def allocation_chart(item: ScenarioRun | Result, reference: Reference | None = None) -> alt.Chart:
    """Bars of the amount per indsats (over all years), with the reference's amount (e.g. the decided
    plan: a run, a result or {id: kroner}) marked by a black tick on each bar."""
    result = item.result if isinstance(item, ScenarioRun) else item
    data = result.allocation[["id", "name", "amount_kr"]].copy()
    if reference is not None:
        amounts = _amounts(reference)
        data["reference_kr"] = [float(amounts.get(i, 0.0)) for i in data["id"]]
    order = list(data["id"])
    tooltip = [
        alt.Tooltip("name:N", title="indsats"),
        alt.Tooltip("amount_kr:Q", title="amount (kr.)", format=KRONER_AXIS),
    ]
    if reference is not None:
        tooltip.append(alt.Tooltip("reference_kr:Q", title="reference (kr.)", format=KRONER_AXIS))
    base = alt.Chart(data).encode(y=alt.Y("id:N", sort=order, title=None))
    bars = base.mark_bar().encode(
        x=alt.X("amount_kr:Q", title="amount (kr.)", axis=alt.Axis(format=KRONER_AXIS)), tooltip=tooltip
    )
    layers = [bars]
    if reference is not None:
        layers.append(base.mark_tick(color="black", thickness=3, size=18).encode(x="reference_kr:Q", tooltip=tooltip))
    title = "Result" + (" (ticks: the reference)" if reference is not None else "")
    return alt.layer(*layers).properties(title=title, width=420).configure(locale=DANISH)


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
    return chart.properties(title="Value against the pulje", width=420).configure(locale=DANISH)


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
    return chart.properties(title=f"Frontier between {a} and {b}", width=420).configure(locale=DANISH)


def _allocation_table(result: Result) -> pd.DataFrame:
    frame = per_100k(result.allocation)
    years = [c for c in frame.columns if c.startswith("amount_kr_")]
    columns = [c for c in TABLE_COLUMNS if c in frame.columns]
    return frame[[*columns[:4], *years, *columns[4:]]]


def _html_table(frame: pd.DataFrame) -> str:
    """A table with Danish numbers, right-aligned, and escaped text."""
    kinds = {key: column_kind(key, frame[key]) for key in frame.columns}
    align = {key: "left" if kind is Kind.TEXT else "right" for key, kind in kinds.items()}
    head = "".join(
        f'<th style="text-align:{align[k]}">{_text(HEADERS.get(k, k.replace("amount_kr_", "amount ")))}</th>'
        for k in frame.columns
    )
    rows = []
    for record in frame.itertuples(index=False):
        cells = (
            f'<td style="text-align:{align[k]}">{_text(format_as(v, kinds[k]))}</td>'
            for k, v in zip(frame.columns, record, strict=True)
        )
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="pulje-allocation"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _amounts(reference: Reference) -> Mapping[str, float]:
    """{id: kroner over all years} from a run, a result, a Series or a mapping."""
    if isinstance(reference, ScenarioRun):
        reference = reference.result
    if isinstance(reference, Result):
        return dict(zip(reference.allocation["id"], reference.allocation["amount_kr"], strict=True))
    return dict(reference.items())


def _text(text: object) -> str:
    return markup.escape(str(text))
