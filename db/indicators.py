"""The school's outcomes per school year, declared once: what each indicator counts and how it is read.

A school reports a few aggregate figures a year (how many pupils it enrolled, how many left, how often
they came): the record holds no data about any one pupil, ever. The write and its checks
(`db/outcomes.py`), the import and export columns, the form, the queries, the charts and the masking
for viewers all read this tuple when they run, so adding an indicator is one `Indicator` here and its
words (`indicator.<key>`, `indicator_short.<key>`) in each catalog.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Unit(StrEnum):
    """What an indicator's number is; its words are `indicator_unit.<unit>` in each catalog."""

    PUPILS = "pupils"  # a count of pupils
    PARENTS = "parents"  # a count of parents
    PERCENT = "percent"  # 0–100
    PER_PUPIL = "per_pupil"  # an average per enrolled pupil (unexcused absences)


@dataclass(frozen=True)
class Indicator:
    """One figure a school reports for a school year.

    `higher_is_better`: which way a change reads as good (dropped out: fewer is better).
    `within_enrolled`: a count of some of the enrolled pupils, so never more than enrolled.
    `import_header_bg`/`en`: its column in the exchange format (the target's is „цел: …“ / "target: …").
    """

    key: str
    unit: Unit
    higher_is_better: bool
    bg: str
    en: str
    within_enrolled: bool = False

    @property
    def counts_people(self) -> bool:
        """A count of people: shown to viewers through the small-number rule („< 5“)."""
        return self.unit in (Unit.PUPILS, Unit.PARENTS)

    @property
    def whole(self) -> bool:
        """Counts are whole numbers; a percent or an average per pupil may have decimals."""
        return self.counts_people


ENROLLED = "enrolled"

# In the order of the form, the table, the export's columns and the charts.
INDICATORS: tuple[Indicator, ...] = (
    Indicator(ENROLLED, Unit.PUPILS, True, "записани ученици", "enrolled"),
    Indicator("vulnerable", Unit.PUPILS, True, "от уязвими групи", "vulnerable", within_enrolled=True),
    Indicator("dropped_out", Unit.PUPILS, False, "отпаднали", "dropped_out", within_enrolled=True),
    Indicator("re_enrolled", Unit.PUPILS, True, "върнати в училище", "re_enrolled"),
    Indicator("attendance", Unit.PERCENT, True, "посещаемост", "attendance"),
    Indicator("unexcused_absences", Unit.PER_PUPIL, False, "неизвинени отсъствия", "unexcused_absences"),
    Indicator("extracurricular", Unit.PUPILS, True, "в извънкласни дейности", "extracurricular", within_enrolled=True),
    Indicator("parents_involved", Unit.PARENTS, True, "участвали родители", "parents_involved"),
    Indicator("continuing", Unit.PUPILS, True, "продължили", "continuing", within_enrolled=True),
)

# The Overview's cards: the few figures management asks about first.
HEADLINE = (ENROLLED, "dropped_out", "attendance", "continuing")

# A school year is named by the calendar year it starts in; the first one a school may report.
FIRST_YEAR = 1990


def indicators() -> tuple[Indicator, ...]:
    """Every indicator, as declared now (read when called, so a test may add one)."""
    return INDICATORS


def indicator(key: str) -> Indicator:
    """One indicator by its key; KeyError for an unknown one."""
    found = next((item for item in INDICATORS if item.key == key), None)
    if found is None:
        raise KeyError(key)
    return found
