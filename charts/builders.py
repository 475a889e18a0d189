"""Chart builders: pure functions from a query's DataFrame to an Altair chart.

Every builder takes the labels it shows through `ChartText`, so that the same
chart draws in Bulgarian and English, and the same type always has the same colour.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from charts.palette import (
    FALLBACK_COLOR,
    FALLBACK_SHAPE,
    PARTICIPANT_COLORS,
    TYPE_COLORS,
    TYPE_SHAPES,
    in_palette_order,
)
from db.school_year import school_year_label
from i18n import Translator
from i18n.chart_locale import chart_locale
from i18n.formatting import PERIOD_DASH, format_count, format_date, format_month_short, format_number, hides, month_name

TICK_FORMATS = {"year": "%Y", "quarter": "%b %Y", "month": "%b %Y", "week": "%-d %b", "date": "%-d %b", "day": "%-d %b"}
ORGANIZATION_PICK = "org_pick"
EVENT_PICK = "event_pick"


@dataclass(frozen=True)
class ChartText:
    """What a chart needs to speak the user's language."""

    t: Translator
    lang: str
    type_names: Mapping[str, str]  # code -> name, in display order


def _present_types(text: ChartText, present: pd.Series) -> list[str]:
    """The codes of the types present, darkest first: the order of the legend and of every stack."""
    # The set once: inside the loop it was built again for every type, walking the whole column each time
    # (17 % of the server's time under load at a million activities).
    found = set(present.unique())
    return in_palette_order(code for code in text.type_names if code in found)


def _type_scale(text: ChartText, present: pd.Series) -> alt.Scale:
    """Each type's own colour, for the types present."""
    codes = _present_types(text, present)
    return alt.Scale(
        domain=[text.type_names[c] for c in codes],
        range=[TYPE_COLORS.get(c, FALLBACK_COLOR) for c in codes],
    )


# The type legend sits under the plot and is as wide as its columns: five columns of 220 px labels
# ran past a phone's edge. Vega-Lite cannot wrap a legend, but its columns and label width can be
# expressions of the plot's `width`: five on a desktop, a slide or a projector, two on a phone.
LEGEND_ENTRY_WIDTH = 110  # px: a symbol, a label of at most NARROW_LABEL_LIMIT and the gap between columns
NARROW_LABEL_LIMIT = 85  # px: "кръгла маса" and "competition" whole, a longer name cut with an ellipsis
NARROW_PLOT = 560  # px: below this, labels are held to NARROW_LABEL_LIMIT so the columns above fit


def type_legend(**extra: Any) -> alt.Legend:
    """The type legend under a chart, in as many columns (up to five) as the plot's width holds."""
    return alt.Legend(
        **extra,
        orient="bottom",
        columns=alt.ExprRef(expr=f"clamp(floor(width / {LEGEND_ENTRY_WIDTH}), 1, 5)"),
        labelLimit=alt.ExprRef(expr=f"width < {NARROW_PLOT} ? {NARROW_LABEL_LIMIT} : 220"),
    )


def _type_color(text: ChartText, present: pd.Series) -> alt.Color:
    return alt.Color(
        "type_name:N",
        title=text.t("chart.type"),
        scale=_type_scale(text, present),
        # The segments' white edge would widen the legend's symbols and space out its rows.
        legend=type_legend(symbolStrokeWidth=0),
    )


def _type_shape(text: ChartText, present: pd.Series) -> alt.Shape:
    """Each type's own shape: with the colour's legend, one legend that reads in greyscale too."""
    codes = _present_types(text, present)
    return alt.Shape(
        "type_name:N",
        title=text.t("chart.type"),
        scale=alt.Scale(
            domain=[text.type_names[c] for c in codes],
            range=[TYPE_SHAPES.get(c, FALLBACK_SHAPE) for c in codes],
        ),
        legend=type_legend(),
    )


def _stack_order() -> alt.Order:
    """Stacks in the legend's order, darkest at the axis (`type_rank` comes from `_with_type_names`)."""
    return alt.Order("type_rank:Q", sort="ascending")


def _with_type_names(data: pd.DataFrame, text: ChartText) -> pd.DataFrame:
    rank = {code: number for number, code in enumerate(in_palette_order([*text.type_names, *data["type_code"]]))}
    return data.assign(
        type_name=_each_once(data["type_code"], lambda c: text.type_names.get(c, c)),
        type_rank=data["type_code"].map(rank),
    )


# A white line between the segments of a stack, so that neighbours stay apart in any print.
SEGMENT_EDGE = {"stroke": "white", "strokeWidth": 1}


# Vega caps a count axis's ticks at span / tickMinStep + 1 (three ticks for a highest bar of 2),
# and d3 then steps by 0.5: formatted as whole numbers, "0, 1, 1, 2, 2". No more ticks than the
# highest count makes d3 step by a whole number, in the app and in every picture.
MAX_COUNT_TICKS = 5


def count_axis(highest: float) -> alt.Axis:
    """An axis of whole counts up to `highest`: whole ticks, each label once."""
    ticks = int(max(1, min(MAX_COUNT_TICKS, highest)))
    return alt.Axis(tickMinStep=1, tickCount=ticks, format=",d")


def _highest_stack(data: pd.DataFrame, by: str | list[str], column: str = "activities") -> float:
    """The tallest stack: the sum of `column` per `by`, the top of a count axis."""
    return float(data.groupby(by)[column].sum().max()) if len(data) else 0.0


def _finish(chart: Any, text: ChartText) -> Any:
    # Streamlit's default autosize "fit" squeezes the plot into `height` together with its axes
    # and legend; "fit-x" stretches the width only and keeps the height for the marks.
    return (
        chart.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
        .configure(locale=chart_locale(text.lang))
        .configure_view(stroke=None)
    )


def _lanes(step: int = 34) -> alt.Step:
    """A fixed height per row, so that one partner gets one slim bar and thirty get a long chart."""
    return alt.Step(step)


def organization_chart(by_organization: pd.DataFrame, text: ChartText) -> alt.Chart:
    """Held activities per organization, stacked by type; a click picks an organization."""
    t = text.t
    data = _with_type_names(by_organization, text)
    pick = alt.selection_point(name=ORGANIZATION_PICK, fields=["organization_id"])
    chart = (
        alt.Chart(data)
        .mark_bar(**SEGMENT_EDGE)
        .encode(
            y=alt.Y("short_name:N", sort="-x", title=None, axis=alt.Axis(labelLimit=200)),
            x=alt.X(
                "sum(activities):Q",
                title=t("chart.activities"),
                axis=count_axis(_highest_stack(data, "organization_id")),
            ),
            color=_type_color(text, data["type_code"]),
            order=_stack_order(),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.35)),
            tooltip=[
                alt.Tooltip("name:N", title=t("chart.partner")),
                alt.Tooltip("type_name:N", title=t("chart.type")),
                alt.Tooltip("sum(activities):Q", title=t("chart.activities")),
            ],
        )
        .add_params(pick)
        .properties(height=_lanes())
    )
    return _finish(chart, text)


SCHOOL_YEAR_MONTHS = (9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8)


def month_chart(by_month: pd.DataFrame, text: ChartText, school_year: int | None = None) -> alt.Chart:
    """Held activities per month, stacked by type, September first.

    For one school year every month of it has a bar, empty ones too; for all years
    together each calendar month sums every year, which shows the rhythm of a school year.
    """
    t = text.t
    data = _with_type_names(by_month, text)
    month_numbers = data["month"].str.slice(5, 7).astype(int)
    if school_year is not None:
        months = [date(school_year + (m < 9), m, 1) for m in SCHOOL_YEAR_MONTHS]
        labels = [format_month_short(d, text.lang) for d in months]
        data["month_label"] = [
            format_month_short(date(int(ym[:4]), int(ym[5:7]), 1), text.lang) for ym in data["month"]
        ]
    else:
        labels = [month_name(m, text.lang) for m in SCHOOL_YEAR_MONTHS]
        data["month_label"] = month_numbers.map(lambda m: month_name(m, text.lang))
    # The last month's name would reach past a narrow chart (a phone): Vega hides it instead.
    axis = alt.Axis(labelAngle=0, labelBound=True)
    # No axis title: the chart's own title says what the months are (`chart_title.by_month_all_years`),
    # and a long one would run past the chart on a phone.
    return _columns_by_type(data, text, "month_label", labels, axis_title=None, label_title=t("chart.month"), axis=axis)


def every_school_year(years: pd.Series) -> list[int]:
    """Each school year from the first in `years` to the last, those without activities too.

    A year left out would bring its neighbours together and read as a steady trend.
    """
    if years.empty:
        return []
    return list(range(int(years.min()), int(years.max()) + 1))


def school_year_chart(by_school_year: pd.DataFrame, text: ChartText) -> alt.Chart:
    """Held activities per school year, stacked by type; a year with none keeps its place, empty."""
    t = text.t
    data = _with_type_names(by_school_year, text)
    data["year_label"] = data["school_year"].map(school_year_label)
    years = [school_year_label(year) for year in every_school_year(data["school_year"])]
    title = t("chart.school_year")
    axis = alt.Axis(labelAngle=-40)
    return _columns_by_type(data, text, "year_label", years, axis_title=title, label_title=title, axis=axis)


def _columns_by_type(
    data: pd.DataFrame,
    text: ChartText,
    label: str,
    labels: list[str],
    *,
    axis_title: str | None,
    label_title: str,
    axis: alt.Axis,
) -> alt.Chart:
    """Held activities per period (`label`, every one of `labels` in order, empty ones too), stacked by type."""
    t = text.t
    chart = (
        alt.Chart(data)
        .mark_bar(**SEGMENT_EDGE)
        .encode(
            x=alt.X(f"{label}:O", title=axis_title, scale=alt.Scale(domain=labels), axis=axis),
            y=alt.Y("sum(activities):Q", title=t("chart.activities"), axis=count_axis(_highest_stack(data, label))),
            color=_type_color(text, data["type_code"]),
            order=_stack_order(),
            tooltip=[
                alt.Tooltip(f"{label}:N", title=label_title),
                alt.Tooltip("type_name:N", title=t("chart.type")),
                alt.Tooltip("sum(activities):Q", title=t("chart.activities")),
            ],
        )
        .properties(height=260)
    )
    return _finish(chart, text)


def participants_chart(by_organization: pd.DataFrame, text: ChartText) -> alt.Chart:
    """Participants and pupils reached per organization, side by side."""
    t = text.t
    totals = by_organization.groupby(["organization_id", "short_name", "name"], as_index=False)[
        ["participants", "pupils"]
    ].sum()
    measures = {"participants": t("chart.participants"), "pupils": t("chart.pupils")}
    data = totals.melt(
        id_vars=["organization_id", "short_name", "name"],
        value_vars=list(measures),
        var_name="measure",
        value_name="people",
    )
    data["measure_name"] = data["measure"].map(measures)
    data["people_label"] = data["people"].map(lambda n: format_number(n, text.lang))
    # Pupils are children: a partner's few reached pupils get no bar and read `< 5` (db.privacy), so
    # the number is in neither the picture nor the chart's data sent to the browser.
    few = (data["measure"] == "pupils") & data["people"].map(hides)
    data.loc[few, "people_label"] = data.loc[few, "people"].map(lambda n: format_count(n, text.lang))
    data["people"] = data["people"].astype("Float64").mask(few)
    order = totals.sort_values("participants", ascending=False)["short_name"].tolist()
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("short_name:N", sort=order, title=None, axis=alt.Axis(labelLimit=200)),
            yOffset=alt.YOffset("measure_name:N", sort=list(measures.values())),
            x=alt.X(
                "people:Q",
                title=t("chart.people"),
                axis=count_axis(_highest_stack(data, ["organization_id", "measure"], "people")),
            ),
            color=alt.Color(
                "measure_name:N",
                title=None,
                scale=alt.Scale(domain=list(measures.values()), range=list(PARTICIPANT_COLORS)),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("name:N", title=t("chart.partner")),
                alt.Tooltip("measure_name:N", title=t("chart.measure")),
                alt.Tooltip("people_label:N", title=t("chart.people")),
            ],
        )
        .properties(height=_lanes(44))
    )
    return _finish(chart, text)


def matrix_chart(by_organization: pd.DataFrame, text: ChartText) -> alt.LayerChart:
    """Organization × type: how many held activities of each type each partner had."""
    t = text.t
    data = _with_type_names(by_organization, text)
    type_order = [text.type_names[c] for c in _present_types(text, data["type_code"])]
    base = alt.Chart(data).encode(
        x=alt.X(
            "type_name:N",
            sort=type_order,
            title=None,
            axis=alt.Axis(labelAngle=-35, orient="top", labelOverlap=False, labelLimit=120),
        ),
        y=alt.Y("short_name:N", title=None, axis=alt.Axis(labelLimit=200)),
    )
    cells = base.mark_rect(cornerRadius=2).encode(
        color=alt.Color("activities:Q", title=t("chart.activities"), scale=alt.Scale(scheme="blues"), legend=None),
        tooltip=[
            alt.Tooltip("name:N", title=t("chart.partner")),
            alt.Tooltip("type_name:N", title=t("chart.type")),
            alt.Tooltip("activities:Q", title=t("chart.activities")),
        ],
    )
    high = float(data["activities"].max()) if len(data) else 0.0
    labels = base.mark_text(fontSize=13).encode(
        text="activities:Q",
        color=alt.condition(alt.datum.activities > high * 0.6, alt.value("white"), alt.value("black")),
    )
    chart = alt.layer(cells, labels).properties(height=_lanes(38))
    return _finish(chart, text)  # type: ignore[no-any-return]


def timeline_frame(events: pd.DataFrame, text: ChartText, lane: str) -> pd.DataFrame:
    """The rows the timeline draws: one per event and lane, with labels in the user's language.

    `lane` is "organization" (an event with two partners stands in both lanes) or "type".
    Computed a column at a time: each date is written once however many events share it.
    """
    t = text.t
    data = _with_type_names(events, text)
    pairs = data[["id", "organization"]].drop_duplicates().sort_values(["id", "organization"])
    # Summing strings joins them: ", A, B" per event, less its first separator.
    joined = (", " + pairs["organization"]).groupby(pairs["id"]).sum().str.slice(2)
    data["organizations"] = data["id"].map(joined)
    if lane == "type":
        data = data.drop_duplicates("id")
        data["lane"] = data["type_name"]
    else:
        data["lane"] = data["organization"]
    data["start"] = pd.to_datetime(data["start_date"])
    last_day = pd.to_datetime(data["end_date"].where(data["end_date"].notna(), data["start_date"]))
    data["end"] = last_day + timedelta(days=1)
    data["one_day"] = data["end"] - data["start"] <= timedelta(days=1)
    data["period"] = _periods(data["start_date"], data["end_date"], text.lang)
    data["status_name"] = _each_once(data["status"], lambda s: t(f"status.{s}"))
    data = data.sort_values(["lane", "start", "id"]).reset_index(drop=True)
    data["slot"] = _pack_slots(data)
    return data.drop(columns=["start_date", "end_date"])


def _each_once(values: pd.Series, name: Callable[[Any], str]) -> pd.Series:
    """`values` mapped through `name`, called once per distinct value rather than once per row."""
    return values.map({value: name(value) for value in values.unique()})


def _periods(starts: pd.Series, ends: pd.Series, lang: str) -> pd.Series:
    """`format_period` of each row, with each distinct date written once."""
    days = {day: format_date(day, lang) for day in {*starts, *ends.dropna()}}
    first, last = starts.map(days), ends.map(days)
    one_date = ends.isna() | (ends == starts)
    return first.where(one_date, first + PERIOD_DASH + last)


MAX_SLOTS = 4


def _pack_slots(data: pd.DataFrame) -> np.ndarray | list[int]:
    """A row within its lane for each event (sorted by lane, start, id), so that events that meet stay apart.

    An event takes its row from its start for at least a sixtieth of the whole period (the width
    of a mark at the first zoom) and goes to the first row free at its start. Past MAX_SLOTS rows,
    events share the last one. Row by row: the first row of a lane holds its first event, then
    the first event that starts when that one's row is free, and so on (a chain of `_first_free`
    jumps); each next row does the same with the events left; the last row takes the rest.
    """
    if data.empty:
        return []
    start = data["start"].to_numpy("datetime64[D]").astype(np.int64)
    end = data["end"].to_numpy("datetime64[D]").astype(np.int64)
    # Whole days throughout, so the times are counted in sixtieths of a day: the sixtieth of
    # the period is then a whole number too, and every comparison is exact.
    reach = max(int(end.max() - start.min()), 60)
    begins = (start - start.min()) * 60
    frees = begins + np.maximum((end - start) * 60, reach)
    # Lanes one after another on one axis, each past the last moment of the one before.
    lane = pd.factorize(data["lane"], sort=False)[0].astype(np.int64)
    offset = lane * (int(frees.max()) + 1)
    slots = np.full(len(data), MAX_SLOTS - 1, dtype=np.int64)
    left = np.arange(len(data))
    for slot in range(MAX_SLOTS - 1):
        if not len(left):
            break
        taken = _first_free(offset[left] + begins[left], offset[left] + frees[left], lane[left])
        slots[left[taken]] = slot
        left = left[~taken]
    return slots


def _first_free(begins: np.ndarray, frees: np.ndarray, lanes: np.ndarray) -> np.ndarray:
    """Which events one row of each lane holds: the lane's first, then each time the first to begin once it is free.

    `begins` is sorted; a chain has at most about sixty events (each holds a sixtieth of the period),
    so the loop below takes that many steps, each over every lane at once.
    """
    after = np.searchsorted(begins, frees, side="left")
    inside = after < len(begins)
    inside[inside] = lanes[after[inside]] == lanes[inside]
    after = np.where(inside, after, -1)
    taken = np.zeros(len(begins), dtype=bool)
    current = np.flatnonzero(np.r_[True, lanes[1:] != lanes[:-1]])
    while len(current):
        taken[current] = True
        current = after[current]
        current = current[current >= 0]
    return taken


MARK_SIZE = 170  # px², the area of a first-day mark on a screen


def timeline_chart(
    events: pd.DataFrame, text: ChartText, lane: str = "organization", *, mark_size: int = MARK_SIZE
) -> alt.LayerChart:
    """Every event on a time axis: a lane per organization or type, colour by type.

    Each event is a mark on its first day, in its type's colour and shape (the shape is for
    greyscale), which stays visible at any zoom; events over several days also get a bar to
    their last day. Drag to pan, scroll to zoom (time axis only); a click on a mark picks the event.
    `mark_size` (px²) is larger on a projector, so that the shapes read across a room.
    """
    t = text.t
    data = timeline_frame(events, text, lane)
    lanes = sorted(data["lane"].unique().tolist())
    slots = int(data["slot"].max()) + 1 if len(data) else 1
    # Vega-Lite cannot share one point selection between two layers, so only the marks take clicks.
    pick = alt.selection_point(name=EVENT_PICK, fields=["id"])
    zoom = alt.selection_interval(name="zoom", encodings=["x"], bind="scales")
    base = alt.Chart(data).encode(
        y=alt.Y("lane:N", sort=lanes, title=None, axis=alt.Axis(labelLimit=220)),
        yOffset=alt.YOffset("slot:O", scale=alt.Scale(domain=list(range(slots)))),
        color=_type_color(text, data["type_code"]),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.25)),
        **_planned_hollow(text, data["type_code"]),
        tooltip=[
            alt.Tooltip("title:N", title=t("chart.title")),
            alt.Tooltip("period:N", title=t("chart.date")),
            alt.Tooltip("type_name:N", title=t("chart.type")),
            alt.Tooltip("organizations:N", title=t("chart.partners")),
            alt.Tooltip("status_name:N", title=t("chart.status")),
        ],
    )
    margin = max(timedelta(days=12), (data["end"].max() - data["start"].min()) * 0.02)
    first, last = data["start"].min() - margin, data["end"].max() + margin
    domain = [alt.DateTime(year=d.year, month=d.month, date=d.day, utc=True) for d in (first, last)]
    # A format per tick granularity, so that zooming goes from years to months to days
    # ("29 ное"), in the day-month order both languages use here.
    axis = alt.Axis(labelAngle=0, grid=True, format=TICK_FORMATS)
    spans = (
        base.transform_filter("!datum.one_day")
        .mark_bar(height=round(10 * (mark_size / MARK_SIZE) ** 0.5), cornerRadius=3, strokeWidth=1.5)
        .encode(x=alt.X("start:T", title=None, axis=axis, scale=alt.Scale(type="utc")), x2="end:T")
    )
    # The initial domain belongs to the layer that zooms, or Vega-Lite sees two conflicting domains.
    starts = (
        base.mark_point(size=mark_size, filled=True, strokeWidth=1.5)
        .encode(
            x=alt.X("start:T", title=None, axis=axis, scale=alt.Scale(type="utc", domain=domain)),
            shape=_type_shape(text, data["type_code"]),
        )
        .add_params(pick, zoom)
    )
    # A number, not a step: with yOffset a step would be given to every sub-row, not every lane.
    chart = alt.layer(spans, starts).properties(height=len(lanes) * max(34, 20 * slots) + 10)
    return _finish(chart, text)  # type: ignore[no-any-return]


def _planned_hollow(text: ChartText, present: pd.Series) -> dict[str, Any]:
    """Planned events are drawn hollow: outlined in their type's colour, lightly filled."""
    return {
        "fillOpacity": alt.FillOpacity(
            "status:O",
            sort=["held", "planned"],
            legend=None,
            scale=alt.Scale(domain=["held", "planned"], range=[1.0, 0.25]),
        ),
        "stroke": alt.Stroke("type_name:N", scale=_type_scale(text, present), legend=None),
    }
