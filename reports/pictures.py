"""The deck's charts as pictures for the files: each built by its `charts.registry` spec and drawn once.

Each picture comes with the numbers behind it, for speaker notes and captions: a reader of
a printed page or a listener at a round table gets the figures, not only the bars.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from charts.images import spec_png, spec_text
from charts.registry import chart_spec
from content.prose import Prose

PICTURE_SCALE = 2  # sharp on a projector and in print


@dataclass(frozen=True)
class Picture:
    """A chart slide's chart: its key, title, the numbers line, and its Vega-Lite spec to draw."""

    key: str
    title: str
    numbers: str  # `Ларго: 5 дейности; Амалипе: 3 дейности`
    spec: str

    @functools.cached_property
    def _png(self) -> bytes:
        return spec_png(self.spec, PICTURE_SCALE)

    def png(self) -> bytes:
        """The picture for a slide or a page; drawn once, whichever files need it."""
        return self._png


def deck_pictures(prose: Prose) -> list[Picture]:
    """A picture for every chart slide of the deck, in the deck's order."""
    deck, pictures = prose.deck, []
    for slide in deck.slides:
        if slide.kind != "chart":
            continue
        spec = chart_spec(slide.chart)
        data = deck.charts[spec.key]
        chart = spec.build(data, prose.chart_text, deck.filters)
        numbers = spec.numbers(data, prose.chart_text, deck.filters)
        pictures.append(
            Picture(
                key=spec.key,
                title=prose.slide_title(slide),
                numbers=prose.numbers_line(numbers, spec.noun),
                spec=spec_text(chart, height=spec.export_height),
            )
        )
    return pictures
