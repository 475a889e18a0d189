"""Data: where editors keep the record (partners, activities) and admins read the audit log."""

import streamlit as st

from ui import forms
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

partners_tab, activities_tab = st.tabs([t("data.tab_partners"), t("data.tab_activities")])
with partners_tab:
    forms.partner_editor(context, actor)
with activities_tab:
    forms.activity_editor(context, actor)
