"""The real app in headless Chromium: every screen drawn, both languages, filters in the URL, an empty database.

Each server is a real `streamlit run dashboard.py` on its own SQLite file, set up through the CLI
(`python -m db init`, `python -m db demo`). Chromium is Debian's (`/usr/bin/chromium`, or `CHROMIUM_PATH`):
`playwright install` cannot download a browser here. Screenshots of every visited page are kept in
`test-artifacts/screenshots/` for a person to look at: a test that passes over a blank chart is not done.

The fixtures are prefixed `browser_` so that they never clash with those of `tests/conftest.py`; the servers,
the browser and the waiting are in `tests/browser_helpers.py`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests import browser_helpers
from tests.browser_helpers import (
    EMPTY_DATABASE,
    RERUN_MS,
    SCREENSHOTS,
    assert_charts_drawn,
    main_area,
    wait_until_idle,
)

# The servers and the browser, shared with tests/test_presentation_browser.py, bound here by name.
browser_executable = browser_helpers.browser_executable
browser_chromium = browser_helpers.browser_chromium
browser_demo_server = browser_helpers.browser_demo_server
browser_empty_server = browser_helpers.browser_empty_server

VIEWPORT = {"width": 1400, "height": 2000}
# Streamlit scrolls inside its own container, so `full_page` does not reach below the viewport:
# screenshots grow the viewport to the page's height, up to this much.
SCREENSHOT_MAX_HEIGHT = 12_000

pytestmark = pytest.mark.browser


# Every string the page draws on a canvas. The data table (glide-data-grid) is a canvas: its
# accessible mirror in the DOM holds the raw values, not what the user sees.
RECORD_CANVAS_TEXT = """
(() => {
    const drawn = new Set();
    window.__drawnText = drawn;
    for (const context of [window.CanvasRenderingContext2D, window.OffscreenCanvasRenderingContext2D]) {
        if (!context) continue;
        const fillText = context.prototype.fillText;
        context.prototype.fillText = function (text, ...rest) {
            drawn.add(String(text));
            return fillText.call(this, text, ...rest);
        };
    }
})();
"""

TITLES = {
    "bg": {
        "overview": "Обзор на партньорствата",
        "partners": "Партньори",
        "profile": "Център за междуетнически диалог и толерантност „Амалипе“",
        "timeline": "Хронология на дейностите",
        "activities": "Дейности по партньори и във времето",
    },
    "en": {
        "overview": "Partnerships at a glance",
        "partners": "Partners",
        "profile": "Център за междуетнически диалог и толерантност „Амалипе“",
        "timeline": "Timeline of activities",
        "activities": "Activities by partner and over time",
    },
}
FILTERS_HEADING = {"bg": "Филтри", "en": "Filters"}
LANGUAGES = ["bg", "en"]

# (screenshot name, path, title key, number of charts). The profile comes first on purpose: the
# first visitor after a restart who opens a deep link meets Streamlit's legacy multipage path
# (see `_run_entry_point_instead` in ui/context.py).
DEMO_PAGES = [
    ("profile", "/partners?partner=amalipe&year=all", "profile", 2),
    ("overview", "/", "overview", 1),
    ("partners", "/partners", "partners", 1),  # who works with whom
    ("timeline", "/timeline", "timeline", 1),
    ("timeline-all-years", "/timeline?year=all", "timeline", 1),
    ("activities", "/activities", "activities", 5),
    ("activities-all-years", "/activities?year=all", "activities", 5),
]
# With no records, the profile link falls back to the directory.
EMPTY_PAGES = [
    ("profile", "/partners?partner=amalipe", "partners"),
    ("overview", "/", "overview"),
    ("partners", "/partners", "partners"),
    ("timeline", "/timeline", "timeline"),
    ("activities", "/activities", "activities"),
]


@pytest.fixture(scope="module")
def browser_context(browser_chromium: Browser) -> Iterator[BrowserContext]:
    """One context for the module, so that Streamlit's scripts are loaded once and then cached."""
    context = browser_chromium.new_context(viewport=VIEWPORT, locale="bg-BG")
    context.add_init_script(RECORD_CANVAS_TEXT)
    yield context
    context.close()


@pytest.fixture
def browser_page(browser_context: BrowserContext) -> Iterator[Page]:
    """A new tab for each test: a new Streamlit session, with its own session state."""
    page = browser_context.new_page()
    yield page
    page.close()


# --- helpers -------------------------------------------------------------------------------------


def url_for(base_url: str, path: str, lang: str) -> str:
    """`path` in `lang`: Bulgarian is the default and has no parameter."""
    if lang == "bg":
        return base_url + path
    return f"{base_url}{path}{'&' if '?' in path else '?'}lang={lang}"


def open_app_page(page: Page, url: str) -> None:
    page.goto(url)
    wait_until_idle(page)


def save_screenshot(page: Page, name: str) -> None:
    """The whole page, into test-artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll(\"[data-testid='stMain'], [data-testid='stSidebarContent']\")]"
        ".map(e => e.scrollHeight), 0)"
    )
    tall = min(max(VIEWPORT["height"], int(height)), SCREENSHOT_MAX_HEIGHT)
    if tall > VIEWPORT["height"]:
        page.set_viewport_size({"width": VIEWPORT["width"], "height": tall})
        page.wait_for_timeout(500)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
    if tall > VIEWPORT["height"]:
        page.set_viewport_size(VIEWPORT)


def assert_title(page: Page, title: str) -> None:
    expect(main_area(page).locator("h1").first).to_have_text(title)


def assert_language(page: Page, lang: str) -> None:
    """The sidebar speaks `lang`, and nothing on the page speaks the other language's filter heading."""
    other = "en" if lang == "bg" else "bg"
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text(FILTERS_HEADING[lang])
    assert FILTERS_HEADING[other] not in sidebar.inner_text()
    assert FILTERS_HEADING[other] not in page.locator("body").inner_text()


def drawn_text(page: Page) -> list[str]:
    return sorted(page.evaluate("() => [...window.__drawnText]"))


def multiselect(page: Page, label: str) -> Locator:
    return (
        page.get_by_test_id("stSidebar")
        .get_by_test_id("stMultiSelect")
        .filter(has=page.get_by_test_id("stWidgetLabel").get_by_text(label, exact=True))
    )


# --- the tests -----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("name", "path", "title", "charts"), [pytest.param(*p, id=p[0]) for p in DEMO_PAGES])
def test_every_page_is_drawn_with_the_demo_data(
    browser_page: Page, browser_demo_server: str, lang: str, name: str, path: str, title: str, charts: int
) -> None:
    """No exception, the title and the sidebar in the chosen language, and every chart drawn with data."""
    open_app_page(browser_page, url_for(browser_demo_server, path, lang))
    save_screenshot(browser_page, f"demo-{lang}-{name}")
    assert_title(browser_page, TITLES[lang][title])
    assert_language(browser_page, lang)
    assert_charts_drawn(browser_page, charts)


DATE_TABLE_PATH = "/activities?year=2013-2014"
# 8 April 2014, the round table on the school's page, as the table shows it.
ROUND_TABLE_DAY = {"bg": "08.04.2014", "en": "8 Apr 2014"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_table_shows_dates_as_dates(browser_page: Page, browser_demo_server: str, lang: str) -> None:
    """Dates in the activity table are drawn in the language's format, never as ISO timestamps."""
    open_app_page(browser_page, url_for(browser_demo_server, DATE_TABLE_PATH, lang))
    save_screenshot(browser_page, f"dates-{lang}-activities-2013-2014")
    expect(browser_page.get_by_test_id("stDataFrame")).to_have_count(1)
    text = main_area(browser_page).inner_text()
    assert "T00:00:00" not in text
    assert not re.search(r"\bNone\b", text)
    drawn = drawn_text(browser_page)
    assert ROUND_TABLE_DAY[lang] in drawn, drawn
    assert not [t for t in drawn if "T00:00:00" in t or re.fullmatch(r"\d{4}-\d\d-\d\d", t)], drawn


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_table_leaves_a_missing_end_date_blank(browser_page: Page, browser_demo_server: str, lang: str) -> None:
    """A one-day activity has no end date; the table should not write "None" in its place."""
    open_app_page(browser_page, url_for(browser_demo_server, DATE_TABLE_PATH, lang))
    assert "None" not in drawn_text(browser_page)


def test_a_chart_downloads_as_png_and_svg(browser_page: Page, browser_demo_server: str) -> None:
    """The page draws a cached spec; the pictures are drawn from the chart when a button asks for one."""
    open_app_page(browser_page, url_for(browser_demo_server, "/?year=all", "bg"))
    pictures = {}
    for label in ("PNG", "SVG"):
        with browser_page.expect_download() as download:
            browser_page.get_by_role("button", name=label, exact=True).first.click()
        pictures[download.value.suggested_filename] = Path(download.value.path()).read_bytes()
    assert sorted(pictures) == ["by-partner.png", "by-partner.svg"]
    assert pictures["by-partner.png"].startswith(b"\x89PNG\r\n\x1a\n")
    assert b"<svg" in pictures["by-partner.svg"][:200] and "Ларго".encode() in pictures["by-partner.svg"]


def test_the_partner_filter_goes_into_the_url_and_survives_a_page_switch(
    browser_page: Page, browser_demo_server: str
) -> None:
    """A partner chosen in the sidebar is written into the URL, and is still chosen on the next page."""
    page = browser_page
    open_app_page(page, f"{browser_demo_server}/activities")
    partners = multiselect(page, "Партньори")
    expect(partners).to_have_count(1)
    partners.click()
    page.keyboard.type("Амалипе")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"[?&]org=amalipe\b"), timeout=RERUN_MS)
    wait_until_idle(page)
    expect(partners).to_contain_text("Амалипе")
    save_screenshot(page, "filter-bg-activities")

    page.get_by_test_id("stSidebarNav").locator("a").filter(has_text="Хронология").click()
    expect(page).to_have_url(re.compile(r"/timeline\b"), timeout=RERUN_MS)
    wait_until_idle(page)
    save_screenshot(page, "filter-bg-timeline")
    assert_title(page, TITLES["bg"]["timeline"])
    expect(page).to_have_url(re.compile(r"/timeline\?(.*&)?org=amalipe\b"))
    expect(multiselect(page, "Партньори")).to_contain_text("Амалипе")
    assert_charts_drawn(page, 1)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("name", "path", "title"), [pytest.param(*p, id=p[0]) for p in EMPTY_PAGES])
def test_an_empty_database_explains_itself_on_every_page(
    browser_page: Page, browser_empty_server: str, lang: str, name: str, path: str, title: str
) -> None:
    """A fresh installation says how to load the demo data instead of drawing empty charts."""
    open_app_page(browser_page, url_for(browser_empty_server, path, lang))
    save_screenshot(browser_page, f"empty-{lang}-{name}")
    assert_title(browser_page, TITLES[lang][title])
    expect(main_area(browser_page)).to_contain_text(EMPTY_DATABASE[lang])
    assert_language(browser_page, lang)
    expect(browser_page.get_by_test_id("stVegaLiteChart")).to_have_count(0)


PROJECTOR_SIZE = {"width": 1920, "height": 1080}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_overview_and_the_activities_at_projector_size(
    browser_chromium: Browser, browser_demo_server: str, lang: str
) -> None:
    """What a room sees on a 1080p screen, in both languages: saved for a person to look at.

    The Bulgarian Overview is the README's screenshot (docs/screenshot-overview.png is copied from it).
    """
    context = browser_chromium.new_context(viewport=PROJECTOR_SIZE, locale="bg-BG")
    page = context.new_page()
    try:
        for name, path, title, charts in (
            ("overview", "/?year=2023-2024", "overview", 1),
            ("activities", "/activities?year=2023-2024", "activities", 5),
        ):
            open_app_page(page, url_for(browser_demo_server, path, lang))
            assert_title(page, TITLES[lang][title])
            assert_language(page, lang)
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SCREENSHOTS / f"1080p-{lang}-{name}.png")
            assert_charts_drawn(page, charts)
    finally:
        context.close()
