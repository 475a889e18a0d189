"""A school's own spreadsheet: its words for focus areas, its years, its partners in Latin letters or with a typo.

The files are CSV as Excel saves it on Bulgarian Windows (Windows-1251, `;`) and .xlsx, made by
tests/fixtures/make_fixtures.py. Closed lists and partner names are never guessed silently: a
problem says what was probably meant, and the editor's choice or --accept-suggestions applies it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from db.access import Actor
from db.models import Activity, AuditEntry, FocusArea, Organization, VocabularyName
from db.transfer import import_activities, import_partners
from db.validation import parse_date
from i18n import translator
from i18n.problems import describe_problem
from tests.factories import add_partner
from tests.helpers import ROOT, run_db, stored_activities, stored_partners

FIXTURES = ROOT / "tests" / "fixtures"
EDITOR = Actor("maria", "editor")
TODAY = date(2024, 6, 1)
AMALIPE = "Център „Амалипе“"
ADRA = "Фондация „АДРА“ – България"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def counts(engine: Engine) -> tuple[int, ...]:
    with engine.connect() as connection:
        return tuple(
            connection.scalar(select(func.count()).select_from(model)) or 0
            for model in (Organization, Activity, AuditEntry, FocusArea, VocabularyName)
        )


def said(problems: list) -> list[str]:
    t = translator("bg")
    return [describe_problem(t, problem) for problem in problems]


@pytest.fixture
def known(engine: Engine) -> dict[str, int]:
    return {
        "amalipe": add_partner(engine, slug="amalipe", name=AMALIPE, short_name="Амалипе"),
        "adra": add_partner(engine, slug="adra", name=ADRA, short_name="АДРА", kind="foundation"),
    }


def focus_names(engine: Engine, lang: str = "bg") -> dict[str, str]:
    with Session(engine) as session:
        rows = session.execute(
            select(VocabularyName.code, VocabularyName.name).where(
                VocabularyName.vocabulary == "focus_areas", VocabularyName.lang == lang
            )
        )
        return {code: name for code, name in rows}


# ---- partners: focus areas are tags, a year is a start ------------------------------------------


@pytest.mark.parametrize("name", ["school_partners_cp1251.csv", "school_partners.xlsx"])
def test_a_schools_partners_file_is_imported_with_its_own_focus_areas_and_years(
    engine: Engine, writer: Engine, name: str
) -> None:
    result = import_partners(engine=writer, actor=EDITOR, data=fixture(name), filename=name)
    assert (result.problems, result.added) == ([], 2)
    georgi, parents = sorted(stored_partners(engine), key=lambda p: p["name"], reverse=True)
    # `хуманитарна помощ` (or `humanitarna pomosht`) is the first words of an existing area: it is that area.
    assert georgi["focus_areas"] == sorted(["obrazovanie", "humanitarian", "obshtnost"])
    assert georgi["partner_since"] == date(2012, 1, 1)
    # `Работа с  родители` is an existing area with a doubled space; `Спорт` is new, written as the others are.
    assert parents["focus_areas"] == ["parents", "sport"]
    assert parents["partner_since"] == date(2010, 9, 1)
    names = focus_names(engine)
    assert (names["obrazovanie"], names["obshtnost"], names["sport"]) == ("образование", "общност", "спорт")
    assert [tag.name for tag in result.new_tags] == ["образование", "общност", "спорт"]
    assert [(taken.value, taken.as_word, taken.reason) for taken in result.taken] == [
        (result.taken[0].value, "хуманитарна помощ и подкрепа", "near_duplicate")
    ]


def test_new_focus_areas_are_counted_but_not_added_on_a_dry_run(engine: Engine, writer: Engine) -> None:
    before = counts(engine)
    result = import_partners(
        engine=writer, actor=EDITOR, data=fixture("school_partners_cp1251.csv"), filename="p.csv", dry_run=True
    )
    assert (result.ok, result.added, [tag.name for tag in result.new_tags]) == (
        True, 2, ["образование", "общност", "спорт"],
    )  # fmt: skip
    assert counts(engine) == before


def test_a_file_with_a_problem_adds_no_focus_area_either(engine: Engine, writer: Engine) -> None:
    before = counts(engine)
    data = "Име;Направления;Партньор от\r\nКлуб;Спорт;2012\r\nДруг клуб;Танци;13.2010\r\n".encode("cp1251")
    result = import_partners(engine=writer, actor=EDITOR, data=data, filename="p.csv")
    assert said(result.problems) == [
        "Ред 3: „Партньор от“: „13.2010“ не е дата (пишете 15.09.2012, 09.2012 или само годината, 2012)."
    ]
    assert counts(engine) == before


def test_the_editors_mapping_maps_a_focus_area_or_adds_a_near_duplicate(engine: Engine, writer: Engine) -> None:
    mapping = {("focus_areas", "образование"): "education", ("focus_areas", "Хуманитарна  помощ"): "add"}
    result = import_partners(
        engine=writer, actor=EDITOR, data=fixture("school_partners_cp1251.csv"), filename="p.csv", mapping=mapping
    )
    assert result.ok
    georgi = next(p for p in stored_partners(engine) if p["name"] == "Сдружение „Свети Георги“")
    assert georgi["focus_areas"] == sorted(["education", "humanitarna_pomosht", "obshtnost"])
    assert [(taken.value, taken.reason) for taken in result.taken] == [("образование", "chosen")]


def test_a_kind_with_a_typo_is_refused_with_a_suggestion_and_accepted_on_request(
    engine: Engine, writer: Engine
) -> None:
    data = "Име;Вид\r\nКлуб;фондацйя\r\n".encode("cp1251")
    refused = import_partners(engine=writer, actor=EDITOR, data=data, filename="p.csv")
    assert said(refused.problems) == ["Ред 2: „Вид“: няма такава стойност – „фондацйя“. Имахте ли предвид „фондация“?"]
    assert stored_partners(engine) == []
    accepted = import_partners(engine=writer, actor=EDITOR, data=data, filename="p.csv", accept_suggestions=True)
    assert accepted.ok
    assert [p["kind"] for p in stored_partners(engine)] == ["foundation"]


def test_a_year_alone_is_not_an_activity_date() -> None:
    assert (parse_date("2012"), parse_date("09.2010")) == ("bad", "bad")


# ---- activities: partners in Latin letters or with a typo ---------------------------------------


@pytest.mark.usefixtures("known")
def test_unknown_partners_are_refused_with_the_closest_known_name(engine: Engine, writer: Engine) -> None:
    before = counts(engine)
    result = import_activities(
        engine=writer, actor=EDITOR, data=fixture("school_activities_cp1251.csv"), filename="a.csv", today=TODAY
    )
    assert said(result.problems) == [
        "Ред 2: Няма партньор „Amalipe“. Имахте ли предвид „Амалипе“?",
        "Ред 3: Няма партньор „ADRA Bulgaria“. Имахте ли предвид „АДРА“?",
        "Ред 3: Няма партньор „Амалипи“. Имахте ли предвид „Амалипе“?",
    ]
    assert [(u.value, u.suggestions[0][0]) for u in result.unknowns] == [
        ("Amalipe", "Амалипе"), ("ADRA Bulgaria", "АДРА"), ("Амалипи", "Амалипе"),
    ]  # fmt: skip
    assert counts(engine) == before


@pytest.mark.usefixtures("known")
def test_typos_in_the_kind_and_the_role_get_suggestions_too(engine: Engine, writer: Engine) -> None:
    result = import_activities(
        engine=writer, actor=EDITOR, data=fixture("school_activities.xlsx"), filename="a.xlsx", today=TODAY
    )
    assert said(result.problems)[:2] == [
        "Ред 2: „Вид дейност“: няма такава стойност – „кръгла масса“. Имахте ли предвид „кръгла маса“?",
        "Ред 2: „Роля“: няма такава стойност – „организатр“. Имахте ли предвид „организатор“?",
    ]
    assert stored_activities(engine) == []


@pytest.mark.parametrize("name", ["school_activities_cp1251.csv", "school_activities.xlsx"])
def test_accepting_the_suggestions_imports_the_file_and_says_each_one(
    engine: Engine, writer: Engine, known: dict[str, int], name: str
) -> None:
    result = import_activities(
        engine=writer, actor=EDITOR, data=fixture(name), filename=name, today=TODAY, accept_suggestions=True
    )
    assert (result.problems, result.added) == ([], 2)
    assert [(a["type"], a["organizations"]) for a in stored_activities(engine)] == [
        ("round_table", [(AMALIPE, "organizer")]),
        ("celebration", sorted([(ADRA, "partner"), (AMALIPE, "partner")])),
    ]
    assert {(taken.value, taken.as_word) for taken in result.taken} >= {
        ("Amalipe", "Амалипе"), ("ADRA Bulgaria", "АДРА"), ("Амалипи", "Амалипе"),
    }  # fmt: skip


def test_the_editors_choice_of_partner_is_applied(engine: Engine, writer: Engine, known: dict[str, int]) -> None:
    mapping = {
        ("organizations", "Amalipe"): known["amalipe"],
        ("organizations", "ADRA Bulgaria"): known["adra"],
        ("organizations", "амалипи"): known["amalipe"],  # compared as names are: case and quotes aside
    }
    result = import_activities(
        engine=writer, actor=EDITOR, data=fixture("school_activities_cp1251.csv"), filename="a.csv",
        today=TODAY, mapping=mapping,
    )  # fmt: skip
    assert (result.problems, result.added) == ([], 2)
    assert {taken.reason for taken in result.taken} == {"chosen"}


@pytest.mark.usefixtures("known")
def test_a_name_like_nothing_known_gets_no_suggestion(engine: Engine, writer: Engine) -> None:
    data = "Дата;Заглавие;Вид;Организации\r\n08.04.2014;Среща;среща;Читалище „Братство“\r\n".encode("cp1251")
    result = import_activities(engine=writer, actor=EDITOR, data=data, filename="a.csv", accept_suggestions=True)
    assert [(p.code, p.values["value"]) for p in result.problems] == [("unknown_organization", "Читалище „Братство“")]
    assert stored_activities(engine) == []


def test_latin_is_read_back_into_cyrillic_by_the_official_scheme() -> None:
    from db.text import to_cyrillic  # here, so that the other tests run (and fail) on code without it

    assert to_cyrillic("Shtastie Zhivot Tsentar Chitalishte Yunak Yagoda Amalipe") == (
        "щастие живот центар читалище юнак ягода амалипе"
    )


# ---- the command line ---------------------------------------------------------------------------


def test_the_command_line_suggests_then_accepts_on_request(database_url: str, engine: Engine) -> None:
    add_partner(engine, slug="amalipe", name=AMALIPE, short_name="Амалипе")
    add_partner(engine, slug="adra", name=ADRA, short_name="АДРА")
    path = str(FIXTURES / "school_activities_cp1251.csv")
    refused = run_db(database_url, "import", "activities", path)
    assert refused.returncode == 2
    assert "Ред 3: Няма партньор „Амалипи“. Имахте ли предвид „Амалипе“?" in refused.stderr
    assert "--accept-suggestions" in refused.stderr
    done = run_db(database_url, "import", "activities", path, "--accept-suggestions")
    assert done.returncode == 0, done.stderr
    assert "„Amalipe“ е записано като „Амалипе“ (прието предложение)." in done.stdout
    assert len(stored_activities(engine)) == 2


def test_the_command_line_reports_the_focus_areas_it_adds(database_url: str, engine: Engine) -> None:
    result = run_db(database_url, "import", "partners", str(FIXTURES / "school_partners_cp1251.csv"))
    assert result.returncode == 0, result.stderr
    assert "Ново направление: „спорт“." in result.stdout
    assert "„хуманитарна помощ“ е почти същото като направлението „хуманитарна помощ и подкрепа“" in result.stdout


# ---- the Data screen: a choice for each unknown word ---------------------------------------------


def _import_screen() -> None:
    import pandas as pd

    from db.access import Actor
    from db.filters import ActivityFilters
    from i18n import translator
    from ui.context import PageContext
    from ui.transfer import import_panel

    context = PageContext(
        lang="bg",
        t=translator("bg"),
        filters=ActivityFilters(),
        type_names={},
        kind_names={},
        focus_names={},
        organizations=pd.DataFrame({"id": [], "short_name": []}),
        has_records=True,
    )
    import_panel(context, Actor("maria", "editor"))


def test_the_editor_maps_each_unknown_partner_on_the_screen_then_imports(engine: Engine, known: dict[str, int]) -> None:
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_function(_import_screen, default_timeout=60)
    app.run()
    app.radio(key="import_table").set_value("activities").run()
    app.file_uploader[0].set_value(("дейности.csv", fixture("school_activities_cp1251.csv"), "text/csv")).run()
    assert not app.exception, [e.value for e in app.exception]
    assert "Имахте ли предвид „Амалипе“?" in app.error[0].value
    assert [box.label for box in app.selectbox] == [
        "„Amalipe“ (Партньори, ред 2)", "„ADRA Bulgaria“ (Партньори, ред 3)", "„Амалипи“ (Партньори, ред 3)",
    ]  # fmt: skip
    assert [b.label for b in app.button] == []
    assert [box.options for box in app.selectbox] == [
        ["– не е избрано –", "Амалипе"], ["– не е избрано –", "АДРА"], ["– не е избрано –", "Амалипе"],
    ]  # fmt: skip
    for index in range(3):
        app.selectbox[index].select_index(1).run()
    assert not app.exception, [e.value for e in app.exception]
    assert [s.value for s in app.success] == ["Файлът е наред. Записи за внасяне: 2."]
    next(b for b in app.button if b.label == "Внеси записите (2)").click().run()
    assert [s.value for s in app.success] == ["Внесени записи: 2."]
    assert len(stored_activities(engine)) == 2


def test_a_focus_area_in_latin_letters_is_named_in_both_languages(engine: Engine, writer: Engine) -> None:
    data = "Име;Направления\r\nКлуб;Sport\r\n".encode("cp1251")
    result = import_partners(engine=writer, actor=EDITOR, data=data, filename="p.csv")
    assert result.ok
    assert (focus_names(engine, "bg")["sport"], focus_names(engine, "en")["sport"]) == ("sport", "sport")


def test_the_command_line_maps_a_value_as_told(database_url: str, engine: Engine) -> None:
    add_partner(engine, slug="amalipe", name=AMALIPE, short_name="Амалипе")
    add_partner(engine, slug="adra", name=ADRA, short_name="АДРА")
    path = str(FIXTURES / "school_activities_cp1251.csv")
    maps = ["--map", "Организации:Amalipe=Амалипе", "--map", "organizations:ADRA Bulgaria=" + ADRA]
    result = run_db(database_url, "import", "activities", path, *maps, "--map", "организации:амалипи=Амалипе")
    assert result.returncode == 0, result.stderr
    assert "„Amalipe“ е записано като „Център „Амалипе““ (ваш избор)." in result.stdout
    partners = run_db(
        database_url, "import", "partners", str(FIXTURES / "school_partners_cp1251.csv"),
        "--map", "направления:общност=развитие на общността", "--map", "направления:хуманитарна помощ=+",
    )  # fmt: skip
    assert partners.returncode == 0, partners.stderr
    georgi = next(p for p in stored_partners(engine) if p["name"] == "Сдружение „Свети Георги“")
    assert georgi["focus_areas"] == sorted(["community", "humanitarna_pomosht", "obrazovanie"])


def test_a_map_not_written_as_column_value_known_is_refused(database_url: str, engine: Engine) -> None:
    path = str(FIXTURES / "school_partners_cp1251.csv")
    result = run_db(database_url, "import", "partners", path, "--map", "цвят:син=зелен")
    assert result.returncode == 2
    assert "--map се пише КОЛОНА:СТОЙНОСТ=ПОЗНАТА СТОЙНОСТ" in result.stderr
    assert stored_partners(engine) == []


def shown(elements: Any) -> list[str]:
    """The texts as the reader sees them: markdown's escapes and invisible word joiners (ui.safe.md) taken away."""
    from ui.safe import WORD_JOINER

    return [element.value.replace("\\", "").replace(WORD_JOINER, "") for element in elements]


def test_the_editor_may_take_a_new_focus_area_for_an_existing_one_on_the_screen(engine: Engine) -> None:
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_function(_import_screen, default_timeout=60)
    app.run()
    app.file_uploader[0].set_value(("партньори.csv", fixture("school_partners_cp1251.csv"), "text/csv")).run()
    assert not app.exception, [e.value for e in app.exception]
    assert "Ще бъдат добавени нови направления: „образование“, „общност“, „спорт“." in shown(app.info)
    box = next(box for box in app.selectbox if box.label.startswith("„образование“"))
    assert box.value == "add"
    box.select("образователна интеграция").run()
    assert "Ще бъдат добавени нови направления: „общност“, „спорт“." in shown(app.info)
    next(b for b in app.button if b.label == "Внеси записите (2)").click().run()
    georgi = next(p for p in stored_partners(engine) if p["name"] == "Сдружение „Свети Георги“")
    assert georgi["focus_areas"] == sorted(["education", "humanitarian", "obshtnost"])


# What a review found: ambiguous or short words taken silently, one area added three times, odd tag names.


@pytest.mark.parametrize("written", ["Larg", "Rom", "Sdruzhenie"])
def test_a_suggestion_that_is_not_clearly_the_one_is_never_taken_without_asking(
    engine: Engine, writer: Engine, written: str
) -> None:
    add_partner(engine, slug="largo", name="Сдружение „Ларго“", short_name="Ларго")
    add_partner(engine, slug="fondatsiya-largo", name="Фондация „Ларго“", short_name="Фондация Ларго")
    add_partner(engine, slug="nevo-drom", name="Сдружение „Нево Дром“", short_name="Нево Дром")
    add_partner(engine, slug="vtoro", name="Второ сдружение", short_name="Второ сдружение")
    before = counts(engine)
    data = f"Дата;Заглавие;Вид;Организации\r\n08.04.2014;Среща;среща;{written}\r\n".encode("cp1251")
    result = import_activities(engine=writer, actor=EDITOR, data=data, filename="a.csv", accept_suggestions=True)
    assert [p.values["value"] for p in result.problems] == [written]
    assert (result.added, result.taken, counts(engine)) == (0, [], before)


def test_spellings_of_one_new_focus_area_in_one_file_become_one_tag(engine: Engine, writer: Engine) -> None:
    data = (
        "Име;Направления\r\nПърви клуб;Екология на града\r\nВтори клуб;Екологиа на града\r\n"
        "Трети клуб;Ekologia na grada\r\n"
    ).encode("cp1251", errors="strict")
    result = import_partners(engine=writer, actor=EDITOR, data=data, filename="p.csv")
    assert result.ok, said(result.problems)
    assert [tag.name for tag in result.new_tags] == ["екология на града"]
    with Session(engine) as session:
        areas = {p.name: [a.code for a in p.focus_areas] for p in session.scalars(select(Organization))}
    assert len({tuple(codes) for codes in areas.values()}) == 1


@pytest.mark.parametrize("area", ["„“", "x" * 121])
def test_a_focus_area_that_cannot_be_a_name_is_refused_and_nothing_is_added(
    engine: Engine, writer: Engine, area: str
) -> None:
    before = counts(engine)
    data = f"Име;Направления\r\nКлуб;{area}\r\n".encode("cp1251")
    result = import_partners(engine=writer, actor=EDITOR, data=data, filename="p.csv")
    assert [p.field for p in result.problems] == ["focus_areas"]
    assert (result.added, counts(engine)) == (0, before)


@pytest.mark.usefixtures("known")
def test_a_word_from_the_file_shows_as_text_in_the_screens_choice(engine: Engine) -> None:
    """A cell such as `![](http://tracker/x)` in a label would make the editor's browser fetch it."""
    from streamlit.testing.v1 import AppTest

    data = "Дата;Заглавие;Вид;Организации\r\n08.04.2014;Среща;среща;![Amalipe](http://tracker.example/x)\r\n"
    app = AppTest.from_function(_import_screen, default_timeout=60)
    app.run()
    app.radio(key="import_table").set_value("activities").run()
    app.file_uploader[0].set_value(("дейности.csv", data.encode("cp1251"), "text/csv")).run()
    assert not app.exception, [e.value for e in app.exception]
    (label,) = [box.label for box in app.selectbox]
    assert label.startswith("„\\!\\[Amalipe\\]\\(http\\:")


def test_a_choice_that_names_nothing_known_is_refused(engine: Engine, writer: Engine, known: dict[str, int]) -> None:
    before = counts(engine)
    mapping = {("organizations", "Amalipe"): "Амалипп", ("organizations", "ADRA Bulgaria"): known["adra"],
               ("organizations", "амалипи"): known["amalipe"]}  # fmt: skip
    result = import_activities(
        engine=writer, actor=EDITOR, data=fixture("school_activities_cp1251.csv"), filename="a.csv",
        today=TODAY, mapping=mapping,
    )  # fmt: skip
    assert said(result.problems) == ["Ред 2: „Партньори“: за „Amalipe“ е избрано „Амалипп“, а такава стойност няма."]
    assert counts(engine) == before
    areas = {("focus_areas", "образование"): "no-such-area"}
    refused = import_partners(
        engine=writer, actor=EDITOR, data=fixture("school_partners_cp1251.csv"), filename="p.csv", mapping=areas
    )
    assert not refused.ok and counts(engine) == before
