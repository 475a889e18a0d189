"""Who works with whom: the partners of the held activities in the filters, and the pairs that shared them.

Two reads. The partners first, each with its held activities, the busiest NETWORK_PARTNERS of them
(a slide and a page stay readable with about forty circles; the rest are counted, not drawn): from the
partner rollups where the filters allow, as the partner charts count them, else from the records. Then
the pairs among those partners only: the links of their activities joined to the same activity's other
links (the link table's key starts with the activity), each pair once (the smaller id first). A pair's
count is its activities, each once: an activity has one link per partner, so a pair meets once in it.

A partner filter means what the timeline makes of it: the activities in which a chosen partner took
part, with everyone who took part in them, since "with whom" is the question.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pandas as pd
from sqlalchemy import Engine, Integer, cast, func, select
from sqlalchemy.orm import aliased

from db.filters import ActivityFilters, activity_conditions, link_conditions
from db.models import STATUSES, Activity, ActivityOrganization, Organization, PartnerKind
from db.queries.frames import frame
from db.queries.rollup_counts import HELD_ONLY, counts_for, partner_rollup_for, summed

NETWORK_PARTNERS = 40  # circles a network draws: the busiest partners; the others are counted


class PartnerNetwork(NamedTuple):
    """`nodes`: organization_id, slug, short_name, name, kind_code, activities, by activities, most first.
    `edges`: source, target (organization ids, source < target), activities (held ones both took part in),
    most first. `partners`: how many partners took part in a held activity in the filters, drawn or not."""

    nodes: pd.DataFrame
    edges: pd.DataFrame
    partners: int


def _held_per_partner(filters: ActivityFilters) -> Any:
    """organization_id, activities: each partner's held activities in the filters."""
    rollup = None if filters.organization_ids else partner_rollup_for(filters)
    if rollup is not None:
        return (
            select(rollup.c.organization_id, summed(rollup.c.activities).label("activities"))
            .where(*counts_for(rollup, filters, HELD_ONLY))
            .group_by(rollup.c.organization_id)
        )
    # With partners chosen, everyone in their activities; with schools and types chosen, no rollup counts it.
    if filters.organization_ids:
        # An alias: the chosen partners' condition (EXISTS in a school year) reads the link table itself.
        link = aliased(ActivityOrganization)
        conditions = activity_conditions(filters)
    else:
        link, conditions = ActivityOrganization, link_conditions(filters)
    return (
        select(link.organization_id, cast(func.count(), Integer).label("activities"))
        .join(Activity, Activity.id == link.activity_id)
        .where(Activity.status == "held", *conditions)
        .group_by(link.organization_id)
    )


def partner_network(engine: Engine, filters: ActivityFilters, *, partners: int = NETWORK_PARTNERS) -> PartnerNetwork:
    """The busiest `partners` partners of the held activities in `filters` and the pairs among them (see
    `PartnerNetwork`)."""
    counts = _held_per_partner(filters).subquery()
    nodes_statement = (
        select(
            Organization.id.label("organization_id"),
            Organization.slug,
            Organization.short_name,
            Organization.name,
            PartnerKind.code.label("kind_code"),
            cast(counts.c.activities, Integer).label("activities"),
            # Every partner, before the limit: counted in the same pass (a second statement counted them again).
            cast(func.count().over(), Integer).label("partners"),
        )
        .join(counts, counts.c.organization_id == Organization.id)
        .join(PartnerKind, PartnerKind.id == Organization.kind_id)
        .where(counts.c.activities > 0)
        .order_by(counts.c.activities.desc(), Organization.short_name, Organization.id)
        .limit(partners)
    )
    found = frame(engine, nodes_statement)
    total = int(found["partners"].iloc[0]) if len(found) else 0
    nodes = found.drop(columns="partners")
    return PartnerNetwork(nodes, _pairs(engine, filters, [int(i) for i in nodes["organization_id"]]), total)


def _pairs(engine: Engine, filters: ActivityFilters, shown: list[int]) -> pd.DataFrame:
    """source, target, activities: the pairs of `shown` partners that took part in the same held activities."""
    if len(shown) < 2:
        return pd.DataFrame({"source": [], "target": [], "activities": []}, dtype="int64")
    narrowed = activity_conditions(filters)
    if narrowed:
        # The filters' activities first (a year: 37,000 of a million), then their links by the link table's
        # key. Left to itself SQLite starts from the busiest partners' links instead (467,000 of them for
        # the top 40, each looked up in the activities): `+ 0` keeps it off the partner index (0.62 s ->
        # 0.09 s for a year, 0.75 s -> 0.29 s for a type, at a million activities; bench/RESULTS.md).
        return frame(engine, _pairs_in(shown, [Activity.status == "held", *narrowed], unindexed=True))
    # Every year, every school: nearly every activity is held, and looking each one up costs more than the
    # pairs themselves (0.92 s). The pairs of every activity, less those of the few not held (0.35 s).
    every = frame(engine, _pairs_in(shown, None))
    others = [status for status in STATUSES if status != "held"]  # a list, which the status index can serve
    not_held = frame(engine, _pairs_in(shown, [Activity.status.in_(others)], unindexed=True))
    if not_held.empty:
        return every
    merged = every.merge(not_held, on=["source", "target"], how="left", suffixes=("", "_not_held"))
    held = merged["activities"] - merged["activities_not_held"].fillna(0).astype("int64")
    pairs = merged.assign(activities=held)[["source", "target", "activities"]]
    pairs = pairs[pairs["activities"] > 0]
    return pairs.sort_values(["activities", "source", "target"], ascending=[False, True, True]).reset_index(drop=True)


def _pairs_in(shown: list[int], conditions: list[Any] | None, *, unindexed: bool = False) -> Any:
    """The pairs statement over the activities that meet `conditions` (None: every activity, unread)."""
    first, second = aliased(ActivityOrganization), aliased(ActivityOrganization)
    shared = cast(func.count(), Integer).label("activities")
    first_id, second_id = first.organization_id, second.organization_id
    statement = (
        select(first_id.label("source"), second_id.label("target"), shared)
        .select_from(first)
        .join(second, (second.activity_id == first.activity_id) & (second_id > first_id))
    )
    if conditions is not None:
        statement = statement.join(Activity, Activity.id == first.activity_id).where(*conditions)
    chosen = (
        [(first_id + 0).in_(shown), (second_id + 0).in_(shown)]
        if unindexed
        else [
            first_id.in_(shown),
            second_id.in_(shown),
        ]
    )
    return statement.where(*chosen).group_by(first_id, second_id).order_by(shared.desc(), first_id, second_id)
