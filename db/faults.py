"""A bad day named: the database's disk is full, its file is read-only, its server cannot be reached.

`fault_of(error)` reads an exception raised by a read or a write (SQLAlchemy's wrapper, or the
driver's own error from a backup) and returns a `Fault` code, or None for anything else, which
stays an error of the code. The words for each code live above db/ (`fault.<code>` in the catalogs);
the command line gives each its own exit code.

Nothing is lost on a fault: every write is one transaction, and SQLite or PostgreSQL roll back
whatever a failed one had begun.
"""

from __future__ import annotations

import errno
import sqlite3
from enum import StrEnum

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError


class Fault(StrEnum):
    DISK_FULL = "disk_full"
    DISK_ERROR = "disk_error"
    READ_ONLY = "read_only"
    CANNOT_OPEN = "cannot_open"
    UNREACHABLE = "unreachable"
    BUSY = "busy"


# SQLite's primary result codes (https://www.sqlite.org/rescode.html); an extended code keeps its
# primary code in the low byte.
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
# The -shm file could not be grown: on Linux that is ENOSPC, a disk so full that even reads stop.
_SQLITE_IOERR_SHMSIZE = 4874

_SQLITE_FAULTS = {
    _SQLITE_FULL: Fault.DISK_FULL,
    _SQLITE_READONLY: Fault.READ_ONLY,
    _SQLITE_CANTOPEN: Fault.CANNOT_OPEN,
    _SQLITE_IOERR: Fault.DISK_ERROR,
    _SQLITE_BUSY: Fault.BUSY,
    _SQLITE_LOCKED: Fault.BUSY,
}
# PostgreSQL's SQLSTATE codes (https://www.postgresql.org/docs/current/errcodes-appendix.html).
_POSTGRESQL_FAULTS = {
    "53100": Fault.DISK_FULL,  # disk_full
    "25006": Fault.READ_ONLY,  # read_only_sql_transaction (a standby, or default_transaction_read_only)
    "57P03": Fault.UNREACHABLE,  # cannot_connect_now (starting up, shutting down)
    "53300": Fault.UNREACHABLE,  # too_many_connections
    "55P03": Fault.BUSY,  # lock_not_available
}
_OS_FAULTS = {errno.ENOSPC: Fault.DISK_FULL, errno.EDQUOT: Fault.DISK_FULL, errno.EROFS: Fault.READ_ONLY}


def fault_of(error: BaseException) -> Fault | None:
    """The fault behind `error` (or behind what caused it), or None if it is not one of these."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        found = _direct_fault(current)
        if found is not None:
            return found
        current = current.orig if isinstance(current, DBAPIError) else (current.__cause__ or current.__context__)
    return None


def _direct_fault(error: BaseException) -> Fault | None:
    if isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", None)
        if code == _SQLITE_IOERR_SHMSIZE:
            return Fault.DISK_FULL
        return None if code is None else _SQLITE_FAULTS.get(code & 0xFF)
    if type(error).__module__.startswith("psycopg"):
        sqlstate = getattr(error, "sqlstate", None)
        if sqlstate is None and type(error).__name__ == "OperationalError":
            # No answer from a server at all: refused, timed out, no such host.
            return Fault.UNREACHABLE
        return _POSTGRESQL_FAULTS.get(sqlstate or "")
    if isinstance(error, OSError):
        return _OS_FAULTS.get(error.errno or 0)
    return None


def database_place(url: str) -> str:
    """Where the database is, for a message: the SQLite file, or the server and database (no password)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    server = f"{parsed.host or 'localhost'}:{parsed.port}" if parsed.port else (parsed.host or "localhost")
    return f"{server}/{parsed.database or ''}"
