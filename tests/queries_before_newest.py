"""`partner_activity_lists` as it was before it read the partner rollup (db/queries/per_partner.py on main):
every link in the filters ranked within its partner. The reference tests/test_partner_lists.py compares with."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, func, select

from db.filters import ActivityFilters, link_conditions
from db.models import Activity, ActivityOrganization, ActivityType
from db.queries.frames import frame
from db.queries.per_partner import Order, _partner_names


def partner_activity_lists(
    engine: Engine, filters: ActivityFilters, *, statuses: tuple[str, ...], per_partner: int, order: Order
) -> pd.DataFrame:
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
