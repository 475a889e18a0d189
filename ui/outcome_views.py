"""The schools' outcomes on a page: the chart per indicator, the year's table, the Overview's cards and the
partner profile's compact table, each as the person looking may see it.

Small numbers (db.privacy): a count of people below the threshold reaches anyone who is not signed in as
an editor or admin only as „< 5“; the chart does not draw it (the point is left out, the line has a gap)
and no change from the year before is told beside it, since the change would give it away. Targets are
plans, not people, and are shown as they are. Editors see every figure as entered.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from charts.outcomes import OutcomesData
from content.prose import outcome_change, outcome_text
from db.filters import ActivityFilters
from db.indicators import HEADLINE, Indicator, indicator, indicators
from db.privacy import small_number_threshold
from db.queries.outcomes import masked_outcomes
from db.school_year import school_year_label
from ui.auth import current_actor
from ui.chart_views import chart_section
from ui.context import PageContext

DELTA_COLORS = {True: "green", False: "red"}


def sees_exact_figures() -> bool:
    """Whether the person looking sees small counts as they are: an editor or an admin, signed in."""
    return current_actor().can("editor")


def for_the_viewer(figures: pd.DataFrame) -> pd.DataFrame:
    """The outcomes as the person looking may see them: `hidden` marks a count a viewer may not see, and
    its value is gone from the frame (None)."""
    if sees_exact_figures():
        return figures.assign(hidden=False)
    return masked_outcomes(figures)


def figure_text(context: PageContext, item: Indicator, value: Any, hidden: bool) -> str:
    """`120`, `94,5`, `91 %`, or `< 5` for a hidden count; empty for none (as the deck writes them)."""
    return outcome_text(context.t, context.lang, item.key, value, hidden)


def _change(context: PageContext, item: Indicator, now: Any, before: Any) -> tuple[str, bool | None]:
    return outcome_change(context.lang, item.key, now, before)


def _year_rows(figures: pd.DataFrame, year: int) -> dict[str, dict[str, Any]]:
    rows = figures[figures["school_year"] == year]
    return {str(row["indicator"]): dict(row) for _, row in rows.iterrows()}


def year_table(context: PageContext, figures: pd.DataFrame, year: int) -> pd.DataFrame:
    """The year's figures (from `for_the_viewer`): indicator, value, unit, target, change from the year before."""
    t = context.t
    now, before = _year_rows(figures, year), _year_rows(figures, year - 1)
    rows = []
    for item in indicators():
        if item.key not in now:
            continue
        row, previous = now[item.key], before.get(item.key)
        hidden = bool(row["hidden"]) or (previous is not None and bool(previous["hidden"]))
        moved = "" if hidden or previous is None else _change(context, item, row["value"], previous["value"])[0]
        rows.append(
            {
                t("outcomes.column.indicator"): t(f"indicator.{item.key}"),
                t("outcomes.column.value"): figure_text(context, item, row["value"], bool(row["hidden"])),
                t("outcomes.column.target"): figure_text(context, item, row["target"], False),
                t("outcomes.column.change"): moved,
                # Last: on a phone the figures come first, the unit after a sideways scroll.
                "": t(f"indicator_unit.{item.unit}"),
            }
        )
    return pd.DataFrame(rows)


def years_table(context: PageContext, figures: pd.DataFrame) -> pd.DataFrame:
    """A compact table: an indicator a row, a school year a column (the partner profile's)."""
    t = context.t
    years = sorted({int(year) for year in figures["school_year"]})
    rows = []
    for item in indicators():
        mine = figures[figures["indicator"] == item.key]
        if mine.empty:
            continue
        row = {t("outcomes.column.indicator"): t(f"indicator.{item.key}")}
        for year in years:
            found = mine[mine["school_year"] == year]
            row[school_year_label(year)] = (
                "" if found.empty else figure_text(context, item, found.iloc[0]["value"], bool(found.iloc[0]["hidden"]))
            )
        rows.append(row)
    return pd.DataFrame(rows)


def show_table(table: pd.DataFrame, *, key: str) -> None:
    """Words and figures as text: a figure a viewer may not see is not in the table at all, only „< 5“."""
    st.dataframe(table, hide_index=True, width="stretch", key=key)


def masked_note(context: PageContext, figures: pd.DataFrame, *, charts: bool = False) -> None:
    """Why a figure reads „< 5“ (and, `charts`, why a point is missing), where one does."""
    if bool(figures["hidden"].any()):
        key = "outcomes.masked_note" if charts else "outcomes.masked_short"
        st.caption(context.t(key, threshold=small_number_threshold()))


def outcome_charts(context: PageContext, data: OutcomesData, filters: ActivityFilters) -> None:
    """Per indicator on record, its chart: target and achieved over the years, the activities under it."""
    present = set(data.figures["indicator"])
    for item in indicators():
        if item.key not in present:
            continue
        st.subheader(context.t(f"indicator.{item.key}"))
        chart_section(
            context,
            "outcomes",
            filters=filters,
            data=data,
            title=False,
            build={"indicator": item.key},
            file_prefix=f"{item.key.replace('_', '-')}-",
        )


def headline_cards(context: PageContext, figures: pd.DataFrame, year: int) -> None:
    """The Overview's few figures of the year (enrolled, dropped out, attendance, going on), each with its
    target and its change from the year before, unless it is hidden."""
    now, before = _year_rows(figures, year), _year_rows(figures, year - 1)
    shown = [key for key in HEADLINE if key in now]
    if not shown:
        return
    t = context.t
    st.subheader(t("outcomes.overview_heading", year=school_year_label(year)))
    for column, key in zip(st.columns(len(shown), border=True), shown, strict=True):
        item, row, previous = indicator(key), now[key], before.get(key)
        hidden = bool(row["hidden"]) or (previous is not None and bool(previous["hidden"]))
        moved, good = (
            ("", None) if hidden or previous is None else _change(context, item, row["value"], previous["value"])
        )
        column.metric(
            t(f"indicator.{key}"),
            figure_text(context, item, row["value"], bool(row["hidden"])),
            delta=moved[2:] if moved else None,
            delta_color="gray" if good is None else DELTA_COLORS[good],
            delta_arrow="off" if not moved or moved.startswith("=") else ("up" if moved.startswith("▲") else "down"),
        )
        if row["target"] is not None and row["target"] == row["target"]:
            column.caption(t("indicator.target_of", name=figure_text(context, item, row["target"], False)))


def overview_outcomes(context: PageContext, figures: pd.DataFrame) -> None:
    """The Overview's outcome cards: of the chosen year, or over all years of the newest year on record."""
    if figures.empty:
        return
    shown = for_the_viewer(figures)
    year = context.filters.school_year
    if year is None:
        year = int(shown["school_year"].max())
    headline_cards(context, shown, year)
    masked_note(context, shown[shown["school_year"].isin([year, year - 1])])


def partner_outcomes(context: PageContext, figures: pd.DataFrame) -> None:
    """The partner profile's compact table: the school's figures in the years of the partner's activities."""
    if figures.empty:
        return
    shown = for_the_viewer(figures)
    st.subheader(context.t("outcomes.partner_heading"))
    show_table(years_table(context, shown), key="partner_outcomes")
    st.caption(context.t("outcomes.partner_caption"))
    masked_note(context, shown)
