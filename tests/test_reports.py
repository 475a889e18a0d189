"""The round-table deck and the annual report, opened again and checked against the database."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from PIL import Image
from pptx import Presentation
from pptx.slide import Slide
from pypdf import PdfReader
from sqlalchemy import Engine

import charts.images
import reports
from charts import palette
from charts.builders import ChartText, organization_chart, timeline_chart
from charts.images import EXPORT_WIDTH, chart_png, chart_svg, export_spec
from charts.registry import direct
from content.gather import gather_report
from content.model import REPORT_ACTIVITIES, SLIDE_ACTIVITIES, STORY_ACTIVITIES
from db import queries
from db.filters import ActivityFilters
from i18n import translator
from i18n.formatting import format_number
from tests.factories import add_activity, add_partner
from tests.helpers import DEMO_TODAY, run_db

YEAR = 2023  # a whole past school year of the demo data
SCHOOL = "ОУ „Иван Вазов“ – Кюстендил"
FIGURE_LABELS = ("Проведени дейности", "Активни партньори", "Участници", "Обхванати ученици")


def generate(engine: Engine, fmt: reports.Format, *, year: int | None = YEAR, lang: str = "bg") -> bytes:
    return reports.generate(engine, school_year=year, fmt=fmt, lang=lang, today=DEMO_TODAY)


def held_by_partner(engine: Engine, year: int | None = YEAR) -> dict[str, int]:
    """Short name -> held activities in the year, most first (ties by name): the order of the slides."""
    by_organization = queries.activities_by_organization(engine, ActivityFilters(year))
    totals = by_organization.groupby("short_name")["activities"].sum().sort_values(ascending=False, kind="stable")
    return {str(name): int(n) for name, n in totals.items()}


def activities_word(n: int) -> str:
    return f"{n} дейност" if n == 1 else f"{n} дейности"


def texts_of(slide: Slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame and shape.text_frame.text]


# The catalogs.


# The content.


def test_content_holds_the_years_figures_partners_and_activities(demo_engine: Engine) -> None:
    filters = ActivityFilters(YEAR)
    report = gather_report(direct(demo_engine), filters, today=DEMO_TODAY)
    content = report.deck

    assert content.figures.current == queries.headline_figures(demo_engine, filters)
    assert content.figures.previous == queries.headline_figures(demo_engine, ActivityFilters(YEAR - 1))
    assert content.figures.to_date is False
    held = held_by_partner(demo_engine)
    assert [section.short_name for section in content.sections] == list(held)
    assert [section.figures.current["activities"] for section in content.sections] == list(held.values())
    listings = [report.partner_activities[section.slug] for section in content.sections]
    assert [len(listing.rows) + listing.more for listing in listings] == list(held.values())
    assert [len(listing.rows) for listing in listings] == [min(n, REPORT_ACTIVITIES) for n in held.values()]
    assert content.partners == tuple(held)
    listed = queries.activity_list(demo_engine, filters, statuses=("held", "planned"), newest_first=False)
    assert [(row.start_date, row.title) for row in report.activities] == list(
        zip(listed["start_date"], listed["title"], strict=True)
    )
    largo = next(section for section in content.sections if section.short_name == "Ларго")
    assert largo.kind_code == "association"
    assert "\n" not in largo.mission and largo.mission.startswith("Работи за създаването на ромски общностни центрове")


def test_each_partners_section_says_what_asking_for_that_partner_alone_says(demo_engine: Engine) -> None:
    """The sections are read for every partner at once; each must match the partner's own queries."""
    filters = ActivityFilters(YEAR)
    report = gather_report(direct(demo_engine), filters, today=date(2024, 2, 1))  # a year in progress
    for section in report.deck.sections:
        own = filters.with_organizations(section.organization_id)
        current, previous, to_date = queries.figures_with_comparison(demo_engine, own, today=date(2024, 2, 1))
        assert (section.figures.current, section.figures.previous, section.figures.to_date) == (current, previous, True)
        shown = queries.activity_list(demo_engine, own, statuses=("held", "planned"), limit=SLIDE_ACTIVITIES)
        assert [(row.start_date, row.title, row.partners) for row in section.latest] == list(
            zip(shown["start_date"], shown["title"], shown["organizations"], strict=True)
        )[::-1]
        assert section.earlier == queries.activity_count(demo_engine, own, statuses=("held", "planned")) - len(shown)
        held = queries.activity_list(demo_engine, own, statuses=("held",), limit=1000)
        largest = held.assign(people=held["participants"].fillna(-1)).sort_values(
            ["people", "start_date", "id"], ascending=False, kind="stable"
        )
        listing = report.partner_activities[section.slug]
        assert {row.title for row in listing.rows} == set(largest["title"].head(REPORT_ACTIVITIES))
        assert [row.start_date for row in listing.rows] == sorted(row.start_date for row in listing.rows)
        assert listing.more == len(held) - len(listing.rows)


# Pictures of charts.


@pytest.fixture
def chart_text() -> ChartText:
    return ChartText(translator("bg"), "bg", {"round_table": "кръгла маса", "donation": "дарение"})


BY_ORGANIZATION = pd.DataFrame(
    [
        (1, "largo", "Ларго", "Сдружение „Ларго“", "round_table", 2, 80, 20),
        (2, "adra", "АДРА", "Фондация „АДРА“", "donation", 3, 90, 60),
    ],
    columns=["organization_id", "slug", "short_name", "name", "type_code", "activities", "participants", "pupils"],
)


def test_a_chart_png_is_twice_its_svg_with_the_export_width(chart_text: ChartText) -> None:
    chart = organization_chart(BY_ORGANIZATION, chart_text)
    svg = chart_svg(chart)
    image = Image.open(io.BytesIO(chart_png(chart, scale=2)))

    size = re.search(r'<svg [^>]*width="(\d+)" height="(\d+)"', svg)
    assert size is not None
    svg_width, svg_height = int(size[1]), int(size[2])
    assert svg_width == EXPORT_WIDTH
    assert image.format == "PNG"
    assert image.size == (2 * svg_width, 2 * svg_height)
    assert "Брой дейности" in svg and "Ларго" in svg
    assert palette.TYPE_COLORS["round_table"].lower() in svg.lower()  # the round table's own colour


def test_a_chart_png_keeps_a_fixed_height(chart_text: ChartText) -> None:
    chart = organization_chart(BY_ORGANIZATION, chart_text)
    tall = Image.open(io.BytesIO(chart_png(chart, scale=1, height=400)))
    short = Image.open(io.BytesIO(chart_png(chart, scale=1, height=200)))
    assert tall.width == short.width == EXPORT_WIDTH
    assert tall.height - short.height == 200


def test_a_timeline_of_more_than_5000_rows_is_inlined_whole(chart_text: ChartText) -> None:
    first = date(2014, 9, 15)
    events = pd.DataFrame(
        [
            (
                i,
                f"Дейност {i}",
                first + timedelta(days=i % 3000),
                None,
                "donation",
                "held",
                f"Партньор {i % 7}",
                "partner",
            )
            for i in range(6000)
        ],
        columns=["id", "title", "start_date", "end_date", "type_code", "status", "organization", "role"],
    )
    spec = export_spec(timeline_chart(events, chart_text))

    assert [len(values) for values in spec["datasets"].values()] == [6000]
    assert spec["width"] == EXPORT_WIDTH


# The deck.


def test_the_deck_has_a_title_figures_a_slide_per_partner_and_the_charts(demo_engine: Engine) -> None:
    deck = Presentation(io.BytesIO(generate(demo_engine, "pptx")))
    held = held_by_partner(demo_engine)
    figures = queries.headline_figures(demo_engine, ActivityFilters(YEAR))
    slides = list(deck.slides)
    titles = [slide.shapes.title.text for slide in slides]
    story = queries.story_activities(demo_engine, ActivityFilters(YEAR), limit=STORY_ACTIVITIES)

    assert deck.slide_width * 9 == deck.slide_height * 16
    # The story of the year ends the deck (tests/test_story.py): its activities in time order.
    assert titles[-len(story) :] == story.sort_values(["start_date", "id"])["title"].tolist()
    titles, slides = titles[: -len(story)], slides[: -len(story)]
    assert titles == [
        "Партньорства за образователна интеграция",
        "Показатели за периода",
        *held,
        "Хронология на дейностите",
        "Дейности по партньори и видове",
        "Дейности по месеци",
        "Дейности по учебни години",
        "Кой с кого работи",
        "Резултати за 2023/2024",  # the school's outcomes end the deck (tests/test_outcomes.py)
    ]
    title_text = "\n".join(texts_of(slides[0]))
    assert SCHOOL in title_text and "Учебна 2023/2024 година (15.09.2023 – 30.06.2024)" in title_text
    assert f"С участието на: {' · '.join(held)}" in title_text

    tiles = [text.split("\n") for text in texts_of(slides[1])[2:6]]
    assert [tile[:2] for tile in tiles] == [
        [format_number(figures[key], "bg"), label]
        for key, label in zip(("activities", "partners", "participants", "pupils"), FIGURE_LABELS, strict=True)
    ]
    for slide, (short_name, count) in zip(slides[2:], held.items(), strict=False):
        assert texts_of(slide)[0] == short_name
        assert f"{count}\nПроведени дейности" in [text[: text.rfind("\n")] for text in texts_of(slide)]
        notes = slide.notes_slide.notes_text_frame.text.split("\n")
        assert notes[1] == "Дейностите на слайда:" and 1 <= len(notes[2:]) <= 6

    for slide in slides[-6:-1]:
        assert [shape.shape_type for shape in slide.shapes].count(13) == 1  # MSO_SHAPE_TYPE.PICTURE
    by_organization_notes = slides[-5].notes_slide.notes_text_frame.text
    assert by_organization_notes.split("\n")[1] == "; ".join(f"{n}: {activities_word(c)}" for n, c in held.items())


def test_the_deck_of_a_year_without_activities_has_the_title_and_figures_only(demo_engine: Engine) -> None:
    deck = Presentation(io.BytesIO(generate(demo_engine, "pptx", year=2005)))
    slides = list(deck.slides)

    assert [slide.shapes.title.text for slide in slides] == [
        "Партньорства за образователна интеграция",
        "Показатели за периода",
    ]
    assert "В избрания период няма проведени дейности с партньори." in texts_of(slides[1])


# The report as .docx.


def test_the_report_docx_has_the_summary_a_section_per_partner_charts_and_every_activity(demo_engine: Engine) -> None:
    document = Document(io.BytesIO(generate(demo_engine, "docx")))
    figures = queries.headline_figures(demo_engine, ActivityFilters(YEAR))
    previous = queries.headline_figures(demo_engine, ActivityFilters(YEAR - 1))
    held = held_by_partner(demo_engine)
    names = queries.organization_choices(demo_engine).set_index("short_name")["name"]
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]

    assert document.paragraphs[0].text == "Годишен отчет за партньорствата"
    assert [p.text for p in document.paragraphs[1:4]] == [
        SCHOOL,
        "Учебна 2023/2024 година (15.09.2023 – 30.06.2024)",
        "Изготвен на 25 ноември 2026 г.",
    ]
    assert [text for style, text in headings if style == "Heading 1"] == [
        "Обобщение",
        "Резултати за 2023/2024",
        "Партньори",
        "Графики",
        "Всички дейности",
    ]
    partners_start = headings.index(("Heading 1", "Партньори"))
    charts_start = headings.index(("Heading 1", "Графики"))
    sections = [text for style, text in headings[partners_start:charts_start] if style == "Heading 2"]
    assert sections == [names[short_name] for short_name in held]

    summary, outcomes, activities = document.tables
    # The school's outcomes of the year follow the summary (tests/test_outcomes.py).
    assert [cell.text for cell in outcomes.rows[0].cells] == ["Показател", "Стойност", "Цел", "Промяна"]
    assert [[cell.text for cell in row.cells] for row in summary.rows] == [
        ["Показател", "2023/2024", "2022/2023", "Промяна"],
        *[
            [
                label,
                format_number(figures[key], "bg"),
                format_number(previous[key], "bg"),
                _signed(figures[key] - previous[key]),
            ]
            for key, label in zip(("activities", "partners", "participants", "pupils"), FIGURE_LABELS, strict=True)
        ],
    ]
    listed = queries.activity_list(demo_engine, ActivityFilters(YEAR), statuses=("held", "planned"), newest_first=False)
    rows = [[cell.text for cell in row.cells] for row in activities.rows]
    assert rows[0] == ["№", "Дата", "Заглавие", "Вид", "Партньори", "Участници", "Ученици", "Публикация"]
    assert [row[2] for row in rows[1:]] == listed["title"].tolist()
    assert [row[4] for row in rows[1:]] == listed["organizations"].tolist()
    assert [row[5] for row in rows[1:]] == [str(n) for n in listed["participants"]]
    assert all(re.fullmatch(r"\d\d\.\d\d\.\d{4}( – \d\d\.\d\d\.\d{4})?", row[1]) for row in rows[1:])
    assert len(document.inline_shapes) == 5  # the timeline, by partner, by month, by school year, who with whom
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert len(bullets) == sum(held.values())
    assert any(re.match(r"8 април 2024 г\. – Кръгла маса", line) for line in bullets)
    assert document.sections[-1].page_width > document.sections[-1].page_height  # the table's landscape pages


def _signed(change: int) -> str:
    return f"+{change}" if change > 0 else ("0" if change == 0 else f"\u2212{-change}")


def test_the_report_links_each_activity_to_its_news_post(engine: Engine) -> None:
    roma = add_partner(engine, slug="amalipe", name="Център „Амалипе“", short_name="Амалипе")
    add_activity(
        engine,
        title="Кръгла маса за Деня на ромите",
        type="round_table",
        start=date(2014, 4, 8),
        participants=45,
        pupils=20,
        partners=((roma, "organizer"),),
        news_url="https://example.org/news/kragla-masa",
    )
    document = Document(io.BytesIO(generate(engine, "docx", year=2013)))
    links = [rel.target_ref for rel in document.part.rels.values() if rel.reltype.endswith("/hyperlink")]

    assert links == ["https://example.org/news/kragla-masa"]
    (_, table) = document.tables
    assert [cell.text for cell in table.rows[1].cells] == [
        "1",
        "08.04.2014",
        "Кръгла маса за Деня на ромите",
        "кръгла маса",
        "Амалипе",
        "45",
        "20",
        "https://example.org/news/kragla-masa",
    ]
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets == ["8 април 2014 г. – Кръгла маса за Деня на ромите (45 участници)"]


def test_the_report_in_english(demo_engine: Engine) -> None:
    document = Document(io.BytesIO(generate(demo_engine, "docx", lang="en")))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]

    assert document.paragraphs[0].text == "Annual report on partnerships"
    assert [p.text for p in document.paragraphs[1:4]] == [
        "ОУ „Иван Вазов“ – Кюстендил",  # as the school is recorded (migration 0011), like a partner's name
        "School year 2023/2024 (15 Sep 2023 – 30 Jun 2024)",
        "Prepared on 25 November 2026",
    ]
    assert headings == ["Summary", "Outcomes for 2023/2024", "Partners", "Charts", "All activities"]
    assert [cell.text for cell in document.tables[0].rows[0].cells] == ["Figure", "2023/2024", "2022/2023", "Change"]


def test_a_report_of_all_years_has_no_comparison(demo_engine: Engine) -> None:
    document = Document(io.BytesIO(generate(demo_engine, "docx", year=None)))
    figures = queries.headline_figures(demo_engine, ActivityFilters())
    years = queries.school_years(demo_engine)

    assert document.paragraphs[0].text == "Отчет за партньорствата"
    assert (
        document.paragraphs[2].text
        == f"Всички учебни години ({min(years)}/{min(years) + 1} – {max(years)}/{max(years) + 1})"
    )
    assert [[cell.text for cell in row.cells] for row in document.tables[0].rows][1] == [
        "Проведени дейности",
        format_number(figures["activities"], "bg"),
    ]


# The report as PDF.


def test_the_report_pdf_says_the_same_in_cyrillic(demo_engine: Engine) -> None:
    reader = PdfReader(io.BytesIO(generate(demo_engine, "pdf")))
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    figures = queries.headline_figures(demo_engine, ActivityFilters(YEAR))
    held = held_by_partner(demo_engine)
    names = queries.organization_choices(demo_engine).set_index("short_name")["name"]

    assert "Учебна 2023/2024 година" in flat
    assert SCHOOL in flat
    assert f"училището е провело {activities_word(figures['activities'])} с {figures['partners']} партньора" in flat
    assert f"Обхванати ученици {format_number(figures['pupils'], 'bg')}" in flat
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline == ["Обобщение", "Резултати за 2023/2024", "Партньори", "Графики", "Всички дейности"]
    partner_bookmarks = [item.title for item in reader.outline[3]]  # under "Партньори"
    assert partner_bookmarks == [names[short_name] for short_name in held]
    assert reader.pages[-1].mediabox.width > reader.pages[-1].mediabox.height


def test_file_names_for_downloads() -> None:
    assert reports.filename(school_year=2023, fmt="pptx") == "partnerships-2023-2024.pptx"
    assert reports.filename(school_year=None, fmt="pdf") == "partnerships-all-years.pdf"


def test_generate_refuses_an_unknown_format_or_language(demo_engine: Engine) -> None:
    with pytest.raises(ValueError, match="format"):
        reports.generate(demo_engine, school_year=YEAR, fmt="odt", today=DEMO_TODAY)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="language"):
        reports.generate(demo_engine, school_year=YEAR, fmt="pdf", lang="de", today=DEMO_TODAY)


def test_the_report_is_written_from_the_command_line(database_url: str, demo_engine: Engine, tmp_path: Path) -> None:
    out = tmp_path / "отчет.docx"
    result = run_db(database_url, "report", "--year", "2023/2024", "--format", "docx", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Записано в {out}."
    assert out.read_bytes()[:2] == b"PK"  # a .docx is a zip
    bad = run_db(database_url, "--lang", "en", "report", "--year", "2023/2025", "--format", "pdf", "--out", str(out))
    assert bad.returncode == 2
    assert bad.stderr.strip() == "“2023/2025” is not a school year (write 2023/2024 or all)."


def test_the_command_line_writes_every_format_in_one_run(
    database_url: str, demo_engine: Engine, tmp_path: Path
) -> None:
    folder = tmp_path / "за съвета"
    result = run_db(database_url, "report", "--year", "2023/2024", "--format", "all", "--out", str(folder))
    assert result.returncode == 0, result.stderr
    names = sorted(path.name for path in folder.iterdir())
    assert names == ["partnerships-2023-2024.docx", "partnerships-2023-2024.pdf", "partnerships-2023-2024.pptx"]
    in_order = [f"partnerships-2023-2024.{fmt}" for fmt in ("pdf", "docx", "pptx")]
    assert result.stdout.splitlines() == [f"Записано в {folder / name}." for name in in_order]
    assert len(Presentation(str(folder / "partnerships-2023-2024.pptx")).slides) > 3
    pdf_text = "".join(page.extract_text() for page in PdfReader(folder / "partnerships-2023-2024.pdf").pages)
    assert "Ларго" in pdf_text

    two = run_db(database_url, "report", "--year", "2023/2024", "--format", "pptx, PDF", "--out", str(tmp_path))
    assert two.returncode == 0, two.stderr
    assert [line.rsplit("/", 1)[-1] for line in two.stdout.splitlines()] == [
        "partnerships-2023-2024.pptx.",
        "partnerships-2023-2024.pdf.",
    ]


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("bg", "„pdf,odt“ не е формат на отчет (пишете pdf, docx, pptx, няколко като pdf,pptx или all)."),
        ("en", "“pdf,odt” is not a report format (write pdf, docx, pptx, several as pdf,pptx, or all)."),
    ],
)
def test_an_unknown_report_format_is_explained_and_nothing_is_written(
    database_url: str, demo_engine: Engine, tmp_path: Path, lang: str, message: str
) -> None:
    out = tmp_path / "out"
    result = run_db(
        database_url, "--lang", lang, "report", "--year", "2023/2024", "--format", "pdf,odt", "--out", str(out)
    )
    assert result.returncode == 2
    assert result.stderr.strip() == message
    assert not out.exists()


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        (
            "bg",
            "„{out}“ е име на файл, а за няколко формата --out е папка (например --out отчети/); нищо не е записано.",
        ),
        (
            "en",
            "“{out}” is a file name, but for several formats --out is a folder (for example --out reports/);"
            " nothing was written.",
        ),
    ],
)
def test_several_formats_into_a_file_name_are_refused(
    database_url: str, demo_engine: Engine, tmp_path: Path, lang: str, message: str
) -> None:
    out = tmp_path / "за съвета" / "report.pdf"
    result = run_db(database_url, "--lang", lang, "report", "--year", "2023/2024", "--format", "all", "--out", str(out))
    assert result.returncode == 2
    assert result.stderr.strip() == message.format(out=out)
    assert not out.parent.exists()


def test_an_out_ending_in_a_slash_is_a_folder(database_url: str, demo_engine: Engine, tmp_path: Path) -> None:
    result = run_db(database_url, "report", "--year", "2023/2024", "--format", "pdf", "--out", f"{tmp_path}/нова/")
    assert result.returncode == 0, result.stderr
    assert [path.name for path in (tmp_path / "нова").iterdir()] == ["partnerships-2023-2024.pdf"]


def test_when_one_file_cannot_be_written_none_is(database_url: str, demo_engine: Engine, tmp_path: Path) -> None:
    # The deck's name is taken by a folder: the PDF and the Word file, written first, must not stay.
    folder = tmp_path / "за съвета"
    (folder / "partnerships-2023-2024.pptx").mkdir(parents=True)
    result = run_db(database_url, "report", "--year", "2023/2024", "--format", "all", "--out", str(folder))
    assert result.returncode == 1
    assert result.stderr.strip() == f"Във файла „{folder / 'partnerships-2023-2024.pptx'}“ не може да се запише."
    assert result.stdout == ""
    assert [path.name for path in folder.iterdir()] == ["partnerships-2023-2024.pptx"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="no LibreOffice (Debian: libreoffice-impress)")
def test_libreoffice_opens_the_deck_and_the_report(demo_engine: Engine, tmp_path: Path) -> None:
    """Impress shows every slide and Writer the whole report, Cyrillic included (converted to PDF to look)."""
    files = reports.generate_many(demo_engine, school_year=YEAR, formats=("pptx", "docx"), today=DEMO_TODAY)
    for fmt, data in files.items():
        (tmp_path / f"in.{fmt}").write_bytes(data)
        converted = tmp_path / fmt
        subprocess.run(
            ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
             "--outdir", str(converted), str(tmp_path / f"in.{fmt}")],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    slides = PdfReader(tmp_path / "pptx" / "in.pdf").pages
    assert len(slides) == len(Presentation(io.BytesIO(files["pptx"])).slides)
    assert "Партньорства" in slides[0].extract_text()
    report = "".join(page.extract_text() for page in PdfReader(tmp_path / "docx" / "in.pdf").pages)
    assert "Ларго" in report and "Амалипе" in report


# A year too large to list: each partner's list capped, the rest counted and pointed to.

BUSY = 13  # held activities of one partner in the year: more than a report lists and a slide shows

CAPPED = {
    "bg": {
        "more": "… и още 3 дейности",
        "earlier": "… и още 7 по-ранни",
        "lists": "За всеки партньор са изброени до 10 проведени дейности: тези с най-много участници, по дата.",
        "where": "Пълният списък е в експорта за Excel: екран „Данни“ → „Експорт“ → „Дейностите в избора“",
        "table": "Показани са първите 5 от 13 дейности в периода.",
    },
    "en": {
        "more": "… and 3 more activities",
        "earlier": "… and 7 earlier",
        "lists": "Each partner's list holds up to 10 held activities: those with the most participants, by date.",
        "where": "The full list is in the Excel export: the Data screen → Export → “The activities in the selection”",
        "table": "The first 5 of the period's 13 activities are shown.",
    },
}


@pytest.fixture
def busy_year(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """One partner with 13 held activities in 2023/2024, the one with 110 participants the largest."""
    pid = add_partner(engine, slug="largo", name="Сдружение „Ларго“", short_name="Ларго")
    for day in range(BUSY):
        add_activity(engine, title=f"Среща {day + 1}", type="meeting", start=date(2023, 10, 1) + timedelta(days=day),
                     participants=10 + day * 10 if day != 2 else 110, partners=((pid, "organizer"),))  # fmt: skip
    monkeypatch.setattr("content.gather.TABLE_ACTIVITIES", 5)  # the table's cut, without 500 activities
    return engine


def _largest_titles() -> list[str]:
    """The ten with the most participants, by date: „Среща 3“ (110) and „Среща 5“ … „Среща 13“."""
    return ["Среща 3", *(f"Среща {n}" for n in range(5, BUSY + 1))]


@pytest.mark.parametrize("lang", ["bg", "en"])
def test_a_partners_list_is_capped_in_the_word_report_with_how_many_more_and_where(
    busy_year: Engine, lang: str
) -> None:
    said = CAPPED[lang]
    document = Document(io.BytesIO(generate(busy_year, "docx", lang=lang)))
    texts = [p.text for p in document.paragraphs]
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]

    assert [line.split(" – ", 1)[1].split(" (")[0] for line in bullets] == _largest_titles()
    assert texts[texts.index(bullets[-1]) + 1] == said["more"]
    note = next(text for text in texts if text.startswith(said["lists"]))
    assert said["where"] in note and "python -m db export activities.xlsx" in note
    table_note = next(text for text in texts if text.startswith(said["table"]))
    assert said["where"] in table_note
    assert len(document.tables[1].rows) == 1 + 5


@pytest.mark.parametrize("lang", ["bg", "en"])
def test_a_partners_list_is_capped_in_the_pdf_report_with_how_many_more_and_where(busy_year: Engine, lang: str) -> None:
    said = CAPPED[lang]
    reader = PdfReader(io.BytesIO(generate(busy_year, "pdf", lang=lang)))
    flat = " ".join(" ".join(page.extract_text() for page in reader.pages).split())

    listed = re.findall(r"(?:Среща \d+)", flat.split(said["lists"])[1].split(said["more"])[0])
    assert listed == _largest_titles()
    assert said["more"] in flat and said["table"] in flat
    assert flat.count(said["where"]) == 2  # under the partners' lists and under the table
    assert "python -m db export activities.xlsx" in flat


@pytest.mark.parametrize("lang", ["bg", "en"])
def test_a_partners_slide_shows_its_newest_six_and_how_many_earlier(busy_year: Engine, lang: str) -> None:
    deck = Presentation(io.BytesIO(generate(busy_year, "pptx", lang=lang)))
    (slide,) = [s for s in deck.slides if s.shapes.title.text == "Ларго"]
    listing = next(text for text in texts_of(slide) if CAPPED[lang]["earlier"] in text).split("\n")

    assert listing[1] == CAPPED[lang]["earlier"]
    assert [line.split(" · ")[1] for line in listing[2:]] == [f"Среща {n}" for n in range(BUSY - 5, BUSY + 1)]


def test_the_chart_by_partner_shows_the_most_active_and_says_so(
    demo_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A year with hundreds of partners draws a readable chart: its most active partners, the others counted."""
    monkeypatch.setattr("content.gather.CHART_PARTNERS", 2)
    held = held_by_partner(demo_engine)
    said = f"Показани са 2-те от {len(held)} партньори с най-много дейности."
    files = reports.generate_many(demo_engine, school_year=YEAR, formats=("pptx", "docx"), today=DEMO_TODAY)

    slides = list(Presentation(io.BytesIO(files["pptx"])).slides)
    (chart,) = [slide for slide in slides if slide.shapes.title.text == "Дейности по партньори и видове"]
    assert said in texts_of(chart)[1]
    assert chart.notes_slide.notes_text_frame.text.split("\n")[1] == "; ".join(
        f"{name}: {activities_word(n)}" for name, n in list(held.items())[:2]
    )
    assert len([slide for slide in slides if slide.shapes.title.text in held]) == len(held)  # every partner's slide
    document = Document(io.BytesIO(files["docx"]))
    assert any(p.text.startswith(said) for p in document.paragraphs if p.style.name == "Caption")


def test_the_three_buttons_read_the_year_once_and_a_change_saved_since_is_in_the_next_file(
    demo_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Overview's buttons ask for one file each: the second and third reuse the first one's reading."""
    readings = []

    def counted(*args: object, **kwargs: object) -> object:
        readings.append(1)
        return gather_report(*args, **kwargs)  # type: ignore[arg-type]

    def words(docx: bytes) -> str:
        document = Document(io.BytesIO(docx))
        cells = (cell.text for table in document.tables for row in table.rows for cell in row.cells)
        return "\n".join([*(p.text for p in document.paragraphs), *cells])

    monkeypatch.setattr("content.gather.gather_report", counted)
    first = {fmt: generate(demo_engine, fmt) for fmt in reports.FORMATS}
    assert len(readings) == 1
    assert words(generate(demo_engine, "docx")) == words(first["docx"])
    assert len(readings) == 1
    new = "Кръгла маса за нов партньор"
    add_activity(demo_engine, title=new, type="round_table", start=date(2024, 3, 12))
    after = generate(demo_engine, "docx")
    assert len(readings) == 2
    assert new in words(after) and new not in words(first["docx"])


def test_a_file_whose_picture_could_not_be_drawn_is_drawn_again_at_the_next_press(
    demo_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The content kept for the next button must not keep a failed drawing: the next press gets the file."""
    real = charts.images.draw
    failing = [True]

    def draw_once_failing(spec: str, fmt: str, scale: float = 1) -> bytes:
        if failing[0]:
            raise RuntimeError("the chart drawing process ended while drawing")
        return real(spec, fmt, scale)  # type: ignore[arg-type]

    monkeypatch.setattr("charts.images.draw", draw_once_failing)
    charts.images.spec_png.cache_clear()
    with pytest.raises(RuntimeError):
        generate(demo_engine, "pptx")
    failing[0] = False
    deck = Presentation(io.BytesIO(generate(demo_engine, "pptx")))
    assert sum(shape.shape_type == 13 for slide in deck.slides for shape in slide.shapes) == 5  # PICTURE
