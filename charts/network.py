"""The network's charts: the schools compared, and how many schools each partner reaches.

Built like the partner charts (charts.builders): one slim bar per row, counts on whole ticks, the
words from the caller's catalog. The most active rows only: a network of 300 schools would make a
chart no room can read, and the full list is the table beside it.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from charts.builders import ChartText, _finish, _lanes, count_axis
from charts.palette import PARTICIPANT_COLORS
from i18n.formatting import format_number

MOST_SHOWN = 20  # rows a chart draws: the schools or partners with the most


def _top(data: pd.DataFrame, column: str, name: str) -> pd.DataFrame:
    shown = data[data[column] > 0].sort_values([column, name], ascending=[False, True], kind="stable")
    return shown.head(MOST_SHOWN).reset_index(drop=True)


def bar_labels(short: pd.Series, more: pd.Series) -> pd.Series:
    """Each row's bar label: its short name, with `more` (a school's town, a partner's full name) where two
    rows share it: „ОУ „Христо Смирненски““ is a school in many towns, and two bars must not merge into one."""
    shared = short.duplicated(keep=False)
    return short.where(~shared, short + " · " + more.astype(str))


def schools_chart(compared: pd.DataFrame, text: ChartText) -> alt.Chart:
    """Held activities per school (`schools_compared`), the most active first, with partners and pupils."""
    t = text.t
    data = _top(compared, "activities", "short_name")
    data = data.assign(
        label=bar_labels(data["short_name"], data["city"]),
        activities_label=data["activities"].map(lambda n: format_number(n, text.lang)),
        partners_label=data["partners"].map(lambda n: format_number(n, text.lang)),
        pupils_label=data["pupils"].map(lambda n: format_number(n, text.lang)),
    )
    highest = float(data["activities"].max()) if len(data) else 0.0
    chart = (
        alt.Chart(data)
        .mark_bar(color=PARTICIPANT_COLORS[0])
        .encode(
            y=alt.Y("label:N", sort=data["label"].tolist(), title=None, axis=alt.Axis(labelLimit=260)),
            x=alt.X("activities:Q", title=t("chart.activities"), axis=count_axis(highest)),
            tooltip=[
                alt.Tooltip("name:N", title=t("chart.school")),
                alt.Tooltip("activities_label:N", title=t("chart.activities")),
                alt.Tooltip("partners_label:N", title=t("chart.partners")),
                alt.Tooltip("pupils_label:N", title=t("chart.pupils")),
            ],
        )
        .properties(height=_lanes())
    )
    return _finish(chart, text)  # type: ignore[no-any-return]


def reach_chart(reach: pd.DataFrame, text: ChartText) -> alt.Chart:
    """How many schools each partner held activities with (`partner_reach`), the widest reach first."""
    t = text.t
    data = _top(reach, "schools", "short_name")
    data = data.assign(
        label=bar_labels(data["short_name"], data["name"]),
        schools_label=data["schools"].map(lambda n: format_number(n, text.lang)),
        activities_label=data["activities"].map(lambda n: format_number(n, text.lang)),
    )
    highest = float(data["schools"].max()) if len(data) else 0.0
    chart = (
        alt.Chart(data)
        .mark_bar(color=PARTICIPANT_COLORS[1])
        .encode(
            y=alt.Y("label:N", sort=data["label"].tolist(), title=None, axis=alt.Axis(labelLimit=260)),
            x=alt.X("schools:Q", title=t("chart.schools"), axis=count_axis(highest)),
            tooltip=[
                alt.Tooltip("name:N", title=t("chart.partner")),
                alt.Tooltip("schools_label:N", title=t("chart.schools")),
                alt.Tooltip("activities_label:N", title=t("chart.activities")),
            ],
        )
        .properties(height=_lanes())
    )
    return _finish(chart, text)  # type: ignore[no-any-return]
