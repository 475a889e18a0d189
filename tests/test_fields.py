"""Fields declared once (db.fields): every consumer shows each declared field, and picks up a new one unaided."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, String, select
from sqlalchemy.orm import Session

from db import fields, queries
from db.access import Actor
from db.fields import Field, Header, Kind
from db.filters import ActivityFilters
from db.models import Activity, AuditEntry, Organization
from db.snapshots import activity_fields, partner_fields
from db.transfer import export_activities, export_partners, import_activities, read_table
from db.transfer.exporting import headers
from db.transfer.reading import COLUMNS
from db.validation import check_activity, check_partner
from db.writes import create_activity
from i18n import CATALOGS
from tests.factories import add_activity, add_partner
from tests.helpers import PASSWORD, open_app, sign_in

EDITOR = Actor("maria", "editor")
TABLES = ("partners", "activities")
MODELS = {"partners": Organization, "activities": Activity}
WIDGETS = ("text_input", "text_area", "selectbox", "multiselect", "date_input", "number_input", "checkbox")

# The exchange format's headers as files already written have them: a declaration must keep them.
HEADERS = {
    ("partners", "bg"): ["Име", "Кратко име", "Вид", "Град", "Уебсайт", "Имейл", "Телефон", "Лице за контакт",
                         "Мисия", "Направления", "Партньор от", "Активен"],
    ("partners", "en"): ["Name", "Short name", "Kind", "City", "Website", "Email", "Phone", "Contact", "Mission",
                         "Focus areas", "Partner since", "Active"],
    ("activities", "bg"): ["Дата", "Крайна дата", "Заглавие", "Вид", "Организации", "Роля", "Състояние", "Място",
                           "Участници", "Ученици", "Ученици I–IV клас", "Ученици V–VII клас", "Родители",
                           "Учители", "Описание", "Връзка", "Акцент"],
    ("activities", "en"): ["Date", "End date", "Title", "Type", "Organizations", "Role", "Status", "Location",
                           "Participants", "Students", "Pupils grades 1–4", "Pupils grades 5–7", "Parents",
                           "Teachers", "Description", "Link", "Highlight"],
}  # fmt: skip


@pytest.fixture
def records(engine: Engine) -> tuple[int, int]:
    """A partner and an activity of it: (partner id, activity id)."""
    partner_id = add_partner(engine, slug="largo", name="Сдружение „Ларго“", short_name="Ларго", focus=("community",))
    activity_id = add_activity(
        engine, title="Среща", type="meeting", start=date(2024, 4, 8), partners=((partner_id, "organizer"),)
    )
    return partner_id, activity_id


def names(table: str) -> list[str]:
    return [field.name for field in fields.declared(table)]


def exchanged(table: str) -> list[str]:
    return [column.field for field in fields.declared(table) for column in field.columns()]


def checked(table: str, raw: dict[str, Any]) -> tuple[dict[str, Any], list[Any]]:
    if table == "partners":
        return check_partner(raw, kinds=["ngo"], focus_areas=["community"])
    return check_activity(raw, types=["meeting"], organization_ids=[1])


def widget_labels(app: Any) -> list[str]:
    return [widget.label for kind in WIDGETS for widget in getattr(app, kind)]


def open_data_page(engine: Engine) -> Any:
    from db.access import COMMAND_LINE
    from db.accounts import add_user

    add_user(engine=engine, actor=COMMAND_LINE, login="maria", password=PASSWORD, role="editor")
    app = sign_in(open_app(page="pages/data.py"), "maria", PASSWORD)
    assert not app.exception, [e.value for e in app.exception]
    return app


# ---- every declared field, everywhere -----------------------------------------------------------


@pytest.mark.parametrize("table", TABLES)
def test_every_declared_field_has_a_label_in_every_catalog(table: str) -> None:
    for lang, catalog in CATALOGS.items():
        for field in fields.declared(table):
            assert f"field.{field.name}" in catalog, (lang, field.name)
            for code in field.choices:  # a fixed choice's options are named `<field>.<code>`
                assert f"{field.name}.{code}" in catalog, (lang, field.name, code)


@pytest.mark.parametrize("table", TABLES)
def test_every_declared_field_is_an_attribute_of_the_model_and_its_limit_the_column_length(table: str) -> None:
    model = MODELS[table]
    for field in fields.declared(table):
        assert hasattr(model, field.attribute), field.name
        column = model.__table__.columns.get(field.attribute)  # type: ignore[attr-defined]
        if field.limit is not None:
            assert isinstance(column.type, String) and column.type.length == field.limit, field.name


def test_every_declared_field_is_in_the_audit_snapshot(engine: Engine, records: tuple[int, int]) -> None:
    partner_id, activity_id = records
    with Session(engine) as session:
        partner = session.get(Organization, partner_id)
        activity = session.get(Activity, activity_id)
        assert partner is not None and activity is not None
        assert list(partner_fields(partner)) == names("partners")
        assert list(activity_fields(activity)) == names("activities")
    assert partner_fields(partner)["focus_areas"] == ["community"]


@pytest.mark.parametrize("table", TABLES)
def test_every_declared_field_is_in_the_checked_values(table: str) -> None:
    clean, _ = checked(table, {})
    assert sorted(clean) == sorted(names(table))


@pytest.mark.parametrize("table", TABLES)
def test_every_exchanged_field_is_a_column_of_the_export_and_the_import(
    engine: Engine, records: tuple[int, int], table: str
) -> None:
    assert [column.field for column in COLUMNS[table]] == exchanged(table)
    frame = export_partners(engine) if table == "partners" else export_activities(engine, ActivityFilters())
    # The school's column is a network's (migration 0011, tests/test_schools.py): one school leaves it out.
    one_school = [name for name in exchanged(table) if name != "school"]
    assert list(frame.columns) == one_school
    for lang in ("bg", "en"):
        assert headers(frame, lang) == HEADERS[(table, lang)]
        line = ";".join(HEADERS[(table, lang)]) + "\r\n" + ";".join("x" for _ in HEADERS[(table, lang)]) + "\r\n"
        rows, problems = read_table(line.encode(), "file.csv", table=table)  # type: ignore[arg-type]
        assert problems == [] and sorted(rows[0]) == sorted(["_row", *one_school])


@pytest.mark.parametrize("table", TABLES)
def test_every_declared_field_has_a_widget_in_its_form(engine: Engine, records: tuple[int, int], table: str) -> None:
    app = open_data_page(engine)
    labels = widget_labels(app.tabs[TABLES.index(table)])
    catalog = CATALOGS["bg"]
    for field in fields.declared(table):
        if field.kind is Kind.SCHOOL:  # asked only in a network of schools (tests/test_schools.py)
            continue
        if field.kind is Kind.PARTNERS:  # one choice of partners per role
            wanted = [catalog[f"data.partners_as_{role}"] for role in ("organizer", "partner", "funder", "guest")]
        else:
            wanted = [catalog[f"field.{field.name}"]]
        for label in wanted:
            assert label in labels or f"{label} *" in labels, (field.name, labels)


# ---- a field declared in one place is seen everywhere ---------------------------------------------

# The activity's location declared under a new name, and its demo mark, never a field before, declared as one.
VENUE = Field("venue", Kind.TEXT, Header("зала", "venue"), limit=200, attribute="location")
DEMO = Field("is_demo", Kind.FLAG, Header("демо", "demo"))


@pytest.fixture
def declared_anew(monkeypatch: pytest.MonkeyPatch) -> None:
    """The activity's fields with `location` renamed `venue` and `is_demo` added; labels for both."""
    anew = tuple(VENUE if field.name == "location" else field for field in fields.ACTIVITY_FIELDS) + (DEMO,)
    monkeypatch.setitem(fields.FIELDS, "activities", anew)
    for catalog, venue, demo in ((CATALOGS["bg"], "Зала", "Демо"), (CATALOGS["en"], "Venue", "Demo")):
        monkeypatch.setitem(catalog, "field.venue", venue)
        monkeypatch.setitem(catalog, "field.is_demo", demo)


def test_a_new_declaration_is_checked_written_and_audited(
    engine: Engine, writer: Engine, records: tuple[int, int], declared_anew: None
) -> None:
    partner_id, _ = records
    raw = {"title": "Ден на ромите", "type": "meeting", "start_date": date(2024, 4, 8), "venue": "Зала 5"}
    clean, problems = check_activity(
        {**raw, "organizations": [(partner_id, "partner")], "is_demo": True},
        types=["meeting"],
        organization_ids=[partner_id],
    )
    assert (problems, clean["venue"], clean["is_demo"]) == ([], "Зала 5", True)
    assert "location" not in clean
    _, problems = check_activity({**raw, "venue": "я" * 201}, types=["meeting"], organization_ids=[partner_id])
    assert [(p.field, p.code) for p in problems] == [("organizations", "required"), ("venue", "too_long")]

    activity_id = create_activity(
        engine=writer, actor=EDITOR, data={**raw, "organizations": [(partner_id, "partner")], "is_demo": True}
    )
    with Session(engine) as session:
        activity = session.get(Activity, activity_id)
        assert activity is not None and (activity.location, activity.is_demo) == ("Зала 5", True)
        after = json.loads(session.scalars(select(AuditEntry.after).order_by(AuditEntry.id.desc())).first() or "")
    assert (after["venue"], after["is_demo"]) == ("Зала 5", True) and "location" not in after
    editing = queries.activity_for_editing(engine, activity_id)
    assert editing is not None and (editing["venue"], editing["is_demo"]) == ("Зала 5", True)


def test_a_new_declaration_is_a_column_of_the_export_and_the_import(
    engine: Engine, writer: Engine, records: tuple[int, int], declared_anew: None
) -> None:
    partner_id, activity_id = records
    with Session(engine) as session, session.begin():
        activity = session.get(Activity, activity_id)
        assert activity is not None
        activity.location = "Зала 5"
    frame = export_activities(engine, ActivityFilters())
    assert list(frame.columns[-2:]) == ["highlight", "is_demo"] and "location" not in frame.columns
    assert (frame["venue"].tolist(), frame["is_demo"].tolist()) == (["Зала 5"], ["не"])
    assert headers(frame, "bg")[7] == "Зала" and headers(frame, "en")[-1] == "Demo"

    data = "Дата;Заглавие;Вид;Организации;Зала;Демо\r\n09.04.2024;Кръгла маса;среща;Ларго;Зала 7;да\r\n".encode()
    result = import_activities(engine=writer, actor=EDITOR, data=data, filename="a.csv")
    assert (result.problems, result.added) == ([], 1)
    with Session(engine) as session:
        added = session.scalars(select(Activity).where(Activity.title == "Кръгла маса")).one()
        assert (added.location, added.is_demo) == ("Зала 7", True)
    unknown = data.replace("Кръгла маса".encode(), "Друга".encode()).replace(";да".encode(), ";може би".encode())
    refused = import_activities(engine=writer, actor=EDITOR, data=unknown, filename="b.csv")
    assert [(p.field, p.code) for p in refused.problems] == [("is_demo", "unknown_choice")]


def test_a_new_declaration_has_a_widget_in_the_form_and_is_saved_from_it(
    engine: Engine, records: tuple[int, int], declared_anew: None
) -> None:
    partner_id, _ = records
    app = open_data_page(engine)
    form = app.tabs[1]
    labels = widget_labels(form)
    assert "Зала" in labels and "Демо" in labels and "Място" not in labels
    next(i for i in form.text_input if i.label == "Заглавие *").input("Работилница")
    next(i for i in form.date_input if i.label == "Дата *").set_value(date(2024, 5, 6))
    next(m for m in form.multiselect if m.label == "Организатори").set_value([partner_id])
    next(i for i in form.text_input if i.label == "Зала").input("Физкултурен салон")
    next(c for c in form.checkbox if c.label == "Демо").check()
    next(b for b in form.button if b.label == "Запази").click().run()
    assert not app.exception and [s.value for s in app.success] == ["Записано."]
    with Session(engine) as session:
        saved = session.scalars(select(Activity).where(Activity.title == "Работилница")).one()
        assert (saved.location, saved.is_demo, saved.start_date) == ("Физкултурен салон", True, date(2024, 5, 6))
