"""The schools of a network on the screens: their names, the shared school filter's choices, and refusals.

With one school (a fresh install, and every school on its own) none of this shows: `is_network()` is
False, the filter is not drawn and the pages look as they did before schools were recorded.
"""

from __future__ import annotations

import pandas as pd

from db import queries
from db.access import PermissionDenied
from db.filters import ActivityFilters
from i18n import Translator, count
from ui.data import read
from ui.safe import md


def schools() -> pd.DataFrame:
    """Every school (`school_list`), read once per data revision."""
    return read(queries.school_list)


def is_network() -> bool:
    """Whether the record holds more than one school: only then do the network's filter and screens show."""
    return len(schools()) > 1


def school_names() -> dict[int, str]:
    """id -> short name."""
    table = schools()
    return dict(zip(table["id"].astype(int), table["short_name"], strict=True))


def whose(t: Translator, filters: ActivityFilters, lang: str) -> str:
    """Whose work the screens show, for the masthead: the school, the chosen schools, or the network."""
    table = schools()
    if len(table) == 1:
        return md(str(table["name"].iloc[0]))
    chosen = table[table["id"].isin(filters.school_ids)]
    if len(chosen) == 1:
        return md(str(chosen["name"].iloc[0]))
    if len(chosen) > 1:
        return t("network.chosen_schools", names=", ".join(md(str(n)) for n in chosen["short_name"]))
    return t("network.whole", schools=count(t, "schools", len(table), lang))


def denial(t: Translator, error: PermissionDenied) -> str:
    """Why a change was refused, in the user's words: the school their role is not in, or the network."""
    if error.network:
        return t("data.denied_network")
    if error.school_id is not None:
        name = school_names().get(error.school_id, f"#{error.school_id}")
        return t("data.denied_school", school=md(name))
    return t("data.denied")
