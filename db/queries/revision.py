"""The data revision (migration 0008): one number that every change to what the screens show replaces."""

from __future__ import annotations

from sqlalchemy import Engine, select

from db.models import data_revision as revision_table


def data_revision(engine: Engine) -> int:
    """The number that changes with every write to the records (a cache key: equal numbers, equal data)."""
    with engine.connect() as connection:
        return int(connection.scalar(select(revision_table.c.revision)) or 0)
