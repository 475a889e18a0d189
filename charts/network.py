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


def _ranked_bars(
    data: pd.DataFrame, text: ChartText, *, count: str, more: str, name_title: str, shown: tuple[str, ...], color: str
) -> alt.Chart:
    """One bar per row for `count`, the most first (MOST_SHOWN of them), labelled apart (`bar_labels` with
    `more`); the tooltip names the row and reads out the `shown` counts in the user's number format."""
    t = text.t
    data = _top(data, count, "short_name")
    data = data.assign(
        label=bar_labels(data["short_name"], data[more]),
        **{f"{column}_label": data[column].map(lambda n: format_number(n, text.lang)) for column in shown},
    )
    highest = float(data[count].max()) if len(data) else 0.0
    chart = (
        alt.Chart(data)
        .mark_bar(color=color)
        .encode(
            y=alt.Y("label:N", sort=data["label"].tolist(), title=None, axis=alt.Axis(labelLimit=260)),
            x=alt.X(f"{count}:Q", title=t(f"chart.{count}"), axis=count_axis(highest)),
            tooltip=[
                alt.Tooltip("name:N", title=name_title),
                *(alt.Tooltip(f"{column}_label:N", title=t(f"chart.{column}")) for column in shown),
            ],
        )
        .properties(height=_lanes())
    )
    return _finish(chart, text)  # type: ignore[no-any-return]


def schools_chart(compared: pd.DataFrame, text: ChartText) -> alt.Chart:
    """Held activities per school (`schools_compared`), the most active first, with partners and pupils."""
    return _ranked_bars(
        compared,
        text,
        count="activities",
        more="city",
        name_title=text.t("chart.school"),
        shown=("activities", "partners", "pupils"),
        color=PARTICIPANT_COLORS[0],
    )


def reach_chart(reach: pd.DataFrame, text: ChartText) -> alt.Chart:
    """How many schools each partner held activities with (`partner_reach`), the widest reach first."""
    return _ranked_bars(
        reach,
        text,
        count="schools",
        more="name",
        name_title=text.t("chart.partner"),
        shown=("schools", "activities"),
        color=PARTICIPANT_COLORS[1],
    )
