"""Activities: charts by organization, month and school year, people reached, a matrix, and the table.

Clicking an organization's bar narrows everything below it to that organization.
"""

import streamlit as st

from charts.builders import ORGANIZATION_PICK
from db import queries
from i18n.formatting import format_number
from ui import views
from ui.chart_views import chart_section
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

chosen, _ = chart_section(
    context,
    "by_organization",
    on_select="rerun",
    selection_mode=ORGANIZATION_PICK,
    key="organization_chart",
)
picked = [int(p["organization_id"]) for p in (chosen.selection.get(ORGANIZATION_PICK, []) if chosen else [])]
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

chart_section(context, "by_month", filters=filters)
chart_section(context, "by_school_year", filters=filters)

# The partners picked above narrow these two; without a pick they draw the chart's own data.
narrowed = by_organization if picked else None
people, matrix = st.columns(2)
with people:
    chart_section(context, "people", filters=filters, data=narrowed)
with matrix:
    chart_section(context, "matrix", filters=filters, data=narrowed)

st.subheader(t("activities.table"))
search = st.text_input(
    t("activities.search"), key="activity_search", placeholder=t("activities.search_hint"), max_chars=200
)
total = read(queries.activity_count, filters, search=search)
table = read(queries.activity_list, filters, limit=TABLE_LIMIT, search=search)
if total == 0 and search.strip():
    st.info(t("activities.search_none", search=md(search.strip())), icon=":material/search_off:")
    st.stop()
if total > TABLE_LIMIT:
    st.caption(t("activities.table_cut", shown=format_number(TABLE_LIMIT, lang), total=format_number(total, lang)))
else:
    st.caption(t("activities.table_count", total=format_number(total, lang)))
views.activity_table(context, table, key="activities_table")
