"""A map of Bulgaria's 28 regions, drawn from the outlines shipped in `assets/maps/` (no tiles, no URL).

The outlines are inlined into the spec, so the browser, vl-convert and a saved SVG draw the map
without fetching anything; `assets/maps/README.md` says where they come from and under which licence.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from charts.builders import ChartText
from db.regions import BY_CODE, REGION_CODES
from i18n.chart_locale import chart_locale

REGIONS_FILE = Path(__file__).resolve().parents[1] / "assets" / "maps" / "bg_regions.geojson"
# Regions with nothing to count: a light grey, about 8 units of CIE L* lighter than the palest blue
# (92.5 against 84), so that a greyscale print still tells "none" from "a few".
EMPTY_REGION = "#E9E9E9"
SHADES = ("#BFD5EA", "#1A3C6C")  # palest to the palette's navy: the most in the darkest region
CIRCLE_COLOR = "#ED5E3A"  # the palette's vermilion: apart from every shade of blue, on screen and in print
# Bulgaria on a Mercator map is about one and a half times as wide as it is tall: 440 px tall fills a
# plot about 660 px wide (the page's column); a wider plot centres the map, a caller may pass a taller one.
MAP_HEIGHT = 440
LARGEST_CIRCLE = 1600  # px², the circle of the region with the most
# The outlines' licence (ODbL) asks every map drawn from them to say where they come from: on the map
# itself, so that a PNG or SVG taken anywhere says it too. The same words in every language, as OSM asks.
ATTRIBUTION = "© OpenStreetMap contributors, ODbL"


@functools.cache
def _outlines() -> tuple[dict[str, Any], ...]:
    """The regions' GeoJSON features, in `REGION_CODES` order, read once per process."""
    features = json.loads(REGIONS_FILE.read_text(encoding="utf-8"))["features"]
    by_code = {feature["properties"]["code"]: feature for feature in features}
    return tuple(by_code[code] for code in REGION_CODES)


def _counts(by_region: pd.DataFrame, columns: list[str]) -> dict[str, dict[str, float]]:
    """`columns` per region code, every region present (0 where `by_region` has no row); unknown codes left out."""
    known = by_region[by_region["region"].isin(REGION_CODES)]
    summed = known.groupby("region")[columns].sum().fillna(0) if len(known) else pd.DataFrame(columns=columns)
    return {
        code: {column: float(summed.at[code, column]) if code in summed.index else 0.0 for column in columns}
        for code in REGION_CODES
    }


def region_map(
    by_region: pd.DataFrame,
    text: ChartText,
    *,
    shade: str,
    shade_title: str,
    circles: str | None = None,
    circles_title: str | None = None,
    also: Mapping[str, str] | None = None,
    height: int = MAP_HEIGHT,
) -> alt.LayerChart:
    """The 28 regions shaded by `by_region[shade]`, with a circle per region sized by `by_region[circles]`.

    `by_region` has a `region` column of ISO 3166-2 codes (`BG-10`) and numeric columns; a region
    without a row counts 0 and is drawn grey, a code that names no region is left out. The titles
    come from the caller in the user's language (`shade_title`, `circles_title`, and `also`: more
    columns for the tooltip, column → title); the regions are named in `text.lang`. A circle's area
    is proportional to its count, and a region with none has no circle.
    """
    columns = list(dict.fromkeys([shade, *([circles] if circles else []), *(also or {})]))
    for column in columns:
        # The columns are named in field paths and a test expression (`datum.properties.<column>`).
        if not column.isidentifier():
            raise ValueError(f"a column the map counts must be a plain name, not {column!r}")
    counts = _counts(by_region, columns)
    names = {code: BY_CODE[code].name(text.lang) for code in REGION_CODES}
    features = [
        {**feature, "properties": {"code": code, "name": names[code], **counts[code]}}
        for code, feature in zip(REGION_CODES, _outlines(), strict=True)
    ]
    titles = {shade: shade_title, **({circles: circles_title or circles} if circles else {}), **(also or {})}
    region_title = text.t("chart.region")
    tooltip = [
        alt.Tooltip("properties.name:N", title=region_title),
        *(alt.Tooltip(f"properties.{column}:Q", title=title, format=",d") for column, title in titles.items()),
    ]
    highest = max((values[shade] for values in counts.values()), default=0.0)
    regions = (
        alt.Chart(alt.Data(values=features))
        .mark_geoshape(stroke="white", strokeWidth=1)  # the borders between regions
        .encode(
            color=alt.condition(
                f"datum.properties.{shade} > 0",
                alt.Color(
                    f"properties.{shade}:Q",
                    title=shade_title,
                    scale=alt.Scale(domain=[0, max(highest, 1)], range=list(SHADES)),
                    legend=alt.Legend(orient="bottom", format=",d", gradientLength=240),
                ),
                alt.value(EMPTY_REGION),
            ),
            tooltip=tooltip,
        )
    )
    layers: list[alt.Chart] = [regions]
    if circles:
        points: list[dict[str, Any]] = [
            {
                "name": names[code],
                "longitude": BY_CODE[code].point[0],
                "latitude": BY_CODE[code].point[1],
                **counts[code],
            }
            for code in REGION_CODES
            if counts[code][circles] > 0
        ]
        most = max((point[circles] for point in points), default=1.0)
        layers.append(
            alt.Chart(alt.Data(values=points))
            .mark_circle(color=CIRCLE_COLOR, opacity=0.85, stroke="white", strokeWidth=1)
            .encode(
                longitude="longitude:Q",
                latitude="latitude:Q",
                size=alt.Size(
                    f"{circles}:Q",
                    title=circles_title,
                    # From 0, so that a circle's area is its count: twice the partners, twice the ink.
                    scale=alt.Scale(domain=[0, most], range=[0, LARGEST_CIRCLE]),
                    legend=alt.Legend(orient="bottom", format=",d", symbolFillColor=CIRCLE_COLOR, tickMinStep=1),
                ),
                tooltip=[
                    alt.Tooltip("name:N", title=region_title),
                    *(alt.Tooltip(f"{column}:Q", title=title, format=",d") for column, title in titles.items()),
                ],
            )
        )
    layers.append(
        alt.Chart(alt.Data(values=[{}]))
        .mark_text(text=ATTRIBUTION, align="right", baseline="bottom", fontSize=10, color="#6B6B6B")
        .encode(x=alt.value("width"), y=alt.value("height"))
    )
    chart = alt.layer(*layers).project(type="mercator").properties(height=height)
    return (  # type: ignore[no-any-return]
        chart.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
        .configure(locale=chart_locale(text.lang))
        .configure_view(stroke=None)
    )
