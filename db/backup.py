"""Backups of the SQLite database, taken online, and restores that check the file first.

A live SQLite file must not be copied while the app may be writing to it (the copy can
catch half a transaction and miss the WAL); SQLite's backup API copies a consistent
snapshot while the app keeps running.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from db import migrate
from db.access import Actor, require
from db.validation import Problem
from db.writes import audit

SQLITE_HEADER = b"SQLite format 3\x00"
REQUIRED_TABLES = {"organizations", "activities", "activity_organizations", "alembic_version"}


class NotSQLite(Exception):
    """Backups and restores here are for SQLite; PostgreSQL has pg_dump and pg_restore."""


def _database_path(engine: Engine) -> Path:
    url = make_url(str(engine.url))
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise NotSQLite
    return Path(url.database)


def safety_folder(engine: Engine) -> Path:
    """Where the database is kept before a restore replaces it: `backups/` beside the database file."""
    return _database_path(engine).parent / "backups"


def backup(engine: Engine, target: Path) -> Path:
    """Write a consistent copy of the live database to `target` (replaced if it exists)."""
    _database_path(engine)  # SQLite only
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    # Through the engine's own connection: it can read a database that only opens read-only (db/engine.py).
    live, copy = engine.raw_connection(), sqlite3.connect(partial)
    try:
        live.driver_connection.backup(copy)  # type: ignore[union-attr]
    finally:
        copy.close()
        live.close()
    partial.replace(target)
    return target


def check_backup(path: Path) -> list[Problem]:
    """What is wrong with a file offered for restore: not SQLite, damaged, not ours, or newer than this code."""
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except OSError:
        return [Problem("file", "backup_unreadable")]
    if header != SQLITE_HEADER:
        return [Problem("file", "backup_not_sqlite")]
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if connection.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                return [Problem("file", "backup_damaged")]
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not REQUIRED_TABLES <= tables:
                return [Problem("file", "backup_not_ours")]
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return [Problem("file", "backup_damaged")]
    if revision is None or revision[0] not in migrate.known_revisions():
        return [Problem("file", "backup_newer", {"value": revision[0] if revision else "?"})]
    return []


def restore(engine: Engine, source: Path, *, actor: Actor, keep_current_in: Path) -> Path:
    """Replace the live database with a checked backup; the current one is saved first in `keep_current_in`.

    Returns where the current database was saved. Raises PermissionDenied, or ValueError with the problems.
    """
    require(actor, "admin")
    problems = check_backup(source)
    if problems:
        raise InvalidBackup(problems)
    live = _database_path(engine)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    saved = backup(engine, keep_current_in / f"before-restore-{stamp}.db")
    engine.dispose()
    offered, target = sqlite3.connect(source), sqlite3.connect(live)
    try:
        offered.backup(target)
    finally:
        target.close()
        offered.close()
    engine.dispose()
    # A backup from an earlier version of the app is brought up to this version's schema.
    migrate.upgrade(engine)
    with Session(engine) as session, session.begin():
        audit(session, actor, "restore", "database", None, summary=source.name, after={"saved_before": str(saved)})
    return saved


class InvalidBackup(Exception):
    """The file offered for restore is not a usable backup; nothing was changed."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems
