"""The editing forms of the Data screen. Each save is one call to `db.writes`; no st.* call runs inside it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import streamlit as st

from db import queries
from db.access import Actor, PermissionDenied
from db.models import ROLES, STATUSES
from db.validation import InvalidInput
from db.writes import (
    HasActivities,
    StaleRecord,
    create_activity,
    create_partner,
    delete_activity,
    delete_partner,
    update_activity,
    update_partner,
)
from i18n.problems import describe_problem
from ui.context import PageContext
from ui.data import engine, forget_reads, fresh, write_engine
from ui.safe import md

NEW = 0
EARLIEST = date(1990, 1, 1)


def _opened_version(kind: str, record: dict[str, Any] | None) -> int:
    """The version the user opened, kept across reruns so that a save can tell if someone saved in between."""
    if record is None:
        return 0
    key = f"_opened_{kind}_{record['id']}"
    if key not in st.session_state:
        st.session_state[key] = record["version"]
    return int(st.session_state[key])


def _forget_opened(kind: str, record_id: int) -> None:
    st.session_state.pop(f"_opened_{kind}_{record_id}", None)


def _save(context: PageContext, action: Callable[[], Any], done: str) -> bool:
    """Run one write and say how it went in the user's language; True if it was saved."""
    t = context.t
    try:
        action()
    except PermissionDenied:
        st.error(t("data.denied"), icon=":material/block:")
        return False
    except InvalidInput as invalid:
        st.error(
            t("data.not_saved") + "\n\n" + "\n".join(f"- {md(describe_problem(t, p))}" for p in invalid.problems),
            icon=":material/error:",
        )
        return False
    except StaleRecord:
        st.error(t("data.stale"), icon=":material/sync_problem:")
        return False
    except HasActivities as linked:
        st.error(t("data.has_activities", count=linked.count), icon=":material/link:")
        return False
    forget_reads()
    st.success(done, icon=":material/check_circle:")
    return True


def partner_editor(context: PageContext, actor: Actor) -> None:
    """Choose a partner (or a new one), edit it in a form, or delete it."""
    t = context.t
    choices = {NEW: t("data.new_partner")} | dict(
        zip(context.organizations["id"].astype(int), context.organizations["short_name"], strict=True)
    )
    chosen = st.selectbox(t("data.choose_partner"), list(choices), format_func=choices.get, key="edit_partner")
    record = queries.partner_for_editing(engine(), chosen) if chosen else None
    values = record or {"kind": "ngo", "focus_areas": [], "is_active": True}
    version = _opened_version("partner", record)
    kinds, areas = context.kind_names, context.focus_names
    with st.form(f"partner_form_{chosen}", clear_on_submit=record is None):
        name = st.text_input(t("field.name") + " *", values.get("name", ""), max_chars=300)
        first, second = st.columns(2)
        short_name = first.text_input(t("field.short_name"), values.get("short_name", ""), max_chars=60)
        kind = second.selectbox(
            t("field.kind"), list(kinds), index=list(kinds).index(values["kind"]), format_func=kinds.get
        )
        city = first.text_input(t("field.city"), values.get("city", ""))
        since = second.date_input(
            t("field.partner_since"), values.get("partner_since"), min_value=EARLIEST, format="DD.MM.YYYY"
        )
        website = first.text_input(t("field.website"), values.get("website", ""), placeholder="https://")
        email = second.text_input(t("field.email"), values.get("email", ""))
        phone = first.text_input(t("field.phone"), values.get("phone", ""))
        contact = second.text_input(t("field.contact_person"), values.get("contact_person", ""))
        mission = st.text_area(t("field.mission"), values.get("mission", ""))
        focus = st.multiselect(
            t("field.focus_areas"),
            list(areas),
            values["focus_areas"],
            format_func=areas.get,
            placeholder=t("data.choose"),
        )
        active = st.checkbox(t("field.is_active"), values["is_active"])
        submitted = st.form_submit_button(t("data.save"), type="primary", icon=":material/save:")
    if submitted:
        data = {
            "name": name,
            "short_name": short_name,
            "kind": kind,
            "city": city,
            "partner_since": since,
            "website": website,
            "email": email,
            "phone": phone,
            "contact_person": contact,
            "mission": mission,
            "focus_areas": focus,
            "is_active": active,
        }
        if record is None:
            _save(context, lambda: create_partner(engine=write_engine(), actor=actor, data=data), t("data.saved"))
        elif _save(
            context,
            lambda: update_partner(
                engine=write_engine(), actor=actor, partner_id=record["id"], expected_version=version, data=data
            ),
            t("data.saved"),
        ):
            _forget_opened("partner", record["id"])
    if record is not None:
        _partner_deletion(context, actor, record, version)


def _partner_deletion(context: PageContext, actor: Actor, record: dict[str, Any], version: int) -> None:
    t = context.t
    with st.expander(t("data.delete_partner"), icon=":material/delete:"):
        linked = fresh(queries.partner_activity_count, record["id"])
        how = "refuse"
        if linked:
            st.warning(t("data.partner_has_activities", count=linked))
            how = st.radio(
                t("data.what_with_activities"),
                ["unlink", "delete"],
                format_func=lambda v: t(f"data.activities_{v}"),
                key=f"delete_how_{record['id']}",
            )
        sure = st.checkbox(t("data.confirm_delete", name=md(record["short_name"])), key=f"sure_partner_{record['id']}")
        if st.button(t("data.delete"), disabled=not sure, key=f"delete_partner_{record['id']}", type="primary"):
            if _save(
                context,
                lambda: delete_partner(
                    engine=write_engine(),
                    actor=actor,
                    partner_id=record["id"],
                    expected_version=version,
                    activities=how,  # type: ignore[arg-type]
                ),
                t("data.deleted"),
            ):
                _forget_opened("partner", record["id"])


def activity_editor(context: PageContext, actor: Actor) -> None:
    """Choose an activity (or a new one), edit it in a form, or delete it."""
    t = context.t
    search = st.text_input(t("data.find_activity"), key="edit_activity_search")
    choices = {NEW: t("data.new_activity")} | dict(queries.activity_choices(engine(), search=search))
    chosen = st.selectbox(t("data.choose_activity"), list(choices), format_func=choices.get, key="edit_activity")
    record = queries.activity_for_editing(engine(), chosen) if chosen else None
    values = record or {"type": "meeting", "status": "held", "organizations": []}
    version = _opened_version("activity", record)
    types = context.type_names
    partners = dict(zip(context.organizations["id"].astype(int), context.organizations["short_name"], strict=True))
    if not partners:
        st.info(t("data.add_partner_first"))
        return
    by_role = {role: [oid for oid, r in values["organizations"] if r == role] for role in ROLES}
    with st.form(f"activity_form_{chosen}", clear_on_submit=record is None):
        title = st.text_input(t("field.title") + " *", values.get("title", ""), max_chars=300)
        first, second, third = st.columns(3)
        kind = first.selectbox(
            t("field.type"), list(types), index=list(types).index(values["type"]), format_func=types.get
        )
        start = second.date_input(
            t("field.start_date") + " *", values.get("start_date"), min_value=EARLIEST, format="DD.MM.YYYY"
        )
        end = third.date_input(t("field.end_date"), values.get("end_date"), min_value=EARLIEST, format="DD.MM.YYYY")
        status = first.selectbox(
            t("field.status"),
            list(STATUSES),
            index=list(STATUSES).index(values["status"]),
            format_func=lambda s: t(f"status.{s}"),
        )
        participants = second.number_input(
            t("field.participants"), min_value=0, step=1, value=values.get("participants")
        )
        pupils = third.number_input(t("field.pupils_reached"), min_value=0, step=1, value=values.get("pupils_reached"))
        location = st.text_input(t("field.location"), values.get("location", ""))
        chosen_partners = {
            role: st.multiselect(
                t(f"data.partners_as_{role}"),
                list(partners),
                by_role[role],
                format_func=partners.get,
                placeholder=t("data.choose"),
            )
            for role in ROLES
        }
        description = st.text_area(t("field.description"), values.get("description", ""))
        news_url = st.text_input(t("field.news_url"), values.get("news_url", ""), placeholder="https://")
        submitted = st.form_submit_button(t("data.save"), type="primary", icon=":material/save:")
    if submitted:
        links = [(oid, role) for role, ids in chosen_partners.items() for oid in ids]
        data = {
            "title": title,
            "type": kind,
            "start_date": start,
            "end_date": end,
            "status": status,
            "participants": participants,
            "pupils_reached": pupils,
            "location": location,
            "description": description,
            "news_url": news_url,
            "organizations": links,
        }
        if record is None:
            _save(context, lambda: create_activity(engine=write_engine(), actor=actor, data=data), t("data.saved"))
        elif _save(
            context,
            lambda: update_activity(
                engine=write_engine(), actor=actor, activity_id=record["id"], expected_version=version, data=data
            ),
            t("data.saved"),
        ):
            _forget_opened("activity", record["id"])
    if record is not None:
        with st.expander(t("data.delete_activity"), icon=":material/delete:"):
            sure = st.checkbox(t("data.confirm_delete", name=md(record["title"])), key=f"sure_activity_{record['id']}")
            if st.button(t("data.delete"), disabled=not sure, key=f"delete_activity_{record['id']}", type="primary"):
                if _save(
                    context,
                    lambda: delete_activity(
                        engine=write_engine(), actor=actor, activity_id=record["id"], expected_version=version
                    ),
                    t("data.deleted"),
                ):
                    _forget_opened("activity", record["id"])
