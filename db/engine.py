"""Where the database is and how to connect to it."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from db.faults import Fault, fault_of

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_PATH = PROJECT_ROOT / "data" / "partnerships.db"
CONNECT_SECONDS = 10


def database_url() -> str:
    """`DATABASE_URL` if set, else the SQLite file under `data/`."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_DATABASE_PATH}"


def get_engine(url: str | None = None) -> Engine:
    """An engine for `url` (default `database_url()`); SQLite files are created with their folder."""
    url = url or database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() == "psycopg":
            # A server that drops packets would otherwise hold a page or a command for the system's TCP
            # timeout (minutes); ten seconds, and it is said to be out of reach (db/faults.py).
            return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_SECONDS})
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        try:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass  # a folder that cannot be made: the first connection says so, as a fault (db/faults.py)
    engine = create_engine(url, connect_args={"timeout": 15})
    event.listen(engine, "do_connect", _connect_sqlite)
    event.listen(engine, "checkin", _retry_read_only)
    return engine


def get_write_engine(url: str | None = None, *, before_begin: Callable[[Any], None] | None = None) -> Engine:
    """Like `get_engine`, but every SQLite transaction starts with BEGIN IMMEDIATE.

    With SQLite's default deferred transactions, two editors who read and then write
    collide with "database is locked" (and check-then-insert can duplicate); taking the
    write lock at BEGIN makes them wait their turn instead. Reads stay on `get_engine`.
    `before_begin(connection)` runs before each transaction begins, ahead of the wait for the lock.
    """
    engine = get_engine(url)
    if before_begin is not None:
        event.listen(engine, "begin", before_begin)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _no_implicit_begin)
        event.listen(engine, "begin", _begin_immediate)
    return engine


def _no_implicit_begin(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # pysqlite would otherwise open its own deferred transaction; see SQLAlchemy's
    # "Serializable isolation / Savepoints / Transactional DDL" notes for pysqlite.
    dbapi_connection.isolation_level = None


def _begin_immediate(connection) -> None:  # type: ignore[no-untyped-def]
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _connect_sqlite(dialect, record, cargs, cparams):  # type: ignore[no-untyped-def]
    """A connection with the app's pragmas; a database that can only be read is opened read-only.

    A WAL database needs its -shm file, which a read-only folder or file system cannot hold: every
    ordinary open, reads included, then fails ("unable to open database file"). SQLite reads such a
    file when opened with `mode=ro` if the -shm exists, and with `immutable=1` if it cannot exist
    either; see https://www.sqlite.org/wal.html#readonly. Immutable means no locks and no WAL, which
    is sound only where nobody can write, and that is exactly when it is reached. Writes on these
    connections fail as SQLite's "readonly", which db/faults.py names.
    """
    connection = dialect.loaded_dbapi.connect(*cargs, **cparams)
    try:
        _sqlite_pragmas(connection, wal=True)
        return connection
    except sqlite3.OperationalError as error:
        connection.close()
        path = Path(cargs[0]) if cargs and not cparams.get("uri") else None
        if fault_of(error) not in (Fault.READ_ONLY, Fault.CANNOT_OPEN) or path is None or not path.is_file():
            raise
        failure = error
    options = {name: value for name, value in cparams.items() if name != "uri"}
    for mode in ("mode=ro", "mode=ro&immutable=1"):
        connection = dialect.loaded_dbapi.connect(f"file:{quote(str(path.resolve()))}?{mode}", uri=True, **options)
        try:
            _sqlite_pragmas(connection, wal=False)
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
            record.info[_READ_ONLY] = True
            return connection
        except sqlite3.OperationalError:
            connection.close()
    raise failure


_READ_ONLY = "opened_read_only"


def _retry_read_only(_dbapi_connection, record) -> None:  # type: ignore[no-untyped-def]
    # A read-only connection is not kept: the next checkout tries read-write again, so that the app
    # can write as soon as the disk is writable again, without a restart.
    if record.info.pop(_READ_ONLY, False):
        record.invalidate()


def _sqlite_pragmas(connection: Any, *, wal: bool) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    if wal:
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()
