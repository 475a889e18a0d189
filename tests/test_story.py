"""The year as a story (issue 13): the period's most important activities, one a slide, in time order.

Important is what an editor starred, then the round tables, then the largest; the story follows the
shared filters and is part of the deck model the Presentation page and the PowerPoint file draw.
"""

from __future__ import annotations

import io
from datetime import date

from pptx import Presentation
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

import reports
from charts.registry import direct
from content.deck import with_choices
from content.gather import gather_deck
from content.model import STORY_ACTIVITIES, STORY_KINDS, DeckChoices, Slide
from content.prose import Prose
from db import queries
from db.access import Actor
from db.filters import ActivityFilters
from db.models import Activity
from db.transfer import import_activities
from tests.factories import add_activity, add_partner
from tests.helpers import open_app
from tests.test_data_page import _everything_shown
from ui.safe import md

YEAR = 2023
EDITOR = Actor("maria", "editor")


def record(engine: Engine) -> dict[str, int]:
    """A school year with a starred small visit, a round table, a large celebration and many small meetings."""
    largo = add_partner(engine, slug="largo", name="Сдружение „Ларго“", short_name="Ларго")
    amalipe = add_partner(engine, slug="amalipe", name="Център „Амалипе“", short_name="Амалипе")
    ids = {
        "starred": add_activity(
            engine,
            title="Посещение в дома на семейство",
            type="meeting",
            start=date(2024, 3, 1),
            participants=4,
            pupils=3,
            partners=((largo, "partner"),),
            is_highlight=True,
            description="Разговор с родителите за посещаемостта.",
        ),
        "round_table": add_activity(
            engine,
            title="Кръгла маса за Деня на ромите",
            type="round_table",
            start=date(2024, 4, 8),
            participants=30,
            pupils=12,
            partners=((largo, "organizer"), (amalipe, "partner")),
        ),
        "largest": add_activity(
            engine, title="Празник на буквите", type="celebration", start=date(2024, 5, 24), participants=300
        ),
        "cancelled": add_activity(
            engine,
            title="Отменен концерт",
            type="celebration",
            start=date(2024, 2, 1),
            participants=900,
            status="cancelled",
        ),
        "other_year": add_activity(
            engine, title="Кръгла маса 2022", type="round_table", start=date(2022, 10, 1), participants=50
        ),
    }
    for day in range(1, STORY_ACTIVITIES + 3):
        add_activity(engine, title=f"Среща № {day}", type="meeting", start=date(2023, 10, day), participants=day)
    return ids


def test_the_story_opens_with_the_starred_then_round_tables_then_the_largest_in_time_order(engine: Engine) -> None:
    ids = record(engine)
    deck = gather_deck(direct(engine), ActivityFilters(YEAR), today=date(2024, 6, 30))
    story = [item.activity_id for item in deck.story]
    assert len(story) == STORY_ACTIVITIES
    # The starred visit of 4 people and the round table are in; so is the large celebration; the
    # cancelled concert and another year's round table are not; the smallest meetings are left out.
    assert {ids["starred"], ids["round_table"], ids["largest"]} <= set(story)
    assert ids["cancelled"] not in story and ids["other_year"] not in story
    titles = [item.row.title for item in deck.story]
    assert "Среща № 1" not in titles and "Среща № 2" not in titles and f"Среща № {STORY_ACTIVITIES + 2}" in titles
    days = [item.row.start_date for item in deck.story]
    assert days == sorted(days)  # told in time order
    assert [slide.key for slide in deck.slides if slide.kind == "story"] == [f"story:{i}" for i in story]
    assert deck.story_item(ids["starred"]).highlight  # type: ignore[union-attr]


def test_story_mode_is_the_title_the_timeline_and_the_story(engine: Engine) -> None:
    record(engine)
    whole = gather_deck(direct(engine), ActivityFilters(YEAR), today=date(2024, 6, 30))
    deck = with_choices(whole, DeckChoices(kinds=STORY_KINDS))
    assert [slide.kind if slide.kind != "chart" else slide.chart for slide in deck.slides] == [
        "title",
        "timeline",
        *["story"] * STORY_ACTIVITIES,
    ]


def test_a_story_slide_hides_a_small_number_of_pupils_on_the_page_and_in_the_file(engine: Engine) -> None:
    ids = record(engine)
    whole = gather_deck(direct(engine), ActivityFilters(YEAR), today=date(2024, 6, 30))
    deck = with_choices(whole, DeckChoices(kinds=STORY_KINDS))
    number = [slide.key for slide in deck.slides].index(f"story:{ids['starred']}") + 1

    app = open_app(page="pages/presentation.py", year="2023-2024", slides=",".join(STORY_KINDS), slide=str(number))
    assert app.main.title[0].value == md("Посещение в дома на семейство")
    texts = [m.value for m in app.main.markdown]
    assert "##### Обхванати ученици" in texts and "## <\u00a05" in texts and "## 3" not in texts
    assert "#### С участието на: Ларго" in texts
    assert any("Акцент на годината" in text for text in texts)  # the star's badge

    data = reports.generate(engine, school_year=YEAR, fmt="pptx", filters=ActivityFilters(YEAR))
    slides = list(Presentation(io.BytesIO(data)).slides)
    (shown,) = [s for s in slides if s.shapes.title.text == "Посещение в дома на семейство"]
    text = "\n".join(shape.text_frame.text for shape in shown.shapes if shape.has_text_frame)
    notes = shown.notes_slide.notes_text_frame.text
    assert "<\u00a05" in text and "Акцент на годината" in text and "Разговор с родителите" in text
    assert "Обхванати ученици: <\u00a05" in notes and "Обхванати ученици: 3" not in notes


def test_the_story_button_turns_the_deck_into_the_story_and_back(engine: Engine) -> None:
    record(engine)
    app = open_app(page="pages/presentation.py", year="2023-2024", slide="3")
    app.button(key="presentation_story").click().run()
    assert app.query_params["slides"] == ",".join(STORY_KINDS)
    assert app.query_params["slide"] == "1"
    assert app.main.markdown[0].value == f"#### 1 / {2 + STORY_ACTIVITIES}"
    app.button(key="presentation_story").click().run()
    assert "slides" not in app.query_params  # every kind again: the default, left out of the link


def test_an_import_stars_a_highlight_and_the_story_takes_it_first(engine: Engine, writer: Engine) -> None:
    record(engine)
    data = (
        "Дата;Заглавие;Вид;Организации;Участници;Акцент\r\n"
        "12.12.2023;Малка работилница;обучение;Ларго;2;да\r\n"
        "13.12.2023;Друга работилница;обучение;Ларго;2;не\r\n"
    ).encode()
    result = import_activities(engine=writer, actor=EDITOR, data=data, filename="a.csv")
    assert (result.problems, result.added) == ([], 2)
    with Session(engine) as session:
        imported = select(Activity.title, Activity.is_highlight).where(Activity.title.like("%работилница"))
        starred = {title: flag for title, flag in session.execute(imported)}
    assert starred == {"Малка работилница": True, "Друга работилница": False}
    story = queries.story_activities(engine, ActivityFilters(YEAR), limit=2)
    assert story["title"].tolist() == ["Посещение в дома на семейство", "Малка работилница"] or story[
        "title"
    ].tolist() == ["Малка работилница", "Посещение в дома на семейство"]
    assert story["highlight"].tolist() == [True, True]


def test_the_story_in_english(engine: Engine) -> None:
    ids = record(engine)
    deck = gather_deck(direct(engine), ActivityFilters(YEAR), today=date(2024, 6, 30))
    prose = Prose(deck, "en")
    item = deck.story_item(ids["round_table"])
    assert item is not None
    assert prose.slide_title(Slide("story", activity=item.activity_id)) == "Кръгла маса за Деня на ромите"
    assert prose.story_subtitle(item) == "8 April 2024 · Round table"
    assert prose.story_partners(item) == "With: Амалипе, Ларго"
    assert prose.story_numbers(item) == [("Participants", "30"), ("Pupils reached", "12")]


def test_the_demo_stars_its_own_highlights_only(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        starred = session.execute(
            select(Activity.title, Activity.is_demo, Activity.status).where(Activity.is_highlight)
        )
        rows = list(starred)
    assert rows and all(is_demo and status == "held" for _, is_demo, status in rows)
    deck = gather_deck(direct(demo_engine), ActivityFilters(YEAR), today=date(2024, 6, 30))
    assert sum(item.highlight for item in deck.story) == 2  # the Roma Day celebration and the campaign


def _photo(color: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (640, 480), color).save(out, "JPEG")
    return out.getvalue()


def test_a_story_slide_shows_a_consented_photo_and_never_one_without_consent(engine: Engine, writer: Engine) -> None:
    from db.attachments import add_attachment

    ids = record(engine)
    # The round table: a photo without consent first in the editors' order, then one with it.
    add_attachment(engine=writer, actor=EDITOR, activity_id=ids["round_table"], raw=_photo("red"),
                   file_name="a.jpg", caption="Без съгласие", consent="no")  # fmt: skip
    add_attachment(engine=writer, actor=EDITOR, activity_id=ids["round_table"], raw=_photo("blue"),
                   file_name="b.jpg", caption="Кръглата маса", credit="Мария", consent="yes")  # fmt: skip
    # The starred visit: only a photo without consent.
    add_attachment(engine=writer, actor=EDITOR, activity_id=ids["starred"], raw=_photo("green"),
                   file_name="c.jpg", caption="Семейството", consent="no")  # fmt: skip

    deck = gather_deck(direct(engine), ActivityFilters(YEAR), today=date(2024, 6, 30))
    table, visit = deck.story_item(ids["round_table"]), deck.story_item(ids["starred"])
    assert table is not None and table.photo is not None and visit is not None
    assert visit.photo is None  # no consent, no photo
    assert (table.photo.caption, table.photo.credit) == ("Кръглата маса", "Мария")
    assert Prose(deck, "bg").story_photo_caption(table) == "Кръглата маса · Снимка: Мария"

    whole = with_choices(deck, DeckChoices(kinds=STORY_KINDS))
    number = [slide.key for slide in whole.slides].index(f"story:{ids['round_table']}") + 1
    app = open_app(page="pages/presentation.py", year="2023-2024", slides=",".join(STORY_KINDS), slide=str(number))
    shown = _everything_shown(app)  # every element's proto: the image's caption is in its own
    assert "Кръглата маса" in shown and "Без съгласие" not in shown

    data = reports.generate(engine, school_year=YEAR, fmt="pptx", filters=ActivityFilters(YEAR))
    shapes = [shape for slide in Presentation(io.BytesIO(data)).slides for shape in slide.shapes]
    photos = [shape for shape in shapes if shape.name.startswith("photo:")]
    assert [shape.name for shape in photos] == [f"photo:{ids['round_table']}"]
    texts = "\n".join(shape.text_frame.text for shape in shapes if shape.has_text_frame)
    assert "Без съгласие" not in texts and "Семейството" not in texts and "Кръглата маса · Снимка: Мария" in texts
    # Blue, not the red photo without consent that comes first.
    from PIL import Image

    red, green, blue = Image.open(io.BytesIO(photos[0].image.blob)).convert("RGB").getpixel((10, 10))
    assert blue > 200 and red < 60
