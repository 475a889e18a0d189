"""The Presentation page's renderer: one slide of the deck model in large type for a projector, no HTML.

The slides, their titles, figures and charts come from the deck (`content.model.Deck`) and
their words from `content.prose`, as in the PowerPoint file; this module only lays them out
with Streamlit. Text from the database goes through `ui.safe.md`.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from charts.registry import chart_spec
from content.model import PartnerSection, Slide, StoryItem
from content.prose import FigureRow, Prose
from ui.chart_specs import page_spec
from ui.data import data_source
from ui.safe import md
from ui.styles import TITLE_SLIDE_KEY
from ui.views import DELTA_COLORS

PROJECTOR_MARK_SIZE = 400  # px²: a timeline mark's shape reads from the back of a room


def heading(level: int, text: str) -> None:
    """A Markdown heading as large type; `text` must already be escaped if it comes from the database."""
    st.markdown(f"{'#' * level} {text}", anchors=False)


def draw_slide(prose: Prose, slide: Slide) -> None:
    """Draw `slide` of `prose.deck`."""
    if slide.kind == "title":
        title_slide(prose)
    elif slide.kind == "figures":
        figures_slide(prose, slide)
    elif slide.kind == "partner":
        section = prose.deck.section(slide.partner)
        if section is not None:
            partner_slide(prose, slide, section)
    elif slide.kind == "chart":
        chart_slide(prose, slide)
    elif slide.kind == "story":
        item = prose.deck.story_item(slide.activity)
        if item is not None:
            story_slide(prose, slide, item)
    elif slide.kind == "outcomes":
        outcomes_slide(prose, slide)
    else:
        raise ValueError(f"no drawing for a slide of kind {slide.kind!r}")


def title_slide(prose: Prose) -> None:
    # The key names the slide for the projector view, which centres it on the screen (ui/styles.py).
    with st.container(key=TITLE_SLIDE_KEY):
        st.title(prose.slide_title(Slide("title")), anchor=False)
        st.header(prose.school(), anchor=False)
        st.subheader(prose.period(), anchor=False)
        st.space("medium")
        if prose.deck.partners:
            heading(3, f"{prose.partners_label()}: " + " · ".join(md(name) for name in prose.deck.partners))
        if prose.types_line():
            heading(4, md(prose.types_line()))


def figures_slide(prose: Prose, slide: Slide) -> None:
    st.title(prose.slide_title(slide), anchor=False)
    heading(4, prose.period())
    st.space("medium")
    figure_tiles(prose, prose.figure_rows(), across=True)
    st.space("medium")
    if prose.deck.figures.current["activities"] == 0:
        heading(5, prose.t("report.summary_none"))
    else:
        heading(5, prose.comparison_note())


def figure_tiles(prose: Prose, rows: Sequence[FigureRow], *, across: bool) -> None:
    """The figures in bordered tiles, side by side (`across`) or one under another."""
    places = st.columns(len(rows), gap="medium") if across else [st.container() for _ in rows]
    for place, row in zip(places, rows, strict=True):
        with place, st.container(border=True):
            heading(4, row.label)
            heading(1 if across else 2, row.value)
            if row.change is not None:
                color = DELTA_COLORS[row.change.direction]
                heading(4, f":{color}[{row.change.arrow} {row.change.text}] {prose.against()}")


def partner_slide(prose: Prose, slide: Slide, section: PartnerSection) -> None:
    st.title(md(prose.slide_title(slide)), anchor=False)
    subtitle = prose.partner_subtitle(section)
    if subtitle:
        heading(3, md(subtitle))
    about, figures_column = st.columns([3, 2], gap="large")
    with about:
        heading(3, prose.t("partners.mission"))
        mission = prose.slide_mission(section)
        heading(4, md(mission) if mission else prose.t("partners.no_mission"))
        if section.latest:
            heading(3, prose.t("slides.partner.activities"))
            lines = [" · ".join(md(fact) for fact in prose.slide_activity_facts(row)) for row in section.latest]
            if section.earlier:
                lines.insert(0, prose.partner_earlier(section))
            st.markdown("\n".join(f"##### {line}" for line in lines), anchors=False)
    with figures_column:
        heading(3, prose.t("slides.partner.figures"))
        figure_tiles(prose, prose.partner_figure_rows(section), across=False)


def chart_slide(prose: Prose, slide: Slide) -> None:
    spec, deck = chart_spec(slide.chart), prose.deck
    data = deck.charts[spec.key]
    st.title(prose.slide_title(slide), anchor=False)
    heading(4, prose.chart_subtitle(spec.key))
    if prose.chart_cut(spec.key):
        heading(5, prose.chart_cut(spec.key))
    options = {"lane": "organization", "mark_size": PROJECTOR_MARK_SIZE} if spec.needs_events else {}
    source = data_source("deck", deck.filters, deck.prepared_on)  # the deck's data: read_deck's key
    shown = page_spec(spec, data, prose.chart_text, deck.filters, options, projector=True, source=source)
    st.vega_lite_chart(spec=shown, width="stretch")


def story_slide(prose: Prose, slide: Slide, item: StoryItem) -> None:
    """One activity of the story: what, when and where, with whom, its numbers, and a consented photo."""
    st.title(md(prose.slide_title(slide)), anchor=False)
    heading(3, md(prose.story_subtitle(item)))
    if item.highlight:
        st.badge(prose.t("slides.story.highlight"), icon=":material/star:", color="orange")
    text, picture = st.columns([3, 2], gap="large") if item.photo is not None else (st.container(), None)
    with text:
        if item.row.partners:
            heading(4, f"{prose.partners_label()}: {md(item.row.partners)}")
        if prose.story_description(item):
            heading(5, md(prose.story_description(item)))
        numbers = prose.story_numbers(item)
        if numbers:
            with st.container(horizontal=True, gap="medium"):
                for label, value in numbers:
                    with st.container(border=True, width=320):  # a tile per number, not half the slide
                        heading(5, label)
                        heading(2, value)
    if picture is not None and item.photo is not None:
        with picture:
            # The caption is the record's text: escaped like every text from the database.
            st.image(item.photo.image, caption=md(prose.story_photo_caption(item)) or None, width="stretch")


def outcomes_slide(prose: Prose, slide: Slide) -> None:
    """The school's outcomes of the year: a table large enough for a room, masked as the deck holds them."""
    st.title(prose.slide_title(slide), anchor=False)
    heading(4, prose.school())
    rows = prose.outcome_rows()
    headers = prose.outcome_headers()
    # Catalog words and figures only: no text from the database reaches this table.
    lines = [
        "| " + " | ".join(headers) + " |",
        "|" + "---|" * len(headers),
        *(f"| {row.label} | {row.with_unit} | {row.target} | {row.change} |" for row in rows),
    ]
    st.markdown("\n".join(line.replace("<", "\\<") for line in lines))
    heading(5, prose.outcomes_note())
