"""The annual report as a Word document (.docx): summary, a section per partner, charts, all activities.

A4 portrait; the table of all activities gets a landscape section of its own, so that
titles and partners have room.
"""

from __future__ import annotations

import io
import string
from collections.abc import Sequence
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from PIL import Image

from content.model import Listing, Report, Slide
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


class _Body:
    """Paragraphs appended to a document's body, each style looked up once.

    python-docx's `add_paragraph(style=name)` finds the style by its name in every call, reading
    every style's attributes, and finds the paragraph's place by scanning the body: 46 % of the
    time of a report with 300 partners. Here a style's id is found once and a paragraph goes
    straight before the body's closing section properties (which stay the body's last child).
    """

    def __init__(self, document: DocumentType) -> None:
        self.document = document
        self._end = document.element.body.get_or_add_sectPr()
        self._style_ids: dict[str, str] = {}

    def paragraph(self, text: str = "", style: str | None = None) -> Paragraph:
        element = OxmlElement("w:p")
        if style is not None:
            element.style = self._style_id(style)
        if text:
            element.add_r().text = text
        self._end.addprevious(element)
        return Paragraph(element, self.document._body)

    def heading(self, text: str, level: int) -> Paragraph:
        return self.paragraph(text, "Title" if level == 0 else f"Heading {level}")

    def _style_id(self, name: str) -> str:
        if name not in self._style_ids:
            self._style_ids[name] = self.document.styles[name].style_id
        return self._style_ids[name]


def build_report_docx(report: Report, prose: Prose, pictures: Sequence[Picture]) -> bytes:
    """The report as .docx bytes, in the words of `prose` (of `report.deck`), with the deck's `pictures`."""
    document = Document()
    body = _Body(document)
    _set_up(document, prose)
    _title(body, prose)
    _summary(body, prose)
    _outcomes(body, prose)
    _partners(body, prose, report)
    _charts(body, prose, pictures)
    _all_activities(body, prose, report)
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


def _title(body: _Body, prose: Prose) -> None:
    body.paragraph(prose.title(), style="Title")
    body.paragraph(prose.school(), style="Subtitle")
    run = body.paragraph().add_run(prose.period())
    run.bold, run.font.size, run.font.color.rgb = True, Pt(16), PRIMARY
    body.paragraph(prose.prepared_on())


def _summary(body: _Body, prose: Prose) -> None:
    body.heading(prose.t("report.summary"), level=1)
    body.paragraph(prose.summary())
    rows = prose.figure_rows()
    compare = prose.deck.figures.previous is not None
    headers = [prose.t("report.figure"), prose.year_column()]
    if compare:
        headers += [prose.previous_year(), prose.t("report.change")]
    table = _table(body.document, headers)
    for row in rows:
        cells = [row.label, row.value, *([row.previous, row.change_text] if compare else [])]
        _add_row(table, cells, numeric=range(1, len(cells)))
    note = prose.to_date_note()
    if note:
        body.paragraph(note, style="Caption")


def _outcomes(body: _Body, prose: Prose) -> None:
    """The school's outcomes of the year, masked as the deck holds them; nothing without outcomes."""
    if not prose.deck.outcomes:
        return
    body.heading(prose.slide_title(Slide("outcomes")), level=1)
    table = _table(body.document, prose.outcome_headers())
    for row in prose.outcome_rows():
        _add_row(table, [row.label, row.with_unit, row.target, row.change], numeric=(1, 2, 3))
    body.paragraph(prose.outcomes_note(), style="Caption")


def _partners(body: _Body, prose: Prose, report: Report) -> None:
    body.heading(prose.t("nav.partners"), level=1)
    if not prose.deck.sections:
        body.paragraph(prose.t("report.summary_none"))
        return
    body.paragraph(prose.partners_intro())
    if any(listing.more for listing in report.partner_activities.values()):
        body.paragraph(prose.partner_lists_note(), style="Caption")
    for section in prose.deck.sections:
        body.heading(section.name, level=2)
        body.paragraph().add_run(prose.partner_facts(section)).italic = True
        mission = body.paragraph()
        mission.add_run(f"{prose.t('partners.mission')}: ").bold = True
        mission.add_run(prose.mission(section))
        body.paragraph().add_run(prose.partner_figures(section)).bold = True
        body.paragraph(prose.t("slides.partner.activities"), style="Heading 3")
        listing = report.partner_activities.get(section.slug, Listing((), 0))
        for row in listing.rows:
            body.paragraph(prose.activity_line(row), style="List Bullet")
        if listing.more:
            body.paragraph().add_run(prose.listing_more(listing)).italic = True


def _charts(body: _Body, prose: Prose, charts: Sequence[Picture]) -> None:
    if not charts:
        return
    body.heading(prose.t("report.charts"), level=1)
    for chart in charts:
        body.heading(chart.title, level=2)
        png = chart.png()
        pixel_width, pixel_height = Image.open(io.BytesIO(png)).size
        width = min(PAGE_WIDTH - 2 * PAGE_MARGIN, int(PICTURE_MAX_HEIGHT * pixel_width / pixel_height))
        paragraph = body.paragraph()
        picture = paragraph.add_run().add_picture(io.BytesIO(png), width=width)
        # A timeline that shows only the newest events says so, as on the slide.
        numbers = " ".join(part for part in (prose.chart_cut(chart.key), chart.numbers) if part)
        # Screen readers read the numbers instead of the picture.
        picture._inline.docPr.set("descr", f"{chart.title}. {numbers}")
        picture._inline.docPr.set("name", f"chart:{chart.key}")  # which chart of charts.registry
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        body.paragraph(numbers, style="Caption")


def _all_activities(body: _Body, prose: Prose, report: Report) -> None:
    document = body.document
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE_HEIGHT, PAGE_WIDTH
    body.heading(prose.t("report.all_activities"), level=1)
    if not report.activities:
        body.paragraph(prose.t("report.summary_none"))
        return
    body.paragraph(prose.t("report.all_activities_note"), style="Caption")
    table = _table(document, prose.table_headers(), widths_cm=TABLE_COLUMNS_CM, size=9)
    for number, row in enumerate(report.activities, start=1):
        cells = prose.table_cells(number, row)
        # The last cell, the news post, is written as a clickable link rather than plain text.
        link = _relate(document, row.link) if row.link else None
        _add_row(table, cells, numeric=NUMERIC_COLUMNS, size=9, widths_cm=TABLE_COLUMNS_CM, link=link)
    if report.activities_cut:
        body.paragraph(prose.activities_cut(len(report.activities), report.activities_total), style="Caption")


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
    link: str | None = None,
) -> None:
    """A row of plain text cells, numbers right-aligned; with `link` (a relationship id) the last cell is a link.

    Written as XML and parsed at once: python-docx's rows and runs build each element through
    several lookups, and the table of a large year has hundreds of rows.
    """
    parts = []
    for index, text in enumerate(cells):
        width = f'<w:tcPr><w:tcW w:w="{int(Cm(widths_cm[index]).twips)}" w:type="dxa"/></w:tcPr>' if widths_cm else ""
        align = '<w:pPr><w:jc w:val="right"/></w:pPr>' if index in numeric else ""
        if link is not None and index == len(cells) - 1:
            content = (
                f'<w:hyperlink r:id="{link}"><w:r><w:rPr><w:color w:val="{LINK}"/><w:u w:val="single"/>'
                f'<w:sz w:val="{(size - 1) * 2}"/></w:rPr>{_text_xml(text)}</w:r></w:hyperlink>'
            )
        else:
            content = f'<w:r><w:rPr><w:sz w:val="{size * 2}"/></w:rPr>{_text_xml(text)}</w:r>' if text else ""
        parts.append(f"<w:tc>{width}<w:p>{align}{content}</w:p></w:tc>")
    table._tbl.append(parse_xml(f"<w:tr {nsdecls('w', 'r')}>{''.join(parts)}</w:tr>"))


def _text_xml(text: str) -> str:
    """A run's text: lines kept as Word's line breaks, spaces at the ends kept."""
    return "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in text.split("\n"))


def _relate(document: DocumentType, url: str) -> str:
    """The id of an external link's relationship, for a hyperlink element."""
    return document.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


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
