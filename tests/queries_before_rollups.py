"""The counting queries as they were before the rollups (db/queries at 6ef8518), kept as the reference
that tests/test_rollups.py compares the rollups' answers with: the same SQL over the activities and links."""

# ruff: noqa: E501

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Engine, Integer, cast, exists, func, select

from db.expressions import year_month
from db.filters import ActivityFilters, activity_conditions, link_conditions
from db.models import (
    Activity,
    ActivityOrganization,
    ActivityType,
    FocusArea,
    Organization,
    PartnerKind,
    organization_focus_areas,
)
from db.queries.frames import frame
from db.text import like_pattern

HELD = Activity.status == "held"


def _matching(search: str) -> list[ColumnElement[bool]]:
    if not search.strip():
        return []
    return [Activity.search_text.like(like_pattern(search), escape="\\")]


def timeline_total(engine: Engine, filters: ActivityFilters) -> int:
    """The second half of timeline_events: how many planned and held activities match."""
    conditions = [Activity.status != "cancelled", *activity_conditions(filters)]
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(Activity).where(*conditions)) or 0)


def headline_figures(engine: Engine, filters: ActivityFilters, *, on_or_before: date | None = None) -> dict[str, int]:
    """Held activities in the filters (up to a day, if given): keys activities, partners, participants, pupils."""
    cutoff = [Activity.start_date <= on_or_before] if on_or_before else []
    totals = select(
        func.count(),
        func.coalesce(func.sum(Activity.participants), 0),
        func.coalesce(func.sum(Activity.pupils_reached), 0),
    ).where(HELD, *activity_conditions(filters), *cutoff)
    if filters.school_year is None:
        # Over all years, asking each partner "is there one such activity?" stops at its first
        # match, where counting distinct partners reads every link (4.2 s against 2.1 s at a
        # million activities, measured in November 2026). Within one school year the year's index
        # finds the few activities first, and counting their links is the fast way (0.14 s against
        # 9.5 s).
        has_one = (
            exists()
            .where(ActivityOrganization.organization_id == Organization.id)
            .where(Activity.id == ActivityOrganization.activity_id)
            .where(HELD, *activity_conditions(filters.with_organizations()), *cutoff)
        )
        chosen = [Organization.id.in_(filters.organization_ids)] if filters.organization_ids else []
        partners = select(func.count()).select_from(Organization).where(has_one, *chosen)
    else:
        partners = (
            select(func.count(func.distinct(ActivityOrganization.organization_id)))
            .join(Activity, Activity.id == ActivityOrganization.activity_id)
            .where(HELD, *link_conditions(filters), *cutoff)
        )
    with engine.connect() as connection:
        activities, participants, pupils = connection.execute(totals).one()
        partner_count = connection.scalar(partners) or 0
    return {
        "activities": int(activities),
        "partners": int(partner_count),
        "participants": int(participants or 0),
        "pupils": int(pupils or 0),
    }


def activity_count(
    engine: Engine,
    filters: ActivityFilters,
    *,
    statuses: tuple[str, ...] = ("planned", "held", "cancelled"),
    search: str = "",
) -> int:
    """How many activities of these statuses (any, unless given) the filters and the `search` match."""
    conditions = [Activity.status.in_(statuses), *activity_conditions(filters), *_matching(search)]
    statement = select(func.count()).select_from(Activity).where(*conditions)
    with engine.connect() as connection:
        return int(connection.scalar(statement) or 0)


def _link_to_activity(filters: ActivityFilters) -> ColumnElement[bool]:
    """The join of links to activities for counts per partner.

    For every partner, SQLite is best made to read the held activities first, along their index,
    and look up each one's links (`+ 0` keeps it from starting at the links: 6.9 -> 3.2 s at a
    million activities, bench/PROPOSALS.md); for chosen partners their own links come first.
    """
    if filters.organization_ids:
        return ActivityOrganization.activity_id == Activity.id
    return ActivityOrganization.activity_id == Activity.id + 0


def activities_by_organization(engine: Engine, filters: ActivityFilters) -> pd.DataFrame:
    """Held activities per organization and type.

    Columns: organization_id, slug, short_name, name, type_code, activities, participants, pupils.
    An activity with two partners counts once for each.
    """
    # Counted by ids first, names joined to the few result rows afterwards.
    counts = (
        select(
            ActivityOrganization.organization_id,
            Activity.type_id,
            func.count().label("activities"),
            func.coalesce(func.sum(Activity.participants), 0).label("participants"),
            func.coalesce(func.sum(Activity.pupils_reached), 0).label("pupils"),
        )
        .select_from(Activity)
        .join(ActivityOrganization, _link_to_activity(filters))
        .where(HELD, *link_conditions(filters))
        .group_by(ActivityOrganization.organization_id, Activity.type_id)
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
    # Per day first, which the index gives in order without sorting; then the few days per month.
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


def _held_activity_stats(organization_id: Any = None) -> Any:
    """Per partner: held activities, first and last; for one partner only if given (its index, not every link)."""
    only = [ActivityOrganization.organization_id == organization_id] if organization_id is not None else []
    # For every partner, the held activities are read first along their index and each one's
    # links looked up (`+ 0` keeps SQLite from starting at the links: 4.3 -> 1.3 s at a million).
    link = ActivityOrganization.activity_id == (Activity.id if only else Activity.id + 0)
    return (
        select(
            ActivityOrganization.organization_id.label("organization_id"),
            func.count().label("activities"),
            func.min(Activity.start_date).label("first_activity"),
            func.max(Activity.start_date).label("last_activity"),
        )
        .select_from(Activity)
        .join(ActivityOrganization, link)
        .where(Activity.status == "held", *only)
        .group_by(ActivityOrganization.organization_id)
        .subquery()
    )


def partner_directory(
    engine: Engine,
    *,
    search: str = "",
    kind_code: str | None = None,
    focus_code: str | None = None,
    include_inactive: bool = True,
) -> pd.DataFrame:
    """Partners matching the search (in name, short name or city, any case), kind and focus area.

    Columns: id, slug, name, short_name, kind_code, city, is_active, partner_since, activities (held ones,
    of all years), last_activity.
    """
    stats = _held_activity_stats()
    conditions: list[ColumnElement[bool]] = []
    if search.strip():
        conditions.append(Organization.search_text.like(like_pattern(search), escape="\\"))
    if kind_code:
        conditions.append(PartnerKind.code == kind_code)
    if focus_code:
        conditions.append(
            exists()
            .where(organization_focus_areas.c.organization_id == Organization.id)
            .where(organization_focus_areas.c.focus_area_id == FocusArea.id)
            .where(FocusArea.code == focus_code)
        )
    if not include_inactive:
        conditions.append(Organization.is_active.is_(True))
    statement = (
        select(
            Organization.id,
            Organization.slug,
            Organization.name,
            Organization.short_name,
            PartnerKind.code.label("kind_code"),
            Organization.city,
            Organization.is_active,
            Organization.partner_since,
            func.coalesce(stats.c.activities, 0).label("activities"),
            stats.c.last_activity,
        )
        .join(PartnerKind, PartnerKind.id == Organization.kind_id)
        .outerjoin(stats, stats.c.organization_id == Organization.id)
        .where(*conditions)
        .order_by(Organization.is_active.desc(), Organization.short_name)
    )
    return frame(engine, statement)


def partner_profile(engine: Engine, slug: str) -> dict[str, Any] | None:
    """One partner by its slug, or None.

    Keys: the organization's fields (id, slug, name, short_name, mission, city, website, email,
    phone, contact_person, partner_since, is_active, is_demo), kind_code, focus_codes (a list),
    first_activity and last_activity (held, or None).
    """
    stats = _held_activity_stats(select(Organization.id).where(Organization.slug == slug).scalar_subquery())
    statement = (
        select(
            Organization.id,
            Organization.slug,
            Organization.name,
            Organization.short_name,
            Organization.mission,
            Organization.city,
            Organization.website,
            Organization.email,
            Organization.phone,
            Organization.contact_person,
            Organization.partner_since,
            Organization.is_active,
            Organization.is_demo,
            PartnerKind.code.label("kind_code"),
            stats.c.first_activity,
            stats.c.last_activity,
        )
        .join(PartnerKind, PartnerKind.id == Organization.kind_id)
        .outerjoin(stats, stats.c.organization_id == Organization.id)
        .where(Organization.slug == slug)
    )
    with engine.connect() as connection:
        row = connection.execute(statement).mappings().one_or_none()
        if row is None:
            return None
        focus = connection.scalars(
            select(FocusArea.code)
            .join(organization_focus_areas, organization_focus_areas.c.focus_area_id == FocusArea.id)
            .where(organization_focus_areas.c.organization_id == row["id"])
            .order_by(FocusArea.sort_order)
        ).all()
    return {**row, "focus_codes": list(focus)}
