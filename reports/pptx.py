"""The round-table deck (.pptx): the deck model's slides, drawn for PowerPoint.

16:9 and large type, for a projector in a school hall. The slides, their titles, figures
and charts are the deck model's (`content.model.Deck`), the same the Presentation page
shows; every slide carries the numbers behind it in its speaker notes, so the presenter
can read them out.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.opc.packuri import PackURI
from pptx.presentation import Presentation as PowerPoint
from pptx.slide import Slide as PowerPointSlide
from pptx.text.text import TextFrame
from pptx.util import Emu, Inches, Pt

from content.model import PartnerSection, Slide, StoryItem
from content.prose import FigureRow, Prose
from reports.pictures import Picture

SLIDE_WIDTH = Emu(12_192_000)  # 13.333 in: PowerPoint's own 16:9
SLIDE_HEIGHT = Inches(7.5)
MARGIN = Inches(0.6)

PRIMARY = RGBColor(0x00, 0x72, 0xB2)  # the app's primaryColor
INK = RGBColor(0x1F, 0x29, 0x37)
MUTED = RGBColor(0x55, 0x5F, 0x6D)
TILE = RGBColor(0xE8, 0xF1, 0xF8)

TITLE_LAYOUT, TITLE_ONLY_LAYOUT = 0, 5  # in python-pptx's default template


def build_pptx(prose: Prose, pictures: Sequence[Picture]) -> bytes:
    """The deck's slides as .pptx bytes, in the words of `prose`, with `pictures` (from `deck_pictures`)."""
    deck = Presentation()
    _name_parts_quickly(deck)
    deck.slide_width, deck.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    by_key = {picture.key: picture for picture in pictures}
    for slide in prose.deck.slides:
        if slide.kind == "title":
            _title_slide(deck, prose)
        elif slide.kind == "figures":
            _figures_slide(deck, prose, slide)
        elif slide.kind == "partner":
            section = prose.deck.section(slide.partner)
            if section is not None:
                _partner_slide(deck, prose, slide, section)
        elif slide.kind == "chart":
            picture = by_key[slide.chart]
            subtitle = " ".join(
                part for part in (prose.chart_subtitle(slide.chart), prose.chart_cut(slide.chart)) if part
            )
            notes = f"{prose.numbers_heading(slide.chart)}\n{picture.numbers}"
            _picture_slide(deck, prose.slide_title(slide), subtitle, picture, notes)
        elif slide.kind == "story":
            item = prose.deck.story_item(slide.activity)
            if item is not None:
                _story_slide(deck, prose, slide, item)
        elif slide.kind == "outcomes":
            _outcomes_slide(deck, prose, slide)
        else:
            raise ValueError(f"no drawing for a slide of kind {slide.kind!r}")
    output = io.BytesIO()
    deck.save(output)
    return output.getvalue()


def _name_parts_quickly(deck: PowerPoint) -> None:
    """Name each new slide and notes part from the names given so far.

    python-pptx finds a new part's name by walking every part of the package, for each slide and
    again for its notes: with 300 partner slides that took a quarter of the deck's time. The
    names are the same (the next number after those taken); only the walk is done once.
    """
    package = deck.part.package
    taken: dict[str, set[str]] = {}

    def next_partname(template: str) -> PackURI:
        prefix = template[: (template % 42).find("42")]
        if prefix not in taken:
            taken[prefix] = {str(part.partname) for part in package.iter_parts() if part.partname.startswith(prefix)}
        names, number = taken[prefix], len(taken[prefix]) + 1
        while template % number in names:
            number += 1
        names.add(template % number)
        return PackURI(template % number)

    setattr(package, "next_partname", next_partname)  # noqa: B010 (an instance's method, not the class's)


def _title_slide(deck: PowerPoint, prose: Prose) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_LAYOUT])
    _accent_bar(slide)
    title = slide.shapes.title
    _place(title, MARGIN, Inches(1.5), SLIDE_WIDTH - 2 * MARGIN, Inches(1.6))
    _set_text(title.text_frame, prose.slide_title(Slide("title")), size=44, bold=True, color=PRIMARY)
    subtitle = slide.placeholders[1]
    _place(subtitle, MARGIN, Inches(3.3), SLIDE_WIDTH - 2 * MARGIN, Inches(3.4))
    frame = subtitle.text_frame
    _set_text(frame, prose.school(), size=28, color=INK)
    _add_paragraph(frame, prose.period(), size=28, bold=True, color=INK, space_before=12)
    if prose.deck.partners:
        line = f"{prose.partners_label()}: " + " · ".join(prose.deck.partners)
        _add_paragraph(frame, line, size=20, color=MUTED, space_before=18)
    if prose.types_line():
        _add_paragraph(frame, prose.types_line(), size=18, color=MUTED, space_before=6)
    _add_paragraph(frame, prose.prepared_on(), size=14, color=MUTED, space_before=18)
    _notes(slide, "\n".join(f"{s.short_name}: {s.name}" for s in prose.deck.sections))


def _figures_slide(deck: PowerPoint, prose: Prose, shown: Slide) -> None:
    slide = _titled_slide(deck, prose.slide_title(shown))
    _text_box(slide, MARGIN, Inches(1.2), SLIDE_WIDTH - 2 * MARGIN, Inches(0.5), prose.period(), size=16, color=MUTED)
    rows = prose.figure_rows()
    gap = Inches(0.3)
    width = Emu(int((SLIDE_WIDTH - 2 * MARGIN - gap * (len(rows) - 1)) / len(rows)))
    for index, row in enumerate(rows):
        left = MARGIN + index * (width + gap)
        frame = _tile(slide, left, Inches(2.0), width, Inches(3.4))
        size = 66 if len(row.value) <= 5 else 52  # `7 871` fits a quarter of the slide, `12 345` smaller
        _set_text(frame, row.value, size=size, bold=True, color=PRIMARY, align=PP_ALIGN.CENTER)
        _add_paragraph(frame, row.label, size=22, color=INK, align=PP_ALIGN.CENTER)
        if row.change is not None:
            _add_paragraph(
                frame, _change_line(prose, row), size=16, color=MUTED, align=PP_ALIGN.CENTER, space_before=10
            )
    figures = prose.deck.figures
    if figures.current["activities"] == 0:
        _text_box(slide, MARGIN, Inches(5.8), SLIDE_WIDTH - 2 * MARGIN, Inches(0.8), prose.t("report.summary_none"))
    else:
        note = prose.comparison_note()
        _text_box(slide, MARGIN, Inches(5.8), SLIDE_WIDTH - 2 * MARGIN, Inches(0.8), note, size=16, color=MUTED)
    values = "; ".join(f"{row.label}: {row.value}" for row in rows)
    notes = [prose.t("notes.figures", period=prose.period(), values=values)]
    if figures.previous is not None:
        before = "; ".join(f"{row.label}: {row.previous}" for row in rows)
        if figures.to_date and figures.cutoff is not None:
            cutoff = prose.long_date(figures.cutoff)
            notes.append(prose.t("notes.previous_to_date", year=prose.previous_year(), date=cutoff, values=before))
        else:
            notes.append(prose.t("notes.previous", year=prose.previous_year(), values=before))
    _notes(slide, "\n".join(notes))


def _outcomes_slide(deck: PowerPoint, prose: Prose, shown: Slide) -> None:
    """The year's outcomes as a table (masked as the deck holds them), the note under it, the rows in the notes."""
    slide = _titled_slide(deck, prose.slide_title(shown))
    _text_box(slide, MARGIN, Inches(1.2), SLIDE_WIDTH - 2 * MARGIN, Inches(0.5), prose.school(), size=16, color=MUTED)
    rows = prose.outcome_rows()
    headers = prose.outcome_headers()
    height = Inches(0.42) * (len(rows) + 1)
    shape = slide.shapes.add_table(len(rows) + 1, len(headers), MARGIN, Inches(1.8), SLIDE_WIDTH - 2 * MARGIN, height)
    shape.name = "outcomes"
    table = shape.table
    for column, width in enumerate((Inches(5.6), Inches(2.6), Inches(1.6), Inches(2.333))):
        table.columns[column].width = width
    cells = [headers, *([row.label, row.with_unit, row.target, row.change] for row in rows)]
    for index, texts in enumerate(cells):
        for column, text in enumerate(texts):
            frame = table.cell(index, column).text_frame
            _set_text(frame, text, size=16 if index else 14, bold=index == 0 or column == 1, color=INK)
    top = Inches(1.8) + height + Inches(0.2)
    _text_box(slide, MARGIN, top, SLIDE_WIDTH - 2 * MARGIN, Inches(0.8), prose.outcomes_note(), size=14, color=MUTED)
    _notes(slide, "\n".join(f"{row.label}: {row.value} ({row.target})" for row in rows))


def _change_line(prose: Prose, row: FigureRow) -> str:
    """`▲ +3 спрямо 2022/2023`, as on the Presentation page."""
    return f"{row.change.arrow} {row.change_text} {prose.against()}" if row.change else ""


def _partner_slide(deck: PowerPoint, prose: Prose, shown: Slide, section: PartnerSection) -> None:
    slide = _titled_slide(deck, prose.slide_title(shown))
    subtitle = prose.partner_subtitle(section)
    _text_box(slide, MARGIN, Inches(1.2), SLIDE_WIDTH - 2 * MARGIN, Inches(0.6), subtitle, size=16, color=MUTED)

    column_top, left_width = Inches(2.0), Inches(6.0)
    mission = _text_box(slide, MARGIN, column_top, left_width, Inches(5.0), prose.t("partners.mission"), size=20)
    mission.paragraphs[0].runs[0].font.bold = True
    text = prose.slide_mission(section) or prose.t("partners.no_mission")
    _add_paragraph(mission, text, size=16 if len(text) > 380 else 18, color=INK, space_before=6)

    right = MARGIN + left_width + Inches(0.5)
    right_width = SLIDE_WIDTH - MARGIN - right
    gap = Inches(0.2)
    rows = prose.partner_figure_rows(section)
    tile_width = Emu(int((right_width - (len(rows) - 1) * gap) / len(rows)))
    for index, row in enumerate(rows):
        frame = _tile(slide, right + index * (tile_width + gap), column_top, tile_width, Inches(1.4))
        _set_text(frame, row.value, size=34, bold=True, color=PRIMARY, align=PP_ALIGN.CENTER)
        _add_paragraph(frame, row.label, size=13, color=INK, align=PP_ALIGN.CENTER)
        if row.change is not None:
            _add_paragraph(frame, f"{row.change.arrow} {row.change.text}", size=12, color=MUTED, align=PP_ALIGN.CENTER)

    listing = _text_box(
        slide, right, Inches(3.65), right_width, Inches(3.4), prose.t("slides.partner.activities"), size=20
    )
    listing.paragraphs[0].runs[0].font.bold = True
    if section.earlier:
        _add_paragraph(listing, prose.partner_earlier(section), size=15, color=MUTED, space_before=4)
    for row in section.latest:
        _add_paragraph(listing, " · ".join(prose.slide_activity_facts(row)), size=15, space_before=4)

    lines = [prose.t("notes.partner", name=section.name, figures=prose.partner_figures(section))]
    lines.append(prose.t("notes.partner_activities"))
    lines.extend(prose.activity_line(row) for row in section.latest)
    _notes(slide, "\n".join(lines))


def _story_slide(deck: PowerPoint, prose: Prose, shown: Slide, item: StoryItem) -> None:
    """An activity of the story: when and where, with whom, what happened, its numbers; its photo on the right."""
    slide = _titled_slide(deck, prose.slide_title(shown))
    subtitle = prose.story_subtitle(item)
    if item.highlight:
        subtitle = f"★ {prose.t('slides.story.highlight')} · {subtitle}"
    _text_box(slide, MARGIN, Inches(1.2), SLIDE_WIDTH - 2 * MARGIN, Inches(0.6), subtitle, size=16, color=MUTED)
    top = Inches(2.0)
    photo_width = Inches(5.4) if item.photo is not None else Emu(0)
    text_width = SLIDE_WIDTH - 2 * MARGIN - (photo_width + Inches(0.4) if item.photo is not None else Emu(0))
    numbers = prose.story_numbers(item)
    text_height = Inches(3.4) if numbers else Inches(5.0)
    frame = _text_box(slide, MARGIN, top, text_width, text_height, prose.story_partners(item), size=18)
    if frame.paragraphs[0].runs:
        frame.paragraphs[0].runs[0].font.bold = True
    description = prose.story_description(item)
    if description:
        _add_paragraph(frame, description, size=16 if len(description) > 300 else 18, space_before=10)
    gap = Inches(0.2)
    if numbers:
        tile_width = Emu(int(min(Inches(2.6), (text_width - (len(numbers) - 1) * gap) / len(numbers))))
        for index, (label, value) in enumerate(numbers):
            tile = _tile(slide, MARGIN + index * (tile_width + gap), Inches(5.6), tile_width, Inches(1.3))
            _set_text(tile, value, size=32, bold=True, color=PRIMARY, align=PP_ALIGN.CENTER)
            _add_paragraph(tile, label, size=13, color=INK, align=PP_ALIGN.CENTER)
    if item.photo is not None:
        _story_photo(slide, prose, item, SLIDE_WIDTH - MARGIN - photo_width, top, photo_width)
    _notes(slide, prose.story_notes(item))


def _story_photo(slide: PowerPointSlide, prose: Prose, item: StoryItem, left: int, top: int, width: int) -> None:
    """The photo fitted into the right column, its caption and credit under it."""
    assert item.photo is not None
    pixel_width, pixel_height = Image.open(io.BytesIO(item.photo.image)).size
    box_height = Inches(4.3)
    ratio = min(width / pixel_width, box_height / pixel_height)
    shown_width, shown_height = Emu(int(pixel_width * ratio)), Emu(int(pixel_height * ratio))
    shape = slide.shapes.add_picture(
        io.BytesIO(item.photo.image), left + Emu(int((width - shown_width) / 2)), top, shown_width, shown_height
    )
    shape.name = f"photo:{item.activity_id}"  # which activity's photo, for tools and tests
    caption = prose.story_photo_caption(item)
    if caption:
        _text_box(slide, left, top + shown_height + Inches(0.1), width, Inches(0.6), caption, size=12, color=MUTED)


def _picture_slide(deck: PowerPoint, title: str, period: str, picture: Picture, notes: str) -> None:
    slide = _titled_slide(deck, title)
    _text_box(slide, MARGIN, Inches(1.2), SLIDE_WIDTH - 2 * MARGIN, Inches(0.5), period, size=16, color=MUTED)
    box_left, box_top = MARGIN, Inches(1.8)
    box_width, box_height = SLIDE_WIDTH - 2 * MARGIN, SLIDE_HEIGHT - box_top - Inches(0.3)
    png = picture.png()
    pixel_width, pixel_height = Image.open(io.BytesIO(png)).size
    ratio = min(box_width / pixel_width, box_height / pixel_height)
    width, height = Emu(int(pixel_width * ratio)), Emu(int(pixel_height * ratio))
    left = box_left + Emu(int((box_width - width) / 2))
    shape = slide.shapes.add_picture(io.BytesIO(png), left, box_top, width, height)
    shape.name = f"chart:{picture.key}"  # which chart of charts.registry, for tools and tests
    _notes(slide, notes)


def _titled_slide(deck: PowerPoint, title: str) -> PowerPointSlide:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY_LAYOUT])
    _accent_bar(slide)
    shape = slide.shapes.title
    _place(shape, MARGIN, Inches(0.3), SLIDE_WIDTH - 2 * MARGIN, Inches(0.95))
    # A chart's title is longer than a partner's short name; it stays on one line at 32 pt.
    size = 36 if len(title) <= 32 else 32
    _set_text(shape.text_frame, title, size=size, bold=True, color=INK, align=PP_ALIGN.LEFT)
    shape.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    return slide


def _accent_bar(slide: PowerPointSlide) -> None:
    bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, SLIDE_WIDTH, Inches(0.12))
    bar.fill.solid()
    bar.fill.fore_color.rgb = PRIMARY
    bar.line.fill.background()


def _tile(slide: PowerPointSlide, left: int, top: int, width: int, height: int) -> TextFrame:
    """A light rounded box; returns its text frame, centred vertically."""
    shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, left, top, width, height)
    shape.adjustments[0] = 0.08
    shape.fill.solid()
    shape.fill.fore_color.rgb = TILE
    shape.line.fill.background()
    shape.shadow.inherit = False
    frame = shape.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    return frame


def _text_box(
    slide: PowerPointSlide,
    left: int,
    top: int,
    width: int,
    height: int,
    text: str,
    *,
    size: int = 18,
    color: RGBColor = INK,
) -> TextFrame:
    """A text box with one paragraph; returns its text frame for more."""
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    _set_text(frame, text, size=size, color=color)
    return frame


def _set_text(
    frame: TextFrame, text: str, *, size: int, bold: bool = False, color: RGBColor = INK, align: PP_ALIGN | None = None
) -> None:
    frame.text = text
    _style(frame.paragraphs[0], size=size, bold=bold, color=color, align=align)


def _add_paragraph(
    frame: TextFrame,
    text: str,
    *,
    size: int,
    bold: bool = False,
    color: RGBColor = INK,
    align: PP_ALIGN | None = None,
    space_before: int = 0,
) -> None:
    paragraph = frame.add_paragraph()
    paragraph.text = text
    _style(paragraph, size=size, bold=bold, color=color, align=align)
    paragraph.space_before = Pt(space_before)


def _style(paragraph: Any, *, size: int, bold: bool, color: RGBColor, align: PP_ALIGN | None) -> None:
    if align is not None:
        paragraph.alignment = align
    for run in paragraph.runs:
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = color


def _place(shape: Any, left: int, top: int, width: int, height: int) -> None:
    # The default template's placeholders are placed for 4:3; the slides here are 16:9.
    shape.left, shape.top, shape.width, shape.height = left, top, width, height


def _notes(slide: PowerPointSlide, text: str) -> None:
    slide.notes_slide.notes_text_frame.text = text
