"""Reads of the local accounts: the administrators' list, and the role a login has."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select

from db.models import User
from db.queries.frames import frame


def list_users(engine: Engine, *, school_id: int | None = None) -> pd.DataFrame:
    """Columns: login, role, school_id (None: the whole network), is_active, created_at; by login; one school's
    accounts only, when given (what a school's admin manages). Never the hashes."""
    statement = select(User.login, User.role, User.school_id, User.is_active, User.created_at).order_by(User.login)
    if school_id is not None:
        statement = statement.where(User.school_id == school_id)
    return frame(engine, statement)


def school_of(engine: Engine, login: str) -> int | None:
    """The school an active account's role holds in, or None (the whole network, or no such account)."""
    with engine.connect() as connection:
        return connection.scalar(select(User.school_id).where(User.login == login.lower(), User.is_active.is_(True)))


def role_of(engine: Engine, login: str) -> str:
    """The role of an active account, or viewer for anyone else (a school account not yet given a role)."""
    with engine.connect() as connection:
        role = connection.scalar(select(User.role).where(User.login == login.lower(), User.is_active.is_(True)))
    return role or "viewer"
