"""Failed sign-ins remember the client's address, so that guessing is slowed per client and overall too.

Before, the delay after failures counted one login name only: a new name each time was never slowed,
and parallel sessions on one name were not either (issue 10). The address is stored in a bounded
column (an IPv6 client by its /64 network, at most 45 characters); `at` gets its own index for the
count over all failures and the pruning of old ones. Failures stored before keep an empty address.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("login_failures", sa.Column("client", sa.String(45), nullable=False, server_default=""))
    op.create_index("ix_login_failures_client_at", "login_failures", ["client", "at"])
    op.create_index("ix_login_failures_at", "login_failures", ["at"])


def downgrade() -> None:
    op.drop_index("ix_login_failures_at", table_name="login_failures")
    op.drop_index("ix_login_failures_client_at", table_name="login_failures")
    with op.batch_alter_table("login_failures") as table:
        table.drop_column("client")
