"""What a round-table deck or an annual report says, gathered from db.queries as plain data.

The content holds facts, not words: dates, numbers, codes and the records' own text.
The deck and the documents put it in Bulgarian or English, so one content serves both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from db import queries
from db.filters import ActivityFilters
from db.school_year import a_year_before
from i18n.languages import language_codes
from i18n.vocabulary import term_names

PARTNER_ACTIVITY_LIMIT = 300  # a partner's list in its section; one school year has a few dozen at most
TABLE_LIMIT = 2000  # the table of all activities; all years of a large record are for the dashboard
TIMELINE_LIMIT = 1500  # as on the Timeline screen


@dataclass(frozen=True)
class ActivityRow:
    """One activity as a report lists it."""

    start_date: date
    end_date: date | None
    title: str
    type_code: str
    status: str  # held or planned; cancelled ones are left out
    partners: str  # short names: `Амалипе, Ларго`
    participants: int | None
    pupils: int | None
    link: str  # the news post, or ""


@dataclass(frozen=True)
class HeadlineFigures:
    """The figures of the period, and those of the previous school year where there is one."""

    current: dict[str, int]  # activities, partners, participants, pupils (held activities)
    previous: dict[str, int] | None
    previous_year: int | None
    to_date: bool  # the year is in progress: the previous one is cut at the same day
    cutoff: date | None  # that day a year ago, when to_date


@dataclass(frozen=True)
class PartnerSection:
    """A partner with held activities in the period: who it is and what we did together."""

    organization_id: int
    slug: str
    name: str
    short_name: str
    kind_code: str
    mission: str  # one paragraph
    figures: dict[str, int]  # activities, participants, pupils
    activities: tuple[ActivityRow, ...]  # held, oldest first


@dataclass(frozen=True)
class ChartData:
    """The query results the charts are drawn from."""

    by_organization: pd.DataFrame  # queries.activities_by_organization
    by_month: pd.DataFrame  # queries.activities_by_month
    by_school_year: pd.DataFrame  # queries.activities_by_school_year, all years
    timeline: pd.DataFrame  # queries.timeline_events
    timeline_total: int


@dataclass(frozen=True)
class ReportContent:
    """Everything a deck or a report for one school year (or all years) needs."""

    school_year: int | None
    first_year: int | None  # the school years on record, for "all years"
    last_year: int | None
    prepared_on: date
    partners: tuple[str, ...]  # short names of the partners with held activities, alphabetical
    figures: HeadlineFigures
    sections: tuple[PartnerSection, ...]  # most activities first
    activities: tuple[ActivityRow, ...]  # held and planned, oldest first
    activities_cut: bool  # more than TABLE_LIMIT: the table shows the first ones
    charts: ChartData
    type_names: dict[str, dict[str, str]]  # lang -> code -> name, in display order
    kind_names: dict[str, dict[str, str]]


def gather_content(engine: Engine, filters: ActivityFilters, *, today: date) -> ReportContent:
    """The content for `filters` (usually just a school year, or None for all years) as of `today`."""
    current, previous, to_date = queries.figures_with_comparison(engine, filters, today=today)
    previous_year = None if filters.school_year is None else filters.school_year - 1
    by_organization = queries.activities_by_organization(engine, filters)
    sections = tuple(_partner_sections(engine, filters, by_organization))
    table = queries.activity_list(
        engine, filters, statuses=("held", "planned"), newest_first=False, limit=TABLE_LIMIT + 1
    )
    timeline, timeline_total = queries.timeline_events(engine, filters, limit=TIMELINE_LIMIT)
    years = queries.school_years(engine)
    return ReportContent(
        school_year=filters.school_year,
        first_year=min(years) if years else None,
        last_year=max(years) if years else None,
        prepared_on=today,
        partners=tuple(sorted(s.short_name for s in sections)),
        figures=HeadlineFigures(
            current=current,
            previous=previous,
            previous_year=previous_year if previous is not None else None,
            to_date=to_date,
            cutoff=a_year_before(today) if to_date else None,
        ),
        sections=sections,
        activities=tuple(_activity_rows(table.head(TABLE_LIMIT))),
        activities_cut=len(table) > TABLE_LIMIT,
        charts=ChartData(
            by_organization=by_organization,
            by_month=queries.activities_by_month(engine, filters),
            by_school_year=queries.activities_by_school_year(engine, filters.all_years()),
            timeline=timeline,
            timeline_total=timeline_total,
        ),
        type_names=_names_by_language(queries.activity_types(engine)),
        kind_names=_names_by_language(queries.partner_kinds(engine)),
    )


def _partner_sections(engine: Engine, filters: ActivityFilters, by_organization: pd.DataFrame) -> list[PartnerSection]:
    """One section per partner with held activities in the filters, most activities first."""
    if by_organization.empty:
        return []
    totals = (
        by_organization.groupby(["organization_id", "slug", "short_name", "name"], as_index=False)[
            ["activities", "participants", "pupils"]
        ]
        .sum()
        .sort_values(["activities", "short_name"], ascending=[False, True], kind="stable")
    )
    sections = []
    for row in totals.itertuples():
        profile = queries.partner_profile(engine, str(row.slug)) or {}
        held = queries.activity_list(
            engine,
            filters.with_organizations(int(row.organization_id)),
            statuses=("held",),
            newest_first=False,
            limit=PARTNER_ACTIVITY_LIMIT,
        )
        sections.append(
            PartnerSection(
                organization_id=int(row.organization_id),
                slug=str(row.slug),
                name=str(row.name),
                short_name=str(row.short_name),
                kind_code=str(profile.get("kind_code") or ""),
                mission=one_paragraph(profile.get("mission")),
                figures={
                    "activities": int(row.activities),
                    "participants": int(row.participants),
                    "pupils": int(row.pupils),
                },
                activities=tuple(_activity_rows(held)),
            )
        )
    return sections


def _activity_rows(activities: pd.DataFrame) -> list[ActivityRow]:
    return [
        ActivityRow(
            start_date=row["start_date"],
            end_date=_or_none(row["end_date"]),
            title=str(row["title"]),
            type_code=str(row["type_code"]),
            status=str(row["status"]),
            partners=str(row["organizations"]),
            participants=_count_or_none(row["participants"]),
            pupils=_count_or_none(row["pupils_reached"]),
            link=str(row["news_url"] or ""),
        )
        for row in activities.to_dict("records")
    ]


def one_paragraph(text: Any) -> str:
    """The text with its line breaks and runs of spaces made single spaces."""
    return " ".join(str(text).split()) if text else ""


def _or_none(value: Any) -> Any:
    return None if value is None or pd.isna(value) else value


def _count_or_none(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _names_by_language(vocabulary: pd.DataFrame) -> dict[str, dict[str, str]]:
    rows = list(vocabulary.itertuples(index=False, name=None))
    return {lang: term_names(rows, lang) for lang in language_codes()}
