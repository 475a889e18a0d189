"""`python -m db`, run as an administrator would, checked through what the database then holds."""

from pathlib import Path

import pytest
from sqlalchemy import Engine

from db import migrate
from db.engine import get_engine
from db.queries import record_counts
from tests.helpers import run_db


def test_help_lists_the_commands(database_url: str) -> None:
    result = run_db(database_url, "--help")
    assert result.returncode == 0
    assert "init" in result.stdout and "demo" in result.stdout


def test_init_creates_the_schema_and_is_idempotent(database_url: str) -> None:
    first = run_db(database_url, "init")
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == f"Схемата на базата данни е обновена до версия {migrate.head_revision()}."
    again = run_db(database_url, "--lang", "en", "init")
    assert again.returncode == 0
    assert again.stdout.strip() == f"The database schema is already up to date (revision {migrate.head_revision()})."
    assert migrate.current_revision(get_engine(database_url)) == migrate.head_revision()


def test_demo_loads_into_an_empty_database(database_url: str) -> None:
    result = run_db(database_url, "demo")
    assert result.returncode == 0, result.stderr
    counts = record_counts(get_engine(database_url))
    assert counts["partners"] == 8
    assert result.stdout.strip() == f"Заредени са демонстрационните данни: {counts['activities']} дейности."


def test_demo_refuses_a_database_with_records_and_changes_nothing(database_url: str, demo_engine: Engine) -> None:
    before = record_counts(demo_engine)
    result = run_db(database_url, "demo")
    assert result.returncode == 1
    assert "В базата данни вече има записи" in result.stderr and "--replace" in result.stderr
    assert record_counts(demo_engine) == before


def test_demo_if_empty_skips_quietly_for_make_run(database_url: str, demo_engine: Engine) -> None:
    before = record_counts(demo_engine)
    result = run_db(database_url, "--lang", "en", "demo", "--if-empty")
    assert result.returncode == 0
    assert result.stdout.strip() == "The database already holds records; the demo data was not loaded."
    assert record_counts(demo_engine) == before


def test_an_unknown_command_is_refused(database_url: str) -> None:
    result = run_db(database_url, "drop-everything")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


@pytest.mark.parametrize(("language", "message"), [("en", "Written to"), ("de", "Записано в")])
def test_dashboard_lang_speaks_a_registered_language_and_ignores_any_other(
    database_url: str, engine: Engine, tmp_path: Path, language: str, message: str
) -> None:
    """A stray DASHBOARD_LANG (a language the app does not have) must not stop a command: it speaks Bulgarian."""
    out = tmp_path / "report.pptx"
    result = run_db(database_url, "report", "--year", "all", "--format", "pptx", "--out", str(out), language=language)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(message)
    assert out.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize(
    ("args", "language", "words"),
    [
        (("--help",), None, ("употреба: python -m db", "команди", "създава или обновява схемата")),
        (("--lang", "en", "--help"), None, ("usage: python -m db", "commands", "create or upgrade the schema")),
        (("--help",), "en", ("usage: python -m db", "commands", "create or upgrade the schema")),
        (("import", "--help"), None, ("--accept-suggestions", "само проверява файла, без да записва")),
        (("user", "add", "--help"), None, ("показва тази помощ и спира", "чете паролата от стандартния вход")),
    ],
)
def test_help_speaks_the_language_of_the_messages(
    database_url: str, args: tuple[str, ...], language: str | None, words: tuple[str, ...]
) -> None:
    """Bulgarian by default, like every message; --lang or DASHBOARD_LANG, read before the help is built."""
    result = run_db(database_url, *args, language=language)
    assert result.returncode == 0, result.stderr
    assert all(word in result.stdout for word in words), result.stdout
