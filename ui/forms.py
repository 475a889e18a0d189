"""The editing forms of the Data screen. Each save is one call to `db.writes`; no st.* call runs inside it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import streamlit as st

from db import queries
from db.access import Actor, PermissionDenied
from db.fields import Field, Kind, declared
from db.models import ROLES, ActivityType, FocusArea, PartnerKind
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
from ui import attachments
from ui.auth import current_actor
from ui.context import PageContext
from ui.data import forget_reads, fresh, write_engine
from ui.faults import DATABASE_ERRORS, fault_or_raise, say_fault
from ui.safe import md
from ui.schools import denial, is_network, school_names

NEW = 0
EARLIEST = date(1990, 1, 1)
# How each form lays out the declared fields (db.fields): blocks of (columns, field names), filled
# row by row. A declared field named in no block comes last, full width, so none is ever left out.
Layout = tuple[tuple[int, tuple[str, ...]], ...]
PARTNER_LAYOUT: Layout = (
    (1, ("name",)),
    (2, ("short_name", "kind", "city", "partner_since", "website", "email", "phone", "contact_person")),
    (1, ("mission", "focus_areas", "is_active")),
)
ACTIVITY_LAYOUT: Layout = (
    (1, ("school", "title")),  # the school only in a network (ui/forms._school)
    (3, ("type", "start_date", "end_date", "status", "participants", "pupils_reached")),
    (4, ("pupils_primary", "pupils_secondary", "parents", "teachers")),  # optional (migration 0012)
    (1, ("location", "organizations", "description", "news_url", "highlight")),
)
# A choice always has a value, so only fields that can be left empty are starred when required.
_STARRED = (Kind.TEXT, Kind.DATE)


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


def _save(context: PageContext, action: Callable[[], Any], done: str, notes: dict[str, Any] | None = None) -> bool:
    """Run one write and say how it went in the user's language; True if it was saved.

    A refused save also writes each problem under its field (`notes`: field name -> a slot left
    after its widget): Streamlit has no error state on an input, and a note next to it is what
    a person scanning a long form finds.
    """
    t = context.t
    try:
        action()
    except PermissionDenied as error:
        st.error(denial(t, error), icon=":material/block:")
        return False
    except InvalidInput as invalid:
        st.error(
            t("data.not_saved") + "\n\n" + "\n".join(f"- {md(describe_problem(t, p))}" for p in invalid.problems),
            icon=":material/error:",
        )
        by_field: dict[str, list[str]] = {}
        for problem in invalid.problems:
            by_field.setdefault(problem.field, []).append(describe_problem(t, problem))
        for name, messages in by_field.items():
            if notes and name in notes:
                notes[name].caption(" ".join(f":red[:material/error: {md(m)}]" for m in messages))
        return False
    except StaleRecord:
        st.error(t("data.stale"), icon=":material/sync_problem:")
        return False
    except HasActivities as linked:
        st.error(t("data.has_activities", count=linked.count), icon=":material/link:")
        return False
    except DATABASE_ERRORS as error:
        # A full disk or a read-only file: the transaction was rolled back; the inputs keep what was typed.
        say_fault(t, fault_or_raise(error), not_saved=True)
        return False
    forget_reads()
    st.success(done, icon=":material/check_circle:")
    return True


def _form_key(kind: str, record: dict[str, Any] | None, version: int) -> str:
    """The widgets' key prefix: a new record's form starts afresh after each save, an edited one at each version.

    Widgets keep what was typed across reruns under their keys, so a refused save loses nothing;
    only a successful one moves to a new prefix, and with it to empty (or freshly read) inputs.
    """
    if record is not None:
        return f"{kind}-{record['id']}-v{version}"
    return f"{kind}-new-{st.session_state.get(f'_new_{kind}_form', 0)}"


def _start_afresh(kind: str, done: str) -> None:
    """After a new record is saved: empty inputs for the next one, and the confirmation shown on that run."""
    st.session_state[f"_new_{kind}_form"] = st.session_state.get(f"_new_{kind}_form", 0) + 1
    st.session_state[f"_saved_new_{kind}"] = done
    st.rerun()


def _flash(kind: str) -> None:
    done = st.session_state.pop(f"_saved_new_{kind}", None)
    if done:
        st.success(done, icon=":material/check_circle:")


def partner_editor(context: PageContext, actor: Actor) -> None:
    """Choose a partner (or a new one), edit it in a form, or delete it."""
    t = context.t
    choices = {NEW: t("data.new_partner")} | dict(
        zip(context.organizations["id"].astype(int), context.organizations["short_name"], strict=True)
    )
    chosen = st.selectbox(t("data.choose_partner"), list(choices), format_func=choices.get, key="edit_partner")
    record = fresh(queries.partner_for_editing, chosen) if chosen else None
    values = record or {"kind": "ngo", "focus_areas": [], "is_active": True}
    version = _opened_version("partner", record)
    _flash("partner")
    with st.form(f"partner_form_{chosen}"):
        data, notes = _fields(context, _form_key("partner", record, version), "partners", PARTNER_LAYOUT, values)
        submitted = st.form_submit_button(t("data.save"), type="primary", icon=":material/save:")
    if submitted:
        if record is None:
            if _save(
                context, lambda: create_partner(engine=write_engine(), actor=actor, data=data), t("data.saved"), notes
            ):
                _start_afresh("partner", t("data.saved"))
        elif _save(
            context,
            lambda: update_partner(
                engine=write_engine(), actor=actor, partner_id=record["id"], expected_version=version, data=data
            ),
            t("data.saved"),
            notes,
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
    mine = dict(fresh(queries.activity_choices, search=search, school_id=actor.school_id))
    choices = {NEW: t("data.new_activity")} | mine
    chosen = st.selectbox(t("data.choose_activity"), list(choices), format_func=choices.get, key="edit_activity")
    record = fresh(queries.activity_for_editing, chosen) if chosen else None
    values = record or {"type": "meeting", "status": "held", "organizations": []}
    version = _opened_version("activity", record)
    partners = dict(zip(context.organizations["id"].astype(int), context.organizations["short_name"], strict=True))
    if not partners:
        st.info(t("data.add_partner_first"))
        return
    _flash("activity")
    with st.form(f"activity_form_{chosen}"):
        prefix = _form_key("activity", record, version)
        data, notes = _fields(context, prefix, "activities", ACTIVITY_LAYOUT, values, partners)
        submitted = st.form_submit_button(t("data.save"), type="primary", icon=":material/save:")
    if submitted:
        if record is None:
            if _save(
                context, lambda: create_activity(engine=write_engine(), actor=actor, data=data), t("data.saved"), notes
            ):
                _start_afresh("activity", t("data.saved"))
        elif _save(
            context,
            lambda: update_activity(
                engine=write_engine(), actor=actor, activity_id=record["id"], expected_version=version, data=data
            ),
            t("data.saved"),
            notes,
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
        attachments.editor_panel(context, actor, record["id"])


def _fields(
    context: PageContext,
    prefix: str,
    table: str,
    layout: Layout,
    values: dict[str, Any],
    partners: dict[int, str] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A widget for each declared field of the table, laid out as `layout` says, keyed `<prefix>:<field>`.

    Returns their values by field name, and under each widget an empty slot for what is wrong with it.
    """
    fields = {field.name: field for field in declared(table)}
    named = {name for _, names in layout for name in names}
    data: dict[str, Any] = {}
    notes: dict[str, Any] = {}
    for width, names in (*layout, (1, tuple(name for name in fields if name not in named))):
        shown = [name for name in names if name in fields]
        places = st.columns(width) if width > 1 and shown else [st]
        for index, name in enumerate(shown):
            place = places[index % len(places)]
            data[name] = _widget(context, place, f"{prefix}:{name}", fields[name], values, partners or {})
            notes[name] = place.empty()
    return data, notes


def _widget(
    context: PageContext, place: Any, key: str, field: Field, values: dict[str, Any], partners: dict[int, str]
) -> Any:
    """The widget for one field, chosen by its kind, showing its value; returns what it holds."""
    t = context.t
    label = t(f"field.{field.name}") + (" *" if field.required and field.kind in _STARRED else "")
    value = values.get(field.name)
    kind = field.kind
    if kind is Kind.TEXT:
        return place.text_input(label, value or "", max_chars=field.limit, key=key)
    if kind is Kind.EMAIL:
        return place.text_input(label, value or "", key=key)
    if kind is Kind.LINK:
        return place.text_input(label, value or "", placeholder="https://", key=key)
    if kind is Kind.LONG_TEXT:
        return place.text_area(label, value or "", key=key)
    if kind is Kind.DATE:
        return place.date_input(label, value, min_value=EARLIEST, format="DD.MM.YYYY", key=key)
    if kind is Kind.COUNT:
        return place.number_input(label, min_value=0, step=1, value=value, key=key)
    if kind is Kind.FLAG:
        return place.checkbox(label, field.default if value is None else value, key=key)
    if kind is Kind.PARTNERS:
        return _partners_by_role(context, place, key, value or [], partners)
    if kind is Kind.SCHOOL:
        return _school(context, place, key, label, value)
    names = _choice_names(context, field)
    if kind is Kind.CODES:
        return place.multiselect(
            # select_all=False: Streamlit's "Select all" is English only (README, known English texts).
            label,
            list(names),
            value or [],
            format_func=names.get,
            placeholder=t("data.choose"),
            select_all=False,
            key=key,
        )
    options = list(names)
    index = options.index(value) if value in options else 0
    return place.selectbox(label, options, index=index, format_func=names.get, key=key)


def _school(context: PageContext, place: Any, key: str, label: str, value: int | None) -> int | None:
    """The school an activity is for: asked only in a network, among the schools the user may write in
    (theirs, or any for the network's editors); with one school none is asked and the write takes it."""
    if not is_network():
        return value
    actor = current_actor()
    names = {i: n for i, n in school_names().items() if actor.school_id is None or actor.school_id == i}
    if value is not None and value not in names:  # another school's record, opened to look at
        names = {value: school_names().get(value, f"#{value}")} | names
    options = list(names)
    wanted = value if value is not None else actor.school_id
    index = options.index(wanted) if wanted in options else 0
    return place.selectbox(label, options, index=index, format_func=names.get, key=key)  # type: ignore[no-any-return]


def _choice_names(context: PageContext, field: Field) -> dict[str, str]:
    """code -> name of a choice field's options: a vocabulary's names, or `<field>.<code>` from the catalog."""
    if field.vocabulary is None:
        return {code: context.t(f"{field.name}.{code}") for code in field.choices}
    by_vocabulary = {PartnerKind: context.kind_names, ActivityType: context.type_names, FocusArea: context.focus_names}
    return by_vocabulary[field.vocabulary]


def _partners_by_role(
    context: PageContext, place: Any, key: str, links: list[tuple[int, str]], partners: dict[int, str]
) -> list[tuple[int, str]]:
    """A partner choice per role (organizer, partner, …); the chosen (partner id, role) pairs."""
    chosen = {
        role: place.multiselect(
            context.t(f"data.partners_as_{role}"),
            list(partners),
            [oid for oid, r in links if r == role],
            format_func=partners.get,
            placeholder=context.t("data.choose"),
            key=f"{key}:{role}",
            select_all=False,  # as above
        )
        for role in ROLES
    }
    return [(oid, role) for role, ids in chosen.items() for oid in ids]
