"""The deck model: what a round table is shown, as facts (dates, numbers, codes, the records' own text).

One `Deck` is built for a filter set (`content.gather.gather_deck`) and drawn by every
renderer: the Presentation page (`ui.slide_views`), the PowerPoint file (`reports.pptx`)
and, with the report's extras (`Report`), the Word and PDF reports. Words come later, from
`content.prose`, in the renderer's language.

What a partner filter means, for every part alike: the period's activities in which a chosen
partner took part; the figures count the chosen partners that took part (`partners`), the
charts show their bars (the timeline also gives a lane to whoever else took part in those
activities: with whom is what it shows), the title slide names them, each gets a slide. The presenter's own
choice of partners (`DeckChoices.partner_order`) only picks which partner slides are shown and
in what order: the title slide and the figures still describe the whole selection.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from db.filters import ActivityFilters

# What a presenter chooses from, in the order a deck always follows. The story of the year (its most
# important activities, one a slide) comes last, after the charts; `STORY_KINDS` is the story mode.
SLIDE_KINDS = ("title", "figures", "partners", "timeline", "charts", "outcomes", "story")
STORY_KINDS = ("title", "timeline", "story")
FIGURE_KEYS = ("activities", "partners", "participants", "pupils")
PARTNER_FIGURE_KEYS = ("activities", "participants", "pupils")

# How many of a partner's activities each rendering lists, whatever the size of the year: the rest
# are counted ("… и още 1 234 дейности") and the full list is in the Excel export.
SLIDE_ACTIVITIES = 6  # a partner's slide: the newest few, what fits beside its figures on a projector
REPORT_ACTIVITIES = 10  # a partner's section of the report: the ten largest, what a director reads through
TABLE_ACTIVITIES = 500  # the report's table of all activities: as many as the Activities screen lists
STORY_ACTIVITIES = 12  # the story's slides: a year's highlights, told in a quarter of an hour
CHART_PARTNERS = 25  # bars of the deck's chart by partner: more are unreadable on a slide or a page


@dataclass(frozen=True)
class ActivityRow:
    """One activity as a slide or a report lists it."""

    start_date: date
    end_date: date | None
    title: str
    type_code: str
    status: str  # held or planned; cancelled ones are left out
    partners: str  # short names: `Амалипе, Ларго`
    participants: int | None
    pupils: int | None
    link: str  # the news post, or ""


@dataclass(frozen=True)
class StoryPhoto:
    """A photo of a story's activity that its consent lets the public see (db.attachments), re-encoded."""

    image: bytes  # JPEG, EXIF-free
    caption: str
    credit: str


@dataclass(frozen=True)
class StoryItem:
    """One activity of the story: a slide of its own, with what it was, who took part and its numbers."""

    activity_id: int
    row: ActivityRow
    location: str
    description: str  # one paragraph, capped (content.prose)
    highlight: bool  # starred by an editor
    photo: StoryPhoto | None = None


@dataclass(frozen=True)
class Listing:
    """Some of a partner's activities, and how many more there are (those are in the Excel export)."""

    rows: tuple[ActivityRow, ...]  # oldest first
    more: int


@dataclass(frozen=True)
class HeadlineFigures:
    """Figures of the period, and those of the previous school year where there is one."""

    current: dict[str, int]  # activities, partners, participants, pupils (held activities)
    previous: dict[str, int] | None
    previous_year: int | None
    to_date: bool  # the year is in progress: the previous one is cut at the same day
    cutoff: date | None  # that day a year ago, when to_date


@dataclass(frozen=True)
class OutcomeFigure:
    """One of the school's outcomes for the deck's year (db/indicators.py), as a viewer may see it.

    Masked already (db.privacy): a count of people below the threshold has `hidden` set and no value,
    and then no previous value either (the change would give it away). Every renderer shows these.
    """

    key: str  # the indicator's key
    value: float | None
    hidden: bool
    target: float | None
    previous: float | None  # the year before's, where there is one and neither is hidden


@dataclass(frozen=True)
class PartnerSection:
    """A partner with held activities in the period: who it is, its figures, what we did together lately."""

    organization_id: int
    slug: str
    name: str
    short_name: str
    kind_code: str
    mission: str  # one paragraph
    figures: HeadlineFigures  # of the activities with this partner
    latest: tuple[ActivityRow, ...]  # the newest SLIDE_ACTIVITIES, held or planned, oldest first
    earlier: int  # how many held or planned ones came before those


@dataclass(frozen=True)
class Period:
    """The school year of a deck (None for all years), and the span of the years on record."""

    school_year: int | None
    first_year: int | None
    last_year: int | None


@dataclass(frozen=True)
class DeckChoices:
    """The presenter's choices: which kinds of slides, the partners in their order (empty: all), auto-advance."""

    kinds: tuple[str, ...] = SLIDE_KINDS
    partner_order: tuple[str, ...] = ()
    auto_seconds: int = 0


@dataclass(frozen=True)
class Slide:
    """One slide: its kind (title, figures, partner, chart) and, for a partner or a chart, which one."""

    kind: str
    partner: str = ""  # the partner's slug
    chart: str = ""  # the chart's key in charts.registry
    activity: int = 0  # a story slide's activity id

    @property
    def key(self) -> str:
        """What names the slide in a deck: `figures`, `partner:amalipe`, `by_month`, `story:1234`."""
        if self.partner:
            return f"partner:{self.partner}"
        if self.activity:
            return f"story:{self.activity}"
        return self.chart or self.kind


@dataclass(frozen=True)
class Deck:
    """Everything the slides show, computed once for a filter set."""

    filters: ActivityFilters
    period: Period
    prepared_on: date
    figures: HeadlineFigures
    sections: tuple[PartnerSection, ...]  # every partner with held activities, most active first
    charts: Mapping[str, Any]  # chart key -> its data (`ChartSpec.load`), for the deck's charts
    events: int  # held or planned activities on the timeline, all of them
    slides: tuple[Slide, ...]
    type_names: dict[str, dict[str, str]]  # lang -> code -> name, in display order
    kind_names: dict[str, dict[str, str]]
    # Whose work it is: the school's name, the chosen schools' short names, or none for a whole network of
    # `school_count` schools (prose says which). `network`: several schools are counted, so the network's
    # charts have slides.
    school_names: tuple[str, ...] = ()
    school_count: int = 1
    network: bool = False
    # The period's most important held activities, in time order (content.gather.story_items).
    story: tuple[StoryItem, ...] = ()
    # The schools' outcomes (migration 0012) of the deck's school year, or of the newest year with any
    # over all years (`outcomes_year`); empty without outcomes, and then no outcomes slide.
    outcomes: tuple[OutcomeFigure, ...] = ()
    outcomes_year: int | None = None

    @property
    def school_year(self) -> int | None:
        return self.period.school_year

    @property
    def partners(self) -> tuple[str, ...]:
        """Short names of the partners with held activities, most active first: what the title slide names."""
        return tuple(section.short_name for section in self.sections)

    def section(self, slug: str) -> PartnerSection | None:
        return next((s for s in self.sections if s.slug == slug), None)

    def story_item(self, activity_id: int) -> StoryItem | None:
        return next((item for item in self.story if item.activity_id == activity_id), None)


@dataclass(frozen=True)
class Report:
    """A deck with what only the report holds: the table of all activities and each partner's largest ones."""

    deck: Deck
    activities: tuple[ActivityRow, ...]  # held and planned, oldest first: the first TABLE_ACTIVITIES
    activities_total: int  # held and planned in the period, listed or not
    # slug -> its REPORT_ACTIVITIES held ones with the most participants (oldest first), and how many more
    partner_activities: Mapping[str, Listing]

    @property
    def activities_cut(self) -> bool:
        """The table shows only the first activities of the period."""
        return self.activities_total > len(self.activities)
