"""Reads of activities' photos and documents. What a viewer, a slide or a file gets passes
`db.attachments.shown_to_viewers` (photos: `publishable`); only the editors' own reads ask for the rest."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Engine, case, select

from db.attachments import publishable, shown_to_viewers
from db.filters import ActivityFilters, activity_conditions
from db.models import Activity, Attachment

# A partner's gallery: the newest photos of its activities, enough for a page without paging.
GALLERY_LIMIT = 24

_LISTED = (
    Attachment.id,
    Attachment.activity_id,
    Attachment.kind,
    Attachment.media_type,
    Attachment.file_name,
    Attachment.caption,
    Attachment.credit,
    Attachment.consent,
    Attachment.width,
    Attachment.height,
    Attachment.byte_size,
    Attachment.position,
    Attachment.is_demo,
)


def activity_attachments(engine: Engine, activity_id: int, *, with_unconsented: bool = False) -> list[dict[str, Any]]:
    """An activity's attachments in their order, a photo with its image and thumbnail, a document without its bytes.

    Keys: id, activity_id, kind, media_type, file_name, caption, credit, consent, width, height,
    byte_size, position, is_demo, image (a photo's JPEG, else None), thumbnail. Only what a viewer may
    see (documents and publishable photos) unless `with_unconsented` (an editor of the activity's school).
    """
    # A document's bytes (up to 10 MB each) are read when someone downloads it: `attachment_file`.
    image = case((Attachment.kind == "photo", Attachment.data), else_=None)
    statement = (
        select(*_LISTED, Attachment.thumbnail, image.label("image"))
        .where(Attachment.activity_id == activity_id)
        .order_by(Attachment.position, Attachment.id)
    )
    if not with_unconsented:
        statement = statement.where(shown_to_viewers())
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(statement).mappings()]


def attachment_file(engine: Engine, attachment_id: int, *, with_unconsented: bool = False) -> dict[str, Any] | None:
    """One attachment's stored bytes, for a download. Keys: id, kind, media_type, file_name, data; or None
    when there is no such attachment, or it is a photo a viewer may not see (unless `with_unconsented`)."""
    statement = select(
        Attachment.id, Attachment.kind, Attachment.media_type, Attachment.file_name, Attachment.data
    ).where(Attachment.id == attachment_id)
    if not with_unconsented:
        statement = statement.where(shown_to_viewers())
    with engine.connect() as connection:
        row = connection.execute(statement).mappings().one_or_none()
    return None if row is None else dict(row)


def partner_gallery(engine: Engine, filters: ActivityFilters, *, limit: int = GALLERY_LIMIT) -> list[dict[str, Any]]:
    """Publishable photos of the activities the filters choose (a partner's: `filters.with_organizations`),
    newest activity first, at most `limit`.

    Keys: id, activity_id, title, start_date, caption, credit, thumbnail, image.
    """
    statement = (
        select(
            Attachment.id,
            Attachment.activity_id,
            Activity.title,
            Activity.start_date,
            Attachment.caption,
            Attachment.credit,
            Attachment.thumbnail,
            Attachment.data.label("image"),
        )
        .join(Activity, Activity.id == Attachment.activity_id)
        .where(Attachment.kind == "photo", publishable(), *activity_conditions(filters))
        .order_by(Activity.start_date.desc(), Activity.id.desc(), Attachment.position, Attachment.id)
        .limit(limit)
    )
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(statement).mappings()]


def first_publishable_photos(connection: Engine | Connection, activity_ids: Iterable[int]) -> dict[int, bytes]:
    """activity id -> the JPEG of its first publishable photo (in the editors' order), for slides, the deck
    and the reports; activities without one are left out."""
    return {
        activity_id: photo["image"]
        for activity_id, photo in first_publishable_photos_with_captions(connection, activity_ids).items()
    }


def first_publishable_photos_with_captions(
    connection: Engine | Connection, activity_ids: Iterable[int]
) -> dict[int, dict[str, Any]]:
    """activity id -> its first publishable photo (in the editors' order) with what is said under it: keys
    image (JPEG bytes), caption, credit (a story slide's `StoryPhoto`). Activities without one are left out."""
    wanted = sorted(set(activity_ids))
    if not wanted:
        return {}
    statement = (
        select(Attachment.activity_id, Attachment.data, Attachment.caption, Attachment.credit)
        .where(Attachment.activity_id.in_(wanted), Attachment.kind == "photo", publishable())
        .order_by(Attachment.activity_id, Attachment.position.desc(), Attachment.id.desc())
    )
    if isinstance(connection, Engine):
        with connection.connect() as opened:
            rows = opened.execute(statement).all()
    else:
        rows = connection.execute(statement).all()
    found: dict[int, dict[str, Any]] = {}
    # Ordered last first: each activity's first photo is the one left in the dictionary.
    for activity_id, data, caption, credit in rows:
        found[int(activity_id)] = {"image": bytes(data), "caption": caption, "credit": credit}
    return found
