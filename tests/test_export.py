"""Exporting to .csv and .xlsx: what Bulgarian Excel opens as it should, safe cells, and a round trip back in."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from db import migrate, queries
from db.access import Actor
from db.engine import get_engine, get_write_engine
from db.filters import ActivityFilters
from db.transfer import (
    export_activities,
    export_partners,
    import_activities,
    import_partners,
    read_table,
    template_bytes,
    to_csv_bytes,
    to_xlsx_bytes,
    whole_database,
)
from db.transfer.exporting import template_frame
from db.transfer.reading import safe_openpyxl
from tests.factories import add_activity, add_partner
from tests.helpers import LARGO, ROS, run_db, stored_activities, stored_partners

EDITOR = Actor("maria", "editor")
FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1 етаж", "-2 стаи", "@SUM(A1)", "\tтаб", "\rвръщане"]


@pytest.fixture
def record(engine: Engine) -> dict[str, int]:
    """Two partners and three activities: one role for all, mixed roles, and text Excel would take for formulas."""
    ros = add_partner(
        engine, slug="ros", name=ROS, short_name="РОС „Изток“", kind="community_council", city="Кюстендил",
        focus=("community", "education"), partner_since=date(2010, 9, 15), phone="+359 78 123 456",
    )  # fmt: skip
    largo = add_partner(
        engine, slug="largo", name=LARGO, short_name="Ларго", kind="association", is_active=False,
        mission="Първи ред.\nВтори ред; с точка и запетая.",
    )  # fmt: skip
    round_table = add_activity(
        engine, title="Кръгла маса за Деня на ромите", type="round_table", start=date(2014, 4, 8),
        participants=40, pupils=12, partners=((ros, "organizer"), (largo, "organizer")),
        location="ОУ „Иван Вазов“", news_url="https://school.example.bg/news/1",
    )  # fmt: skip
    celebration = add_activity(
        engine, title="Празник на буквите", type="celebration", start=date(2014, 5, 24), end=date(2014, 5, 25),
        partners=((ros, "partner"), (largo, "funder")), status="cancelled",
    )  # fmt: skip
    formulas = add_activity(
        engine, title=FORMULAS[0], type="meeting", start=date(2024, 10, 1), status="planned",
        location=FORMULAS[1], description=FORMULAS[2], partners=((largo, "guest"),),
    )  # fmt: skip
    return {"ros": ros, "largo": largo, "round_table": round_table, "celebration": celebration, "formulas": formulas}


# ---- the frames -------------------------------------------------------------------------------


def test_partners_are_exported_as_the_import_reads_them(engine: Engine, record: dict[str, int]) -> None:
    assert export_partners(engine).to_dict("records") == [
        {
            "name": ROS,
            "short_name": "РОС „Изток“",
            "kind": "общностен съвет",
            "city": "Кюстендил",
            "website": "",
            "email": "",
            "phone": "+359 78 123 456",
            "contact_person": "",
            "mission": "",
            "focus_areas": "образователна интеграция; развитие на общността",
            "partner_since": date(2010, 9, 15),
            "is_active": "да",
        },
        {
            "name": LARGO,
            "short_name": "Ларго",
            "kind": "сдружение",
            "city": "",
            "website": "",
            "email": "",
            "phone": "",
            "contact_person": "",
            "mission": "Първи ред.\nВтори ред; с точка и запетая.",
            "focus_areas": "",
            "partner_since": None,
            "is_active": "не",
        },
    ]
    english = export_partners(engine, lang="en").to_dict("records")
    assert [(p["kind"], p["focus_areas"], p["is_active"]) for p in english] == [
        ("community council", "educational integration; community development", "yes"),
        ("association", "", "no"),
    ]


def test_activities_name_their_partners_and_roles(engine: Engine, record: dict[str, int]) -> None:
    frame = export_activities(engine, ActivityFilters())
    assert frame.to_dict("records")[:2] == [
        {
            "start_date": date(2014, 4, 8),
            "end_date": None,
            "title": "Кръгла маса за Деня на ромите",
            "type": "кръгла маса",
            "organizations": f"{ROS}; {LARGO}",
            "role": "организатор",
            "status": "проведена",
            "location": "ОУ „Иван Вазов“",
            "participants": 40,
            "pupils_reached": 12,
            # By stage, parents and teachers (migration 0012): none given.
            "pupils_primary": None,
            "pupils_secondary": None,
            "parents": None,
            "teachers": None,
            "description": "",
            "news_url": "https://school.example.bg/news/1",
            "highlight": "не",
        },
        {
            "start_date": date(2014, 5, 24),
            "end_date": date(2014, 5, 25),
            "title": "Празник на буквите",
            "type": "празник",
            "organizations": f"{ROS} (партньор); {LARGO} (финансира)",
            "role": "",
            "status": "отменена",
            "location": "",
            "participants": None,
            "pupils_reached": None,
            # By stage, parents and teachers (migration 0012): none given.
            "pupils_primary": None,
            "pupils_secondary": None,
            "parents": None,
            "teachers": None,
            "description": "",
            "news_url": "",
            "highlight": "не",
        },
    ]
    english = export_activities(engine, ActivityFilters(), lang="en").to_dict("records")
    assert [(a["type"], a["organizations"], a["role"], a["status"]) for a in english] == [
        ("round table", f"{ROS}; {LARGO}", "organizer", "held"),
        ("celebration", f"{ROS} (partner); {LARGO} (funder)", "", "cancelled"),
        ("meeting", LARGO, "guest", "planned"),
    ]


@pytest.mark.parametrize(
    ("filters", "titles"),
    [
        (ActivityFilters(school_year=2013), ["Кръгла маса за Деня на ромите", "Празник на буквите"]),
        (ActivityFilters(type_codes=("meeting",)), [FORMULAS[0]]),
        (ActivityFilters(organization_ids=(-1,)), []),
    ],
)
def test_the_filtered_view_is_exported(
    engine: Engine, record: dict[str, int], filters: ActivityFilters, titles: list[str]
) -> None:
    assert export_activities(engine, filters)["title"].tolist() == titles


def test_the_filtered_view_by_partner(engine: Engine, record: dict[str, int]) -> None:
    only_ros = export_activities(engine, ActivityFilters(organization_ids=(record["ros"],)))
    # The activity keeps all its partners: the filter chooses activities, not links.
    assert only_ros["organizations"].tolist() == [f"{ROS}; {LARGO}", f"{ROS} (партньор); {LARGO} (финансира)"]


# ---- CSV -------------------------------------------------------------------------------------


def test_csv_is_utf8_with_bom_and_semicolons_for_bulgarian_excel(engine: Engine, record: dict[str, int]) -> None:
    data = to_csv_bytes(export_activities(engine, ActivityFilters()), "bg")
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data[3:].decode("utf-8").split("\r\n")
    assert lines[0] == (
        "Дата;Крайна дата;Заглавие;Вид;Организации;Роля;Състояние;Място;Участници;Ученици;"
        "Ученици I–IV клас;Ученици V–VII клас;Родители;Учители;Описание;Връзка;Акцент"
    )
    assert lines[1] == (
        f'08.04.2014;;Кръгла маса за Деня на ромите;кръгла маса;"{ROS}; {LARGO}";организатор;проведена;'
        "ОУ „Иван Вазов“;40;12;;;;;;https://school.example.bg/news/1;не"
    )
    assert lines[2].startswith("24.05.2014;25.05.2014;Празник на буквите;празник;")


def test_csv_headers_in_english(engine: Engine, record: dict[str, int]) -> None:
    partners = to_csv_bytes(export_partners(engine, lang="en"), "en")[3:].decode().split("\r\n")[0]
    activities = to_csv_bytes(export_activities(engine, ActivityFilters(), lang="en"), "en")[3:].decode()
    assert partners == (
        "Name;Short name;Kind;City;Website;Email;Phone;Contact;Mission;Focus areas;Partner since;Active"
    )
    assert activities.split("\r\n")[0] == (
        "Date;End date;Title;Type;Organizations;Role;Status;Location;Participants;Students;"
        "Pupils grades 1–4;Pupils grades 5–7;Parents;Teachers;Description;Link;Highlight"
    )


def test_csv_cells_that_excel_would_run_are_written_as_text(engine: Engine, record: dict[str, int]) -> None:
    frame = export_activities(engine, ActivityFilters(type_codes=("meeting",)))
    frame.loc[0, "news_url"] = FORMULAS[3]
    row = to_csv_bytes(frame, "bg")[3:].decode().split("\r\n")[1]
    assert row == (
        """01.10.2024;;"'=HYPERLINK(""http://evil.example"",""x"")";среща;Сдружение „Ларго“;гост;планирана;"""
        "'+1 етаж;;;;;;;'-2 стаи;'@SUM(A1);не"  # the four counts by stage (migration 0012) empty
    )
    phone = to_csv_bytes(export_partners(engine), "bg")[3:].decode().split("\r\n")[1].split(";")[6]
    assert phone == "'+359 78 123 456"


@pytest.mark.parametrize("text", FORMULAS)
def test_every_formula_start_is_escaped_in_csv_and_read_back_unchanged(text: str) -> None:
    frame = template_frame("activities")
    frame.loc[0, "title"] = text
    data = to_csv_bytes(frame, "bg")
    cell = data[3:].decode().split("\r\n", 1)[1].split(";")[2]
    assert cell.lstrip('"').startswith("'" + text[0])
    rows, problems = read_table(data, "back.csv", table="activities")
    assert problems == [] and rows[0]["title"] == text


# ---- xlsx ------------------------------------------------------------------------------------


def open_workbook(data: bytes) -> Any:
    return safe_openpyxl().load_workbook(io.BytesIO(data))


def test_xlsx_has_a_sheet_per_table_with_real_dates(engine: Engine, record: dict[str, int]) -> None:
    workbook = open_workbook(to_xlsx_bytes(whole_database(engine, "bg"), "bg"))
    assert workbook.sheetnames == ["Партньори", "Дейности"]
    activities = workbook["Дейности"]
    assert [cell.value for cell in activities[1]][:4] == ["Дата", "Крайна дата", "Заглавие", "Вид"]
    date_cell, end_cell = activities["A3"], activities["B3"]
    assert (date_cell.value, date_cell.number_format, date_cell.is_date) == (
        datetime(2014, 5, 24),
        "DD.MM.YYYY",
        True,
    )
    assert end_cell.value == datetime(2014, 5, 25)
    assert [activities["I2"].value, activities["J2"].value, activities["I3"].value] == [40, 12, None]
    assert activities["A2"].font.bold is False and activities["A1"].font.bold is True
    assert open_workbook(to_xlsx_bytes(whole_database(engine, "en"), "en")).sheetnames == ["Partners", "Activities"]


def test_xlsx_text_cells_are_strings_never_formulas(engine: Engine, record: dict[str, int]) -> None:
    frame = export_activities(engine, ActivityFilters(type_codes=("meeting",)))
    for column, text in zip(["description", "news_url", "role"], FORMULAS[2:5], strict=True):
        frame.loc[0, column] = text
    sheet = open_workbook(to_xlsx_bytes({"activities": frame}, "bg"))["Дейности"]
    cells = {sheet.cell(1, n).value: sheet.cell(2, n) for n in range(1, sheet.max_column + 1)}
    for header, text in [
        ("Заглавие", FORMULAS[0]),
        ("Място", FORMULAS[1]),
        ("Описание", FORMULAS[2]),
        ("Връзка", FORMULAS[3]),
        ("Роля", FORMULAS[4]),
    ]:
        assert (cells[header].data_type, cells[header].value) == ("s", text)


def test_xlsx_formula_text_comes_back_unchanged(engine: Engine, record: dict[str, int]) -> None:
    data = to_xlsx_bytes({"activities": export_activities(engine, ActivityFilters())}, "bg")
    rows, problems = read_table(data, "back.xlsx", table="activities")
    assert problems == []
    assert (rows[2]["title"], rows[2]["location"], rows[2]["description"]) == tuple(FORMULAS[:3])


# ---- round trip ----------------------------------------------------------------------------------


@pytest.fixture
def empty_copy(tmp_path: Path) -> Engine:
    engine = get_engine(f"sqlite:///{tmp_path / 'copy.db'}")
    migrate.upgrade(engine)
    return engine


def add_awkward_records(engine: Engine) -> None:
    """A partner and an activity with what CSV and Excel make hard: quotes, `;`, new lines, formulas, mixed roles."""
    largo = queries.partner_profile(engine, "largo")
    assert largo is not None
    partner = add_partner(
        engine, slug="club", name='Клуб "Четем; пишем"', short_name="+Клуб", kind="other", phone="+359 88 123 4567",
        mission="Първи ред.\nВтори ред; трети.", is_active=False,
    )  # fmt: skip
    add_activity(
        engine, title=FORMULAS[0], type="other", start=date(2025, 2, 28), status="cancelled",
        location=FORMULAS[1], description="-2 стаи\n@SUM(A1)", news_url="https://school.example.bg/?a=1&b=2",
        partners=((partner, "funder"), (largo["id"], "guest")),
    )  # fmt: skip


@pytest.mark.parametrize("lang", ["bg", "en"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_export_imports_back_into_an_empty_database_as_the_same_records(
    demo_engine: Engine, empty_copy: Engine, fmt: str, lang: str
) -> None:
    add_awkward_records(demo_engine)
    sheets = whole_database(demo_engine, lang)
    if fmt == "xlsx":
        partners_file = activities_file = to_xlsx_bytes(sheets, lang)
    else:
        partners_file, activities_file = (to_csv_bytes(sheets[table], lang) for table in ("partners", "activities"))
    writer = get_write_engine(str(empty_copy.url))
    partners = import_partners(engine=writer, actor=EDITOR, data=partners_file, filename=f"all.{fmt}")
    activities = import_activities(engine=writer, actor=EDITOR, data=activities_file, filename=f"all.{fmt}")
    assert (partners.problems, activities.problems) == ([], [])
    assert (partners.added, activities.added) == (len(sheets["partners"]), len(sheets["activities"]))
    assert stored_partners(empty_copy) == stored_partners(demo_engine)
    assert stored_activities(empty_copy) == stored_activities(demo_engine)


# ---- templates -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["bg", "en"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_templates_hold_every_column_and_an_example_that_imports(engine: Engine, fmt: Any, lang: str) -> None:
    writer = get_write_engine(str(engine.url))
    partners = template_bytes("partners", fmt, lang)
    activities = template_bytes("activities", fmt, lang)
    rows, problems = read_table(activities, f"t.{fmt}", table="activities")
    assert problems == []
    assert rows[0]["title"] == "Кръгла маса за Деня на ромите" and len(rows) == 1
    assert import_partners(engine=writer, actor=EDITOR, data=partners, filename=f"t.{fmt}").added == 1
    assert import_activities(engine=writer, actor=EDITOR, data=activities, filename=f"t.{fmt}").added == 1
    assert [(a["type"], a["organizations"]) for a in stored_activities(engine)] == [
        ("round_table", [("Сдружение „Пример“", "organizer")])
    ]


def test_the_csv_template_header_in_each_language() -> None:
    assert template_bytes("partners", "csv", "bg")[3:].decode().split("\r\n")[0] == (
        "Име;Кратко име;Вид;Град;Уебсайт;Имейл;Телефон;Лице за контакт;Мисия;Направления;Партньор от;Активен"
    )
    english = template_bytes("activities", "csv", "en")[3:].decode().split("\r\n")
    assert english[0].startswith("Date;End date;Title;Type;Organizations;Role;")
    assert english[1].startswith("08.04.2024;;Кръгла маса за Деня на ромите;кръгла маса;Сдружение „Пример“;")


# ---- the command line ------------------------------------------------------------------------


def test_the_command_line_exports_the_whole_database_to_xlsx(
    database_url: str, engine: Engine, record: dict[str, int], tmp_path: Path
) -> None:
    target = tmp_path / "всичко.xlsx"
    done = run_db(database_url, "export", str(target))
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.strip() == f"Изнесени записи в „{target}“: 5."
    workbook = open_workbook(target.read_bytes())
    assert workbook.sheetnames == ["Партньори", "Дейности"]
    assert workbook["Дейности"].max_row == 4


@pytest.mark.parametrize(("table", "header"), [("partners", "Name;Short name"), ("activities", "Date;End date")])
def test_the_command_line_exports_one_table_to_csv_in_english(
    database_url: str, engine: Engine, record: dict[str, int], tmp_path: Path, table: str, header: str
) -> None:
    target = tmp_path / f"{table}.csv"
    done = run_db(database_url, "--lang", "en", "export", str(target), "--table", table)
    assert done.returncode == 0, done.stderr
    assert target.read_bytes().startswith(b"\xef\xbb\xbf" + header.encode())


@pytest.mark.parametrize(
    ("name", "args", "message"),
    [
        ("all.csv", [], "За файл .csv посочете таблицата: --table partners или --table activities."),
        ("all.ods", [], "Изнасянето записва само файлове .xlsx или .csv."),
    ],
)
def test_the_command_line_refuses_an_export_it_cannot_write(
    database_url: str, engine: Engine, tmp_path: Path, name: str, args: list[str], message: str
) -> None:
    done = run_db(database_url, "export", str(tmp_path / name), *args)
    assert (done.returncode, done.stderr.strip()) == (2, message)
    assert not (tmp_path / name).exists()


# ---- the downloads on the Data screen ------------------------------------------------------------


def _export_screen(lang: str) -> None:
    import pandas as pd

    from db.access import Actor
    from db.filters import ActivityFilters
    from i18n import translator
    from ui.context import PageContext
    from ui.transfer import export_panel

    context = PageContext(
        lang=lang,
        t=translator(lang),
        filters=ActivityFilters(school_year=2013),
        type_names={},
        kind_names={},
        focus_names={},
        organizations=pd.DataFrame({"id": [], "short_name": []}),
        has_records=True,
    )
    export_panel(context, Actor("maria", "editor"))


@pytest.mark.parametrize(
    ("lang", "labels"),
    [
        (
            "bg",
            ["Excel (.xlsx)", "CSV (.csv)", "Excel (.xlsx)", "Партньори (.csv)", "Дейности (.csv)"]
            + ["Партньори (.xlsx)", "Партньори (.csv)", "Дейности (.xlsx)", "Дейности (.csv)"],
        ),
        (
            "en",
            ["Excel (.xlsx)", "CSV (.csv)", "Excel (.xlsx)", "Partners (.csv)", "Activities (.csv)"]
            + ["Partners (.xlsx)", "Partners (.csv)", "Activities (.xlsx)", "Activities (.csv)"],
        ),
    ],
)
def test_the_export_panel_offers_every_download(
    engine: Engine, record: dict[str, int], lang: str, labels: list
) -> None:
    app = AppTest.from_function(_export_screen, kwargs={"lang": lang}, default_timeout=60)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert [button.label for button in app.download_button] == labels
