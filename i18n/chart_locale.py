"""d3 locales for Vega-Lite, so that chart axes name months in the viewer's language."""

from __future__ import annotations

from typing import Any

BG_TIME = {
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
BG_NUMBER = {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", " лв."]}

EN_TIME = {
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
EN_NUMBER = {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["", ""]}


def chart_locale(lang: str) -> dict[str, Any]:
    """The Vega-Lite `config.locale` for `lang`."""
    if lang == "bg":
        return {"time": BG_TIME, "number": BG_NUMBER}
    return {"time": EN_TIME, "number": EN_NUMBER}
