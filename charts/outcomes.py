"""The Outcomes chart: one indicator over the school years, target against achieved, and under it, on the
same school years, the held activities of those years by type.

The two are placed one above the other (a vconcat sharing its x axis), side by side in time: the chart
shows when things happened together and claims nothing about cause (the page's caption says so).
A figure a viewer may not see (db.queries.outcomes.masked_outcomes) comes without a value and is not
drawn: the line has a gap there, the page's note tells why.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import altair as alt
import pandas as pd

from charts.builders import (
    SEGMENT_EDGE,
    ChartText,
    _finish,
    _highest_stack,
    _stack_order,
    _type_color,
    _with_type_names,
    count_axis,
    every_school_year,
)
from db.indicators import ENROLLED, Indicator, indicator
from db.school_year import school_year_label
from i18n.formatting import format_decimal_figure

ACHIEVED_COLOR = "#1f4e79"  # the palette's darkest blue: the line that matters, readable in greyscale
TARGET_COLOR = "#8a8a8a"
PICTURE_WIDTH = 640  # px, for the PNG and SVG; on a page Streamlit stretches each part to the column
FIGURE_HEIGHT = 200
ACTIVITY_HEIGHT = 120


class OutcomesData(NamedTuple):
    """The chart's data: the outcomes per school year and indicator, and the activities per year and type."""

    figures: pd.DataFrame
    activities: pd.DataFrame


def _years(data: OutcomesData, key: str) -> list[int]:
    figures = data.figures[data.figures["indicator"] == key]
    return every_school_year(pd.concat([figures["school_year"], data.activities["school_year"]], ignore_index=True))


def _figure_rows(data: OutcomesData, item: Indicator, text: ChartText) -> pd.DataFrame:
    """One row per year and series (achieved, target) with a value; hidden and missing figures left out."""
    t = text.t
    figures = data.figures[data.figures["indicator"] == item.key]
    series = {"value": t("outcomes.achieved"), "target": t("outcomes.target")}
    rows = []
    for column, name in series.items():
        for year, value in zip(figures["school_year"], figures[column], strict=True):
            if value is None or pd.isna(value):
                continue
            rows.append(
                {
                    "year_label": school_year_label(int(year)),
                    "series": name,
                    "figure": float(value),
                    "figure_label": format_decimal_figure(float(value), text.lang),
                }
            )
    return pd.DataFrame(rows, columns=["year_label", "series", "figure", "figure_label"])


def outcomes_chart(data: OutcomesData, text: ChartText, key: str = ENROLLED) -> Any:
    """The indicator `key`'s achieved figures (a line with points) and targets (dashed) over the school years,
    and the held activities of the same years by type under it, one x axis for both."""
    t = text.t
    item = indicator(key)
    years = [school_year_label(year) for year in _years(data, key)]
    x = alt.X("year_label:O", title=None, scale=alt.Scale(domain=years), axis=alt.Axis(labelAngle=-40))
    series = [t("outcomes.achieved"), t("outcomes.target")]
    unit = t(f"indicator_unit.{item.unit}")
    figures = (
        alt.Chart(_figure_rows(data, item, text))
        .mark_line(point=alt.OverlayMarkDef(size=60, filled=True))
        .encode(
            x=x.axis(labels=False, ticks=False),
            y=alt.Y("figure:Q", title=unit, scale=alt.Scale(zero=True)),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=series, range=[ACHIEVED_COLOR, TARGET_COLOR]),
                legend=alt.Legend(orient="top"),
            ),
            strokeDash=alt.StrokeDash("series:N", scale=alt.Scale(domain=series, range=[[1, 0], [6, 4]]), legend=None),
            tooltip=[
                alt.Tooltip("year_label:N", title=t("outcomes.column.year")),
                alt.Tooltip("series:N", title=t(f"indicator.{key}")),
                alt.Tooltip("figure_label:N", title=unit),
            ],
        )
        .properties(height=FIGURE_HEIGHT, width=PICTURE_WIDTH)
    )
    # Only what the bars draw: the frame's sums of participants and pupils per type and year are counts of
    # people, which a viewer's chart must not carry below the small-number threshold.
    activities = _with_type_names(data.activities[["school_year", "type_code", "activities"]], text)
    activities["year_label"] = activities["school_year"].map(school_year_label)
    bars = (
        alt.Chart(activities)
        .mark_bar(**SEGMENT_EDGE)
        .encode(
            x=x,
            y=alt.Y(
                "sum(activities):Q",
                title=t("outcomes.activities"),
                axis=count_axis(_highest_stack(activities, "year_label")),
            ),
            color=_type_color(text, activities["type_code"]),
            order=_stack_order(),
            tooltip=[
                alt.Tooltip("year_label:N", title=t("outcomes.column.year")),
                alt.Tooltip("type_name:N", title=t("chart.type")),
                alt.Tooltip("sum(activities):Q", title=t("chart.activities")),
            ],
        )
        .properties(height=ACTIVITY_HEIGHT, width=PICTURE_WIDTH)
    )
    chart = alt.vconcat(figures, bars, spacing=16).resolve_scale(x="shared", color="independent")
    return _finish(chart, text)
