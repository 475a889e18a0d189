"""A read-only database (a WAL file on a disk remounted read-only): everything reads, every write is refused.

The disk is a tmpfs of the test's own, remounted read-only: the file, its folder and the -shm that WAL
needs are all refused, to root as well (root ignores chmod, so chmod 0444 would prove nothing here).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from db.access import Actor
from tests import tally
from tests.faults.record import activities_file, assert_whole, make_demo_database, make_read_only, small_disk
from tests.helpers import ROOT, run_db, sign_in

READ_ONLY = "Базата данни е само за четене: може да се преглежда, но не и да се променя."
NOT_SAVED = "Нищо не е записано; въведеното остава тук, за да опитате отново."


@pytest.fixture
def read_only_database(tmp_path: Path) -> Iterator[Path]:
    """The demo database in WAL mode, without -wal or -shm, on a disk that is then made read-only."""
    with small_disk(tmp_path / "disk", 16) as disk:
        database = disk / "partnerships.db"
        make_demo_database(database)
        assert database.read_bytes()[18:20] == b"\x02\x02"  # the header's read and write versions: WAL
        make_read_only(disk)
        yield database


def test_the_command_line_reads_a_read_only_database_and_refuses_to_write(
    read_only_database: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{read_only_database}"
    before = assert_whole(read_only_database)
    exported = run_db(url, "export", str(tmp_path / "all.xlsx"))
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.startswith("Изнесени записи")
    backed_up = run_db(url, "backup", str(tmp_path / "copy.db"))
    assert backed_up.returncode == 0, backed_up.stderr
    assert assert_whole(tmp_path / "copy.db") == before
    imported = run_db(url, "import", "activities", str(activities_file(tmp_path / "new.csv", 3)))
    assert (imported.returncode, imported.stderr.splitlines()) == (
        4,
        [READ_ONLY, f"База данни: {read_only_database}. Командата спря, без да остави нещо записано наполовина."],
    )
    english = run_db(url, "--lang", "en", "demo", "--replace")
    assert english.returncode == 4
    assert english.stderr.startswith("The database is read-only: it can be viewed but not changed.")
    assert assert_whole(read_only_database) == before
    tally.faults(2)


def test_the_app_shows_a_read_only_database_and_keeps_what_a_refused_form_had(
    read_only_database: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{read_only_database}")
    before = assert_whole(read_only_database)
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.run()
    assert not app.exception and not app.error
    assert app.title[0].value == "Обзор на партньорствата" and len(app.metric) > 0
    # Signing in counts failures, a write: said, not a traceback.
    sign_in(app, "maria")
    assert not app.exception
    assert [error.value for error in app.error] == [READ_ONLY]
    # An editor who had signed in before the disk turned read-only.
    editing = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    editing.session_state["_actor"] = Actor("maria", "editor")
    editing.run()
    editing.switch_page("pages/data.py").run()
    name = next(i for i in editing.text_input if i.label == "Име *")
    name.input("Сдружение „Нов път“ – Кюстендил")
    next(b for b in editing.button if b.label == "Запази").click().run()
    assert not editing.exception
    assert [error.value for error in editing.error] == [f"{READ_ONLY}\n\n{NOT_SAVED}"]
    assert next(i for i in editing.text_input if i.label == "Име *").value == "Сдружение „Нов път“ – Кюстендил"
    editing.radio(key="import_table").set_value("activities").run()
    upload = activities_file(tmp_path / "three.csv", 3).read_bytes()
    editing.file_uploader[0].set_value(("three.csv", upload, "text/csv")).run()
    assert "Файлът е наред. Записи за внасяне: 3." in [success.value for success in editing.success]
    next(b for b in editing.button if b.label == "Внеси записите (3)").click().run()
    assert not editing.exception
    assert [error.value for error in editing.error] == [f"{READ_ONLY}\n\n{NOT_SAVED}"]
    assert assert_whole(read_only_database) == before
    tally.faults(3)
