"""The administrators' panels of the Data screen: the audit log, accounts, backups and restore."""

from __future__ import annotations

import json
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import streamlit as st

from db import queries
from db.access import Actor, PermissionDenied
from db.accounts import add_user, remove_user
from db.backup import InvalidBackup, NotSQLite, RestoreFailed, backup, restore, safety_folder
from db.models import USER_ROLES
from db.validation import InvalidInput
from i18n.formatting import table_date_format
from i18n.problems import describe_problem
from ui.context import PageContext
from ui.data import close_engines, forget_reads, fresh, write_engine
from ui.safe import md
from ui.schools import denial


def _changes(before: str | None, after: str | None) -> str:
    """`city: Кюстендил → София` for the fields that changed."""
    # A column of the log whose cells are all empty reads back as NaN, not None: only text is JSON.
    old = json.loads(before) if isinstance(before, str) and before else {}
    new = json.loads(after) if isinstance(after, str) and after else {}
    changed = [key for key in sorted(set(old) | set(new)) if old.get(key) != new.get(key)]
    if not old or not new:
        return ""
    return "; ".join(f"{key}: {old.get(key)} → {new.get(key)}" for key in changed)


def audit_panel(context: PageContext, actor: Actor) -> None:
    """Who changed what and when, newest first, filterable; a school's admin sees their school's changes."""
    t = context.t
    first, second, third = st.columns(3)
    entity = first.selectbox(
        t("audit.entity"),
        [None, "partner", "activity", "attachment", "school", "outcomes", "user", "database"],
        format_func=lambda e: t("audit.any") if e is None else t(f"audit.entity_{e}"),
        key="audit_entity",
    )
    # Uncached: the log must show the change just made, by anyone.
    actors = fresh(queries.audit_actors, school_id=actor.school_id)
    who = second.selectbox(
        t("audit.actor"), [None, *actors], format_func=lambda a: t("audit.any") if a is None else a, key="audit_actor"
    )
    since = third.date_input(
        t("audit.since"), date.today() - timedelta(days=90), format="DD.MM.YYYY", key="audit_since"
    )
    entries = fresh(queries.audit_entries, entity=entity, actor=who, since=since, school_id=actor.school_id)
    if entries.empty:
        st.caption(t("audit.none"))
        return
    table = pd.DataFrame(
        {
            "at": pd.to_datetime(entries["at"]),
            "actor": entries["actor"],
            "action": entries["action"].map(lambda a: t(f"audit.action_{a}")),
            "entity": entries["entity"].map(lambda e: t(f"audit.entity_{e}")),
            "summary": entries["summary"],
            "changes": [_changes(b, a) for b, a in zip(entries["before"], entries["after"], strict=True)],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "at": st.column_config.DatetimeColumn(t("audit.at"), format=table_date_format(context.lang) + " HH:mm"),
            "actor": t("audit.actor"),
            "action": t("audit.action"),
            "entity": t("audit.entity"),
            "summary": t("audit.summary"),
            "changes": st.column_config.TextColumn(t("audit.changes"), width="large"),
        },
    )


def accounts_panel(context: PageContext, actor: Actor) -> None:
    """The local accounts, a form to add one, and removal."""
    t = context.t
    # Uncached: an account just added or removed shows at once. A school's admin manages their school's.
    users = fresh(queries.list_users, school_id=actor.school_id)
    if not users.empty:
        st.dataframe(
            users.assign(role=users["role"].map(lambda r: t(f"user_role.{r}")))[["login", "role"]],
            hide_index=True,
            column_config={"login": t("field.login"), "role": t("field.role")},
        )
    with st.form("add_user", clear_on_submit=True):
        st.markdown(f"**{t('accounts.add')}**")
        login = st.text_input(t("field.login"))
        password = st.text_input(t("field.password"), type="password")
        role = st.selectbox(t("field.role"), USER_ROLES, index=1, format_func=lambda r: t(f"user_role.{r}"))
        submitted = st.form_submit_button(t("accounts.add"))
    if submitted:
        try:
            add_user(
                engine=write_engine(), actor=actor, login=login, password=password, role=role, school_id=actor.school_id
            )
        except InvalidInput as invalid:
            st.error("\n".join(f"- {md(describe_problem(t, p))}" for p in invalid.problems))
        except PermissionDenied as error:
            st.error(denial(t, error))
        else:
            st.success(t("cli.user_added", login=md(login.strip().lower()), role=t(f"user_role.{role}")))
    if not users.empty:
        others = [u for u in users["login"] if u != actor.login]
        if others:
            gone = st.selectbox(t("accounts.remove"), others, key="remove_user")
            if st.button(t("accounts.remove"), key="remove_user_button"):
                remove_user(engine=write_engine(), actor=actor, login=gone)
                st.success(t("cli.user_removed", login=md(gone)))


def backup_panel(context: PageContext, actor: Actor) -> None:
    """Download a backup; restore one after it is checked."""
    t = context.t
    st.markdown(t("backup.explain"))
    # Only on request: a backup of a large record takes a while and would slow every rerun.
    if st.button(t("backup.prepare"), icon=":material/inventory_2:", key="backup_prepare"):
        try:
            made = backup(write_engine(), safety_folder(write_engine()) / f"partnerships-{date.today():%Y-%m-%d}.db")
        except NotSQLite:
            st.info(t("backup.not_sqlite"))
            return
        st.download_button(
            t("backup.download"),
            made.read_bytes(),
            file_name=made.name,
            mime="application/vnd.sqlite3",
            icon=":material/download:",
            on_click="ignore",
        )
    st.divider()
    offered = st.file_uploader(
        t("backup.restore_file"),
        type=["db", "sqlite", "sqlite3"],
        key="restore_file",
        # The server takes no upload over its limit (the import's 2 MB): a larger backup goes by the command.
        help=t("backup.restore_limit", limit=st.get_option("server.maxUploadSize")),
    )
    if offered is None:
        return
    sure = st.checkbox(t("backup.confirm"), key="restore_sure")
    if st.button(t("backup.restore"), disabled=not sure, type="primary", key="restore_button"):
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "offered.db"
            source.write_bytes(offered.getvalue())
            try:
                saved = restore(
                    write_engine(),
                    source,
                    actor=actor,
                    keep_current_in=safety_folder(write_engine()),
                    name=offered.name,
                )
            except InvalidBackup as invalid:
                st.error("\n".join(f"- {md(describe_problem(t, p))}" for p in invalid.problems))
                return
            except RestoreFailed as failed:
                st.error(md(describe_problem(t, failed.problem)))
                return
            except PermissionDenied as error:
                st.error(denial(t, error))
                return
        forget_reads()
        close_engines()  # the next read opens the restored file afresh
        st.success(t("backup.restored", saved=md(saved.name)))
