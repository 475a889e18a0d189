"""Vocabulary names move from name_bg/name_en columns into one table keyed by (vocabulary, code, lang).

A new language is then new rows, not a new pair of columns in three tables. Every name is
copied as it is, so a name the school changed stays changed. The downgrade puts the Bulgarian
and English names back into their columns (a term without one gets its code) and loses names
in any other language.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

VOCABULARIES = ("partner_kinds", "activity_types", "focus_areas")
# The languages that had columns; frozen here, as the columns were.
COLUMN_LANGUAGES = ("bg", "en")

names = sa.table(
    "vocabulary_names",
    sa.column("vocabulary", sa.String),
    sa.column("code", sa.String),
    sa.column("lang", sa.String),
    sa.column("name", sa.String),
)


def _vocabulary(name: str, *languages: str) -> sa.TableClause:
    return sa.table(name, sa.column("code", sa.String), *(sa.column(f"name_{lang}", sa.String) for lang in languages))


def upgrade() -> None:
    op.create_table(
        "vocabulary_names",
        sa.Column("vocabulary", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("lang", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.CheckConstraint(
            "vocabulary IN ('partner_kinds', 'activity_types', 'focus_areas')",
            name=op.f("ck_vocabulary_names_vocabulary"),
        ),
        sa.PrimaryKeyConstraint("vocabulary", "code", "lang", name=op.f("pk_vocabulary_names")),
    )
    for vocabulary in VOCABULARIES:
        terms = _vocabulary(vocabulary, *COLUMN_LANGUAGES)
        for lang in COLUMN_LANGUAGES:
            # INSERT ... SELECT with literal values: the same statement on SQLite and PostgreSQL.
            copied = sa.select(
                sa.literal(vocabulary, sa.String), terms.c.code, sa.literal(lang, sa.String), terms.c[f"name_{lang}"]
            )
            op.execute(names.insert().from_select(["vocabulary", "code", "lang", "name"], copied))
        # On SQLite this rebuilds the table; db.migrate turns foreign keys off first, so the
        # partners and activities that point at it keep their links.
        with op.batch_alter_table(vocabulary) as batch_op:
            for lang in COLUMN_LANGUAGES:
                batch_op.drop_column(f"name_{lang}")


def downgrade() -> None:
    for vocabulary in VOCABULARIES:
        with op.batch_alter_table(vocabulary) as batch_op:
            for lang in COLUMN_LANGUAGES:
                batch_op.add_column(sa.Column(f"name_{lang}", sa.String(length=120), nullable=True))
        terms = _vocabulary(vocabulary, *COLUMN_LANGUAGES)
        for lang in COLUMN_LANGUAGES:
            name = (
                sa.select(names.c.name)
                .where(names.c.vocabulary == vocabulary, names.c.code == terms.c.code, names.c.lang == lang)
                .scalar_subquery()
            )
            op.execute(terms.update().values({f"name_{lang}": sa.func.coalesce(name, terms.c.code)}))
        with op.batch_alter_table(vocabulary) as batch_op:
            for lang in COLUMN_LANGUAGES:
                batch_op.alter_column(f"name_{lang}", existing_type=sa.String(length=120), nullable=False)
    op.drop_table("vocabulary_names")
