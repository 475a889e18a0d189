"""Reads about activities: figures, lists, the timeline and the aggregates behind the charts.

Figures and charts count held activities only: planned ones have not happened and
cancelled ones did not. Lists and the timeline show planned ones too.

Counts come from the rollups (db/queries/rollup_counts.py) wherever the filters allow: always per
partner; per period and in total without a partner or with one. With two partners or more an
activity they share must count once, which only the activities themselves can tell; and a search
or a cut-off day reads the activities too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from math import isqrt
from typing import Any

import pandas as pd
from sqlalchemy import BigInteger, ColumnElement, Engine, Integer, Select, and_, cast, exists, func, select

from db.expressions import year_month
from db.filters import ActivityFilters, activity_conditions, link_conditions
from db.models import Activity, ActivityOrganization, ActivityType, Organization, partner_rollup
from db.queries.frames import frame
from db.queries.rollup_counts import HELD_ONLY, counts_for, partners_counted, rollup_for, summed
from db.school_year import a_year_before, school_year_of
from db.search import candidates, indexed_query, matching_ids
from db.text import like_pattern

HELD = Activity.status == "held"
# An activity as the lists show it (the pages' tables and cards, a partner's newest in db/queries/per_partner.py),
# with `ActivityType` joined for its code.
LISTED = (
    Activity.id,
    Activity.start_date,
    Activity.end_date,
    Activity.title,
    ActivityType.code.label("type_code"),
    Activity.status,
    Activity.location,
    Activity.participants,
    Activity.pupils_reached,
    Activity.news_url,
)


def headline_figures(engine: Engine, filters: ActivityFilters, *, on_or_before: date | None = None) -> dict[str, int]:
    """Held activities in the filters (up to a day, if given): keys activities, partners, participants, pupils."""
    rollup = rollup_for(filters) if on_or_before is None else None
    partners = partners_counted(filters, on_or_before)
    if partners is None:
        partners = _partners_from_records(filters, on_or_before)
    if rollup is not None:
        totals = select(summed(rollup.c.activities), summed(rollup.c.participants), summed(rollup.c.pupils)).where(
            *counts_for(rollup, filters, HELD_ONLY)
        )
    else:
        cutoff = [Activity.start_date <= on_or_before] if on_or_before else []
        totals = select(
            func.count(),
            func.coalesce(func.sum(Activity.participants), 0),
            func.coalesce(func.sum(Activity.pupils_reached), 0),
        ).where(HELD, *activity_conditions(filters), *cutoff)
    with engine.connect() as connection:
        activities, participants, pupils = connection.execute(totals).one()
        partner_count = connection.scalar(partners) or 0
    return _figures(activities, partner_count, participants, pupils)


def _partners_from_records(filters: ActivityFilters, on_or_before: date | None) -> Select[Any]:
    """How many partners took part in a held activity in the filters (up to a day), counted from the records."""
    cutoff = [Activity.start_date <= on_or_before] if on_or_before else []
    if filters.school_year is None and not filters.school_ids:
        # Over all years, asking each partner "is there one such activity?" stops at its first
        # match, where counting distinct partners reads every link (4.2 s against 2.1 s at a
        # million activities, measured in November 2026). Within one school year (or one school) its
        # index finds the few activities first, and counting their links is the fast way (0.14 s
        # against 9.5 s).
        has_one = (
            exists()
            .where(ActivityOrganization.organization_id == Organization.id)
            .where(Activity.id == ActivityOrganization.activity_id)
            .where(HELD, *activity_conditions(filters.with_organizations()), *cutoff)
        )
        chosen = [Organization.id.in_(filters.organization_ids)] if filters.organization_ids else []
        return select(func.count()).select_from(Organization).where(has_one, *chosen)
    return (
        select(func.count(func.distinct(ActivityOrganization.organization_id)))
        .join(Activity, Activity.id == ActivityOrganization.activity_id)
        .where(HELD, *link_conditions(filters), *cutoff)
    )


def _figures(activities: Any, partners: Any, participants: Any, pupils: Any) -> dict[str, int]:
    return {
        "activities": int(activities or 0),
        "partners": int(partners or 0),
        "participants": int(participants or 0),
        "pupils": int(pupils or 0),
    }


def figures_with_comparison(
    engine: Engine, filters: ActivityFilters, *, today: date
) -> tuple[dict[str, int], dict[str, int] | None, bool]:
    """The headline figures, those of the previous school year, and whether the comparison is to date.

    For the school year in progress the previous year is cut at the same day a year
    earlier, so that November is not compared with a whole year. No comparison for all years.
    """
    current = headline_figures(engine, filters)
    if filters.school_year is None:
        return current, None, False
    in_progress = school_year_of(today) == filters.school_year
    cutoff = a_year_before(today) if in_progress else None
    previous = headline_figures(engine, filters.previous_year(), on_or_before=cutoff)
    return current, previous, in_progress


def _partner_names(engine: Engine, activity_ids: list[int]) -> dict[int, str]:
    """`Амалипе, Ларго`: each listed activity's partners by short name, in alphabetical order."""
    statement = (
        select(ActivityOrganization.activity_id, Organization.short_name)
        .join(Organization, Organization.id == ActivityOrganization.organization_id)
        .where(ActivityOrganization.activity_id.in_(activity_ids))
        .order_by(ActivityOrganization.activity_id, Organization.short_name)
    )
    names: dict[int, list[str]] = {}
    with engine.connect() as connection:
        for activity_id, short_name in connection.execute(statement):
            names.setdefault(activity_id, []).append(short_name)
    return {activity_id: ", ".join(shorts) for activity_id, shorts in names.items()}


def activity_list(
    engine: Engine,
    filters: ActivityFilters,
    *,
    statuses: tuple[str, ...] = ("planned", "held", "cancelled"),
    on_or_after: date | None = None,
    before: date | None = None,
    newest_first: bool = True,
    limit: int = 500,
    offset: int = 0,
    search: str = "",
) -> pd.DataFrame:
    """Activities in the filters, one row each; with `search`, those whose title, place or description holds it.

    Columns: id, start_date, end_date, title, type_code, status, location, participants, pupils_reached,
    news_url, organizations (short names joined by `, `).
    """
    walk = _busy_partners(engine, filters, limit)
    # The newest `limit + offset` are found by walking the date index while matches are common; through
    # the search index when they are rare (the same rule as for a busy partner, _busy_partners); and
    # within filters that read few activities anyway, only when that is fewer still (see _counted).
    matching = _matching(
        engine,
        search,
        lambda total: min(isqrt((limit + offset) * total), _read_without_search(engine, filters, statuses, total) // 8),
    )
    conditions = [Activity.status.in_(statuses), *activity_conditions(filters, walk_dates=walk), *matching]
    if on_or_after is not None:
        conditions.append(Activity.start_date >= on_or_after)
    if before is not None:
        conditions.append(Activity.start_date < before)
    order = (Activity.start_date.desc(), Activity.id.desc()) if newest_first else (Activity.start_date, Activity.id)
    statement = (
        select(*LISTED)
        .join(ActivityType, ActivityType.id == Activity.type_id)
        .where(*conditions)
        .order_by(*order)
        .limit(limit)
        .offset(offset)
    )
    activities = frame(engine, statement)
    partners = _partner_names(engine, activities["id"].tolist()) if len(activities) else {}
    activities["organizations"] = activities["id"].map(lambda i: partners.get(i, "")).astype(str)
    return activities


def _busy_partners(engine: Engine, filters: ActivityFilters, limit: int) -> bool:
    """Whether the chosen partners have so many activities that the newest `limit` are best found by date.

    Listing a partner's activities (IN) and sorting them wins while they are few; walking the
    date index and checking each (EXISTS) wins past about sqrt(limit × all activities) of them:
    1,398 -> 7 ms for a partner with 245,040 of a million (bench/PROPOSALS.md).
    """
    if not filters.organization_ids or filters.school_year is not None:
        return False
    with engine.connect() as connection:
        links = connection.scalar(
            select(func.count()).where(ActivityOrganization.organization_id.in_(filters.organization_ids))
        )
        total = connection.scalar(select(func.count()).select_from(Activity))
    return bool(links) and (links or 0) ** 2 > limit * (total or 0)


def _matching(engine: Engine, search: str, worth_up_to: Callable[[int], int]) -> list[ColumnElement[bool]]:
    """The conditions of a search over activities (title, place, description; any case), or none.

    The LIKE decides what matches. Where the search index can serve the search (db/search.py) and offers
    at most `worth_up_to(rows)` activities, `rows` being how many the filters' own way would read,
    the LIKE is tested on those only: "няма такава" at a million activities, 760 ms -> under 1 ms.
    Past that, reading the candidates one by one costs more than the way without the index.
    """
    if not search.strip():
        return []
    like = Activity.search_text.like(like_pattern(search), escape="\\")
    query = indexed_query(engine, search)
    if query is None:
        return [like]
    with engine.connect() as connection:
        rows = connection.scalar(select(func.max(Activity.id))) or 0  # as many as there are, near enough
        cap = worth_up_to(rows)
        if candidates(connection, query, cap + 1) > cap:
            return [like]
    return [Activity.id.in_(matching_ids(query)), like]


def activity_count(
    engine: Engine,
    filters: ActivityFilters,
    *,
    statuses: tuple[str, ...] = ("planned", "held", "cancelled"),
    search: str = "",
) -> int:
    """How many activities of these statuses (any, unless given) the filters and the `search` match."""
    return _counted(engine, filters, statuses, search)


def _counted(engine: Engine, filters: ActivityFilters, statuses: tuple[str, ...], search: str = "") -> int:
    rollup = None if search.strip() else rollup_for(filters)
    if rollup is not None:
        statement = select(summed(rollup.c.activities)).where(*counts_for(rollup, filters, statuses))
    else:
        # Counting candidates costs about three times as much each as reading an activity on the way the
        # filters give (1.9 against 0.6-1.7 µs at a million): worth it for up to an eighth of those read.
        matching = _matching(engine, search, lambda total: _read_without_search(engine, filters, statuses, total) // 8)
        conditions = [Activity.status.in_(statuses), *activity_conditions(filters), *matching]
        statement = select(func.count()).select_from(Activity).where(*conditions)
    with engine.connect() as connection:
        return int(connection.scalar(statement) or 0)


def _read_without_search(engine: Engine, filters: ActivityFilters, statuses: tuple[str, ...], total: int) -> int:
    """About how many activities a count in these filters reads without the search index: those the filters
    give where the rollups can say so at once, else all of them (`total`)."""
    if (filters.school_year is None and not filters.organization_ids) or rollup_for(filters) is None:
        return total
    return _counted(engine, filters, statuses)


def activity_detail(engine: Engine, activity_id: int) -> dict[str, Any] | None:
    """One activity with its partners, or None.

    Keys: id, title, type_code, status, start_date, end_date, location, description,
    participants, pupils_reached, news_url, is_demo, school_id, organizations (a list of dicts with
    slug, name, short_name, role); pupils_primary, pupils_secondary, parents, teachers (migration 0012).
    """
    statement = (
        select(
            Activity.id,
            Activity.title,
            ActivityType.code.label("type_code"),
            Activity.status,
            Activity.start_date,
            Activity.end_date,
            Activity.location,
            Activity.description,
            Activity.participants,
            Activity.pupils_reached,
            Activity.news_url,
            Activity.is_demo,
            Activity.pupils_primary,
            Activity.pupils_secondary,
            Activity.parents,
            Activity.teachers,
            Activity.school_id,  # whose editors see its photos without consent (ui/attachments.py)
        )
        .join(ActivityType, ActivityType.id == Activity.type_id)
        .where(Activity.id == activity_id)
    )
    partners = (
        select(Organization.slug, Organization.name, Organization.short_name, ActivityOrganization.role)
        .join(ActivityOrganization, ActivityOrganization.organization_id == Organization.id)
        .where(ActivityOrganization.activity_id == activity_id)
        .order_by(Organization.short_name)
    )
    with engine.connect() as connection:
        row = connection.execute(statement).mappings().one_or_none()
        if row is None:
            return None
        organizations = [dict(p) for p in connection.execute(partners).mappings()]
    return {**row, "organizations": organizations}


def activities_by_organization(engine: Engine, filters: ActivityFilters) -> pd.DataFrame:
    """Held activities per organization and type.

    Columns: organization_id, slug, short_name, name, type_code, activities, participants, pupils.
    An activity with two partners counts once for each.
    """
    # Counted by ids first, names joined to the few result rows afterwards.
    if filters.school_ids:
        # The partner rollup has no schools; chosen schools' own links are few (a school's share of them).
        counts = (
            select(
                ActivityOrganization.organization_id,
                Activity.type_id,
                func.count().label("activities"),
                cast(func.coalesce(func.sum(Activity.participants), 0), BigInteger).label("participants"),
                cast(func.coalesce(func.sum(Activity.pupils_reached), 0), BigInteger).label("pupils"),
            )
            .select_from(Activity)
            .join(ActivityOrganization, ActivityOrganization.activity_id == Activity.id)
            .where(HELD, *link_conditions(filters))
            .group_by(ActivityOrganization.organization_id, Activity.type_id)
            .subquery()
        )
    else:
        counts = (
            select(
                partner_rollup.c.organization_id,
                partner_rollup.c.type_id,
                summed(partner_rollup.c.activities).label("activities"),
                summed(partner_rollup.c.participants, BigInteger).label("participants"),
                summed(partner_rollup.c.pupils, BigInteger).label("pupils"),
            )
            .where(*counts_for(partner_rollup, filters, HELD_ONLY))
            .group_by(partner_rollup.c.organization_id, partner_rollup.c.type_id)
            .subquery()
        )
    statement = (
        select(
            Organization.id.label("organization_id"),
            Organization.slug,
            Organization.short_name,
            Organization.name,
            ActivityType.code.label("type_code"),
            counts.c.activities,
            counts.c.participants,
            counts.c.pupils,
        )
        .select_from(counts)
        .join(Organization, Organization.id == counts.c.organization_id)
        .join(ActivityType, ActivityType.id == counts.c.type_id)
        .order_by(Organization.short_name, ActivityType.code)
    )
    return frame(engine, statement)


def activities_by_month(engine: Engine, filters: ActivityFilters) -> pd.DataFrame:
    """Held activities per calendar month of their start and type. Columns: month (`2014-04`), type_code, activities."""
    if not filters.organization_ids:
        rollup = rollup_for(filters)
        assert rollup is not None
        counted = (
            select(rollup.c.month, rollup.c.type_id, summed(rollup.c.activities).label("activities"))
            .where(*counts_for(rollup, filters, HELD_ONLY))
            .group_by(rollup.c.month, rollup.c.type_id)
            .subquery()
        )
        return frame(
            engine,
            select(counted.c.month, ActivityType.code.label("type_code"), counted.c.activities)
            .join(ActivityType, ActivityType.id == counted.c.type_id)
            .order_by(counted.c.month, ActivityType.code),
        )
    # For chosen partners, per day first, which the index gives in order without sorting; then the few days per month.
    per_day = (
        select(Activity.type_id, Activity.start_date, func.count().label("activities"))
        .where(HELD, *activity_conditions(filters))
        .group_by(Activity.school_year, Activity.type_id, Activity.start_date)
        .subquery()
    )
    month = year_month(per_day.c.start_date)
    per_month = (
        # A sum of counts is numeric on PostgreSQL: cast, so that the charts get integers there too.
        select(
            month.label("month"), per_day.c.type_id, cast(func.sum(per_day.c.activities), Integer).label("activities")
        )
        .group_by(month, per_day.c.type_id)
        .subquery()
    )
    statement = (
        select(per_month.c.month, ActivityType.code.label("type_code"), per_month.c.activities)
        .join(ActivityType, ActivityType.id == per_month.c.type_id)
        .order_by(per_month.c.month, ActivityType.code)
    )
    return frame(engine, statement)


def activities_by_school_year(engine: Engine, filters: ActivityFilters) -> pd.DataFrame:
    """Held activities per school year and type. Columns: school_year, type_code, activities, participants, pupils."""
    rollup = rollup_for(filters)
    if rollup is not None:
        counts = (
            select(
                rollup.c.school_year,
                rollup.c.type_id,
                summed(rollup.c.activities).label("activities"),
                summed(rollup.c.participants, BigInteger).label("participants"),
                summed(rollup.c.pupils, BigInteger).label("pupils"),
            )
            .where(*counts_for(rollup, filters, HELD_ONLY))
            .group_by(rollup.c.school_year, rollup.c.type_id)
            .subquery()
        )
    else:
        counts = (
            select(
                Activity.school_year,
                Activity.type_id,
                func.count().label("activities"),
                func.coalesce(func.sum(Activity.participants), 0).label("participants"),
                func.coalesce(func.sum(Activity.pupils_reached), 0).label("pupils"),
            )
            .where(HELD, *activity_conditions(filters))
            .group_by(Activity.school_year, Activity.type_id)
            .subquery()
        )
    statement = (
        select(
            counts.c.school_year,
            ActivityType.code.label("type_code"),
            counts.c.activities,
            counts.c.participants,
            counts.c.pupils,
        )
        .join(ActivityType, ActivityType.id == counts.c.type_id)
        .order_by(counts.c.school_year, ActivityType.code)
    )
    return frame(engine, statement)


def timeline_events(engine: Engine, filters: ActivityFilters, *, limit: int = 1500) -> tuple[pd.DataFrame, int]:
    """The newest `limit` planned and held activities in the filters, one row per activity and partner.

    Columns: id, title, start_date, end_date, type_code, status, organization, role.
    Also returns how many activities matched, so that a cut can be told to the user.
    """
    conditions = [Activity.status != "cancelled", *activity_conditions(filters)]
    newest = (
        select(Activity.id)
        .where(*conditions)
        .order_by(Activity.start_date.desc(), Activity.id.desc())
        .limit(limit)
        .subquery()
    )
    link_filter = (
        [ActivityOrganization.organization_id.in_(filters.organization_ids)] if filters.organization_ids else []
    )
    statement = (
        select(
            Activity.id,
            Activity.title,
            Activity.start_date,
            Activity.end_date,
            ActivityType.code.label("type_code"),
            Activity.status,
            Organization.short_name.label("organization"),
            ActivityOrganization.role,
        )
        .join(newest, newest.c.id == Activity.id)
        .join(ActivityType, ActivityType.id == Activity.type_id)
        .join(ActivityOrganization, and_(ActivityOrganization.activity_id == Activity.id, *link_filter))
        .join(Organization, Organization.id == ActivityOrganization.organization_id)
        .order_by(Activity.start_date, Activity.id, Organization.short_name)
    )
    return frame(engine, statement), _counted(engine, filters, ("planned", "held"))
