"""The network: its figures, the schools compared, the partners' reach and the map of the regions."""

import streamlit as st

from db import queries
from ui import views
from ui.chart_views import chart_section
from ui.context import page_context
from ui.data import read
from ui.school_views import schools_table
from ui.schools import is_network

context = page_context()
t, filters = context.t, context.filters

views.period_page_header(context, t("network.title"))
if not is_network():
    st.info(t("network.one_school"), icon=":material/school:")
    st.stop()

views.headline_metrics(context, *read(queries.figures_with_comparison, filters, today=context.today()))

st.subheader(t("network.compared"))
schools_table(context, read(queries.schools_compared, filters), key="network_schools")
chart_section(context, "schools")
chart_section(context, "reach")
chart_section(context, "regions")
