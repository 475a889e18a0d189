"""The rollups stored in their key's order on SQLite (WITHOUT ROWID), as a database that grows by writes has them.

Revision 0008 made the rollups as rowid tables with their key as a second index. Filled all at once
(the migration's own count) their rows lie in key order, but a database that grows one write at a
time, as a school's does, adds each new (status, partner, year, type) row at the end of the table:
reading a status's rows in key order then jumps across the whole table for each one. At a million
activities built by writes, the counts per partner over all years took 100 ms against 40 ms for
the same rows filled at once (bench/RESULTS.md); stored in key order (a WITHOUT ROWID table, the key
being the table itself) the same query takes 31 ms however the rows came, and the second index goes.

PostgreSQL keeps its tables as they are: a heap with the primary key's index, which it reads either
way. The triggers of 0008 name these tables: they are dropped first and made again exactly as they
were, since SQLite checks every trigger when a table is renamed.

Revision ID: 0010
Revises: 0009
"""

import re

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TABLES = ("activity_rollup", "partner_rollup")


def upgrade() -> None:
    _rebuild(without_rowid=True)


def downgrade() -> None:
    _rebuild(without_rowid=False)


def _rebuild(*, without_rowid: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    bind = op.get_bind()
    triggers = bind.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND ("
        + " OR ".join(f"sql LIKE '%{table}%'" for table in TABLES)
        + ") ORDER BY name"
    ).all()
    for name, _sql in triggers:
        op.execute(f'DROP TRIGGER "{name}"')
    for table in TABLES:
        (create,) = bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).one()
        body = create.rstrip()
        if body.upper().endswith("WITHOUT ROWID"):
            body = body[: -len("WITHOUT ROWID")].rstrip()
        # The name as SQLite keeps it: bare as created, in quotes once a table was renamed to it.
        rebuilt = re.sub(rf'^CREATE TABLE "?{table}"?', f"CREATE TABLE {table}_rebuilt", body, count=1)
        op.execute(rebuilt + (" WITHOUT ROWID" if without_rowid else ""))
        op.execute(f"INSERT INTO {table}_rebuilt SELECT * FROM {table}")
        op.execute(f"DROP TABLE {table}")
        op.execute(f"ALTER TABLE {table}_rebuilt RENAME TO {table}")
    for _name, sql in triggers:
        op.execute(sql)
