"""A registered chart as the finished Vega-Lite spec Streamlit draws, built once and then looked up.

A rerun with nothing changed (a click elsewhere, the next viewer of the same view) used to build
every Altair chart again, validate it against the Vega-Lite schema and serialise its data: most
of a warm run (the timeline alone 177 ms). Now a spec is built once per chart, data, filters,
language and drawing options, and a warm run only hands it to `st.vega_lite_chart`.

The key holds the data itself (Streamlit hashes a DataFrame by its values): a spec never outlives
the data it was drawn from, whatever kept or cleared the reads; `ui.data.forget_reads` clears
these with the reads all the same. A spec is not validated against the schema here: the
builders are, by tests/test_chart_specs.py, for every registered chart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

from charts.builders import ChartText
from charts.projector import projected
from charts.registry import ChartSpec, chart_spec
from db.filters import ActivityFilters
from i18n import translator

# Specs kept: every chart of every page for a few dozen views at once. A spec holds its data
# (at a million activities up to ~0.8 MB for all years' timeline), so not many more.
SPEC_ENTRIES = 200


def page_spec(
    spec: ChartSpec,
    data: Any,
    text: ChartText,
    filters: ActivityFilters,
    options: Mapping[str, Any] | None = None,
    *,
    projector: bool = False,
) -> dict[str, Any]:
    """What `st.altair_chart(spec.build(data, text, filters, **options))` would send, from the cache when it can.

    `projector` draws it for a room (`charts.projector.projected`), as the Presentation page does.
    The dict is the caller's own (a copy), with its data as Arrow: give it to `st.vega_lite_chart`.
    """
    return _page_spec(
        spec.key,
        data,
        filters,
        text.lang,
        tuple(text.type_names.items()),
        tuple(sorted((options or {}).items())),
        projector,
    )


def forget_specs() -> None:
    _page_spec.clear()


@st.cache_data(show_spinner=False, max_entries=SPEC_ENTRIES)
def _page_spec(
    chart_key: str,
    data: Any,
    filters: ActivityFilters,
    lang: str,
    type_names: tuple[tuple[str, str], ...],
    options: tuple[tuple[str, Any], ...],
    projector: bool,
) -> dict[str, Any]:
    spec = chart_spec(chart_key)
    chart = spec.build(data, ChartText(translator(lang), lang, dict(type_names)), filters, **dict(options))
    if projector:
        chart = projected(chart, rows=spec.rows(data))
    return streamlit_spec(chart)


class _Unvalidated:
    """An Altair chart whose `to_dict()` skips validating the spec against the Vega-Lite schema."""

    def __init__(self, chart: Any) -> None:
        self.chart = chart

    def to_dict(self) -> dict[str, Any]:
        return self.chart.to_dict(validate=False)  # type: ignore[no-any-return]


def streamlit_spec(chart: Any) -> dict[str, Any]:
    """The Vega-Lite spec `st.altair_chart(chart)` makes (its data as Arrow datasets), without validating it.

    Streamlit's own conversion, so that the spec and its datasets' names are the ones the page
    had before: it swaps Altair's data transformer for Arrow under Streamlit's lock (Altair's
    settings are global to every session) and calls `to_dict()`, here the unvalidated one.
    tests/test_chart_specs.py checks that the result is what `st.altair_chart` sends.
    """
    return _convert_altair_to_vega_lite_spec(_Unvalidated(chart))  # type: ignore[arg-type]
