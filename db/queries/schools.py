"""The schools of a network (migration 0011): who they are, how they compare, which partners reach which.

Counted from `school_rollup` and `school_partner_rollup`, which triggers keep exact, so that comparing
300 schools reads a few thousand rollup rows rather than a million activities. The partner rollup has no
activity types, so with types chosen the counts per partner come from the records.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import BigInteger, Engine, Integer, cast, func, select

from db.filters import ActivityFilters, activity_conditions, link_conditions
from db.models import Activity, ActivityOrganization, Organization, School, school_partner_rollup, school_rollup
from db.queries.frames import frame
from db.queries.rollup_counts import HELD_ONLY, counts_for, summed

SCHOOL_COLUMNS = (
    School.id,
    School.slug,
    School.name,
    School.short_name,
    School.kind,
    School.city,
    School.municipality,
    School.region,
    School.website,
    School.latitude,
    School.longitude,
    School.is_demo,
)


def school_list(engine: Engine) -> pd.DataFrame:
    """Every school, by short name. Columns: id, slug, name, short_name, kind, city, municipality, region,
    website, latitude, longitude, is_demo."""
    return frame(engine, select(*SCHOOL_COLUMNS).order_by(School.short_name, School.id))


def school_detail(engine: Engine, slug: str) -> dict[str, Any] | None:
    """One school by its slug (the columns of `school_list`), or None."""
    with engine.connect() as connection:
        row = connection.execute(select(*SCHOOL_COLUMNS).where(School.slug == slug)).mappings().one_or_none()
    return None if row is None else dict(row)


def _per_partner_counts(filters: ActivityFilters) -> Any:
    """Held activities per school and partner in the filters: school_id, organization_id, activities, pupils."""
    if not filters.type_codes:
        rollup = school_partner_rollup
        return (
            select(
                rollup.c.school_id,
                rollup.c.organization_id,
                summed(rollup.c.activities).label("activities"),
                summed(rollup.c.pupils, BigInteger).label("pupils"),
            )
            .where(*counts_for(rollup, filters, HELD_ONLY))
            .group_by(rollup.c.school_id, rollup.c.organization_id)
        )
    return (
        select(
            Activity.school_id,
            ActivityOrganization.organization_id,
            func.count().label("activities"),
            cast(func.coalesce(func.sum(Activity.pupils_reached), 0), BigInteger).label("pupils"),
        )
        .select_from(Activity)
        .join(ActivityOrganization, ActivityOrganization.activity_id == Activity.id)
        .where(Activity.status == "held", *link_conditions(filters))
        .group_by(Activity.school_id, ActivityOrganization.organization_id)
    )


def _per_school_counts(filters: ActivityFilters) -> Any:
    """Held activities per school in the filters: school_id, activities, participants, pupils."""
    if not filters.organization_ids:
        return (
            select(
                school_rollup.c.school_id,
                summed(school_rollup.c.activities).label("activities"),
                summed(school_rollup.c.participants, BigInteger).label("participants"),
                summed(school_rollup.c.pupils, BigInteger).label("pupils"),
            )
            .where(*counts_for(school_rollup, filters, HELD_ONLY))
            .group_by(school_rollup.c.school_id)
        )
    # With partners chosen an activity they share counts once: from the records.
    return (
        select(
            Activity.school_id,
            func.count().label("activities"),
            cast(func.coalesce(func.sum(Activity.participants), 0), BigInteger).label("participants"),
            cast(func.coalesce(func.sum(Activity.pupils_reached), 0), BigInteger).label("pupils"),
        )
        .where(Activity.status == "held", *activity_conditions(filters))
        .group_by(Activity.school_id)
    )


def schools_compared(engine: Engine, filters: ActivityFilters) -> pd.DataFrame:
    """Each school (the chosen ones, else all) with its held activities in the filters.

    Columns: school_id, slug, short_name, name, city, region, activities, partners, participants, pupils;
    schools without activities have 0; by activities, most first.
    """
    per_school = _per_school_counts(filters).subquery()
    pairs = _per_partner_counts(filters).subquery()
    partners = select(pairs.c.school_id, func.count().label("partners")).group_by(pairs.c.school_id).subquery()
    chosen = [School.id.in_(filters.school_ids)] if filters.school_ids else []
    statement = (
        select(
            School.id.label("school_id"),
            School.slug,
            School.short_name,
            School.name,
            School.city,
            School.region,
            cast(func.coalesce(per_school.c.activities, 0), Integer).label("activities"),
            cast(func.coalesce(partners.c.partners, 0), Integer).label("partners"),
            cast(func.coalesce(per_school.c.participants, 0), BigInteger).label("participants"),
            cast(func.coalesce(per_school.c.pupils, 0), BigInteger).label("pupils"),
        )
        .outerjoin(per_school, per_school.c.school_id == School.id)
        .outerjoin(partners, partners.c.school_id == School.id)
        .where(*chosen)
        .order_by(func.coalesce(per_school.c.activities, 0).desc(), School.short_name)
    )
    return frame(engine, statement)


def partner_reach(engine: Engine, filters: ActivityFilters) -> pd.DataFrame:
    """How many schools each partner held activities with in the filters, and how many activities.

    Columns: organization_id, slug, short_name, name, schools, activities; partners without any left out;
    by schools, most first.
    """
    pairs = _per_partner_counts(filters).subquery()
    reach = (
        select(
            pairs.c.organization_id,
            func.count().label("schools"),
            cast(func.sum(pairs.c.activities), Integer).label("activities"),
        )
        .group_by(pairs.c.organization_id)
        .subquery()
    )
    statement = (
        select(
            Organization.id.label("organization_id"),
            Organization.slug,
            Organization.short_name,
            Organization.name,
            reach.c.schools,
            reach.c.activities,
        )
        .join(reach, reach.c.organization_id == Organization.id)
        .order_by(reach.c.schools.desc(), reach.c.activities.desc(), Organization.short_name)
    )
    return frame(engine, statement)


def regions_summary(engine: Engine, filters: ActivityFilters) -> pd.DataFrame:
    """Per region (ISO 3166-2 code): schools on record (the chosen ones, if any), their held activities in
    the filters, and the partners that worked with them. Columns: region, schools, activities, partners."""
    chosen = [School.id.in_(filters.school_ids)] if filters.school_ids else []
    schools = select(School.region, func.count().label("schools")).where(*chosen).group_by(School.region).subquery()
    per_school = _per_school_counts(filters).subquery()
    activities = (
        select(School.region, func.sum(per_school.c.activities).label("activities"))
        .join(per_school, per_school.c.school_id == School.id)
        .group_by(School.region)
        .subquery()
    )
    pairs = _per_partner_counts(filters).subquery()
    partners = (
        select(School.region, func.count(func.distinct(pairs.c.organization_id)).label("partners"))
        .join(pairs, pairs.c.school_id == School.id)
        .group_by(School.region)
        .subquery()
    )
    statement = (
        select(
            schools.c.region,
            cast(schools.c.schools, Integer).label("schools"),
            cast(func.coalesce(activities.c.activities, 0), Integer).label("activities"),
            cast(func.coalesce(partners.c.partners, 0), Integer).label("partners"),
        )
        .outerjoin(activities, activities.c.region == schools.c.region)
        .outerjoin(partners, partners.c.region == schools.c.region)
        .order_by(schools.c.region)
    )
    return frame(engine, statement)


def school_partners(engine: Engine, filters: ActivityFilters) -> pd.DataFrame:
    """The partners of the chosen schools, with their held activities there in the filters.

    Columns: organization_id, slug, short_name, name, activities, pupils; by activities, most first.
    """
    pairs = _per_partner_counts(filters).subquery()
    per_partner = (
        select(
            pairs.c.organization_id,
            cast(func.sum(pairs.c.activities), Integer).label("activities"),
            cast(func.sum(pairs.c.pupils), BigInteger).label("pupils"),
        )
        .group_by(pairs.c.organization_id)
        .subquery()
    )
    statement = (
        select(
            Organization.id.label("organization_id"),
            Organization.slug,
            Organization.short_name,
            Organization.name,
            per_partner.c.activities,
            per_partner.c.pupils,
        )
        .join(per_partner, per_partner.c.organization_id == Organization.id)
        .order_by(per_partner.c.activities.desc(), Organization.short_name)
    )
    return frame(engine, statement)


def partner_schools(engine: Engine, filters: ActivityFilters) -> pd.DataFrame:
    """The schools the chosen partners worked with (held activities in the filters).

    Columns: school_id, slug, short_name, name, city, region, activities; by activities, most first.
    """
    pairs = _per_partner_counts(filters).subquery()
    per_school = (
        select(pairs.c.school_id, cast(func.sum(pairs.c.activities), Integer).label("activities"))
        .group_by(pairs.c.school_id)
        .subquery()
    )
    statement = (
        select(
            School.id.label("school_id"),
            School.slug,
            School.short_name,
            School.name,
            School.city,
            School.region,
            per_school.c.activities,
        )
        .join(per_school, per_school.c.school_id == School.id)
        .order_by(per_school.c.activities.desc(), School.short_name)
    )
    return frame(engine, statement)
