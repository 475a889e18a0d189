"""Every user-facing word: one catalog per language, and the one function that looks them up."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from i18n.languages import DEFAULT, REGISTRY

# Taken from the registry (i18n/languages.py) when the app starts. Code that must follow a
# registry changed later (the tests add a language) asks `i18n.languages` at the time instead.
LANGUAGES: tuple[str, ...] = tuple(REGISTRY)
DEFAULT_LANGUAGE = DEFAULT
CATALOGS: dict[str, Mapping[str, str]] = {code: entry.catalog for code, entry in REGISTRY.items()}

Translator = Callable[..., str]


def translator(lang: str) -> Translator:
    """`t(key, **values)` for `lang`: the catalog's text with `{values}` filled in.

    A code the registry does not hold speaks the default language, on purpose: a message
    (for a stale DASHBOARD_LANG, say) must still be written. Everything else fails loudly.
    """
    catalog = REGISTRY.get(lang, REGISTRY[DEFAULT]).catalog

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
