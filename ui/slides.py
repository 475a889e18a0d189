"""The presentation: which slides a deck holds and in what order, and how its link describes it.

Everything here is pure: `pages/presentation.py` reads the records and the URL, asks
`build_slides` for the deck and draws only the current slide. The link of a prepared
presentation holds, besides the shared filters, `slide=3` (1-based),
`slides=title,figures,partners,timeline,charts`, `order=amalipe,largo` and `auto=30`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt
import pandas as pd

from i18n.formatting import format_number

# What a presenter chooses from, in the order a deck always follows.
SLIDE_KINDS = ("title", "figures", "partners", "timeline", "charts")
# "charts" stands for these slides, one chart each: large enough to read across a room.
CHART_SLIDES = ("organizations", "months", "school_years")

SLIDE_PARAM = "slide"
KINDS_PARAM = "slides"
ORDER_PARAM = "order"
AUTO_PARAM = "auto"
MIN_AUTO_SECONDS = 5
MAX_AUTO_SECONDS = 3600


@dataclass(frozen=True)
class Slide:
    """One slide: its kind, and the partner's slug on a partner's slide.

    Kinds: title, figures, partner, timeline, and the chart slides of CHART_SLIDES.
    """

    kind: str
    partner: str = ""

    @property
    def key(self) -> str:
        """What names the slide in a deck: `figures`, `partner:amalipe`."""
        return f"partner:{self.partner}" if self.partner else self.kind


@dataclass(frozen=True)
class DeckChoices:
    """The presenter's choices: which kinds of slides, the partners in their order (empty: all), auto-advance."""

    kinds: tuple[str, ...] = SLIDE_KINDS
    partner_order: tuple[str, ...] = ()
    auto_seconds: int = 0


def build_slides(
    *, figures: Mapping[str, int], partners: Sequence[str], events: int, choices: DeckChoices
) -> list[Slide]:
    """The deck for a period.

    `figures` are the period's headline figures (held activities), `partners` the slugs of the
    partners with held activities in it, most active first, and `events` how many activities,
    held or planned, the timeline would show. A period with nothing in it has no deck; a partner
    with nothing in the period has no slide; without held activities there are no charts.
    """
    held = figures.get("activities", 0)
    if held == 0 and events == 0:
        return []
    slides: list[Slide] = []
    if "title" in choices.kinds:
        slides.append(Slide("title"))
    if "figures" in choices.kinds:
        slides.append(Slide("figures"))
    if "partners" in choices.kinds:
        slides.extend(Slide("partner", slug) for slug in deck_partners(partners, choices.partner_order))
    if "timeline" in choices.kinds and events > 0:
        slides.append(Slide("timeline"))
    if "charts" in choices.kinds and held > 0:
        slides.extend(Slide(kind) for kind in CHART_SLIDES)
    return slides


def deck_partners(partners: Sequence[str], chosen: Sequence[str]) -> list[str]:
    """The partners that get a slide, in order: the chosen ones that have activities, or all of them."""
    if not chosen:
        return list(partners)
    present = set(partners)
    return [slug for slug in dict.fromkeys(chosen) if slug in present]


def active_partners(by_organization: pd.DataFrame) -> dict[str, str]:
    """slug -> short name of each partner in `activities_by_organization`, most activities first, then by name."""
    if by_organization.empty:
        return {}
    totals = by_organization.groupby(["slug", "short_name"], as_index=False)["activities"].sum()
    totals = totals.sort_values(["activities", "short_name"], ascending=[False, True], kind="stable")
    return dict(zip(totals["slug"], totals["short_name"], strict=True))


# --- moving through the deck ---------------------------------------------------------------------


def current_index(slides: Sequence[Slide], requested: int | None, remembered: tuple[int, str] | None) -> int:
    """The 0-based index of the slide to show.

    `requested` is the URL's 1-based number (None when missing or junk), clamped to the deck.
    `remembered` is (number, key) of the slide shown last in this session: when the URL still
    holds that number but the deck has changed under it (a slide kind or a partner was added or
    removed, the year changed), the same slide stays on the screen if it is still in the deck.
    """
    if not slides:
        return 0
    number = 1 if requested is None else requested
    if remembered is not None and remembered[0] == number:
        keys = [slide.key for slide in slides]
        if remembered[1] in keys:
            return keys.index(remembered[1])
    return min(max(number, 1), len(slides)) - 1


def next_number(number: int, count: int) -> int:
    """The 1-based number after `number`; after the last slide comes the first (for an unattended screen)."""
    return 1 if count == 0 or number >= count else number + 1


# --- the URL -------------------------------------------------------------------------------------


def split_values(values: Iterable[str]) -> list[str]:
    """`["title,figures", "charts"]` (a list or repeated parameters) to `["title", "figures", "charts"]`."""
    items = (item.strip() for value in values for item in value.split(","))
    return list(dict.fromkeys(item for item in items if item))


def parse_slide_number(value: str | None) -> int | None:
    """`"3"` to 3; anything that is not a whole number to None."""
    text = (value or "").strip()
    return int(text) if text.isdigit() else None


def parse_kinds(values: Sequence[str] | None) -> tuple[str, ...]:
    """The kinds a `slides=` parameter names, in deck order.

    No parameter, or nothing recognisable in it: every kind. An empty parameter (`slides=`)
    is the presenter's own empty choice and stays empty.
    """
    if not values:
        return SLIDE_KINDS
    named = set(split_values(values))
    if not named:
        return ()
    kinds = tuple(kind for kind in SLIDE_KINDS if kind in named)
    return kinds or SLIDE_KINDS


def parse_order(values: Sequence[str] | None, known: Collection[str]) -> tuple[str, ...]:
    """The partner slugs of an `order=` parameter that are in `known`, in the given order, once each."""
    return tuple(slug for slug in split_values(values or ()) if slug in known)


def parse_auto_seconds(value: str | int | None) -> int:
    """Seconds between slides: 0 (off) for junk or zero, else held between MIN_ and MAX_AUTO_SECONDS."""
    text = str(value if value is not None else "").strip()
    if not text.isdigit() or int(text) == 0:
        return 0
    return min(max(int(text), MIN_AUTO_SECONDS), MAX_AUTO_SECONDS)


def choice_params(choices: DeckChoices) -> dict[str, str | None]:
    """The URL parameters for the choices; None for one at its default, which the URL leaves out."""
    return {
        KINDS_PARAM: None if choices.kinds == SLIDE_KINDS else ",".join(choices.kinds),
        ORDER_PARAM: ",".join(choices.partner_order) or None,
        AUTO_PARAM: str(choices.auto_seconds) if choices.auto_seconds else None,
    }


# --- what a slide says ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A figure's change against the previous year: an arrow that reads in greyscale too, the signed number."""

    arrow: str
    text: str
    direction: str  # up, down or same


def change(current: int, previous: int, lang: str) -> Change:
    """`▲ +3`, `▼ −2` or `= 0`."""
    difference = current - previous
    if difference > 0:
        return Change("▲", f"+{format_number(difference, lang)}", "up")
    if difference < 0:
        return Change("▼", f"−{format_number(-difference, lang)}", "down")
    return Change("=", format_number(0, lang), "same")


MISSION_CHARACTERS = 600


def one_paragraph(text: str | None, limit: int = MISSION_CHARACTERS) -> str:
    """`text` as one paragraph of at most about `limit` characters, cut after a word with `…`."""
    words = " ".join((text or "").split())
    if len(words) <= limit:
        return words
    cut = words[: limit + 1].rsplit(" ", 1)[0] if " " in words[:limit] else words[:limit]
    return cut.rstrip(" ,;:–-") + "…"


# --- charts for a projector ----------------------------------------------------------------------

PROJECTOR_FONT_SIZE = 20
PROJECTOR_TEXT_COLOR = "#1A1A1A"
PROJECTOR_HEIGHT_SCALE = 1.7
# What a 1080-pixel screen has left for the plot under the slide's heading, the axis and the legend.
PROJECTOR_PLOT_HEIGHT = 480


def projected(chart: Any, *, rows: int | None = None) -> Any:
    """A chart of `ui.charts` readable across a room: larger and darker axis and legend text, a taller plot.

    A chart sized per row (`alt.Step`) with its number of `rows` gets a fixed height instead, at
    most PROJECTOR_PLOT_HEIGHT: with a `yOffset` (the timeline's slots), Vega-Lite gives the step
    to every slot rather than to every row, and the chart would run far below the screen.
    """
    text = {"labelFontSize": PROJECTOR_FONT_SIZE, "titleFontSize": PROJECTOR_FONT_SIZE}
    colors = {"labelColor": PROJECTOR_TEXT_COLOR, "titleColor": PROJECTOR_TEXT_COLOR}
    bigger = chart.configure_axis(**text, **colors).configure_legend(
        **text, **colors, symbolSize=PROJECTOR_FONT_SIZE * 12, labelLimit=400
    )
    height = chart.height
    if isinstance(height, alt.Step) and rows:
        return bigger.properties(height=min(round(height.step * PROJECTOR_HEIGHT_SCALE * rows), PROJECTOR_PLOT_HEIGHT))
    if isinstance(height, alt.Step):
        return bigger.properties(height=alt.Step(round(height.step * PROJECTOR_HEIGHT_SCALE)))
    if isinstance(height, int | float):
        return bigger.properties(height=min(round(height * PROJECTOR_HEIGHT_SCALE), PROJECTOR_PLOT_HEIGHT))
    return bigger
