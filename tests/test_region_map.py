"""The map of Bulgaria's regions (charts/maps.py): its data, its words, nothing fetched, and its pictures."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
from PIL import Image

from charts import images
from charts.builders import ChartText
from charts.maps import ATTRIBUTION, CIRCLE_COLOR, EMPTY_REGION, SHADES, region_map
from db.regions import BY_CODE, REGION_CODES
from i18n import translator

BY_REGION = pd.DataFrame(
    {
        "region": ["BG-10", "BG-22", "BG-16", "BG-10", "XX-99"],
        "schools": [30, 120, 64, 8, 5],
        "partners": [14, 80, 0, 0, 3],
        "activities": [400, 2100, 900, 10, 1],
    }
)
WORDS = {"bg": ("Училища", "Партньори", "Дейности"), "en": ("Schools", "Partners", "Activities")}


def drawn(lang: str = "bg", frame: pd.DataFrame = BY_REGION, **options: Any) -> Any:
    schools, partners, activities = WORDS[lang]
    return region_map(
        frame,
        ChartText(translator(lang), lang, {}),
        shade="schools",
        shade_title=schools,
        circles="partners",
        circles_title=partners,
        also={"activities": activities},
        **options,
    )


def strings(value: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """(key, string) for every string in the spec, however deep."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for inner_key, item in value.items():
            yield from strings(item, inner_key)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item, key)


def layers(spec: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    regions, circles, attribution = spec["layer"]
    assert attribution["mark"]["text"] == ATTRIBUTION
    return regions, circles


def test_nothing_in_the_spec_is_fetched_from_anywhere() -> None:
    spec = drawn().to_dict()
    # `$schema` names the Vega-Lite version; no renderer fetches it.
    addresses = [(key, text) for key, text in strings(spec) if key != "$schema" and ("http" in text or "//" in text)]
    assert addresses == []
    assert not any(key == "url" for key, _ in strings(spec))
    assert spec["layer"][0]["mark"]["type"] == "geoshape"
    assert spec["projection"] == {"type": "mercator"}


def test_every_region_is_drawn_with_its_counts_and_absent_ones_count_nothing() -> None:
    regions, _ = layers(drawn().to_dict())
    features = regions["data"]["values"]
    assert [feature["properties"]["code"] for feature in features] == list(REGION_CODES)
    by_code = {feature["properties"]["code"]: feature["properties"] for feature in features}
    # Kyustendil's two rows add up; the unknown code XX-99 is nowhere.
    assert by_code["BG-10"] == {"code": "BG-10", "name": "Кюстендил", "schools": 38, "partners": 14, "activities": 410}
    assert by_code["BG-05"] == {"code": "BG-05", "name": "Видин", "schools": 0, "partners": 0, "activities": 0}
    assert all(feature["geometry"]["type"] in ("Polygon", "MultiPolygon") for feature in features)


def test_regions_are_shaded_by_their_count_and_empty_ones_are_grey() -> None:
    regions, _ = layers(drawn().to_dict())
    color = regions["encoding"]["color"]
    assert color["condition"]["test"] == "datum.properties.schools > 0"
    assert color["condition"]["field"] == "properties.schools"
    assert color["condition"]["scale"] == {"domain": [0, 120], "range": list(SHADES)}
    assert color["condition"]["title"] == "Училища"
    assert color["value"] == EMPTY_REGION


def test_circles_stand_at_the_regions_points_sized_from_zero_and_only_where_there_are_any() -> None:
    _, circles = layers(drawn().to_dict())
    points = circles["data"]["values"]
    assert [(p["name"], p["partners"]) for p in points] == [("Кюстендил", 14), ("София-град", 80)]
    assert (points[0]["longitude"], points[0]["latitude"]) == BY_CODE["BG-10"].point
    size = circles["encoding"]["size"]
    assert size["scale"]["domain"] == [0, 80] and size["scale"]["range"][0] == 0
    assert size["title"] == "Партньори"
    assert circles["mark"]["color"] == CIRCLE_COLOR


@pytest.mark.parametrize("lang", ["bg", "en"])
def test_the_tooltip_names_the_region_and_its_counts_in_the_language(lang: str) -> None:
    regions, circles = layers(drawn(lang).to_dict())
    region_word = {"bg": "Област", "en": "Region"}[lang]
    assert [tip["title"] for tip in regions["encoding"]["tooltip"]] == [region_word, *WORDS[lang]]
    assert [tip["title"] for tip in circles["encoding"]["tooltip"]] == [region_word, *WORDS[lang]]
    names = [feature["properties"]["name"] for feature in regions["data"]["values"]]
    assert names[9] == {"bg": "Кюстендил", "en": "Kyustendil"}[lang]


def test_a_map_of_nothing_is_every_region_grey_and_no_circle() -> None:
    empty = pd.DataFrame({"region": [], "schools": [], "partners": [], "activities": []})
    regions, circles = layers(drawn(frame=empty).to_dict())
    assert {feature["properties"]["schools"] for feature in regions["data"]["values"]} == {0}
    assert circles["data"]["values"] == []


def test_without_circles_the_map_is_the_regions_alone() -> None:
    chart = region_map(BY_REGION, ChartText(translator("en"), "en", {}), shade="activities", shade_title="Activities")
    spec = chart.to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["geoshape", "text"]


def test_a_column_that_is_no_plain_name_is_refused() -> None:
    frame = BY_REGION.rename(columns={"schools": "schools; alert(1)"})
    with pytest.raises(ValueError, match="plain name"):
        region_map(frame, ChartText(translator("en"), "en", {}), shade="schools; alert(1)", shade_title="x")


def _colours(png: bytes) -> set[tuple[int, int, int]]:
    picture = Image.open(io.BytesIO(png)).convert("RGB")
    return {colour for _, colour in picture.getcolors(maxcolors=1 << 20) or []}


def _hex(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def test_the_map_draws_as_png_and_svg_offline() -> None:
    chart = drawn()
    png = images.chart_png(chart, scale=1, width=1366, height=850)
    picture = Image.open(io.BytesIO(png))
    assert picture.width == 1366
    colours = _colours(png)
    # The empty regions' grey, Sofia City's navy (the most schools) and a partner circle are all on it.
    assert {_hex(EMPTY_REGION), _hex(SHADES[1])} <= colours
    # Vermilion, a little see-through: nothing else on the map is red.
    assert any(r > 200 and g < 140 and b < 120 for r, g, b in colours)
    svg = images.chart_svg(chart, width=900)
    assert svg.count("<path") >= 28
    assert "Училища" in svg and "Партньори" in svg
    # The outlines' licence asks for it on every map drawn from them.
    assert "© OpenStreetMap contributors, ODbL" in svg
    assert EMPTY_REGION.lower() in svg.lower()
