"""The Data screen in AppTest: refused to viewers, and a form save that lands in the database (or does not)."""

import pytest
from sqlalchemy import Engine

from db import queries
from db.access import COMMAND_LINE
from db.accounts import add_user
from db.queries import record_counts
from tests.helpers import PASSWORD, open_app, sign_in
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
    ]
    audit = app.tabs[4].dataframe[0].value
    assert audit[["actor", "action", "summary"]].to_dict("records") == [
        {"actor": "command-line", "action": "добавяне", "summary": "director"}
    ]


def test_an_editor_sees_no_administration(engine: Engine, editor: str) -> None:
    app = sign_in(open_app(page="pages/data.py"), editor)
    assert [tab.label for tab in app.tabs] == ["Партньори", "Дейности", "Импорт", "Експорт"]


def test_a_dashboard_that_requires_login_shows_nothing_before_it(
    demo_engine: Engine, editor: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASHBOARD_REQUIRE_LOGIN", "1")
    app = open_app()
    assert [i.value for i in app.info] == ["Таблото е достъпно след вход. Влезте от страничната лента."]
    assert app.get("vega_lite_chart") == [] and app.metric == []
    sign_in(app, editor)
    assert app.title[0].value == "Обзор на партньорствата"
    assert len(app.metric) == 4
