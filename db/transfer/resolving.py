"""What an import does with a word it does not know: a suggestion, the editor's choice, or a new tag.

Closed lists (partner kinds, activity types, roles, statuses) and partner names are never added by
an import: an unknown word is a problem that carries the closest known words, unless the editor
chose one (`mapping`) or asked for the best suggestion (`accept_suggestions`). Focus areas are
tags: an unknown one is added, unless it is a near-duplicate of an existing one, which it then
stands for. Every word taken for another, and every tag added, is told in the import's result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from db.text import collapse_spaces, name_key, slugify
from db.transfer.suggestions import closest, same_tag, sure
from db.validation import Problem

ADD = "add"  # a mapping's choice for a focus area: add it as a new one
TAG_NAME_LIMIT = 120  # as a vocabulary name is stored (db.models.VocabularyName.name)
# (field, value as written) -> the chosen code, partner id, known word, or ADD. Words are compared by name_key.
ImportMapping = Mapping[tuple[str, str], Any]


@dataclass(frozen=True)
class Unknown:
    """A word of the file that names nothing known, where it is, and what it might have meant."""

    field: str
    value: str
    rows: tuple[int, ...]
    suggestions: tuple[tuple[str, Any], ...]  # (known word, its code or partner id), best first
    can_add: bool = False  # a focus area: may be added as a new one


@dataclass(frozen=True)
class Taken:
    """A word of the file read as a known one: by near-duplicate, by the editor's choice, or by suggestion."""

    field: str
    value: str
    as_word: str  # the known word it was read as
    reason: str  # "near_duplicate", "chosen" or "suggested"


@dataclass(frozen=True)
class NewTag:
    """A focus area the import adds: its code, its name, and the languages it is the name in."""

    code: str
    name: str
    langs: tuple[str, ...]


@dataclass
class Resolver:
    """Resolves the unknown words of one import and remembers what it did with each."""

    mapping: ImportMapping
    accept_suggestions: bool
    unknowns: dict[tuple[str, str], Unknown] = field(default_factory=dict)
    taken: dict[tuple[str, str], Taken] = field(default_factory=dict)
    new_tags: dict[str, NewTag] = field(default_factory=dict)  # by name_key
    _chosen: dict[tuple[str, str], Any] = field(default_factory=dict)
    # Each unknown word is compared with every known one once, however many rows repeat it.
    _closest: dict[tuple[str, str], list[tuple[str, Any, float]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._chosen = {(name, name_key(str(value))): target for (name, value), target in self.mapping.items()}

    def known(
        self, name: str, text: str, words: Mapping[str, Any], choices: Mapping[str, Any], row: int, *, code: str
    ) -> tuple[Any, Problem | None]:
        """The code (or id) of a word of a closed list; else None, and its problem `{code}_suggested` if any is close.

        `words`: name_key of every accepted spelling -> target; `choices`: the known words to suggest -> target.
        With nothing close, the problem is the caller's (its plain `code`).
        """
        key = name_key(text)
        if key in words:
            return words[key], None
        wanted = self._chosen.get((name, key))
        chosen = _target(wanted, words, choices)
        if wanted is not None and chosen is None:
            # A choice that names nothing known (a mistyped --map) is refused, never dropped silently.
            return None, Problem(name, "unknown_mapping", {"value": text, "choice": str(wanted)}, row)
        if chosen is not None:
            self._take(name, text, _word_of(chosen, choices), "chosen")
            return chosen, None
        suggestions = self._suggestions(name, text, choices)
        if self.accept_suggestions and sure(suggestions, text, choices):
            word, target, _ = suggestions[0]
            self._take(name, text, word, "suggested")
            return target, None
        self._remember(name, text, row, suggestions, can_add=False)
        values = {"value": text}
        if suggestions:
            return None, Problem(name, f"{code}_suggested", values | {"suggestion": suggestions[0][0]}, row)
        return None, None

    def tag(self, text: str, words: Mapping[str, str], choices: Mapping[str, str], row: int, taken: set[str]) -> str:
        """The code of a focus area: a known one, a near-duplicate's, the editor's choice, or a new tag's."""
        key = name_key(text)
        if key in words:
            return words[key]
        wanted = self._chosen.get(("focus_areas", key))
        chosen = _target(wanted, words, choices)
        if wanted is not None and wanted != ADD and chosen is None:
            return text  # a choice that names no area: the checks refuse the word rather than add it
        if chosen is not None:
            self._take("focus_areas", text, _word_of(chosen, choices), "chosen")
            return str(chosen)
        suggestions = self._suggestions("focus_areas", text, choices)
        self._remember("focus_areas", text, row, suggestions, can_add=True)
        same = next((each for each in suggestions if same_tag(text, each[0])), None)
        if wanted != ADD and same is not None:
            self._take("focus_areas", text, same[0], "near_duplicate")
            return str(same[1])
        return self._new_tag(text, taken)

    def _suggestions(self, name: str, text: str, choices: Mapping[str, Any]) -> list[tuple[str, Any, float]]:
        key = (name, name_key(text))
        if key not in self._closest:
            self._closest[key] = closest(text, choices)
        return self._closest[key]

    def _new_tag(self, text: str, taken: set[str]) -> str:
        """A new tag's code; the text itself (refused by the checks) when it cannot be a tag's name."""
        name = tag_name(text)
        if not name_key(name).strip("„“”\"'") or len(name) > TAG_NAME_LIMIT:
            return text
        if name_key(name) in self.new_tags:
            return self.new_tags[name_key(name)].code
        # A near-duplicate of a tag this same file adds is that tag: one new area, not three spellings.
        twin = next((tag for tag in self.new_tags.values() if same_tag(text, tag.name)), None)
        if twin is not None:
            self._take("focus_areas", text, twin.name, "near_duplicate")
            return twin.code
        wanted = (slugify(name).replace("-", "_") or "area")[:36]
        code, number = wanted, 2
        while code in taken or code in {tag.code for tag in self.new_tags.values()}:
            code, number = f"{wanted}_{number}", number + 1
        self.new_tags[name_key(name)] = NewTag(code, name, _languages(name))
        return code

    def _take(self, name: str, text: str, word: str, reason: str) -> None:
        self.taken.setdefault((name, name_key(text)), Taken(name, text, word, reason))

    def _remember(
        self, name: str, text: str, row: int, suggestions: list[tuple[str, Any, float]], *, can_add: bool
    ) -> None:
        key = (name, name_key(text))
        before = self.unknowns.get(key)
        rows = (*before.rows, row) if before else (row,)
        offered = tuple((word, target) for word, target, _ in suggestions)
        self.unknowns[key] = Unknown(name, text, rows, offered, can_add)


def tag_name(text: str) -> str:
    """A new focus area's name as the existing ones are written: one space between words, a small first letter.

    An abbreviation (`ЕС`, `NGO`) keeps its capitals.
    """
    name = collapse_spaces(text)
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]


def _languages(name: str) -> tuple[str, ...]:
    """The exchange format's languages (db.fields.exchange_language) a new name is stored in.

    Cyrillic is Bulgarian, which the other languages show until they have a name of their own.
    A name in Latin letters is the English one and, for want of a Bulgarian one, the Bulgarian
    one too: the screen would otherwise show its code.
    """
    return ("bg",) if any("а" <= ch <= "я" or ch == "ѝ" for ch in name.casefold()) else ("bg", "en")


def _target(chosen: Any, words: Mapping[str, Any], choices: Mapping[str, Any]) -> Any:
    """What a choice names: a code or id as it is, or a known word (as the command line's --map gives it)."""
    if chosen is None or chosen == ADD:
        return None
    if chosen in set(choices.values()) | set(words.values()):
        return chosen
    key = name_key(str(chosen))
    return words.get(key, next((target for word, target in choices.items() if name_key(word) == key), None))


def _word_of(target: Any, choices: Mapping[str, Any]) -> str:
    return next((word for word, each in choices.items() if each == target), str(target))
