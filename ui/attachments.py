"""An activity's photos and documents on the screens: the editors' panel on the Data screen, what the
activity's details show, and a partner's gallery.

What a viewer sees comes from queries that let through only publishable photos (db.attachments); an
editor of the activity's school also sees the others, marked „Без съгласие — вижда се само от редактори“.
Captions, credits and file names are the record's text: shown through `md`, never as Markdown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from db import queries
from db.access import Actor, PermissionDenied
from db.attachments import (
    MAX_CAPTION,
    MAX_CREDIT,
    MAX_DOCUMENT_BYTES,
    MAX_PER_ACTIVITY,
    MAX_SIDE,
    MAX_UPLOAD_BYTES,
    PDF_TYPE,
    AttachmentRefused,
    add_attachment,
    delete_attachment,
    is_publishable,
    kind_of,
    move_attachment,
    update_attachment,
)
from db.models import CONSENTS
from db.writes import StaleRecord
from i18n import Translator
from ui.auth import current_actor
from ui.context import PageContext
from ui.data import engine, forget_reads, fresh, read, write_engine
from ui.faults import DATABASE_ERRORS, fault_or_raise, say_fault
from ui.safe import md
from ui.schools import denial
from ui.uploads import MAX_FILES_PER_SESSION

MEGABYTE = 1024 * 1024
UPLOAD_TYPES = ["jpg", "jpeg", "png", "webp", "heic", "heif", "pdf"]
_FLASH = "_attachment_flash"


def problem_text(t: Translator, error: Exception) -> str:
    """Why an attachment was not stored or changed, in the user's words."""
    if isinstance(error, AttachmentRefused):
        return t(f"attachment.problem.{error.code}", **error.values)
    if isinstance(error, PermissionDenied):
        return denial(t, error)
    return t("attachment.problem.gone")


# ---- what everyone sees ----------------------------------------------------------------------------


def may_see_unconsented(actor: Actor, school_id: int | None) -> bool:
    """An editor of the activity's school sees its photos without consent too (marked); nobody else does."""
    return school_id is not None and actor.can_in("editor", int(school_id))


def activity_attachments(context: PageContext, detail: dict[str, Any]) -> None:
    """The activity's photos (with caption and credit) and its documents to download, in the details."""
    t = context.t
    editor = may_see_unconsented(current_actor(), detail.get("school_id"))
    items = read(queries.activity_attachments, int(detail["id"]), with_unconsented=editor)
    photos = [item for item in items if item["kind"] == "photo"]
    documents = [item for item in items if item["kind"] == "document"]
    if photos:
        st.markdown(f"**{t('attachment.photos')}**")
        columns = st.columns(2)
        for index, photo in enumerate(photos):
            with columns[index % 2]:
                _photo(t, photo)
    if documents:
        st.markdown(f"**{t('attachment.documents')}**")
        for document in documents:
            _download(t, document)


def _photo(t: Translator, photo: dict[str, Any]) -> None:
    st.image(photo["image"], width="stretch")
    if not is_publishable(photo["consent"]):
        unconsented_mark(t)
    if photo["caption"]:
        st.caption(md(photo["caption"]))
    if photo["credit"]:
        st.caption(t("attachment.credit_line", credit=md(photo["credit"])))


def unconsented_mark(t: Translator) -> None:
    """„Без съгласие — вижда се само от редактори“ in red, wrapping on a phone (a badge would cut it off)."""
    st.caption(f":red[:material/visibility_off: **{t('attachment.unconsented')}**]")


def _download(t: Translator, document: dict[str, Any]) -> None:
    attachment_id = int(document["id"])
    st.download_button(
        t("attachment.download", name=md(document["file_name"])),
        # Read when someone asks for it: a document is up to 10 MB, and most visitors never open it.
        data=lambda: _document_bytes(attachment_id),
        file_name=document["file_name"],
        mime=PDF_TYPE,
        icon=":material/picture_as_pdf:",
        key=f"document_{attachment_id}",
        on_click="ignore",
    )
    if document["caption"]:
        st.caption(md(document["caption"]))


def _document_bytes(attachment_id: int) -> bytes:
    found = queries.attachment_file(engine(), attachment_id)
    return bytes(found["data"]) if found and found["kind"] == "document" else b""


def partner_gallery(context: PageContext, filters: Any) -> None:
    """The publishable photos of a partner's activities in the period (`filters` name the partner); nothing
    when there are none, as most partners' activities have no photos."""
    photos = read(queries.partner_gallery, filters)
    if not photos:
        return
    st.subheader(context.t("attachment.gallery", period=context.period_label()))
    columns = st.columns(4)
    for index, photo in enumerate(photos):
        with columns[index % 4]:
            st.image(photo["thumbnail"], width="stretch")
            st.caption(md(photo["caption"] or photo["title"]))


# ---- the editors' panel (Data screen, an activity opened for editing) ------------------------------------


def editor_panel(context: PageContext, actor: Actor, activity_id: int) -> None:
    """The activity's attachments to caption, mark, reorder or delete, and an upload for more."""
    t = context.t
    st.subheader(t("attachment.title"))
    st.caption(
        t(
            "attachment.rules",
            photo_mb=MAX_UPLOAD_BYTES // MEGABYTE,
            pdf_mb=MAX_DOCUMENT_BYTES // MEGABYTE,
            count=MAX_PER_ACTIVITY,
            side=MAX_SIDE,
        )
    )
    flash = st.session_state.pop(_FLASH, None)
    if flash:
        st.success(flash, icon=":material/check_circle:")
    existing = fresh(queries.activity_attachments, activity_id, with_unconsented=True)
    if not existing:
        st.caption(t("attachment.none"))
    for index, item in enumerate(existing):
        _existing(context, actor, item, first=index == 0, last=index == len(existing) - 1)
    _upload(context, actor, activity_id)


def _attempt(t: Translator, action: Callable[[], Any], done: str) -> bool:
    """Run one write; on success the page shows `done` on its next run, which starts now."""
    try:
        action()
    except (AttachmentRefused, PermissionDenied, StaleRecord) as error:
        st.error(t("data.not_saved") + " " + md(problem_text(t, error)), icon=":material/error:")
        return False
    except DATABASE_ERRORS as error:
        say_fault(t, fault_or_raise(error), not_saved=True)
        return False
    forget_reads()
    st.session_state[_FLASH] = done
    st.rerun()
    return True  # not reached: st.rerun ends the run


def _consent_choice(t: Translator, *, key: str, value: str | None) -> str | None:
    return st.radio(  # type: ignore[no-any-return]
        t("attachment.consent") + " *",
        list(CONSENTS),
        index=None if value is None else list(CONSENTS).index(value),
        format_func=lambda code: t(f"attachment.consent.{code}"),
        help=t("attachment.consent_help"),
        horizontal=True,
        key=key,
    )


def _existing(context: PageContext, actor: Actor, item: dict[str, Any], *, first: bool, last: bool) -> None:
    t = context.t
    attachment_id = int(item["id"])
    with st.container(border=True):
        picture, fields = st.columns([1, 3])
        if item["kind"] == "photo":
            picture.image(item["thumbnail"], width="stretch")
        else:
            picture.markdown(":material/picture_as_pdf:")
            picture.caption(t("attachment.document", size=max(1, round(item["byte_size"] / 1024))))
        with fields:
            st.markdown(md(item["file_name"]))
            if item["kind"] == "photo" and not is_publishable(item["consent"]):
                unconsented_mark(t)
            with st.form(f"attachment_{attachment_id}"):
                caption = st.text_input(
                    t("attachment.caption"), item["caption"], max_chars=MAX_CAPTION, key=f"caption_{attachment_id}"
                )
                credit, consent = item["credit"], None
                if item["kind"] == "photo":  # a document has no photographer, and needs no consent
                    credit = st.text_input(
                        t("attachment.credit"), item["credit"], max_chars=MAX_CREDIT, key=f"credit_{attachment_id}"
                    )
                    consent = _consent_choice(t, key=f"consent_{attachment_id}", value=item["consent"])
                saved = st.form_submit_button(t("attachment.save"), icon=":material/save:")
            if saved:
                _attempt(
                    t,
                    lambda: update_attachment(
                        engine=write_engine(),
                        actor=actor,
                        attachment_id=attachment_id,
                        caption=caption,
                        credit=credit,
                        consent=consent,
                    ),  # fmt: skip
                    t("attachment.saved"),
                )
            earlier, later, removal = st.columns(3)
            if earlier.button(
                t("attachment.earlier"), key=f"earlier_{attachment_id}", disabled=first, icon=":material/arrow_upward:"
            ):
                _attempt(t, lambda: _move(actor, attachment_id, -1), t("attachment.saved"))
            if later.button(
                t("attachment.later"), key=f"later_{attachment_id}", disabled=last, icon=":material/arrow_downward:"
            ):
                _attempt(t, lambda: _move(actor, attachment_id, 1), t("attachment.saved"))
            with removal.popover(t("attachment.delete"), icon=":material/delete:"):
                sure = st.checkbox(
                    t("attachment.confirm_delete", name=md(item["file_name"])), key=f"sure_attachment_{attachment_id}"
                )
                if st.button(t("attachment.delete"), disabled=not sure, key=f"delete_attachment_{attachment_id}"):
                    _attempt(
                        t,
                        lambda: delete_attachment(engine=write_engine(), actor=actor, attachment_id=attachment_id),
                        t("attachment.deleted"),
                    )


def _move(actor: Actor, attachment_id: int, step: int) -> None:
    move_attachment(engine=write_engine(), actor=actor, attachment_id=attachment_id, step=step)


def _upload(context: PageContext, actor: Actor, activity_id: int) -> None:
    """New files, each with its own consent (a required choice with no default), caption and credit."""
    t = context.t
    generation_key = f"_attachment_upload_{activity_id}"
    generation = int(st.session_state.get(generation_key, 0))
    files = st.file_uploader(
        t("attachment.upload"),
        type=UPLOAD_TYPES,
        accept_multiple_files=True,
        max_upload_size=MAX_UPLOAD_BYTES // MEGABYTE,
        help=t("attachment.at_once", count=MAX_FILES_PER_SESSION),
        key=f"attachment_files_{activity_id}_{generation}",
    )
    if not files:
        return
    # Files already stored from this upload (a retry after another file's refusal must not add them twice).
    added_key = f"_attachment_added_{activity_id}_{generation}"
    added: set[str] = st.session_state.setdefault(added_key, set())
    wanted = []
    for upload in files:
        if upload.file_id in added:
            continue
        with st.container(border=True):
            st.markdown(t("attachment.for_file", name=md(upload.name)))
            prefix = f"new_{upload.file_id}"
            consent, credit = None, ""
            photo = kind_of(upload.name) == "photo"
            if photo:
                consent = _consent_choice(t, key=f"{prefix}_consent", value=None)
            caption = st.text_input(t("attachment.caption"), max_chars=MAX_CAPTION, key=f"{prefix}_caption")
            if photo:
                credit = st.text_input(t("attachment.credit"), max_chars=MAX_CREDIT, key=f"{prefix}_credit")
        wanted.append((upload, consent, caption, credit))
    if not wanted or not st.button(t("attachment.add"), type="primary", icon=":material/upload:", key="add_files"):
        return
    failed = []
    for upload, consent, caption, credit in wanted:
        try:
            add_attachment(
                engine=write_engine(), actor=actor, activity_id=activity_id, raw=upload.getvalue(),
                file_name=upload.name, caption=caption, credit=credit, consent=consent,
            )  # fmt: skip
        except (AttachmentRefused, PermissionDenied, StaleRecord) as error:
            failed.append(t("attachment.not_added", name=md(upload.name), message=md(problem_text(t, error))))
            continue
        except DATABASE_ERRORS as error:
            say_fault(t, fault_or_raise(error), not_saved=True)
            return
        added.add(upload.file_id)
    stored = len(wanted) - len(failed)
    if stored:
        forget_reads()
    if failed:
        if stored:
            st.success(t("attachment.added", count=stored), icon=":material/check_circle:")
        st.error("\n\n".join(failed), icon=":material/error:")
        return
    st.session_state[generation_key] = generation + 1  # an empty uploader for the next files
    st.session_state[_FLASH] = t("attachment.added", count=stored)
    st.rerun()
