"""An activity's photos and documents: what is stored of an upload, who may see it, and every change to them.

A photo is never stored as it came. Its pixels are read (after the declared size was checked: a small
file can declare a picture of gigapixels), turned as its EXIF orientation says, and drawn into a new
image, so nothing of the file but the picture survives: no EXIF (GPS included), XMP, ICC profile or text
chunks. It is stored as a JPEG of at most MAX_SIDE pixels a side (transparency flattened on white), with
a thumbnail. A document must be a PDF and is stored as it was given. No words here: a refusal is an
AttachmentRefused with a code, said by the screens as `attachment.problem.<code>`.

Who sees what: a photo reaches a viewer, a slide, the deck, a report or an export only when the parents'
consent covers it (`publishable`, the one rule every query for them uses); editors of the activity's
school see the rest, marked. Documents (the school's plans and reports, no pictures of children) are
shown to everyone who sees the activity.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, func, select
from sqlalchemy.orm import Session

from db.access import Actor, require, require_school
from db.models import CONSENTS, Activity, Attachment
from db.text import collapse_spaces, printable
from db.writes import StaleRecord, audit

# What a viewer may see of photos: the parents consented, or no child is in the picture.
PUBLISHABLE = ("yes", "no_children")

MAX_UPLOAD_BYTES = 15 * 1024 * 1024  # a photo as a phone sends it
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# Declared width × height. A phone's photo is 12-24 MP (48 MP sensors save 12 by default); a file that
# declares more than this is refused before a pixel is decoded (a decompression bomb declares gigapixels).
MAX_PIXELS = 40_000_000
MAX_SIDE = 1600
THUMBNAIL_SIDE = 320
MAX_PER_ACTIVITY = 20
MAX_FILE_NAME = 200
MAX_CAPTION = 300
MAX_CREDIT = 200
JPEG_QUALITY = 85
THUMBNAIL_QUALITY = 80
PHOTO_TYPE = "image/jpeg"
PDF_TYPE = "application/pdf"

# The formats read, by the first bytes of the file (Pillow is told which decoder to use: nothing else
# of its dozens gets a chance at the bytes).
_SIGNATURES = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
)
# Images of other formats, refused as such rather than as "not an image".
_OTHER_IMAGES = (b"GIF87a", b"GIF89a", b"BM", b"II*\x00", b"MM\x00*", b"\x00\x00\x01\x00")
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"heif"}
_AVIF_BRANDS = {b"avif", b"avis"}


class AttachmentRefused(Exception):
    """An upload or a change that is not stored; nothing was written. Words: `attachment.problem.<code>`."""

    def __init__(self, code: str, **values: Any) -> None:
        super().__init__(code)
        self.code = code
        self.values = values


@dataclass(frozen=True)
class Prepared:
    """A file as it will be stored: its bytes, their digest, and for a photo its size and thumbnail."""

    kind: str  # photo | document
    media_type: str
    data: bytes
    sha256: str
    thumbnail: bytes | None = None
    width: int | None = None
    height: int | None = None


def publishable(consent: Any = Attachment.consent) -> ColumnElement[bool]:
    """The condition a photo must meet to reach anyone but the editors: every viewer's query uses it."""
    return consent.in_(PUBLISHABLE)  # type: ignore[no-any-return]


def shown_to_viewers() -> ColumnElement[bool]:
    """The attachments a viewer may see: documents, and the photos `publishable` lets through."""
    return (Attachment.kind == "document") | and_(Attachment.kind == "photo", publishable())


def is_publishable(consent: str | None) -> bool:
    return consent in PUBLISHABLE


# ---- reading an upload ------------------------------------------------------------------------


def _format_of(raw: bytes) -> str:
    """The image format the first bytes say, or AttachmentRefused (unsupported, not_an_image)."""
    for signature, name in _SIGNATURES:
        if raw.startswith(signature):
            return name
    if raw[:4] == b"RIFF" and raw[8:12] == b"WEBP":
        return "WEBP"
    if raw[4:8] == b"ftyp":
        brand = raw[8:12]
        if brand in _HEIF_BRANDS:
            return "HEIF"
        if brand in _AVIF_BRANDS:
            raise AttachmentRefused("unsupported")
    if raw.startswith(_OTHER_IMAGES):
        raise AttachmentRefused("unsupported")
    raise AttachmentRefused("not_an_image")


@cache
def _heif_registered() -> bool:
    """pillow-heif's reader, registered with Pillow on the first HEIC photo (not at every start)."""
    try:
        from pillow_heif import register_heif_opener
    except ImportError:  # an install without it reads every other format
        return False
    register_heif_opener()
    return True


def prepare_image(raw: bytes) -> Prepared:
    """The photo as it is stored: re-encoded JPEG without metadata, at most MAX_SIDE a side, with a thumbnail.

    Raises AttachmentRefused: too_large, not_an_image, unsupported, too_many_pixels, damaged.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    if len(raw) > MAX_UPLOAD_BYTES:
        raise AttachmentRefused("too_large", limit=MAX_UPLOAD_BYTES // (1024 * 1024))
    if not raw:
        raise AttachmentRefused("not_an_image")
    image_format = _format_of(raw)
    if image_format == "HEIF" and not _heif_registered():
        raise AttachmentRefused("unsupported")
    try:
        # Only the header is read here: the declared size is checked before any pixel is decoded.
        image = Image.open(io.BytesIO(raw), formats=[image_format])
        width, height = image.size
        if width * height > MAX_PIXELS or width < 1 or height < 1:
            raise AttachmentRefused("too_many_pixels", limit=MAX_PIXELS // 1_000_000)
        scale = MAX_SIDE / max(width, height)
        if image_format == "JPEG" and scale < 1:
            # A JPEG decodes at 1/2, 1/4 or 1/8 of its size for far less memory and time: a phone's 24 MP
            # photo is read as 6 MP, still at least MAX_SIDE on its longer side, then scaled down as any other.
            image.draft(None, (math.ceil(width * scale), math.ceil(height * scale)))
        image.load()
        picture = _upright_on_white(ImageOps.exif_transpose(image) or image)
    except AttachmentRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise AttachmentRefused("too_many_pixels", limit=MAX_PIXELS // 1_000_000) from error
    except UnidentifiedImageError as error:
        raise AttachmentRefused("not_an_image") from error
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as error:  # truncated, corrupt
        raise AttachmentRefused("damaged") from error
    # A new image from the pixels alone: whatever the file carried besides them stays behind.
    clean = Image.new("RGB", picture.size, "white")
    clean.paste(picture)
    clean.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    data = _jpeg(clean, JPEG_QUALITY)
    small = clean.copy()
    small.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    return Prepared(
        kind="photo",
        media_type=PHOTO_TYPE,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        thumbnail=_jpeg(small, THUMBNAIL_QUALITY),
        width=clean.width,
        height=clean.height,
    )


def _upright_on_white(image: Any) -> Any:
    """RGB pixels: a transparent picture flattened on white (JPEG has no transparency)."""
    from PIL import Image

    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        # 16-bit grey (PNG): scaled to 8 bits, as convert("L") would clip it to white.
        return image.point(lambda value: value / 256).convert("L").convert("RGB")
    return image.convert("RGB")


def _jpeg(image: Any, quality: int) -> bytes:
    out = io.BytesIO()
    # No exif=, icc_profile= or comment: the image was made from pixels, so it has none to carry.
    image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()


def prepare_document(raw: bytes) -> Prepared:
    """A PDF as it is stored (as given). Raises AttachmentRefused: too_large, not_a_pdf."""
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise AttachmentRefused("document_too_large", limit=MAX_DOCUMENT_BYTES // (1024 * 1024))
    if not raw.startswith(b"%PDF-"):
        raise AttachmentRefused("not_a_pdf")
    return Prepared(kind="document", media_type=PDF_TYPE, data=raw, sha256=hashlib.sha256(raw).hexdigest())


def kind_of(file_name: str) -> str:
    """What the editor means to add, by the file's name: a `.pdf` is a document, anything else a photo.

    The content must then be what the name says: a PDF renamed `.jpg` is refused as not an image,
    not quietly stored as a document the editor never meant to publish.
    """
    return "document" if file_name.lower().rstrip(" .").endswith(".pdf") else "photo"


def prepare(raw: bytes, file_name: str) -> Prepared:
    """The upload as it will be stored, as the kind its name says (`kind_of`); or AttachmentRefused."""
    return prepare_document(raw) if kind_of(file_name) == "document" else prepare_image(raw)


_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|]')


def clean_file_name(name: str, kind: str) -> str:
    """The upload's own name, kept for the download: no folders, no control or path characters, at most
    MAX_FILE_NAME characters, with the extension of what is stored (a HEIC photo is now a .jpg)."""
    base = collapse_spaces(printable(_UNSAFE_NAME.sub(" ", name.replace("\\", "/").rsplit("/", 1)[-1])))
    stem = base.rsplit(".", 1)[0].strip(" .") if "." in base else base.strip(" .")
    extension = ".jpg" if kind == "photo" else ".pdf"
    stem = stem[: MAX_FILE_NAME - len(extension)] or ("photo" if kind == "photo" else "document")
    return stem + extension


def _clean_text(value: str | None, limit: int, code: str) -> str:
    text = collapse_spaces(printable(value or ""))
    if len(text) > limit:
        raise AttachmentRefused(code, limit=limit)
    return text


def _checked_consent(kind: str, consent: str | None) -> str | None:
    if kind == "document":
        return None
    if consent not in CONSENTS:
        # A required choice with no default: nobody should publish a photo by not answering.
        raise AttachmentRefused("consent_required")
    return consent


# ---- writes ---------------------------------------------------------------------------------------


def snapshot(attachment: Attachment) -> dict[str, Any]:
    """What the audit log keeps of an attachment: never its bytes."""
    return {
        "activity_id": attachment.activity_id,
        "kind": attachment.kind,
        "file_name": attachment.file_name,
        "byte_size": attachment.byte_size,
        "sha256": attachment.sha256,
        "consent": attachment.consent,
        "caption": attachment.caption,
        "credit": attachment.credit,
        "position": attachment.position,
    }


def _activity(session: Session, actor: Actor, activity_id: int) -> Activity:
    activity = session.get(Activity, activity_id)
    if activity is None:
        raise StaleRecord
    require_school(actor, "editor", activity.school_id)
    return activity


def add_attachment(
    *,
    engine: Engine,
    actor: Actor,
    activity_id: int,
    raw: bytes,
    file_name: str,
    caption: str = "",
    credit: str = "",
    consent: str | None = None,
    is_demo: bool = False,
) -> int:
    """Store a photo or a PDF for an activity, last in its order; returns its id.

    Raises PermissionDenied, StaleRecord (no such activity) or AttachmentRefused; nothing is written then.
    """
    require(actor, "editor")
    # The cheap checks first, and the pixels read outside the transaction (it would hold the write lock).
    caption = _clean_text(caption, MAX_CAPTION, "caption_too_long")
    credit = _clean_text(credit, MAX_CREDIT, "credit_too_long")
    prepared = prepare(raw, file_name)
    consent = _checked_consent(prepared.kind, consent)
    with Session(engine) as session, session.begin():
        activity = _activity(session, actor, activity_id)
        count, last = session.execute(
            select(func.count(), func.max(Attachment.position)).where(Attachment.activity_id == activity_id)
        ).one()
        if count >= MAX_PER_ACTIVITY:
            raise AttachmentRefused("too_many", limit=MAX_PER_ACTIVITY)
        attachment = Attachment(
            activity_id=activity_id,
            kind=prepared.kind,
            media_type=prepared.media_type,
            file_name=clean_file_name(file_name, prepared.kind),
            data=prepared.data,
            thumbnail=prepared.thumbnail,
            sha256=prepared.sha256,
            byte_size=len(prepared.data),
            width=prepared.width,
            height=prepared.height,
            caption=caption,
            credit=credit,
            consent=consent,
            position=(last or 0) + 1,
            is_demo=is_demo,
            created_at=datetime.now().replace(microsecond=0),
            created_by=actor.login,
        )
        session.add(attachment)
        session.flush()
        audit(
            session, actor, "create", "attachment", attachment.id, summary=attachment.file_name,
            after=snapshot(attachment), school_id=activity.school_id,
        )  # fmt: skip
        return attachment.id


def _opened(session: Session, actor: Actor, attachment_id: int) -> tuple[Attachment, Activity]:
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        raise StaleRecord
    return attachment, _activity(session, actor, attachment.activity_id)


def update_attachment(
    *, engine: Engine, actor: Actor, attachment_id: int, caption: str, credit: str, consent: str | None
) -> None:
    """Change a photo's or document's caption and credit, and a photo's consent."""
    require(actor, "editor")
    caption = _clean_text(caption, MAX_CAPTION, "caption_too_long")
    credit = _clean_text(credit, MAX_CREDIT, "credit_too_long")
    with Session(engine) as session, session.begin():
        attachment, activity = _opened(session, actor, attachment_id)
        before = snapshot(attachment)
        attachment.consent = _checked_consent(attachment.kind, consent)
        attachment.caption, attachment.credit = caption, credit
        after = snapshot(attachment)
        if after != before:
            audit(
                session, actor, "update", "attachment", attachment_id, summary=attachment.file_name,
                before=before, after=after, school_id=activity.school_id,
            )  # fmt: skip


def move_attachment(*, engine: Engine, actor: Actor, attachment_id: int, step: int) -> None:
    """Move an attachment one place earlier (step -1) or later (+1) in its activity's order."""
    require(actor, "editor")
    with Session(engine) as session, session.begin():
        attachment, activity = _opened(session, actor, attachment_id)
        order = list(
            session.scalars(
                select(Attachment)
                .where(Attachment.activity_id == attachment.activity_id)
                .order_by(Attachment.position, Attachment.id)
            )
        )
        here = order.index(attachment)
        there = here + (1 if step > 0 else -1)
        if not 0 <= there < len(order):
            return
        order[here], order[there] = order[there], order[here]
        before = snapshot(attachment)
        for position, each in enumerate(order, start=1):
            each.position = position
        audit(
            session, actor, "update", "attachment", attachment_id, summary=attachment.file_name,
            before=before, after=snapshot(attachment), school_id=activity.school_id,
        )  # fmt: skip


def delete_attachment(*, engine: Engine, actor: Actor, attachment_id: int) -> None:
    """Remove a photo or document."""
    require(actor, "editor")
    with Session(engine) as session, session.begin():
        attachment, activity = _opened(session, actor, attachment_id)
        before = snapshot(attachment)
        session.delete(attachment)
        audit(
            session, actor, "delete", "attachment", attachment_id, summary=before["file_name"], before=before,
            school_id=activity.school_id,
        )  # fmt: skip


# ---- a stored file checked again (a restore) ----------------------------------------------------


def stored_file_problem(
    *, kind: Any, media_type: Any, data: Any, thumbnail: Any, sha256: Any, byte_size: Any
) -> str | None:
    """What is wrong with an attachment's row as a file offered for restore holds it, as a problem code
    (`backup_attachment_changed`: its bytes are not the ones recorded; `backup_attachment_bad`: not what
    this app stores), or None. A photo must be a JPEG within the stored bounds and without metadata, so a
    crafted file can bring in neither a picture too large to draw nor one that still says where it was taken.
    """
    if not isinstance(data, bytes) or hashlib.sha256(data).hexdigest() != sha256 or len(data) != byte_size:
        return "backup_attachment_changed"
    if kind == "document":
        sound = media_type == PDF_TYPE and data.startswith(b"%PDF-") and len(data) <= MAX_DOCUMENT_BYTES
        return None if sound and thumbnail is None else "backup_attachment_bad"
    if kind != "photo" or media_type != PHOTO_TYPE or len(data) > MAX_UPLOAD_BYTES or not isinstance(thumbnail, bytes):
        return "backup_attachment_bad"
    if _clean_jpeg(data, MAX_SIDE) and _clean_jpeg(thumbnail, THUMBNAIL_SIDE):
        return None
    return "backup_attachment_bad"


def _clean_jpeg(data: bytes, side: int) -> bool:
    """A JPEG of at most `side` pixels a side without EXIF, XMP or a colour profile (its header only is read)."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data), formats=["JPEG"]) as image:
            width, height = image.size
            carried = {"exif", "xmp", "icc_profile", "photoshop", "comment"} & set(image.info)
            return 0 < width <= side and 0 < height <= side and not carried and not image.getexif()
    except Exception:  # noqa: BLE001 - whatever Pillow makes of a crafted file, it is not one of ours
        return False
