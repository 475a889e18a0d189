"""Downloads for taking the work away: every chart as PNG and SVG, the year's deck and report.

Files are made only when their button is pressed (a callable as the data), so that
showing a page never pays for rendering images or documents nobody asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

import reports
from ui.context import PageContext
from ui.data import engine


def _images() -> Any:
    # vl-convert takes a second to load: only when someone first asks for an image.
    from charts import images

    return images


def chart_with_downloads(
    context: PageContext, spec: dict[str, Any], chart: Callable[[], Any], name: str, **options: Any
) -> Any:
    """Show the Vega-Lite `spec` (options go to st.vega_lite_chart) with PNG and SVG downloads under it.

    `chart()` builds the Altair chart the pictures are drawn from, only when one is asked for.
    Returns the chart's state (its selection).
    """
    t = context.t
    state = st.vega_lite_chart(spec=spec, width="stretch", **options)
    png, svg, _ = st.columns([1, 1, 6])
    png.download_button(
        "PNG",
        data=lambda: _images().chart_png(chart(), scale=2),
        file_name=f"{name}.png",
        mime="image/png",
        icon=":material/image:",
        help=t("exports.png_help"),
        on_click="ignore",
        key=f"png_{name}",
    )
    svg.download_button(
        "SVG",
        data=lambda: _images().chart_svg(chart()),
        file_name=f"{name}.svg",
        mime="image/svg+xml",
        icon=":material/draw:",
        help=t("exports.svg_help"),
        on_click="ignore",
        key=f"svg_{name}",
    )
    return state


def report_downloads(context: PageContext) -> None:
    """The school year's annual report (PDF, Word) and slide deck (PowerPoint) in the user's language."""
    t, year, lang = context.t, context.filters.school_year, context.lang
    st.caption(t("exports.report_scope"))
    for column, fmt in zip(st.columns(3), ("pdf", "docx", "pptx"), strict=True):
        column.download_button(
            t(f"exports.{fmt}"),
            data=lambda fmt=fmt: reports.generate(engine(), school_year=year, fmt=fmt, lang=lang),
            file_name=reports.filename(school_year=year, fmt=fmt),
            mime=reports.MEDIA_TYPES[fmt],
            icon=":material/download:",
            on_click="ignore",
            width="stretch",
            key=f"report_{fmt}",
        )
