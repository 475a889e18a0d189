"""Every user-facing word: one catalog per language, and the one function that looks them up."""

from __future__ import annotations

from collections.abc import Callable

from i18n import bg, en

LANGUAGES = ("bg", "en")
DEFAULT_LANGUAGE = "bg"
CATALOGS: dict[str, dict[str, str]] = {"bg": bg.MESSAGES, "en": en.MESSAGES}

Translator = Callable[..., str]


def translator(lang: str) -> Translator:
    """`t(key, **values)` for `lang`: the catalog's text with `{values}` filled in."""
    catalog = CATALOGS[lang if lang in CATALOGS else DEFAULT_LANGUAGE]

    def t(key: str, **values: object) -> str:
        text = catalog[key]
        return text.format(**values) if values else text

    return t


def count(t: Translator, noun: str, n: int, lang: str) -> str:
    """`1 дейност`, `12 дейности`, `8 партньора`: a number with its noun in the right form.

    Both languages need only two forms: one, and every other number (zero too).
    """
    from i18n.formatting import format_number  # Babel loads only when a count is written

    form = "one" if n == 1 else "other"
    return t(f"count.{noun}_{form}", n=format_number(n, lang))
