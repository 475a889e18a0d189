"""d3 locales for Vega-Lite, so that chart axes name months in the viewer's language."""

from __future__ import annotations

from typing import Any

from i18n.languages import language


def chart_locale(lang: str) -> dict[str, Any]:
    """The Vega-Lite `config.locale` for `lang`, from its registry entry (UnknownLanguage if none)."""
    entry = language(lang)
    return {"time": dict(entry.d3_time), "number": dict(entry.d3_number)}
