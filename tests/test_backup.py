"""Online backups, and restores that check the file before they touch the record."""

import os
import sqlite3
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from db import migrate, queries
from db.access import Actor, PermissionDenied
from db.backup import InvalidBackup, RestoreFailed, backup, check_backup, restore
from db.engine import get_engine
from db.queries import record_counts
from tests import tally
from tests.factories import add_activity, add_partner
from tests.helpers import open_app, run_db

ADMIN = Actor("director", "admin")


def test_a_backup_is_a_consistent_copy_taken_while_the_app_runs(demo_engine: Engine, tmp_path: Path) -> None:
    with demo_engine.connect():  # the app holds a connection open
        saved = backup(demo_engine, tmp_path / "backups" / "copy.db")
    assert check_backup(saved) == []
    copy = sqlite3.connect(saved)
    try:
        assert copy.execute("SELECT count(*) FROM activities").fetchone()[0] == record_counts(demo_engine)["activities"]
    finally:
        copy.close()


def test_restore_brings_back_the_backup_and_keeps_the_current_database(engine: Engine, tmp_path: Path) -> None:
    partner = add_partner(engine, slug="largo", name="Ларго", short_name="Ларго")
    add_activity(engine, title="Среща", type="meeting", start=date(2024, 1, 5), partners=((partner, "organizer"),))
    saved = backup(engine, tmp_path / "monday.db")
    add_partner(engine, slug="adra", name="АДРА", short_name="АДРА")  # a change after the backup

    kept = restore(engine, saved, actor=ADMIN, keep_current_in=tmp_path / "safety")

    assert queries.organization_choices(engine)["slug"].tolist() == ["largo"]
    assert record_counts(engine) == {"partners": 1, "activities": 1}
    assert check_backup(kept) == []  # the database as it was before the restore
    entries = queries.audit_entries(engine)
    assert entries[["actor", "action", "entity", "summary"]].to_dict("records")[0] == {
        "actor": "director",
        "action": "restore",
        "entity": "database",
        "summary": "monday.db",
    }


def test_a_restore_clears_what_a_killed_restore_left_beside_the_database(engine: Engine, tmp_path: Path) -> None:
    """kill -9 in the middle of a restore leaves its private folder (a copy of a backup) beside the database."""
    add_partner(engine, slug="largo", name="Ларго", short_name="Ларго")
    saved = backup(engine, tmp_path / "monday.db")
    live_folder = Path(str(engine.url.database)).parent
    left = live_folder / ".restore-k1ll3d"
    left.mkdir()
    (left / "copy.db").write_bytes(saved.read_bytes())
    two_hours_ago = time.time() - 7200
    os.utime(left, (two_hours_ago, two_hours_ago))
    running = live_folder / ".restore-running"  # another restore's, a moment old: not touched
    running.mkdir()

    restore(engine, saved, actor=ADMIN, keep_current_in=tmp_path / "safety")

    assert not left.exists()
    assert running.exists()
    assert queries.organization_choices(engine)["slug"].tolist() == ["largo"]


def test_only_an_admin_restores(engine: Engine, tmp_path: Path) -> None:
    saved = backup(engine, tmp_path / "copy.db")
    with pytest.raises(PermissionDenied):
        restore(engine, saved, actor=Actor("maria", "editor"), keep_current_in=tmp_path)


def _make(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("photo.db", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "backup_not_sqlite"),
        ("empty.db", b"", "backup_not_sqlite"),
        ("cut.db", b"SQLite format 3\x00" + b"\x00" * 50, "backup_damaged"),
    ],
)
def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(
    demo_engine: Engine, tmp_path: Path, name: str, content: bytes, code: str
) -> None:
    before = record_counts(demo_engine)
    with pytest.raises(InvalidBackup) as raised:
        restore(demo_engine, _make(tmp_path / name, content), actor=ADMIN, keep_current_in=tmp_path / "safety")
    assert [p.code for p in raised.value.problems] == [code]
    assert record_counts(demo_engine) == before
    assert not (tmp_path / "safety").exists()


def test_another_apps_database_is_refused(demo_engine: Engine, tmp_path: Path) -> None:
    other = sqlite3.connect(tmp_path / "other.db")
    other.execute("CREATE TABLE pupils (name TEXT)")
    other.commit()
    other.close()
    assert [p.code for p in check_backup(tmp_path / "other.db")] == ["backup_not_ours"]


def test_a_backup_from_a_newer_version_is_refused(engine: Engine, tmp_path: Path) -> None:
    saved = backup(engine, tmp_path / "future.db")
    future = sqlite3.connect(saved)
    future.execute("UPDATE alembic_version SET version_num = '9999'")
    future.commit()
    future.close()
    assert [(p.code, p.values) for p in check_backup(saved)] == [("backup_newer", {"value": "9999"})]


def test_a_backup_from_an_older_version_is_upgraded_on_restore(engine: Engine, tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    old_engine = get_engine(f"sqlite:///{old}")
    migrate.upgrade(old_engine, "0002")
    old_engine.dispose()
    restore(engine, old, actor=ADMIN, keep_current_in=tmp_path / "safety")
    assert migrate.current_revision(engine) == migrate.head_revision()


def test_the_audit_log_filters(engine: Engine) -> None:
    from db.engine import get_write_engine
    from db.writes import create_partner

    writer = get_write_engine(str(engine.url))
    create_partner(engine=writer, actor=Actor("maria", "editor"), data={"name": "Ларго", "kind": "association"})
    create_partner(engine=writer, actor=Actor("ivan", "editor"), data={"name": "АДРА", "kind": "foundation"})
    assert queries.audit_actors(engine) == ["ivan", "maria"]
    assert queries.audit_entries(engine, actor="maria")["summary"].tolist() == ["Ларго"]
    assert queries.audit_entries(engine, entity="activity").empty


def test_backup_and_restore_from_the_command_line(database_url: str, demo_engine: Engine, tmp_path: Path) -> None:
    copy = tmp_path / "friday.db"
    made = run_db(database_url, "backup", str(copy))
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == f"Архивът е записан в {copy}."
    assert check_backup(copy) == []

    refused = run_db(database_url, "restore", str(_make(tmp_path / "photo.db", b"\x89PNG\r\n")))
    assert refused.returncode == 2
    assert refused.stderr.strip() == "Файлът не е архив на базата данни (SQLite)."

    restored = run_db(database_url, "--lang", "en", "restore", str(copy))
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith("Restored. The previous database was saved as ")
    assert record_counts(demo_engine)["partners"] == 8


def _rows(engine: Engine) -> list[str]:
    """The whole database as SQL, row by row: what a restore that failed must leave as it was."""
    engine.dispose()
    connection = sqlite3.connect(str(engine.url.database))
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def test_a_failure_after_the_backup_was_put_in_place_puts_the_current_database_back(
    demo_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    offered = backup(demo_engine, tmp_path / "offered.db")
    add_partner(demo_engine, slug="new-partner", name="Нов партньор", short_name="Нов")  # what the restore would undo
    before = _rows(demo_engine)

    def full_disk(*_args: object, **_kwargs: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr("db.backup.audit", full_disk)  # the last step, after the file was written over
    with pytest.raises(RestoreFailed) as failed:
        restore(demo_engine, offered, actor=ADMIN, keep_current_in=tmp_path / "safety")

    assert failed.value.problem.code == "backup_restore_failed"
    assert _rows(demo_engine) == before
    assert open_app().title[0].value == "Обзор на партньорствата"
    tally.faults(1)


def test_an_upgrade_that_fails_in_the_temporary_place_changes_nothing(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = tmp_path / "old.db"
    old_engine = get_engine(f"sqlite:///{old}")
    migrate.upgrade(old_engine, "0002")
    old_engine.dispose()
    assert check_backup(old) == []  # the expected schemas are read before the upgrade starts failing
    before = _rows(engine)
    upgrade = migrate.upgrade

    def failing_on_the_copy(target: Engine, revision: str = "head") -> None:
        if str(target.url).endswith("offered.db"):
            raise RuntimeError("a migration's code met a value it did not expect")
        upgrade(target, revision)

    monkeypatch.setattr(migrate, "upgrade", failing_on_the_copy)
    with pytest.raises(InvalidBackup) as refused:
        restore(engine, old, actor=ADMIN, keep_current_in=tmp_path / "safety")

    assert [(p.code, p.values) for p in refused.value.problems] == [("backup_cannot_upgrade", {"value": "0002"})]
    assert _rows(engine) == before
    assert not (tmp_path / "safety").exists()
    tally.faults(1)


def test_a_restore_that_cannot_keep_the_current_database_first_changes_nothing(
    database_url: str, demo_engine: Engine, tmp_path: Path
) -> None:
    copy = backup(demo_engine, tmp_path / "copy.db")
    add_partner(demo_engine, slug="new-partner", name="Нов партньор", short_name="Нов")
    (tmp_path / "backups").write_text("a file where the folder for the saved database should be")
    before = _rows(demo_engine)

    result = run_db(database_url, "restore", str(copy))

    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Текущата база не можа да бъде запазена преди възстановяването (пълен диск или папка само за четене?);"
        " нищо не е възстановено."
    ]
    assert _rows(demo_engine) == before
    tally.faults(1)
