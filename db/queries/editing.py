"""Reads for the editing forms: one record as it is now, with its version."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.models import Activity, Organization
from db.text import like_pattern


def partner_for_editing(engine: Engine, partner_id: int) -> dict[str, Any] | None:
    """The partner's fields as the form shows them, with kind and focus area codes and its version."""
    with Session(engine) as session:
        partner = session.get(Organization, partner_id)
        if partner is None:
            return None
        return {
            "id": partner.id,
            "version": partner.version,
            "name": partner.name,
            "short_name": partner.short_name,
            "kind": partner.kind.code,
            "city": partner.city,
            "website": partner.website,
            "email": partner.email,
            "phone": partner.phone,
            "contact_person": partner.contact_person,
            "mission": partner.mission,
            "focus_areas": [a.code for a in partner.focus_areas],
            "partner_since": partner.partner_since,
            "is_active": partner.is_active,
        }


def activity_for_editing(engine: Engine, activity_id: int) -> dict[str, Any] | None:
    """The activity's fields as the form shows them, with its partners as (id, role) and its version."""
    with Session(engine) as session:
        activity = session.get(Activity, activity_id)
        if activity is None:
            return None
        return {
            "id": activity.id,
            "version": activity.version,
            "title": activity.title,
            "type": activity.type.code,
            "status": activity.status,
            "start_date": activity.start_date,
            "end_date": activity.end_date,
            "location": activity.location,
            "description": activity.description,
            "participants": activity.participants,
            "pupils_reached": activity.pupils_reached,
            "news_url": activity.news_url,
            "organizations": sorted((link.organization_id, link.role) for link in activity.links),
        }


def activity_choices(engine: Engine, *, search: str = "", limit: int = 200) -> list[tuple[int, str]]:
    """(id, `08.04.2014 · title`) of the newest activities whose title contains `search`, for the editor's list."""
    statement = select(Activity.id, Activity.start_date, Activity.title).order_by(
        Activity.start_date.desc(), Activity.id.desc()
    )
    if search.strip():
        statement = statement.where(Activity.title_key.like(like_pattern(search), escape="\\"))
    with engine.connect() as connection:
        rows = connection.execute(statement.limit(limit)).all()
    return [(row.id, f"{row.start_date:%d.%m.%Y} · {row.title}") for row in rows]
