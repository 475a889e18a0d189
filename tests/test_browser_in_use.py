"""What a director meets in use, in headless Chromium: the address follows the partner shown, and a
refused save keeps what was typed. Screenshots of the profile at 1920×1080 in both languages are kept
in `test-artifacts/screenshots/` for a person to look at (`profile-in-use-*.png`).

The server is the one of tests/browser_helpers.py with an editor's account added, so that the Data
screen can be used as an editor uses it: signed in from the sidebar.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from db.access import COMMAND_LINE
from db.accounts import add_user
from db.engine import get_engine
from tests import browser_helpers
from tests.browser_helpers import RERUN_MS, SCREENSHOTS, main_area, wait_until_idle
from tests.helpers import PASSWORD

browser_executable = browser_helpers.browser_executable
browser_chromium = browser_helpers.browser_chromium

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1920, "height": 1080}
AMALIPE = "Център за междуетнически диалог и толерантност „Амалипе“"
LARGO = "Сдружение „Ларго“ – Кюстендил (Либерална алтернатива за ромско гражданско обединение)"
EDITOR = "maria"


@pytest.fixture(scope="module")
def browser_editor_server(tmp_path_factory: pytest.TempPathFactory, browser_executable: str) -> Iterator[str]:
    """The app on the demo data, with an editor's account."""
    folder: Path = tmp_path_factory.mktemp("browser-in-use")
    served = browser_helpers._serve(folder, demo=True)
    url = next(served)
    engine = get_engine(f"sqlite:///{folder / 'partnerships.db'}")
    add_user(engine=engine, actor=COMMAND_LINE, login=EDITOR, password=PASSWORD, role="editor")
    engine.dispose()
    yield url
    served.close()


@pytest.fixture(scope="module")
def browser_context(browser_chromium: Browser) -> Iterator[BrowserContext]:
    context = browser_chromium.new_context(viewport=VIEWPORT, locale="bg-BG")
    yield context
    context.close()


@pytest.fixture
def browser_page(browser_context: BrowserContext) -> Iterator[Page]:
    """A new tab, a new Streamlit session."""
    tab = browser_context.new_page()
    yield tab
    tab.close()


def title(page: Page) -> str:
    return main_area(page).locator("h1").first.inner_text()


def wait_for_title(page: Page, text: str) -> None:
    expect(main_area(page).locator("h1").first).to_have_text(text, timeout=RERUN_MS)
    wait_until_idle(page)


def page_link(page: Page, label: str) -> None:
    main_area(page).get_by_test_id("stPageLink-NavLink").filter(has_text=label).first.click()


# --- the address follows the partner shown -------------------------------------------------------


def test_the_address_follows_the_partner_shown(browser_page: Page, browser_editor_server: str) -> None:
    """Amalipe → „Всички партньори“ → Ларго: the address says Ларго, and a reload or a new year keeps Ларго."""
    page = browser_page
    page.goto(f"{browser_editor_server}/partners?partner=amalipe")
    wait_for_title(page, AMALIPE)

    page_link(page, "Всички партньори")
    wait_for_title(page, "Партньори")
    assert "partner=" not in page.url, page.url

    page_link(page, "Ларго")
    wait_for_title(page, LARGO)
    expect(page).to_have_url(re.compile(r"[?&]partner=largo\b"), timeout=RERUN_MS)

    page.reload()
    wait_for_title(page, LARGO)

    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_test_id("stSelectbox").filter(has_text="Учебна година").click()
    page.get_by_role("option", name="2023/2024").click()
    expect(page).to_have_url(re.compile(r"[?&]year=2023-2024\b"), timeout=RERUN_MS)
    wait_until_idle(page)
    assert title(page) == LARGO
    expect(page).to_have_url(re.compile(r"[?&]partner=largo\b"))

    page.reload()
    wait_for_title(page, LARGO)


@pytest.mark.parametrize("lang", ["bg", "en"])
def test_the_profile_at_full_hd_shows_the_chosen_year_first(
    browser_page: Page, browser_editor_server: str, lang: str
) -> None:
    """What a director sees without scrolling: the figures, what each change is compared with, the year's activities."""
    page = browser_page
    suffix = "" if lang == "bg" else "&lang=en"
    page.goto(f"{browser_editor_server}/partners?partner=amalipe&year=2023-2024{suffix}")
    wait_for_title(page, AMALIPE)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"profile-in-use-{lang}.png")
    main = main_area(page)
    compared = {"bg": "спрямо 2022/2023", "en": "vs 2022/2023"}[lang]
    expect(main.get_by_test_id("stCaptionContainer").filter(has_text=compared)).to_have_count(3)
    period = {"bg": "Дейности · Учебна 2023/2024", "en": "Activities · School year 2023/2024"}[lang]
    expect(main.locator("h3").filter(has_text=period)).to_have_count(1)

    history = {"bg": "Цялата история", "en": "Whole history"}[lang]
    main.get_by_test_id("stExpander").filter(has_text=history).locator("summary").click()
    wait_until_idle(page)
    browser_helpers.assert_charts_drawn(page, 2)
    page.set_viewport_size({"width": 1920, "height": 2600})
    page.wait_for_timeout(500)
    page.screenshot(path=SCREENSHOTS / f"profile-in-use-{lang}-history.png", full_page=True)


# --- a refused save keeps what was typed ---------------------------------------------------------


def sign_in(page: Page) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_test_id("stExpander").filter(has_text="Вход за редактори").locator("summary").click()
    sidebar.get_by_label("Потребителско име").fill(EDITOR)
    sidebar.get_by_label("Парола").fill(PASSWORD)
    sidebar.get_by_test_id("stFormSubmitButton").click()
    expect(main_area(page).get_by_role("tab", name="Дейности")).to_be_visible(timeout=RERUN_MS)
    wait_until_idle(page)


def type_date(page: Page, field: str, day: str) -> None:
    box = page.get_by_role("tabpanel").get_by_label(field, exact=True)
    box.click()
    box.press("Control+a")
    box.press_sequentially(day)
    box.press("Enter")


def date_field(panel: Locator, index: int, label: str) -> Locator:
    """The `index`-th date input of the form (the start date, then the end date), checked by its label."""
    widget = panel.get_by_test_id("stDateInput").nth(index)
    expect(widget.get_by_test_id("stWidgetLabel")).to_contain_text(label)
    return widget


def date_shown(widget: Locator) -> str:
    """The digits a date input shows (its day, month and year are separate segments, not an <input>)."""
    return re.sub(r"\D", "", widget.get_by_test_id("stDateInputField").inner_text())


def test_a_refused_save_keeps_what_was_typed_and_marks_the_field(
    browser_page: Page, browser_editor_server: str
) -> None:
    page = browser_page
    page.goto(f"{browser_editor_server}/data")
    wait_until_idle(page)
    sign_in(page)
    main_area(page).get_by_role("tab", name="Дейности").click()
    panel = page.get_by_role("tabpanel")
    expect(panel.get_by_label("Заглавие *")).to_be_visible()

    panel.get_by_label("Заглавие *").fill("Пролетен празник")
    type_date(page, "Дата *", "06.05.2024")
    type_date(page, "Крайна дата", "02.05.2024")
    panel.get_by_test_id("stFormSubmitButton").filter(has_text="Запази").click()
    expect(panel.get_by_test_id("stAlert")).to_contain_text("Нищо не е записано", timeout=RERUN_MS)
    wait_until_idle(page)
    page.screenshot(path=SCREENSHOTS / "form-refused-bg.png", full_page=True)

    assert panel.get_by_label("Заглавие *").input_value() == "Пролетен празник"
    assert date_shown(date_field(panel, 0, "Дата")) == "06052024"
    assert date_shown(date_field(panel, 1, "Крайна дата")) == "02052024"
    # The note is in the end date's own column, right under it.
    end_date = page.get_by_test_id("stDateInput").filter(has_text="Крайна дата")
    end_column = panel.get_by_test_id("stColumn").filter(has=end_date)
    expect(end_column.get_by_test_id("stCaptionContainer")).to_contain_text("Крайната дата е преди началната")
    alert = panel.get_by_test_id("stAlert").inner_text()
    assert "Посочете поне една организация" in alert and "„Партньори“ е задължително" not in alert, alert
