"""Outcomes: each indicator over the school years, target against achieved, with the activities of the same
years under it; and the chosen year's figures with their change from the year before."""

import streamlit as st

from charts.outcomes import OutcomesData
from db import queries
from db.school_year import school_year_label
from ui import views
from ui.context import page_context
from ui.data import read
from ui.outcome_views import for_the_viewer, masked_note, outcome_charts, show_table, year_table

context = page_context()
t, filters = context.t, context.filters

views.period_page_header(context, t("outcomes.title"))
st.caption(t("outcomes.intro"))

figures, activities = read(queries.outcomes_with_activities, filters)
if figures.empty:
    st.info(t("outcomes.none"), icon=":material/insights:")
    st.stop()
shown = for_the_viewer(figures)

years = sorted({int(year) for year in shown["school_year"]})
year = filters.school_year if filters.school_year is not None else years[-1]
st.subheader(t("outcomes.year_table", year=school_year_label(year)))
if year in years:
    show_table(year_table(context, shown, year), key="outcomes_year")
else:
    st.caption(t("outcomes.no_year", year=school_year_label(year)))
masked_note(context, shown, charts=True)

st.info(t("outcomes.caption"), icon=":material/info:")
outcome_charts(context, OutcomesData(shown, activities), filters.all_years())
