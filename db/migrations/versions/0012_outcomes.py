"""Outcomes per school year, and who an activity reached by stage.

- `school_outcomes`: one figure a school reports for a school year (db/indicators.py declares which:
  pupils enrolled, dropped out, attendance, …), with its optional target. Only aggregates: the record
  holds nothing about any one pupil. A `data_revision_school_outcomes` trigger like 0008's, so that a
  saved figure ends the cached reads.
- `activities.pupils_primary`, `pupils_secondary`, `parents`, `teachers`: optional counts, so that
  "pupils reached" can be split by stage (I–IV, V–VII) and the parents and teachers who took part told.
  Plain nullable columns: SQLite adds them in place (no rebuild of a million activities), and neither the
  rollups nor the search read them, so no trigger changes.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

STAGE_COLUMNS = ("pupils_primary", "pupils_secondary", "parents", "teachers")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "school_outcomes",
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("school_year", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(40), nullable=False),
        sa.Column("value", sa.Numeric(12, 2), nullable=False),
        sa.Column("target", sa.Numeric(12, 2), nullable=True),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.CheckConstraint("value >= 0", name="ck_school_outcomes_value"),
        sa.CheckConstraint("target IS NULL OR target >= 0", name="ck_school_outcomes_target"),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name="fk_school_outcomes_school_id_schools", ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("school_id", "school_year", "indicator", name="pk_school_outcomes"),
    )
    # Positional: SQLite adds a nullable column in place; with batch mode it would rebuild the table.
    for name in STAGE_COLUMNS:
        op.add_column("activities", sa.Column(name, sa.Integer(), nullable=True))
    if sqlite:
        for event in ("INSERT", "UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER data_revision_school_outcomes_{event.lower()} AFTER {event} ON school_outcomes "
                "BEGIN\nUPDATE data_revision SET revision = random();\nEND"
            )
    else:
        op.execute(
            "CREATE TRIGGER data_revision_school_outcomes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            "ON school_outcomes FOR EACH STATEMENT EXECUTE FUNCTION data_revision_bump()"
        )


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER data_revision_school_outcomes_{event}")
    else:
        op.execute("DROP TRIGGER data_revision_school_outcomes ON school_outcomes")
    op.drop_table("school_outcomes")
    if sqlite:
        # SQLite (3.35+) drops a plain column in place: no index, key or trigger names these.
        for name in STAGE_COLUMNS:
            op.execute(f"ALTER TABLE activities DROP COLUMN {name}")
    else:
        for name in STAGE_COLUMNS:
            op.drop_column("activities", name)
