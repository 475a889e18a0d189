"""The vocabularies, the school years on record, and how much is on record."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, and_, func, select

from db.models import ActivityType, FocusArea, Organization, PartnerKind, VocabularyName, _Vocabulary, activity_rollup
from db.queries.frames import frame


def _vocabulary(engine: Engine, model: type[_Vocabulary]) -> pd.DataFrame:
    table = model.__table__  # type: ignore[attr-defined]
    named = and_(VocabularyName.vocabulary == table.name, VocabularyName.code == table.c.code)
    statement = (
        select(table.c.code, VocabularyName.lang, VocabularyName.name)
        .outerjoin(VocabularyName, named)
        .order_by(table.c.sort_order, table.c.code, VocabularyName.lang)
    )
    return frame(engine, statement)


def activity_types(engine: Engine) -> pd.DataFrame:
    """Columns: code, lang, name: a row per term and language (lang and name None for a term
    with no names); terms in display order."""
    return _vocabulary(engine, ActivityType)


def partner_kinds(engine: Engine) -> pd.DataFrame:
    """Columns: code, lang, name, as `activity_types`."""
    return _vocabulary(engine, PartnerKind)


def focus_areas(engine: Engine) -> pd.DataFrame:
    """Columns: code, lang, name, as `activity_types`."""
    return _vocabulary(engine, FocusArea)


def school_years(engine: Engine) -> list[int]:
    """The school years (by starting year) that have activities, newest first.

    From the period rollup (a row per status, year, type and month with activities; kept by triggers):
    PostgreSQL has no skip scan, and the distinct years of a million activities read all of them (70 ms).
    """
    statement = (
        select(activity_rollup.c.school_year)
        .where(activity_rollup.c.activities > 0)
        .distinct()
        .order_by(activity_rollup.c.school_year.desc())
    )
    with engine.connect() as connection:
        return list(connection.scalars(statement))


def record_counts(engine: Engine) -> dict[str, int]:
    """How many partners and activities the database holds: keys partners, activities."""
    with engine.connect() as connection:
        partners = connection.scalar(select(func.count()).select_from(Organization)) or 0
        # Summed from the period rollup: counting a million rows took PostgreSQL 60 ms on every cold page.
        activities = connection.scalar(select(func.sum(activity_rollup.c.activities))) or 0
    return {"partners": partners, "activities": activities}
