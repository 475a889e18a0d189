"""The Presentation page in headless Chromium at a projector's size, walked through with the keyboard.

The servers, the browser and the helpers are those of `tests/browser_helpers.py`. Its fixtures are
shared by name: pytest finds a fixture among a test module's attributes, imported or not. A
screenshot of every slide goes to `test-artifacts/screenshots/presentation-NN.png` (English:
`presentation-en-NN.png`), at 1920×1080 and without scrolling, as the room would see it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests import browser_helpers
from tests.browser_helpers import (
    APP_IDLE,
    EMPTY_DATABASE,
    RERUN_MS,
    SCREENSHOTS,
    assert_charts_drawn,
    main_area,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

browser_executable = browser_helpers.browser_executable
browser_chromium = browser_helpers.browser_chromium
browser_demo_server = browser_helpers.browser_demo_server
browser_empty_server = browser_helpers.browser_empty_server

PROJECTOR = {"width": 1920, "height": 1080}
YEAR = "2023-2024"
COUNTER = re.compile(r"^(\d+) / (\d+)$")
# The slides that draw a chart; every other slide draws none.
CHART_TITLES = {
    "bg": {
        "Хронология на дейностите",
        "Дейности по партньори и видове",
        "Дейности по месеци",
        "Дейности по учебни години",
        "Кой с кого работи",
    },
    "en": {
        "Timeline of activities",
        "Activities by partner and type",
        "Activities by month",
        "Activities by school year",
        "Who works with whom",
    },
}
FIRST_TITLE = {"bg": "Партньорства за образователна интеграция", "en": "Partnerships for educational integration"}


@pytest.fixture
def projector(browser_chromium: Browser) -> Iterator[Page]:
    """A new session in a 1920×1080 window, as on a projector."""
    context = browser_chromium.new_context(viewport=PROJECTOR, locale="bg-BG")
    page = context.new_page()
    yield page
    context.close()


def presentation_url(base_url: str, lang: str, **params: str) -> str:
    query = {"year": YEAR, **({"lang": lang} if lang != "bg" else {}), **params}
    return f"{base_url}/presentation?" + "&".join(f"{key}={value}" for key, value in query.items())


def slide_counter(page: Page) -> tuple[int, int]:
    """(number, count) from the `3 / 14` under the buttons."""
    text = main_area(page).locator("h4").filter(has_text=COUNTER).first.inner_text().strip()
    found = COUNTER.match(text)
    assert found, text
    return int(found[1]), int(found[2])


def slide_title(page: Page) -> str:
    return main_area(page).locator("h1").first.inner_text().strip()


def assert_slide_fits_the_screen(page: Page) -> None:
    """Everything of the slide is above the bottom of the screen: the settings come after it."""
    settings = main_area(page).get_by_test_id("stExpander").bounding_box()
    assert settings is not None
    assert settings["y"] <= PROJECTOR["height"], f"slide {slide_counter(page)} runs below the screen: {settings}"


def wait_for_slide(page: Page, number: int) -> None:
    expect(page).to_have_url(re.compile(rf"[?&]slide={number}(&|$)"), timeout=RERUN_MS)
    wait_until_idle(page)
    expect(main_area(page).locator("h4").filter(has_text=COUNTER).first).to_have_text(
        re.compile(rf"^{number} / \d+$"), timeout=RERUN_MS
    )


@pytest.mark.parametrize("lang", ["bg", "en"])
def test_walk_through_every_slide_with_the_keyboard(projector: Page, browser_demo_server: str, lang: str) -> None:
    """→ moves on, every slide is drawn without an exception, charts have marks, and each slide fits the screen."""
    page = projector
    page.goto(presentation_url(browser_demo_server, lang))
    wait_until_idle(page)
    expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true")
    expect(page.get_by_test_id("stMainMenu")).to_have_count(1)  # without embed=true
    number, count = slide_counter(page)
    assert number == 1 and count > 8
    assert slide_title(page) == FIRST_TITLE[lang]

    titles = []
    for number in range(1, count + 1):
        if number > 1:
            page.keyboard.press("ArrowRight")
            wait_for_slide(page, number)
        title = slide_title(page)
        titles.append(title)
        prefix = "presentation" if lang == "bg" else "presentation-en"
        page.screenshot(path=SCREENSHOTS / f"{prefix}-{number:02d}.png")
        assert slide_counter(page) == (number, count)
        assert_charts_drawn(page, 1 if title in CHART_TITLES[lang] else 0)
        assert_slide_fits_the_screen(page)
        expect(page).to_have_url(re.compile(rf"[?&]year={YEAR}\b"))
    assert CHART_TITLES[lang] <= set(titles)
    assert len(set(titles)) == count

    # The last slide stays put under →; ← goes back.
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(1_000)
    page.locator(APP_IDLE).wait_for(state="attached")
    assert slide_counter(page) == (count, count)
    page.keyboard.press("ArrowLeft")
    wait_for_slide(page, count - 1)


def test_the_buttons_move_and_a_prepared_link_opens_its_slide(projector: Page, browser_demo_server: str) -> None:
    """A link with slides= and order= opens at its slide; the buttons move on and back."""
    page = projector
    page.goto(presentation_url(browser_demo_server, "bg", slides="partners,charts", order="amalipe,largo", slide="2"))
    wait_until_idle(page)
    assert slide_counter(page) == (2, 6)  # Амалипе, Ларго and four charts
    assert slide_title(page) == "Ларго"
    main_area(page).get_by_role("button", name=re.compile("Напред")).click()
    wait_for_slide(page, 3)
    assert slide_title(page) == "Дейности по партньори и видове"
    assert_charts_drawn(page, 1)
    main_area(page).get_by_role("button", name=re.compile("Назад")).click()
    wait_for_slide(page, 2)
    expect(page).to_have_url(re.compile(r"[?&]order=amalipe(%2C|,)largo\b"))
    expect(page).to_have_url(re.compile(r"[?&]slides=partners(%2C|,)charts\b"))


def test_an_unattended_screen_moves_on_by_itself_and_starts_again(projector: Page, browser_demo_server: str) -> None:
    """With auto=5, the slides change every five seconds, and the first follows the last.

    The screen's link has embed=true, which takes Streamlit's menu away, and keeps it while the slides change.
    """
    page = projector
    page.goto(presentation_url(browser_demo_server, "bg", slides="title,figures", auto="5", embed="true"))
    wait_until_idle(page)
    assert slide_counter(page) == (1, 2)
    expect(main_area(page)).to_contain_text("Сменя се сама на всеки 5 с")
    expect(page.get_by_test_id("stMainMenu")).to_have_count(0)
    wait_for_slide(page, 2)
    wait_for_slide(page, 1)
    expect(page).to_have_url(re.compile(r"[?&]embed=true\b"))
    expect(page.get_by_test_id("stMainMenu")).to_have_count(0)
    errors = page.get_by_test_id("stException").all_inner_texts()
    assert not errors


@pytest.mark.parametrize("lang", ["bg", "en"])
def test_an_empty_database_explains_itself(projector: Page, browser_empty_server: str, lang: str) -> None:
    page = projector
    page.goto(presentation_url(browser_empty_server, lang))
    wait_until_idle(page)
    expect(main_area(page)).to_contain_text(EMPTY_DATABASE[lang])
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(0)
    page.screenshot(path=SCREENSHOTS / f"presentation-empty-{lang}.png")
