"""Photos and documents of an activity: what is stored of an upload, who sees it, and backups that carry it."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import sqlite3
import struct
import zlib
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from PIL import Image, PngImagePlugin
from sqlalchemy import Engine, func, select, text
from streamlit.testing.v1 import AppTest

from db import migrate, queries
from db.access import COMMAND_LINE, Actor, PermissionDenied
from db.accounts import add_user
from db.attachments import (
    MAX_PER_ACTIVITY,
    AttachmentRefused,
    add_attachment,
    clean_file_name,
    delete_attachment,
    move_attachment,
    prepare_image,
    update_attachment,
)
from db.backup import InvalidBackup, backup, check_backup, restore
from db.filters import ActivityFilters
from db.models import Attachment, AuditEntry
from db.writes import delete_activity
from i18n import translator
from tests import tally
from tests.factories import add_activity, add_partner
from tests.helpers import PASSWORD, ROOT, open_app, run_db, sign_in
from ui.safe import md

EDITOR = Actor("maria", "editor")
ADMIN = Actor("director", "admin")
GPS = 0x8825
ORIENTATION = 0x0112


def jpeg(size: tuple[int, int] = (200, 100), **save: object) -> bytes:
    """A picture red on its left half and blue on its right, as JPEG."""
    image = Image.new("RGB", size, "blue")
    image.paste("red", (0, 0, size[0] // 2, size[1]))
    out = io.BytesIO()
    image.save(out, "JPEG", **save)
    return out.getvalue()


def with_gps_and_orientation() -> bytes:
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # the camera was turned: shown rotated 90° clockwise
    exif[0x010F] = "Camera maker"
    gps = exif.get_ifd(GPS)
    gps.update({1: "N", 2: (42.0, 17.0, 2.5), 3: "E", 4: (22.0, 41.0, 18.0)})
    raw = jpeg(exif=exif.tobytes())
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(GPS)  # the test's file does carry a position
    return raw


def png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "Ivan, 3 grade, home address")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta><GPSLatitude>42.28</GPSLatitude></x:xmpmeta>")
    out = io.BytesIO()
    Image.new("RGB", (120, 80), "green").save(out, "PNG", pnginfo=info)
    return out.getvalue()


def webp_with_metadata() -> bytes:
    exif = Image.Exif()
    exif.get_ifd(GPS).update({1: "N", 2: (42.0, 17.0, 2.5)})
    out = io.BytesIO()
    Image.new("RGB", (120, 80), "yellow").save(out, "WEBP", exif=exif.tobytes(), xmp=b"<x:xmpmeta>GPS</x:xmpmeta>")
    return out.getvalue()


def assert_clean(stored: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG"
    assert not image.getexif()
    assert {"exif", "xmp", "icc_profile", "comment", "photoshop"} & set(image.info) == set()
    for leaked in (b"Exif", b"GPS", b"xmp", b"Ivan", b"Camera maker"):
        assert leaked not in stored
    return image


@pytest.fixture
def activity(engine: Engine) -> int:
    partner = add_partner(engine, slug="largo", name="Сдружение „Ларго“", short_name="Ларго")
    return add_activity(
        engine, title="Ден на ромите", type="celebration", start=date(2024, 4, 8), partners=((partner, "organizer"),)
    )


def attach(engine: Engine, activity_id: int, raw: bytes, name: str, **fields: str) -> int:
    """An editor's upload of one file."""
    return add_attachment(engine=engine, actor=EDITOR, activity_id=activity_id, raw=raw, file_name=name, **fields)


def stored(engine: Engine) -> list[dict[str, object]]:
    with engine.connect() as connection:
        rows = connection.execute(select(Attachment).order_by(Attachment.position)).mappings()
        return [dict(row) for row in rows]


def audit_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(AuditEntry)) or 0)


# ---- what is stored of a photo ------------------------------------------------------------------


def test_a_jpeg_loses_its_gps_and_exif_and_is_turned_as_the_camera_said(engine: Engine, activity: int) -> None:
    added = add_attachment(
        engine=engine, actor=EDITOR, activity_id=activity, raw=with_gps_and_orientation(), file_name="IMG_0042.JPG",
        consent="yes", caption="Хорото на площада", credit="Мария Иванова",
    )  # fmt: skip
    row = stored(engine)[0]
    image = assert_clean(row["data"])  # type: ignore[arg-type]
    assert image.size == (100, 200) == (row["width"], row["height"])  # upright: the 200×100 file turned
    assert image.getpixel((50, 20))[0] > 200 > image.getpixel((50, 180))[0]  # the left (red) half is now on top
    assert_clean(row["thumbnail"])  # type: ignore[arg-type]
    assert row["sha256"] == hashlib.sha256(row["data"]).hexdigest()  # type: ignore[arg-type]
    assert (row["id"], row["kind"], row["media_type"], row["file_name"]) == (
        added,
        "photo",
        "image/jpeg",
        "IMG_0042.jpg",
    )
    assert (row["consent"], row["caption"], row["credit"], row["created_by"]) == (
        "yes", "Хорото на площада", "Мария Иванова", "maria",
    )  # fmt: skip


@pytest.mark.parametrize("raw", [png_with_text(), webp_with_metadata()], ids=["png-text-chunks", "webp-exif-xmp"])
def test_png_and_webp_are_stored_as_jpeg_without_their_metadata(engine: Engine, activity: int, raw: bytes) -> None:
    attach(engine, activity, raw, "x.png", consent="no_children")
    assert_clean(stored(engine)[0]["data"])  # type: ignore[arg-type]


def test_a_heic_photo_is_read_and_stored_as_jpeg() -> None:
    pillow_heif = pytest.importorskip("pillow_heif")
    out = io.BytesIO()
    exif = Image.Exif()
    exif.get_ifd(GPS).update({1: "N", 2: (42.0, 17.0, 2.5)})
    try:
        pillow_heif.from_pillow(Image.new("RGB", (64, 48), "purple")).save(out, quality=80, exif=exif.tobytes())
    except Exception:  # noqa: BLE001 - a libheif built without an encoder can read HEIC but not write it
        pytest.skip("this libheif cannot write HEIC")
    prepared = prepare_image(out.getvalue())
    assert (prepared.width, prepared.height) == (64, 48)
    assert_clean(prepared.data)


def test_a_large_photo_is_bounded_and_gets_a_thumbnail() -> None:
    prepared = prepare_image(jpeg((4000, 3000)))
    assert (prepared.width, prepared.height) == (1600, 1200)
    assert Image.open(io.BytesIO(prepared.thumbnail or b"")).size == (320, 240)


def test_transparency_is_flattened_on_white() -> None:
    out = io.BytesIO()
    Image.new("RGBA", (40, 40), (0, 0, 0, 0)).save(out, "PNG")
    prepared = prepare_image(out.getvalue())
    assert Image.open(io.BytesIO(prepared.data)).getpixel((20, 20)) == (255, 255, 255)


# ---- hostile uploads -------------------------------------------------------------------------------


def _png_declaring(width: int, height: int) -> bytes:
    """A PNG of a few dozen bytes whose header declares width × height: a decompression bomb's door."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def _pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


HOSTILE = {
    "decompression-bomb": (_png_declaring(100_000, 100_000), "bomb.png", "too_many_pixels"),
    "over-40-megapixels": (_png_declaring(8000, 6000), "big.png", "too_many_pixels"),
    "truncated-jpeg": (jpeg((800, 600))[:1500], "cut.jpg", "damaged"),
    "pdf-renamed-jpg": (_pdf(), "report.jpg", "not_an_image"),
    "html": (b"<!doctype html><script>alert(1)</script>", "photo.jpg", "not_an_image"),
    "gif": (b"GIF89a" + b"\x00" * 40, "anim.gif", "unsupported"),
    "16-mb": (b"\xff\xd8\xff" + b"\x00" * (16 * 1024 * 1024), "huge.jpg", "too_large"),
    "jpeg-named-pdf": (jpeg(), "plan.pdf", "not_a_pdf"),
    "empty": (b"", "nothing.jpg", "not_an_image"),
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_a_hostile_upload_is_refused_with_its_message_and_nothing_is_written(
    engine: Engine, activity: int, case: str
) -> None:
    raw, name, code = HOSTILE[case]
    before = audit_count(engine)
    with pytest.raises(AttachmentRefused) as refused:
        attach(engine, activity, raw, name, consent="yes")
    assert refused.value.code == code
    for lang in ("bg", "en"):  # said in each language with its values filled in
        message = translator(lang)(f"attachment.problem.{code}", **refused.value.values)
        assert "{" not in message
    assert stored(engine) == [] and audit_count(engine) == before
    tally.inputs(1)


def test_a_photo_needs_a_consent_answer(engine: Engine, activity: int) -> None:
    with pytest.raises(AttachmentRefused) as refused:
        attach(engine, activity, jpeg(), "a.jpg")
    assert refused.value.code == "consent_required"
    with pytest.raises(AttachmentRefused):
        add_attachment(
            engine=engine, actor=EDITOR, activity_id=activity, raw=jpeg(), file_name="a.jpg", consent="maybe"
        )
    assert stored(engine) == []


def test_the_21st_attachment_is_refused(engine: Engine, activity: int) -> None:
    small = jpeg((16, 16))
    for number in range(MAX_PER_ACTIVITY):
        add_attachment(
            engine=engine, actor=EDITOR, activity_id=activity, raw=small, file_name=f"{number}.jpg", consent="no"
        )
    with pytest.raises(AttachmentRefused) as refused:
        attach(engine, activity, _pdf(), "plan.pdf")
    assert (refused.value.code, refused.value.values) == ("too_many", {"limit": 20})
    assert len(stored(engine)) == MAX_PER_ACTIVITY


@pytest.mark.parametrize(
    "actor", [Actor("guest", "viewer"), Actor("other", "editor", school_id=99)], ids=["viewer", "other-school"]
)
def test_only_an_editor_of_the_activitys_school_attaches(engine: Engine, activity: int, actor: Actor) -> None:
    with pytest.raises(PermissionDenied):
        add_attachment(engine=engine, actor=actor, activity_id=activity, raw=jpeg(), file_name="a.jpg", consent="yes")
    assert stored(engine) == []


def test_changes_are_audited_without_the_bytes(engine: Engine, activity: int) -> None:
    first = add_attachment(
        engine=engine, actor=EDITOR, activity_id=activity, raw=jpeg(), file_name="a.jpg", consent="no"
    )
    second = attach(engine, activity, _pdf(), "План.pdf")
    update_attachment(engine=engine, actor=EDITOR, attachment_id=first, caption="  Хоро \x00", credit="", consent="yes")
    move_attachment(engine=engine, actor=EDITOR, attachment_id=second, step=-1)
    assert [(r["id"], r["position"], r["consent"], r["caption"]) for r in stored(engine)] == [
        (second, 1, None, ""),
        (first, 2, "yes", "Хоро"),
    ]
    delete_attachment(engine=engine, actor=EDITOR, attachment_id=first)
    entries = queries.audit_entries(engine, entity="attachment")
    assert sorted(entries["action"]) == ["create", "create", "delete", "update", "update"]
    with engine.connect() as connection:
        logged = connection.execute(text("SELECT before, after FROM audit_log WHERE entity = 'attachment'")).all()
    digest = hashlib.sha256(_pdf()).hexdigest()
    assert any(digest in (after or "") for _, after in logged)
    for before, after in logged:
        for snapshot in (before, after):
            if snapshot:
                assert "data" not in json.loads(snapshot) and "thumbnail" not in json.loads(snapshot)


def test_deleting_the_activity_deletes_its_attachments(engine: Engine, activity: int) -> None:
    attach(engine, activity, jpeg(), "a.jpg", consent="yes")
    delete_activity(engine=engine, actor=EDITOR, activity_id=activity, expected_version=1)
    assert stored(engine) == []


def test_an_attachment_changes_the_data_revision(engine: Engine, activity: int) -> None:
    before = queries.data_revision(engine)
    attach(engine, activity, jpeg(), "a.jpg", consent="yes")
    assert queries.data_revision(engine) != before


# ---- who sees what ----------------------------------------------------------------------------------


@pytest.fixture
def three_photos(engine: Engine, activity: int) -> dict[str, int]:
    ids = {}
    for consent in ("no", "yes", "no_children"):
        ids[consent] = add_attachment(
            engine=engine, actor=EDITOR, activity_id=activity, raw=jpeg(), file_name=f"{consent}.jpg", consent=consent,
            caption=f"снимка {consent}",
        )  # fmt: skip
    ids["document"] = add_attachment(
        engine=engine, actor=EDITOR, activity_id=activity, raw=_pdf(), file_name="plan.pdf"
    )
    return ids


def test_a_viewer_never_gets_a_photo_without_consent(
    engine: Engine, activity: int, three_photos: dict[str, int]
) -> None:
    shown = queries.activity_attachments(engine, activity)
    assert [(a["kind"], a["consent"]) for a in shown] == [
        ("photo", "yes"),
        ("photo", "no_children"),
        ("document", None),
    ]
    assert shown[2]["image"] is None  # a document's bytes wait for its download
    everything = queries.activity_attachments(engine, activity, with_unconsented=True)
    assert [a["consent"] for a in everything] == ["no", "yes", "no_children", None]
    assert queries.attachment_file(engine, three_photos["no"]) is None
    assert queries.attachment_file(engine, three_photos["no"], with_unconsented=True) is not None
    assert queries.attachment_file(engine, three_photos["document"])["data"] == _pdf()  # type: ignore[index]
    gallery = queries.partner_gallery(engine, ActivityFilters(2023))
    assert [g["caption"] for g in gallery] == ["снимка yes", "снимка no_children"]
    assert queries.partner_gallery(engine, ActivityFilters(2022)) == []
    photos = queries.first_publishable_photos(engine, [activity, 12345])
    assert list(photos) == [activity]
    assert photos[activity] == stored(engine)[1]["data"]  # the first publishable one: „yes“, after the „no“
    with engine.connect() as connection:  # as the deck's gathering asks, on its own connection
        captioned = queries.first_publishable_photos_with_captions(connection, [activity])
    assert captioned == {activity: {"image": photos[activity], "caption": "снимка yes", "credit": ""}}


def test_a_photo_without_consent_never_reaches_the_first_photos_of_activities(engine: Engine, activity: int) -> None:
    attach(engine, activity, jpeg(), "a.jpg", consent="no")
    assert queries.first_publishable_photos(engine, [activity]) == {}
    assert queries.first_publishable_photos_with_captions(engine, [activity]) == {}


# ---- backups carry them -----------------------------------------------------------------------------


def test_a_backup_with_photos_restores_them_byte_for_byte(
    engine: Engine, activity: int, three_photos: dict[str, int], tmp_path: Path
) -> None:
    before = stored(engine)
    saved = backup(engine, tmp_path / "with-photos.db")
    assert check_backup(saved) == []
    delete_activity(engine=engine, actor=EDITOR, activity_id=activity, expected_version=1)
    restore(engine, saved, actor=ADMIN, keep_current_in=tmp_path / "safety")
    assert stored(engine) == before


def _crafted(engine: Engine, tmp_path: Path, sql: str, *values: object) -> Path:
    saved = backup(engine, tmp_path / "crafted.db")
    copy = sqlite3.connect(saved)
    try:
        copy.execute(sql, values)
        copy.commit()
    finally:
        copy.close()
    return saved


CRAFTED = {
    # A pixel changed in the file after the backup: its checksum no longer matches.
    "changed-bytes": (
        "UPDATE attachments SET data = ? WHERE kind = 'photo'",
        (prepare_image(jpeg((30, 30))).data,),
        "changed",
    ),
    # A huge blob that is no image, with a checksum made to match.
    "huge-non-image": (
        "UPDATE attachments SET data = ?, sha256 = ?, byte_size = ? WHERE kind = 'photo'",
        (b"\x00" * 20_000_000, hashlib.sha256(b"\x00" * 20_000_000).hexdigest(), 20_000_000),
        "bad",
    ),
    # A photo with its position put back in, checksum and all.
    "photo-with-gps": (
        "UPDATE attachments SET data = ?, sha256 = ?, byte_size = ? WHERE kind = 'photo'",
        (
            with_gps_and_orientation(),
            hashlib.sha256(with_gps_and_orientation()).hexdigest(),
            len(with_gps_and_orientation()),
        ),
        "bad",
    ),  # fmt: skip
    "script-as-document": (
        "UPDATE attachments SET data = ?, sha256 = ?, byte_size = ? WHERE kind = 'document'",
        (b"<script>", hashlib.sha256(b"<script>").hexdigest(), 8),
        "bad",
    ),
    "text-in-blob": ("UPDATE attachments SET thumbnail = 'not bytes' WHERE kind = 'photo'", (), "bad_values"),
}


@pytest.mark.parametrize("case", CRAFTED, ids=list(CRAFTED))
def test_a_crafted_backup_of_attachments_is_refused(
    engine: Engine, activity: int, three_photos: dict[str, int], tmp_path: Path, case: str
) -> None:
    sql, values, problem = CRAFTED[case]
    crafted = _crafted(engine, tmp_path, sql, *values)
    before = stored(engine)
    with pytest.raises(InvalidBackup) as refused:
        restore(engine, crafted, actor=ADMIN, keep_current_in=tmp_path / "safety")
    wanted = "backup_bad_values" if problem == "bad_values" else f"backup_attachment_{problem}"
    assert wanted in {p.code for p in refused.value.problems}
    assert stored(engine) == before
    tally.inputs(1)


def _before_attachments() -> str:
    """The revision migration 0013 follows (the integrator links it after the other migrations of its issue)."""
    path = ROOT / "db" / "migrations" / "versions" / "0013_attachments.py"
    spec = importlib.util.spec_from_file_location("attachments_migration", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.down_revision)


def test_the_attachments_migration_goes_down_and_up_again(engine: Engine, activity: int) -> None:
    attach(engine, activity, jpeg(), "a.jpg", consent="yes")
    migrate.downgrade(engine, _before_attachments())
    with engine.connect() as connection:
        names = {row[0] for row in connection.execute(text("SELECT name FROM sqlite_master"))}
    assert not {name for name in names if "attachments" in name}
    migrate.upgrade(engine)
    assert stored(engine) == []


# ---- on the screens -------------------------------------------------------------------------------------


def _texts(app: AppTest) -> list[str]:
    return [str(element.value) for element in (*app.markdown, *app.caption)]


def test_the_activity_details_show_a_viewer_only_consented_photos(engine: Engine, activity: int) -> None:
    attach(engine, activity, jpeg(), "no.jpg", consent="no", caption="Без съгласие на родителите")
    attach(engine, activity, jpeg(), "yes.jpg", consent="yes", caption="Хорото", credit="Мария")
    attach(engine, activity, _pdf(), "plan.pdf", caption="Планът на деня")
    app = open_app(activity=str(activity))
    texts = _texts(app)
    assert "**Снимки**" in texts and "Хорото" in texts and "Снимка: Мария" in texts
    assert not [text for text in texts if "съгласие" in text.lower()]
    assert [b.label for b in app.get("download_button") if b.key and b.key.startswith("document_")] == [
        "Изтегли „plan\\.pdf“"
    ]


def test_an_editor_sees_the_unconsented_photo_marked(engine: Engine, activity: int) -> None:
    add_user(engine=engine, actor=COMMAND_LINE, login="maria", password=PASSWORD, role="editor")
    attach(engine, activity, jpeg(), "no.jpg", consent="no", caption="Само за редактори")
    app = sign_in(open_app(), "maria")
    app.query_params["activity"] = str(activity)
    app.run()
    texts = _texts(app)
    assert "Само за редактори" in texts
    assert any("Без съгласие — вижда се само от редактори" in text for text in texts)


def test_the_data_screen_lists_an_activitys_attachments_for_its_editor(engine: Engine, activity: int) -> None:
    add_user(engine=engine, actor=COMMAND_LINE, login="maria", password=PASSWORD, role="editor")
    attach(engine, activity, jpeg(), "хоро.jpg", consent="no", caption="Хорото")
    app = sign_in(open_app(page="pages/data.py"), "maria")
    app.selectbox(key="edit_activity").set_value(activity).run()
    assert not app.exception
    assert "Снимки и документи" in [s.value for s in app.subheader]
    assert app.text_input(key=f"caption_{1}").value == "Хорото"
    assert app.radio(key="consent_1").value == "no"
    app.radio(key="consent_1").set_value("no_children")
    next(b for b in app.button if b.label == "Запиши" and "attachment_1" in str(b.form_id)).click().run()
    assert [a["consent"] for a in stored(engine)] == ["no_children"]
    assert "Записано." in [s.value for s in app.success]


# ---- the demo ------------------------------------------------------------------------------------------


def test_the_demo_has_illustrations_with_consent_set_every_way(demo_engine: Engine) -> None:
    photos = stored(demo_engine)
    assert 10 <= len(photos) <= 20
    assert {p["consent"] for p in photos} == {"yes", "no", "no_children"}
    assert {(p["kind"], p["credit"], p["is_demo"]) for p in photos} == {("photo", "Демо", True)}
    assert len({p["activity_id"] for p in photos}) == 10
    for photo in photos:
        assert len(photo["data"]) <= 60_000  # type: ignore[arg-type]
        assert_clean(photo["data"])  # type: ignore[arg-type]
    illustrated = sorted({int(p["activity_id"]) for p in photos})  # type: ignore[call-overload]
    assert {queries.activity_detail(demo_engine, i)["status"] for i in illustrated} == {"held"}  # type: ignore[index]


def test_the_demo_draws_the_same_illustrations_every_time(demo_engine: Engine) -> None:
    from db.demo import load_demo
    from tests.helpers import DEMO_TODAY

    before = [(p["sha256"], p["consent"], p["caption"]) for p in stored(demo_engine)]
    load_demo(demo_engine, today=DEMO_TODAY, replace=True)
    assert [(p["sha256"], p["consent"], p["caption"]) for p in stored(demo_engine)] == before


@pytest.mark.parametrize(
    ("given", "kind", "kept"),
    [
        ("../../etc/passwd.JPG", "photo", "passwd.jpg"),
        ("C:\\Users\\Мария\\Снимка 1.heic", "photo", "Снимка 1.jpg"),
        ("план\x00\x1b[31m.pdf", "document", "план[31m.pdf"),
        ('a<b>:"c"|d?.png', "photo", "a b c d.jpg"),
        ("", "document", "document.pdf"),
        ("...", "photo", "photo.jpg"),
        ("я" * 500 + ".jpg", "photo", "я" * 196 + ".jpg"),
    ],
)
def test_a_file_name_keeps_no_folder_control_or_path_character(given: str, kind: str, kept: str) -> None:
    assert clean_file_name(given, kind) == kept
    tally.inputs(1)


def test_a_caption_or_credit_too_long_is_refused(engine: Engine, activity: int) -> None:
    with pytest.raises(AttachmentRefused) as refused:
        attach(engine, activity, jpeg(), "a.jpg", consent="yes", caption="х" * 301)
    assert (refused.value.code, refused.value.values) == ("caption_too_long", {"limit": 300})
    with pytest.raises(AttachmentRefused) as refused:
        attach(engine, activity, jpeg(), "a.jpg", consent="yes", credit="х" * 201)
    assert refused.value.code == "credit_too_long"
    assert stored(engine) == []


def test_a_caption_is_shown_as_typed_never_as_markdown(engine: Engine, activity: int) -> None:
    typed = "[Кликни](https://evil.example) :material/lock: **важно** $x$ www.evil.example"
    attach(engine, activity, jpeg(), "a.jpg", consent="yes", caption=typed, credit=":red[Мария]")
    texts = _texts(open_app(activity=str(activity)))
    assert md(typed) in texts
    assert "Снимка: " + md(":red[Мария]") in texts
    tally.inputs(2)


def test_the_export_carries_no_photo_or_document(
    database_url: str, engine: Engine, activity: int, tmp_path: Path
) -> None:
    """The data export is the record's fields: a photo (with consent or without) or a document never goes in."""
    attach(engine, activity, jpeg(), "no.jpg", consent="no", caption="Само за редактори")
    attach(engine, activity, jpeg((30, 20)), "yes.jpg", consent="yes", caption="Хорото")
    attach(engine, activity, _pdf(), "plan.pdf", caption="Планът")
    done = run_db(database_url, "export", str(tmp_path / "all.xlsx"))
    assert done.returncode == 0, done.stderr
    workbook = openpyxl.load_workbook(tmp_path / "all.xlsx", read_only=True)
    cells = " ".join(str(c) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for c in row)
    assert workbook.sheetnames == ["Партньори", "Дейности"]
    for stored_text in ("Само за редактори", "Хорото", "Планът", "no.jpg", "plan.pdf", "%PDF", "JFIF"):
        assert stored_text not in cells
