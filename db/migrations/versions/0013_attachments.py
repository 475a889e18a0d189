"""Photos and documents of an activity, their bytes in the database, and whether parents consented to a photo.

The database stays the single place of record: a photo or a PDF is a BLOB of `attachments`, so every
backup (SQLite's backup API) and restore carries it with nothing more, and a restore checks each
file's SHA-256 against the one recorded here (db/backup_checks.py). A photo is stored as the server
re-encoded it (db/attachments.py), a thumbnail beside it; `consent` says whether the parents' written
consent to publish covers it (yes / no / no children in the picture), which decides who sees it.

Deleting an activity deletes its attachments (ON DELETE CASCADE). The screens read the table, so a
change to it replaces the data revision like 0008's tables (SQLite and PostgreSQL triggers).

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_EVENTS = ("INSERT", "UPDATE", "DELETE")


def upgrade() -> None:
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("media_type", sa.String(40), nullable=False),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("thumbnail", sa.LargeBinary(), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("byte_size", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("caption", sa.String(300), nullable=False),
        sa.Column("credit", sa.String(200), nullable=False),
        sa.Column("consent", sa.String(12), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
        sa.Column("created_by", sa.String(80), nullable=False),
        sa.CheckConstraint("kind IN ('photo', 'document')", name="ck_attachments_kind"),
        sa.CheckConstraint("consent IS NULL OR consent IN ('yes', 'no', 'no_children')", name="ck_attachments_consent"),
        sa.CheckConstraint("kind = 'document' OR consent IS NOT NULL", name="ck_attachments_photo_consent"),
        sa.CheckConstraint("byte_size >= 0", name="ck_attachments_byte_size"),
        sa.ForeignKeyConstraint(
            ["activity_id"], ["activities.id"], name="fk_attachments_activity_id_activities", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_attachments"),
    )
    op.create_index("ix_attachments_activity", "attachments", ["activity_id", "position"])
    if op.get_bind().dialect.name == "postgresql":
        # data_revision_bump() is 0008's.
        op.execute(
            "CREATE TRIGGER data_revision_attachments AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON attachments "
            "FOR EACH STATEMENT EXECUTE FUNCTION data_revision_bump()"
        )
    else:
        for event in _EVENTS:
            op.execute(
                f"CREATE TRIGGER data_revision_attachments_{event.lower()} AFTER {event} ON attachments BEGIN "
                "UPDATE data_revision SET revision = random(); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER data_revision_attachments ON attachments")
    else:
        for event in _EVENTS:
            op.execute(f"DROP TRIGGER data_revision_attachments_{event.lower()}")
    op.drop_index("ix_attachments_activity", "attachments")
    op.drop_table("attachments")
