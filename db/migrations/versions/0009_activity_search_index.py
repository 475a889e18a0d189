"""An index for the search over activities, kept by triggers, so that a search need not read every activity.

A search is `search_text LIKE '%…%'` (revision 0006), which no B-tree index can serve: at a million
activities each search read them all (0.5-1.7 s, bench/RESULTS-datasette.md). Both databases have a
trigram index that finds the activities holding a given piece of text:

- SQLite: an FTS5 table with the trigram tokenizer over `activities.search_text` and `title_key` (what
  the Data screen's list of activities searches; external content: it keeps only the index, the text
  stays in `activities`). db/search.py asks it for the candidates of a
  search of three characters or more; the LIKE on `activities` still decides, so the answers are the
  LIKE's own. Triggers keep it exact in the same transaction as every write, whichever code writes;
  an external-content table is told what to remove with the old text, which only a trigger knows.
- PostgreSQL: pg_trgm's GIN indexes on the same columns, which the planner uses for the same LIKE by
  itself. Creating the extension needs rights that a hosted database may not give: without it the
  migration still succeeds and the search is the plain LIKE it was, only slower.

Revision ID: 0009
Revises: 0008
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE activity_search USING fts5("
    "search_text, title_key, content='activities', content_rowid='id', tokenize='trigram')"
)

_ADD = "INSERT INTO activity_search (rowid, search_text, title_key) VALUES (NEW.id, NEW.search_text, NEW.title_key);"
# An external-content table removes a row's terms given the text that was indexed: the OLD row's.
_REMOVE = (
    "INSERT INTO activity_search (activity_search, rowid, search_text, title_key) "
    "VALUES ('delete', OLD.id, OLD.search_text, OLD.title_key);"
)

SQLITE_TRIGGERS = {
    "activity_search_inserted": f"AFTER INSERT ON activities BEGIN {_ADD} END",
    "activity_search_updated": "AFTER UPDATE OF id, search_text, title_key ON activities WHEN OLD.id IS NOT NEW.id "
    f"OR OLD.search_text IS NOT NEW.search_text OR OLD.title_key IS NOT NEW.title_key BEGIN {_REMOVE} {_ADD} END",
    "activity_search_deleted": f"AFTER DELETE ON activities BEGIN {_REMOVE} END",
}

POSTGRESQL_INDEXES = {
    "ix_activities_search_text_trigram": "search_text",
    "ix_activities_title_key_trigram": "title_key",
}


def _postgresql_upgrade() -> None:
    connection = op.get_bind()
    # A savepoint, so that a refusal (no rights to create an extension, pg_trgm not installed) leaves
    # the migration's transaction usable: the search then stays a plain LIKE.
    attempt = connection.begin_nested()
    try:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:  # noqa: BLE001 - whatever the server says, the app works without the index
        attempt.rollback()
        return
    attempt.commit()
    for name, column in POSTGRESQL_INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON activities USING gin ({column} gin_trgm_ops)")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_upgrade()
        return
    op.execute(_SQLITE_TABLE)
    for name, definition in SQLITE_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {definition}")
    # The activities already on record (about 25 s at a million, measured December 2026).
    op.execute("INSERT INTO activity_search (activity_search) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # The extension stays: other objects in the database may have come to use it since.
        for name in POSTGRESQL_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
        return
    for name in SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    op.execute("DROP TABLE activity_search")
