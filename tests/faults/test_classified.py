"""Real errors from SQLite and the system named as faults (db/faults.py), and errors of the code left alone."""

from __future__ import annotations

import errno
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError, OperationalError

from db.engine import get_write_engine
from db.faults import Fault, database_place, fault_of
from tests import tally


def test_a_write_held_by_another_is_busy_and_a_broken_rule_is_no_fault(engine: Engine, tmp_path: Path) -> None:
    database = Path(str(engine.url.database))
    with closing(sqlite3.connect(database, isolation_level=None)) as holder:
        holder.execute("BEGIN IMMEDIATE")
        with closing(sqlite3.connect(database, timeout=0)) as other, pytest.raises(sqlite3.OperationalError) as busy:
            other.execute("BEGIN IMMEDIATE")
        holder.execute("ROLLBACK")
    assert fault_of(busy.value) is Fault.BUSY
    writer = get_write_engine(str(engine.url))
    with pytest.raises(IntegrityError) as broken, writer.begin() as connection:
        connection.execute(text("INSERT INTO activity_types (code, sort_order) VALUES ('meeting', 1)"))
    assert fault_of(broken.value) is None
    writer.dispose()
    tally.faults(1)


def test_a_read_only_connection_and_a_missing_folder_are_named(engine: Engine, tmp_path: Path) -> None:
    database = Path(str(engine.url.database))
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as reader:
        with pytest.raises(sqlite3.OperationalError) as read_only:
            reader.execute("DELETE FROM audit_log")
    assert fault_of(read_only.value) is Fault.READ_ONLY
    with pytest.raises(sqlite3.OperationalError) as missing:
        sqlite3.connect(tmp_path / "no such folder" / "partnerships.db")
    assert fault_of(missing.value) is Fault.CANNOT_OPEN
    # As SQLAlchemy raises it, with the driver's error as its cause.
    wrapped = OperationalError("SELECT 1", {}, missing.value)
    assert fault_of(wrapped) is Fault.CANNOT_OPEN
    tally.faults(2)


@pytest.mark.parametrize(
    ("number", "fault"), [(errno.ENOSPC, Fault.DISK_FULL), (errno.EROFS, Fault.READ_ONLY), (errno.EACCES, None)]
)
def test_the_systems_own_errors(number: int, fault: Fault | None) -> None:
    assert fault_of(OSError(number, "x")) is fault


def test_a_place_never_shows_a_password() -> None:
    assert database_place("postgresql+psycopg://ci:secret@db.school.bg:5433/partners") == "db.school.bg:5433/partners"
    assert database_place("sqlite:////srv/data/partnerships.db") == "/srv/data/partnerships.db"
