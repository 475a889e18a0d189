"""How names are compared, searched and turned into URL slugs."""

from __future__ import annotations

import re

_QUOTES = "\"'„“”«»‘’`"
# A pattern rather than str.translate, which looks up each character of a Cyrillic text in a dict:
# a search text of a few hundred letters is keyed several times faster (an import keys thousands).
_QUOTE_PATTERN = re.compile(f"[{re.escape(_QUOTES)}]")

# The official Bulgarian transliteration (Закон за транслитерацията, 2009).
_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "sht", "ъ": "a", "ь": "y", "ю": "yu", "я": "ya",
}  # fmt: skip


# Its reverse, Latin to Cyrillic, longest spellings first (`sht` before `sh`, `sh` before `s`). `a` and
# `y` each stand for two letters; the reverse takes the commoner (а, й), and fuzzy matching forgives the rest.
_FROM_LATIN = {latin: cyrillic for cyrillic, latin in _TRANSLIT.items() if cyrillic not in ("ъ", "ь")} | {
    "x": "кс", "w": "в", "q": "к", "c": "к",  # letters the scheme has no use for, as Bulgarians read them
}  # fmt: skip
_FROM_LATIN_PATTERN = re.compile("|".join(re.escape(latin) for latin in sorted(_FROM_LATIN, key=len, reverse=True)))


def collapse_spaces(text: str) -> str:
    """Trim and fold every run of white space into one space."""
    return " ".join(text.split())


def name_key(name: str) -> str:
    """The form in which two partner names are the same partner."""
    return collapse_spaces(_QUOTE_PATTERN.sub("", name)).casefold()


def search_text(*parts: str) -> str:
    """What a directory search matches against: the parts, casefolded."""
    return name_key(" ".join(p for p in parts if p))


def slugify(text: str) -> str:
    """`„Нево Дром“` to `nevo-drom`: Latin letters, digits and hyphens."""
    latin = "".join(_TRANSLIT.get(ch, ch) for ch in text.casefold())
    return re.sub(r"[^a-z0-9]+", "-", latin).strip("-") or "partner"


def to_latin(text: str) -> str:
    """`Център „Амалипе“` to `tsentar amalipe`: the official transliteration, casefolded, quotes dropped."""
    return "".join(_TRANSLIT.get(ch, ch) for ch in name_key(text))


def to_cyrillic(text: str) -> str:
    """`Amalipe` to `амалипе`, `Shtastie` to `щастие`: the official transliteration read backwards, casefolded.

    Only a guess where one Latin spelling has two Cyrillic ones (`a` is а or ъ); good enough to compare names.
    """
    return _FROM_LATIN_PATTERN.sub(lambda match: _FROM_LATIN[match.group(0)], name_key(text))


def like_pattern(query: str) -> str:
    """A LIKE pattern that finds `query` anywhere, with its own % and _ taken literally."""
    escaped = name_key(query).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# Control characters other than tab and line breaks: invisible in a form, yet Word, PowerPoint and
# PDF writers refuse them and an exported CSV with them cannot be read back.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` without control characters (tab, line feed and carriage return stay)."""
    return _CONTROL.sub("", text)
