"""The names of vocabulary terms (activity types, partner kinds, focus areas) in one language."""

from __future__ import annotations

from collections.abc import Iterable

from i18n.languages import DEFAULT

# (code, lang, name): a row per term and language, as db.queries' vocabularies give them.
NameRow = tuple[str, str | None, str | None]


def term_names(rows: Iterable[NameRow], lang: str) -> dict[str, str]:
    """code -> its name in `lang`, in the rows' order of terms.

    A term not yet named in `lang` (a language added after the vocabulary was written) is
    shown by its default-language name, and a term with no names at all by its code.
    """
    names: dict[str, dict[str, str]] = {}
    for code, language, name in rows:
        by_language = names.setdefault(code, {})
        if isinstance(language, str) and isinstance(name, str):
            by_language[language] = name
    return {code: by_language.get(lang) or by_language.get(DEFAULT) or code for code, by_language in names.items()}
