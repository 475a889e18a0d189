"""The app on a 390 px phone: every chart and its legend fit the width they are given, nothing scrolls sideways.

The same Streamlit server and Debian's Chromium as tests/test_browser.py (tests/browser_helpers.py).
A chart's drawing surface (SVG or canvas) holds its axes and its legend: wider than its container, the
legend is cut off. Screenshots go to test-artifacts/screenshots/phone-*.png for a person to look at,
with one of the Activities page on a 1366×768 laptop, so that the desktop is seen not to get worse.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests import browser_helpers
from tests.browser_helpers import SCREENSHOTS, assert_charts_drawn, wait_until_idle

browser_executable = browser_helpers.browser_executable
browser_chromium = browser_helpers.browser_chromium
browser_demo_server = browser_helpers.browser_demo_server

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
SCREENSHOT_MAX_HEIGHT = 12_000

# (screenshot name, path, number of charts). The profile first, as in tests/test_browser.py: a deep
# link is what the first visitor after a restart meets.
PAGES = [
    ("profile", "/partners?partner=amalipe", 2),
    ("overview", "/", 1),
    ("activities", "/activities", 5),
    ("activities-all-years", "/activities?year=all", 5),
    ("outcomes", "/outcomes?year=2024-2025", 9),  # an indicator each (db/indicators.py)
]

# Each chart's container and what Vega drew in it (legend included), and how far the page reaches sideways.
MEASURE = """
() => {
    // Left out: what a plot clips (marks panned out of view) and the axis labels Vega hides where
    // they would overlap (drawn with opacity 0, still in the SVG).
    const shows = e => !e.closest("[clip-path]") && getComputedStyle(e).opacity !== "0";
    const charts = [...document.querySelectorAll("[data-testid='stVegaLiteChart']")].map(chart => {
        const box = chart.getBoundingClientRect();
        const surface = chart.querySelector("svg.marks, canvas.marks");
        if (!surface) return {left: box.left, right: box.right, width: box.width, drawnWidth: null};
        // An SVG lets its content overflow its own box: measure every shape and text in it that shows.
        const parts = surface.tagName === "svg"
            ? [surface, ...[...surface.querySelectorAll("text, path, rect, line, image")].filter(shows)]
            : [surface];
        const boxes = parts.map(e => e.getBoundingClientRect()).filter(b => b.width > 0 && b.height > 0);
        const drawnLeft = Math.min(...boxes.map(b => b.left));
        const drawnRight = Math.max(...boxes.map(b => b.right));
        return {
            left: box.left, right: box.right, width: box.width,
            drawnLeft, drawnRight, drawnWidth: drawnRight - drawnLeft,
        };
    });
    const main = document.querySelector("[data-testid='stMain']");
    const scrollers = [document.scrollingElement, main, ...main.querySelectorAll("*")]
        .filter(e => e && e.scrollWidth > e.clientWidth + 1)
        .filter(e => e === document.scrollingElement || ["auto", "scroll"].includes(getComputedStyle(e).overflowX))
        // A data table scrolls its own columns, as a table should; the page around it must not.
        .filter(e => !e.closest("[data-testid='stDataFrame'], [data-testid='stTable']"))
        .map(e => `${e.tagName.toLowerCase()}.${e.getAttribute("class")} ${e.clientWidth} < ${e.scrollWidth}`);
    const sticking = [...main.querySelectorAll("*")]
        // A group's box holds its hidden labels too: its shapes and texts are measured one by one.
        .filter(e => !e.closest("[data-testid='stDataFrame'], [data-testid='stTable']") && shows(e))
        .filter(e => e.tagName.toLowerCase() !== "g")
        .filter(e => {
            const box = e.getBoundingClientRect();
            return box.width > 0 && box.height > 0 && box.right > window.innerWidth + 1;
        })
        .map(e => `${e.tagName.toLowerCase()}.${e.getAttribute("class")} right ${e.getBoundingClientRect().right}`);
    return {charts, scrollers, sticking: sticking.slice(0, 5), innerWidth: window.innerWidth};
}
"""


@pytest.fixture(scope="module")
def phone(browser_chromium: Browser) -> Iterator[BrowserContext]:
    context = browser_chromium.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="bg-BG"
    )
    yield context
    context.close()


def open_and_shoot(context: BrowserContext, url: str, name: str, viewport: dict[str, int]) -> Page:
    """The page at `url`, drawn, with its whole height in test-artifacts/screenshots/<name>.png."""
    page = context.new_page()
    page.goto(url)
    wait_until_idle(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("() => document.querySelector(\"[data-testid='stMain']\").scrollHeight")
    tall = min(max(viewport["height"], int(height)), SCREENSHOT_MAX_HEIGHT)
    page.set_viewport_size({"width": viewport["width"], "height": tall})
    page.wait_for_timeout(800)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
    page.set_viewport_size(viewport)
    page.wait_for_timeout(800)
    return page


# px: a rotated axis title's box holds its line's whole ascent and descent, 2.5 px past the letters.
SLACK = 3


def assert_everything_fits(page: Page) -> None:
    measured: dict[str, Any] = page.evaluate(MEASURE)
    for index, chart in enumerate(measured["charts"]):
        assert chart["drawnWidth"] is not None, f"chart {index} on {page.url} has nothing drawn"
        inside = chart["drawnLeft"] >= chart["left"] - SLACK and chart["drawnRight"] <= chart["right"] + SLACK
        assert inside, (
            f"chart {index} on {page.url} is drawn {chart['drawnWidth']:.0f} px wide in a {chart['width']:.0f} px"
            f" place (legend or axis cut off): {chart}"
        )
    assert not measured["scrollers"], f"{page.url} scrolls sideways: {measured['scrollers']}"
    assert not measured["sticking"], f"on {page.url} these reach past the screen's edge: {measured['sticking']}"


@pytest.mark.parametrize(("name", "path", "charts"), [pytest.param(*p, id=p[0]) for p in PAGES])
def test_on_a_phone_every_chart_and_its_legend_fit_the_screen(
    phone: BrowserContext, browser_demo_server: str, name: str, path: str, charts: int
) -> None:
    page = open_and_shoot(phone, browser_demo_server + path, f"phone-{name}", PHONE)
    try:
        assert_charts_drawn(page, charts)
        assert_everything_fits(page)
    finally:
        page.close()


def test_on_a_laptop_the_activities_charts_fit_as_well(browser_chromium: Browser, browser_demo_server: str) -> None:
    context = browser_chromium.new_context(viewport=LAPTOP, locale="bg-BG")
    try:
        page = open_and_shoot(context, browser_demo_server + "/activities", "phone-desktop-1366-activities", LAPTOP)
        assert_charts_drawn(page, 5)
        assert_everything_fits(page)
    finally:
        context.close()


def test_on_a_laptop_the_outcomes_charts_fit_and_hide_the_small_counts(
    browser_chromium: Browser, browser_demo_server: str
) -> None:
    context = browser_chromium.new_context(viewport=LAPTOP, locale="bg-BG")
    try:
        page = open_and_shoot(context, browser_demo_server + "/outcomes?year=2024-2025", "outcomes-1366", LAPTOP)
        assert_charts_drawn(page, 9)
        assert_everything_fits(page)
        # The demo's 3 pupils who dropped out in 2024/2025 reach a viewer as „< 5“ only.
        table = page.get_by_test_id("stDataFrame").first
        expect(table).to_contain_text("Отпаднали ученици")
        assert "< 5" in page.get_by_test_id("stMain").inner_text().replace("\u00a0", " ")
    finally:
        context.close()
