"""The languages the app speaks: adding one is a catalog (`i18n/<code>.py`) and one entry here.

Everything that differs between languages and is not a catalog's sentence lives in the entry:
how Babel writes dates and numbers, how Vega-Lite (d3) names months on chart axes, and the tag
that tells Word and PDF readers which dictionary to spell and hyphenate with. Code elsewhere
asks `language(code)` and never compares a code with "bg" or "en".

An unregistered code fails loudly (`UnknownLanguage`): the URL, the sidebar and the command
line only offer registered codes, so one that gets through is a bug to see, not to paper over.
The one exception is `i18n.translator`, which speaks the default language for a stray code,
because a message (a stale DASHBOARD_LANG, say) must still be written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from i18n import bg, en


@dataclass(frozen=True)
class Language:
    code: str  # the URL's ?lang=, the command line's --lang, the catalog's module name
    label: str  # in the language itself, for the switch in the sidebar
    babel_locale: str  # dates and numbers through Babel
    short_date: str  # Babel (CLDR) pattern: 08.04.2014 in tables and lists
    long_date: str  # Babel pattern: 8 април 2014 г. in prose
    table_date: str  # the short date in moment.js syntax, which st.column_config takes
    d3_time: Mapping[str, Any]  # Vega-Lite's config.locale.time
    d3_number: Mapping[str, Any]  # Vega-Lite's config.locale.number
    document_tag: str  # BCP 47 tag of .docx and .pdf files
    catalog: Mapping[str, str]  # every user-facing sentence, by key


# d3's names for Vega-Lite's chart axes: Babel's are not in the shape d3 reads.
_BG_D3_TIME = {
    "dateTime": "%A, %e %B %Y г. %X",
    "date": "%d.%m.%Y",
    "time": "%H:%M:%S",
    "periods": ["", ""],
    "days": ["неделя", "понеделник", "вторник", "сряда", "четвъртък", "петък", "събота"],
    "shortDays": ["нд", "пн", "вт", "ср", "чт", "пт", "сб"],
    "months": [
        "януари", "февруари", "март", "април", "май", "юни",
        "юли", "август", "септември", "октомври", "ноември", "декември",
    ],
    "shortMonths": ["яну", "фев", "мар", "апр", "май", "юни", "юли", "авг", "сеп", "окт", "ное", "дек"],
}  # fmt: skip

BULGARIAN = Language(
    code="bg",
    label="Български",
    babel_locale="bg",
    short_date="dd.MM.y",
    long_date="d MMMM y 'г.'",
    table_date="DD.MM.YYYY",
    d3_time=_BG_D3_TIME,
    d3_number={"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", " лв."]},
    document_tag="bg-BG",
    catalog=bg.MESSAGES,
)

_EN_D3_TIME = {
    "dateTime": "%a %b %e %X %Y",
    "date": "%d/%m/%Y",
    "time": "%H:%M:%S",
    "periods": ["AM", "PM"],
    "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
    "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
    "months": [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ],
    "shortMonths": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}  # fmt: skip

ENGLISH = Language(
    code="en",
    label="English",
    babel_locale="en",
    short_date="d MMM y",
    long_date="d MMMM y",
    table_date="D MMM YYYY",
    d3_time=_EN_D3_TIME,
    d3_number={"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["", ""]},
    document_tag="en-GB",
    catalog=en.MESSAGES,
)

# In the order the switch offers them; the first is the default.
REGISTRY: dict[str, Language] = {entry.code: entry for entry in (BULGARIAN, ENGLISH)}
DEFAULT = BULGARIAN.code


class UnknownLanguage(ValueError):
    """A language code that has no entry in the registry."""


def language(code: str) -> Language:
    """The registry's entry for `code`; `UnknownLanguage` for a code it does not hold."""
    try:
        return REGISTRY[code]
    except KeyError:
        raise UnknownLanguage(f"unknown language {code!r}; expected one of {', '.join(REGISTRY)}") from None


def language_codes() -> tuple[str, ...]:
    """The registered codes, read at the time of asking, in the switch's order."""
    return tuple(REGISTRY)
