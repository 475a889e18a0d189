"""A full disk: an import (command line and screen) and a form save are refused with a clear message,
nothing half-written; after space is freed, the same import, the same typed form and the same upload go through.

The disk is a tmpfs of the test's own, filled with one file; skipped where the machine will not mount one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from db.access import Actor
from tests import tally
from tests.faults.record import (
    activities_file,
    added_by_import,
    assert_whole,
    fill,
    make_demo_database,
    plus,
    small_disk,
)
from tests.helpers import ROOT, run_db

ROWS = 1_500
FULL = "Дискът, на който е базата данни, е пълен. Освободете място на него; записаното дотук не е загубено."
NOT_SAVED = "Нищо не е записано; въведеното остава тук, за да опитате отново."
NAME = "Сдружение „Нов път“ – Кюстендил"


def _name_field(app: AppTest):  # type: ignore[no-untyped-def]
    return next(i for i in app.text_input if i.label == "Име *")


def test_a_full_disk_refuses_an_import_and_a_form_and_both_go_through_once_freed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with small_disk(tmp_path / "disk", 24) as disk:
        database = disk / "partnerships.db"
        url = make_demo_database(database)
        monkeypatch.setenv("DATABASE_URL", url)
        file = activities_file(tmp_path / "activities.csv", ROWS)
        before = assert_whole(database)
        # An editor at work in the app, its connections open, when the disk fills up.
        app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        app.session_state["_actor"] = Actor("maria", "editor")
        app.run()
        app.switch_page("pages/data.py").run()
        filler = fill(disk)

        imported = run_db(url, "import", "activities", str(file))
        assert (imported.returncode, imported.stderr.splitlines()) == (
            3,
            [FULL, f"База данни: {database}. Командата спря, без да остави нещо записано наполовина."],
        )
        assert assert_whole(database) == before

        _name_field(app).input(NAME)
        next(b for b in app.button if b.label == "Запази").click().run()
        assert not app.exception
        assert [error.value for error in app.error] == [f"{FULL}\n\n{NOT_SAVED}"]
        assert _name_field(app).value == NAME
        assert assert_whole(database) == before

        app.radio(key="import_table").set_value("activities").run()
        upload = activities_file(tmp_path / "three.csv", 3, title="Работилница").read_bytes()
        app.file_uploader[0].set_value(("three.csv", upload, "text/csv")).run()
        next(b for b in app.button if b.label == "Внеси записите (3)").click().run()
        assert not app.exception
        assert [error.value for error in app.error] == [f"{FULL}\n\n{NOT_SAVED}"]
        assert app.file_uploader[0].value is not None  # the file stays chosen, to import once space is freed
        assert assert_whole(database) == before

        filler.unlink()
        again = run_db(url, "import", "activities", str(file))
        assert again.returncode == 0, again.stderr
        whole = plus(before, added_by_import(ROWS))
        assert assert_whole(database) == whole
        next(b for b in app.button if b.label == "Запази").click().run()
        assert "Записано." in [success.value for success in app.success]
        whole = plus(whole, {"organizations": 1, "audit_log": 1})
        assert assert_whole(database) == whole
        next(b for b in app.button if b.label == "Внеси записите (3)").click().run()
        assert "Внесени записи: 3." in [success.value for success in app.success]
        assert assert_whole(database) == plus(whole, added_by_import(3))
    tally.faults(3)
