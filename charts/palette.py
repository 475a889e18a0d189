"""The colour and the shape of each activity type, the same in every chart, picture and document.

Charts are shown on projectors and printed in black and white, so colour alone must not carry
the type. The colours run from dark to light: each type has its own grey, about 6 units of
CIE L* apart (5.9 at the closest) and as far apart in the luma a greyscale printout uses
(tests/test_palette.py measures both), and the hues stay apart for the common colour-vision
deficiencies. Charts stack and list the types in this order, so that a greyscale bar reads from
dark at its axis to light at its end, like its legend. On the timeline each type also has its
own shape.
"""

from __future__ import annotations

from collections.abc import Iterable

# code: (colour, shape), darkest first. Shapes are Vega symbols or SVG paths in a -1..1 square.
STAR = (
    "M0,-1L0.265,-0.364L0.951,-0.309L0.428,0.139L0.588,0.809"
    "L0,0.45L-0.588,0.809L-0.428,0.139L-0.951,-0.309L-0.265,-0.364Z"
)
HEXAGON = "M0.823,0.475L0,0.95L-0.823,0.475L-0.823,-0.475L0,-0.95L0.823,-0.475Z"
SALTIRE = "M-1,-0.6L-0.6,-1L0,-0.4L0.6,-1L1,-0.6L0.4,0L1,0.6L0.6,1L0,0.4L-0.6,1L-1,0.6L-0.4,0Z"
TYPE_STYLES: dict[str, tuple[str, str]] = {
    "round_table": ("#1A3C6C", "circle"),  # navy
    "donation": ("#7B3717", "cross"),  # brown
    "project": ("#8D3586", "diamond"),  # plum
    "training": ("#2E8C72", "square"),  # bluish green
    "campaign": ("#ED5E3A", "triangle-right"),  # vermilion
    "meeting": ("#4EABD2", HEXAGON),  # sky blue
    "other": ("#B2B2B2", "triangle-down"),  # grey
    "celebration": ("#F8B769", STAR),  # light orange
    "competition": ("#EDE143", "triangle-up"),  # yellow
}
TYPE_COLORS = {code: color for code, (color, _shape) in TYPE_STYLES.items()}
TYPE_SHAPES = {code: shape for code, (_color, shape) in TYPE_STYLES.items()}
# A type added to the vocabulary later, until it gets its own style: before all the others, darker
# than any of them (there is no lighter grey left that shows on paper), with a shape of its own.
FALLBACK_COLOR = "#111111"
FALLBACK_SHAPE = SALTIRE
# Participants and pupils: dark and light, so that the pair reads in greyscale too.
PARTICIPANT_COLORS = ("#1A3C6C", "#F8B769")


def in_palette_order(codes: Iterable[str]) -> list[str]:
    """`codes` darkest first; codes without a style of their own (the darkest) keep their order, first."""
    rank = {code: number for number, code in enumerate(TYPE_STYLES)}
    listed = list(dict.fromkeys(codes))
    return sorted(listed, key=lambda code: (rank.get(code, -1), listed.index(code)))
