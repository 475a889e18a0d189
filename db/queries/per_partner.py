"""Reads for every partner at once: what the deck and the report show about each one.

A deck or a report has a section per partner; asked one partner at a time that was about four
queries each (1,200 for 300 partners). Each function here answers for all the partners in
one query, grouped or ranked per partner with SQL's window functions (SQLite 3.25+, PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Literal

import pandas as pd
from sqlalchemy import Engine, func, select

from db.filters import ActivityFilters, link_conditions
from db.models import Activity, ActivityOrganization, ActivityType, Organization, PartnerKind
from db.queries.frames import frame

Order = Literal["newest", "largest"]
NAME_BATCH = 5000  # activity ids per query for the partners' names: far under any database's parameter limit


def partner_figures(engine: Engine, filters: ActivityFilters, *, on_or_before: date | None = None) -> pd.DataFrame:
    """Held activities in the filters (up to a day, if given) per partner that took part.

    Columns: organization_id, activities, participants, pupils. For each partner the same as
    `headline_figures(filters.with_organizations(partner), on_or_before=…)`; only the chosen
    partners when the filters choose some.
    """
    cutoff = [Activity.start_date <= on_or_before] if on_or_before else []
    statement = (
        select(
            ActivityOrganization.organization_id,
            func.count().label("activities"),
            func.coalesce(func.sum(Activity.participants), 0).label("participants"),
            func.coalesce(func.sum(Activity.pupils_reached), 0).label("pupils"),
        )
        .select_from(Activity)
        .join(ActivityOrganization, ActivityOrganization.activity_id == Activity.id)
        .where(Activity.status == "held", *link_conditions(filters), *cutoff)
        .group_by(ActivityOrganization.organization_id)
        .order_by(ActivityOrganization.organization_id)
    )
    return frame(engine, statement)


def partner_descriptions(engine: Engine) -> pd.DataFrame:
    """Every partner's kind and mission. Columns: organization_id, kind_code, mission."""
    statement = (
        select(Organization.id.label("organization_id"), PartnerKind.code.label("kind_code"), Organization.mission)
        .join(PartnerKind, PartnerKind.id == Organization.kind_id)
        .order_by(Organization.id)
    )
    return frame(engine, statement)


def partner_activity_lists(
    engine: Engine,
    filters: ActivityFilters,
    *,
    statuses: tuple[str, ...],
    per_partner: int,
    order: Order,
) -> pd.DataFrame:
    """For each partner in the filters, its first `per_partner` activities of these statuses, and how many it has.

    `order` picks them: the newest, or the largest (most participants; unknown counts last,
    ties by the newest). Columns: organization_id, total (the partner's activities of these
    statuses in the filters), and `activity_list`'s columns (id, start_date, end_date, title,
    type_code, status, location, participants, pupils_reached, news_url, organizations); the
    rows by partner, then oldest first.
    """
    newest = (Activity.start_date.desc(), Activity.id.desc())
    ranking = newest if order == "newest" else (func.coalesce(Activity.participants, -1).desc(), *newest)
    partition = ActivityOrganization.organization_id
    ranked = (
        select(
            ActivityOrganization.organization_id,
            Activity.id.label("activity_id"),
            func.row_number().over(partition_by=partition, order_by=ranking).label("rank"),
            func.count().over(partition_by=partition).label("total"),
        )
        .select_from(Activity)
        .join(ActivityOrganization, ActivityOrganization.activity_id == Activity.id)
        .where(Activity.status.in_(statuses), *link_conditions(filters))
        .subquery()
    )
    statement = (
        select(
            ranked.c.organization_id,
            ranked.c.total,
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
        .select_from(ranked)
        .join(Activity, Activity.id == ranked.c.activity_id)
        .join(ActivityType, ActivityType.id == Activity.type_id)
        .where(ranked.c.rank <= per_partner)
        .order_by(ranked.c.organization_id, Activity.start_date, Activity.id)
    )
    activities = frame(engine, statement)
    names = _partner_names(engine, set(activities["id"].tolist()))
    activities["organizations"] = activities["id"].map(lambda i: names.get(i, "")).astype(str)
    return activities


def _partner_names(engine: Engine, activity_ids: Iterable[int]) -> dict[int, str]:
    """`Амалипе, Ларго`: each activity's partners by short name, in alphabetical order (as `activity_list`)."""
    ids = sorted(activity_ids)
    names: dict[int, list[str]] = {}
    with engine.connect() as connection:
        for start in range(0, len(ids), NAME_BATCH):
            statement = (
                select(ActivityOrganization.activity_id, Organization.short_name)
                .join(Organization, Organization.id == ActivityOrganization.organization_id)
                .where(ActivityOrganization.activity_id.in_(ids[start : start + NAME_BATCH]))
                .order_by(ActivityOrganization.activity_id, Organization.short_name)
            )
            for activity_id, short_name in connection.execute(statement):
                names.setdefault(activity_id, []).append(short_name)
    return {activity_id: ", ".join(shorts) for activity_id, shorts in names.items()}
