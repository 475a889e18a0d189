"""One deck model, three renderings: the Presentation page, the PowerPoint deck and the Word and PDF reports.

For a filter set the deck model (`content`) is built once; each rendering must show its slide
titles, its figures and its charts, and a partner filter must mean the same on the title slide,
in the figures and in the charts.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date, timedelta

import pytest
from docx import Document
from pptx import Presentation
from pypdf import PdfReader
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

import reports
from charts import registry
from charts.registry import TIMELINE_LIMIT, chart_spec, direct
from content.deck import with_choices
from content.gather import gather_deck
from content.model import Deck, DeckChoices, Slide
from content.prose import Prose
from db import queries
from db.filters import ActivityFilters
from i18n.formatting import format_number
from tests.factories import add_activity, add_partner
from tests.helpers import open_app
from ui.safe import md

YEAR = 2023
PICTURE = 13  # MSO_SHAPE_TYPE.PICTURE


def organization_ids(engine: Engine, *slugs: str) -> tuple[int, ...]:
    choices = queries.organization_choices(engine).set_index("slug")["id"]
    return tuple(int(choices[slug]) for slug in slugs)


def deck_for(engine: Engine, filters: ActivityFilters, choices: DeckChoices | None = None) -> Deck:
    # The page reads with date.today(); so does this deck, so that both describe the same day.
    whole = gather_deck(direct(engine), filters, today=date.today())
    return with_choices(whole, choices) if choices else whole


def page_slides(count: int, **params: str | list[str]) -> list[AppTest]:
    """The Presentation page opened on each slide in turn."""
    return [open_app(page="pages/presentation.py", slide=str(n), **params) for n in range(1, count + 1)]


def pptx_slides(engine: Engine, filters: ActivityFilters, lang: str = "bg") -> list:  # type: ignore[type-arg]
    data = reports.generate(engine, school_year=filters.school_year, fmt="pptx", lang=lang, filters=filters)
    return list(Presentation(io.BytesIO(data)).slides)


@pytest.mark.parametrize(("partners", "lang"), [((), "en"), (("amalipe", "largo"), "bg")])
def test_the_page_the_deck_and_the_reports_draw_the_same_model(
    demo_engine: Engine, partners: tuple[str, ...], lang: str
) -> None:
    filters = ActivityFilters(YEAR, organization_ids(demo_engine, *partners))
    deck = deck_for(demo_engine, filters)
    prose = Prose(deck, lang)
    titles = [prose.slide_title(slide) for slide in deck.slides]
    figures = [row.value for row in prose.figure_rows()]
    chart_keys = [slide.chart for slide in deck.slides if slide.kind == "chart"]
    assert chart_keys == ["timeline", "by_organization", "by_month", "by_school_year"]

    # The Presentation page: the same slides in the same order, the same figures.
    shown = page_slides(
        len(deck.slides), year="2023-2024", org=list(partners), **({"lang": lang} if lang != "bg" else {})
    )
    # A partner's short name comes from the database and is shown escaped (ui.safe.md).
    escaped = [
        md(title) if slide.kind == "partner" else title for title, slide in zip(titles, deck.slides, strict=True)
    ]
    assert [app.main.title[0].value for app in shown] == escaped
    figures_page = shown[[slide.kind for slide in deck.slides].index("figures")]
    assert [m.value.removeprefix("# ") for m in figures_page.main.markdown if m.value.startswith("# ")] == figures
    assert all(len(app.get("vega_lite_chart")) == 1 for app, s in zip(shown, deck.slides, strict=True) if s.chart)

    # The PowerPoint deck: the same titles, the same figures, a picture named for each chart.
    slides = pptx_slides(demo_engine, filters, lang)
    assert [slide.shapes.title.text for slide in slides] == titles
    figure_slide = slides[[slide.kind for slide in deck.slides].index("figures")]
    tiles = [s.text_frame.text.split("\n")[0] for s in figure_slide.shapes if s.shape_type == 1 and s.has_text_frame]
    tiles = [tile for tile in tiles if tile]  # the accent bar is a shape without text
    assert tiles == figures
    pictures = [shape.name for slide in slides for shape in slide.shapes if shape.shape_type == PICTURE]
    assert pictures == [f"chart:{key}" for key in chart_keys]

    # The reports: the same figures in the summary, the same charts under the same titles.
    document = Document(
        io.BytesIO(reports.generate(demo_engine, school_year=YEAR, fmt="docx", lang=lang, filters=filters))
    )
    summary = document.tables[0]
    assert [row.cells[1].text for row in summary.rows[1:]] == figures
    chart_headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"][-len(chart_keys) :]
    assert chart_headings == [prose.slide_title(slide) for slide in deck.slides if slide.chart]
    assert [shape._inline.docPr.get("name") for shape in document.inline_shapes] == [
        f"chart:{key}" for key in chart_keys
    ]
    pdf = PdfReader(io.BytesIO(reports.generate(demo_engine, school_year=YEAR, fmt="pdf", lang=lang, filters=filters)))
    titles_at = [None if isinstance(item, list) else item.title for item in pdf.outline]
    charts_outline = pdf.outline[titles_at.index(prose.t("report.charts")) + 1]  # the bookmarks under "Графики"
    assert [item.title for item in charts_outline] == chart_headings


def test_a_partner_filter_means_the_same_on_the_title_in_the_figures_and_in_the_charts(demo_engine: Engine) -> None:
    filters = ActivityFilters(YEAR, organization_ids(demo_engine, "amalipe", "largo"))
    deck = deck_for(demo_engine, filters)

    assert deck.partners == ("Амалипе", "Ларго") or deck.partners == ("Ларго", "Амалипе")
    assert deck.figures.current["partners"] == len(deck.partners) == 2
    assert set(deck.charts["by_organization"]["short_name"]) == set(deck.partners)
    assert set(deck.charts["timeline"].events["organization"]) >= set(deck.partners)
    assert [slide.partner for slide in deck.slides if slide.kind == "partner"] == ["amalipe", "largo"] or [
        slide.partner for slide in deck.slides if slide.kind == "partner"
    ] == ["largo", "amalipe"]

    # The title slide on the page and in the file names the partners the figures count.
    title = open_app(page="pages/presentation.py", slide="1", year="2023-2024", org=["amalipe", "largo"])
    line = next(m.value for m in title.main.markdown if m.value.startswith("### С участието на: "))
    assert line.removeprefix("### С участието на: ").split(" · ") == list(deck.partners)
    (first, *_) = pptx_slides(demo_engine, filters)
    assert f"С участието на: {' · '.join(deck.partners)}" in first.placeholders[1].text_frame.text


def test_the_presenters_choice_of_partners_picks_slides_not_the_selection(demo_engine: Engine) -> None:
    """Choosing one partner's slide (`order=`) leaves the title and the figures describing every partner."""
    filters = ActivityFilters(YEAR)
    whole = deck_for(demo_engine, filters)
    chosen = deck_for(demo_engine, filters, DeckChoices(partner_order=("largo",)))

    assert [slide.partner for slide in chosen.slides if slide.kind == "partner"] == ["largo"]
    assert chosen.partners == whole.partners and len(whole.partners) > 1
    assert chosen.figures == whole.figures
    app = open_app(page="pages/presentation.py", slide="1", year="2023-2024", order="largo")
    line = next(m.value for m in app.main.markdown if m.value.startswith("### С участието на: "))
    assert len(line.split(" · ")) == whole.figures.current["partners"]


def test_every_registered_deck_chart_has_a_title_a_builder_and_numbers(demo_engine: Engine) -> None:
    deck = deck_for(demo_engine, ActivityFilters(YEAR))
    prose = Prose(deck, "en")
    for key, data in deck.charts.items():
        spec = chart_spec(key)
        assert not re.search("[а-яА-Я]", prose.t(spec.title_key(deck.filters)))
        chart = spec.build(data, prose.chart_text, deck.filters)
        assert chart.to_dict()["$schema"]
        assert spec.numbers(data, prose.chart_text, deck.filters), key


def test_a_chart_added_to_the_registry_shows_on_the_page_in_the_deck_and_in_the_reports(
    demo_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Adding a chart is one entry in charts.registry (its builder and title exist already here)."""
    extra = replace(registry.chart_spec("by_month"), key="extra", title="chart_title.people", file_name="extra")
    monkeypatch.setattr(registry, "ALL_CHARTS", (*registry.ALL_CHARTS, extra))
    filters = ActivityFilters(YEAR)
    deck = deck_for(demo_engine, filters)
    # The last chart; the school's outcomes follow it (tests/test_outcomes.py).
    assert deck.slides[-2:] == (Slide("chart", chart="extra"), Slide("outcomes"))

    last = open_app(page="pages/presentation.py", slide=str(len(deck.slides) - 1), year="2023-2024")
    assert last.main.title[0].value == "Участници и обхванати ученици"
    assert len(last.get("vega_lite_chart")) == 1
    pictures = [shape.name for slide in pptx_slides(demo_engine, filters) for shape in slide.shapes]
    assert "chart:extra" in pictures
    document = Document(io.BytesIO(reports.generate(demo_engine, school_year=YEAR, fmt="docx")))
    assert [shape._inline.docPr.get("name") for shape in document.inline_shapes][-1] == "chart:extra"


def test_a_timeline_cut_to_the_newest_events_says_so_on_the_page_and_in_the_deck(engine: Engine) -> None:
    pid = add_partner(engine, slug="zaedno", name="Сдружение „Заедно“", short_name="Заедно")
    first = date(2023, 9, 15)
    for day in range(TIMELINE_LIMIT + 30):
        add_activity(engine, title="Занимание", type="training", start=first + timedelta(days=day),
                     partners=((pid, "organizer"),))  # fmt: skip
    deck = deck_for(engine, ActivityFilters())
    said = Prose(deck, "bg").chart_cut("timeline")
    assert (
        said == f"Показани са последните {format_number(TIMELINE_LIMIT, 'bg')} от {format_number(1530, 'bg')} дейности."
    )

    number = [slide.chart for slide in deck.slides].index("timeline") + 1
    page = open_app(page="pages/presentation.py", slide=str(number), year="all")
    assert f"##### {said}" in [m.value for m in page.main.markdown]
    slide = pptx_slides(engine, ActivityFilters())[number - 1]
    assert any(said in shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
