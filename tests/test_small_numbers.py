"""Small numbers of children (db.privacy): a count of pupils below the threshold reads „< 5“ wherever
anyone looks (the pages, the Presentation page, the deck, the reports, a table's download), and no change
against it tells it. The record has one activity with 3 pupils; its real number is in none of them."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from docx import Document
from pptx import Presentation
from pypdf import PdfReader
from sqlalchemy import Engine

import reports
from db import queries
from db.filters import ActivityFilters
from db.transfer import to_csv_bytes
from tests.factories import add_activity, add_partner
from tests.helpers import open_app
from ui.views import downloaded_rows

LESS = "<\u00a05"
YEAR = 2023


@pytest.fixture
def small(engine: Engine) -> int:
    largo = add_partner(engine, slug="largo", name="Сдружение „Ларго“", short_name="Ларго")
    # The year before had 40: a change of −37 would tell the 3.
    add_activity(engine, title="Лятно училище", type="project", start=date(2023, 6, 1), participants=50, pupils=40,
                 partners=((largo, "partner"),))  # fmt: skip
    return add_activity(
        engine,
        title="Посещение у дома",
        type="meeting",
        start=date(2024, 3, 1),
        participants=137,
        pupils=3,
        partners=((largo, "partner"),),
    )


def test_the_pages_read_less_than_five(engine: Engine, small: int) -> None:
    overview = open_app(year="2023-2024")
    pupils = [m for m in overview.metric if m.label == "Обхванати ученици"]
    assert [m.value for m in pupils] == [LESS] and [m.proto.delta for m in pupils] == [""]

    listing = open_app(page="pages/activities.py", year="2023-2024")
    assert listing.dataframe[0].value["pupils_reached"].tolist() == [LESS]

    details = open_app(page="pages/activities.py", activity=str(small), year="2023-2024")
    numbers = [str(m.value) for m in details.markdown if "Обхванати ученици" in str(m.value)]
    assert numbers == [f"Обхванати ученици: {LESS}"] or numbers == [f"Участници: 137 · Обхванати ученици: {LESS}"]

    partners = open_app(page="pages/partners.py", year="2023-2024")
    for chart in partners.get("vega_lite_chart"):
        values = [row for dataset in json.loads(chart.proto.spec).get("datasets", {}).values() for row in dataset]
        assert not any(row.get("measure") == "pupils" and row.get("people") == 3 for row in values)


def test_the_presentation_and_the_files_read_less_than_five(engine: Engine, small: int) -> None:
    figures = open_app(page="pages/presentation.py", year="2023-2024", slide="2")
    shown = [str(m.value) for m in figures.main.markdown]
    assert f"# {LESS}" in shown and "# 3" not in shown

    filters = ActivityFilters(YEAR)
    deck = Presentation(io.BytesIO(reports.generate(engine, school_year=YEAR, fmt="pptx", filters=filters)))
    texts = [shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame]
    notes = [slide.notes_slide.notes_text_frame.text for slide in deck.slides]
    assert any(text.startswith(LESS) for text in texts)
    assert not any("Обхванати ученици: 3" in note for note in notes)

    document = Document(io.BytesIO(reports.generate(engine, school_year=YEAR, fmt="docx", filters=filters)))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert LESS in cells and "3" not in cells

    pdf = PdfReader(io.BytesIO(reports.generate(engine, school_year=YEAR, fmt="pdf", filters=filters)))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "< 5" in text.replace("\u00a0", " ")


def test_a_tables_download_reads_less_than_five(engine: Engine, small: int) -> None:
    listed = queries.activity_list(engine, ActivityFilters(YEAR))
    rows = downloaded_rows(listed, {}, "bg")
    assert rows["pupils_reached"].tolist() == [LESS]
    csv = to_csv_bytes(rows, "bg").decode("utf-8-sig")
    assert f";137;{LESS};" in csv and ";137;3;" not in csv
