"""Every chart of the dashboard, declared once: its key, its data, its builder, its title and its numbers.

Pages look a chart up by key (`chart_spec("by_month")`); the Presentation page, the PowerPoint
deck and the reports iterate `deck_charts()`, in that order; the PNG and SVG downloads are named
by `file_name`. Adding a chart is one `ChartSpec` here plus its builder in `charts.builders`,
and its title in each catalog of `i18n`.

A spec reads its data through `fetch(query, *args, **kwargs)`, a function of `db.queries` run on
some engine: the app passes its cached `ui.data.read`, the files `direct(engine)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

import pandas as pd
from sqlalchemy import Engine

from charts import builders, network, partner_network
from charts.builders import SCHOOL_YEAR_MONTHS, ChartText
from charts.maps import region_map
from charts.outcomes import OutcomesData, outcomes_chart
from db import queries
from db.filters import ActivityFilters
from db.regions import BY_CODE
from db.school_year import school_year_label
from i18n.formatting import format_month_short, month_name

Fetch = Callable[..., Any]
Numbers = tuple[tuple[str, int], ...]  # (label, count) in the chart's order: what a speaker reads out

TIMELINE_LIMIT = 1500  # events a timeline draws: beyond that a browser (and a slide) is too crowded


class Timeline(NamedTuple):
    """The timeline's data: the newest events (rows per event and partner) and how many there are in all."""

    events: pd.DataFrame
    total: int


def direct(engine: Engine) -> Fetch:
    """`fetch` for code outside the app (files, command line): each query run on `engine`, uncached."""

    def fetch(query: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return query(engine, *args, **kwargs)

    return fetch


@dataclass(frozen=True)
class ChartSpec:
    """One chart: where its data comes from, how it is drawn, what it is called, what numbers it shows.

    `title` (and `title_all_years`, where all years together read differently) and `note` are
    catalog keys. `noun` is what `numbers` count (`count.<noun>_one` in the catalogs). A deck
    chart (`in_deck`) gets a slide when the period has held activities, or, `needs_events`, any
    event; the presenter turns it on and off with the slide kind `deck_kind`. Pictures of it
    (slides, documents) are `export_height` px high where the chart's own height would not fit.
    """

    key: str
    title: str
    file_name: str
    load: Callable[[Fetch, ActivityFilters], Any]
    draw: Callable[..., Any]  # (data, text, filters, **options) -> an Altair chart
    numbers: Callable[[Any, ChartText, ActivityFilters], Numbers]
    in_deck: bool = False
    title_all_years: str | None = None
    note: str | None = None
    noun: str = "activities"
    needs_events: bool = False
    deck_kind: str = "charts"
    export_height: int | None = None  # px for the plot in a picture, instead of the chart's own height
    # A network's chart (schools compared): shown, and given a slide, only where several schools are counted.
    network: bool = False

    def title_key(self, filters: ActivityFilters) -> str:
        """The catalog key of the title for these filters."""
        if filters.school_year is None and self.title_all_years:
            return self.title_all_years
        return self.title

    def build(self, data: Any, text: ChartText, filters: ActivityFilters, **options: Any) -> Any:
        """The Altair chart of `data` (from `load`) in `text`'s language."""
        return self.draw(data, text, filters, **options)

    def is_empty(self, data: Any) -> bool:
        if isinstance(data, partner_network.NetworkChartData):
            return bool(data.network.edges.empty)  # a network needs two partners that shared an activity
        if isinstance(data, OutcomesData):
            return bool(data.figures.empty)
        frame = data.events if isinstance(data, Timeline) else data
        return bool(frame.empty)

    def rows(self, data: Any) -> int | None:
        """How many lanes the chart has (a partner each), for charts sized per row; None for the others."""
        if isinstance(data, Timeline):
            return int(data.events["organization"].nunique())
        if isinstance(data, partner_network.NetworkChartData | OutcomesData):
            return None
        if "organization_id" in data:
            return int(data["organization_id"].nunique())
        return None


# ---- data ---------------------------------------------------------------------------------


def _by_organization(fetch: Fetch, filters: ActivityFilters) -> pd.DataFrame:
    data: pd.DataFrame = fetch(queries.activities_by_organization, filters)
    return distinct_short_names(data)


def distinct_short_names(data: pd.DataFrame) -> pd.DataFrame:
    """Partners named apart on charts: where two partners share a short name („Община“ of two towns in a
    network), each is shown by its full name, so that their bars and numbers do not merge into one."""
    if data.empty:
        return data
    owners = data.groupby("short_name")["organization_id"].transform("nunique")
    return data.assign(short_name=data["short_name"].where(owners < 2, data["name"]))


def _by_month(fetch: Fetch, filters: ActivityFilters) -> pd.DataFrame:
    return fetch(queries.activities_by_month, filters)  # type: ignore[no-any-return]


def _by_school_year(fetch: Fetch, filters: ActivityFilters) -> pd.DataFrame:
    # Every year, for the development: the chosen year alone would be one bar.
    return fetch(queries.activities_by_school_year, filters.all_years())  # type: ignore[no-any-return]


def _schools(fetch: Fetch, filters: ActivityFilters) -> pd.DataFrame:
    return fetch(queries.schools_compared, filters)  # type: ignore[no-any-return]


def _reach(fetch: Fetch, filters: ActivityFilters) -> pd.DataFrame:
    return fetch(queries.partner_reach, filters)  # type: ignore[no-any-return]


def _regions(fetch: Fetch, filters: ActivityFilters) -> pd.DataFrame:
    return fetch(queries.regions_summary, filters)  # type: ignore[no-any-return]


def _timeline(fetch: Fetch, filters: ActivityFilters) -> Timeline:
    events, total = fetch(queries.timeline_events, filters, limit=TIMELINE_LIMIT)
    return Timeline(events, int(total))


def _partner_network(fetch: Fetch, filters: ActivityFilters) -> partner_network.NetworkChartData:
    network = fetch(queries.partner_network, filters)
    # Two partners of one short name (a network's „Прозорец“ of two towns) are named apart, as on the bars.
    named = network._replace(nodes=distinct_short_names(network.nodes))
    return partner_network.NetworkChartData(named, fetch(queries.partner_kinds))


def _outcomes(fetch: Fetch, filters: ActivityFilters) -> OutcomesData:
    # Every year, as the activities per school year: an outcome is read over time.
    figures, activities = fetch(queries.outcomes_with_activities, filters)
    return OutcomesData(figures, activities)


# ---- numbers ------------------------------------------------------------------------------


def _per_partner(data: pd.DataFrame, column: str) -> Numbers:
    totals = data.groupby("short_name")[column].sum().sort_values(ascending=False, kind="stable")
    return tuple((str(name), int(n)) for name, n in totals.items())


def _organization_numbers(data: pd.DataFrame, _text: ChartText, _filters: ActivityFilters) -> Numbers:
    return _per_partner(data, "activities")


def _people_numbers(data: pd.DataFrame, _text: ChartText, _filters: ActivityFilters) -> Numbers:
    return _per_partner(data, "participants")


def _matrix_numbers(data: pd.DataFrame, text: ChartText, _filters: ActivityFilters) -> Numbers:
    cells = data.groupby(["short_name", "type_code"])["activities"].sum()
    return tuple((f"{name} · {text.type_names.get(str(code), str(code))}", int(n)) for (name, code), n in cells.items())


def _month_numbers(data: pd.DataFrame, text: ChartText, filters: ActivityFilters) -> Numbers:
    """`сеп 2023: 3` for one school year; for all years, each calendar month summed, September first.

    Every month the chart has a place for is read out, an empty one as 0, so the notes agree with the bars.
    """
    if filters.school_year is not None:
        per_month = data.groupby("month")["activities"].sum()
        year = filters.school_year
        months = [f"{year + (m < 9)}-{m:02d}" for m in SCHOOL_YEAR_MONTHS]
        # The first days of the next September count with this year too: read out after August.
        months += sorted(set(per_month.index) - set(months))
        return tuple(
            (format_month_short(date(int(month[:4]), int(month[5:7]), 1), text.lang), int(per_month.get(month, 0)))
            for month in months
        )
    per_calendar_month = data.groupby(data["month"].str.slice(5, 7).astype(int))["activities"].sum()
    return tuple((month_name(m, text.lang), int(per_calendar_month.get(m, 0))) for m in SCHOOL_YEAR_MONTHS)


def _school_year_numbers(data: pd.DataFrame, _text: ChartText, _filters: ActivityFilters) -> Numbers:
    """Every school year the chart has a place for, from the first on record to the last, an empty one as 0."""
    per_year = data.groupby("school_year")["activities"].sum()
    return tuple(
        (school_year_label(year), int(per_year.get(year, 0)))
        for year in builders.every_school_year(data["school_year"])
    )


def _most(data: pd.DataFrame, column: str, more: str) -> Numbers:
    """The rows' counts in `column`, most first and named as the network's charts name their bars."""
    shown = data[data[column] > 0].sort_values([column, "short_name"], ascending=[False, True], kind="stable")
    shown = shown.head(network.MOST_SHOWN)
    labels = network.bar_labels(shown["short_name"], shown[more])
    return tuple((str(name), int(n)) for name, n in zip(labels, shown[column], strict=True))


def _region_numbers(data: pd.DataFrame, text: ChartText, _filters: ActivityFilters) -> Numbers:
    shown = data[(data["activities"] > 0) & data["region"].isin(BY_CODE)].sort_values(
        ["activities", "region"], ascending=[False, True], kind="stable"
    )
    return tuple(
        (BY_CODE[code].name(text.lang), int(n)) for code, n in zip(shown["region"], shown["activities"], strict=True)
    )


def _region_map(data: pd.DataFrame, text: ChartText, _filters: ActivityFilters, **_options: Any) -> Any:
    t = text.t
    return region_map(
        data,
        text,
        shade="activities",
        shade_title=t("chart.activities"),
        circles="partners",
        circles_title=t("chart.partners"),
        also={"schools": t("chart.schools")},
    )


def _timeline_numbers(data: Timeline, _text: ChartText, _filters: ActivityFilters) -> Numbers:
    per_partner = data.events.groupby("organization")["id"].nunique().sort_values(ascending=False, kind="stable")
    return tuple((str(name), int(n)) for name, n in per_partner.items())


def _network_numbers(data: partner_network.NetworkChartData, _text: ChartText, _filters: ActivityFilters) -> Numbers:
    """The pairs that shared the most activities, the busiest first: „Ларго – РОС „Изток“: 22“."""
    return tuple((f"{a} – {b}", n) for a, b, n in partner_network.busiest_pairs(data.network))


def _outcome_numbers(data: OutcomesData, _text: ChartText, _filters: ActivityFilters, key: str = "enrolled") -> Numbers:
    """The indicator's achieved figure per school year, as far as it is a whole number (a viewer's hidden
    ones are not there to read out)."""
    figures = data.figures[(data.figures["indicator"] == key) & data.figures["value"].notna()]
    return tuple(
        (school_year_label(int(year)), int(round(float(value))))
        for year, value in zip(figures["school_year"], figures["value"], strict=True)
    )


# ---- the charts ---------------------------------------------------------------------------

TIMELINE = ChartSpec(
    key="timeline",
    title="chart_title.timeline",
    file_name="timeline",
    load=_timeline,
    draw=lambda data, text, _filters, **options: builders.timeline_chart(data.events, text, **options),
    numbers=_timeline_numbers,
    in_deck=True,
    noun="events",
    needs_events=True,
    deck_kind="timeline",
    export_height=420,  # however many partners: a whole slide's picture
)
BY_ORGANIZATION = ChartSpec(
    key="by_organization",
    title="chart_title.by_organization",
    file_name="by-partner",
    load=_by_organization,
    draw=lambda data, text, _filters: builders.organization_chart(data, text),
    numbers=_organization_numbers,
    in_deck=True,
)
BY_MONTH = ChartSpec(
    key="by_month",
    title="chart_title.by_month",
    title_all_years="chart_title.by_month_all_years",
    file_name="by-month",
    load=_by_month,
    draw=lambda data, text, filters: builders.month_chart(data, text, filters.school_year),
    numbers=_month_numbers,
    in_deck=True,
)
BY_SCHOOL_YEAR = ChartSpec(
    key="by_school_year",
    title="chart_title.by_school_year",
    note="chart_note.by_school_year",
    file_name="by-school-year",
    load=_by_school_year,
    draw=lambda data, text, _filters: builders.school_year_chart(data, text),
    numbers=_school_year_numbers,
    in_deck=True,
)
PEOPLE = ChartSpec(
    key="people",
    title="chart_title.people",
    file_name="people",
    load=_by_organization,
    draw=lambda data, text, _filters: builders.participants_chart(data, text),
    numbers=_people_numbers,
    noun="participants",
)
MATRIX = ChartSpec(
    key="matrix",
    title="chart_title.matrix",
    file_name="matrix",
    load=_by_organization,
    draw=lambda data, text, _filters: builders.matrix_chart(data, text),
    numbers=_matrix_numbers,
)

SCHOOLS = ChartSpec(
    key="schools",
    title="chart_title.schools",
    file_name="schools",
    load=_schools,
    draw=lambda data, text, _filters: network.schools_chart(data, text),
    numbers=lambda data, _text, _filters: _most(data, "activities", "city"),
    in_deck=True,
    network=True,
)
REACH = ChartSpec(
    key="reach",
    title="chart_title.reach",
    file_name="partners-reach",
    load=_reach,
    draw=lambda data, text, _filters: network.reach_chart(data, text),
    numbers=lambda data, _text, _filters: _most(data, "schools", "name"),
    in_deck=True,
    noun="schools",
    network=True,
)
REGIONS = ChartSpec(
    key="regions",
    title="chart_title.regions",
    file_name="regions-map",
    load=_regions,
    draw=_region_map,
    numbers=_region_numbers,
    in_deck=True,
    network=True,
)
PARTNER_NETWORK = ChartSpec(
    key="partner_network",
    title="chart_title.partner_network",
    note="chart_note.partner_network",
    file_name="partner-network",
    load=_partner_network,
    draw=lambda data, text, _filters: partner_network.network_chart(data, text),
    numbers=_network_numbers,
    in_deck=True,
)

OUTCOMES = ChartSpec(
    key="outcomes",
    title="chart_title.outcomes",
    file_name="outcomes",
    load=_outcomes,
    # `indicator`: which of db/indicators.py's figures the upper part draws (the page draws each in turn).
    draw=lambda data, text, _filters, indicator="enrolled": outcomes_chart(data, text, indicator),
    numbers=_outcome_numbers,
    noun="pupils",
)

# Every chart, in the order a deck shows them: when, with whom, in which months, over the years, who works
# with whom; then, in a network, the schools compared, the partners' reach and the map.
ALL_CHARTS: tuple[ChartSpec, ...] = (
    TIMELINE,
    BY_ORGANIZATION,
    BY_MONTH,
    BY_SCHOOL_YEAR,
    PEOPLE,
    MATRIX,
    PARTNER_NETWORK,
    SCHOOLS,
    REACH,
    REGIONS,
    OUTCOMES,
)


# Read ALL_CHARTS when called, not copied when imported: one entry there is a chart everywhere.
def chart_spec(key: str) -> ChartSpec:
    """The chart declared under `key`."""
    found = next((spec for spec in ALL_CHARTS if spec.key == key), None)
    if found is None:
        raise KeyError(f"no chart {key!r} in charts.registry")
    return found


def deck_charts(*, network: bool = False) -> tuple[ChartSpec, ...]:
    """The charts that get a slide, in the deck's order; the network's only for a deck of several schools."""
    return tuple(spec for spec in ALL_CHARTS if spec.in_deck and (network or not spec.network))
