"""The deck's charts as pictures for the files: each built by its `charts.registry` spec and drawn once.

Each picture comes with the numbers behind it, for speaker notes and captions: a reader of
a printed page or a listener at a round table gets the figures, not only the bars.

The pictures are drawn while the files' text is written: a thread of their own hands each
spec to the drawing process (`charts/renderer.py`) and waits, so on two cores the two overlap.
A file waits for a picture only where it places it.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from charts.images import spec_png, spec_text
from charts.registry import chart_spec
from content.prose import Prose

PICTURE_SCALE = 2  # sharp on a projector and in print


@dataclass(frozen=True)
class Picture:
    """A chart slide's chart: its key, title, the numbers line, its Vega-Lite spec, and its drawing."""

    key: str
    title: str
    numbers: str  # `Ларго: 5 дейности; Амалипе: 3 дейности`
    spec: str
    drawing: Future[bytes] = field(compare=False, repr=False)

    def png(self) -> bytes:
        """The picture for a slide or a page; drawn once, whichever files need it."""
        return self.drawing.result()


def deck_pictures(prose: Prose) -> list[Picture]:
    """A picture for every chart slide of the deck, in the deck's order, each already being drawn."""
    deck, pictures = prose.deck, []
    # One drawing at a time: there is one drawing process; the thread ends when the last is drawn.
    drawer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pictures")
    try:
        for slide in deck.slides:
            if slide.kind != "chart":
                continue
            spec = chart_spec(slide.chart)
            data = deck.charts[spec.key]
            chart = spec.build(data, prose.chart_text, deck.filters)
            numbers = spec.numbers(data, prose.chart_text, deck.filters)
            text = spec_text(chart, height=spec.export_height)
            pictures.append(
                Picture(
                    key=spec.key,
                    title=prose.slide_title(slide),
                    numbers=prose.numbers_line(numbers, spec.noun),
                    spec=text,
                    drawing=drawer.submit(spec_png, text, PICTURE_SCALE),
                )
            )
    finally:
        drawer.shutdown(wait=False)
    return pictures
