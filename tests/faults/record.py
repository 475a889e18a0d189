"""What the fault tests share: a database file checked whole, a large import file, and a small disk of its own.

Every fault ends with `assert_whole`: SQLite's integrity check, the foreign-key check, the rollups exact,
and the rows of every table counted, so that a test can compare them with what was committed before the fault.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from db import migrate
from db.demo import load_demo
from db.engine import get_engine
from db.rollups import ROLLUPS, differences
from db.search import INDEX_TABLES
from tests.helpers import DEMO_TODAY

# "Ларго" is a demo partner's short name; an imported activity names it in each row.
PARTNER = "Ларго"


def make_demo_database(path: Path) -> str:
    """The demo data in a new SQLite file at `path`, every connection closed; returns its URL."""
    url = f"sqlite:///{path}"
    engine = get_engine(url)
    try:
        migrate.upgrade(engine)
        load_demo(engine, today=DEMO_TODAY)
        with engine.connect() as connection:
            # Everything into the main file and the WAL emptied: a copy or a read-only mount sees it all.
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
    return url


def activities_file(path: Path, count: int, *, title: str = "Среща с родители") -> Path:
    """A CSV of `count` new activities, each with the partner PARTNER and a paragraph of description."""
    first = date(2001, 9, 15)
    lines = ["дата;заглавие;вид;организации;роля;описание"]
    lines += [
        f"{(first + timedelta(days=day)).strftime('%d.%m.%Y')};{title} № {day + 1};среща;{PARTNER};партньор;"
        + "Разговор за посещаемостта и за подкрепата в часовете след училище. " * 4
        for day in range(count)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def added_by_import(count: int) -> dict[str, int]:
    """What an import of `count` activities (one partner each) adds: each with its link and its audit entry."""
    return {"activities": count, "activity_organizations": count, "audit_log": count}


def row_counts(path: Path) -> dict[str, int]:
    """The number of rows in every table of the database at `path`, read without writing anything."""
    with closing(_read_only(path)) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        # The rollups are counted from the records, not written by a test: `assert_whole` checks them exact.
        # The search index's tables hold the activities' text in FTS5's own shape (tests/test_search.py).
        tables = [table for table in tables if table not in ROLLUPS and table not in INDEX_TABLES]
        return {table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}


def plus(counts: dict[str, int], added: dict[str, int]) -> dict[str, int]:
    return {table: number + added.get(table, 0) for table, number in counts.items()}


def assert_whole(path: Path) -> dict[str, int]:
    """The database at `path` passes the integrity and foreign-key checks; returns its row counts."""
    with closing(_read_only(path)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    reader = create_engine("sqlite://", creator=lambda: _read_only(path))
    try:
        assert list(differences(reader)) == []
    finally:
        reader.dispose()
    return row_counts(path)


def _read_only(path: Path) -> sqlite3.Connection:
    # mode=ro where the -shm can be made; immutable where the disk is read-only (nothing can write then).
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return connection
    except sqlite3.OperationalError:
        connection.close()
        return sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)


# --- a small disk of the test's own ----------------------------------------------------------------


@contextmanager
def small_disk(folder: Path, megabytes: int) -> Iterator[Path]:
    """A tmpfs of `megabytes` mounted at `folder`, unmounted after; the test is skipped where it cannot be."""
    if os.geteuid() != 0:
        pytest.skip("not root: this machine will not mount a tmpfs for the test, so the fault is not injected")
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m,mode=0755", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"mount -t tmpfs is not allowed here ({mounted.stderr.strip()}), so the fault is not injected")
    try:
        yield folder
    finally:
        # Lazy: a connection the app's cache still holds must not leave the mount behind.
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def make_read_only(folder: Path) -> None:
    """Remount the tmpfs at `folder` read-only: the file, its folder and its -shm all refused, even to root."""
    remounted = subprocess.run(["mount", "-o", "remount,ro", str(folder)], capture_output=True, text=True)
    if remounted.returncode != 0:
        pytest.skip(f"cannot remount a tmpfs read-only here ({remounted.stderr.strip()})")


def fill(folder: Path) -> Path:
    """Fill the disk at `folder` with one file, to its last byte; returns the file."""
    filler = folder / "filler"
    chunk = b"\0" * (1024 * 1024)
    with filler.open("ab", buffering=0) as file:
        try:
            while True:
                while file.write(chunk) == len(chunk):  # a short write: the disk is all but full
                    pass
                chunk = chunk[: len(chunk) // 2] or b"\0"
        except OSError:  # ENOSPC: nothing more fits
            pass
    return filler
