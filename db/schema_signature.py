"""The whole schema of an SQLite file, read without running anything in it, and what a known revision's looks like.

A file that merely has the right table names can carry a trigger that rewrites rows, or a view standing
where a table should be; so a restore compares everything in `sqlite_master` (tables with their columns,
types and constraints, indexes, triggers, views) with the schema that the real migrations make at the
file's revision. The expected schema is not written down anywhere: an empty temporary file is migrated
to that revision and read the same way, so a new migration needs no change here.
"""

from __future__ import annotations

import re
import sqlite3
import tempfile
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from db import migrate
from db.engine import get_engine
from db.validation import Problem

# The kinds of object in the order their differences are told: what could act on the data comes first.
KINDS = ("trigger", "view", "table", "index")
# What `ANALYZE` or `PRAGMA optimize` leave: statistics for the query planner, which hold no data of ours
# and cannot carry a trigger (SQLite refuses triggers on its own tables).
TOLERATED = re.compile(r"sqlite_stat[1-4]")
# How many differences a refusal lists; a file of another shape could have thousands.
SHOWN_DIFFERENCES = 5

# The words that begin a table constraint rather than a column definition.
TABLE_CONSTRAINTS = {"constraint", "primary", "unique", "check", "foreign"}
_TOKEN = re.compile(
    r"""
      '(?:[^']|'')*'                    # a string literal: kept exactly
    | "(?:[^"]|"")*" | `(?:[^`]|``)*` | \[[^\]]*\]   # a quoted name
    | [A-Za-z_][A-Za-z0-9_$]*           # a keyword or a bare name: SQLite ignores their case
    | [0-9]+(?:\.[0-9]*)?               # a number
    | \S                                # anything else, one character at a time
    """,
    re.VERBOSE,
)


def shown(text: object, limit: int = 80) -> str:
    """A name or value from the file, fit for a message: no control characters (a terminal would obey an
    escape sequence), and no longer than `limit`."""
    clean = "".join("?" if unicodedata.category(c) in ("Cc", "Cf") else c for c in str(text)[: limit + 1])
    return clean if len(clean) <= limit else clean[:limit] + "…"


def _tokens(sql: str | None) -> list[str]:
    """`sql` as tokens: bare words in lower case, quoted names in double quotes, string literals as they are."""
    tokens = []
    for token in _TOKEN.findall(sql or ""):
        if token[0] in "`[":
            token = '"' + token[1:-1].replace('"', '""') + '"'
        elif token[0] not in "'\"":
            token = token.lower()
        tokens.append(token)
    return tokens


def normalised_sql(sql: str | None) -> str:
    """`sql` as tokens one space apart, with a table's constraints in a fixed order.

    SQLite keeps a CREATE statement's text as it was typed (or as ALTER TABLE rewrote it), so the same
    schema can differ in spacing and in the case of keywords. And the same migration writes a table's
    named constraints in another order from one process to the next (SQLAlchemy keeps them in a set,
    whose order follows PYTHONHASHSEED): the order of table constraints means nothing to SQLite.
    """
    tokens = _tokens(sql)
    if tokens[:2] != ["create", "table"] or "(" not in tokens:
        return " ".join(tokens)
    opening = tokens.index("(")
    items: list[list[str]] = [[]]
    depth, closing = 0, len(tokens)
    for position in range(opening + 1, len(tokens)):
        token = tokens[position]
        if token == "(":
            depth += 1
        elif token == ")":
            if depth == 0:
                closing = position
                break
            depth -= 1
        if token == "," and depth == 0:
            items.append([])
        else:
            items[-1].append(token)
    texts = [" ".join(item) for item in items]
    columns = [text for text in texts if text.split(" ", 1)[0] not in TABLE_CONSTRAINTS]
    constraints = sorted(text for text in texts if text.split(" ", 1)[0] in TABLE_CONSTRAINTS)
    inside = " , ".join(columns + constraints)
    return " ".join([*tokens[:opening], "(", inside, ")", *tokens[closing + 1 :]])


@dataclass(frozen=True)
class SchemaObject:
    """One entry of `sqlite_master`, with what SQLite's pragmas say of its shape."""

    kind: str
    name: str
    table: str
    shape: tuple[Any, ...]


Schema = Mapping[tuple[str, str], SchemaObject]


def _pragma(connection: sqlite3.Connection, pragma: str, name: str) -> tuple[Any, ...]:
    # The table-valued form takes the name as a parameter: a name in a hostile file is never SQL text here.
    return tuple(connection.execute(f"SELECT * FROM pragma_{pragma}(?)", (name,)).fetchall())


def _normalised_columns(rows: tuple[Any, ...]) -> tuple[Any, ...]:
    # table_xinfo: cid, name, type, notnull, default, pk, hidden; the type and the default as SQL text.
    return tuple(
        (cid, name.lower(), normalised_sql(kind), notnull, normalised_sql(default), pk, hidden)
        for cid, name, kind, notnull, default, pk, hidden in rows
    )


def _foreign_keys(rows: tuple[Any, ...]) -> tuple[Any, ...]:
    # foreign_key_list numbers the keys in the order the SQL declares them (see normalised_sql):
    # each key's rows without its number, the keys sorted.
    keys: dict[int, list[tuple[Any, ...]]] = {}
    for number, *rest in rows:
        keys.setdefault(number, []).append(tuple(rest))
    return tuple(sorted(tuple(sorted(key)) for key in keys.values()))


def read_schema(connection: sqlite3.Connection) -> Schema:
    """Every table, index, trigger and view of the database, keyed by (kind, name in lower case)."""
    entries = connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    schema: dict[tuple[str, str], SchemaObject] = {}
    for kind, name, table, sql in entries:
        if kind == "table" and TOLERATED.fullmatch(name):
            continue
        shape: tuple[Any, ...] = (normalised_sql(sql),)
        if kind == "table":
            # Its indexes are entries of their own (the automatic ones too, with no SQL), compared as such.
            foreign_keys = _foreign_keys(_pragma(connection, "foreign_key_list", name))
            shape += (_normalised_columns(_pragma(connection, "table_xinfo", name)), foreign_keys)
        elif kind == "index":
            shape += (_pragma(connection, "index_xinfo", name),)
        key = (str(kind), str(name).lower())
        schema[key] = SchemaObject(str(kind), str(name), str(table), shape)
    return MappingProxyType(schema)


def open_for_checking(path: Path) -> sqlite3.Connection:
    """A connection to a file nobody vouches for: no functions from its schema, no extensions, no writes."""
    connection = sqlite3.connect(path, isolation_level=None)
    if hasattr(connection, "enable_load_extension"):  # absent where Python was built without it
        connection.enable_load_extension(False)
    # trusted_schema=OFF: a view, trigger, default or index expression may not call a function that
    # is not marked innocuous; query_only: nothing this connection runs writes to the file.
    for pragma in ("trusted_schema=OFF", "cell_size_check=ON", "mmap_size=0", "query_only=ON"):
        connection.execute(f"PRAGMA {pragma}")
    return connection


@cache
def expected_schema(revision: str) -> Schema:
    """The schema the migrations make at `revision`, read from an empty file migrated to it (once per process)."""
    with tempfile.TemporaryDirectory(prefix="schema-") as folder:
        path = Path(folder) / f"{revision}.db"
        engine = get_engine(f"sqlite:///{path}")
        try:
            migrate.upgrade(engine, revision)
        finally:
            engine.dispose()
        connection = open_for_checking(path)
        try:
            return read_schema(connection)
        finally:
            connection.close()


def schema_differences(expected: Schema, found: Schema) -> list[Problem]:
    """What `found` has that `expected` has not, lacks, or has in another shape: triggers and views first."""
    differences = []
    for kind in KINDS:
        for key in sorted(found.keys() - expected.keys()):
            if key[0] == kind:
                extra = found[key]
                values = {"name": shown(extra.name), "table": shown(extra.table)}
                differences.append(Problem("file", f"backup_extra_{kind}", values))
        for key in sorted(expected.keys() - found.keys()):
            if key[0] == kind:
                differences.append(Problem("file", f"backup_missing_{kind}", {"name": expected[key].name}))
        for key in sorted(expected.keys() & found.keys()):
            same_table = expected[key].table.lower() == found[key].table.lower()
            if key[0] == kind and (expected[key].shape != found[key].shape or not same_table):
                differences.append(Problem("file", f"backup_changed_{kind}", {"name": expected[key].name}))
    if len(differences) > SHOWN_DIFFERENCES:
        rest = len(differences) - SHOWN_DIFFERENCES
        differences = [*differences[:SHOWN_DIFFERENCES], Problem("file", "backup_more_differences", {"count": rest})]
    return differences
