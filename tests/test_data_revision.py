"""Cached reads last until the data changes: a change made anywhere shows on the next run, and a run without
a change asks the database for nothing but its data revision."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from db import queries
from db.access import Actor
from db.engine import get_write_engine
from db.writes import create_partner
from tests.helpers import open_app, run_db
from ui import data


@contextmanager
def statements_of_the_app() -> Iterator[list[str]]:
    """Every statement the app's engine runs meanwhile."""
    ran: list[str] = []

    def noted(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        ran.append(statement)

    app_engine = data.engine()
    event.listen(app_engine, "before_cursor_execute", noted)
    try:
        yield ran
    finally:
        event.remove(app_engine, "before_cursor_execute", noted)


def partner_options(app: Any) -> list[str]:
    return list(app.sidebar.multiselect[0].options)


def test_a_partner_added_by_the_command_line_shows_on_the_next_run(
    demo_engine: Engine, database_url: str, tmp_path: Path
) -> None:
    app = open_app(page="pages/partners.py")
    assert "Нова искра" not in partner_options(app)
    table = tmp_path / "partners.csv"
    table.write_text("Име;Кратко име;Вид\nЧиталище „Нова искра“;Нова искра;фондация\n", encoding="utf-8")
    done = run_db(database_url, "import", "partners", str(table))
    assert done.returncode == 0, done.stderr

    app.run()

    assert "Нова искра" in partner_options(app)
    assert "Нова искра" in queries.partner_directory(demo_engine)["short_name"].tolist()


def test_a_change_through_another_engine_shows_on_the_next_run(demo_engine: Engine, database_url: str) -> None:
    app = open_app()
    other_process = get_write_engine(database_url)  # not the app's engines: as another server would write
    create_partner(engine=other_process, actor=Actor("maria", "editor"), data={"name": "Ново", "kind": "ngo"})
    other_process.dispose()
    app.run()
    assert "Ново" in partner_options(app)


def test_a_rerun_without_a_change_reads_only_the_data_revision(demo_engine: Engine) -> None:
    app = open_app()
    app.switch_page("pages/partners.py").run()
    app.switch_page("pages/overview.py").run()
    with statements_of_the_app() as ran:
        app.run()
        app.switch_page("pages/partners.py").run()
    assert not app.exception
    assert ran == ["SELECT data_revision.revision \nFROM data_revision"] * 2
