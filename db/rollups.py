"""The rollups of migration 0008: what they should hold, counted again from the records; a check and a rebuild.

Triggers keep `activity_rollup` and `partner_rollup` exact with every write (the migration explains
how). These statements count the same groups from the activities and their links, to fill the tables
when the migration adds them, to rebuild them (`python -m db rollups --rebuild`, a restored file) and to
check them (`--check`). The rebuild also indexes the activities' text again for the search (db/search.py).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Table, delete, func, insert, select, update

from db import search
from db.expressions import year_month
from db.models import (
    Activity,
    ActivityOrganization,
    ActivityType,
    activity_rollup,
    data_revision,
    partner_rollup,
    school_partner_rollup,
    school_rollup,
)

# How many differences a check lists; a rollup left behind by hand could differ in thousands of groups.
SHOWN_DIFFERENCES = 10


def _counted_per_period() -> Any:
    month = year_month(Activity.start_date)
    return select(
        Activity.status,
        Activity.school_year,
        Activity.type_id,
        month.label("month"),
        func.count().label("activities"),
        func.coalesce(func.sum(Activity.participants), 0).label("participants"),
        func.coalesce(func.sum(Activity.pupils_reached), 0).label("pupils"),
    ).group_by(Activity.status, Activity.school_year, Activity.type_id, month)


def _counted_per_partner() -> Any:
    return (
        select(
            Activity.status,
            ActivityOrganization.organization_id,
            Activity.school_year,
            Activity.type_id,
            func.count().label("activities"),
            func.coalesce(func.sum(Activity.participants), 0).label("participants"),
            func.coalesce(func.sum(Activity.pupils_reached), 0).label("pupils"),
            func.min(Activity.start_date).label("first_date"),
            func.max(Activity.start_date).label("last_date"),
        )
        .join(ActivityOrganization, ActivityOrganization.activity_id == Activity.id)
        .group_by(Activity.status, ActivityOrganization.organization_id, Activity.school_year, Activity.type_id)
    )


def _counted_per_school_period() -> Any:
    month = year_month(Activity.start_date)
    return select(
        Activity.status,
        Activity.school_id,
        Activity.school_year,
        Activity.type_id,
        month.label("month"),
        func.count().label("activities"),
        func.coalesce(func.sum(Activity.participants), 0).label("participants"),
        func.coalesce(func.sum(Activity.pupils_reached), 0).label("pupils"),
    ).group_by(Activity.status, Activity.school_id, Activity.school_year, Activity.type_id, month)


def _counted_per_school_partner() -> Any:
    return (
        select(
            Activity.status,
            Activity.school_id,
            ActivityOrganization.organization_id,
            Activity.school_year,
            func.count().label("activities"),
            func.coalesce(func.sum(Activity.participants), 0).label("participants"),
            func.coalesce(func.sum(Activity.pupils_reached), 0).label("pupils"),
        )
        .join(ActivityOrganization, ActivityOrganization.activity_id == Activity.id)
        .group_by(Activity.status, Activity.school_id, ActivityOrganization.organization_id, Activity.school_year)
    )


ROLLUPS: dict[str, tuple[Table, Any]] = {
    "activity_rollup": (activity_rollup, _counted_per_period),
    "partner_rollup": (partner_rollup, _counted_per_partner),
    "school_rollup": (school_rollup, _counted_per_school_period),  # migration 0011
    "school_partner_rollup": (school_partner_rollup, _counted_per_school_partner),
}


def fill(connection: Connection, names: tuple[str, ...] | None = None) -> None:
    """Empty the rollups (`names`, all when None) and count them again from the records, in the caller's
    transaction. A migration names the ones it makes: a later migration's would not exist yet."""
    for name, (table, counted) in ROLLUPS.items():
        if names is not None and name not in names:
            continue
        connection.execute(delete(table))
        query = counted()
        connection.execute(insert(table).from_select([c.name for c in query.selected_columns], query))


def rebuild(engine: Engine) -> None:
    """Count every rollup again from the records and index the activities' text again for the search
    (db/search.py), in one write transaction; cached reads are then stale."""
    with engine.begin() as connection:
        fill(connection)
        search.rebuild(connection)
        connection.execute(update(data_revision).values(revision=secrets.randbits(63)))


@dataclass(frozen=True)
class Difference:
    """One group whose stored figures are not what the records make: `stored` None when the row is missing,
    `expected` None when it should not be there. The group names its type by code (`type_code`)."""

    table: str
    group: dict[str, Any]
    stored: dict[str, Any] | None
    expected: dict[str, Any] | None


def _rows(connection: Connection, query: Any, key: list[str]) -> dict[tuple[Any, ...], dict[str, Any]]:
    rows = {}
    for row in connection.execute(query).mappings():
        values = dict(row)
        rows[tuple(values.pop(k) for k in key)] = {k: v for k, v in values.items()}
    return rows


def differences(engine: Engine) -> Iterator[Difference]:
    """Every group where a rollup differs from the records (none when they are exact), read in one snapshot."""
    with engine.connect() as connection, connection.begin():
        types = {row.id: row.code for row in connection.execute(select(ActivityType.id, ActivityType.code))}
        for name, (table, counted) in ROLLUPS.items():
            key = [c.name for c in table.primary_key.columns]
            stored = _rows(connection, select(table), key)
            expected = _rows(connection, counted(), key)
            for group in sorted(stored.keys() | expected.keys(), key=repr):
                if stored.get(group) != expected.get(group):
                    named = dict(zip(key, group, strict=True))
                    if "type_id" in named:
                        named["type_code"] = types.get(named.pop("type_id"), "?")
                    yield Difference(name, named, stored.get(group), expected.get(group))
