"""The annual report as a Word document (.docx): summary, a section per partner, charts, all activities.

A4 portrait; the table of all activities gets a landscape section of its own, so that
titles and partners have room.
"""

from __future__ import annotations

import io
import string
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from PIL import Image

from content.model import Listing, Report
from content.prose import Prose
from i18n import languages
from reports.pictures import Picture

PAGE_WIDTH, PAGE_HEIGHT, PAGE_MARGIN = Cm(21), Cm(29.7), Cm(2)
PICTURE_MAX_HEIGHT = Cm(20)
PRIMARY = RGBColor(0x00, 0x72, 0xB2)
LINK = RGBColor(0x00, 0x5A, 0x8C)
# The table of all activities in the landscape section, in cm: №, date, title, type, partners, people, pupils, link.
TABLE_COLUMNS_CM = (0.9, 2.4, 7.6, 2.5, 3.6, 2.2, 1.8, 4.7)
NUMERIC_COLUMNS = (0, 5, 6)


def build_report_docx(report: Report, prose: Prose, pictures: Sequence[Picture]) -> bytes:
    """The report as .docx bytes, in the words of `prose` (of `report.deck`), with the deck's `pictures`."""
    document = Document()
    _set_up(document, prose)
    _title(document, prose)
    _summary(document, prose)
    _partners(document, prose, report)
    _charts(document, prose, pictures)
    _all_activities(document, prose, report)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def _set_up(document: DocumentType, prose: Prose) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, PAGE_MARGIN)
    normal = document.styles["Normal"]
    normal.font.size = Pt(11)
    # Word's spelling and hyphenation follow the language of the text, not of the computer.
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), languages.language(prose.lang).document_tag)
    normal.element.get_or_add_rPr().append(language)
    properties = document.core_properties
    properties.title = f"{prose.title()} · {prose.period()}"
    properties.author = prose.school()
    properties.language = languages.language(prose.lang).document_tag
    _page_numbers(section.footer.paragraphs[0], prose.t("report.page"))


def _title(document: DocumentType, prose: Prose) -> None:
    document.add_paragraph(prose.title(), style="Title")
    document.add_paragraph(prose.school(), style="Subtitle")
    period = document.add_paragraph()
    run = period.add_run(prose.period())
    run.bold, run.font.size, run.font.color.rgb = True, Pt(16), PRIMARY
    document.add_paragraph(prose.prepared_on())


def _summary(document: DocumentType, prose: Prose) -> None:
    document.add_heading(prose.t("report.summary"), level=1)
    document.add_paragraph(prose.summary())
    rows = prose.figure_rows()
    compare = prose.deck.figures.previous is not None
    headers = [prose.t("report.figure"), prose.year_column()]
    if compare:
        headers += [prose.previous_year(), prose.t("report.change")]
    table = _table(document, headers)
    for row in rows:
        cells = [row.label, row.value, *([row.previous, row.change_text] if compare else [])]
        _add_row(table, cells, numeric=range(1, len(cells)))
    note = prose.to_date_note()
    if note:
        document.add_paragraph(note, style="Caption")


def _partners(document: DocumentType, prose: Prose, report: Report) -> None:
    document.add_heading(prose.t("nav.partners"), level=1)
    if not prose.deck.sections:
        document.add_paragraph(prose.t("report.summary_none"))
        return
    document.add_paragraph(prose.partners_intro())
    if any(listing.more for listing in report.partner_activities.values()):
        document.add_paragraph(prose.partner_lists_note(), style="Caption")
    for section in prose.deck.sections:
        document.add_heading(section.name, level=2)
        facts = document.add_paragraph()
        facts.add_run(prose.partner_facts(section)).italic = True
        mission = document.add_paragraph()
        mission.add_run(f"{prose.t('partners.mission')}: ").bold = True
        mission.add_run(prose.mission(section))
        figures = document.add_paragraph()
        figures.add_run(prose.partner_figures(section)).bold = True
        document.add_paragraph(prose.t("slides.partner.activities"), style="Heading 3")
        listing = report.partner_activities.get(section.slug, Listing((), 0))
        for row in listing.rows:
            document.add_paragraph(prose.activity_line(row), style="List Bullet")
        if listing.more:
            document.add_paragraph().add_run(prose.listing_more(listing)).italic = True


def _charts(document: DocumentType, prose: Prose, charts: Sequence[Picture]) -> None:
    if not charts:
        return
    document.add_heading(prose.t("report.charts"), level=1)
    for chart in charts:
        document.add_heading(chart.title, level=2)
        png = chart.png()
        pixel_width, pixel_height = Image.open(io.BytesIO(png)).size
        width = min(PAGE_WIDTH - 2 * PAGE_MARGIN, int(PICTURE_MAX_HEIGHT * pixel_width / pixel_height))
        picture = document.add_picture(io.BytesIO(png), width=width)
        # A timeline that shows only the newest events says so, as on the slide.
        numbers = " ".join(part for part in (prose.chart_cut(chart.key), chart.numbers) if part)
        # Screen readers read the numbers instead of the picture.
        picture._inline.docPr.set("descr", f"{chart.title}. {numbers}")
        picture._inline.docPr.set("name", f"chart:{chart.key}")  # which chart of charts.registry
        document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        document.add_paragraph(numbers, style="Caption")


def _all_activities(document: DocumentType, prose: Prose, report: Report) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE_HEIGHT, PAGE_WIDTH
    document.add_heading(prose.t("report.all_activities"), level=1)
    if not report.activities:
        document.add_paragraph(prose.t("report.summary_none"))
        return
    document.add_paragraph(prose.t("report.all_activities_note"), style="Caption")
    table = _table(document, prose.table_headers(), widths_cm=TABLE_COLUMNS_CM, size=9)
    for number, row in enumerate(report.activities, start=1):
        cells = prose.table_cells(number, row)
        # The last cell, the news post, is written as a clickable link rather than plain text.
        added = _add_row(table, cells[:-1] + [""], numeric=NUMERIC_COLUMNS, size=9, widths_cm=TABLE_COLUMNS_CM)
        if row.link:
            _hyperlink(added[-1].paragraphs[0], row.link, row.link, size=8)
    if report.activities_cut:
        document.add_paragraph(prose.activities_cut(len(report.activities), report.activities_total), style="Caption")


def _table(
    document: DocumentType, headers: list[str], *, widths_cm: tuple[float, ...] | None = None, size: int = 10
) -> Table:
    """A bordered table with a bold header row that repeats on every page."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if widths_cm is not None:
        table.autofit = False
    for index, (cell, header) in enumerate(zip(table.rows[0].cells, headers, strict=True)):
        run = cell.paragraphs[0].add_run(header)
        run.bold, run.font.size = True, Pt(size)
        _shade(cell, "E8F1F8")
        if widths_cm is not None:
            cell.width = Cm(widths_cm[index])
    header_row = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_row.append(repeat)
    return table


def _add_row(
    table: Table,
    cells: list[str],
    *,
    numeric: range | tuple[int, ...] = (),
    size: int = 10,
    widths_cm: tuple[float, ...] | None = None,
) -> list[_Cell]:
    """A row of plain text cells; numbers right-aligned. Returns the row's cells."""
    row = table.add_row().cells
    for index, (cell, text) in enumerate(zip(row, cells, strict=True)):
        paragraph = cell.paragraphs[0]
        paragraph.add_run(text).font.size = Pt(size)
        if index in numeric:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if widths_cm is not None:
            cell.width = Cm(widths_cm[index])
    return list(row)


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _hyperlink(paragraph: Paragraph, url: str, text: str, *, size: int) -> None:
    """A clickable link; python-docx has no API for one, so the element is built here."""
    relationship = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relationship)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), str(LINK))
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    font_size = OxmlElement("w:sz")
    font_size.set(qn("w:val"), str(size * 2))
    properties.extend([color, underline, font_size])
    run.append(properties)
    text_element = OxmlElement("w:t")
    text_element.text = text
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)


def _page_numbers(paragraph: Paragraph, template: str) -> None:
    """`Стр. 2 от 7` in the footer: the template's {page} and {pages} become Word's PAGE and NUMPAGES fields."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fields = {"page": "PAGE", "pages": "NUMPAGES"}
    for literal, name, _, _ in string.Formatter().parse(template):
        if literal:
            paragraph.add_run(literal).font.size = Pt(9)
        if name:
            field = OxmlElement("w:fldSimple")
            field.set(qn("w:instr"), fields[name])
            run = OxmlElement("w:r")
            text = OxmlElement("w:t")
            text.text = "1"
            run.append(text)
            field.append(run)
            paragraph._p.append(field)
