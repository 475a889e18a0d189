"""Every listed activity opens its details: a dialog over the page, named in the address (`?activity=12`).

A card's button, a table's row or a link with `?activity=` all open the same dialog, so the
details can be shared as a link; closing it takes the parameter out of the address again.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from db import queries
from i18n.formatting import format_count, format_date_long, format_number
from ui import url_values
from ui.attachments import activity_attachments
from ui.auth import current_actor
from ui.context import PageContext
from ui.data import read
from ui.safe import md, web_link
from ui.url_values import whole_number

ACTIVITY_PARAM = "activity"
MAX_ID_DIGITS = 12  # an id from a link; anything longer is junk, not a number to convert


def open_activity(activity_id: int) -> None:
    """Name the activity in the address; the dialog opens on this run or the next."""
    st.query_params[ACTIVITY_PARAM] = str(activity_id)


def close_activity() -> None:
    if ACTIVITY_PARAM in st.query_params:
        del st.query_params[ACTIVITY_PARAM]


def requested_activity() -> int | None:
    """The id in `?activity=`, or None when there is none or it is not a plain whole number."""
    return whole_number(url_values.last(ACTIVITY_PARAM), max_digits=MAX_ID_DIGITS)


def activity_dialog(context: PageContext) -> None:
    """The details of the activity the address names, in a dialog over the page; junk in the address is dropped."""
    if ACTIVITY_PARAM not in st.query_params:
        return
    activity_id = requested_activity()
    if activity_id is None:
        close_activity()
        return
    if st.query_params.get_all(ACTIVITY_PARAM) != [str(activity_id)]:
        open_activity(activity_id)  # the address names the one shown (` 12`, or repeated: `12&activity=7`)
    detail = read(queries.activity_detail, activity_id)
    t = context.t

    @st.dialog(t("details.title"), width="large", on_dismiss=close_activity)
    def details() -> None:
        if detail is None:
            st.warning(t("details.not_found"), icon=":material/search_off:")
        else:
            activity_details(context, detail)
        st.button(t("details.close"), on_click=close_activity, key="close_activity")

    details()


def open_button(context: PageContext, activity_id: int, *, key: str) -> None:
    """A small button that opens the activity's details."""
    st.button(
        context.t("details.open"),
        key=key,
        on_click=open_activity,
        args=(activity_id,),
        type="tertiary",
        icon=":material/open_in_full:",
    )


def open_selected(activities: pd.DataFrame, rows: list[int], *, key: str) -> None:
    """Open the activity of a table's newly selected row (a selection kept from before opens nothing again)."""
    seen = f"_opened_from_{key}"
    if not rows or not 0 <= rows[0] < len(activities):  # a row number from another list is no choice
        st.session_state.pop(seen, None)
        return
    chosen = int(activities.iloc[rows[0]]["id"])
    if st.session_state.get(seen) != chosen:
        st.session_state[seen] = chosen
        open_activity(chosen)
        st.rerun()


def activity_details(context: PageContext, detail: dict[str, Any]) -> None:
    """Everything recorded about one activity (`queries.activity_detail`)."""
    t, lang = context.t, context.lang
    with st.container(border=True):
        st.markdown(f"#### {md(detail['title'])}")
        facts = [
            format_date_long(detail["start_date"], lang)
            + (f" – {format_date_long(detail['end_date'], lang)}" if detail["end_date"] else ""),
            context.type_names.get(detail["type_code"], detail["type_code"]),
            t(f"status.{detail['status']}"),
        ]
        if detail["location"]:
            facts.append(detail["location"])
        st.caption(" · ".join(md(f) for f in facts))
        if detail["description"]:
            st.markdown(md(detail["description"]))
        partners = ", ".join(f"{md(o['short_name'])} ({t('role.' + o['role'])})" for o in detail["organizations"])
        if partners:
            st.markdown(f"**{t('details.partners')}:** {partners}")
        numbers = []
        if detail["participants"] is not None:
            numbers.append(f"{t('details.participants')}: {format_number(detail['participants'], lang)}")
        if detail["pupils_reached"] is not None:
            numbers.append(f"{t('details.pupils')}: {format_count(detail['pupils_reached'], lang)}")
        if numbers:
            st.markdown(" · ".join(numbers))
        reach = reach_by_stage(context, detail, exact=current_actor().can("editor"))
        if reach:
            st.caption(" · ".join(reach))
        link = web_link(detail["news_url"])
        if link:
            st.link_button(t("details.news"), link, icon=":material/open_in_new:")
        activity_attachments(context, detail)
        if detail["is_demo"]:
            st.caption(t("details.demo"))


# Who an activity reached, where the school tells it (migration 0012); the counts of children and their
# parents go through the small-number rule for viewers (db.privacy), the teachers are staff and do not.
STAGES = (("pupils_primary", True), ("pupils_secondary", True), ("parents", True), ("teachers", False))


def reach_by_stage(context: PageContext, detail: dict[str, Any], *, exact: bool) -> list[str]:
    """`Ученици I–IV клас: 12`, `Родители: < 5`, …: the stage splits given, as the person looking may see them."""
    t, lang = context.t, context.lang
    parts = []
    for name, of_children in STAGES:
        value = detail.get(name)
        if value is None:
            continue
        shown = format_count(value, lang) if of_children and not exact else format_number(value, lang)
        parts.append(f"{t(f'field.{name}')}: {shown}")
    return parts
