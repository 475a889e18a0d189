"""Charts as pictures: an Altair chart rendered on the server by vl-convert, for slides and documents.

vl-convert runs in a process of its own (`charts/renderer.py`), not in this one.

The chart builders in charts/builders.py size their charts for Streamlit (`autosize fit-x`,
the width of the page). Outside Streamlit there is no page: the chart gets a fixed width here.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import altair as alt
import pandas as pd

from charts.renderer import draw
from db.text import printable

EXPORT_WIDTH = 900  # px; the chart with its axes and legend, before `scale`
# A picture is shrunk to a page or a slide, where Vega's 11 px labels come out at 6 pt: larger type,
# unless the chart sets its own.
EXPORT_CONFIG = {
    "background": "#ffffff",  # slides and pages are white; a transparent PNG looks grey in some viewers
    "axis": {"labelFontSize": 13, "titleFontSize": 14},
    "legend": {"labelFontSize": 13, "titleFontSize": 14, "symbolSize": 160},
}
_PARTS = ("layer", "hconcat", "vconcat", "concat")


def export_spec(chart: Any, *, width: int = EXPORT_WIDTH, height: int | None = None) -> dict[str, Any]:
    """The chart's Vega-Lite spec for rendering outside Streamlit: `width` px wide, every row inline.

    `height` (px, the plot without axes and legend) replaces the chart's own height, such as
    the per-row step of the timeline, so that a picture fits a slide.
    """
    sized = _with_inline_data(chart).properties(width=width)
    if height is not None:
        sized = sized.properties(height=height)
    # Not validated again: the builders' specs are validated whenever the app draws them and in tests.
    spec: dict[str, Any] = _printable(sized.to_dict(validate=False))
    config = spec.setdefault("config", {})
    for key, value in EXPORT_CONFIG.items():
        if isinstance(value, dict):
            config[key] = {**value, **config.get(key, {})}
        else:
            config.setdefault(key, value)
    return spec


def chart_png(chart: Any, scale: float = 2, *, width: int = EXPORT_WIDTH, height: int | None = None) -> bytes:
    """The chart as a PNG `scale` times `width` pixels wide (2 for print and projectors)."""
    return spec_png(spec_text(chart, width=width, height=height), scale)


@functools.lru_cache(maxsize=16)
def spec_png(spec: str, scale: float) -> bytes:
    """The PNG of `spec` (from `spec_text`), drawn once per process for the same spec and scale.

    The key is the whole spec, data included, so a picture is only ever reused for the same chart.
    """
    return draw(spec, "png", scale)


def chart_svg(chart: Any, *, width: int = EXPORT_WIDTH, height: int | None = None) -> str:
    """The chart as SVG, `width` px wide; its text stays text (Cyrillic included)."""
    # The spec's keys in the chart's own order, as vl-convert was always given them.
    return draw(json.dumps(export_spec(chart, width=width, height=height)), "svg").decode("utf-8")


def spec_text(chart: Any, *, width: int = EXPORT_WIDTH, height: int | None = None) -> str:
    """`export_spec` as JSON text: what the renderer draws, and its key for reusing a picture."""
    return json.dumps(export_spec(chart, width=width, height=height), sort_keys=True)


def _printable(value: Any) -> Any:
    """The spec with every string cleaned of control characters.

    vl-convert aborts the whole process (not an exception) on a control character in a label,
    and text stored in the database, a partner's name say, may hold one.
    """
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {key: _printable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_printable(item) for item in value]
    return value


def _with_inline_data(chart: Any) -> Any:
    """A copy of the chart whose DataFrames are already values.

    Altair's data transformer refuses a DataFrame of more than 5,000 rows (a timeline of
    all years can have more), but passes data that is already `{"values": [...]}` through.
    `alt.to_values` makes the same values the transformer would, dates as ISO strings.
    Switching the limit off instead (`disable_max_rows`) would change Altair's global
    settings for every session of the app.
    """
    copy = chart.copy(deep=False)
    data = getattr(copy, "data", alt.Undefined)
    if isinstance(data, pd.DataFrame):
        copy.data = alt.to_values(data)
    for part in _PARTS:
        children = getattr(copy, part, alt.Undefined)
        if children is not alt.Undefined:
            setattr(copy, part, [_with_inline_data(child) for child in children])
    return copy
