"""Reads about partners: the choices for filters, the directory and a profile."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Engine, exists, func, select

from db.models import (
    ActivityOrganization,
    FocusArea,
    Organization,
    PartnerKind,
    organization_focus_areas,
    partner_rollup,
)
from db.queries.frames import frame
from db.queries.rollup_counts import summed
from db.text import like_pattern


def organization_choices(engine: Engine) -> pd.DataFrame:
    """Every partner, for filters. Columns: id, slug, name, short_name, is_active; by short name."""
    statement = select(
        Organization.id, Organization.slug, Organization.name, Organization.short_name, Organization.is_active
    ).order_by(Organization.short_name, Organization.id)
    return frame(engine, statement)


def _held_activity_stats(organization_id: Any = None) -> Any:
    """Per partner: held activities, first and last (from its rollup); for one partner only if given."""
    only = [partner_rollup.c.organization_id == organization_id] if organization_id is not None else []
    return (
        select(
            partner_rollup.c.organization_id,
            summed(partner_rollup.c.activities).label("activities"),
            func.min(partner_rollup.c.first_date).label("first_activity"),
            func.max(partner_rollup.c.last_date).label("last_activity"),
        )
        .where(partner_rollup.c.status == "held", *only)
        .group_by(partner_rollup.c.organization_id)
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


def partner_activity_count(engine: Engine, partner_id: int) -> int:
    """How many activities a partner is linked to, in any status (what deleting it would touch)."""
    statement = select(func.count()).where(ActivityOrganization.organization_id == partner_id)
    with engine.connect() as connection:
        return int(connection.scalar(statement) or 0)
