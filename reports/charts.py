"""The charts of a deck or report in one language: the app's own chart builders over the content's data.

Each chart comes with the numbers behind it, for speaker notes and captions: a reader of
a printed page or a listener at a round table gets the figures, not only the bars.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from db.school_year import school_year_label
from i18n import translator
from i18n.formatting import format_month_short, month_name
from reports.content import ReportContent
from reports.images import spec_png, spec_text
from ui.charts import SCHOOL_YEAR_MONTHS, ChartText, month_chart, organization_chart, school_year_chart, timeline_chart

PICTURE_SCALE = 2  # sharp on a projector and in print
TIMELINE_HEIGHT = 420  # px for the lanes: a whole slide's picture, however many partners


@dataclass(frozen=True)
class ReportChart:
    """A chart with its title and the numbers it shows: (label, count) in the chart's order."""

    key: str  # timeline, by_organization, by_month, by_school_year
    title: str
    chart: Any  # an Altair chart
    numbers: tuple[tuple[str, int], ...]
    height: int | None = None  # a fixed plot height for export, instead of the chart's own

    @functools.cached_property
    def _spec(self) -> str:  # built once: the deck and both reports ask for the same picture
        return spec_text(self.chart, height=self.height)

    def png(self) -> bytes:
        """The picture for a slide or a page; drawn once per process, whichever files need it."""
        return spec_png(self._spec, PICTURE_SCALE)


def report_charts(content: ReportContent, lang: str) -> list[ReportChart]:
    """The timeline and the charts by organization, by month and by school year; none for no data."""
    t = translator(lang)
    text = ChartText(translator(lang), lang, content.type_names[lang])
    data = content.charts
    charts = []
    if not data.timeline.empty:
        per_partner = data.timeline.groupby("organization")["id"].nunique().sort_values(ascending=False, kind="stable")
        charts.append(
            ReportChart(
                "timeline",
                t("report.chart_timeline"),
                timeline_chart(data.timeline, text),
                tuple((str(name), int(n)) for name, n in per_partner.items()),
                height=TIMELINE_HEIGHT,
            )
        )
    if not data.by_organization.empty:
        per_partner = data.by_organization.groupby("short_name")["activities"].sum()
        per_partner = per_partner.sort_values(ascending=False, kind="stable")
        charts.append(
            ReportChart(
                "by_organization",
                t("report.chart_by_organization"),
                organization_chart(data.by_organization, text),
                tuple((str(name), int(n)) for name, n in per_partner.items()),
            )
        )
    if not data.by_month.empty:
        charts.append(
            ReportChart(
                "by_month",
                t("report.chart_by_month"),
                month_chart(data.by_month, text, content.school_year),
                _month_numbers(data.by_month, lang, content.school_year),
            )
        )
    # Every year's bars, for the development; not in the report of a year that had no activities.
    if not data.by_school_year.empty and not data.by_organization.empty:
        per_year = data.by_school_year.groupby("school_year")["activities"].sum().sort_index()
        charts.append(
            ReportChart(
                "by_school_year",
                t("report.chart_by_school_year"),
                school_year_chart(data.by_school_year, text),
                tuple((school_year_label(int(year)), int(n)) for year, n in per_year.items()),
            )
        )
    return charts


def _month_numbers(by_month: pd.DataFrame, lang: str, school_year: int | None) -> tuple[tuple[str, int], ...]:
    """`сеп 2023: 3` for one school year; for all years, each calendar month summed, September first."""
    if school_year is not None:
        per_month = by_month.groupby("month")["activities"].sum().sort_index()
        return tuple(
            (format_month_short(date(int(month[:4]), int(month[5:7]), 1), lang), int(n))
            for month, n in per_month.items()
        )
    per_calendar_month = by_month.groupby(by_month["month"].str.slice(5, 7).astype(int))["activities"].sum()
    return tuple(
        (month_name(m, lang), int(per_calendar_month[m])) for m in SCHOOL_YEAR_MONTHS if m in per_calendar_month
    )
