"""Activities: charts by organization, month and school year, people reached, a matrix, and the table.

Clicking an organization's bar narrows everything below it to that organization.
"""

import streamlit as st

from db import queries
from i18n.formatting import format_number
from ui import charts, exports, views
from ui.context import page_context
from ui.data import read
from ui.safe import md

TABLE_LIMIT = 500

context = page_context()
t, lang, filters = context.t, context.lang, context.filters

views.period_page_header(context, t("activities.title"))

by_organization = read(queries.activities_by_organization, filters)
if by_organization.empty:
    views.nothing_matches(context)
    st.stop()

st.subheader(t("activities.by_organization"))
chosen = exports.chart_with_downloads(
    context,
    charts.organization_chart(by_organization, context.chart_text),
    "by-partner",
    on_select="rerun",
    selection_mode=charts.ORGANIZATION_PICK,
    key="organization_chart",
)
picked = [int(p["organization_id"]) for p in (chosen.selection.get(charts.ORGANIZATION_PICK, []) if chosen else [])]
if picked:
    names = by_organization.drop_duplicates("organization_id").set_index("organization_id")["short_name"]
    st.info(
        t("activities.narrowed", names=", ".join(md(names.get(i, "")) for i in picked)),
        icon=":material/filter_alt:",
    )
    filters = filters.with_organizations(*picked)
    by_organization = by_organization[by_organization["organization_id"].isin(picked)]
else:
    st.caption(t("activities.click_hint"))

st.subheader(t("activities.by_month"))
by_month = read(queries.activities_by_month, filters)
exports.chart_with_downloads(context, charts.month_chart(by_month, context.chart_text, filters.school_year), "by-month")

st.subheader(t("activities.by_school_year"))
st.caption(t("activities.all_years_note"))
exports.chart_with_downloads(
    context,
    charts.school_year_chart(read(queries.activities_by_school_year, filters.all_years()), context.chart_text),
    "by-school-year",
)

people, matrix = st.columns(2)
with people:
    st.subheader(t("activities.people"))
    exports.chart_with_downloads(context, charts.participants_chart(by_organization, context.chart_text), "people")
with matrix:
    st.subheader(t("activities.matrix"))
    exports.chart_with_downloads(context, charts.matrix_chart(by_organization, context.chart_text), "matrix")

st.subheader(t("activities.table"))
total = read(queries.activity_count, filters)
table = read(queries.activity_list, filters, limit=TABLE_LIMIT)
if total > TABLE_LIMIT:
    st.caption(t("activities.table_cut", shown=format_number(TABLE_LIMIT, lang), total=format_number(total, lang)))
else:
    st.caption(t("activities.table_count", total=format_number(total, lang)))
views.activity_table(context, table, key="activities_table")
