"""Backups of the SQLite database, taken online, and restores that check the file first.

A live SQLite file must not be copied while the app may be writing to it (the copy can
catch half a transaction and miss the WAL); SQLite's backup API copies a consistent
snapshot while the app keeps running.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from db import migrate, rollups
from db.access import Actor, require_network
from db.backup_checks import InvalidBackup as InvalidBackup  # the screens and the command line catch it from here
from db.backup_checks import check_copy, copy_offered
from db.engine import get_engine
from db.validation import Problem
from db.writes import audit


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
    """What makes a file unusable for restore (nothing, for a sound backup of a revision this code knows)."""
    with tempfile.TemporaryDirectory(prefix="restore-check-") as folder:
        try:
            copy = copy_offered(path, Path(folder))
        except InvalidBackup as invalid:
            return invalid.problems
        return check_copy(copy)[1]


def restore(engine: Engine, source: Path, *, actor: Actor, keep_current_in: Path, name: str | None = None) -> Path:
    """Replace the live database with a checked backup; the current one is saved first in `keep_current_in`.

    The file is copied, checked and brought up to this version's schema beside the live database, and
    only then put in place; if anything fails after that, the saved database is put back. Returns where
    the current database was saved. Raises PermissionDenied, InvalidBackup (nothing was changed) or
    RestoreFailed (the database is as it was). `name` is the file's name for the audit log, where the
    screen's upload was saved under another.
    """
    # The whole network's record is replaced: a school's admin may not (db/access.py).
    require_network(actor, "admin")
    live = _database_path(engine)
    _remove_abandoned_workspaces(live.parent)
    try:
        # Beside the live file rather than in /tmp: the same disk, as private as the database itself.
        workspace = tempfile.TemporaryDirectory(prefix=".restore-", dir=live.parent)
    except OSError as error:
        raise RestoreFailed("backup_no_room", {}) from error
    with workspace as folder:
        try:
            copy = _checked_and_upgraded(source, Path(folder))
        except OSError as error:  # writing the private copy: a full disk or a read-only folder
            raise RestoreFailed("backup_no_room", {}) from error
        try:
            saved = backup(engine, _free_name(keep_current_in, f"before-restore-{datetime.now():%Y%m%d-%H%M%S}"))
        except (OSError, sqlite3.Error) as error:
            raise RestoreFailed("backup_not_saved", {}) from error
        _put_in_place(copy, engine, saved=saved, actor=actor, summary=name or source.name)
    return saved


# A restore's own folder older than this was left by a process that was killed (kill -9, a power cut)
# before it could clean up: no restore takes an hour, and a backup's copy is as private as the database.
ABANDONED_AFTER_SECONDS = 3600


def _remove_abandoned_workspaces(folder: Path) -> None:
    """Delete `.restore-*` folders left beside the database by restores that never finished."""
    now = time.time()
    for workspace in folder.glob(".restore-*"):
        try:
            abandoned = now - workspace.stat().st_mtime > ABANDONED_AFTER_SECONDS
            if abandoned and workspace.is_dir() and not workspace.is_symlink():
                shutil.rmtree(workspace, ignore_errors=True)
        except OSError:
            continue  # gone meanwhile, or not ours to read: the restore goes on either way


def _put_in_place(copy: Path, engine: Engine, *, saved: Path, actor: Actor, summary: str) -> None:
    """Write the checked copy over the live database and log it; on any failure, write `saved` back instead."""
    live = _database_path(engine)
    try:
        _fit_page_size(copy, engine)
        _copy_database(copy, live, engine)
        with Session(engine) as session, session.begin():
            audit(session, actor, "restore", "database", None, summary=summary, after={"saved_before": str(saved)})
    except Exception as error:  # a full disk, a lock, anything: the app must not be left worse than before
        try:
            _copy_database(saved, live, engine)
        except Exception:
            raise RestoreFailed("backup_not_put_back", {"saved": str(saved)}) from error
        raise RestoreFailed("backup_restore_failed", {"saved": str(saved)}) from error


def _checked_and_upgraded(source: Path, folder: Path) -> Path:
    """A private copy of `source` that passed every check, at this version's revision; or InvalidBackup."""
    copy = copy_offered(source, folder)
    revision, problems = check_copy(copy)
    if problems:
        raise InvalidBackup(problems)
    copy_engine = get_engine(f"sqlite:///{copy}")
    try:
        # A backup from an earlier version of the app is brought up to this version's schema here,
        # before it replaces anything: data a migration cannot take is a refusal, not a broken app.
        migrate.upgrade(copy_engine)
        # The schema check keeps out foreign triggers, not wrong numbers: a file's rollups are counted
        # again from its records (2-3 s at a million activities), so the charts match its activities,
        # and its search index is built again from their text (db/search.py).
        rollups.rebuild(copy_engine)
    except Exception as error:  # whatever the migration's code makes of odd data
        raise InvalidBackup([Problem("file", "backup_cannot_upgrade", {"value": revision})]) from error
    finally:
        copy_engine.dispose()
    upgraded, problems = check_copy(copy)
    if problems or upgraded != migrate.head_revision():
        raise InvalidBackup([Problem("file", "backup_cannot_upgrade", {"value": revision})])
    return copy


def _free_name(folder: Path, stem: str) -> Path:
    """`folder/stem.db`, or `stem-2.db`, …: two restores in one second must not overwrite the first's copy."""
    candidate, number = folder / f"{stem}.db", 1
    while candidate.exists():
        number += 1
        candidate = folder / f"{stem}-{number}.db"
    return candidate


def _fit_page_size(copy: Path, engine: Engine) -> None:
    """Give the copy the live database's page size: SQLite cannot copy between sizes into a WAL database."""
    with engine.connect() as connection:
        wanted = int(connection.exec_driver_sql("PRAGMA page_size").scalar_one())
    database = sqlite3.connect(copy, isolation_level=None)
    try:
        if database.execute("PRAGMA page_size").fetchone()[0] != wanted:
            database.execute("PRAGMA journal_mode=DELETE")
            database.execute(f"PRAGMA page_size={wanted}")
            database.execute("VACUUM")
    finally:
        database.close()


def _copy_database(source: Path, live: Path, engine: Engine) -> None:
    """Write `source` over the live database through SQLite, in one transaction, with the app's connections closed."""
    engine.dispose()
    offered, target = sqlite3.connect(source), sqlite3.connect(live, timeout=15)
    try:
        offered.backup(target)
    finally:
        target.close()
        offered.close()
    engine.dispose()


class RestoreFailed(Exception):
    """The checked backup could not be put in place; the live database is as it was before."""

    def __init__(self, code: str, values: dict[str, str]) -> None:
        super().__init__(code)
        self.problem = Problem("file", code, values)
