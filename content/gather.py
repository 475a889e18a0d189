"""Gathering a deck (and a report) from db.queries: every figure and chart's data read once, as plain data.

Text from the database is cleaned of control characters here (db.text.printable): Word, PowerPoint
and PDF writers refuse them, and the model is what every file is written from.

`fetch(query, *args, **kwargs)` runs a function of `db.queries`; `charts.registry.direct(engine)`
runs it on an engine. The app caches the gathered deck as one entry (`ui.data.read_deck`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pandas as pd

from charts.registry import Fetch, Timeline, chart_spec, deck_charts
from content.deck import active_partners, build_slides, empty_charts
from content.model import (
    CHART_PARTNERS,
    REPORT_ACTIVITIES,
    SLIDE_ACTIVITIES,
    STORY_ACTIVITIES,
    TABLE_ACTIVITIES,
    ActivityRow,
    Deck,
    DeckChoices,
    HeadlineFigures,
    Listing,
    OutcomeFigure,
    PartnerSection,
    Period,
    Report,
    StoryItem,
    StoryPhoto,
)
from db import queries
from db.filters import ActivityFilters
from db.queries.outcomes import masked_outcomes
from db.school_year import a_year_before
from db.text import printable
from db.validation import is_plain_web_address
from i18n.languages import language_codes
from i18n.vocabulary import term_names

SHOWN_STATUSES = ("held", "planned")  # slides and the report leave out what was cancelled


def gather_deck(fetch: Fetch, filters: ActivityFilters, *, today: date, choices: DeckChoices | None = None) -> Deck:
    """The deck for `filters` as of `today` (which decides what is held and how the year is compared)."""
    choices = choices or DeckChoices()
    figures = _figures(fetch, filters, today)
    schools = fetch(queries.school_list)
    counted = schools[schools["id"].isin(filters.school_ids)] if filters.school_ids else schools
    network = len(counted) > 1
    # One school is named in full; several chosen ones by short name; a whole network by its count.
    if len(counted) == 1:
        school_names: tuple[str, ...] = (printable(str(counted["name"].iloc[0])),)
    elif filters.school_ids:
        school_names = tuple(printable(str(name)) for name in counted["short_name"])
    else:
        school_names = ()
    charts = {spec.key: _printable_data(spec.load(fetch, filters)) for spec in deck_charts(network=network)}
    # The partners and the events are the deck's whether or not their charts have slides.
    by_organization = charts.get("by_organization")
    if by_organization is None:
        by_organization = chart_spec("by_organization").load(fetch, filters)
    timeline = charts.get("timeline") or chart_spec("timeline").load(fetch, filters)
    sections = tuple(_partner_sections(fetch, filters, by_organization, figures))
    if "by_organization" in charts:
        # The most active partners' bars (each partner still has its section and slide).
        shown = list(active_partners(by_organization))[:CHART_PARTNERS]
        charts["by_organization"] = by_organization[by_organization["slug"].isin(shown)].reset_index(drop=True)
    events = timeline.total
    years = fetch(queries.school_years)
    story = story_items(fetch(queries.story_activities, filters, limit=STORY_ACTIVITIES))
    # Each story slide's photo: the activity's first one whose parents' consent allows it (db.attachments).
    photos = fetch(queries.first_publishable_photos_with_captions, tuple(item.activity_id for item in story))
    story = [_with_photo(item, photos.get(item.activity_id)) for item in story]
    outcomes, outcomes_year = _outcomes(fetch, filters)
    slides = build_slides(
        figures=figures.current,
        partners=[s.slug for s in sections],
        events=events,
        choices=choices,
        network=network,
        story=[item.activity_id for item in story],
        empty_charts=empty_charts(charts),
        outcomes=bool(outcomes),
    )
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
        school_names=school_names,
        school_count=len(counted),
        network=network,
        story=tuple(story),
        outcomes=outcomes,
        outcomes_year=outcomes_year,
    )


def story_items(chosen: pd.DataFrame) -> list[StoryItem]:
    """`story_activities`' rows as the story tells them: in time order, the oldest first."""
    rows = activity_rows(chosen)
    items = [
        StoryItem(
            activity_id=int(record["id"]),
            row=row,
            location=printable(str(record["location"] or "")),
            description=" ".join(printable(str(record["description"] or "")).split()),
            highlight=bool(record["highlight"]),
        )
        for row, record in zip(rows, chosen.to_dict("records"), strict=True)
    ]
    return sorted(items, key=lambda item: (item.row.start_date, item.activity_id))


def _with_photo(item: StoryItem, photo: dict[str, Any] | None) -> StoryItem:
    if photo is None:
        return item
    shown = StoryPhoto(
        image=photo["image"],
        caption=printable(str(photo["caption"] or "")),
        credit=printable(str(photo["credit"] or "")),
    )
    return replace(item, photo=shown)


def gather_report(fetch: Fetch, filters: ActivityFilters, *, today: date) -> Report:
    """The whole deck for `filters`, with the first activities of the table and each partner's largest held ones."""
    deck = gather_deck(fetch, filters, today=today)
    table = fetch(queries.activity_list, filters, statuses=SHOWN_STATUSES, newest_first=False, limit=TABLE_ACTIVITIES)
    largest = fetch(
        queries.partner_activity_lists, filters, statuses=("held",), per_partner=REPORT_ACTIVITIES, order="largest"
    )
    lists = _per_partner(largest)
    held = {}
    for section in deck.sections:
        rows, total = lists.get(section.organization_id, ([], 0))
        held[section.slug] = Listing(rows=tuple(rows), more=total - len(rows))
    return Report(
        deck=deck,
        activities=tuple(activity_rows(table)),
        # The timeline counts the same activities: held and planned ones in the filters.
        activities_total=deck.events,
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


def _outcomes(fetch: Fetch, filters: ActivityFilters) -> tuple[tuple[OutcomeFigure, ...], int | None]:
    """The schools' outcomes of the filters' year (over all years, the newest with any), masked for viewers:
    a deck is shown to a room and its files are handed on (db.privacy)."""
    every_year = masked_outcomes(fetch(queries.outcomes, filters.all_years()))
    if every_year.empty:
        return (), None
    year = filters.school_year if filters.school_year is not None else int(every_year["school_year"].max())
    now = every_year[every_year["school_year"] == year]
    before = {
        str(row["indicator"]): row for row in every_year[every_year["school_year"] == year - 1].to_dict("records")
    }
    figures = []
    for row in now.to_dict("records"):
        earlier = before.get(str(row["indicator"]))
        hidden = bool(row["hidden"]) or (earlier is not None and bool(earlier["hidden"]))
        figures.append(
            OutcomeFigure(
                key=str(row["indicator"]),
                value=_figure_or_none(row["value"]),
                hidden=bool(row["hidden"]),
                target=_figure_or_none(row["target"]),
                previous=None if earlier is None or hidden else _figure_or_none(earlier["value"]),
            )
        )
    return tuple(figures), year


def _figure_or_none(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _partner_sections(
    fetch: Fetch, filters: ActivityFilters, by_organization: pd.DataFrame, figures: HeadlineFigures
) -> list[PartnerSection]:
    """One section per partner with held activities in the filters, most activities first, then by name.

    Every partner's figures, description and latest activities come from a few queries for all of
    them (`db.queries.per_partner`): a year of a large record has hundreds of partners.
    """
    order = active_partners(by_organization)
    if not order:
        return []
    partners = by_organization.drop_duplicates("slug").set_index("slug")
    # The period's figures are the by-partner chart's own numbers, summed over the types.
    current = by_organization.groupby("organization_id")[["activities", "participants", "pupils"]].sum()
    previous = None
    if figures.previous is not None:
        previous = fetch(queries.partner_figures, filters.previous_year(), on_or_before=figures.cutoff)
        previous = previous.set_index("organization_id")
    described = fetch(queries.partner_descriptions).set_index("organization_id")
    latest = _per_partner(
        fetch(
            queries.partner_activity_lists,
            filters,
            statuses=SHOWN_STATUSES,
            per_partner=SLIDE_ACTIVITIES,
            order="newest",
        )
    )
    sections = []
    for slug in order:
        row = partners.loc[slug]
        organization_id = int(row.organization_id)
        rows, total = latest.get(organization_id, ([], 0))
        kind = described["kind_code"].get(organization_id)
        mission = described["mission"].get(organization_id)
        sections.append(
            PartnerSection(
                organization_id=organization_id,
                slug=str(slug),
                name=printable(str(row["name"])),
                short_name=printable(str(row.short_name)),
                kind_code=str(kind or ""),
                mission=" ".join(printable(str(mission or "")).split()),
                figures=replace(
                    figures,
                    current=_partner_figures(current, organization_id),
                    previous=None if previous is None else _partner_figures(previous, organization_id),
                ),
                latest=tuple(rows),
                earlier=total - len(rows),
            )
        )
    return sections


def _partner_figures(per_partner: pd.DataFrame, organization_id: int) -> dict[str, int]:
    """One partner's headline figures (as `headline_figures` with it chosen): the partner counts itself."""
    if organization_id not in per_partner.index:
        return {"activities": 0, "partners": 0, "participants": 0, "pupils": 0}
    row = per_partner.loc[organization_id]
    activities = int(row["activities"])
    return {
        "activities": activities,
        "partners": 1 if activities else 0,
        "participants": int(row["participants"]),
        "pupils": int(row["pupils"]),
    }


def _per_partner(listed: pd.DataFrame) -> dict[int, tuple[list[ActivityRow], int]]:
    """`partner_activity_lists`'s rows as partner -> (its rows, oldest first; how many it has in all)."""
    # One pass over all the rows: a frame per partner cost 0.4 s for 300 partners.
    result: dict[int, tuple[list[ActivityRow], int]] = {}
    rows = activity_rows(listed)
    for row, organization_id, total in zip(
        rows, listed["organization_id"].tolist(), listed["total"].tolist(), strict=True
    ):
        result.setdefault(int(organization_id), ([], int(total)))[0].append(row)
    return result


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
    if isinstance(data, tuple) and hasattr(data, "_make"):  # a chart's named parts (the partner network's)
        return type(data)._make(_printable_data(item) for item in data)
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
