"""Charts for a projector: larger and darker axis and legend text, a taller plot that stays on the screen."""

from __future__ import annotations

from typing import Any

import altair as alt

PROJECTOR_FONT_SIZE = 20
PROJECTOR_TEXT_COLOR = "#1A1A1A"
PROJECTOR_HEIGHT_SCALE = 1.7
# What a 1080-pixel screen has left for the plot under the slide's heading, the axis and the legend.
PROJECTOR_PLOT_HEIGHT = 480


def projected(chart: Any, *, rows: int | None = None) -> Any:
    """A chart of `charts.builders` readable across a room: larger and darker axis and legend text, a taller plot.

    A chart sized per row (`alt.Step`) with its number of `rows` gets a fixed height instead, at
    most PROJECTOR_PLOT_HEIGHT: with a `yOffset` (the timeline's slots), Vega-Lite gives the step
    to every slot rather than to every row, and the chart would run far below the screen.
    """
    text = {"labelFontSize": PROJECTOR_FONT_SIZE, "titleFontSize": PROJECTOR_FONT_SIZE}
    colors = {"labelColor": PROJECTOR_TEXT_COLOR, "titleColor": PROJECTOR_TEXT_COLOR}
    bigger = chart.configure_axis(**text, **colors).configure_legend(
        **text, **colors, symbolSize=PROJECTOR_FONT_SIZE * 12, labelLimit=400
    )
    # A vconcat (the Outcomes chart) has no height of its own: its parts keep theirs.
    height = getattr(chart, "height", None)
    if isinstance(height, alt.Step) and rows:
        return bigger.properties(height=min(round(height.step * PROJECTOR_HEIGHT_SCALE * rows), PROJECTOR_PLOT_HEIGHT))
    if isinstance(height, alt.Step):
        return bigger.properties(height=alt.Step(round(height.step * PROJECTOR_HEIGHT_SCALE)))
    if isinstance(height, int | float):
        return bigger.properties(height=min(round(height * PROJECTOR_HEIGHT_SCALE), PROJECTOR_PLOT_HEIGHT))
    return bigger
