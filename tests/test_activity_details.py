"""Every listed activity opens its details (`?activity=`), and anyone can search the activities."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, text

from db import migrate, queries
from db.engine import get_engine
from db.filters import ActivityFilters
from tests.factories import add_activity, add_partner
from tests.helpers import open_app
from ui.safe import md


def dialog_texts(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m.value) for m in app.markdown]


def test_a_link_with_an_activity_opens_its_details_over_the_page(demo_engine: Engine) -> None:
    listed = queries.activity_list(demo_engine, ActivityFilters(2023), statuses=("held",), limit=1)
    activity_id, title = int(listed["id"][0]), str(listed["title"][0])
    app = open_app(page="pages/partners.py", activity=str(activity_id), year="2023-2024")

    assert f"#### {md(title)}" in dialog_texts(app)
    assert [b.label for b in app.button if b.key == "close_activity"] == ["Затвори"]
    app.button(key="close_activity").click().run()
    assert "activity" not in app.query_params
    assert [b for b in app.button if b.key == "close_activity"] == []


@pytest.mark.parametrize("junk", ["²", "12a", "9" * 5000, "-1", " "])
def test_junk_in_the_activity_parameter_is_dropped_quietly(demo_engine: Engine, junk: str) -> None:
    app = open_app(activity=junk)
    assert "activity" not in app.query_params
    assert [b for b in app.button if b.key == "close_activity"] == []


def test_an_activity_that_is_gone_says_so(demo_engine: Engine) -> None:
    app = open_app(activity="999999")
    assert [w.value for w in app.warning] == ["Няма такава дейност. Може да е изтрита или връзката да е непълна."]


def test_an_overview_card_opens_its_activity(demo_engine: Engine) -> None:
    app = open_app(year="2023-2024")
    latest = queries.activity_list(demo_engine, ActivityFilters(2023), statuses=("held",), before=date.today(), limit=5)
    first = int(latest["id"][0])
    app.button(key=f"latest_{first}").click().run()
    assert app.query_params["activity"] == str(first)
    assert [b.label for b in app.button if b.key == "close_activity"] == ["Затвори"]


def test_anyone_can_search_the_activities_by_title_place_or_description(engine: Engine) -> None:
    pid = add_partner(engine, slug="largo", name="Сдружение „Ларго“", short_name="Ларго")
    add_activity(engine, title="Кръгла маса за образованието", type="round_table", start=date(2023, 10, 5),
                 partners=((pid, "organizer"),), location="Читалище „Изгрев“")  # fmt: skip
    add_activity(engine, title="Среща с родители", type="meeting", start=date(2023, 11, 8),
                 partners=((pid, "organizer"),), description="Разговор за РИСУВАНЕ и музика")  # fmt: skip
    everything = ActivityFilters()

    assert queries.activity_list(engine, everything, search="КРЪГЛА")["title"].tolist() == [
        "Кръгла маса за образованието"
    ]
    assert queries.activity_list(engine, everything, search="изгрев")["title"].tolist() == [
        "Кръгла маса за образованието"
    ]
    assert queries.activity_list(engine, everything, search="рисуване")["title"].tolist() == ["Среща с родители"]
    assert queries.activity_count(engine, everything, search="100%") == 0
    assert queries.activity_count(engine, everything, search="") == 2

    app = open_app(page="pages/activities.py", year="all")
    app.text_input(key="activity_search").input("изгрев").run()
    assert app.dataframe[0].value["title"].tolist() == ["Кръгла маса за образованието"]
    app.text_input(key="activity_search").input("няма такова").run()
    assert [i.value for i in app.info][-1] == (
        "Няма дейности, в чието заглавие, място или описание да има „няма такова“."
    )


def test_an_edit_keeps_the_search_text_up_to_date(engine: Engine) -> None:
    pid = add_partner(engine, slug="largo", name="Сдружение „Ларго“", short_name="Ларго")
    add_activity(engine, title="Среща", type="meeting", start=date(2023, 11, 8), partners=((pid, "organizer"),))
    with engine.begin() as connection:
        stored = connection.scalar(text("SELECT search_text FROM activities"))
    assert stored == "среща"


def test_the_upgrade_fills_the_search_text_of_activities_on_record(database_url: str) -> None:
    engine = get_engine(database_url)
    migrate.upgrade(engine, "0005")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO organizations (slug, name, name_key, short_name, kind_id, mission, city, website, email,"
                " phone, contact_person, is_active, is_demo, search_text, version)"
                " VALUES ('x', 'Х', 'х', 'Х', 1, '', '', '', '', '', '', 1, 0, 'х', 1)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO activities (title, title_key, type_id, status, start_date, school_year, location,"
                " description, news_url, is_demo, version) VALUES ('Кръгла маса', 'кръгла маса', 1, 'held',"
                " '2014-04-08', 2013, 'Читалище', 'Ден на ромите', '', 0, 1)"
            )
        )
    migrate.upgrade(engine)
    assert queries.activity_count(engine, ActivityFilters(), search="ромите") == 1
    engine.dispose()


def _selections() -> None:
    import pandas as pd

    from ui.activity_details import open_selected

    listed = pd.DataFrame({"id": [7, 8]})
    open_selected(listed, [5], key="kept_from_a_longer_list")  # Streamlit kept row 5 of a list now 2 long
    open_selected(listed, [1], key="chosen_now")


def test_a_row_number_left_from_another_list_opens_nothing_and_a_real_one_opens_its_activity() -> None:
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_function(_selections).run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.query_params["activity"] == "8"
