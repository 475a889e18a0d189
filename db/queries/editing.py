"""Reads for the editing forms: one record as it is now, with its version."""

from __future__ import annotations

from math import isqrt
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from db.models import Activity, Organization
from db.search import candidates, indexed_query, matching_ids
from db.snapshots import activity_fields, partner_fields
from db.text import like_pattern


def partner_for_editing(engine: Engine, partner_id: int) -> dict[str, Any] | None:
    """The partner's fields as the form shows them (db.snapshots.partner_fields), with id and version."""
    with Session(engine) as session:
        partner = session.get(Organization, partner_id)
        if partner is None:
            return None
        return {"id": partner.id, "version": partner.version, **partner_fields(partner)}


def activity_for_editing(engine: Engine, activity_id: int) -> dict[str, Any] | None:
    """The activity's fields as the form shows them (db.snapshots.activity_fields), with id and version."""
    with Session(engine) as session:
        activity = session.get(Activity, activity_id)
        if activity is None:
            return None
        return {"id": activity.id, "version": activity.version, **activity_fields(activity)}


def activity_choices(
    engine: Engine, *, search: str = "", limit: int = 200, school_id: int | None = None
) -> list[tuple[int, str]]:
    """(id, `08.04.2014 · title`) of the newest activities whose title contains `search`, for the editor's list;
    one school's only, when given (a school's editor changes nothing else)."""
    statement = select(Activity.id, Activity.start_date, Activity.title).order_by(
        Activity.start_date.desc(), Activity.id.desc()
    )
    if school_id is not None:
        statement = statement.where(Activity.school_id == school_id)
    if search.strip():
        statement = statement.where(Activity.title_key.like(like_pattern(search), escape="\\"))
        # The search index's candidates: worth reading them alone while they are rare (see activity_list).
        query = indexed_query(engine, search, "title_key")
        if query is not None:
            with engine.connect() as connection:
                rows = connection.scalar(select(func.max(Activity.id))) or 0
                cap = isqrt(limit * rows)
                if candidates(connection, query, cap + 1) <= cap:
                    statement = statement.where(Activity.id.in_(matching_ids(query)))
    with engine.connect() as connection:
        rows = connection.execute(statement.limit(limit)).all()
    return [(row.id, f"{row.start_date:%d.%m.%Y} · {row.title}") for row in rows]
