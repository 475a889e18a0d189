"""Timeline: every event of the filters on one time axis; picking an event shows its details."""

import streamlit as st

from charts.builders import EVENT_PICK
from charts.registry import TIMELINE_LIMIT, chart_spec
from db import queries
from i18n.formatting import format_number
from ui import views
from ui.activity_details import activity_details
from ui.chart_views import chart_section
from ui.context import page_context
from ui.data import read

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
timeline = chart_spec("timeline").load(read, context.filters)
if timeline.events.empty:
    views.nothing_matches(context)
    st.stop()
if timeline.total > TIMELINE_LIMIT:
    st.warning(
        t("timeline.cut", shown=format_number(TIMELINE_LIMIT, lang), total=format_number(timeline.total, lang)),
        icon=":material/filter_alt:",
    )
st.caption(t("timeline.hint"))
chosen, _ = chart_section(
    context,
    "timeline",
    data=timeline,
    title=False,
    build={"lane": lane or "organization"},
    on_select="rerun",
    selection_mode=EVENT_PICK,
    key="timeline_chart",
)
picked = chosen.selection.get(EVENT_PICK, []) if chosen else []
if picked:
    detail = read(queries.activity_detail, int(picked[0]["id"]))
    if detail is not None:
        activity_details(context, detail)
else:
    st.caption(t("timeline.pick"))
