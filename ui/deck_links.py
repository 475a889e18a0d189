"""The presentation's link: the slide and the presenter's choices as URL parameters, parsed safely.

Pure functions; `ui.presenter` reads and writes the URL with them. The link of a prepared
presentation holds, besides the shared filters, `slide=3` (1-based),
`slides=title,figures,partners,timeline,charts`, `order=amalipe,largo` and `auto=30`;
`view=projector` shows the slides alone, for the room.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from content.model import SLIDE_KINDS, DeckChoices
from ui.url_values import whole_number

SLIDE_PARAM = "slide"
KINDS_PARAM = "slides"
ORDER_PARAM = "order"
AUTO_PARAM = "auto"
VIEW_PARAM = "view"
PROJECTOR_VIEW = "projector"
MIN_AUTO_SECONDS = 5
MAX_AUTO_SECONDS = 3600


def split_values(values: Iterable[str]) -> list[str]:
    """`["title,figures", "charts"]` (a list or repeated parameters) to `["title", "figures", "charts"]`."""
    items = (item.strip() for value in values for item in value.split(","))
    return list(dict.fromkeys(item for item in items if item))


MAX_DIGITS = 6  # more slides or seconds than anyone means: junk, not a number to convert


def parse_slide_number(value: str | None) -> int | None:
    """`"3"` to 3; anything that is not a whole number to None."""
    return whole_number(value, max_digits=MAX_DIGITS)


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
    seconds = whole_number(value, max_digits=MAX_DIGITS)
    if not seconds:
        return 0
    return min(max(seconds, MIN_AUTO_SECONDS), MAX_AUTO_SECONDS)


def choice_params(choices: DeckChoices) -> dict[str, str | None]:
    """The URL parameters for the choices; None for one at its default, which the URL leaves out."""
    return {
        KINDS_PARAM: None if choices.kinds == SLIDE_KINDS else ",".join(choices.kinds),
        ORDER_PARAM: ",".join(choices.partner_order) or None,
        AUTO_PARAM: str(choices.auto_seconds) if choices.auto_seconds else None,
    }


def is_projector_view(value: str | None) -> bool:
    """`view=projector` (any case, spaces around ignored); anything else is the ordinary page."""
    return (value or "").strip().lower() == PROJECTOR_VIEW
