"""Accounts, failed logins, the audit log, and a natural key for activities.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _title_key(title: str) -> str:
    # Frozen copy of db.text.name_key as it was at this revision.
    quotes = str.maketrans("", "", "\"'„“”«»‘’`")
    return " ".join(title.translate(quotes).split()).casefold()


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("entity", sa.String(length=20), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_log_at", ["at"], unique=False)
        batch_op.create_index("ix_audit_log_entity", ["entity", "entity_id"], unique=False)

    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=80), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.create_index("ix_login_failures_login_at", ["login", "at"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=80), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.CheckConstraint("role IN ('viewer', 'editor', 'admin')", name=op.f("ck_users_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("login", name=op.f("uq_users_login")),
    )

    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("title_key", sa.String(length=300), nullable=True))
    activities = sa.table(
        "activities",
        sa.column("id", sa.Integer),
        sa.column("title", sa.String),
        sa.column("type_id", sa.Integer),
        sa.column("start_date", sa.Date),
        sa.column("title_key", sa.String),
    )
    connection = op.get_bind()
    seen: set[tuple[object, object, str]] = set()
    rows = connection.execute(
        sa.select(activities.c.id, activities.c.title, activities.c.type_id, activities.c.start_date).order_by(
            activities.c.id
        )
    ).all()
    for activity_id, title, type_id, start_date in rows:
        key = _title_key(title)
        if (start_date, type_id, key) in seen:
            # Records that already repeat each other are kept, told apart by their id.
            key = f"{key} #{activity_id}"
        seen.add((start_date, type_id, key))
        connection.execute(activities.update().where(activities.c.id == activity_id).values(title_key=key))
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.alter_column("title_key", existing_type=sa.String(length=300), nullable=False)
        batch_op.create_index("uq_activities_natural_key", ["start_date", "type_id", "title_key"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_index("uq_activities_natural_key")
        batch_op.drop_column("title_key")
    op.drop_table("users")
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.drop_index("ix_login_failures_login_at")
    op.drop_table("login_failures")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_entity")
        batch_op.drop_index("ix_audit_log_at")
    op.drop_table("audit_log")
