"""Bulgaria's regions: the table in db/regions.py, what a user may type for one, and the outlines the map draws."""

from __future__ import annotations

import json
from typing import Any

import pytest

from db.regions import BY_CODE, REGION_CODES, REGIONS, region_name, resolve_region
from tests.helpers import ROOT

REGIONS_FILE = ROOT / "assets" / "maps" / "bg_regions.geojson"
# Bulgaria from its westernmost point (22.36° E) to the Black Sea (28.61° E), from the Greek border
# (41.24° N) to the Danube at Silistra (44.22° N), and a little to spare.
WEST, SOUTH, EAST, NORTH = 22.3, 41.2, 28.7, 44.25


def outlines() -> list[dict[str, Any]]:
    return json.loads(REGIONS_FILE.read_text(encoding="utf-8"))["features"]  # type: ignore[no-any-return]


def rings(feature: dict[str, Any]) -> list[list[list[float]]]:
    geometry = feature["geometry"]
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [ring for polygon in polygons for ring in polygon]


def inside(point: tuple[float, float], ring: list[list[float]]) -> bool:
    x, y = point
    crossings = 0
    for (ax, ay), (bx, by) in zip(ring, ring[1:], strict=False):
        if (ay > y) != (by > y) and x < (bx - ax) * (y - ay) / (by - ay) + ax:
            crossings += 1
    return crossings % 2 == 1


def test_the_table_has_the_28_regions_with_both_names() -> None:
    assert REGION_CODES == tuple(f"BG-{n:02d}" for n in range(1, 29))
    assert BY_CODE["BG-10"].name_bg == "Кюстендил" and BY_CODE["BG-10"].name_en == "Kyustendil"
    assert len({region.name_bg for region in REGIONS}) == len({region.name_en for region in REGIONS}) == 28
    assert len({region.nuts3 for region in REGIONS}) == 28
    assert region_name("BG-22", "bg") == "София-град" and region_name("BG-22", "en") == "Sofia City"


def test_the_map_file_has_each_region_once_with_its_code_and_both_names() -> None:
    features = outlines()
    assert [feature["properties"]["code"] for feature in features] == list(REGION_CODES)
    for feature in features:
        region = BY_CODE[feature["properties"]["code"]]
        assert (feature["properties"]["name_bg"], feature["properties"]["name_en"]) == (region.name_bg, region.name_en)


def test_the_map_file_is_small() -> None:
    """Inlined into every map's spec: a page downloads it with the chart."""
    assert REGIONS_FILE.stat().st_size < 120_000
    assert all(sum(len(ring) for ring in rings(feature)) <= 500 for feature in outlines())


def test_every_point_of_the_map_is_in_bulgaria() -> None:
    points = [point for feature in outlines() for ring in rings(feature) for point in ring]
    assert all(WEST <= lon <= EAST and SOUTH <= lat <= NORTH for lon, lat in points)
    assert all(WEST <= region.point[0] <= EAST and SOUTH <= region.point[1] <= NORTH for region in REGIONS)


def test_the_outlines_wind_the_way_vega_draws_them() -> None:
    """Vega's spherical projection fills the inside of a clockwise ring: a counter-clockwise one fills the globe."""
    for feature in outlines():
        for ring in rings(feature):
            assert ring[0] == ring[-1]
            # The shoelace sum is negative for a clockwise ring (longitude east, latitude north).
            area = sum(ax * by - bx * ay for (ax, ay), (bx, by) in zip(ring, ring[1:], strict=False))
            assert area < 0, feature["properties"]["code"]


def test_each_regions_circle_is_inside_its_own_outline_and_no_other() -> None:
    for feature in outlines():
        holders = [
            other["properties"]["code"]
            for other in outlines()
            if any(inside(BY_CODE[feature["properties"]["code"]].point, ring) for ring in rings(other)[:1])
        ]
        assert holders == [feature["properties"]["code"]]


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("кюстендил", "BG-10"),
        ("Kyustendil", "BG-10"),
        ("KYUSTENDIL", "BG-10"),
        ("BG-10", "BG-10"),
        ("bg10", "BG-10"),
        ("BG 10", "BG-10"),
        ("BG415", "BG-10"),
        ("област Кюстендил", "BG-10"),
        ("  Област   Кюстендил ", "BG-10"),
        ("Kyustendil Province", "BG-10"),
        ("obl. Kyustendil", "BG-10"),
        ("„Велико Търново“", "BG-04"),
        ("veliko-tarnovo", "BG-04"),
        ("Търговище", "BG-25"),
        ("Kardjali", "BG-09"),
        ("Rousse", "BG-18"),
        ("София", "BG-22"),
        ("Sofia", "BG-22"),
        ("София-град", "BG-22"),
        ("област София-град", "BG-22"),
        ("Sofia City", "BG-22"),
        ("Софийска област", "BG-23"),
        ("област София", "BG-23"),
        ("Sofia Province", "BG-23"),
        ("Sofia region", "BG-23"),
    ],
)
def test_a_region_is_found_however_it_is_typed(typed: str, code: str) -> None:
    assert resolve_region(typed) == code


@pytest.mark.parametrize("typed", ["", "   ", "BG-00", "BG-29", "BG-100", "BG999", "Париж", "Kyustendi", "област"])
def test_what_names_no_region_is_none(typed: str) -> None:
    assert resolve_region(typed) is None


def test_every_region_is_found_by_its_own_names_and_codes() -> None:
    for region in REGIONS:
        for typed in (region.code, region.nuts3, region.name_bg, region.name_en, region.name_bg.upper()):
            assert resolve_region(typed) == region.code, typed
