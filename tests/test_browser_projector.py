"""What a director meets in use, in headless Chromium: old addresses, the projector view, English words.

- Every address the app shows or has shown opens without Streamlit's English dialog "Page not found",
  starting with `/overview?…` on a server nobody has visited yet.
- The projector view: one button on the Presentation page, then the slide alone at 1920×1080 (no logo,
  no sidebar or its button, no settings), ←/→ and Esc; screenshots of the title, figures and a chart
  slide in both languages go to `test-artifacts/screenshots/projector-<lang>-<slide>.png`.
- The Bulgarian interface has no "Select all" in a multiselect and shows `дд.мм.гггг` in an empty date field.

The browser and the helpers are those of `tests/browser_helpers.py`; the server is this module's own,
so that the first test meets it fresh, with an editor account for the Data page.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests import browser_helpers
from tests.browser_helpers import RERUN_MS, SCREENSHOTS, assert_charts_drawn, main_area, wait_until_idle
from tests.helpers import ROOT

pytestmark = pytest.mark.browser

browser_executable = browser_helpers.browser_executable
browser_chromium = browser_helpers.browser_chromium

PROJECTOR = {"width": 1920, "height": 1080}
YEAR = "2023-2024"
EDITOR, PASSWORD = "redaktor", "парола-за-теста-1"
PROJECTOR_BUTTON = {"bg": "Режим проектор", "en": "Projector view"}
NEXT = {"bg": "Напред", "en": "Next"}
SETTINGS = {"bg": "Настройки на презентацията", "en": "Presentation settings"}
FIRST_TITLE = {"bg": "Партньорства за образователна интеграция", "en": "Partnerships for educational integration"}
COUNTER = re.compile(r"^(\d+) / (\d+)$")

# Addresses the app shows or has shown, the Overview's old one first: on a fresh server Streamlit
# still treats the `pages/` folder as a legacy multipage app until some session runs st.navigation.
ADDRESSES = [
    ("/overview?year=2023-2024", "Обзор на партньорствата"),
    ("/partners?partner=amalipe", "Център за междуетнически диалог и толерантност „Амалипе“"),
    ("/presentation?slide=2", None),
    ("/timeline?year=all", "Хронология на дейностите"),
    ("/overview?year=2023-2024", "Обзор на партньорствата"),
    ("/?year=2023-2024", "Обзор на партньорствата"),
    ("/overview", "Обзор на партньорствата"),
    ("/presentation?year=2023-2024&view=projector", FIRST_TITLE["bg"]),
]


@pytest.fixture(scope="module")
def browser_editor_server(tmp_path_factory: pytest.TempPathFactory, browser_executable: str) -> Iterator[str]:
    """A fresh app on the demo data, with an editor account (for the date fields of the Data page)."""
    folder = tmp_path_factory.mktemp("browser-projector")
    serving = browser_helpers._serve(folder, demo=True)
    url = next(serving)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'partnerships.db'}"}
    added = subprocess.run(
        [sys.executable, "-m", "db", "user", "add", EDITOR, "--role", "editor", "--password-stdin"],
        cwd=ROOT,
        env=env,
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert added.returncode == 0, added.stdout + added.stderr
    yield url
    serving.close()


@pytest.fixture
def screen(browser_chromium: Browser) -> Iterator[Page]:
    """A new session on a 1920×1080 screen, as a projector."""
    context = browser_chromium.new_context(viewport=PROJECTOR, locale="bg-BG")
    page = context.new_page()
    yield page
    context.close()


def page_not_found(page: Page) -> list[str]:
    return page.get_by_role("dialog").filter(has_text="Page not found").all_inner_texts()


def test_every_address_opens_without_page_not_found(browser_chromium: Browser, browser_editor_server: str) -> None:
    """The first test of the module: the server has not run a page yet when /overview?… arrives."""
    for path, title in ADDRESSES:
        context = browser_chromium.new_context(viewport=PROJECTOR, locale="bg-BG")
        page = context.new_page()
        page.goto(browser_editor_server + path)
        wait_until_idle(page)
        page.wait_for_timeout(1_000)  # the dialog comes with the run's last messages
        assert page_not_found(page) == [], f"{path} shows Streamlit's 'Page not found'"
        if title is not None:
            expect(main_area(page).locator("h1").first).to_have_text(title)
        if "year=" in path:
            expect(page).to_have_url(re.compile(r"[?&]year=" + path.split("year=")[1].split("&")[0] + r"\b"))
        context.close()


def counter(page: Page) -> tuple[int, int]:
    """(number, count) from the small `3 / 14` under the slide."""
    text = main_area(page).get_by_test_id("stCaptionContainer").filter(has_text=COUNTER).first.inner_text()
    found = COUNTER.match(text.strip())
    assert found, text
    return int(found[1]), int(found[2])


def wait_for_slide(page: Page, number: int) -> None:
    expect(page).to_have_url(re.compile(rf"[?&]slide={number}(&|$)"), timeout=RERUN_MS)
    wait_until_idle(page)
    expect(main_area(page).get_by_test_id("stCaptionContainer").filter(has_text=COUNTER).first).to_have_text(
        re.compile(rf"^{number} / \d+$"), timeout=RERUN_MS
    )


def assert_only_the_slide(page: Page, lang: str) -> None:
    """No logo, no sidebar and no button to open it, no settings: the room sees the slide."""
    for test_id in ("stLogo", "stSidebar", "stExpandSidebarButton", "stSidebarCollapseButton", "stMainMenu"):
        expect(page.locator(f"[data-testid='{test_id}']:visible")).to_have_count(0)
    expect(main_area(page).get_by_text(SETTINGS[lang])).to_have_count(0)
    expect(main_area(page).get_by_role("button", name=PROJECTOR_BUTTON[lang])).to_have_count(0)


@pytest.mark.parametrize("lang", ["bg", "en"])
def test_one_button_opens_the_projector_view(screen: Page, browser_editor_server: str, lang: str) -> None:
    page = screen
    language = "" if lang == "bg" else "&lang=en"
    page.goto(f"{browser_editor_server}/presentation?year={YEAR}{language}")
    wait_until_idle(page)
    # One arrow on the button: Streamlit shows the → of the shortcut, the label adds none.
    # (The old button drew a Material arrow icon before the shortcut's "→": "Напред → →".)
    next_button = main_area(page).get_by_role("button", name=re.compile(NEXT[lang]))
    assert next_button.inner_text().count("→") == 1, next_button.inner_text()
    expect(next_button.get_by_test_id("stIconMaterial")).to_have_count(0)

    main_area(page).get_by_role("button", name=PROJECTOR_BUTTON[lang]).click()
    expect(page).to_have_url(re.compile(r"[?&]view=projector\b"), timeout=RERUN_MS)
    wait_until_idle(page)
    expect(page).to_have_url(re.compile(rf"[?&]year={YEAR}\b"))
    assert_only_the_slide(page, lang)
    number, count = counter(page)
    assert number == 1 and count > 8

    # The title slide uses the screen: in its middle third, in large type.
    title = main_area(page).locator("h1").first
    expect(title).to_have_text(FIRST_TITLE[lang])
    box = title.bounding_box()
    assert box is not None and PROJECTOR["height"] * 0.2 < box["y"] < PROJECTOR["height"] * 0.5, box
    size = float(title.evaluate("h => getComputedStyle(h).fontSize").removesuffix("px"))
    assert size >= 64, size
    page.screenshot(path=SCREENSHOTS / f"projector-{lang}-title.png")

    page.keyboard.press("ArrowRight")
    wait_for_slide(page, 2)
    assert_only_the_slide(page, lang)
    assert_charts_drawn(page, 0)
    page.screenshot(path=SCREENSHOTS / f"projector-{lang}-figures.png")

    # Without the story (the deck's end), the last slide is a chart; ← still moves back from it.
    charts_last = "&slides=title,figures,partners,timeline,charts"
    page.goto(f"{browser_editor_server}/presentation?year={YEAR}{language}{charts_last}&view=projector&slide=999")
    wait_until_idle(page)
    count, last = counter(page)
    assert count == last
    assert_only_the_slide(page, lang)
    assert_charts_drawn(page, 1)
    page.screenshot(path=SCREENSHOTS / f"projector-{lang}-chart.png")
    page.keyboard.press("ArrowLeft")
    wait_for_slide(page, count - 1)

    # Esc: back to the page with its settings, on the same slide.
    page.keyboard.press("Escape")
    expect(page).not_to_have_url(re.compile(r"view=projector"), timeout=RERUN_MS)
    wait_until_idle(page)
    expect(main_area(page).get_by_text(SETTINGS[lang])).to_have_count(1)
    expect(main_area(page).get_by_role("button", name=PROJECTOR_BUTTON[lang])).to_have_count(1)
    expect(page).to_have_url(re.compile(rf"[?&]slide={count - 1}\b"))


def test_no_select_all_in_a_multiselect(screen: Page, browser_editor_server: str) -> None:
    page = screen
    page.goto(f"{browser_editor_server}/?year={YEAR}")
    wait_until_idle(page)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_test_id("stMultiSelect").first.click()
    options = page.get_by_role("option")
    expect(options.first).to_be_visible()
    assert options.count() >= 2
    expect(page.get_by_text(re.compile("Select all|Select \\d+ matches"))).to_have_count(0)


# An empty date segment: what it shows in place of Streamlit's text, and the text's own size.
DATE_PLACEHOLDERS = """
() => [...document.querySelectorAll("[data-testid='stDateInputField'] [data-placeholder]")]
    .filter(segment => ["day", "month", "year"].includes(segment.dataset.type))
    .map(segment => [segment.dataset.type, getComputedStyle(segment, "::before").content,
                     getComputedStyle(segment).fontSize])
"""


def test_an_empty_date_field_reads_dd_mm_yyyy_in_bulgarian(screen: Page, browser_editor_server: str) -> None:
    page = screen
    page.goto(f"{browser_editor_server}/?year={YEAR}")
    wait_until_idle(page)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_test_id("stExpander").filter(has_text="Вход за редактори").locator("summary").click()
    sidebar.get_by_label("Потребителско име").fill(EDITOR)
    sidebar.get_by_label("Парола").fill(PASSWORD)
    sidebar.get_by_test_id("stFormSubmitButton").click()
    wait_until_idle(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link").filter(has_text="Данни").click()
    wait_until_idle(page)
    shown = page.evaluate(DATE_PLACEHOLDERS)
    assert shown, "no empty date field on the Data page"
    words = {"day": '"дд"', "month": '"мм"', "year": '"гггг"'}
    for segment, content, size in shown:
        assert content == words[segment], shown
        assert size == "0px", shown  # Streamlit's own dd/mm/yyyy takes no room
    page.screenshot(path=SCREENSHOTS / "projector-bg-date-field.png")


def test_the_story_mode_in_the_projector_view(screen: Page, browser_editor_server: str) -> None:
    """The year as a story: the title, the timeline, then an activity a slide, alone on the screen."""
    page = screen
    page.goto(f"{browser_editor_server}/presentation?year={YEAR}&slides=title,timeline,story&view=projector&slide=3")
    wait_until_idle(page)
    number, count = counter(page)
    assert number == 3 and count > 3
    assert_only_the_slide(page, "bg")
    assert_charts_drawn(page, 0)
    expect(main_area(page).get_by_text("С участието на", exact=False).first).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "projector-bg-story.png")
