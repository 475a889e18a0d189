"""Reads of the audit log, for administrators."""

from __future__ import annotations

from datetime import date, datetime, time

import pandas as pd
from sqlalchemy import ColumnElement, Engine, select

from db.models import AuditEntry
from db.queries.frames import frame


def audit_entries(
    engine: Engine,
    *,
    entity: str | None = None,
    actor: str | None = None,
    since: date | None = None,
    limit: int = 500,
    school_id: int | None = None,
) -> pd.DataFrame:
    """The newest audit entries matching the filters; one school's only, when given (a school's admin).

    Columns: at, actor, action, entity, entity_id, summary, before and after (JSON text).
    """
    conditions: list[ColumnElement[bool]] = []
    if entity:
        conditions.append(AuditEntry.entity == entity)
    if actor:
        conditions.append(AuditEntry.actor == actor)
    if since:
        conditions.append(AuditEntry.at >= datetime.combine(since, time.min))
    if school_id is not None:
        conditions.append(AuditEntry.school_id == school_id)
    statement = (
        select(
            AuditEntry.at,
            AuditEntry.actor,
            AuditEntry.action,
            AuditEntry.entity,
            AuditEntry.entity_id,
            AuditEntry.summary,
            AuditEntry.before,
            AuditEntry.after,
        )
        .where(*conditions)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return frame(engine, statement)


def audit_actors(engine: Engine, *, school_id: int | None = None) -> list[str]:
    """Everyone who has changed something (in that school, when given), for the filter."""
    statement = select(AuditEntry.actor).distinct().order_by(AuditEntry.actor)
    if school_id is not None:
        statement = statement.where(AuditEntry.school_id == school_id)
    with engine.connect() as connection:
        return list(connection.scalars(statement))
