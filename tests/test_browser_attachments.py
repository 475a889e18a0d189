"""An activity's photos in a real browser: the details show the consented ones, fitted to a laptop and a phone,
and nothing of a photo without consent; an editor uploads a phone's photo, a PDF and a web page named .jpg
on the Data screen. Screenshots: test-artifacts/screenshots/attachments-*.png.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine, text

from db.access import COMMAND_LINE
from db.accounts import add_user
from db.engine import get_engine
from tests import browser_helpers
from tests.browser_helpers import RERUN_MS, SCREENSHOTS, main_area, wait_until_idle
from tests.helpers import PASSWORD

browser_executable = browser_helpers.browser_executable
browser_chromium = browser_helpers.browser_chromium

pytestmark = pytest.mark.browser

SIZES = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
EDITOR = "maria"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, browser_executable: str) -> Iterator[tuple[str, Engine]]:
    """The app on the demo data (its photos included), with an editor's account; and its database."""
    folder: Path = tmp_path_factory.mktemp("browser-attachments")
    server = browser_helpers._serve(folder, demo=True)
    url = next(server)
    engine = get_engine(f"sqlite:///{folder / 'partnerships.db'}")
    add_user(engine=engine, actor=COMMAND_LINE, login=EDITOR, password=PASSWORD, role="editor")
    yield url, engine
    engine.dispose()
    server.close()


@pytest.fixture(scope="module")
def photographed(served: tuple[str, Engine]) -> dict[str, int]:
    """An activity of the demo with two publishable photos, and one whose photos have no consent."""
    with served[1].connect() as connection:
        consents = connection.execute(
            text("SELECT activity_id, group_concat(consent) FROM attachments GROUP BY activity_id ORDER BY activity_id")
        ).all()
    published = next(a for a, c in consents if "no" not in c.split(",") and c.count(",") == 1)
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
    page: Page, served: tuple[str, Engine], photographed: dict[str, int]
) -> None:
    page.goto(f"{served[0]}/activities?activity={photographed['published']}")
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
    page: Page, served: tuple[str, Engine], photographed: dict[str, int]
) -> None:
    page.goto(f"{served[0]}/activities?activity={photographed['hidden']}")
    wait_until_idle(page)
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("Демонстрационен запис")).to_be_visible()
    expect(dialog.get_by_test_id("stImage")).to_have_count(0)
    expect(dialog.get_by_text("Снимки", exact=True)).to_have_count(0)
    expect(dialog.get_by_text("Без съгласие")).to_have_count(0)


def _phone_photo(folder: Path) -> Path:
    """A 1200×800 JPEG that says where it was taken and that the phone was held upright (turned 90°)."""
    exif = Image.Exif()
    exif[0x0112] = 6
    exif.get_ifd(0x8825).update({1: "N", 2: (42.0, 17.0, 2.5), 3: "E", 4: (22.0, 41.0, 18.0)})
    picture = Image.new("RGB", (1200, 800), "teal")
    picture.save(folder / "IMG_2041.jpg", "JPEG", exif=exif.tobytes())
    return folder / "IMG_2041.jpg"


@pytest.mark.parametrize("page", ["laptop"], indirect=True)
def test_an_editor_uploads_photos_and_a_document_each_photo_with_its_consent(
    page: Page, served: tuple[str, Engine], tmp_path: Path
) -> None:
    url, engine = served
    (tmp_path / "plan.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n")
    (tmp_path / "page.jpg").write_bytes(b"<!doctype html><script>alert(1)</script>")
    page.goto(f"{url}/data")
    wait_until_idle(page)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_test_id("stExpander").filter(has_text="Вход за редактори").locator("summary").click()
    sidebar.get_by_label("Потребителско име").fill(EDITOR)
    sidebar.get_by_label("Парола").fill(PASSWORD)
    sidebar.get_by_test_id("stFormSubmitButton").click()
    expect(main_area(page).get_by_role("tab", name="Дейности")).to_be_visible(timeout=RERUN_MS)
    wait_until_idle(page)
    page.get_by_role("tab", name="Дейности").click()
    page.get_by_role("tabpanel").get_by_test_id("stSelectbox").first.click()
    page.keyboard.type("Лятна занималня")
    page.get_by_role("option").first.click()
    wait_until_idle(page)
    with engine.connect() as connection:
        activity = connection.scalar(text("SELECT max(id) FROM activities WHERE title = 'Лятна занималня'"))
        before = connection.scalar(text("SELECT count(*) FROM attachments"))

    uploader = page.get_by_label("Добавете снимки или PDF документи").get_by_test_id("stFileUploaderDropzoneInput")
    uploader.set_input_files([_phone_photo(tmp_path), tmp_path / "plan.pdf", tmp_path / "page.jpg"])
    expect(page.get_by_text("Файл „IMG_2041.jpg“")).to_be_visible(timeout=RERUN_MS)
    wait_until_idle(page)
    page.get_by_role("button", name="Добави файловете").click()
    wait_until_idle(page)
    # No consent answered: the photo waits; the PDF is stored; the web page is no photo.
    expect(page.get_by_text("„IMG_2041.jpg“ не е добавен: изберете дали съгласието")).to_be_visible()
    expect(page.get_by_text("„page.jpg“ не е добавен: файлът не е снимка")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "attachments-upload-refused.png")

    page.get_by_text("няма деца на снимката", exact=True).first.click()
    wait_until_idle(page)
    page.get_by_role("button", name="Добави файловете").click()
    wait_until_idle(page)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT kind, file_name, consent, width, height, data FROM attachments WHERE activity_id = :a"),
            {"a": activity},
        ).all()
        assert connection.scalar(text("SELECT count(*) FROM attachments")) == before + 2
    assert sorted((kind, name, consent) for kind, name, consent, *_ in rows) == [
        ("document", "plan.pdf", None),
        ("photo", "IMG_2041.jpg", "no_children"),
    ]
    photo = next(row for row in rows if row[0] == "photo")
    assert (photo[3], photo[4]) == (800, 1200)  # turned upright
    stored = Image.open(io.BytesIO(photo[5]))
    assert not stored.getexif() and b"GPS" not in photo[5]
    page.get_by_text("Снимки и документи").first.scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "attachments-data-screen.png")
