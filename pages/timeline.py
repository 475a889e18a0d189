"""Timeline: every event of the filters on one time axis; picking an event shows its details."""

import streamlit as st

from db import queries
from i18n.formatting import format_number
from ui import charts, exports, views
from ui.context import page_context
from ui.data import read

EVENT_LIMIT = 1500

context = page_context()
t, lang = context.t, context.lang

views.period_page_header(context, t("timeline.title"))

lane = st.segmented_control(
    t("timeline.lanes"),
    ["organization", "type"],
    format_func=lambda v: t(f"timeline.lane_{v}"),
    key="timeline_lane",
    default="organization",
    required=True,
)
events, total = read(queries.timeline_events, context.filters, limit=EVENT_LIMIT)
if events.empty:
    views.nothing_matches(context)
    st.stop()
if total > EVENT_LIMIT:
    st.warning(
        t("timeline.cut", shown=format_number(EVENT_LIMIT, lang), total=format_number(total, lang)),
        icon=":material/filter_alt:",
    )
st.caption(t("timeline.hint"))
chosen = exports.chart_with_downloads(
    context,
    charts.timeline_chart(events, context.chart_text, lane=lane or "organization"),
    "timeline",
    on_select="rerun",
    selection_mode=charts.EVENT_PICK,
    key="timeline_chart",
)
picked = chosen.selection.get(charts.EVENT_PICK, []) if chosen else []
if picked:
    detail = read(queries.activity_detail, int(picked[0]["id"]))
    if detail is not None:
        views.activity_details(context, detail)
else:
    st.caption(t("timeline.pick"))
