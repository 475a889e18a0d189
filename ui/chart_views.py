"""A registered chart on a page: its title, its note, the chart with PNG and SVG downloads, or why it is empty."""

from __future__ import annotations

from typing import Any

import streamlit as st

from charts.registry import chart_spec
from db.filters import ActivityFilters
from ui import exports, views
from ui.chart_specs import page_spec
from ui.context import PageContext
from ui.data import data_source, read


def chart_section(
    context: PageContext,
    chart_key: str,
    /,
    *,
    filters: ActivityFilters | None = None,
    data: Any = None,
    title: bool = True,
    file_prefix: str = "",
    build: dict[str, Any] | None = None,
    **display: Any,
) -> tuple[Any, Any]:
    """The chart `chart_key` of `charts.registry` for `filters` (the page's by default): (its state, its data).

    `data` is the spec's own data when the page has it already; `build` goes to the chart's
    builder, `display` to st.vega_lite_chart (a selection, a key). The chart's spec is built once for
    its data, filters, language and `build` (`ui.chart_specs`); its pictures only when asked for.
    """
    spec = chart_spec(chart_key)
    filters = filters or context.filters
    source = None  # data handed in is keyed by its values
    if data is None:
        data = spec.load(read, filters)
        source = data_source("load", filters)
    if title:
        st.subheader(context.t(spec.title_key(filters)))
        if spec.note:
            st.caption(context.t(spec.note))
    if spec.is_empty(data):
        views.nothing_matches(context)
        return None, data
    options, text = build or {}, context.chart_text
    shown = page_spec(spec, data, text, filters, options, source=source)
    state = exports.chart_with_downloads(
        context,
        shown,
        lambda: spec.build(data, text, filters, **options),
        f"{file_prefix}{spec.file_name}",
        **display,
    )
    return state, data
