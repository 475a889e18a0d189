"""The trigram index over activities' search text (migration 0009): its candidates, and a check that it is exact.

A search matches `activities.search_text LIKE '%…%'`, and that LIKE always decides. On SQLite the FTS5
table `activity_search` can add the condition "among the activities whose text holds these characters in
a row", which spares reading the others, when a search is rare enough for that to pay (the callers
decide, from `candidates`). Its phrase query is a superset of the LIKE: the trigram tokenizer folds case
the same way in the text and in the query, character by character, so every text the LIKE matches has
the query's trigrams in a row. A query shorter than three characters has no trigram, and one holding a
NUL character cannot be handed to FTS5 (it reads the query as a C string): those are left to the LIKE.

On PostgreSQL the pg_trgm index serves the LIKE itself, and nothing here is needed.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, Select, column, func, literal_column, select, table, text

from db.text import name_key

# The FTS5 table and the tables FTS5 keeps it in (https://sqlite.org/fts5.html, shadow tables): part of
# the schema of revision 0009, holding nothing that is not in `activities`.
INDEX_TABLE = "activity_search"
INDEX_TABLES = frozenset({INDEX_TABLE, *(f"{INDEX_TABLE}_{part}" for part in ("data", "idx", "docsize", "config"))})
# pg_trgm's indexes on PostgreSQL (also made by migration 0009, where the server allows).
TRIGRAM_INDEXES = frozenset({"ix_activities_search_text_trigram", "ix_activities_title_key_trigram"})
TRIGRAM = 3


def in_the_models(name: str | None, kind: str, _parents: object = None) -> bool:
    """Whether the models (db/models.py) describe this object: the search index is the migrations' alone,
    being made of SQL the models cannot say. For Alembic's `include_name`."""
    return not ((kind == "table" and name in INDEX_TABLES) or (kind == "index" and name in TRIGRAM_INDEXES))


_index = table(INDEX_TABLE, column("rowid"))
# The columns of activities that the index holds, as their names there.
INDEXED = ("search_text", "title_key")


def indexed_query(engine_or_connection: Engine | Connection, search: str, indexed: str = "search_text") -> str | None:
    """The FTS5 query for `search` in the column `indexed` (its casefolded key as a phrase in double
    quotes), or None where the index cannot serve it: not SQLite, fewer than three characters, or a NUL
    character."""
    assert indexed in INDEXED
    if engine_or_connection.dialect.name != "sqlite":
        return None
    key = name_key(search)
    if len(key) < TRIGRAM or "\x00" in key:
        return None
    # Inside double quotes everything is text to FTS5 (AND, NEAR, *, ^, -, …); a quote is written twice.
    return f"{indexed} : " + '"' + key.replace('"', '""') + '"'


def matching_ids(query: str) -> Select[tuple[int]]:
    """The ids of the activities whose text holds the phrase of `query` (from `indexed_query`)."""
    return select(_index.c.rowid).where(literal_column(INDEX_TABLE).op("MATCH")(query))


def candidates(connection: Connection, query: str, cap: int) -> int:
    """How many activities the index offers for `query`, counted up to `cap` only: cheap when it is small."""
    offered = matching_ids(query).limit(cap).subquery()
    return int(connection.scalar(select(func.count()).select_from(offered)) or 0)


def is_exact(engine: Engine) -> bool:
    """Whether the index holds exactly the search text of every activity (True where there is no index).

    FTS5's own check compares the index with the content table (https://sqlite.org/fts5.html, the
    'integrity-check' command, with rank 1): it is written as an INSERT but changes nothing.
    """
    if engine.dialect.name != "sqlite":
        return True
    with engine.connect() as connection:
        try:
            connection.execute(text(f"INSERT INTO {INDEX_TABLE} ({INDEX_TABLE}, rank) VALUES ('integrity-check', 1)"))
        except Exception as error:  # FTS5 says "database disk image is malformed" for a wrong index
            if "malformed" in str(error):
                return False
            raise
        finally:
            connection.rollback()
    return True


def rebuild(connection: Connection) -> None:
    """Index every activity's search text again, in the caller's transaction (nothing to do on PostgreSQL)."""
    if connection.dialect.name == "sqlite":
        connection.execute(text(f"INSERT INTO {INDEX_TABLE} ({INDEX_TABLE}) VALUES ('rebuild')"))
