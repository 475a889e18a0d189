"""The words of the exports: the report's own catalogs first, then the app's (figure labels, table headers)."""

from __future__ import annotations

from i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator, translator
from i18n.formatting import format_number
from reports import texts_bg, texts_en

CATALOGS: dict[str, dict[str, str]] = {"bg": texts_bg.MESSAGES, "en": texts_en.MESSAGES}


def report_translator(lang: str) -> Translator:
    """`t(key, **values)` for `lang`: a key of reports/texts_*.py, or else of the app's catalog."""
    own = CATALOGS[lang if lang in LANGUAGES else DEFAULT_LANGUAGE]
    app = translator(lang)

    def t(key: str, **values: object) -> str:
        if key not in own:
            return app(key, **values)
        return own[key].format(**values) if values else own[key]

    return t


def count(t: Translator, noun: str, n: int, lang: str) -> str:
    """`1 дейност`, `12 дейности`, `8 партньора`: a number with its noun in the right form.

    Both languages need only two forms: one, and every other number (zero too).
    """
    form = "one" if n == 1 else "other"
    return t(f"count.{noun}_{form}", n=format_number(n, lang))
