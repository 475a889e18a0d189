"""Overview: headline figures for the period, the latest and upcoming activities, activities by organization."""

import streamlit as st

from db import queries
from ui import exports, views
from ui.chart_views import chart_section
from ui.context import page_context
from ui.data import read
from ui.outcome_views import overview_outcomes

context = page_context()
t, filters = context.t, context.filters

views.period_page_header(context, t("overview.title"))

views.headline_metrics(context, *read(queries.figures_with_comparison, filters, today=context.today()))
overview_outcomes(context, read(queries.outcomes, filters.all_years()))

latest, upcoming = st.columns(2)
with latest:
    st.subheader(t("overview.latest"))
    views.activity_cards(
        context,
        read(queries.activity_list, filters, statuses=("held",), before=context.today(), limit=5),
        t("overview.no_latest"),
        key="latest",
    )
with upcoming:
    st.subheader(t("overview.upcoming"))
    views.activity_cards(
        context,
        read(
            queries.activity_list,
            filters,
            statuses=("planned",),
            on_or_after=context.today(),
            newest_first=False,
            limit=5,
        ),
        t("overview.no_upcoming"),
        key="upcoming",
    )

chart_section(context, "by_organization")

st.subheader(t("exports.report_title"))
exports.report_downloads(context)
