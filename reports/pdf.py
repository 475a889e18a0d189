"""The annual report as PDF, with the same content as the .docx, written by fpdf2 (pure Python).

The text is set in a TrueType font with Cyrillic (reports/fonts.py), embedded as a subset;
headings become the PDF's bookmarks, so a reader can jump to a partner.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime, time

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos
from PIL import Image

from content.model import Listing, Report, Slide
from content.prose import Prose
from i18n import languages
from reports.fonts import cyrillic_font
from reports.pictures import Picture

FONT = "ReportSans"
PRIMARY = (0x00, 0x72, 0xB2)
INK = (0x1F, 0x29, 0x37)
MUTED = (0x55, 0x5F, 0x6D)
TILE = (0xE8, 0xF1, 0xF8)
MARGIN = 18  # mm
LINE = 1.45  # line height as a multiple of the font size
PICTURE_MAX_HEIGHT = 200  # mm
# The table of all activities on landscape pages, in mm: №, date, title, type, partners, people, pupils, link.
TABLE_COLUMNS_MM = (9, 24, 76, 24, 36, 22, 17, 53)
NUMERIC_COLUMNS = (0, 5, 6)
HEADING_SIZES = {0: 17, 1: 13.5, 2: 11.5}
# How much room (mm) a heading needs below it: a partner's name starts a page rather than leave
# its mission on the next one.
KEEP_WITH_NEXT = {0: 30, 1: 60, 2: 20}


class _ReportPDF(FPDF):
    """A4 with the page number at the foot of every page."""

    def __init__(self, page_label: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.page_label = page_label

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, self.page_label.format(page=self.page_no(), pages="{nb}"), align=Align.C)


def build_report_pdf(report: Report, prose: Prose, pictures: Sequence[Picture]) -> bytes:
    """The report as PDF bytes, in the words of `prose` (of `report.deck`), with the deck's `pictures`."""
    pdf = _ReportPDF(prose.t("report.page"))
    font = cyrillic_font()
    pdf.add_font(FONT, "", str(font.regular))
    pdf.add_font(FONT, "B", str(font.bold))
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    pdf.set_title(f"{prose.title()} · {prose.period()}")
    pdf.set_author(prose.school())
    pdf.set_lang(languages.language(prose.lang).document_tag)
    # The day the content is of, not the second of writing: the same data give the same file.
    pdf.set_creation_date(datetime.combine(report.deck.prepared_on, time(), tzinfo=UTC))
    pdf.add_page()
    _title(pdf, prose)
    _summary(pdf, prose)
    _outcomes(pdf, prose)
    _partners(pdf, prose, report)
    _charts(pdf, prose, pictures)
    _all_activities(pdf, prose, report)
    return bytes(pdf.output())


def _title(pdf: FPDF, prose: Prose) -> None:
    _text(pdf, prose.title(), size=22, bold=True, color=PRIMARY)
    _text(pdf, prose.school(), size=14)
    _text(pdf, prose.period(), size=14, bold=True)
    _text(pdf, prose.prepared_on(), size=10, color=MUTED)
    pdf.ln(4)


def _summary(pdf: FPDF, prose: Prose) -> None:
    _heading(pdf, prose.t("report.summary"), 0)
    _text(pdf, prose.summary())
    compare = prose.deck.figures.previous is not None
    headers = [prose.t("report.figure"), prose.year_column()]
    widths: tuple[float, ...] = (70, 40)
    if compare:
        headers += [prose.previous_year(), prose.t("report.change")]
        widths = (64, 38, 36, 36)
    rows = [
        [row.label, row.value, *([row.previous, row.change_text] if compare else [])] for row in prose.figure_rows()
    ]
    _table(pdf, headers, rows, widths, numeric=range(1, len(headers)), size=10)
    note = prose.to_date_note()
    if note:
        _text(pdf, note, size=9, color=MUTED)


def _outcomes(pdf: FPDF, prose: Prose) -> None:
    """The school's outcomes of the year, masked as the deck holds them; nothing without outcomes."""
    if not prose.deck.outcomes:
        return
    _heading(pdf, prose.slide_title(Slide("outcomes")), 0)
    rows = [[row.label, row.with_unit, row.target, row.change] for row in prose.outcome_rows()]
    _table(pdf, prose.outcome_headers(), rows, (70, 44, 26, 34), numeric=(1, 2, 3), size=10)
    _text(pdf, prose.outcomes_note(), size=9, color=MUTED)


def _partners(pdf: FPDF, prose: Prose, report: Report) -> None:
    _heading(pdf, prose.t("nav.partners"), 0)
    if not prose.deck.sections:
        _text(pdf, prose.t("report.summary_none"))
        return
    _text(pdf, prose.partners_intro())
    if any(listing.more for listing in report.partner_activities.values()):
        _text(pdf, prose.partner_lists_note(), size=10, color=MUTED)
    for section in prose.deck.sections:
        _heading(pdf, section.name, 1)
        _text(pdf, prose.partner_facts(section), size=10, color=MUTED)
        _labelled(pdf, prose.t("partners.mission"), prose.mission(section))
        _text(pdf, prose.partner_figures(section), bold=True, size=10)
        _heading(pdf, prose.t("slides.partner.activities"), 2)
        listing = report.partner_activities.get(section.slug, Listing((), 0))
        for row in listing.rows:
            _bullet(pdf, prose.activity_line(row))
        if listing.more:
            _text(pdf, prose.listing_more(listing), size=10, color=MUTED)
        pdf.ln(2)


def _charts(pdf: FPDF, prose: Prose, charts: Sequence[Picture]) -> None:
    if not charts:
        return
    for index, chart in enumerate(charts):
        png = chart.png()
        pixel_width, pixel_height = Image.open(io.BytesIO(png)).size
        width = min(pdf.epw, PICTURE_MAX_HEIGHT * pixel_width / pixel_height)
        height = width * pixel_height / pixel_width
        # A chart, its heading and its numbers stay on one page; the first takes "Charts" along.
        if pdf.will_page_break(height + (50 if index == 0 else 30)):
            pdf.add_page()
        if index == 0:
            _heading(pdf, prose.t("report.charts"), 0)
        _heading(pdf, chart.title, 1)
        # A timeline that shows only the newest events says so, as on the slide.
        numbers = " ".join(part for part in (prose.chart_cut(chart.key), chart.numbers) if part)
        pdf.image(io.BytesIO(png), x=Align.C, w=width, alt_text=f"{chart.title}. {numbers}")
        pdf.ln(2)
        _text(pdf, numbers, size=9, color=MUTED)
        pdf.ln(2)


def _all_activities(pdf: FPDF, prose: Prose, report: Report) -> None:
    pdf.add_page(orientation="landscape")
    _heading(pdf, prose.t("report.all_activities"), 0)
    if not report.activities:
        _text(pdf, prose.t("report.summary_none"))
        return
    _text(pdf, prose.t("report.all_activities_note"), size=9, color=MUTED)
    rows = [prose.table_cells(number, row) for number, row in enumerate(report.activities, start=1)]
    _table(pdf, prose.table_headers(), rows, TABLE_COLUMNS_MM, numeric=NUMERIC_COLUMNS, size=8, link_column=7)
    if report.activities_cut:
        _text(pdf, prose.activities_cut(len(report.activities), report.activities_total), size=9, color=MUTED)


def _heading(pdf: FPDF, text: str, level: int) -> None:
    """A heading that is not left alone at the foot of a page, and a bookmark for it (levels 0 and 1)."""
    if pdf.will_page_break(KEEP_WITH_NEXT[level]):
        pdf.add_page()
    pdf.ln(3 if level else 5)
    if level < 2:
        pdf.start_section(text, level=level)
    _text(pdf, text, size=HEADING_SIZES[level], bold=True, color=PRIMARY if level == 0 else INK)
    pdf.ln(1)


def _text(
    pdf: FPDF,
    text: str,
    *,
    size: float = 11,
    bold: bool = False,
    color: tuple[int, int, int] = INK,
) -> None:
    pdf.set_font(FONT, style="B" if bold else "", size=size)
    pdf.set_text_color(*color)
    _lines_at(pdf, pdf.l_margin, _lines(pdf, text, pdf.epw), size * LINE * 0.3528)  # pt to mm
    pdf.ln(1)


def _labelled(pdf: FPDF, label: str, text: str, *, size: float = 11) -> None:
    """`Мисия: …`: a bold label running on into plain text."""
    line_height = size * LINE * 0.3528
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, style="B", size=size)
    label = f"{label}: "
    label_width = _width(pdf, label)
    pdf.cell(label_width + pdf.c_margin, line_height, label)
    pdf.set_font(FONT, size=size)
    first, *rest = _lines(pdf, text, pdf.epw - label_width, later=pdf.epw) or [""]
    pdf.set_x(pdf.l_margin + label_width)
    pdf.cell(pdf.epw - label_width, line_height, first, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _lines_at(pdf, pdf.l_margin, rest, line_height)
    pdf.ln(1)


def _bullet(pdf: FPDF, text: str, *, size: float = 10.5) -> None:
    pdf.set_font(FONT, size=size)
    pdf.set_text_color(*INK)
    line_height = size * LINE * 0.3528
    indent = MARGIN + 3 + 5
    lines = _lines(pdf, text, pdf.w - pdf.r_margin - indent)
    if pdf.will_page_break(line_height):
        pdf.add_page(same=True)
    pdf.set_x(MARGIN + 3)
    pdf.cell(5, line_height, "•")
    _lines_at(pdf, indent, lines, line_height)


def _lines_at(pdf: FPDF, x: float, lines: list[str], line_height: float) -> None:
    """Lines already broken, one cell each from `x` to the right margin."""
    for line in lines:
        if pdf.get_x() != x:
            pdf.set_x(x)
        pdf.cell(pdf.w - pdf.r_margin - x, line_height, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _lines(pdf: FPDF, text: str, width: float, *, later: float | None = None) -> list[str]:
    """`text` broken into lines that fit a cell `width` mm wide (`later` for the lines after the first).

    fpdf2's multi_cell measures a line again for every character it adds (37 % of the time of a
    large report): here each word is measured once per font, and a word longer than a line (a web
    address) is cut where it must.
    """
    room = width - 2 * pdf.c_margin
    space = _width(pdf, " ")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line: list[str] = []
        used = 0.0
        for word in paragraph.split(" "):
            word_width = _width(pdf, word)
            if line and used + space + word_width > room:
                lines.append(" ".join(line))
                line, used = [], 0.0
                room = (later if later is not None else width) - 2 * pdf.c_margin
            while not line and word_width > room and len(word) > 1:
                cut = _fitting(pdf, word, room)
                lines.append(word[:cut])
                word = word[cut:]
                word_width = _width(pdf, word)
                room = (later if later is not None else width) - 2 * pdf.c_margin
            used += (space if line else 0.0) + word_width
            line.append(word)
        lines.append(" ".join(line))
    return lines


def _fitting(pdf: FPDF, word: str, room: float) -> int:
    """How many of the word's first characters fit `room` mm (at least one)."""
    cut = 1
    while cut < len(word) and pdf.get_string_width(word[: cut + 1]) <= room:
        cut += 1
    return cut


def _width(pdf: FPDF, text: str) -> float:
    """The width of `text` in the current font, measured once per font and size."""
    cache: dict[tuple[str, str, float, str], float] = pdf.__dict__.setdefault("_widths", {})
    key = (pdf.font_family, pdf.font_style, pdf.font_size_pt, text)
    if key not in cache:
        cache[key] = pdf.get_string_width(text)
    return cache[key]


def _table(
    pdf: FPDF,
    headers: list[str],
    rows: list[list[str]],
    widths: tuple[float, ...],
    *,
    numeric: range | tuple[int, ...] = (),
    size: float = 10,
    link_column: int | None = None,
) -> None:
    """A table whose header repeats on every page; the link column's text is a clickable link.

    Drawn here rather than by fpdf2's `table()`, which breaks every cell's lines twice with
    multi_cell: a large year's table took most of the PDF's time.
    """
    pdf.set_text_color(*INK)
    pdf.set_draw_color(0xB0, 0xB8, 0xC0)
    pdf.set_fill_color(*TILE)
    line_height = size * 1.3 * 0.3528
    padding = 1.2

    def broken(cells: list[str], style: str) -> list[list[str]]:
        pdf.set_font(FONT, style=style, size=size)
        return [
            _lines(pdf, text, width - 2 * padding + 2 * pdf.c_margin) for text, width in zip(cells, widths, strict=True)
        ]

    def draw(cells: list[list[str]], texts: list[str], style: str, fill: bool) -> None:
        height = max(len(lines) for lines in cells) * line_height + 2 * padding
        pdf.set_font(FONT, style=style, size=size)
        x, y = pdf.l_margin, pdf.get_y()
        for index, (lines, width) in enumerate(zip(cells, widths, strict=True)):
            pdf.rect(x, y, width, height, style="DF" if fill else "D")
            link = texts[index] if index == link_column and texts[index] and not fill else None
            for number, line in enumerate(lines):
                pdf.set_xy(x + padding - pdf.c_margin, y + padding + number * line_height)
                align = Align.R if index in numeric and not fill else Align.L
                pdf.cell(width - 2 * padding + 2 * pdf.c_margin, line_height, line, align=align, link=link or "")
            x += width
        pdf.set_xy(pdf.l_margin, y + height)

    header = broken(headers, "B")
    pdf.set_auto_page_break(False)
    draw(header, headers, "B", True)
    for texts in rows:
        cells = broken(texts, "")
        height = max(len(lines) for lines in cells) * line_height + 2 * padding
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page(same=True)
            draw(header, headers, "B", True)
        draw(cells, texts, "", False)
    pdf.set_auto_page_break(True, margin=MARGIN)
    pdf.ln(3)
