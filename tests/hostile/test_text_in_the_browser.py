"""Stored text in a real browser: every field of a partner and an activity shows exactly as typed.

Streamlit's frontend reads what it is given as Markdown and more (icons, colours, emoji, maths,
bare links, arrows): a partner whose name holds `:material/lock:` or `www.evil.example` must still
read `:material/lock:` and `www.evil.example`, with no icon, colour, maths or link made of it
(issue 10). The records are written straight into the database, as text stored before any check.
Screenshots go to test-artifacts/screenshots/hostile-text-*.png.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Browser, Locator, Page

from content.prose import SLIDE_TITLE_CHARACTERS, one_paragraph
from db.engine import get_engine
from tests import browser_helpers, tally
from tests.browser_helpers import SCREENSHOTS, main_area, wait_until_idle
from tests.factories import add_activity, add_partner
from tests.test_browser import RECORD_CANVAS_TEXT
from ui.safe import WORD_JOINER

browser_executable = browser_helpers.browser_executable
browser_chromium = browser_helpers.browser_chromium

pytestmark = pytest.mark.browser

HOSTILE = (
    ":material/lock: :red[x] :blue-background[y] :smile: :streamlit: $x^2$ www.evil.example http://evil.example "
    "<b>x</b> [a](javascript:alert(1)) **b** a -> b -- c &amp; x@evil.example"
)
PARTNER = {
    "name": f"Име {HOSTILE}",
    "short_name": f"Кратко {HOSTILE}"[:200],
    "city": f"Град {HOSTILE}",
    "mission": f"Мисия {HOSTILE}\nВтори ред {HOSTILE}",
    "contact_person": f"Лице {HOSTILE}",
    "email": "x@evil.example",
    "phone": f"Телефон {HOSTILE}",
    # A link that once passed the check: shown nowhere, offered as no link.
    "website": "https://ok.example/x)[evil](javascript:alert(1))",
}
ACTIVITY = {
    "title": f"Заглавие {HOSTILE}",
    "location": f"Място {HOSTILE}",
    "description": f"Описание {HOSTILE}\nВтори ред {HOSTILE}",
    "news_url": "https://ok.example/x)[evil](javascript:alert(1))",
}
# Cells that Excel would run as formulas, in activities of another school year (2020/2021).
FORMULAS = [
    {"title": '=HYPERLINK("http://evil.example","x")', "location": "+cmd|' /C calc'!A0"},
    {"title": "@SUM(1)", "location": "-2+3"},
]
FORMULA_YEAR = "2020-2021"
VIEWPORT = {"width": 1400, "height": 2400}

# What the hostile text must not have turned into, anywhere on the page.
MADE_FROM_TEXT = """
root => {
    const inMarkdown = selector => [...root.querySelectorAll(
        `[data-testid=stMarkdownContainer] ${selector}, [data-testid=stCaptionContainer] ${selector}`)];
    return {
        links: [...root.querySelectorAll("a[href]")].map(a => a.getAttribute("href"))
            .filter(href => !href.startsWith("#") && /evil|javascript:|mailto:/i.test(href)),
        markdownLinks: inMarkdown("a[href]").map(a => a.getAttribute("href")).filter(h => !h.startsWith("#")),
        icons: inMarkdown("[role=img], img").map(e => e.getAttribute("aria-label") || e.getAttribute("alt"))
            .filter(label => /lock|streamlit|smile/i.test(label || "")),
        colours: inMarkdown(".stMarkdownColoredText, .stMarkdownColoredBackground, .stMarkdownBadge").length,
        maths: root.querySelectorAll(".katex").length,
        html: inMarkdown("b").length,
    };
}
"""
NOTHING_MADE = {"links": [], "markdownLinks": [], "icons": [], "colours": 0, "maths": 0, "html": 0}


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory, browser_executable: str) -> Iterator[dict[str, object]]:
    """The app on a database whose only partner and activity hold the hostile text in every field."""
    folder: Path = tmp_path_factory.mktemp("browser-hostile-text")
    for base_url in browser_helpers._serve(folder, demo=False):
        # Written before any page is opened, so no cache holds an empty database.
        engine = get_engine(f"sqlite:///{folder / 'partnerships.db'}")
        partner = add_partner(engine, slug="hostile", **PARTNER)  # type: ignore[arg-type]
        activity = add_activity(
            engine, type="meeting", start=date(2024, 4, 8), partners=((partner, "organizer"),), **ACTIVITY
        )
        for day, cells in enumerate(FORMULAS, start=1):
            add_activity(engine, type="meeting", start=date(2020, 10, day), partners=((partner, "organizer"),), **cells)
        engine.dispose()
        yield {"url": base_url, "activity": activity}


@pytest.fixture(scope="module")
def hostile_page(browser_chromium: Browser) -> Iterator[Page]:
    context = browser_chromium.new_context(viewport=VIEWPORT, locale="bg-BG")
    context.add_init_script(RECORD_CANVAS_TEXT)  # the table is drawn on a canvas
    page = context.new_page()
    yield page
    context.close()


def visible(scope: Locator) -> str:
    """The text a reader sees (the word joiners ui.safe.md adds have no width and no glyph)."""
    return scope.inner_text().replace(WORD_JOINER, "")


def assert_shown_as_typed(page: Page, scope: Locator, texts: list[str], screenshot: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"hostile-text-{screenshot}.png", full_page=True)
    shown = visible(scope)
    missing = [text for text in texts if text not in shown]
    assert not missing, f"not shown as typed on {page.url}:\n{missing}\n--- the page says:\n{shown}"
    assert page.locator("body").evaluate(MADE_FROM_TEXT) == NOTHING_MADE
    assert "😄" not in page.locator("body").inner_text()
    tally.inputs(len(texts))


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    wait_until_idle(page)


def test_a_partner_profile_shows_its_text_as_typed(hostile_page: Page, hostile_server: dict[str, object]) -> None:
    open_page(hostile_page, f"{hostile_server['url']}/partners?partner=hostile&year=all")
    texts = [PARTNER[key] for key in ("name", "city", "mission", "contact_person", "email", "phone")]
    assert_shown_as_typed(hostile_page, main_area(hostile_page), texts, "profile")
    assert "ok.example" not in visible(main_area(hostile_page))  # the bad website is neither shown nor linked


def test_the_partner_directory_shows_names_as_typed(hostile_page: Page, hostile_server: dict[str, object]) -> None:
    """The card's link to the profile is a widget label, which Streamlit also reads as Markdown."""
    open_page(hostile_page, f"{hostile_server['url']}/partners")
    texts = [PARTNER["short_name"], PARTNER["name"], PARTNER["city"]]
    assert_shown_as_typed(hostile_page, main_area(hostile_page), texts, "directory")


def test_an_activity_card_and_its_details_show_the_text_as_typed(
    hostile_page: Page, hostile_server: dict[str, object]
) -> None:
    open_page(hostile_page, f"{hostile_server['url']}/?year=all")
    assert_shown_as_typed(
        hostile_page, main_area(hostile_page), [ACTIVITY["title"], PARTNER["short_name"]], "overview-cards"
    )
    open_page(hostile_page, f"{hostile_server['url']}/?year=all&activity={hostile_server['activity']}")
    dialog = hostile_page.get_by_role("dialog")
    texts = [ACTIVITY["title"], ACTIVITY["location"], ACTIVITY["description"], PARTNER["short_name"]]
    assert_shown_as_typed(hostile_page, dialog, texts, "activity-dialog")
    assert dialog.get_by_role("link").count() == 0  # the bad news link is offered as no button either


def test_the_timeline_details_show_the_text_as_typed(hostile_page: Page, hostile_server: dict[str, object]) -> None:
    open_page(hostile_page, f"{hostile_server['url']}/timeline?year=2023-2024")
    hostile_page.get_by_test_id("stVegaLiteChart").locator("g.role-mark path").first.click(force=True)
    wait_until_idle(hostile_page)
    texts = [ACTIVITY["title"], ACTIVITY["location"], ACTIVITY["description"]]
    assert_shown_as_typed(hostile_page, main_area(hostile_page), texts, "timeline-details")


def test_the_slides_show_the_text_as_typed(hostile_page: Page, hostile_server: dict[str, object]) -> None:
    open_page(hostile_page, f"{hostile_server['url']}/presentation?year=all&slide=1")
    assert_shown_as_typed(hostile_page, main_area(hostile_page), [PARTNER["short_name"]], "slide-title")
    open_page(hostile_page, f"{hostile_server['url']}/presentation?year=all&slide=3")
    # A slide keeps the mission to one paragraph (its two lines are read as one) and titles short.
    mission = " ".join(PARTNER["mission"].split("\n"))
    texts = [PARTNER["short_name"], PARTNER["name"], mission, one_paragraph(ACTIVITY["title"], SLIDE_TITLE_CHARACTERS)]
    assert_shown_as_typed(hostile_page, main_area(hostile_page), texts, "slide-partner")


def test_a_table_offers_only_downloads_that_excel_opens_safely(
    hostile_page: Page, hostile_server: dict[str, object], tmp_path: Path
) -> None:
    """The table's own "Download as CSV" wrote `=HYPERLINK(…)` as a live formula: it is gone, and the
    table's own downloads write every cell as text, as typed."""
    open_page(hostile_page, f"{hostile_server['url']}/activities?year={FORMULA_YEAR}")
    table = (
        hostile_page.get_by_test_id("stElementContainer").filter(has=hostile_page.get_by_test_id("stDataFrame")).last
    )
    table.hover()
    hostile_page.wait_for_timeout(500)
    toolbar = table.get_by_test_id("stElementToolbar")
    offered = [label for label in toolbar.locator("button").evaluate_all("bs => bs.map(b => b.ariaLabel)") if label]
    assert offered and not [label for label in offered if "download" in label.lower()], offered
    hostile_page.screenshot(path=SCREENSHOTS / "hostile-text-table-toolbar.png", full_page=True)
    drawn = set(hostile_page.evaluate("() => [...window.__drawnText]"))
    assert {each["title"] for each in FORMULAS} <= drawn  # the table shows them as typed (places are off to the right)

    with hostile_page.expect_download() as download:
        hostile_page.get_by_role("button", name="Таблицата за Excel (.xlsx)").click()
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    cells = {
        (sheet.cell(row, header.index(column) + 1).value, sheet.cell(row, header.index(column) + 1).data_type)
        for row in range(2, sheet.max_row + 1)
        for column in ("Заглавие", "Място")
    }
    assert cells == {(text, "s") for each in FORMULAS for text in each.values()}

    with hostile_page.expect_download() as download:
        hostile_page.get_by_role("button", name="Таблицата като CSV").click()
    rows = list(csv.reader(Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    written = {row[rows[0].index(column)] for row in rows[1:] for column in ("Заглавие", "Място")}
    # A CSV cell has no type: the leading apostrophe is what makes Excel show it as text.
    assert written == {"'" + text for each in FORMULAS for text in each.values()}
    tally.inputs(4)
