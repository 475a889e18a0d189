"""Editors star an activity as a highlight of its year: the story of the year (issue 13) opens with them.

A plain flag on the activity, declared in db/fields.py like any field (form, import, export, audit). The
story reads the period's highlights first; a partial index would pay off only on a table of millions where
none is starred, and the story's query is bounded by the period's own index, so there is none.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "activities", sa.Column("is_highlight", sa.Boolean(), nullable=False, server_default=sa.false())
    )


def downgrade() -> None:
    # Not batch_alter_table: on SQLite that rebuilds the table, which the rollups' triggers name. Both
    # SQLite (3.35 and newer) and PostgreSQL drop a column no index or trigger reads in place.
    op.execute("ALTER TABLE activities DROP COLUMN is_highlight")
