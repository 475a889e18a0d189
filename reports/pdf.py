"""The annual report as PDF, with the same content as the .docx, written by fpdf2 (pure Python).

The text is set in a TrueType font with Cyrillic (reports/fonts.py), embedded as a subset;
headings become the PDF's bookmarks, so a reader can jump to a partner.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime, time

from fpdf import FPDF, FontFace
from fpdf.enums import Align, TableCellFillMode, XPos, YPos
from PIL import Image

from content.model import Listing, Report
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
    line_height = size * LINE * 0.3528  # pt to mm
    pdf.multi_cell(0, line_height, text, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


def _labelled(pdf: FPDF, label: str, text: str, *, size: float = 11) -> None:
    """`Мисия: …`: a bold label running on into plain text."""
    line_height = size * LINE * 0.3528
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, style="B", size=size)
    pdf.write(line_height, f"{label}: ")
    pdf.set_font(FONT, size=size)
    pdf.write(line_height, text)
    pdf.ln(line_height)
    pdf.ln(1)


def _bullet(pdf: FPDF, text: str, *, size: float = 10.5) -> None:
    pdf.set_font(FONT, size=size)
    pdf.set_text_color(*INK)
    line_height = size * LINE * 0.3528
    pdf.set_x(MARGIN + 3)
    pdf.cell(5, line_height, "•")
    pdf.multi_cell(0, line_height, text, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


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
    """A table whose header repeats on every page; the link column's text is a clickable link."""
    pdf.set_font(FONT, size=size)
    pdf.set_text_color(*INK)
    pdf.set_draw_color(0xB0, 0xB8, 0xC0)
    with pdf.table(
        col_widths=widths,
        width=sum(widths),
        align=Align.L,
        line_height=size * 1.3 * 0.3528,
        headings_style=FontFace(emphasis="BOLD", fill_color=TILE),
        cell_fill_mode=TableCellFillMode.NONE,
        text_align=tuple(Align.R if i in numeric else Align.L for i in range(len(headers))),
        padding=1.2,
    ) as table:
        header = table.row()
        for text in headers:
            header.cell(text)
        for cells in rows:
            row = table.row()
            for index, text in enumerate(cells):
                is_link = index == link_column and bool(text)
                row.cell(text, link=text if is_link else None)
    pdf.ln(3)
