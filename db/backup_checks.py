"""Whether a file offered for restore is a backup of this app, checked on a private copy of it.

The file is copied first, and only the copy is checked and used: a file changed between the check and
its use (by another program, or an uploader still writing) cannot slip through. Nothing here touches
the live database.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path
from typing import BinaryIO

from db import migrate
from db.attachments import stored_file_problem
from db.models import USER_ROLES
from db.schema_signature import Schema, expected_schema, open_for_checking, read_schema, schema_differences, shown
from db.validation import Problem

SQLITE_HEADER = b"SQLite format 3\x00"
# A school's record is a few megabytes; a file far beyond this is not one of its backups, and checking
# it would keep the disk and the server busy for minutes. Refused before a byte of it is copied.
MAX_BACKUP_BYTES = 512 * 1024 * 1024
# Far beyond this app's schema (a few dozen objects, none over 2,000 characters of SQL): a file with
# more is not read object by object.
MAX_SCHEMA_OBJECTS = 1_000
MAX_SCHEMA_SQL = 100_000
# The tables every revision of this app has: a file without them is another program's database.
OUR_TABLES = {"organizations", "activities", "activity_organizations"}
# How many accounts or tables a refusal names.
SHOWN = 5


class InvalidBackup(Exception):
    """The file offered for restore is not a usable backup; nothing was changed."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def _too_large() -> InvalidBackup:
    return InvalidBackup([Problem("file", "backup_too_large", {"limit": MAX_BACKUP_BYTES // (1024 * 1024)})])


def _write_ahead_log(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def copy_offered(path: Path, folder: Path) -> Path:
    """A private copy of the offered file (and of its -wal beside it) in `folder`; or InvalidBackup.

    Each file's size is taken from the open file itself, so that what is measured is what is read, and
    the copy stops at the limit: a file that grows meanwhile (or never ends, like a device) is refused
    rather than filling the disk. An OSError while writing the copy (a full disk) is left to the caller.
    """
    copy = folder / "offered.db"
    pairs = [(path, copy)]
    if _write_ahead_log(path).is_file():
        # A copy of a database in WAL mode taken with its -wal beside it: SQLite reads the two together.
        pairs.append((_write_ahead_log(path), _write_ahead_log(copy)))
    room = MAX_BACKUP_BYTES
    for source, target in pairs:
        try:
            reading = source.open("rb")
        except OSError as error:
            raise InvalidBackup([Problem("file", "backup_unreadable")]) from error
        with reading, target.open("xb") as writing:
            status = os.fstat(reading.fileno())
            if not stat.S_ISREG(status.st_mode):
                raise InvalidBackup([Problem("file", "backup_unreadable")])
            if status.st_size > room:
                raise _too_large()
            room -= _copy_at_most(reading, writing, room)
    return copy


def _copy_at_most(reading: BinaryIO, writing: BinaryIO, room: int) -> int:
    copied = 0
    while True:
        try:
            chunk = reading.read(1024 * 1024)
        except OSError as error:
            raise InvalidBackup([Problem("file", "backup_unreadable")]) from error
        if not chunk:
            return copied
        copied += len(chunk)
        if copied > room:
            raise _too_large()
        writing.write(chunk)


def _header_problems(copy: Path) -> list[Problem]:
    """The file's first 100 bytes: SQLite's, with a page size SQLite makes and a size within the limit."""
    with copy.open("rb") as file:
        header = file.read(100)
    if not header.startswith(SQLITE_HEADER):
        return [Problem("file", "backup_not_sqlite")]
    if len(header) < 100:
        return [Problem("file", "backup_damaged")]
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return [Problem("file", "backup_damaged")]
    # The page count the header declares: SQLite trusts it when it is valid (its "version-valid-for"
    # equals the change counter, https://sqlite.org/fileformat.html#in_header_database_size), so a
    # small file that claims terabytes is refused here rather than read.
    declared_valid = header[92:96] == header[24:28]
    if declared_valid and int.from_bytes(header[28:32], "big") * page_size > MAX_BACKUP_BYTES:
        return _too_large().problems
    return []


def check_copy(copy: Path) -> tuple[str | None, list[Problem]]:
    """The copy's revision and what makes it unusable (nothing, if it is a sound backup of a known revision)."""
    problems = _header_problems(copy)
    if problems:
        return None, problems
    try:
        connection = open_for_checking(copy)
        try:
            return _check_database(connection)
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return None, [Problem("file", "backup_damaged")]


def _check_database(connection: sqlite3.Connection) -> tuple[str | None, list[Problem]]:
    objects, longest = connection.execute("SELECT count(*), max(length(sql)) FROM sqlite_master").fetchone()
    if objects > MAX_SCHEMA_OBJECTS or (longest or 0) > MAX_SCHEMA_SQL:
        # Not read object by object: a schema this size is nobody's backup of this app.
        return None, [Problem("file", "backup_not_ours")]
    found = read_schema(connection)
    revision = _revision(connection, found)
    if revision not in migrate.known_revisions():
        has_ours = OUR_TABLES <= {name for kind, name in found if kind == "table"}
        if revision is None or not has_ours:
            return revision, [Problem("file", "backup_not_ours")]
        return revision, [Problem("file", "backup_newer", {"value": shown(revision)})]
    differences = schema_differences(expected_schema(revision), found)
    if differences:
        return revision, [Problem("file", "backup_not_as_made", {"value": revision}), *differences]
    # Before the integrity check: its message for a role outside the CHECK constraint says only "damaged".
    problems = _role_problems(connection, found)
    if problems:
        return revision, problems
    if connection.execute("PRAGMA integrity_check").fetchone() != ("ok",):
        return revision, [Problem("file", "backup_damaged")]
    problems = _value_problems(connection, found)
    if problems:
        return revision, problems[:SHOWN]
    problems = _attachment_problems(connection, found)
    if problems:
        return revision, problems[:SHOWN]
    broken = sorted({row[0] for row in connection.execute("PRAGMA foreign_key_check")})
    if broken:
        return revision, [Problem("file", "backup_broken_references", {"table": table}) for table in broken[:SHOWN]]
    return revision, []


def _revision(connection: sqlite3.Connection, found: Schema) -> str | None:
    """The one revision in alembic_version, read only if that is a plain table (a view could compute anything)."""
    if ("table", "alembic_version") not in found:
        return None
    rows = connection.execute("SELECT version_num FROM alembic_version LIMIT 2").fetchall()
    if len(rows) != 1 or not isinstance(rows[0][0], str):
        return None
    return str(rows[0][0])


def _attachment_problems(connection: sqlite3.Connection, found: Schema) -> list[Problem]:
    """Attachments whose bytes are not the ones their SHA-256 records, or not what this app stores
    (db.attachments.stored_file_problem): one row at a time, so a file of many photos is never read whole."""
    if ("table", "attachments") not in found:
        return []  # a backup from before migration 0013
    problems = []
    rows = connection.execute("SELECT id, kind, media_type, data, thumbnail, sha256, byte_size FROM attachments")
    for attachment_id, kind, media_type, data, thumbnail, sha256, byte_size in rows:
        code = stored_file_problem(
            kind=kind, media_type=media_type, data=data, thumbnail=thumbnail, sha256=sha256, byte_size=byte_size
        )
        if code is not None:
            problems.append(Problem("file", code, {"value": shown(attachment_id)}))
            if len(problems) >= SHOWN:
                break
    return problems


def _role_problems(connection: sqlite3.Connection, found: Schema) -> list[Problem]:
    """Accounts whose role this app does not know: a role decides who may change the record."""
    if ("table", "users") not in found:
        return []
    known = ", ".join("?" for _ in USER_ROLES)
    rows = connection.execute(
        f"SELECT login, role FROM users WHERE role IS NULL OR typeof(role) != 'text' OR role NOT IN ({known})"
        f" ORDER BY login LIMIT {SHOWN}",
        USER_ROLES,
    ).fetchall()
    return [
        Problem("file", "backup_unknown_role", {"login": shown(login), "value": shown(role)}) for login, role in rows
    ]


# What a value of a declared type must be for the app to read it back. SQLite stores any value in any
# column, and a title kept as a BLOB or a date as "soon" would pass every constraint and then stop
# every page that shows it. SQLAlchemy keeps dates and times as ISO text, booleans as 0 and 1.
_SOUND_VALUE = (
    ("datetime", "typeof({c}) = 'text' AND datetime({c}) IS NOT NULL"),
    ("date", "typeof({c}) = 'text' AND {c} = date({c})"),
    ("bool", "typeof({c}) = 'integer' AND {c} IN (0, 1)"),
    ("int", "typeof({c}) = 'integer'"),
    ("char", "typeof({c}) = 'text'"),
    ("text", "typeof({c}) = 'text'"),
    ("clob", "typeof({c}) = 'text'"),
    ("numeric", "typeof({c}) IN ('integer', 'real')"),  # an outcome's value and target (migration 0012)
    ("blob", "typeof({c}) = 'blob'"),  # an attachment's bytes (migration 0013)
)


def _value_problems(connection: sqlite3.Connection, found: Schema) -> list[Problem]:
    """Columns holding a value of another kind than their declared type (NULL aside: NOT NULL is SQLite's)."""
    problems = []
    for kind, table in sorted(found):
        if kind != "table" or table == "alembic_version":
            continue
        checks = {}
        for _, column, declared, *_ in connection.execute("SELECT * FROM pragma_table_info(?)", (table,)):
            sound = next((rule for word, rule in _SOUND_VALUE if word in declared.lower()), None)
            if sound is not None:
                # The names come from a schema that matched this app's own exactly: they are ours, not the file's.
                quoted = '"' + column.replace('"', '""') + '"'
                checks[column] = f"max({quoted} IS NOT NULL AND NOT coalesce({sound.format(c=quoted)}, 0))"
        if not checks:
            continue
        # One pass over the table for all its columns.
        wrong = connection.execute(f'SELECT {", ".join(checks.values())} FROM "{table}"').fetchone()
        problems += [
            Problem("file", "backup_bad_values", {"table": table, "column": column})
            for column, is_wrong in zip(checks, wrong, strict=True)
            if is_wrong
        ]
    return problems
