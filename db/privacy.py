"""Children's privacy rules that every view, slide and file follows. No words here: i18n says them.

Small numbers: a count of pupils (or of their parents) below the threshold is shown to viewers as
„< 5“, so that no child can be picked out from a small class. Zero is shown: it picks out nobody.
Editors see the real figure where they enter it (the Data screen's forms, and the editors' export that
is read back by the import); everything a viewer sees (pages, the Presentation page, the deck, the
reports) shows the masked one.

The threshold is `DASHBOARD_SMALL_NUMBERS` in the server's environment (a whole number; 0 or 1 turns the
rule off), 5 when it is not set or not a number.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_THRESHOLD = 5
THRESHOLD_VARIABLE = "DASHBOARD_SMALL_NUMBERS"
_MAX_THRESHOLD = 1000
# The headline figures (db.queries.headline_figures' keys) that count children: the rule applies to them.
CHILD_FIGURES = frozenset({"pupils"})  # a typo such as 50000 would hide every figure


def small_number_threshold(raw: str | None = None) -> int:
    """The threshold the environment sets, or the default for a missing or unreadable value."""
    value = os.environ.get(THRESHOLD_VARIABLE) if raw is None else raw
    try:
        wanted = int(str(value).strip())
    except (TypeError, ValueError):
        return DEFAULT_THRESHOLD
    return wanted if 0 <= wanted <= _MAX_THRESHOLD else DEFAULT_THRESHOLD


@dataclass(frozen=True)
class Hidden:
    """A figure a viewer may not see: below `threshold`. Words: `privacy.below` („< 5“)."""

    threshold: int


def masked(value: int | float | None, threshold: int | None = None) -> int | float | Hidden | None:
    """The value, or Hidden when it is a count between 1 and the threshold (exclusive)."""
    limit = small_number_threshold() if threshold is None else threshold
    if value is None or limit <= 1:
        return value
    return Hidden(limit) if 0 < value < limit else value


def is_hidden(value: int | float | None, threshold: int | None = None) -> bool:
    return isinstance(masked(value, threshold), Hidden)
