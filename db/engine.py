"""Where the database is and how to connect to it."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_PATH = PROJECT_ROOT / "data" / "partnerships.db"


def database_url() -> str:
    """`DATABASE_URL` if set, else the SQLite file under `data/`."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_DATABASE_PATH}"


def get_engine(url: str | None = None) -> Engine:
    """An engine for `url` (default `database_url()`); SQLite files are created with their folder."""
    url = url or database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 15})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def get_write_engine(url: str | None = None) -> Engine:
    """Like `get_engine`, but every SQLite transaction starts with BEGIN IMMEDIATE.

    With SQLite's default deferred transactions, two editors who read and then write
    collide with "database is locked" (and check-then-insert can duplicate); taking the
    write lock at BEGIN makes them wait their turn instead. Reads stay on `get_engine`.
    """
    engine = get_engine(url)
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


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()
