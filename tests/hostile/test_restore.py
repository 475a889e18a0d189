"""Restore files that only look like backups (issue 10): each is refused with its message, the live database
stays byte for byte as it was, and the app still opens afterwards. Good backups, older ones included, still restore.

Every hostile file is built here from a real backup, with the sqlite3 module, the way someone with the
file and a text editor for SQL would change it.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from db import migrate, queries
from db.access import COMMAND_LINE, Actor
from db.accounts import add_user
from db.backup import InvalidBackup, backup, restore
from db.backup_checks import MAX_BACKUP_BYTES
from db.engine import get_engine
from db.queries import record_counts
from i18n import translator
from i18n.problems import describe_problem
from tests import tally
from tests.factories import add_activity, add_partner
from tests.helpers import PASSWORD, open_app, run_db, sign_in
from ui.safe import md

ADMIN = Actor("director", "admin")
BG = translator("bg")


def _sql(*statements: str) -> Callable[[Path], None]:
    """A change made with SQLite itself, foreign keys and CHECK constraints off, as an attacker would."""

    def change(path: Path) -> None:
        connection = sqlite3.connect(path, isolation_level=None)
        try:
            connection.execute("PRAGMA foreign_keys=OFF")
            connection.execute("PRAGMA ignore_check_constraints=ON")
            for statement in statements:
                connection.execute(statement)
        finally:
            connection.close()

    return change


def _only_the_four_tables(path: Path) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA foreign_keys=OFF")
        keep = {"organizations", "activities", "activity_organizations", "alembic_version"}
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            if table not in keep:
                # IF EXISTS: dropping the search index (an FTS5 table) drops the tables it keeps itself in.
                connection.execute(f'DROP TABLE IF EXISTS "{table}"')
    finally:
        connection.close()


def _damaged_page(path: Path) -> None:
    """Garbage over the middle of the page that holds the partners' rows."""
    connection = sqlite3.connect(path)
    try:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'organizations'").fetchone()[0]
    finally:
        connection.close()
    with path.open("r+b") as file:
        file.seek((root - 1) * page_size + 8)
        file.write(b"\xff" * (page_size // 2))


def _another_apps_database(path: Path) -> None:
    path.unlink()
    _sql("CREATE TABLE pupils (id INTEGER PRIMARY KEY, name TEXT)", "INSERT INTO pupils (name) VALUES ('Ива')")(path)


def _zero_bytes(path: Path) -> None:
    path.write_bytes(b"")


def _huge_declared_page_count(path: Path) -> None:
    """A small file whose header claims 2³¹ pages (8 TB at 4 KB a page)."""
    with path.open("r+b") as file:
        file.seek(28)
        file.write((2**31 - 1).to_bytes(4, "big"))


# name: (how the good backup is changed, the problems' codes, the message of the one that matters, in Bulgarian)
HOSTILE: dict[str, tuple[Callable[[Path], None], list[str], str]] = {
    "trigger_on_audit_log": (
        _sql("CREATE TRIGGER wipe AFTER INSERT ON audit_log BEGIN DELETE FROM audit_log; END"),
        ["backup_not_as_made", "backup_extra_trigger"],
        "има тригер „wipe“ към „audit_log“, който таблото не създава",
    ),
    "view_replacing_users": (
        _sql(
            "ALTER TABLE users RENAME TO accounts",
            "CREATE VIEW users AS"
            " SELECT id, login, password_hash, 'admin' AS role, is_active, created_at FROM accounts",
        ),
        # SQLite renames the table's automatic index with it.
        ["backup_not_as_made", "backup_extra_view", "backup_extra_table", "backup_missing_table"]
        + ["backup_extra_index", "backup_missing_index"],
        "има изглед „users“, който таблото не създава",
    ),
    "only_the_four_tables": (
        _only_the_four_tables,
        # The tables' triggers (migration 0008) went with them, and what could act on the data is told first.
        ["backup_not_as_made"] + ["backup_missing_trigger"] * 5 + ["backup_more_differences"],
        "липсва тригерът „data_revision_activity_types_delete“",
    ),
    "extra_table": (
        _sql("CREATE TABLE notes (text TEXT)"),
        ["backup_not_as_made", "backup_extra_table"],
        "има таблица „notes“, която таблото не създава",
    ),
    "table_named_with_a_terminal_escape": (
        _sql('CREATE TABLE "notes\x1b]0;pwned\x07" (text TEXT)'),
        ["backup_not_as_made", "backup_extra_table"],
        "има таблица „notes?]0;pwned?“, която таблото не създава",
    ),
    "extra_index": (
        _sql("CREATE INDEX ix_users_role ON users (role)"),
        ["backup_not_as_made", "backup_extra_index"],
        "има индекс „ix_users_role“ към „users“, който таблото не създава",
    ),
    "missing_index": (
        _sql("DROP INDEX ix_audit_log_at"),
        ["backup_not_as_made", "backup_missing_index"],
        "липсва индексът „ix_audit_log_at“",
    ),
    "column_of_another_type": (
        _sql(
            "PRAGMA writable_schema=ON",
            "UPDATE sqlite_master SET sql = replace(sql, 'participants INTEGER', 'participants TEXT')"
            " WHERE name = 'activities'",
        ),
        ["backup_not_as_made", "backup_changed_table"],
        "таблицата „activities“ е с други колони, типове или ограничения",
    ),
    "superadmin": (
        _sql("UPDATE users SET role = 'superadmin' WHERE login = 'director'"),
        ["backup_unknown_role"],
        "В архива профилът „director“ има непозната роля „superadmin“; нищо не е възстановено.",
    ),
    "foreign_key_violations": (
        _sql("INSERT INTO activity_organizations VALUES (999, 998, 'partner')"),
        ["backup_broken_references"],
        "В архива редове от „activity_organizations“ сочат към записи, които не съществуват; нищо не е възстановено.",
    ),
    "damaged_page": (_damaged_page, ["backup_damaged"], "Архивът е повреден; нищо не е възстановено."),
    "another_apps_database": (
        _another_apps_database,
        ["backup_not_ours"],
        "Файлът е база данни, но не е архив на това табло.",
    ),
    "zero_bytes": (_zero_bytes, ["backup_not_sqlite"], "Файлът не е архив на базата данни (SQLite)."),
    "huge_declared_page_count": (
        _huge_declared_page_count,
        ["backup_too_large"],
        "Файлът е по-голям, отколкото може да бъде архив на таблото (над 512 МБ); нищо не е възстановено.",
    ),
    "future_revision": (
        _sql("UPDATE alembic_version SET version_num = '0099_from_the_future'"),
        ["backup_newer"],
        "Архивът е от по-нова версия на таблото (0099_from_the_future); първо обновете таблото.",
    ),
    "date_that_is_not_a_date": (
        # The rollups' triggers carry the day into the partners' first and last days, each told too.
        _sql("UPDATE activities SET start_date = 'скоро'"),
        ["backup_bad_values"] * 3,
        "В архива колоната „start_date“ на „activities“ съдържа стойности от друг вид, различен от този, който"
        " таблото записва; нищо не е възстановено.",
    ),
    "title_kept_as_bytes": (
        _sql("UPDATE activities SET title = CAST(title AS BLOB)"),
        ["backup_bad_values"],
        "В архива колоната „title“ на „activities“ съдържа стойности от друг вид, различен от този, който"
        " таблото записва; нищо не е възстановено.",
    ),
    "two_thousand_tables": (
        _sql("BEGIN", *(f"CREATE TABLE t{number} (x)" for number in range(2_000)), "COMMIT"),
        ["backup_not_ours"],
        "Файлът е база данни, но не е архив на това табло.",
    ),
    "alembic_version_as_a_view": (
        _sql("DROP TABLE alembic_version", "CREATE VIEW alembic_version AS SELECT '0006' AS version_num"),
        ["backup_not_ours"],
        "Файлът е база данни, но не е архив на това табло.",
    ),
    "two_revisions": (
        _sql("INSERT INTO alembic_version VALUES ('0005')"),
        ["backup_not_ours"],
        "Файлът е база данни, но не е архив на това табло.",
    ),
}


@pytest.fixture(scope="module")
def good_backup(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A backup as the app makes it: a partner, an activity, the director's account, an audit entry."""
    folder = tmp_path_factory.mktemp("good")
    engine = get_engine(f"sqlite:///{folder / 'source.db'}")
    migrate.upgrade(engine)
    partner = add_partner(engine, slug="largo", name="Ларго", short_name="Ларго")
    add_activity(engine, title="Среща", type="meeting", start=date(2024, 1, 5), partners=((partner, "organizer"),))
    add_user(engine=engine, actor=COMMAND_LINE, login="director", password=PASSWORD, role="admin")
    made = backup(engine, folder / "good.db")
    engine.dispose()
    return made


def _hostile(good_backup: Path, folder: Path, name: str) -> Path:
    path = folder / f"{name}.db"
    shutil.copyfile(good_backup, path)
    HOSTILE[name][0](path)
    return path


@pytest.fixture
def live(engine: Engine) -> Engine:
    """The live database: another partner and the director's account, so that a refusal has something to keep."""
    add_partner(engine, slug="adra", name="АДРА", short_name="АДРА")
    add_user(engine=engine, actor=COMMAND_LINE, login="director", password=PASSWORD, role="admin")
    engine.dispose()
    return engine


def _file_bytes(engine: Engine) -> dict[str, bytes]:
    """The live database's files (the -wal too, while there is one), as they are on disk."""
    path = Path(str(engine.url.database))
    return {p.name: p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists()}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_restore_file_is_refused_and_the_live_database_is_untouched(
    live: Engine, good_backup: Path, tmp_path: Path, name: str
) -> None:
    offered = _hostile(good_backup, tmp_path, name)
    before = _file_bytes(live)

    with pytest.raises(InvalidBackup) as refused:
        restore(live, offered, actor=ADMIN, keep_current_in=tmp_path / "safety")

    _, codes, message = HOSTILE[name]
    assert [p.code for p in refused.value.problems] == codes
    assert message in [describe_problem(BG, p) for p in refused.value.problems]
    assert _file_bytes(live) == before
    assert not (tmp_path / "safety").exists()
    assert not list(Path(str(live.url.database)).parent.glob(".restore-*"))  # the private copy is gone
    tally.inputs(1)


def test_a_file_of_several_gigabytes_is_refused_before_it_is_copied(live: Engine, tmp_path: Path) -> None:
    offered = tmp_path / "huge.db"
    with offered.open("wb") as file:  # sparse: takes no room on the disk
        file.write(b"SQLite format 3\x00")
        file.truncate(3 * 1024**3)
    before = _file_bytes(live)
    with pytest.raises(InvalidBackup) as refused:
        restore(live, offered, actor=ADMIN, keep_current_in=tmp_path / "safety")
    assert [p.code for p in refused.value.problems] == ["backup_too_large"]
    assert refused.value.problems[0].values == {"limit": MAX_BACKUP_BYTES // 1024**2}
    assert _file_bytes(live) == before
    tally.inputs(1)


def test_a_device_that_never_ends_is_refused_without_being_read(live: Engine, tmp_path: Path) -> None:
    before = _file_bytes(live)
    with pytest.raises(InvalidBackup) as refused:
        restore(live, Path("/dev/zero"), actor=ADMIN, keep_current_in=tmp_path / "safety")
    assert [p.code for p in refused.value.problems] == ["backup_unreadable"]
    assert _file_bytes(live) == before
    tally.inputs(1)


def _copy_while_writing(path: Path, statement: str) -> None:
    """`path` and its -wal as `cp` takes them while the app runs: `statement` is in the log, not yet in the file."""
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute(statement)
    kept = {p: p.read_bytes() for p in (path, path.with_name(path.name + "-wal"))}
    writer.close()  # checkpoints the log into the file and removes it; the copy taken before is what is offered
    for p, content in kept.items():
        p.write_bytes(content)


def test_a_trigger_hidden_in_the_write_ahead_log_beside_the_file_is_refused(live: Engine, tmp_path: Path) -> None:
    """A copy of a database in WAL mode, taken with its -wal: the main file is clean, the log adds the trigger."""
    offered = tmp_path / "copied.db"
    source = get_engine(f"sqlite:///{offered}")
    migrate.upgrade(source)
    source.dispose()
    _copy_while_writing(offered, "CREATE TRIGGER wipe AFTER INSERT ON audit_log BEGIN DELETE FROM audit_log; END")
    with sqlite3.connect(f"file:{offered}?mode=ro&immutable=1", uri=True) as main_file_alone:
        assert main_file_alone.execute("SELECT count(*) FROM sqlite_master WHERE name = 'wipe'").fetchone() == (0,)
    before = _file_bytes(live)

    with pytest.raises(InvalidBackup) as refused:
        restore(live, offered, actor=ADMIN, keep_current_in=tmp_path / "safety")

    assert [p.code for p in refused.value.problems] == ["backup_not_as_made", "backup_extra_trigger"]
    assert _file_bytes(live) == before
    tally.inputs(1)


def test_after_every_hostile_file_the_command_line_refuses_with_exit_2_and_the_app_still_opens(
    live: Engine, good_backup: Path, database_url: str, tmp_path: Path
) -> None:
    before = _file_bytes(live)
    tried = ("trigger_on_audit_log", "view_replacing_users", "superadmin", "huge_declared_page_count")
    for name in (*tried, "table_named_with_a_terminal_escape"):
        result = run_db(database_url, "restore", str(_hostile(good_backup, tmp_path, name)))
        assert result.returncode == 2, (name, result.stderr)
        assert "Traceback" not in result.stderr
        assert "\x1b" not in result.stderr
        assert HOSTILE[name][2] in result.stderr.splitlines()
        assert result.stdout == ""
    english = run_db(database_url, "--lang", "en", "restore", str(_hostile(good_backup, tmp_path, "extra_index")))
    assert english.returncode == 2
    assert english.stderr.splitlines() == [
        f"The file is not a backup as the dashboard makes it (version {migrate.head_revision()}): it was changed"
        " outside the dashboard. Nothing was restored. Differences:",
        "it has an index “ix_users_role” on “users” that the dashboard does not make",
    ]
    assert _file_bytes(live) == before
    app = open_app()  # no exception
    assert app.title[0].value == "Обзор на партньорствата"
    tally.inputs(len(tried) + 2)


def _upload(app: AppTest, name: str, content: bytes) -> AppTest:
    app.file_uploader(key="restore_file").set_value((name, content, "application/vnd.sqlite3")).run()
    app.checkbox(key="restore_sure").check().run()
    app.button(key="restore_button").click().run()
    return app


def test_the_data_screen_refuses_hostile_files_and_restores_a_good_one(
    live: Engine, good_backup: Path, tmp_path: Path
) -> None:
    app = sign_in(open_app(page="pages/data.py"), "director")
    before = _file_bytes(live)  # with the app's own connections open
    tried = ("trigger_on_audit_log", "view_replacing_users", "only_the_four_tables", "zero_bytes")
    for name in tried:
        _upload(app, f"{name}.db", _hostile(good_backup, tmp_path, name).read_bytes())
        assert not app.exception, name
        (error,) = app.error
        assert md(HOSTILE[name][2]) in error.value, name
        assert _file_bytes(live) == before

    _upload(app, "good.db", good_backup.read_bytes())
    assert not app.exception
    assert [s.value for s in app.success][-1].startswith("Възстановено. Предишната база е запазена като before")
    assert queries.organization_choices(live)["slug"].tolist() == ["largo"]
    assert queries.audit_entries(live)[["actor", "action", "summary"]].to_dict("records")[0] == {
        "actor": "director",
        "action": "restore",
        "summary": "good.db",
    }
    tally.inputs(len(tried))


def test_a_good_backup_from_an_older_revision_is_restored_and_upgraded(live: Engine, tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    old_engine = get_engine(f"sqlite:///{old}")
    migrate.upgrade(old_engine, "0002")
    with old_engine.begin() as connection:
        kind = connection.exec_driver_sql("SELECT id FROM partner_kinds WHERE code = 'association'").scalar_one()
        connection.exec_driver_sql(
            "INSERT INTO organizations (slug, name, name_key, short_name, kind_id, mission, city, website, email,"
            " phone, contact_person, is_active, is_demo, search_text, version)"
            f" VALUES ('largo', 'Ларго', 'ларго', 'Ларго', {kind}, '', 'Кюстендил', '', '', '', '', 1, 0, 'ларго', 1)"
        )
    old_engine.dispose()

    saved = restore(live, old, actor=ADMIN, keep_current_in=tmp_path / "safety")

    assert migrate.current_revision(live) == migrate.head_revision()
    assert queries.organization_choices(live)["slug"].tolist() == ["largo"]
    assert record_counts(live) == {"partners": 1, "activities": 0}
    assert queries.audit_entries(live)["action"].tolist() == ["restore"]
    assert saved.parent == tmp_path / "safety"
    assert open_app().title[0].value == "Обзор на партньорствата"


def test_an_older_backup_with_a_value_its_migrations_would_choke_on_is_refused(live: Engine, tmp_path: Path) -> None:
    """A title kept as bytes at revision 0002: revision 0003's code would fail on it, the check refuses it first."""
    old = tmp_path / "old.db"
    old_engine = get_engine(f"sqlite:///{old}")
    migrate.upgrade(old_engine, "0002")
    with old_engine.begin() as connection:
        meeting = connection.exec_driver_sql("SELECT id FROM activity_types WHERE code = 'meeting'").scalar_one()
        connection.exec_driver_sql(
            "INSERT INTO activities (title, type_id, status, start_date, school_year, location, description,"
            " news_url, is_demo, version) VALUES (CAST(? AS BLOB), ?, 'held', '2024-01-05', 2023, '', '', '', 0, 1)",
            ("Среща", meeting),
        )
    old_engine.dispose()
    before = _file_bytes(live)

    with pytest.raises(InvalidBackup) as refused:
        restore(live, old, actor=ADMIN, keep_current_in=tmp_path / "safety")

    assert [(p.code, p.values) for p in refused.value.problems] == [
        ("backup_bad_values", {"table": "activities", "column": "title"})
    ]
    assert _file_bytes(live) == before
    tally.inputs(1)


def test_a_backup_in_wal_mode_restores_with_what_its_log_holds(live: Engine, tmp_path: Path) -> None:
    offered = tmp_path / "copied.db"
    source = get_engine(f"sqlite:///{offered}")
    migrate.upgrade(source)
    source.dispose()
    _copy_while_writing(offered, "UPDATE partner_kinds SET sort_order = 42 WHERE code = 'association'")

    restore(live, offered, actor=ADMIN, keep_current_in=tmp_path / "safety")

    with live.connect() as connection:
        order = connection.exec_driver_sql("SELECT sort_order FROM partner_kinds WHERE code = 'association'")
        assert order.scalar_one() == 42
    assert migrate.current_revision(live) == migrate.head_revision()


def test_a_backup_with_another_page_size_restores_into_the_live_wal_database(
    live: Engine, good_backup: Path, tmp_path: Path
) -> None:
    offered = tmp_path / "big-pages.db"
    shutil.copyfile(good_backup, offered)
    connection = sqlite3.connect(offered, isolation_level=None)
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.execute("PRAGMA page_size=8192")
    connection.execute("VACUUM")
    connection.close()

    restore(live, offered, actor=ADMIN, keep_current_in=tmp_path / "safety")

    assert queries.organization_choices(live)["slug"].tolist() == ["largo"]
