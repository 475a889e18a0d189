"""What a search over activities matches: the title, the place and the description, casefolded.

SQLite's lower() and LIKE fold ASCII only, so a search for „кръгла“ would miss „Кръгла маса“;
the text is folded in Python when it is written (db.models.Activity), as partners' already is.
This revision adds the column and fills it for the activities already on record.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

from db.text import search_text

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_BATCH = 5000


def upgrade() -> None:
    op.add_column("activities", sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
    connection = op.get_bind()
    activities = sa.table(
        "activities",
        sa.column("id", sa.Integer),
        sa.column("title", sa.String),
        sa.column("location", sa.String),
        sa.column("description", sa.Text),
        sa.column("search_text", sa.Text),
    )
    rows = connection.execute(sa.select(activities.c.id, activities.c.title, activities.c.location, activities.c.description))
    update = (
        sa.update(activities).where(activities.c.id == sa.bindparam("row_id")).values(search_text=sa.bindparam("text"))
    )
    batch: list[dict[str, object]] = []
    for row in rows.all():
        batch.append({"row_id": row.id, "text": search_text(row.title, row.location or "", row.description or "")})
        if len(batch) == _BATCH:
            connection.execute(update, batch)
            batch = []
    if batch:
        connection.execute(update, batch)


def downgrade() -> None:
    with op.batch_alter_table("activities") as table:
        table.drop_column("search_text")
