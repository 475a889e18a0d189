"""Control characters stored in any text field never stop a file (issue 10).

The forms and the import clean text where it enters, but a record written before that (or by hand)
may hold `\\x0b`, `\\x01`, `\\x1f`, `\\x7f` or `\\x00`. Each text field of a partner and of an activity
(db/fields.py declares them) is written straight into SQLite with them, and the CSV and XLSX
exports, a CSV export read back into an empty database, the PDF, Word and PowerPoint files and
every chart's PNG and SVG must all still be made.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, update

import reports
from charts.builders import ChartText
from charts.images import chart_png, chart_svg
from charts.registry import ALL_CHARTS, direct
from db import migrate
from db.access import Actor
from db.engine import get_engine, get_write_engine
from db.fields import Field, Kind, declared
from db.filters import ActivityFilters
from db.models import Activity, Organization
from db.text import printable
from db.transfer import import_activities, import_partners, to_csv_bytes, to_xlsx_bytes, whole_database
from i18n import translator
from tests import tally
from tests.factories import add_activity, add_partner
from tests.helpers import stored_activities, stored_partners

CONTROL = "\x0b\x01\x1f\x7f\x00"
EDITOR = Actor("maria", "editor")
YEAR = 2023
TODAY = date(2024, 6, 1)
TEXT_KINDS = (Kind.TEXT, Kind.LONG_TEXT, Kind.LINK, Kind.EMAIL)
MODELS = {"partners": Organization, "activities": Activity}
# A value of each kind that passes the checks once its control characters are gone.
PLAIN = {Kind.LINK: "https://largo.example.org/x", Kind.EMAIL: "office@largo.example.org"}
TEXT_FIELDS = [(table, field) for table in MODELS for field in declared(table) if field.kind in TEXT_KINDS]


def hostile(field: Field) -> str:
    """The field's value with control characters at its start, in its middle and at its end."""
    plain = PLAIN.get(field.kind, f"Стойност на {field.name}")
    return f"{CONTROL}{plain[:8]}{CONTROL}{plain[8:]}{CONTROL}"


def store_records(engine: Engine, fields: list[tuple[str, Field]]) -> None:
    """A partner and an activity of YEAR; then `fields` overwritten in SQLite, as no form would write them."""
    partner = add_partner(engine, slug="largo", name="Сдружение „Ларго“", short_name="Ларго", kind="association")
    add_activity(engine, title="Среща", type="meeting", start=date(2024, 4, 8), participants=20,
                 partners=((partner, "organizer"),))  # fmt: skip
    with engine.begin() as connection:
        for table, field in fields:
            model = MODELS[table]
            connection.execute(update(model).values({getattr(model, field.attribute): hostile(field)}))


@pytest.fixture(scope="module")
def empty_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database at the newest schema, migrated once for the module."""
    path = tmp_path_factory.mktemp("empty") / "empty.db"
    engine = get_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture
def empty_copy(tmp_path: Path, empty_database: Path) -> Iterator[Engine]:
    """A copy of it for one test to import into."""
    shutil.copyfile(empty_database, tmp_path / "copy.db")
    engine = get_engine(f"sqlite:///{tmp_path / 'copy.db'}")
    yield engine
    engine.dispose()


@pytest.mark.parametrize(("table", "field"), TEXT_FIELDS, ids=[f"{t}.{f.name}" for t, f in TEXT_FIELDS])
def test_a_field_with_control_characters_is_exported_and_its_csv_imports_back(
    engine: Engine, empty_copy: Engine, table: str, field: Field
) -> None:
    store_records(engine, [(table, field)])
    sheets = whole_database(engine, "bg")
    assert to_xlsx_bytes(sheets, "bg")[:2] == b"PK"
    files = {name: to_csv_bytes(sheets[name], "bg") for name in ("partners", "activities")}
    writer = get_write_engine(str(empty_copy.url))
    partners = import_partners(engine=writer, actor=EDITOR, data=files["partners"], filename="p.csv")
    activities = import_activities(engine=writer, actor=EDITOR, data=files["activities"], filename="a.csv")
    assert (partners.problems, activities.problems) == ([], [])
    # What comes back is what was stored, without the control characters.
    stored = stored_partners(empty_copy) if table == "partners" else stored_activities(empty_copy)
    assert [row[field.name] for row in stored] == [printable(hostile(field))]
    tally.inputs(1)


@pytest.fixture
def every_field_hostile(engine: Engine) -> Engine:
    store_records(engine, TEXT_FIELDS)
    return engine


@pytest.mark.parametrize("fmt", reports.FORMATS)
def test_every_report_is_written_with_control_characters_in_every_field(
    every_field_hostile: Engine, fmt: reports.Format
) -> None:
    data = reports.generate(every_field_hostile, school_year=YEAR, fmt=fmt, today=TODAY)
    assert len(data) > 1000
    tally.inputs(len(TEXT_FIELDS))


@pytest.mark.parametrize("spec", ALL_CHARTS, ids=[spec.key for spec in ALL_CHARTS])
def test_every_chart_picture_is_drawn_with_control_characters_in_every_field(every_field_hostile: Engine, spec) -> None:  # type: ignore[no-untyped-def]
    """The pictures the pages offer: the chart as the page builds it, from data read as the page reads it."""
    filters = ActivityFilters(YEAR)
    data = spec.load(direct(every_field_hostile), filters)
    chart = spec.build(data, ChartText(translator("bg"), "bg", {"meeting": "среща"}), filters)
    assert chart_png(chart, scale=1)[:4] == b"\x89PNG"
    assert chart_svg(chart).lstrip().startswith("<svg")
    tally.inputs(2)
