"""The app's Altair charts, in Danish with Danish numbers (1.234.567; 4.786,13), each drawn from a table the
page also shows: the allocation with the reference marked, value for money, value against the pulje, the
frontier between two goals, the price of evidence and the core index."""

from __future__ import annotations

from collections import Counter

import altair as alt
import pandas as pd

from optimizer.display import KRONER_AXIS, VALUE_AXIS, danish_locale
from ui_text import CHARTS as T
from ui_text import TRADEOFFS

FUNDING = [TRADEOFFS[k] for k in ("funded", "partly_funded", "not_funded")]  # legend order and colours

# Danish numbers in a Vega-Lite spec written by hand (danish_locale() is the same for Altair charts)
LOCALE = {"number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " kr."]}}
ROW_PX = 26  # height per indsats in the bar charts
NAME_CHARS = 48  # longer names are cut in the charts (the table beside them holds the full names)
LARGE_NAME_CHARS = 40  # the committee view's axis, in its large type, has room for about as many
COLORS = {
    "funded": "#1b6b3a",
    "partly": "#4f9a62",
    "locked": "#1f4e9c",
    "excluded": "#9a9a9a",
    "blocked_udvalg": "#b5561b",
    "not_afforded": "#c9c9c9",
}


def _finish(chart: alt.Chart | alt.LayerChart, *, large: bool = False) -> alt.Chart:
    size = 18 if large else 12
    return (
        chart.configure(locale=danish_locale())
        .configure_axis(labelFontSize=size, titleFontSize=size + 1, labelLimit=420 if large else 320)
        .configure_legend(labelFontSize=size, titleFontSize=size, orient="bottom")
        .configure_view(strokeWidth=0)
    )


def short(name: str, limit: int = NAME_CHARS) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def bar_labels(names: list[str], limit: int = NAME_CHARS) -> list[str]:
    """Each name at most `limit` characters, and no two alike (a bar per label: two indsatser under one label
    would be drawn as one bar of their sum): names cut alike show their first words and then the words they
    differ in ("Undervisning af lærere i … metodehæfte"), and names still alike are numbered."""
    shown = [short(name, limit) for name in names]
    groups: dict[str, list[str]] = {}
    for name, label in zip(names, shown, strict=True):
        groups.setdefault(label, []).append(name)
    told = {label: _told_apart(alike, limit) for label, alike in groups.items() if len(alike) > 1}
    shown = [told[label][name] if label in told else label for name, label in zip(names, shown, strict=True)]
    counts, seen = Counter(shown), Counter[str]()
    numbered = []
    for label in shown:
        seen[label] += 1
        numbered.append(label if counts[label] == 1 else f"{label} ({seen[label]})")
    return numbered


def _told_apart(alike: list[str], limit: int) -> dict[str, str]:
    """Names cut to one label, each as the words they all begin with (as many as fit), " … " and its words from
    the first in which they differ (cut if long); a name with no such words keeps its cut label."""
    words = [name.split(" ") for name in alike]
    same = 0
    while all(len(w) > same for w in words) and len({w[same] for w in words}) == 1:
        same += 1
    tails = {name: short(" ".join(w[same:]), limit // 2) for name, w in zip(alike, words, strict=True)}
    room = limit - max(len(tail) for tail in tails.values()) - len(" … ")
    common = " ".join(words[0][:same])
    head = common[:room] if len(common) <= room else common[: common.rfind(" ", 0, room + 1) + 1]
    head = head.rstrip(" :,;–-")
    return {name: f"{head} … {tail}" if head and tail else short(name, limit) for name, tail in tails.items()}


def allocation(table: pd.DataFrame, status_labels: dict[str, str], *, large: bool = False) -> dict:
    """A bar per indsats (kroner over the plan, coloured by status), the reference marked by a black tick.

    Written as a Vega-Lite spec (the renderer Altair uses) rather than through Altair: this chart is redrawn
    on every slider move, and building it through Altair's validation takes longer than the solve."""
    names = table["name"].tolist()
    records = [
        {
            "label": label,
            "name": name,
            "amount_kr": float(now),
            "reference_kr": _plain(ref),
            "status_text": status_labels[status],
        }
        for label, name, now, ref, status in zip(
            bar_labels(names, LARGE_NAME_CHARS if large else NAME_CHARS),
            names,
            table["amount_kr"],
            table["reference_kr"],
            table["status"],
            strict=True,
        )
    ]
    present = [s for s in COLORS if s in set(table["status"])]
    size = 27 if large else 12  # the committee view: at least 20 pt on a projector
    tooltip = [
        {"field": "name", "type": "nominal", "title": T["indsats"]},
        {"field": "amount_kr", "type": "quantitative", "title": T["now_kr"], "format": KRONER_AXIS},
        {"field": "reference_kr", "type": "quantitative", "title": T["reference_kr"], "format": KRONER_AXIS},
        {"field": "status_text", "type": "nominal", "title": T["status"]},
    ]
    y = {"field": "label", "type": "nominal", "sort": [r["label"] for r in records], "title": None}
    color = {
        "field": "status_text",
        "type": "nominal",
        "title": T["status"],
        "scale": {"domain": [status_labels[s] for s in present], "range": [COLORS[s] for s in present]},
    }
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": T["allocation_title"],
        "data": {"values": records},
        "height": {"step": int(ROW_PX * (1.7 if large else 1))},
        "layer": [
            {
                "mark": "bar",
                "encoding": {
                    "y": y,
                    "color": color,
                    "tooltip": tooltip,
                    "x": {
                        "field": "amount_kr",
                        "type": "quantitative",
                        "title": T["now_kr"],
                        "axis": {"format": KRONER_AXIS},
                    },
                },
            },
            {
                "mark": {
                    "type": "tick",
                    "color": "black",
                    "thickness": 4 if large else 3,
                    "size": int(ROW_PX * (1.7 if large else 1)) - 6,
                },
                "encoding": {"y": y, "x": {"field": "reference_kr", "type": "quantitative"}, "tooltip": tooltip},
            },
        ],
        "config": {
            "locale": LOCALE,
            "view": {"strokeWidth": 0},
            "axis": {
                "labelFontSize": size,
                "titleFontSize": size + 1,
                "labelLimit": 560 if large else 320,
                **({"labelColor": "#000", "titleColor": "#000"} if large else {}),
            },
            "legend": {
                "labelFontSize": size,
                "titleFontSize": size,
                "orient": "bottom",
                **({"labelColor": "#000", "titleColor": "#000"} if large else {}),
            },
            "title": {"fontSize": size + 2, **({"color": "#000"} if large else {})},
        },
    }


def _plain(value: float) -> float | None:
    return None if value != value else float(value)


def value_for_money(points: pd.DataFrame, rate_per_100k: float | None) -> alt.Chart:
    """Cost against value per indsats (full scale, over the plan), funded ones filled; the budget line: the value
    a krone buys at the margin (above it an indsats is worth more than the last krone spent)."""
    tooltip = [
        alt.Tooltip("name:N", title=T["indsats"]),
        alt.Tooltip("ask_kr:Q", title=T["ask_kr"], format=KRONER_AXIS),
        alt.Tooltip("full_value:Q", title=T["full_value"], format=VALUE_AXIS),
        alt.Tooltip("value_per_100k:Q", title=T["value_per_100k"], format=VALUE_AXIS),
        alt.Tooltip("funded_text:N", title=T["funded"]),
    ]
    dots = (
        alt.Chart(points)
        .mark_circle(size=140, opacity=0.9)
        .encode(
            x=alt.X("ask_kr:Q", title=T["ask_kr"], axis=alt.Axis(format=KRONER_AXIS)),
            y=alt.Y(
                "full_value:Q",
                title=T["full_value"],
                axis=alt.Axis(format=",.0f", values=_decades(float(points["full_value"].max() or 0.0))),
                scale=alt.Scale(type="symlog"),
            ),
            color=alt.Color(
                "funded_text:N",
                title=None,
                sort=FUNDING,
                scale=alt.Scale(domain=FUNDING, range=["#1b6b3a", "#8fc79f", "#b8b8b8"]),
            ),
            tooltip=tooltip,
        )
    )
    layers: list[alt.Chart] = [dots]
    if rate_per_100k is not None and rate_per_100k > 0:
        top = float(points["ask_kr"].max() or 0.0)
        steps = [top * k / 60 for k in range(61)]  # many points: the value axis is symmetric-logarithmic
        line = pd.DataFrame({"ask_kr": steps, "full_value": [x * rate_per_100k / 100_000 for x in steps]})
        layers.append(
            alt.Chart(line).mark_line(color="#b5561b", strokeDash=[6, 4]).encode(x="ask_kr:Q", y="full_value:Q")
        )
    return _finish(alt.layer(*layers).properties(height=360, title=T["value_for_money_title"]))


def _decades(top: float) -> list[float]:
    """Ticks 0, 1, 10, 100 … up to the first power of ten at or above `top`: a logarithmic axis read at sight."""
    ticks, tick = [0.0], 1.0
    while tick < top * 10:
        ticks.append(tick)
        tick *= 10
    return ticks


def sweep(points: pd.DataFrame, current: float, per_year: bool) -> alt.Chart:
    """The total value against the pulje, the current pulje marked."""
    title = T["pulje_per_year"] if per_year else T["pulje"]
    line = (
        alt.Chart(points.dropna(subset=["objective"]))
        .mark_line(point=True, color="#1f4e9c")
        .encode(
            x=alt.X("budget_per_year_kr:Q", title=title, axis=alt.Axis(format=KRONER_AXIS)),
            y=alt.Y("objective:Q", title=T["value"], axis=alt.Axis(format=VALUE_AXIS)),
            tooltip=[
                alt.Tooltip("budget_per_year_kr:Q", title=title, format=KRONER_AXIS),
                alt.Tooltip("objective:Q", title=T["value"], format=VALUE_AXIS),
                alt.Tooltip("entered_text:N", title=T["entered"]),
            ],
        )
    )
    rule = alt.Chart(pd.DataFrame({"x": [current]})).mark_rule(color="#b5561b", strokeDash=[6, 4]).encode(x="x:Q")
    return _finish(alt.layer(line, rule).properties(height=340, title=T["sweep_title"]))


def frontier(points: pd.DataFrame, title_a: str, title_b: str, now: tuple[float, float]) -> alt.Chart:
    """The frontier: goal B's value across, goal A's up; the current allocation as a diamond."""
    line = (
        alt.Chart(points)
        .mark_line(point=True, color="#1f4e9c")
        .encode(
            x=alt.X("value_b:Q", title=T["value_for"].format(goal=title_b), axis=alt.Axis(format=VALUE_AXIS)),
            y=alt.Y("value_a:Q", title=T["value_for"].format(goal=title_a), axis=alt.Axis(format=VALUE_AXIS)),
            tooltip=[
                alt.Tooltip("value_a:Q", title=short(title_a), format=VALUE_AXIS),
                alt.Tooltip("value_b:Q", title=short(title_b), format=VALUE_AXIS),
            ],
        )
    )
    here = pd.DataFrame({"value_a": [now[0]], "value_b": [now[1]]})
    dot = (
        alt.Chart(here)
        .mark_point(shape="diamond", size=200, filled=True, color="#b5561b")
        .encode(x="value_b:Q", y="value_a:Q")
    )
    return _finish(alt.layer(line, dot).properties(height=340, title=T["frontier_title"]))


def evidence_price(points: pd.DataFrame) -> alt.Chart:
    """The value given up (measured without evidence) against the evidence weight."""
    chart = (
        alt.Chart(points)
        .mark_line(point=True, color="#1f4e9c")
        .encode(
            x=alt.X("evidence_weight:Q", title=T["evidence_weight"], axis=alt.Axis(format=",.1f")),
            y=alt.Y("given_up:Q", title=T["given_up"], axis=alt.Axis(format=VALUE_AXIS)),
            tooltip=[
                alt.Tooltip("evidence_weight:Q", title=T["evidence_weight"], format=",.1f"),
                alt.Tooltip("given_up:Q", title=T["given_up"], format=VALUE_AXIS),
                alt.Tooltip("starred_pct:Q", title=T["starred_share"], format=",.0f"),
            ],
        )
    )
    return _finish(chart.properties(height=300, title=T["evidence_title"]))


def core_index(table: pd.DataFrame) -> alt.Chart:
    """The share of draws in which each indsats is funded."""
    data = table.assign(label=bar_labels(table["name"].tolist()))
    chart = (
        alt.Chart(data)
        .mark_bar(color="#1f4e9c")
        .encode(
            x=alt.X(
                "core_pct:Q", title=T["core_index"], axis=alt.Axis(format=",.0f"), scale=alt.Scale(domain=[0, 100])
            ),
            y=alt.Y("label:N", sort="-x", title=None),
            tooltip=[
                alt.Tooltip("name:N", title=T["indsats"]),
                alt.Tooltip("core_pct:Q", title=T["core_index"], format=",.0f"),
            ],
        )
    )
    return _finish(chart.properties(height=max(120, ROW_PX * (len(data) + 1)), title=T["robustness_title"]))
