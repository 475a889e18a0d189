"""Counting from the rollups (migration 0008): which one answers which filters, and their conditions."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, Table, cast, exists, func, select
from sqlalchemy.types import TypeEngine

from db.filters import ActivityFilters
from db.models import ActivityType, Organization, activity_rollup, partner_rollup, school_partner_rollup, school_rollup

HELD_ONLY = ("held",)


def rollup_for(filters: ActivityFilters) -> Table | None:
    """The rollup that counts activities in `filters` exactly: per period without a partner (per school and
    period with schools chosen), the partner's own with one; None with two or more, where an activity they
    share must count once, and for a partner within chosen schools, where a school's own rows are few."""
    if not filters.organization_ids:
        return school_rollup if filters.school_ids else activity_rollup
    if len(filters.organization_ids) == 1 and not filters.school_ids:
        return partner_rollup
    return None


def partner_rollup_for(filters: ActivityFilters) -> Table | None:
    """The rollup that counts held activities per partner in `filters`: the partners' own without schools
    chosen; per school and partner with them (it has no types: None with types chosen too)."""
    if not filters.school_ids:
        return partner_rollup
    if not filters.type_codes:
        return school_partner_rollup
    return None


def counts_for(rollup: Table, filters: ActivityFilters, statuses: tuple[str, ...]) -> list[ColumnElement[bool]]:
    """The conditions on `rollup` for the filters and the statuses."""
    conditions: list[ColumnElement[bool]] = [rollup.c.status.in_(statuses)]
    if filters.school_year is not None:
        conditions.append(rollup.c.school_year == filters.school_year)
    if filters.type_codes and "type_id" in rollup.c:
        conditions.append(
            rollup.c.type_id.in_(select(ActivityType.id).where(ActivityType.code.in_(filters.type_codes)))
        )
    if filters.organization_ids and "organization_id" in rollup.c:
        conditions.append(rollup.c.organization_id.in_(filters.organization_ids))
    if filters.school_ids and "school_id" in rollup.c:
        conditions.append(rollup.c.school_id.in_(filters.school_ids))
    return conditions


def summed(column: Any, kind: type[TypeEngine[Any]] = Integer) -> ColumnElement[Any]:
    """The sum of a rollup's column, 0 over no rows; cast, since PostgreSQL sums integers as numeric."""
    return cast(func.coalesce(func.sum(column), 0), kind)


def partners_counted(filters: ActivityFilters, on_or_before: date | None = None) -> Select[Any] | None:
    """How many partners (of the chosen ones, if any) took part in a held activity in the filters.

    Asked of each partner ("one such row?"), which the rollup's key (status, partner, year, type)
    answers with one look each: counting the distinct partners of a year's rows read all of them
    (2.9 ms against 0.3 ms for one year at a million activities, 300 partners). None where no rollup
    answers (schools and types chosen together; a day with schools chosen): the caller counts from the records.
    `on_or_before`: only the partners that had taken part by that day (the year in progress compared).
    """
    rollup = partner_rollup_for(filters)
    if rollup is None or (on_or_before is not None and "first_date" not in rollup.c):
        return None
    # Up to a day: a partner took part by then if its first day in a group is not after it (the rollup's
    # first days are exact: a write that takes away a group's first day looks the group's first day up again).
    by_then = [rollup.c.first_date <= on_or_before] if on_or_before is not None else []
    has_one = exists().where(
        rollup.c.organization_id == Organization.id,
        *counts_for(rollup, filters.with_organizations(), HELD_ONLY),
        *by_then,
    )
    chosen = [Organization.id.in_(filters.organization_ids)] if filters.organization_ids else []
    return select(func.count()).select_from(Organization).where(has_one, *chosen)
