"""The activity types stay apart on a projector, on a black-and-white printout and for colour-blind readers.

Colours are measured, not judged by eye: CIE L* (how light a colour looks), the Rec. 601 luma
that office programs and printer drivers use for greyscale, and CIE76 distances after the
colour-vision simulation of Machado, Oliveira and Fernandes (2009, severity 1).
"""

import io
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from charts import builders as charts
from charts import palette
from charts.images import chart_png
from i18n import translator

SRGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
WHITE = np.array([0.95047, 1.0, 1.08883])
SIMULATIONS = {
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "tritanopia": np.array(
        [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]
    ),
}
GREY_STEP = 5.5  # L* units (and luma / 2.55) between any two types; 9 greys fit in 25..88 about 7 apart


def rgb(color: str) -> np.ndarray:
    return np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)


def linear(values: np.ndarray) -> np.ndarray:
    c = values / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab_of_linear(lin: np.ndarray) -> np.ndarray:
    xyz = SRGB_TO_XYZ @ np.clip(lin, 0, 1) / WHITE
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def lightness(color: str) -> float:
    return float(lab_of_linear(linear(rgb(color)))[0])


def luma(color: str) -> float:
    r, g, b = rgb(color)
    return 0.299 * r + 0.587 * g + 0.114 * b


def test_the_types_run_from_dark_to_light_each_with_its_own_grey() -> None:
    colors = list(palette.TYPE_COLORS.values())
    for measure, scale in ((lightness, 1.0), (luma, 2.55)):
        values = [measure(c) / scale for c in colors]
        assert values == sorted(values), f"{measure.__name__} does not grow along the palette"
        assert min(b - a for a, b in zip(values, values[1:], strict=False)) >= GREY_STEP, measure.__name__
    assert lightness(colors[-1]) <= 90  # the lightest still shows on white paper


@pytest.mark.parametrize("deficiency", ["normal", *SIMULATIONS])
def test_the_types_stay_apart_for_colour_blind_readers(deficiency: str) -> None:
    def seen(color: str) -> np.ndarray:
        lin = linear(rgb(color))
        return lab_of_linear(lin if deficiency == "normal" else SIMULATIONS[deficiency] @ lin)

    distances = {
        (a, b): float(np.linalg.norm(seen(palette.TYPE_COLORS[a]) - seen(palette.TYPE_COLORS[b])))
        for a, b in combinations(palette.TYPE_COLORS, 2)
    }
    closest = min(distances, key=distances.__getitem__)
    assert distances[closest] >= 8, f"{closest} look alike ({distances[closest]:.1f})"


def test_every_type_has_its_own_shape_and_parts_of_a_pair_read_in_grey() -> None:
    assert len(set(palette.TYPE_SHAPES.values())) == len(palette.TYPE_SHAPES)
    dark, light = palette.PARTICIPANT_COLORS
    assert lightness(light) - lightness(dark) >= 40


def test_unknown_types_come_before_the_styled_ones_in_their_own_order() -> None:
    assert palette.in_palette_order(["new_b", "competition", "new_a", "round_table"]) == [
        "new_b",
        "new_a",
        "round_table",
        "competition",
    ]


def test_a_type_without_a_style_of_its_own_is_told_apart_from_every_styled_one() -> None:
    darkest = min(lightness(color) for color in palette.TYPE_COLORS.values())
    assert darkest - lightness(palette.FALLBACK_COLOR) >= GREY_STEP
    assert palette.FALLBACK_SHAPE not in palette.TYPE_SHAPES.values()


def test_a_bar_of_every_type_printed_in_greyscale_shows_each_type_lighter_than_the_last() -> None:
    """The organization chart as the report prints it, in grey: one bar, a segment per type."""
    names = {code: code.replace("_", " ") for code in reversed(list(palette.TYPE_COLORS))}
    rows = pd.DataFrame(
        [(1, "largo", "Ларго", "Ларго", code, 1, 0, 0) for code in names],
        columns=["organization_id", "slug", "short_name", "name", "type_code", "activities", "participants", "pupils"],
    )
    chart = charts.organization_chart(rows, charts.ChartText(translator("bg"), "bg", names))
    grey = np.asarray(Image.open(io.BytesIO(chart_png(chart, scale=1, height=40))).convert("L"), dtype=float)
    # The row of the picture that is most filled is the bar: runs of one grey, parted by white edges.
    line = grey[(grey < 245).sum(axis=1).argmax()]
    segments: list[float] = []
    run: list[float] = []
    for value in line:
        if value < 250 and (not run or abs(value - run[-1]) < 3):
            run.append(value)
            continue
        if len(run) > 20:
            segments.append(float(np.median(run)))
        run = [value] if value < 250 else []
    assert len(segments) == len(names)
    assert all(b - a >= 10 for a, b in zip(segments, segments[1:], strict=False)), segments
