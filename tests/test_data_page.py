"""The Data screen in AppTest: refused to viewers, and a form save that lands in the database (or does not)."""

import re

import pytest
from google.protobuf import text_format
from sqlalchemy import Engine

from db import queries
from db.access import COMMAND_LINE
from db.accounts import add_user
from db.queries import record_counts, school_years
from tests.helpers import PASSWORD, open_app, sign_in, stored_partners
from ui.safe import md


@pytest.fixture
def editor(engine: Engine) -> str:
    add_user(engine=engine, actor=COMMAND_LINE, login="maria", password=PASSWORD, role="editor")
    return "maria"


def field(app, label: str):  # type: ignore[no-untyped-def]
    return next(i for i in app.text_input if i.label == label)


def test_a_viewer_who_opens_the_data_page_is_refused(engine: Engine) -> None:
    app = open_app(page="pages/data.py")
    assert [w.value for w in app.warning] == [
        "Тази страница е за редактори. Влезте от страничната лента с профил на редактор или администратор."
    ]
    assert [b.label for b in app.button if b.label == "Запази"] == []
    assert [i.label for i in app.text_input] == ["Потребителско име", "Парола"]  # only the sign-in form


def test_a_wrong_password_is_told_and_nothing_opens(engine: Engine, editor: str) -> None:
    app = sign_in(open_app(page="pages/data.py"), editor, "грешна-парола")
    assert [e.value for e in app.error] == ["Грешно потребителско име или парола."]
    assert app.warning[0].value.startswith("Тази страница е за редактори")


def test_an_editor_adds_a_partner_through_the_form(engine: Engine, editor: str) -> None:
    app = sign_in(open_app(page="pages/data.py"), editor)
    assert app.title[0].value == "Данни" and not app.warning
    field(app, "Име *").input("Фондация „АДРА“ – България")
    field(app, "Кратко име").input("АДРА")
    next(b for b in app.button if b.label == "Запази").click().run()
    assert not app.exception
    assert [s.value for s in app.success] == ["Записано."]
    profile = queries.partner_profile(engine, "adra")
    assert profile is not None and profile["name"] == "Фондация „АДРА“ – България"


def test_a_bad_form_is_explained_and_nothing_is_saved(engine: Engine, editor: str) -> None:
    app = sign_in(open_app(page="pages/data.py"), editor)
    before = record_counts(engine)
    field(app, "Име *").input("Ларго")
    field(app, "Уебсайт").input("largo.bg")  # without http(s)
    next(b for b in app.button if b.label == "Запази").click().run()
    (error,) = app.error
    assert error.value.startswith("Нищо не е записано. Поправете:")
    assert md("„Уебсайт“: „largo.bg“ не е уеб адрес: пишете http:// или https:// и името на сайта") in error.value
    assert record_counts(engine) == before


def test_an_admin_also_sees_the_audit_log_accounts_and_backups(engine: Engine) -> None:
    add_user(engine=engine, actor=COMMAND_LINE, login="director", password=PASSWORD, role="admin")
    app = sign_in(open_app(page="pages/data.py"), "director")
    assert [tab.label for tab in app.tabs] == [
        "Партньори",
        "Дейности",
        "Импорт",
        "Експорт",
        "Журнал",
        "Профили",
        "Архив",
        "Резултати",  # outcomes per school year (tests/test_outcomes.py)
    ]
    audit = app.tabs[4].dataframe[0].value
    assert audit[["actor", "action", "summary"]].to_dict("records") == [
        {"actor": "command-line", "action": "добавяне", "summary": "director"}
    ]


def test_an_editor_sees_no_administration(engine: Engine, editor: str) -> None:
    app = sign_in(open_app(page="pages/data.py"), editor)
    assert [tab.label for tab in app.tabs] == ["Партньори", "Дейности", "Импорт", "Експорт", "Резултати"]


def test_a_dashboard_that_requires_login_shows_nothing_before_it(
    demo_engine: Engine, editor: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASHBOARD_REQUIRE_LOGIN", "1")
    app = open_app()
    assert [i.value for i in app.info] == ["Таблото е достъпно след вход. Влезте от страничната лента."]
    assert app.get("vega_lite_chart") == [] and app.metric == []
    sign_in(app, editor)
    assert app.title[0].value == "Обзор на партньорствата"
    assert len(app.metric) == 5  # the year's figures, and its outcome on record (the year in progress: enrolled)


def _everything_shown(app) -> str:  # type: ignore[no-untyped-def]
    """Every element's and block's content in the app, sidebar included: labels, options, values, texts."""
    shown: list[str] = []

    def walk(node) -> None:  # type: ignore[no-untyped-def]
        proto = getattr(node, "proto", None)
        if proto is not None:
            shown.append(text_format.MessageToString(proto, as_utf8=True))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(app._tree)
    # Widget ids are hashes, which may hold any digits (`…5812016aa…` is no year shown to anyone).
    return re.sub(r'^id: ".*"$', "", "\n".join(shown), flags=re.MULTILINE)


def test_before_sign_in_no_partner_and_no_year_is_shown_anywhere(
    demo_engine: Engine, editor: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sidebar used to list every partner in its filter and the years on record before sign-in."""
    monkeypatch.setenv("DASHBOARD_REQUIRE_LOGIN", "1")
    names = [n for p in stored_partners(demo_engine) for n in (p["name"], p["short_name"]) if n]
    years = [str(year) for year in school_years(demo_engine)]
    assert names and years
    app = open_app()
    shown = _everything_shown(app)
    assert [name for name in names if name in shown] == []
    assert [year for year in years if year in shown] == []
    # Only the language switch and the sign-in form: no filters, no page list.
    assert [r.label for r in app.radio] == ["Език / Language"]
    assert [i.label for i in app.text_input] == ["Потребителско име", "Парола"]
    assert (app.selectbox, app.multiselect, app.get("page_link")) == ([], [], [])
    sign_in(app, editor)
    shown = _everything_shown(app)
    assert [name for name in names if name in shown] != [] and [year for year in years if year in shown] != []
