"""The sentences and table cells that the deck, the .docx and the PDF share, in one language.

Dates in prose are long (`8 април 2014 г.`), dates in tables short (`08.04.2014`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from db.school_year import school_year_label
from i18n import Translator, count, translator
from i18n.formatting import format_date, format_date_long, format_number
from reports.content import ActivityRow, PartnerSection, ReportContent

FIGURE_KEYS = ("activities", "partners", "participants", "pupils")
PARTNER_FIGURE_KEYS = ("activities", "participants", "pupils")


@dataclass(frozen=True)
class FigureRow:
    """A headline figure as a table row: label, value, and the previous year's value and the change."""

    key: str
    label: str
    value: str
    previous: str  # "" without a comparison
    change: str


class Prose:
    """The words of one content in one language."""

    def __init__(self, content: ReportContent, lang: str) -> None:
        self.content = content
        self.lang = lang
        self.t: Translator = translator(lang)

    def number(self, value: int) -> str:
        return format_number(value, self.lang)

    def count(self, noun: str, n: int) -> str:
        return count(self.t, noun, n, self.lang)

    def title(self) -> str:
        """`Годишен отчет за партньорствата` for a school year."""
        return self.t("report.title_year" if self.content.school_year is not None else "report.title_all")

    def school(self) -> str:
        return self.t("app.school")

    def period(self) -> str:
        """`Учебна 2023/2024 година`, or all years with their span."""
        content = self.content
        if content.school_year is not None:
            return self.t("report.period_year", year=school_year_label(content.school_year))
        if content.first_year is None or content.last_year is None:
            return self.t("report.period_none")
        return self.t(
            "report.period_all", first=school_year_label(content.first_year), last=school_year_label(content.last_year)
        )

    def year_column(self) -> str:
        """The figures table's column for the period: `2023/2024`, or `2013/2014 – 2026/2027` for all years."""
        content = self.content
        if content.school_year is not None:
            return school_year_label(content.school_year)
        if content.first_year is None or content.last_year is None:
            return self.period()
        return f"{school_year_label(content.first_year)} – {school_year_label(content.last_year)}"

    def long_date(self, day: date) -> str:
        """`8 април 2014 г.`"""
        return format_date_long(day, self.lang)

    def prepared_on(self) -> str:
        return self.t("report.prepared_on", date=self.long_date(self.content.prepared_on))

    def partner_names(self) -> str:
        return ", ".join(self.content.partners)

    def summary(self) -> str:
        """One sentence with the period's four figures."""
        content, figures = self.content, self.content.figures.current
        if figures["activities"] == 0:
            return self.t("report.summary_none")
        counts = {
            "activities": self.count("activities", figures["activities"]),
            "partners": self.count("partners", figures["partners"]),
            "participants": self.count("participants", figures["participants"]),
            "pupils": self.count("pupils", figures["pupils"]),
        }
        if content.school_year is not None:
            return self.t("report.summary_year", year=school_year_label(content.school_year), **counts)
        first = school_year_label(content.first_year or 0)
        last = school_year_label(content.last_year or 0)
        return self.t("report.summary_all", first=first, last=last, **counts)

    def previous_year(self) -> str:
        year = self.content.figures.previous_year
        return school_year_label(year) if year is not None else ""

    def figure_rows(self) -> list[FigureRow]:
        """The four headline figures with the previous school year's, where there is one."""
        figures = self.content.figures
        rows = []
        for key in FIGURE_KEYS:
            previous = figures.previous[key] if figures.previous is not None else None
            rows.append(
                FigureRow(
                    key=key,
                    label=self.t(f"figures.{key}"),
                    value=self.number(figures.current[key]),
                    previous="" if previous is None else self.number(previous),
                    change="" if previous is None else self.signed(figures.current[key] - previous),
                )
            )
        return rows

    def to_date_note(self) -> str:
        """Why a comparison is to a day, for the year in progress; else ""."""
        figures = self.content.figures
        if not figures.to_date or figures.cutoff is None:
            return ""
        return self.t("report.to_date_note", date=format_date_long(figures.cutoff, self.lang))

    def signed(self, change: int) -> str:
        """`+3`, `−2` (a real minus sign) or `0`."""
        if change > 0:
            return f"+{self.number(change)}"
        if change < 0:
            return f"\u2212{self.number(-change)}"
        return "0"

    def partners_intro(self) -> str:
        return self.t("report.partners_intro", partners=self.count("partners", len(self.content.sections)))

    def partner_facts(self, section: PartnerSection) -> str:
        """`Кратко име: Ларго · Вид: сдружение`."""
        kind = self.content.kind_names[self.lang].get(section.kind_code, section.kind_code)
        facts = [f"{self.t('field.short_name')}: {section.short_name}"]
        if kind:
            facts.append(f"{self.t('field.kind')}: {kind}")
        return " · ".join(facts)

    def partner_figures(self, section: PartnerSection) -> str:
        """`Проведени дейности: 5 · Участници: 234 · Обхванати ученици: 120`."""
        return " · ".join(
            f"{self.t(f'figures.{key}')}: {self.number(section.figures[key])}" for key in PARTNER_FIGURE_KEYS
        )

    def mission(self, section: PartnerSection) -> str:
        return section.mission or self.t("partners.no_mission")

    def period_of(self, row: ActivityRow, *, long: bool) -> str:
        """The activity's day, or first and last day: long for prose, short for tables."""
        write = format_date_long if long else format_date
        if row.end_date is None or row.end_date == row.start_date:
            return write(row.start_date, self.lang)
        return f"{write(row.start_date, self.lang)} – {write(row.end_date, self.lang)}"

    def activity_line(self, row: ActivityRow) -> str:
        """`8 април 2014 г. – Кръгла маса … (45 участници)`, for lists in prose."""
        line = f"{self.period_of(row, long=True)} – {row.title}"
        if row.participants:
            line += f" ({self.count('participants', row.participants)})"
        return line

    def type_name(self, row: ActivityRow) -> str:
        return self.content.type_names[self.lang].get(row.type_code, row.type_code)

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
            "" if row.pupils is None else self.number(row.pupils),
            row.link,
        ]

    def numbers_line(self, numbers: tuple[tuple[str, int], ...], noun: str = "activities") -> str:
        """`Ларго: 5 дейности; Амалипе: 3 дейности`: the numbers behind a chart."""
        return "; ".join(f"{label}: {self.count(noun, n)}" for label, n in numbers)
