"""Reads for every partner at once: what the deck and the report show about each one.

A deck or a report has a section per partner; asked one partner at a time that was about four
queries each (1,200 for 300 partners). Each function here answers for all the partners in
one query, grouped or ranked per partner with SQL's window functions (SQLite 3.25+, PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, Literal

import pandas as pd
from sqlalchemy import Engine, Select, false, func, select, union_all

from db.filters import ActivityFilters, link_conditions
from db.models import (
    Activity,
    ActivityOrganization,
    ActivityType,
    Organization,
    PartnerKind,
    activity_rollup,
    partner_rollup,
)
from db.queries.activities import LISTED
from db.queries.frames import frame
from db.queries.rollup_counts import counts_for

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
    if order == "newest" and filters.school_year is None and not filters.school_ids:
        ranked, totals = _newest_candidates(engine, filters, statuses, per_partner)
    else:
        # Within a school year (or chosen schools) its index finds its links quickly, and ranking them all is cheap.
        ranked, totals = _all_ranked(filters, statuses, order), None
    # The ranks first, the few activities they pick afterwards by id: asked in one statement, PostgreSQL
    # expected a rank's filter to keep all 155 thousand links of a year and merged them with every activity
    # by a walk of the whole primary key (0.65 s at a million activities, against 0.3 s in two).
    picked = frame(
        engine,
        select(ranked.c.organization_id, ranked.c.total, ranked.c.activity_id).where(ranked.c.rank <= per_partner),
    )
    activities = _listed_by_id(engine, sorted(set(picked["activity_id"].tolist())))
    activities = (
        picked.merge(activities, left_on="activity_id", right_on="id")
        .drop(columns="activity_id")
        .sort_values(["organization_id", "start_date", "id"], kind="stable")
        .reset_index(drop=True)
    )
    if totals is not None and len(activities):
        # The candidates are only the newest links; the rollup counted them all.
        activities["total"] = activities["organization_id"].map(totals).astype("int64")
    names = _partner_names(engine, set(activities["id"].tolist()))
    activities["organizations"] = activities["id"].map(lambda i: names.get(i, "")).astype(str)
    return activities


def _listed_by_id(engine: Engine, activity_ids: list[int]) -> pd.DataFrame:
    """The activities as the lists show them (LISTED), by id, in batches."""
    parts = [
        frame(
            engine,
            select(*LISTED)
            .join(ActivityType, ActivityType.id == Activity.type_id)
            .where(Activity.id.in_(activity_ids[start : start + NAME_BATCH])),
        )
        for start in range(0, len(activity_ids), NAME_BATCH)
    ]
    if not parts:
        return frame(engine, select(*LISTED).join(ActivityType, ActivityType.id == Activity.type_id).where(false()))
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


def _all_ranked(filters: ActivityFilters, statuses: tuple[str, ...], order: Order) -> Any:
    """Every link in the filters ranked within its partner, with the partner's total."""
    newest = (Activity.start_date.desc(), Activity.id.desc())
    ranking = newest if order == "newest" else (func.coalesce(Activity.participants, -1).desc(), *newest)
    partition = ActivityOrganization.organization_id
    return (
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


def _newest_candidates(
    engine: Engine, filters: ActivityFilters, statuses: tuple[str, ...], per_partner: int
) -> tuple[Any, dict[int, int]]:
    """Each partner's links from a day that surely leaves its newest `per_partner`, ranked newest first; the totals.

    Ranking all 1.65 M links of a million activities took 4 s. The partner rollup (migration 0008)
    counts each partner's activities per year and type with their first day, so it gives each
    partner's total and a day D with at least `per_partner` of its activities on or after it: the
    newest ones are among those. The rollup answers exactly, since the filters are only years, types
    and partners; its first days may be earlier than the activities left after edits, which only
    adds candidates. Partners are grouped by D's year (an earlier D only adds candidates too), and
    each group's query walks the date index from that year, or the partners' links when fewer.
    """
    rows = frame(
        engine,
        # A span per partner and school year (its types and statuses together): fewer rows to read.
        select(
            partner_rollup.c.organization_id,
            func.min(partner_rollup.c.first_date).label("first_date"),
            func.sum(partner_rollup.c.activities).label("activities"),
        )
        .where(*counts_for(partner_rollup, filters, statuses), partner_rollup.c.activities > 0)
        .group_by(partner_rollup.c.organization_id, partner_rollup.c.school_year),
    )
    totals: dict[int, int] = {}
    spans: dict[int, list[tuple[date, int]]] = {}
    for organization_id, first_date, activities in rows.itertuples(index=False, name=None):
        organization_id, activities = int(organization_id), int(activities)
        totals[organization_id] = totals.get(organization_id, 0) + activities
        spans.setdefault(organization_id, []).append((_as_date(first_date), activities))
    by_year: dict[date, list[int]] = {}
    for organization_id, partner_spans in spans.items():
        counted, cutoff = 0, date.min
        # Newest first: every activity of a span is on or after its first day, so once `per_partner`
        # are counted, that many start on or after this span's first day.
        for first_day, activities in sorted(partner_spans, reverse=True):
            counted, cutoff = counted + activities, first_day
            if counted >= per_partner:
                break
        else:
            cutoff = min(first_day for first_day, _ in partner_spans)
        by_year.setdefault(date(cutoff.year, 1, 1), []).append(organization_id)
    months = frame(
        engine,
        select(activity_rollup.c.month, func.sum(activity_rollup.c.activities).label("activities")).group_by(
            activity_rollup.c.month
        ),
    )
    groups = [
        _candidates_since(
            filters, statuses, since, sorted(partners), walk_dates=_fewer_by_date(months, since, partners, totals)
        )
        for since, partners in sorted(by_year.items())
    ] or [_candidates_since(filters, statuses, date.max, [], walk_dates=False)]
    candidates = union_all(*groups).subquery() if len(groups) > 1 else groups[0].subquery()
    ranking = (candidates.c.start_date.desc(), candidates.c.activity_id.desc())
    ranked = select(
        candidates.c.organization_id,
        candidates.c.activity_id,
        func.row_number().over(partition_by=candidates.c.organization_id, order_by=ranking).label("rank"),
        func.count().over(partition_by=candidates.c.organization_id).label("total"),
    ).subquery()
    return ranked, totals


def _fewer_by_date(months: pd.DataFrame, since: date, partners: list[int], totals: dict[int, int]) -> bool:
    """Whether walking the activities from `since` (the date index) meets fewer rows than the partners' links."""
    from_month = f"{since.year:04d}-{since.month:02d}"
    by_date = int(months.loc[months["month"] >= from_month, "activities"].sum())
    return by_date < sum(totals[p] for p in partners)


def _candidates_since(
    filters: ActivityFilters, statuses: tuple[str, ...], since: date, partners: list[int], *, walk_dates: bool
) -> Select[int, int, date]:
    """The partners' links to activities in the filters from `since` on.

    `walk_dates`: found from the activities' date index, each link checked, rather than from the
    partners' links (the `+ 0` keeps SQLite from choosing the partner index; PostgreSQL plans well either way).
    """
    partner = ActivityOrganization.organization_id + 0 if walk_dates else ActivityOrganization.organization_id
    # A range closed at both ends is what SQLite's planner (without sqlite_stat4) believes narrow.
    until = [Activity.start_date <= date.max] if walk_dates else []
    return (
        select(ActivityOrganization.organization_id, Activity.id.label("activity_id"), Activity.start_date)
        .select_from(Activity)
        .join(ActivityOrganization, ActivityOrganization.activity_id == Activity.id)
        .where(
            Activity.status.in_(statuses),
            Activity.start_date >= since,
            *until,
            partner.in_(partners) if partners else false(),
            *link_conditions(filters),
        )
    )


def _as_date(value: Any) -> date:
    """A rollup's day: SQLite may hand back its text."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


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
