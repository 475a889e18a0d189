"""What several test modules share: paths, the demo's day, the command line, the app, stored records.

Test modules import from here, never from one another; tests/conftest.py holds only fixtures.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, select, text
from sqlalchemy.orm import Session
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from db import queries
from db.models import Activity, Organization

ROOT = Path(__file__).resolve().parent.parent
# The demo history is cut at this day in tests, so that held and planned activities do not move.
DEMO_TODAY = date(2026, 11, 25)
# Two partners of the import and export tests, with the quotes and dashes a real name has.
ROS = "Ромски общностен съвет, кв. „Изток“ – Кюстендил"
LARGO = "Сдружение „Ларго“"
# Streamlit's own, kept before tests/conftest.py patches it for every test; tests/test_pages.py puts it back.
ORIGINAL_PAGES_MANAGER_INIT = PagesManager.__init__


def run_db(
    database_url: str, *args: str, stdin: str = "", language: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m db ARGS` on `database_url`, as an administrator would run it: messages in Bulgarian unless --lang.

    `language` is DASHBOARD_LANG, the environment's choice of language (none by default).
    """
    env = {**os.environ, "DATABASE_URL": database_url}
    env.pop("DASHBOARD_LANG", None)
    if language is not None:
        env["DASHBOARD_LANG"] = language
    return subprocess.run(
        [sys.executable, "-m", "db", *args], cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=120
    )


def open_app(*, page: str | None = None, **params: str | list[str]) -> AppTest:
    """The app through AppTest with these query parameters, on `page` if given; no exception."""
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.query_params.update(params)
    app.run()
    if page:
        app.switch_page(page).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def count_queries(monkeypatch: pytest.MonkeyPatch, *names: str) -> list[str]:
    """The names of these `db.queries` functions, appended each time a page calls one (the reads a run made)."""
    asked: list[str] = []
    for name in names:
        original = getattr(queries, name)

        def counted(*args: object, _name: str = name, _original: Any = original, **kwargs: object) -> object:
            asked.append(_name)
            return _original(*args, **kwargs)

        counted.__name__ = name
        monkeypatch.setattr(queries, name, counted)
    return asked


def stored_partners(engine: Engine) -> list[dict[str, Any]]:
    """Every partner as the exchange format carries it, by name (no ids, slugs or demo marks)."""
    with Session(engine) as session:
        return [
            {
                "name": p.name,
                "short_name": p.short_name,
                "kind": p.kind.code,
                "city": p.city,
                "website": p.website,
                "email": p.email,
                "phone": p.phone,
                "contact_person": p.contact_person,
                "mission": p.mission,
                "focus_areas": sorted(a.code for a in p.focus_areas),
                "partner_since": p.partner_since,
                "is_active": p.is_active,
            }
            for p in session.scalars(select(Organization).order_by(Organization.name_key))
        ]


def stored_activities(engine: Engine) -> list[dict[str, Any]]:
    """Every activity with its partners by name and role, by date and title."""
    with Session(engine) as session:
        return [
            {
                "start_date": a.start_date,
                "end_date": a.end_date,
                "title": a.title,
                "type": a.type.code,
                "status": a.status,
                "location": a.location,
                "participants": a.participants,
                "pupils_reached": a.pupils_reached,
                "description": a.description,
                "news_url": a.news_url,
                "organizations": sorted((link.organization.name, link.role) for link in a.links),
            }
            for a in session.scalars(select(Activity).order_by(Activity.start_date, Activity.title_key))
        ]


PASSWORD = "много-тайна-парола"  # the accounts the tests add sign in with it


def sign_in(app: AppTest, login: str, password: str = PASSWORD) -> AppTest:
    """Sign in from the sidebar's form, as an editor would."""
    app.text_input(key="sign_in_login").input(login)
    app.text_input(key="sign_in_password").input(password)
    next(b for b in app.button if b.label == "Вход за редактори").click().run()
    return app


class Clock:
    """The time sign-ins see in tests: `sleep` moves it on at once and remembers how long it was asked to wait."""

    def __init__(self, start: datetime | None = None) -> None:
        self.at = start or datetime.now()
        self.waits: list[float] = []

    def now(self) -> datetime:
        return self.at

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.at += timedelta(seconds=seconds)


def emptied(engine: Engine) -> None:
    """Drop every table of a database that is the test's to empty (the migrations then start afresh):
    the PostgreSQL database of TEST_POSTGRESQL_URL, which several test files share."""
    with engine.begin() as connection:
        found = MetaData()
        found.reflect(connection)
        found.drop_all(connection)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
