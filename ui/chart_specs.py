"""A registered chart as the finished Vega-Lite spec Streamlit draws, built once and then looked up.

A rerun with nothing changed (a click elsewhere, the next viewer of the same view) used to build
every Altair chart again, validate it against the Vega-Lite schema and serialise its data: most
of a warm run (the timeline alone 177 ms). Now a spec is built once per chart, data, filters,
language and drawing options, and a warm run only hands it to `st.vega_lite_chart`.

The key names the data: by where it came from (the chart's own load, or a deck's, at a data
revision) when the caller says so, else by a digest of its values. Hashing a DataFrame's values
on every run, as `st.cache_data` did, cost more than the rest of the chart's run; a spec still
never outlives the data it was drawn from, and `ui.data.forget_reads` clears these with the reads.
A spec is not validated against the schema here: the builders are, by tests/test_chart_specs.py,
for every registered chart.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Mapping
from typing import Any

import pandas as pd
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

from charts.builders import ChartText
from charts.projector import projected
from charts.registry import ChartSpec
from db.filters import ActivityFilters
from ui.memo import Memo

# Specs kept: every chart of every page for a few dozen views at once. A spec holds its data
# (at a million activities up to ~0.8 MB for all years' timeline), so not many more.
_SPECS = Memo(max_entries=200, max_bytes=128 * 2**20)


def page_spec(
    spec: ChartSpec,
    data: Any,
    text: ChartText,
    filters: ActivityFilters,
    options: Mapping[str, Any] | None = None,
    *,
    projector: bool = False,
    source: Hashable | None = None,
) -> dict[str, Any]:
    """What `st.altair_chart(spec.build(data, text, filters, **options))` would send, from the store when it can.

    `projector` draws it for a room (`charts.projector.projected`), as the Presentation page does.
    `source` names where `data` came from, when that alone decides it: the chart's own load for
    these filters at this data revision, or a deck's (`ui.data.data_source`). Without it the key
    holds a digest of the data's values (a page's narrowed data), which costs a pass over them.
    The dict is the caller's own (a copy), with its data as Arrow: give it to `st.vega_lite_chart`.
    """
    key = (
        spec.key,
        ("from", source) if source is not None else ("values", content_token(data)),
        filters,
        text.lang,
        tuple(text.type_names.items()),
        tuple(sorted((options or {}).items())),
        projector,
    )

    def build() -> dict[str, Any]:
        chart = spec.build(data, text, filters, **dict(options or {}))
        if projector:
            chart = projected(chart, rows=spec.rows(data))
        return streamlit_spec(chart)

    return _SPECS.get(key, build)


def forget_specs() -> None:
    _SPECS.clear()


def content_token(data: Any) -> Hashable:
    """A digest of a chart's data by its values: equal data, equal token (what Streamlit's hasher did)."""
    if isinstance(data, pd.DataFrame):
        digest = hashlib.blake2b(pd.util.hash_pandas_object(data, index=True).to_numpy().tobytes(), digest_size=16)
        return ("frame", tuple(map(str, data.columns)), tuple(map(str, data.dtypes)), digest.hexdigest())
    if isinstance(data, tuple):
        return (type(data).__name__, *(content_token(item) for item in data))
    hash(data)  # anything else a chart's data holds is a plain value: refuse what cannot be a key
    return data  # type: ignore[no-any-return]


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
