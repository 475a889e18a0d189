"""What a director meets in use, in AppTest: the profile's period first, what a change is compared with,
and a refused save that keeps what was typed and says exactly what is wrong, next to the field."""

from datetime import date

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from db import queries
from db.access import COMMAND_LINE
from db.accounts import add_user
from db.school_year import a_year_before, school_year_of
from i18n.formatting import format_date_long
from tests.helpers import PASSWORD, open_app, sign_in


@pytest.fixture
def editor(engine: Engine) -> str:
    add_user(engine=engine, actor=COMMAND_LINE, login="maria", password=PASSWORD, role="editor")
    return "maria"


# --- the profile ---------------------------------------------------------------------------------


def test_a_profile_shows_the_chosen_year_first_and_the_whole_history_on_request(demo_engine: Engine) -> None:
    app = open_app(page="pages/partners.py", partner="amalipe", year="2023-2024")
    subheaders = [s.value for s in app.subheader]
    period = "Учебна 2023/2024 година (15.09.2023 – 30.06.2024)"
    assert subheaders[-4:-1] == [f"Дейности · {period}", "Цялата история на партньорството", "Дейности"]
    # The first table is the school's outcomes in the partner's years (tests/test_outcomes.py).
    in_period = app.dataframe[1].value
    starts = list(in_period["start_date"].dt.date)
    assert starts and all(date(2023, 9, 15) <= day <= date(2024, 6, 30) for day in starts)
    assert starts == sorted(starts)  # the year as it happened, not next year's plans first
    (history,) = app.main.expander
    assert history.label == "Цялата история"
    assert len(history.get("vega_lite_chart")) == 2
    assert len(history.dataframe) == 1


def test_a_profile_for_all_years_is_just_its_history(demo_engine: Engine) -> None:
    app = open_app(page="pages/partners.py", partner="amalipe", year="all")
    assert not app.main.expander
    assert len(app.get("vega_lite_chart")) == 2
    assert len(app.dataframe) == 2  # the school's outcomes in the partner's years, then its activities


# --- what a change is compared with --------------------------------------------------------------


def metric_captions(app: AppTest) -> list[str]:
    """The captions written right under the figures, on their cards."""
    return [c.value for c in app.caption if c.value.startswith(("спрямо", "vs "))]


def test_a_past_year_says_on_each_card_which_year_it_is_compared_with(demo_engine: Engine) -> None:
    app = open_app(year="2023-2024")
    assert metric_captions(app) == ["спрямо 2022/2023"] * 4
    app = open_app(year="2023-2024", lang="en")
    assert metric_captions(app) == ["vs 2022/2023"] * 4


def test_the_year_in_progress_says_up_to_which_day_it_is_compared(demo_engine: Engine) -> None:
    app = open_app()
    current = school_year_of(date.today())
    day = format_date_long(a_year_before(date.today()), "bg")
    assert metric_captions(app) == [f"спрямо {current - 1}/{current} до {day}"] * 4


def test_all_years_have_nothing_to_compare_with_and_say_nothing(demo_engine: Engine) -> None:
    assert metric_captions(open_app(year="all")) == []


# --- the activity form ---------------------------------------------------------------------------


def activity_form(login: str) -> AppTest:
    return sign_in(open_app(page="pages/data.py"), login)


def amalipe(engine: Engine) -> int:
    profile = queries.partner_profile(engine, "amalipe")
    assert profile is not None
    return int(profile["id"])


def set_activity(app: AppTest, title: str, start: date, end: date | None = None) -> None:
    form = app.tabs[1]
    next(i for i in form.text_input if i.label == "Заглавие *").input(title)
    next(i for i in form.date_input if i.label == "Дата *").set_value(start)
    if end is not None:
        next(i for i in form.date_input if i.label == "Крайна дата").set_value(end)


def save(app: AppTest) -> None:
    next(b for b in app.tabs[1].button if b.label == "Запази").click().run()


def test_a_refused_save_marks_the_field_at_fault_and_keeps_what_was_typed(demo_engine: Engine, editor: str) -> None:
    app = activity_form(editor)
    before = queries.record_counts(demo_engine)
    set_activity(app, "Пролетен празник", date(2024, 5, 6), date(2024, 5, 2))
    next(m for m in app.tabs[1].multiselect if m.label == "Организатори").set_value([amalipe(demo_engine)])
    save(app)
    (error,) = app.error
    assert error.value.startswith("Нищо не е записано. Поправете:")
    form = app.tabs[1]
    assert next(i for i in form.text_input if i.label == "Заглавие *").value == "Пролетен празник"
    assert next(i for i in form.date_input if i.label == "Крайна дата").value == date(2024, 5, 2)
    # The note under the end date, and no other field marked.
    notes = [c.value for c in form.caption if ":red[" in c.value]
    assert notes == [":red[:material/error: Крайната дата е преди началната\\.]"]
    assert queries.record_counts(demo_engine) == before


def test_an_organizer_alone_is_enough_and_the_message_says_so(demo_engine: Engine, editor: str) -> None:
    app = activity_form(editor)
    set_activity(app, "Пролетен празник", date(2024, 5, 6))
    save(app)
    (error,) = app.error
    assert "„Партньори“ е задължително" not in error.value
    assert "Посочете поне една организация – като организатор, партньор, финансиращ или гост" in error.value
    assert [c.value for c in app.tabs[1].caption if ":red[" in c.value] == [
        ":red[:material/error: Посочете поне една организация – като организатор, партньор, финансиращ или гост; "
        "една в която и да е роля е достатъчна\\.]"
    ]
    # An organizer alone: saved, and the form is empty for the next activity.
    next(m for m in app.tabs[1].multiselect if m.label == "Организатори").set_value([amalipe(demo_engine)])
    save(app)
    assert not app.error
    assert [s.value for s in app.success] == ["Записано."]
    assert next(i for i in app.tabs[1].text_input if i.label == "Заглавие *").value == ""
