"""An activity's photos in a real browser: the details show the consented ones, fitted to a laptop and a phone,
and nothing of a photo without consent. Screenshots: test-artifacts/screenshots/attachments-*.png.

The server's demo is loaded as of today, as `python -m db demo` does; the same demo loaded here into a
file of the test's own says which activities carry which photos (db/demo_photos.py draws them alike).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import text

from db import migrate
from db.demo import load_demo
from db.engine import get_engine
from tests import browser_helpers
from tests.browser_helpers import SCREENSHOTS, wait_until_idle

browser_executable = browser_helpers.browser_executable
browser_chromium = browser_helpers.browser_chromium
browser_demo_server = browser_helpers.browser_demo_server

pytestmark = pytest.mark.browser

SIZES = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def photographed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    """An activity of the demo with publishable photos only, and one whose photos have no consent."""
    engine = get_engine(f"sqlite:///{Path(tmp_path_factory.mktemp('demo-photos')) / 'demo.db'}")
    try:
        migrate.upgrade(engine)
        load_demo(engine, today=date.today())
        with engine.connect() as connection:
            consents = connection.execute(
                text("SELECT activity_id, group_concat(consent) FROM attachments GROUP BY activity_id")
            ).all()
    finally:
        engine.dispose()
    published = next(a for a, c in consents if "no," not in f"{c}," and c.count(",") >= 1)
    hidden = next(a for a, c in consents if set(c.split(",")) == {"no"})
    return {"published": int(published), "hidden": int(hidden)}


@pytest.fixture
def page(browser_chromium: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser_chromium.new_context(viewport=SIZES[request.param], locale="bg-BG")
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("page", list(SIZES), indirect=True)
def test_the_details_show_the_consented_photos_fitted_to_the_screen(
    page: Page, browser_demo_server: str, photographed: dict[str, int]
) -> None:
    page.goto(f"{browser_demo_server}/activities?activity={photographed['published']}")
    wait_until_idle(page)
    dialog = page.get_by_role("dialog")
    images = dialog.get_by_test_id("stImage").locator("img")
    expect(images).to_have_count(2)
    width = page.viewport_size["width"] if page.viewport_size else 0
    for index in range(2):
        images.nth(index).scroll_into_view_if_needed()
        expect(images.nth(index)).to_be_visible()
        box = images.nth(index).bounding_box()
        assert box is not None and 0 < box["x"] and box["x"] + box["width"] <= width
        # Drawn, not a broken image: the browser decoded the stored JPEG.
        assert images.nth(index).evaluate("img => img.complete && img.naturalWidth") == 960
    expect(dialog.get_by_text("Снимка: Демо")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    name = "laptop" if width > 500 else "phone"
    page.screenshot(path=SCREENSHOTS / f"attachments-details-{name}.png")
    images.nth(1).scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / f"attachments-details-{name}-scrolled.png")


@pytest.mark.parametrize("page", ["laptop"], indirect=True)
def test_a_visitor_sees_nothing_of_a_photo_without_consent(
    page: Page, browser_demo_server: str, photographed: dict[str, int]
) -> None:
    page.goto(f"{browser_demo_server}/activities?activity={photographed['hidden']}")
    wait_until_idle(page)
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("Демонстрационен запис")).to_be_visible()
    expect(dialog.get_by_test_id("stImage")).to_have_count(0)
    expect(dialog.get_by_text("Снимки", exact=True)).to_have_count(0)
    expect(dialog.get_by_text("Без съгласие")).to_have_count(0)
