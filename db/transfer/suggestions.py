""" "Did you mean …": the known words closest to a word a file uses, in either alphabet.

A school's file writes partners as it knows them: `Amalipe` in Latin letters, `Амалипи` with a
typo. Each word is compared in three forms (as written, in Latin by the official transliteration,
and in Cyrillic by its reverse), so an alphabet costs nothing and only real differences lower the score.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from rapidfuzz import fuzz

from db.text import name_key, to_cyrillic, to_latin

Target = TypeVar("Target")

# Scores are rapidfuzz's WRatio (0–100). Below SUGGEST a word is not offered at all: short words
# then stop pairing with anything that shares two letters. From SAME on, the CLI's
# --accept-suggestions applies a suggestion, and a new focus area that close by plain similarity
# (see same_tag) is taken for the existing one, so that the tags do not fill with near-duplicates.
SUGGEST = 75
SAME = 85
MOST = 3  # suggestions offered for one word


def _forms(text: str) -> set[str]:
    key = name_key(text).replace("–", " ").replace("-", " ")
    return {" ".join(form.split()) for form in (key, to_latin(key), to_cyrillic(key))} - {""}


def score(written: str, known: str) -> float:
    """How close two words are, 0–100, whichever alphabet each is written in."""
    return max((fuzz.WRatio(a, b) for a in _forms(written) for b in _forms(known)), default=0.0)


def same_tag(written: str, known: str) -> bool:
    """Whether a new focus area is surely an existing one: a typo, another alphabet, or its first words.

    Stricter than a suggestion: `образование` is one word of `интеркултурно образование`, not the same
    area, so a whole-word match inside a longer name does not count, while `хуманитарна помощ` for
    `хуманитарна помощ и подкрепа` does.
    """
    for a in _forms(written):
        for b in _forms(known):
            if fuzz.ratio(a, b) >= SAME or (len(a) >= 6 and b.startswith(a + " ")):
                return True
    return False


MARGIN = 5  # a suggestion applied without asking must beat the next target by this much
SHORTEST_SURE = 4  # letters: a shorter word (`Rom`) is inside too many names to be taken for one


def sure(suggestions: list[tuple[str, Target, float]], written: str, known: Mapping[str, Target]) -> bool:
    """Whether the best suggestion can be taken without asking (the command line's --accept-suggestions).

    WRatio, which ranks the suggestions, forgives a word found inside a longer name (`Rom` in
    `Нево Дром`); taking one needs more: a word long enough to mean something, no other target
    nearly as close, and the word's own tokens close to one of the target's names (`ADRA Bulgaria`
    to `Фондация „АДРА“ – България`).
    """
    if not suggestions or len(name_key(written)) < SHORTEST_SURE:
        return False
    _word, target, value = suggestions[0]
    if value < SAME or (len(suggestions) > 1 and value - suggestions[1][2] < MARGIN):
        return False
    names = [word for word, each in known.items() if each == target]
    whole = max(
        (fuzz.token_set_ratio(a, b) for name in names for a in _forms(written) for b in _forms(name)), default=0.0
    )
    return whole >= SAME


def closest(written: str, known: Mapping[str, Target], *, least: float = SUGGEST) -> list[tuple[str, Target, float]]:
    """The known words (word → what it stands for) closest to `written`, best first: (word, target, score).

    One entry per target, under its closest word, so a partner's name and short name are not offered twice.
    """
    best: dict[Target, tuple[str, float]] = {}
    for word, target in known.items():
        value = score(written, word)
        if value >= least and value > best.get(target, ("", -1.0))[1]:
            best[target] = (word, value)
    ranked = sorted(best.items(), key=lambda item: (-item[1][1], item[1][0]))
    return [(word, target, value) for target, (word, value) in ranked[:MOST]]
