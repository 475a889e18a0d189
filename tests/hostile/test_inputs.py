"""What a hostile link, a hand-typed command or an odd file can send: each is refused cleanly, nothing crashes.

Kept as data so that the cases grow with every probe (issue 10); the rest of that issue's suite
(restore files, control characters, sign-in abuse, faults) is still to come.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from db.access import COMMAND_LINE, Actor
from db.accounts import add_user
from db.engine import get_write_engine
from db.transfer import import_activities
from db.validation import parse_date
from i18n import translator
from i18n.problems import describe_problem
from tests import tally
from tests.factories import add_partner
from tests.helpers import PASSWORD, open_app, run_db, sign_in, stored_activities
from ui.deck_links import parse_auto_seconds, parse_slide_number

# Digits that str.isdigit() accepts and int() refuses, a number nobody means, and plain junk.
NUMBER_PROBES = ["²", "¹²³", "٣", "9" * 5000, "-3", "3.5", " ", "1e3", "0x10", "3\x00"]


@pytest.mark.parametrize("probe", NUMBER_PROBES)
def test_presentation_numbers_from_a_link_are_parsed_safely(probe: str) -> None:
    assert parse_slide_number(probe) is None
    assert parse_auto_seconds(probe) == 0
    tally.inputs(2)


@pytest.mark.parametrize("probe", ["²", "9" * 5000, "٣"])
def test_the_presentation_opens_whatever_its_link_says(demo_engine: Engine, probe: str) -> None:
    app = open_app(page="pages/presentation.py", slide=probe, auto=probe, year="2023-2024")
    assert app.query_params["slide"] == "1"
    assert "auto" not in app.query_params
    tally.inputs(2)


@pytest.mark.parametrize("year", ["²⁰²³", "٢٠٢٣/٢٠٢٤", "9" * 5000])
def test_a_report_year_in_other_digits_is_refused_with_a_message(database_url: str, engine: Engine, year: str) -> None:
    result = run_db(database_url, "--lang", "en", "report", "--year", year, "--format", "pdf", "--out", "x.pdf")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "is not a school year" in result.stderr
    tally.inputs(1)


@pytest.mark.parametrize(
    ("written", "expected"),
    [("31.12.9999", "out_of_range"), ("01.01.0001", "out_of_range"), (date(9999, 12, 31), "out_of_range"),
     ("08.04.2014", date(2014, 4, 8)), ("31.02.2024", "bad")],
)  # fmt: skip
def test_dates_have_a_sensible_range(written: object, expected: object) -> None:
    assert parse_date(written) == expected
    tally.inputs(1)


def test_an_import_with_a_date_in_year_9999_is_refused_and_writes_nothing(engine: Engine) -> None:
    add_partner(engine, slug="largo", name="Сдружение „Ларго“", short_name="Ларго")
    data = "Дата;Заглавие;Вид;Организации\r\n31.12.9999;Среща;среща;Ларго\r\n".encode("cp1251")
    result = import_activities(
        engine=get_write_engine(str(engine.url)), actor=Actor("maria", "editor"), data=data, filename="a.csv"
    )
    t = translator("bg")
    assert [describe_problem(t, p) for p in result.problems] == [
        "Ред 2: „Дата“: „31.12.9999“ е извън годините, които таблото приема (1900–2100); проверете годината."
    ]
    assert stored_activities(engine) == []
    tally.inputs(1)


def test_signing_out_of_a_local_account_works_without_school_accounts(engine: Engine) -> None:
    """Without [auth] in the secrets st.user has no is_logged_in: signing out used to crash there."""
    add_user(engine=engine, actor=COMMAND_LINE, login="maria", password=PASSWORD, role="editor")
    app = sign_in(open_app(), "maria", PASSWORD)
    assert any("maria" in c.value for c in app.sidebar.caption)
    app.button(key="sign_out").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert not any("maria" in c.value for c in app.sidebar.caption)


def test_a_huge_login_stores_no_more_than_a_login_can_be(engine: Engine) -> None:
    """Four 20 MB "logins" once grew the database by 115 MB: what a failure keeps is bounded now."""
    from sqlalchemy import func, select

    from db.accounts import MAX_LOGIN, authenticate
    from db.models import LoginFailure

    for _ in range(4):
        assert (
            authenticate(engine=engine, login="x" * 20_000_000, password="y" * 20_000_000, sleep=lambda _: None) is None
        )
    with engine.connect() as connection:
        longest = connection.scalar(select(func.max(func.length(LoginFailure.login))))
    assert longest == MAX_LOGIN
    tally.inputs(4)


def test_old_failures_are_forgotten_when_new_ones_come(engine: Engine) -> None:
    from datetime import datetime, timedelta

    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from db.accounts import FAILURE_WINDOW, authenticate
    from db.models import LoginFailure

    with Session(engine) as session, session.begin():
        long_ago = datetime.now() - FAILURE_WINDOW - timedelta(minutes=1)
        session.add_all(LoginFailure(login=f"guess{n}", at=long_ago) for n in range(500))
    authenticate(engine=engine, login="someone", password="wrong password", sleep=lambda _: None)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(LoginFailure)) == 1


def test_a_missing_login_is_checked_like_a_wrong_password(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both paths run Argon2 once, so the time of the answer does not tell which logins exist."""
    from db import accounts

    checked: list[str] = []
    real = accounts._hasher

    class CountingHasher:  # the real Argon2 hasher, counting its checks
        def verify(self, hash_: str, password: str) -> bool:
            checked.append(hash_)
            return real.verify(hash_, password)

        def __getattr__(self, name: str) -> object:
            return getattr(real, name)

    add_user(engine=engine, actor=COMMAND_LINE, login="maria", password=PASSWORD, role="editor")
    monkeypatch.setattr(accounts, "_hasher", CountingHasher())
    assert accounts.authenticate(engine=engine, login="maria", password="wrong password", sleep=lambda _: None) is None
    assert accounts.authenticate(engine=engine, login="nobody", password="wrong password", sleep=lambda _: None) is None
    assert len(checked) == 2


CONTROL = "\x0b\x01\x1f\x7f"


def test_control_characters_typed_into_a_form_are_not_saved(engine: Engine) -> None:
    from db.writes import create_activity

    pid = add_partner(engine, slug="largo", name="Сдружение „Ларго“", short_name="Ларго")
    create_activity(
        engine=get_write_engine(str(engine.url)),
        actor=Actor("maria", "editor"),
        data={"title": f"Среща{CONTROL} с родители", "type": "meeting", "start_date": date(2024, 4, 8),
              "description": f"Ред 1{CONTROL}\nРед 2\tс табулация", "organizations": [(pid, "organizer")]},
    )  # fmt: skip
    (stored,) = stored_activities(engine)
    assert stored["title"] == "Среща с родители"
    assert stored["description"] == "Ред 1\nРед 2\tс табулация"
    tally.inputs(2)


def test_the_files_are_written_whatever_text_is_stored(engine: Engine) -> None:
    """Text stored before the forms cleaned it (or by hand) must not stop the year's deck and reports."""
    from sqlalchemy import text

    import reports

    pid = add_partner(engine, slug="largo", name=f"Сдружение{CONTROL} „Ларго“", short_name=f"Ларго{CONTROL}")
    from tests.factories import add_activity

    add_activity(engine, title="Среща", type="meeting", start=date(2024, 4, 8), partners=((pid, "organizer"),))
    with engine.begin() as connection:
        connection.execute(text("UPDATE activities SET title = :t, location = :t"), {"t": f"Среща{CONTROL}"})
        connection.execute(text("UPDATE organizations SET mission = :m"), {"m": f"Мисия{CONTROL}"})
    files = reports.generate_many(engine, school_year=2023, formats=("pdf", "docx", "pptx"), today=date(2024, 6, 1))
    assert {fmt: len(data) > 1000 for fmt, data in files.items()} == {"pdf": True, "docx": True, "pptx": True}
    tally.inputs(3)
