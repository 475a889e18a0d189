"""The words of a deck in one language: slide titles, figure tiles, sentences and table cells.

Every renderer (the Presentation page, the PowerPoint deck, the Word and PDF reports) takes
its words from here, so that a slide is called the same and a change is written the same
everywhere. Dates in prose are long (`8 април 2014 г.`), dates in tables short (`08.04.2014`).
Text from the database comes back as it is: a renderer that reads Markdown escapes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from charts.builders import ChartText
from charts.registry import TIMELINE_LIMIT, Timeline, chart_spec
from content.model import (
    FIGURE_KEYS,
    PARTNER_FIGURE_KEYS,
    REPORT_ACTIVITIES,
    ActivityRow,
    Deck,
    HeadlineFigures,
    Listing,
    PartnerSection,
    Slide,
    StoryItem,
)
from db.indicators import Unit, indicator, indicators
from db.privacy import CHILD_FIGURES, small_number_threshold
from db.school_year import school_year_bounds, school_year_label
from i18n import Translator, count, translator
from i18n.formatting import (
    Change,
    change,
    format_count,
    format_date,
    format_date_long,
    format_decimal_figure,
    format_number,
    format_period,
    hides,
)

SLIDE_TITLE_CHARACTERS = 160  # an activity's title in a slide's list
MISSION_CHARACTERS = 600  # a mission on a slide: what fits beside the figures
STORY_TITLE_CHARACTERS = 90  # a story slide's title: two lines at the projector's size
STORY_CHARACTERS = 520  # a story slide's description: what fits beside its photo
# Every activity, in the whole database's workbook (its activities sheet); run in the app's folder.
FULL_LIST_COMMAND = "python -m db export activities.xlsx"


def one_paragraph(text: str | None, limit: int = MISSION_CHARACTERS) -> str:
    """`text` as one paragraph of at most about `limit` characters, cut after a word with `…`."""
    words = " ".join((text or "").split())
    if len(words) <= limit:
        return words
    cut = words[: limit + 1].rsplit(" ", 1)[0] if " " in words[:limit] else words[:limit]
    return cut.rstrip(" ,;:–-") + "…"


def outcome_text(t: Translator, lang: str, key: str, value: float | None, hidden: bool) -> str:
    """An outcome as every view writes it: `204`, `91 %`, `7,5`, or `< 5` for a count hidden from viewers."""
    if hidden:
        return format_count(1, lang)  # any count below the threshold reads the same: „< 5“
    if value is None or value != value:
        return ""
    item = indicator(key)
    if item.counts_people:
        return format_number(value, lang)
    if item.unit is Unit.PERCENT:
        return t("outcomes.percent", value=format_decimal_figure(value, lang))
    return format_decimal_figure(value, lang)


def outcome_change(lang: str, key: str, now: float | None, before: float | None) -> tuple[str, bool | None]:
    """`▲ +3`, `▼ −1,5` or `= 0`, and whether it reads as good (None: no change, or nothing to compare)."""
    if now is None or before is None or now != now or before != before:
        return "", None
    difference = round(float(now) - float(before), 2)
    if difference == 0:
        return f"= {format_decimal_figure(0, lang)}", None
    arrow, sign = ("▲", "+") if difference > 0 else ("▼", "\u2212")
    return f"{arrow} {sign}{format_decimal_figure(abs(difference), lang)}", (difference > 0) == (
        indicator(key).higher_is_better
    )


@dataclass(frozen=True)
class OutcomeRow:
    """An outcome as a table row on a slide or in a report: its name, value, target, change and unit."""

    key: str
    label: str
    value: str
    target: str
    change: str
    unit: str

    @property
    def with_unit(self) -> str:
        """`186 ученици`, `7,5 средно на ученик`; a percent carries its sign already (`90,4 %`)."""
        return self.value if "%" in self.value or not self.value else f"{self.value} {self.unit}"


@dataclass(frozen=True)
class FigureRow:
    """A headline figure as a table row or a tile: label, value, the previous year's value and the change."""

    key: str
    label: str
    value: str
    previous: str  # "" without a comparison
    change: Change | None

    @property
    def change_text(self) -> str:
        """`+3`, `−2` or `0`; "" without a comparison."""
        return self.change.text if self.change is not None else ""


class Prose:
    """The words of one deck in one language."""

    def __init__(self, deck: Deck, lang: str) -> None:
        self.deck = deck
        self.lang = lang
        self.t: Translator = translator(lang)
        self.chart_text = ChartText(self.t, lang, deck.type_names[lang])

    def number(self, value: int) -> str:
        return format_number(value, self.lang)

    def count(self, noun: str, n: int) -> str:
        return count(self.t, noun, n, self.lang)

    # ---- the period ----------------------------------------------------------------------

    def title(self) -> str:
        """The report's title: `Годишен отчет за партньорствата` for a school year."""
        return self.t("report.title_year" if self.deck.school_year is not None else "report.title_all")

    def school(self) -> str:
        """Whose work the deck shows: the school, the chosen schools, or the network and how many schools."""
        names = self.deck.school_names
        if len(names) == 1:
            return names[0]
        if names:
            return self.t("network.chosen_schools", names=", ".join(names))
        return self.t("network.whole", schools=self.count("schools", self.deck.school_count))

    def period(self) -> str:
        """`Учебна 2023/2024 година (15.09.2023 – 30.06.2024)`, or all years with their span."""
        period = self.deck.period
        if period.school_year is not None:
            first, last = school_year_bounds(period.school_year)
            return self.t(
                "period.school_year",
                year=school_year_label(period.school_year),
                first=format_date(first, self.lang),
                last=format_date(last, self.lang),
            )
        if period.first_year is None or period.last_year is None:
            return self.t("report.period_none")
        return self.t(
            "report.period_all", first=school_year_label(period.first_year), last=school_year_label(period.last_year)
        )

    def year_column(self) -> str:
        """The figures table's column for the period: `2023/2024`, or `2013/2014 – 2026/2027` for all years."""
        period = self.deck.period
        if period.school_year is not None:
            return school_year_label(period.school_year)
        if period.first_year is None or period.last_year is None:
            return self.period()
        return f"{school_year_label(period.first_year)} – {school_year_label(period.last_year)}"

    def long_date(self, day: date) -> str:
        """`8 април 2014 г.`"""
        return format_date_long(day, self.lang)

    def prepared_on(self) -> str:
        return self.t("report.prepared_on", date=self.long_date(self.deck.prepared_on))

    # ---- slides ----------------------------------------------------------------------------

    def slide_title(self, slide: Slide) -> str:
        """The title a slide has in every rendering."""
        if slide.kind == "title":
            return self.t("app.title")
        if slide.kind == "figures":
            return self.t("slides.figures.title")
        if slide.kind == "partner":
            section = self.deck.section(slide.partner)
            return section.short_name if section else slide.partner
        if slide.kind == "story":
            item = self.deck.story_item(slide.activity)
            return one_paragraph(item.row.title, STORY_TITLE_CHARACTERS) if item else ""
        if slide.kind == "outcomes":
            return self.t("outcomes.overview_heading", year=school_year_label(self.deck.outcomes_year or 0))
        return self.t(chart_spec(slide.chart).title_key(self.deck.filters))

    def chart_subtitle(self, key: str) -> str:
        """Under a chart's title: what it covers (the period, or its own note)."""
        note = chart_spec(key).note
        return self.t(note) if note else self.period()

    def partners_label(self) -> str:
        """`С участието на`, before the names of the partners on the title slide."""
        return self.t("slides.title.partners")

    def types_line(self) -> str:
        """`Видове дейности: обучение, проект` when the filters choose types; else ""."""
        codes = self.deck.filters.type_codes
        if not codes:
            return ""
        names = self.deck.type_names[self.lang]
        return f"{self.t('slides.title.types')}: " + ", ".join(names.get(code, code) for code in codes)

    def comparison_note(self) -> str:
        """What the figures slide's changes compare with."""
        figures, year = self.deck.figures, self.deck.school_year
        if year is None:
            return self.t("slides.figures.all_years")
        if figures.to_date and figures.cutoff is not None:
            day = format_date(figures.cutoff, self.lang)
            return self.t("slides.figures.compared_to_date", year=school_year_label(year - 1), day=day)
        return self.t("slides.figures.compared", year=school_year_label(year - 1))

    def against(self) -> str:
        """`спрямо 2022/2023`, after a change."""
        return self.t("slides.figures.previous", year=self.previous_year())

    def partner_subtitle(self, section: PartnerSection) -> str:
        """The full name, where it differs from the short one the slide is titled with; else ""."""
        return one_paragraph(section.name) if section.name != section.short_name else ""

    def slide_mission(self, section: PartnerSection) -> str:
        """The mission as one paragraph short enough for a slide; "" when it is not described."""
        return one_paragraph(section.mission)

    def partner_earlier(self, section: PartnerSection) -> str:
        """`… и още 12 по-ранни` above the latest activities, when there were more; else ""."""
        return self.t("slides.partner.earlier", count=self.number(section.earlier)) if section.earlier else ""

    def slide_activity_facts(self, row: ActivityRow) -> list[str]:
        """`08.04.2014`, `Кръгла маса …` and, unless it was held, its status: a line of a partner slide."""
        facts = [self.period_of(row, long=False), one_paragraph(row.title, SLIDE_TITLE_CHARACTERS)]
        if row.status != "held":
            facts.append(self.t(f"status.{row.status}"))
        return facts

    def numbers_heading(self, key: str) -> str:
        """What the numbers behind a chart count, before them in the speaker's notes."""
        return self.t("notes.timeline" if chart_spec(key).needs_events else "notes.chart")

    def chart_cut(self, key: str) -> str:
        """`Показани са последните 1 500 от 2 455 дейности.` where a timeline shows only the newest (and the
        same for the chart by partner, which shows the most active ones); else ""."""
        data = self.deck.charts.get(key)
        if key == "by_organization" and isinstance(data, pd.DataFrame):
            shown, total = data["slug"].nunique(), len(self.deck.sections)
            if shown < total:
                return self.t("slides.by_organization.cut", shown=self.number(shown), total=self.number(total))
        if not isinstance(data, Timeline) or data.total <= TIMELINE_LIMIT:
            return ""
        return self.t("slides.timeline.cut", shown=self.number(TIMELINE_LIMIT), total=self.number(data.total))

    # ---- the story of the year ------------------------------------------------------------

    def story_subtitle(self, item: StoryItem) -> str:
        """`8 април 2014 г. · Кръгла маса · ОУ „Иван Вазов“`: when, what and where."""
        kind = self.type_name(item.row)
        parts = [self.period_of(item.row, long=True), kind[:1].upper() + kind[1:], item.location]
        return " · ".join(part for part in parts if part)

    def story_partners(self, item: StoryItem) -> str:
        """`С участието на: Амалипе, Ларго`, or "" when no partner is recorded."""
        return f"{self.partners_label()}: {item.row.partners}" if item.row.partners else ""

    def story_description(self, item: StoryItem) -> str:
        return one_paragraph(item.description, STORY_CHARACTERS)

    def story_numbers(self, item: StoryItem) -> list[tuple[str, str]]:
        """(label, value) of the activity's numbers: participants, and pupils as a viewer may see them
        (`< 5` below the small-number threshold, db.privacy)."""
        numbers = []
        if item.row.participants is not None:
            numbers.append((self.t("figures.participants"), self.number(item.row.participants)))
        if item.row.pupils is not None:
            numbers.append((self.t("figures.pupils"), format_count(item.row.pupils, self.lang)))
        return numbers

    def story_photo_caption(self, item: StoryItem) -> str:
        """`Кръглата маса в залата · Снимка: Мария Петрова`, or "" without a photo."""
        if item.photo is None:
            return ""
        parts = [item.photo.caption]
        if item.photo.credit:
            parts.append(self.t("slides.story.credit", credit=item.photo.credit))
        return " · ".join(part for part in parts if part)

    def story_notes(self, item: StoryItem) -> str:
        """The speaker's notes of a story slide: the activity in a line, its numbers, its whole description."""
        lines = [self.activity_line(item.row)]
        if item.row.partners:
            lines.append(self.story_partners(item))
        numbers = self.story_numbers(item)
        if numbers:
            lines.append(" · ".join(f"{label}: {value}" for label, value in numbers))
        if item.description:
            lines.append(item.description)
        return "\n".join(lines)

    # ---- figures -----------------------------------------------------------------------------

    def previous_year(self) -> str:
        year = self.deck.figures.previous_year
        return school_year_label(year) if year is not None else ""

    def figure_rows(
        self, figures: HeadlineFigures | None = None, keys: tuple[str, ...] = FIGURE_KEYS
    ) -> list[FigureRow]:
        """The figures (the period's by default) with the previous school year's, where there is one."""
        figures = figures or self.deck.figures
        rows = []
        for key in keys:
            current = figures.current[key]
            previous = figures.previous[key] if figures.previous is not None else None
            shown = self.figure_value
            # A count of children below the threshold is `< 5`, and no change may tell it (db.privacy).
            hidden = key in CHILD_FIGURES and (hides(current) or hides(previous))
            rows.append(
                FigureRow(
                    key=key,
                    label=self.t(f"figures.{key}"),
                    value=shown(key, current),
                    previous="" if previous is None else shown(key, previous),
                    change=None if previous is None or hidden else change(current, previous, self.lang),
                )
            )
        return rows

    def figure_value(self, key: str, value: int) -> str:
        """A headline figure as everyone reads it: counts of children through the small-number rule."""
        return format_count(value, self.lang) if key in CHILD_FIGURES else self.number(value)

    def partner_figure_rows(self, section: PartnerSection) -> list[FigureRow]:
        return self.figure_rows(section.figures, PARTNER_FIGURE_KEYS)

    def to_date_note(self) -> str:
        """Why a comparison is to a day, for the year in progress; else ""."""
        figures = self.deck.figures
        if not figures.to_date or figures.cutoff is None:
            return ""
        return self.t("report.to_date_note", date=format_date_long(figures.cutoff, self.lang))

    # ---- outcomes ------------------------------------------------------------------------------

    def outcome_headers(self) -> list[str]:
        t = self.t
        return [
            t("outcomes.column.indicator"),
            t("outcomes.column.value"),
            t("outcomes.column.target"),
            t("report.change"),  # short: a slide's table fits a phone's width too
        ]

    def outcome_rows(self) -> list[OutcomeRow]:
        """The deck's outcomes in the indicators' declared order (masked as the model holds them)."""
        by_key = {figure.key: figure for figure in self.deck.outcomes}
        rows = []
        for item in indicators():
            figure = by_key.get(item.key)
            if figure is None:
                continue
            rows.append(
                OutcomeRow(
                    key=item.key,
                    label=self.t(f"indicator.{item.key}"),
                    value=outcome_text(self.t, self.lang, item.key, figure.value, figure.hidden),
                    target=outcome_text(self.t, self.lang, item.key, figure.target, False),
                    change=outcome_change(self.lang, item.key, figure.value, figure.previous)[0],
                    unit=self.t(f"indicator_unit.{item.unit}"),
                )
            )
        return rows

    def outcomes_note(self) -> str:
        """What the outcomes are beside the activities, and why a count reads „< 5“ where one does."""
        note = self.t("outcomes.deck_note")
        if any(figure.hidden for figure in self.deck.outcomes):
            note += " " + self.t("outcomes.masked_short", threshold=small_number_threshold())
        return note

    # ---- the report's sentences and tables --------------------------------------------------

    def summary(self) -> str:
        """One sentence with the period's four figures."""
        period, figures = self.deck.period, self.deck.figures.current
        if figures["activities"] == 0:
            return self.t("report.summary_none")
        counts = {key: self.count(key, figures[key]) for key in FIGURE_KEYS}
        if period.school_year is not None:
            return self.t("report.summary_year", year=school_year_label(period.school_year), **counts)
        first = school_year_label(period.first_year or 0)
        last = school_year_label(period.last_year or 0)
        return self.t("report.summary_all", first=first, last=last, **counts)

    def partners_intro(self) -> str:
        return self.t("report.partners_intro", partners=self.count("partners", len(self.deck.sections)))

    def partner_lists_note(self) -> str:
        """What a partner's list in the report holds when some are cut, and where the full list is."""
        return f"{self.t('report.partner_lists', count=self.number(REPORT_ACTIVITIES))} {self.full_list()}"

    def listing_more(self, listing: Listing) -> str:
        """`… и още 1 234 дейности` under a list that shows only some of them; else ""."""
        return self.t("report.partner_more", more=self.count("more_activities", listing.more)) if listing.more else ""

    def activities_cut(self, shown: int, total: int) -> str:
        """Under the table of all activities when it shows only the first ones: how many, and where the rest are."""
        cut = self.t("report.activities_cut", shown=self.number(shown), total=self.number(total))
        return f"{cut} {self.full_list()}"

    def full_list(self) -> str:
        """Where every activity is: the Data screen's export of the selection, or the command line's export."""
        return self.t(
            "report.full_list",
            screen=self.t("nav.data"),
            tab=self.t("data.tab_export"),
            selection=self.t("transfer.export_filtered"),
            command=FULL_LIST_COMMAND,
        )

    def partner_facts(self, section: PartnerSection) -> str:
        """`Кратко име: Ларго · Вид: сдружение`."""
        kind = self.deck.kind_names[self.lang].get(section.kind_code, section.kind_code)
        facts = [f"{self.t('field.short_name')}: {section.short_name}"]
        if kind:
            facts.append(f"{self.t('field.kind')}: {kind}")
        return " · ".join(facts)

    def partner_figures(self, section: PartnerSection) -> str:
        """`Проведени дейности: 5 · Участници: 234 · Обхванати ученици: 120`."""
        return " · ".join(f"{row.label}: {row.value}" for row in self.partner_figure_rows(section))

    def mission(self, section: PartnerSection) -> str:
        return section.mission or self.t("partners.no_mission")

    def period_of(self, row: ActivityRow, *, long: bool) -> str:
        """The activity's day, or first and last day: long for prose, short for tables."""
        if not long:
            return format_period(row.start_date, row.end_date, self.lang)
        if row.end_date is None or row.end_date == row.start_date:
            return format_date_long(row.start_date, self.lang)
        return f"{format_date_long(row.start_date, self.lang)} – {format_date_long(row.end_date, self.lang)}"

    def activity_line(self, row: ActivityRow) -> str:
        """`8 април 2014 г. – Кръгла маса … (45 участници)`, for lists in prose."""
        line = f"{self.period_of(row, long=True)} – {row.title}"
        if row.participants:
            line += f" ({self.count('participants', row.participants)})"
        return line

    def type_name(self, row: ActivityRow) -> str:
        return self.deck.type_names[self.lang].get(row.type_code, row.type_code)

    def table_headers(self) -> list[str]:
        keys = ("table.date", "table.title", "table.type", "table.organizations", "table.participants", "table.pupils")
        return [self.t("report.number"), *(self.t(key) for key in keys), self.t("table.link")]

    def table_cells(self, number: int, row: ActivityRow) -> list[str]:
        """The cells of the table of all activities; a planned activity says so after its title."""
        title = row.title if row.status == "held" else f"{row.title} {self.t('report.planned_mark')}"
        return [
            str(number),
            self.period_of(row, long=False),
            title,
            self.type_name(row),
            row.partners,
            "" if row.participants is None else self.number(row.participants),
            format_count(row.pupils, self.lang),
            row.link,
        ]

    def numbers_line(self, numbers: tuple[tuple[str, int], ...], noun: str = "activities") -> str:
        """`Ларго: 5 дейности; Амалипе: 3 дейности`: the numbers behind a chart."""
        return "; ".join(f"{label}: {self.count(noun, n)}" for label, n in numbers)
