"""A result in a notebook: an HTML summary with the allocation table (Result._repr_html_), and a chart of the
allocation against a reference (Result.plot). As in the CLI, the prose is English and every number Danish
(4.786,13; 1.234.567 kr.; 40 %); the chart's axes use the Danish number locale. Altair is imported only
when a chart is drawn."""

from __future__ import annotations

import html as markup
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, cast

import pandas as pd

from optimizer.formats import Kind, column_kind, format_as
from optimizer.status import Status

if TYPE_CHECKING:
    import altair as alt

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


class _Explained(Protocol):
    @property
    def message(self) -> str: ...


class Shown(Protocol):
    """What the display reads of a result (optimizer.result imports this module, so this names no Result)."""

    @property
    def status(self) -> Status: ...
    @property
    def conflict(self) -> _Explained | None: ...
    @property
    def is_ok(self) -> bool: ...
    @property
    def assumptions(self) -> Sequence[str]: ...
    @property
    def allocation(self) -> pd.DataFrame: ...
    def outcome_lines(self) -> list[str]: ...


def danish_locale() -> alt.Locale:
    """Altair's number locale with Danish separators."""
    import altair as alt

    return alt.Locale(number=alt.NumberLocale(decimal=",", thousands=".", grouping=[3], currency=["", " kr."]))


def html(result: Shown, name: str | None = None) -> str:
    """A result as HTML: name, status, the pulje's use, the total value, the allocation table and, folded,
    the assumptions. Every text from the catalog is escaped."""
    parts = ['<div class="pulje-result">']
    if name is not None:
        parts.append(f"<h4>{_text(name)}</h4>")
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


def allocation_chart(result: Shown, reference: object = None) -> alt.LayerChart:
    """Bars of the amount per indsats (over all years), with the reference's amount (e.g. the decided
    plan: a result, or {id: kroner}) marked by a black tick on each bar."""
    import altair as alt

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
    chart = alt.layer(*layers).properties(title=title, width=420).configure(locale=danish_locale())
    return cast(alt.LayerChart, chart)  # altair types configure() as Any; it returns a copy of the chart


def _allocation_table(result: Shown) -> pd.DataFrame:
    frame = result.allocation
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


def _amounts(reference: object) -> Mapping[str, float]:
    """{id: kroner over all years} from a result (or anything with one, such as a run), a Series or a mapping."""
    source: Any = getattr(reference, "result", reference)  # duck-typed: whatever holds the amounts
    if hasattr(source, "allocation"):
        return dict(zip(source.allocation["id"], source.allocation["amount_kr"], strict=True))
    return dict(source.items())


def _text(text: object) -> str:
    return markup.escape(str(text))
