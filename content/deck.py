"""Which slides a deck holds and in what order, and moving through them: pure functions over the model."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import pandas as pd

from charts.registry import chart_spec, deck_charts
from content.model import Deck, DeckChoices, Slide


def build_slides(
    *,
    figures: Mapping[str, int],
    partners: Sequence[str],
    events: int,
    choices: DeckChoices,
    network: bool = False,
    story: Sequence[int] = (),
    empty_charts: frozenset[str] = frozenset(),
    outcomes: bool = False,
) -> list[Slide]:
    """The slides for a period.

    `figures` are the period's headline figures (held activities), `partners` the slugs of the
    partners with held activities in it, most active first, and `events` how many activities,
    held or planned, the timeline would show. A period with nothing in it keeps its title and
    figures, which say so (a file must say it; the Presentation page says it instead of a deck);
    a partner with nothing in the period has no slide; without held activities there are no
    charts but the timeline (charts.registry decides which chart needs what). `empty_charts` are
    the keys of charts with nothing to draw though activities were held (no two partners shared one).
    `story` holds the ids of the story's activities in time order: a slide each, last.
    """
    held = figures.get("activities", 0)
    slides: list[Slide] = []
    if "title" in choices.kinds:
        slides.append(Slide("title"))
    if "figures" in choices.kinds:
        slides.append(Slide("figures"))
    if "partners" in choices.kinds:
        slides.extend(Slide("partner", slug) for slug in deck_partners(partners, choices.partner_order))
    for spec in deck_charts(network=network):
        if spec.key in empty_charts:
            continue
        if spec.deck_kind in choices.kinds and (events if spec.needs_events else held) > 0:
            slides.append(Slide("chart", chart=spec.key))
    # What the year's work went with, after the work itself (`outcomes`: the deck has any).
    if "outcomes" in choices.kinds and outcomes:
        slides.append(Slide("outcomes"))
    if "story" in choices.kinds:
        slides.extend(Slide("story", activity=activity_id) for activity_id in story)
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


def with_choices(deck: Deck, choices: DeckChoices) -> Deck:
    """The same deck with the slides the presenter chose: the figures, charts and title stay those of the filters."""
    slides = build_slides(
        figures=deck.figures.current,
        partners=[s.slug for s in deck.sections],
        events=deck.events,
        choices=choices,
        network=deck.network,
        story=[item.activity_id for item in deck.story],
        empty_charts=empty_charts(deck.charts),
        outcomes=bool(deck.outcomes),
    )
    return replace(deck, slides=tuple(slides))


def empty_charts(charts: Mapping[str, Any]) -> frozenset[str]:
    """The keys of the deck's charts whose data has nothing to draw."""
    return frozenset(key for key, data in charts.items() if chart_spec(key).is_empty(data))
