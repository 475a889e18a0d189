"""Data: where editors keep the record, and administrators see the audit log, accounts and backups."""

import streamlit as st

from ui import admin, forms, outcome_forms, transfer
from ui.auth import current_actor
from ui.context import page_context

context = page_context()
t = context.t
actor = current_actor()

st.title(t("data.title"))
if not actor.can("editor"):
    # The page is hidden from viewers, but its URL still works: refuse here, and every write refuses again.
    st.warning(t("data.editors_only"), icon=":material/lock:")
    st.stop()

panels = {
    "partners": lambda: forms.partner_editor(context, actor),
    "activities": lambda: forms.activity_editor(context, actor),
    "import": lambda: transfer.import_panel(context, actor),
    "export": lambda: transfer.export_panel(context, actor),
}
if actor.can("admin"):
    panels |= {
        "audit": lambda: admin.audit_panel(context, actor),
        "accounts": lambda: admin.accounts_panel(context, actor),
    }
    if actor.of_network:  # a backup holds, and a restore replaces, every school's record
        panels["backup"] = lambda: admin.backup_panel(context, actor)
# Last, so that the tabs editors know keep their places.
panels["outcomes"] = lambda: outcome_forms.outcome_editor(context, actor)
for tab, panel in zip(st.tabs([t(f"data.tab_{name}") for name in panels]), panels.values(), strict=True):
    with tab:
        panel()
