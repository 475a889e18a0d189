"""Who works with whom in a real browser: drawn on the Partners page at a laptop's, a large screen's and a
phone's width (screenshots in test-artifacts/screenshots/ to look at), and a click on a partner opens its
profile."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests import browser_helpers
from tests.browser_helpers import DRAWN_CHART, RERUN_MS, SCREENSHOTS, main_area, wait_until_idle

browser_executable = browser_helpers.browser_executable
browser_chromium = browser_helpers.browser_chromium
browser_demo_server = browser_helpers.browser_demo_server

pytestmark = pytest.mark.browser

NETWORK = "[data-testid='stVegaLiteChart']:has(g.mark-symbol)"


@pytest.fixture
def browser_page(browser_chromium: Browser) -> Iterator[Page]:
    context = browser_chromium.new_context(viewport={"width": 1366, "height": 768}, locale="bg-BG")
    page = context.new_page()
    yield page
    context.close()


def open_network(page: Page, url: str) -> None:
    page.goto(url)
    wait_until_idle(page)
    chart = page.locator(NETWORK)
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(500)


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080), (390, 844)])
def test_the_network_is_drawn_at_every_width(
    browser_page: Page, browser_demo_server: str, width: int, height: int
) -> None:
    browser_page.set_viewport_size({"width": width, "height": height})
    open_network(browser_page, f"{browser_demo_server}/partners?year=all")
    expect(main_area(browser_page).get_by_role("heading", name="Кой с кого работи")).to_be_visible()
    drawn = browser_page.locator(NETWORK).evaluate(DRAWN_CHART)
    assert drawn is not None and drawn["width"] > 300 and drawn["height"] > 400, drawn
    # Eight demo partners: a circle each, and every name written (twice: its white outline and the name).
    assert browser_page.locator(f"{NETWORK} g.mark-symbol.role-mark path").count() == 8
    assert browser_page.locator(f"{NETWORK} g.mark-text.role-mark text", has_text="Ларго").count() == 2
    # Nothing reaches past the window's edge.
    assert browser_page.evaluate("document.documentElement.scrollWidth") <= width
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser_page.screenshot(path=str(SCREENSHOTS / f"partner-network-{width}x{height}.png"))


def test_a_click_on_a_partner_opens_its_profile(browser_page: Page, browser_demo_server: str) -> None:
    open_network(browser_page, f"{browser_demo_server}/partners?year=all&lang=en")
    largo = browser_page.locator(f"{NETWORK} g.mark-symbol.role-mark path[aria-label*='Ларго']")
    expect(largo).to_have_count(1)
    largo.click()
    browser_page.wait_for_url(re.compile(r"partner=largo"), timeout=RERUN_MS)
    wait_until_idle(browser_page)
    expect(main_area(browser_page).get_by_role("heading", level=1)).to_contain_text("Ларго")
    # The address keeps the language and the period: a reload shows the same profile.
    assert "lang=en" in browser_page.url and "year=all" in browser_page.url
