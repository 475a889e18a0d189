"""One-off: make `bg_regions.geojson` from Elastic Maps Service's `bulgaria_provinces_v1.geo.json`.

    .venv/bin/python -m assets.maps.build_bg_regions path/to/bulgaria_provinces_v1.geo.json

Not part of the app and needs nothing outside the standard library and `db.regions`. It keeps each
region's outline (already simplified by its source to 130–410 points), rounds every coordinate to
0.001° (about 100 m, a fifth of a pixel on a map 1366 px wide) and drops the points that rounding
repeats, so that borders two regions share stay identical; gives each region its code and names
from `db.regions`; and prints each region's point farthest from its border (`polylabel`), which
`db/regions.py` keeps as the place of the region's circle on a map. See README.md beside it.
"""

from __future__ import annotations

import heapq
import json
import math
import sys
from pathlib import Path

from db.regions import BY_CODE, REGION_CODES

DIGITS = 3
OUTPUT = Path(__file__).with_name("bg_regions.geojson")
Ring = list[tuple[float, float]]


def rounded(ring: list[list[float]]) -> Ring:
    points: Ring = []
    for lon, lat in ring:
        point = (round(lon, DIGITS), round(lat, DIGITS))
        if not points or points[-1] != point:
            points.append(point)
    return points


def _distance_to_border(x: float, y: float, rings: list[Ring]) -> float:
    """Signed distance from (x, y) to the rings' edges: positive inside."""
    inside = False
    nearest = math.inf
    for ring in rings:
        for (ax, ay), (bx, by) in zip(ring, ring[1:], strict=False):
            if (ay > y) != (by > y) and x < (bx - ax) * (y - ay) / (by - ay) + ax:
                inside = not inside
            dx, dy = bx - ax, by - ay
            t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
            nearest = min(nearest, math.hypot(x - ax - t * dx, y - ay - t * dy))
    return nearest if inside else -nearest


def polylabel(rings: list[Ring], precision: float = 0.0005) -> tuple[float, float]:
    """The point inside the polygon farthest from its border (Mapbox's polylabel: cells split best first).

    Longitudes are shrunk by the cosine of the latitude first, so that distances are in the same
    units both ways.
    """
    squeeze = math.cos(math.radians(sum(lat for ring in rings for _, lat in ring) / sum(len(r) for r in rings)))
    flat = [[(lon * squeeze, lat) for lon, lat in ring] for ring in rings]
    xs = [x for ring in flat for x, _ in ring]
    ys = [y for ring in flat for _, y in ring]
    size = max(max(xs) - min(xs), max(ys) - min(ys)) / 2
    cells: list[tuple[float, float, float, float, float]] = []

    def push(x: float, y: float, half: float) -> None:
        d = _distance_to_border(x, y, flat)
        heapq.heappush(cells, (-(d + half * math.sqrt(2)), d, x, y, half))

    for x in (min(xs) + size, max(xs) - size):
        for y in (min(ys) + size, max(ys) - size):
            push(x, y, size)
    middle_x, middle_y = sum(xs) / len(xs), sum(ys) / len(ys)
    best = (_distance_to_border(middle_x, middle_y, flat), middle_x, middle_y)
    while cells:
        bound, d, x, y, half = heapq.heappop(cells)
        if d > best[0]:
            best = (d, x, y)
        if -bound - best[0] <= precision:
            continue
        half /= 2
        for dx in (-half, half):
            for dy in (-half, half):
                push(x + dx, y + dy, half)
    return round(best[1] / squeeze, 4), round(best[2], 4)


def main(source: Path) -> None:
    features = json.loads(source.read_text(encoding="utf-8"))["features"]
    by_code = {feature["properties"]["iso_3166_2"]: feature["geometry"] for feature in features}
    assert sorted(by_code) == sorted(REGION_CODES), sorted(by_code)
    output = []
    for code in REGION_CODES:
        geometry = by_code[code]
        assert geometry["type"] == "Polygon", (code, geometry["type"])
        rings = [rounded(ring) for ring in geometry["coordinates"]]
        region = BY_CODE[code]
        output.append(
            {
                "type": "Feature",
                "properties": {"code": code, "name_bg": region.name_bg, "name_en": region.name_en},
                "geometry": {"type": "Polygon", "coordinates": rings},
            }
        )
        print(code, polylabel(rings))
    collection = {"type": "FeatureCollection", "features": output}
    # One region a line: small, and a change to one region reads as one line in a diff.
    lines = ",\n".join(json.dumps(feature, ensure_ascii=False, separators=(",", ":")) for feature in output)
    OUTPUT.write_text('{"type":"FeatureCollection","features":[\n' + lines + "\n]}\n", encoding="utf-8")
    assert json.loads(OUTPUT.read_text(encoding="utf-8")) == json.loads(json.dumps(collection))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
