"""Gathering a deck (and a report) from db.queries: every figure and chart's data read once, as plain data.

Text from the database is cleaned of control characters here (db.text.printable): Word, PowerPoint
and PDF writers refuse them, and the model is what every file is written from.

`fetch(query, *args, **kwargs)` runs a function of `db.queries`; `charts.registry.direct(engine)`
runs it on an engine. The app caches the gathered deck as one entry (`ui.data.read_deck`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from charts.registry import Fetch, Timeline, chart_spec, deck_charts
from content.deck import active_partners, build_slides
from content.model import ActivityRow, Deck, DeckChoices, HeadlineFigures, PartnerSection, Period, Report
from db import queries
from db.filters import ActivityFilters
from db.school_year import a_year_before
from db.text import printable
from db.validation import is_plain_web_address
from i18n.languages import language_codes
from i18n.vocabulary import term_names

LATEST_ACTIVITIES = 6  # on a partner's slide: what happened lately matters most
SHOWN_STATUSES = ("held", "planned")  # slides and the report leave out what was cancelled
PARTNER_ACTIVITY_LIMIT = 300  # a partner's list in the report; one school year has a few dozen at most
TABLE_LIMIT = 2000  # the report's table of all activities; all years of a large record are for the dashboard


def gather_deck(fetch: Fetch, filters: ActivityFilters, *, today: date, choices: DeckChoices | None = None) -> Deck:
    """The deck for `filters` as of `today` (which decides what is held and how the year is compared)."""
    choices = choices or DeckChoices()
    figures = _figures(fetch, filters, today)
    charts = {spec.key: _printable_data(spec.load(fetch, filters)) for spec in deck_charts()}
    # The partners and the events are the deck's whether or not their charts have slides.
    by_organization = charts.get("by_organization")
    if by_organization is None:
        by_organization = chart_spec("by_organization").load(fetch, filters)
    timeline = charts.get("timeline") or chart_spec("timeline").load(fetch, filters)
    sections = tuple(_partner_sections(fetch, filters, by_organization, today))
    events = timeline.total
    years = fetch(queries.school_years)
    slides = build_slides(figures=figures.current, partners=[s.slug for s in sections], events=events, choices=choices)
    return Deck(
        filters=filters,
        period=Period(filters.school_year, min(years) if years else None, max(years) if years else None),
        prepared_on=today,
        figures=figures,
        sections=sections,
        charts=charts,
        events=events,
        slides=tuple(slides),
        type_names=_names_by_language(fetch(queries.activity_types)),
        kind_names=_names_by_language(fetch(queries.partner_kinds)),
    )


def gather_report(fetch: Fetch, filters: ActivityFilters, *, today: date) -> Report:
    """The whole deck for `filters`, with the table of all activities and each partner's held ones."""
    deck = gather_deck(fetch, filters, today=today)
    table = fetch(queries.activity_list, filters, statuses=SHOWN_STATUSES, newest_first=False, limit=TABLE_LIMIT + 1)
    held = {
        section.slug: tuple(
            activity_rows(
                fetch(
                    queries.activity_list,
                    filters.with_organizations(section.organization_id),
                    statuses=("held",),
                    newest_first=False,
                    limit=PARTNER_ACTIVITY_LIMIT,
                )
            )
        )
        for section in deck.sections
    }
    return Report(
        deck=deck,
        activities=tuple(activity_rows(table.head(TABLE_LIMIT))),
        activities_cut=len(table) > TABLE_LIMIT,
        partner_activities=held,
    )


def _figures(fetch: Fetch, filters: ActivityFilters, today: date) -> HeadlineFigures:
    current, previous, to_date = fetch(queries.figures_with_comparison, filters, today=today)
    previous_year = None if filters.school_year is None or previous is None else filters.school_year - 1
    return HeadlineFigures(
        current=current,
        previous=previous,
        previous_year=previous_year,
        to_date=to_date,
        cutoff=a_year_before(today) if to_date else None,
    )


def _partner_sections(
    fetch: Fetch, filters: ActivityFilters, by_organization: pd.DataFrame, today: date
) -> list[PartnerSection]:
    """One section per partner with held activities in the filters, most activities first, then by name."""
    partners = by_organization.drop_duplicates("slug").set_index("slug")
    sections = []
    for slug in active_partners(by_organization):
        row = partners.loc[slug]
        profile = fetch(queries.partner_profile, str(slug)) or {}
        own = filters.with_organizations(int(row.organization_id))
        latest = fetch(queries.activity_list, own, statuses=SHOWN_STATUSES, limit=LATEST_ACTIVITIES)
        earlier = 0
        if len(latest) == LATEST_ACTIVITIES:
            earlier = fetch(queries.activity_count, own, statuses=SHOWN_STATUSES) - LATEST_ACTIVITIES
        sections.append(
            PartnerSection(
                organization_id=int(row.organization_id),
                slug=str(slug),
                name=printable(str(row["name"])),
                short_name=printable(str(row.short_name)),
                kind_code=str(profile.get("kind_code") or ""),
                mission=" ".join(printable(str(profile.get("mission") or "")).split()),
                figures=_figures(fetch, own, today),
                latest=tuple(reversed(activity_rows(latest))),
                earlier=int(earlier),
            )
        )
    return sections


def activity_rows(activities: pd.DataFrame) -> list[ActivityRow]:
    """`activity_list`'s rows as the model holds them."""
    return [
        ActivityRow(
            start_date=row["start_date"],
            end_date=_or_none(row["end_date"]),
            title=printable(str(row["title"])),
            type_code=str(row["type_code"]),
            status=str(row["status"]),
            partners=printable(str(row["organizations"] or "")),
            participants=_count_or_none(row["participants"]),
            pupils=_count_or_none(row["pupils_reached"]),
            # The files make it a clickable link: only a plain http(s) address, as on the pages.
            link=_plain_link(row["news_url"]),
        )
        for row in activities.to_dict("records")
    ]


def _plain_link(address: Any) -> str:
    """The address if it is a plain http(s) one (db.validation), else "": one stored before the check is no link."""
    text = printable(str(address or "")).strip()
    return text if is_plain_web_address(text) else ""


def _printable_data(data: Any) -> Any:
    """A chart's data with its text columns cleaned (names and titles end up in pictures and notes)."""
    if isinstance(data, Timeline):
        return Timeline(_printable_data(data.events), data.total)
    if isinstance(data, pd.DataFrame):
        text = [
            column
            for column in data.columns
            if data[column].dtype == object or pd.api.types.is_string_dtype(data[column])
        ]
        return data.assign(
            **{column: data[column].map(lambda v: printable(v) if isinstance(v, str) else v) for column in text}
        )
    return data


def _printable_value(value: Any) -> Any:
    return printable(value) if isinstance(value, str) else value


def _or_none(value: Any) -> Any:
    return None if value is None or pd.isna(value) else value


def _count_or_none(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _names_by_language(vocabulary: pd.DataFrame) -> dict[str, dict[str, str]]:
    rows = list(vocabulary.itertuples(index=False, name=None))
    return {lang: term_names(rows, lang) for lang in language_codes()}
