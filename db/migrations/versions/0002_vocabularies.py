"""Seed the vocabularies: activity types, partner kinds and focus areas, in Bulgarian and English.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Frozen here on purpose: a migration must insert the same rows whenever it runs.
ACTIVITY_TYPES = [
    ("round_table", "кръгла маса", "round table"),
    ("meeting", "среща", "meeting"),
    ("training", "обучение", "training"),
    ("celebration", "празник", "celebration"),
    ("campaign", "кампания", "campaign"),
    ("project", "проект", "project"),
    ("competition", "конкурс", "competition"),
    ("donation", "дарение", "donation"),
    ("other", "друго", "other"),
]
PARTNER_KINDS = [
    ("ngo", "НПО", "NGO"),
    ("foundation", "фондация", "foundation"),
    ("association", "сдружение", "association"),
    ("public_institution", "държавна институция", "public institution"),
    ("community_council", "общностен съвет", "community council"),
    ("school", "училище", "school"),
    ("municipality", "община", "municipality"),
    ("other", "друго", "other"),
]
FOCUS_AREAS = [
    ("education", "образователна интеграция", "educational integration"),
    ("school_retention", "обхващане и задържане в училище", "enrolment and retention"),
    ("intercultural", "интеркултурно образование", "intercultural education"),
    ("parents", "работа с родители", "work with parents"),
    ("community", "развитие на общността", "community development"),
    ("leadership", "лидерство и гражданско участие", "leadership and civic participation"),
    ("culture", "култура и традиции", "culture and traditions"),
    ("romani_language", "ромски език", "Romani language"),
    ("tolerance", "толерантност и недискриминация", "tolerance and non-discrimination"),
    ("advocacy", "застъпничество", "advocacy"),
    ("humanitarian", "хуманитарна помощ и подкрепа", "humanitarian aid and support"),
]


def _table(name: str) -> sa.Table:
    return sa.table(
        name,
        sa.column("code", sa.String),
        sa.column("name_bg", sa.String),
        sa.column("name_en", sa.String),
        sa.column("sort_order", sa.Integer),
    )


def upgrade() -> None:
    connection = op.get_bind()
    for name, rows in (
        ("activity_types", ACTIVITY_TYPES),
        ("partner_kinds", PARTNER_KINDS),
        ("focus_areas", FOCUS_AREAS),
    ):
        table = _table(name)
        # A database that was given its own entries before this revision keeps them.
        existing = set(connection.scalars(sa.select(table.c.code)))
        missing = [
            {"code": code, "name_bg": bg, "name_en": en, "sort_order": order}
            for order, (code, bg, en) in enumerate(rows, start=1)
            if code not in existing
        ]
        if missing:
            op.bulk_insert(table, missing)


def downgrade() -> None:
    for name, rows in (
        ("activity_types", ACTIVITY_TYPES),
        ("partner_kinds", PARTNER_KINDS),
        ("focus_areas", FOCUS_AREAS),
    ):
        table = _table(name)
        op.execute(sa.delete(table).where(table.c.code.in_([code for code, _, _ in rows])))
