"""A database out of reach (a PostgreSQL server that does not answer, an SQLite file whose folder cannot
exist): the command line and the app say so, in the user's language."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests import tally
from tests.helpers import ROOT, run_db

# Nothing listens on port 1: the connection is refused at once.
NOWHERE = "postgresql+psycopg://x@127.0.0.1:1/db"
MESSAGES = {
    "bg": "Няма връзка със сървъра на базата данни. Проверете дали работи и дали DATABASE_URL сочи към него.",
    "en": "Cannot reach the database server. Check that it is running and that DATABASE_URL points to it.",
}

needs_psycopg = pytest.mark.skipif(
    importlib.util.find_spec("psycopg") is None, reason="psycopg is not installed: no PostgreSQL driver to refuse"
)


WHERE = {
    "bg": "База данни: 127.0.0.1:1/db. Командата спря, без да остави нещо записано наполовина.",
    "en": "Database: 127.0.0.1:1/db. The command stopped without leaving anything half-written.",
}


@needs_psycopg
@pytest.mark.parametrize("lang", ["bg", "en"])
def test_the_command_line_says_the_server_is_out_of_reach(tmp_path: Path, lang: str) -> None:
    done = run_db(NOWHERE, "export", str(tmp_path / "all.xlsx"), language=lang)
    assert (done.returncode, done.stderr.splitlines()) == (5, [MESSAGES[lang], WHERE[lang]])
    assert not (tmp_path / "all.xlsx").exists()
    tally.faults(1)


@needs_psycopg
@pytest.mark.parametrize("lang", ["bg", "en"])
def test_the_app_shows_the_message_instead_of_an_exception(monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    monkeypatch.setenv("DATABASE_URL", NOWHERE)
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.query_params["lang"] = lang
    app.run()
    assert not app.exception
    assert [error.value for error in app.error] == [MESSAGES[lang]]
    tally.faults(1)


def test_a_database_file_that_cannot_be_opened_is_said_so(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("a file where the database's folder should be")
    done = run_db(f"sqlite:///{not_a_folder}/partnerships.db", "--lang", "en", "export", str(tmp_path / "all.xlsx"))
    assert (done.returncode, done.stderr.splitlines()[0]) == (
        5,
        "Cannot open the database: check that the file and its folder exist and can be reached.",
    )
    tally.faults(1)
