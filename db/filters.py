"""The filters every screen shares, and the SQL conditions they become."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement, exists, select

from db.models import Activity, ActivityOrganization, ActivityType


@dataclass(frozen=True)
class ActivityFilters:
    """School year (None for all years), organizations, activity types and schools (empty for all)."""

    school_year: int | None = None
    organization_ids: tuple[int, ...] = ()
    type_codes: tuple[str, ...] = ()
    school_ids: tuple[int, ...] = ()  # migration 0011; empty: the whole network (or the one school)

    def with_organizations(self, *organization_ids: int) -> ActivityFilters:
        return replace(self, organization_ids=tuple(organization_ids))

    def with_schools(self, *school_ids: int) -> ActivityFilters:
        return replace(self, school_ids=tuple(school_ids))

    def all_years(self) -> ActivityFilters:
        return replace(self, school_year=None)

    def previous_year(self) -> ActivityFilters:
        """The same filters one school year earlier (all years stay all years)."""
        year = None if self.school_year is None else self.school_year - 1
        return replace(self, school_year=year)


def activity_conditions(filters: ActivityFilters, *, walk_dates: bool = False) -> list[ColumnElement[bool]]:
    """WHERE conditions on `Activity` for the filters; organizations match through any link.

    `walk_dates`: the caller reads the newest few of a busy partner's activities, so each
    activity met along the date index is checked (EXISTS) instead of listing them all (IN).
    """
    conditions: list[ColumnElement[bool]] = []
    if filters.school_ids:
        conditions.append(Activity.school_id.in_(filters.school_ids))
    if filters.school_year is not None:
        conditions.append(Activity.school_year == filters.school_year)
    if filters.type_codes:
        conditions.append(
            Activity.type_id.in_(select(ActivityType.id).where(ActivityType.code.in_(filters.type_codes)))
        )
    if filters.organization_ids and filters.school_year is None and not walk_dates:
        # Over all years, the partners' own links name their activities (1.5 s -> 0.01 s for a
        # small partner at a million activities, bench/PROPOSALS.md at 0d0cdc8) ...
        conditions.append(
            Activity.id.in_(
                select(ActivityOrganization.activity_id).where(
                    ActivityOrganization.organization_id.in_(filters.organization_ids)
                )
            )
        )
    elif filters.organization_ids:
        # ... while within a school year its index finds the few activities first, and each is checked.
        conditions.append(
            exists().where(
                ActivityOrganization.activity_id == Activity.id,
                ActivityOrganization.organization_id.in_(filters.organization_ids),
            )
        )
    return conditions


def link_conditions(filters: ActivityFilters) -> list[ColumnElement[bool]]:
    """Conditions for queries that count per organization: only the chosen organizations' links."""
    conditions = [c for c in activity_conditions(filters.with_organizations())]
    if filters.organization_ids:
        conditions.append(ActivityOrganization.organization_id.in_(filters.organization_ids))
    return conditions
