"""Pieces of pages that more than one page shows: figures, activity lists and tables, details."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from db.privacy import CHILD_FIGURES
from db.school_year import a_year_before, school_year_label
from db.transfer import listed_activities, to_csv_bytes, to_xlsx_bytes
from i18n.formatting import (
    change,
    format_count,
    format_date_long,
    format_number,
    format_period,
    hides,
    table_date_format,
)
from ui.activity_details import open_button, open_selected
from ui.context import PageContext
from ui.safe import md, web_link
from ui.styles import ACTIVITY_CARD_KEY

DELTA_COLORS = {"up": "green", "down": "red", "same": "gray"}
TABLE_MIME = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv"}


def period_page_header(context: PageContext, title: str) -> None:
    """A page's title and period; on an empty database, how to start, and the page stops there."""
    st.title(title)
    st.caption(context.period_label())
    if not context.has_records:
        empty_database(context)
        st.stop()


def empty_database(context: PageContext) -> None:
    """What a fresh, empty database shows instead of charts: how to start."""
    t = context.t
    st.info(t("empty.title"), icon=":material/database:")
    st.markdown(t("empty.how"))
    st.code(".venv/bin/python -m db demo", language="bash")  # as the README writes it
    st.markdown(t("empty.real_records"))


def nothing_matches(context: PageContext) -> None:
    st.info(context.t("empty.no_match"), icon=":material/filter_alt:")


def headline_metrics(
    context: PageContext,
    figures: dict[str, int],
    previous: dict[str, int] | None,
    to_date: bool = False,
    keys: tuple[str, ...] = ("activities", "partners", "participants", "pupils"),
) -> None:
    """The figures, each with its change against the previous school year where there is one, and which year that is."""
    t, lang = context.t, context.lang
    labels = {key: t(f"figures.{key}") for key in keys}
    compared_with = "" if previous is None else comparison_label(context, to_date)
    for column, (key, label) in zip(st.columns(len(labels), border=True), labels.items(), strict=True):
        # Pupils are children: a small number is `< 5`, and no change is given that would tell it (db.privacy).
        hidden = key in CHILD_FIGURES and (hides(figures[key]) or (previous is not None and hides(previous[key])))
        moved = None if previous is None or hidden else change(figures[key], previous[key], lang)
        column.metric(
            label,
            format_count(figures[key], lang) if key in CHILD_FIGURES else format_number(figures[key], lang),
            # Written as on the slides and in the files (`−2`, a real minus): the arrow and colour are set here,
            # since Streamlit reads the direction only from a leading hyphen.
            delta=None if moved is None else moved.text,
            delta_color="gray" if moved is None else DELTA_COLORS[moved.direction],
            delta_arrow="off" if moved is None or moved.direction == "same" else moved.direction,
            help=None if previous is None else t("figures.delta_to_date" if to_date else "figures.delta_help"),
        )
        if compared_with:
            column.caption(compared_with)


def comparison_label(context: PageContext, to_date: bool) -> str:
    """What a change is measured against, for the card itself: a hover is not something a director does.

    `спрямо 2025/2026 до 2 дек. 2025 г.` for the year in progress, `спрямо 2022/2023` for a past one;
    empty for all years, which have nothing to compare with.
    """
    year = context.filters.school_year
    if year is None:
        return ""
    previous = school_year_label(year - 1)
    if to_date:
        day = format_date_long(a_year_before(context.today()), context.lang)
        return context.t("figures.compared_to_date", year=previous, day=day)
    return context.t("figures.compared", year=previous)


def activity_cards(context: PageContext, activities: pd.DataFrame, empty_text: str, *, key: str) -> None:
    """A short list of activities: date, title, type and partners, each opening its details."""
    t, lang = context.t, context.lang
    if activities.empty:
        st.caption(empty_text)
        return
    for row in activities.itertuples():
        details = [
            format_period(row.start_date, row.end_date, lang),
            context.type_names.get(row.type_code, row.type_code),
            row.organizations or "",
        ]
        if row.status != "held":
            details.append(t(f"status.{row.status}"))
        facts = " · ".join(md(d) for d in details if d)
        # Three elements a card (a room of viewers pays for each one sent): the title and the facts in
        # one text, the facts small and faded as a caption (ui/styles.py: no colour directive, which
        # would look like one made from stored text); the button beside them, not under them.
        with st.container(
            border=True,
            horizontal=True,
            wrap=False,
            vertical_alignment="center",
            gap="small",
            key=f"{ACTIVITY_CARD_KEY}{key}_{row.id}",
        ):
            st.markdown(f"**{md(row.title)}**  \n:small[{facts}]", width="stretch")
            open_button(context, int(row.id), key=f"{key}_{row.id}")


def activity_table(context: PageContext, activities: pd.DataFrame, *, key: str) -> None:
    """The activities as a sortable table, with dates and numbers as the user's language writes them.

    The browser formats the cells (`st.column_config`): dates by the language's pattern, counts as
    whole numbers without a separator (`1234` reads the same in both languages; `1,234` would read
    as a fraction in Bulgarian), and a missing value as an empty cell. The values stay dates and
    numbers, so the columns sort as such; no pandas Styler, which cost ~130 ms a run for 500 rows.
    """
    t, lang = context.t, context.lang
    table = pd.DataFrame(
        {
            "start_date": pd.to_datetime(activities["start_date"]),
            "end_date": pd.to_datetime(activities["end_date"]),
            "title": activities["title"],
            "type": _each_once(activities["type_code"], lambda c: context.type_names.get(c, c)),
            "status": _each_once(activities["status"], lambda s: t(f"status.{s}")),
            "organizations": activities["organizations"],
            "location": activities["location"],
            "participants": activities["participants"].astype("Int64"),
            # Text, for `< 5` (db.privacy); right-aligned like the numbers beside it.
            "pupils_reached": _each_once(activities["pupils_reached"].astype("Int64"), lambda n: _count_text(n, lang)),
            "news_url": _each_once(activities["news_url"], lambda u: web_link(u) or ""),
        }
    )
    day, count = table_date_format(lang), "%d"
    st.caption(t("activities.row_hint"))
    # Streamlit keeps a keyed table's selected row numbers when its rows change (a search, another
    # year): the key names the rows listed, so a new list starts with nothing selected.
    listed = hashlib.blake2b(",".join(map(str, activities["id"])).encode(), digest_size=6).hexdigest()
    state = st.dataframe(
        table,
        key=f"{key}_{listed}",
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        placeholder="",  # a one-day activity has no end date: an empty cell, not "None"
        column_config={
            "start_date": st.column_config.DateColumn(t("table.date"), format=day, width=105),
            "end_date": st.column_config.DateColumn(t("table.end_date"), format=day, width=105),
            "title": st.column_config.TextColumn(t("table.title"), width="large"),
            "type": t("table.type"),
            "status": t("table.status"),
            "organizations": t("table.organizations"),
            "location": t("table.location"),
            "participants": st.column_config.NumberColumn(t("table.participants"), format=count),
            "pupils_reached": st.column_config.TextColumn(t("table.pupils"), alignment="right"),
            "news_url": st.column_config.LinkColumn(t("table.link"), display_text=t("table.open_link")),
        },
    )
    open_selected(activities, list(state.selection.rows), key=key)
    table_downloads(context, activities, key=key)


def _count_text(value: Any, lang: str) -> str:
    return "" if pd.isna(value) else format_count(int(value), lang)


def _each_once(values: pd.Series, name: Callable[[Any], str]) -> pd.Series:
    """`values` mapped through `name`, called once per distinct value rather than once per row."""
    return values.map({value: name(value) for value in values.unique()})


def downloaded_rows(activities: pd.DataFrame, type_names: dict[str, str], lang: str) -> pd.DataFrame:
    """A listing's rows as its download holds them: like the table, a small number of pupils is `< 5`
    (db.privacy); the numbers stay numbers otherwise."""
    listed = listed_activities(activities, type_names, lang=lang)
    listed["pupils_reached"] = [format_count(n, lang) if hides(n) else n for n in listed["pupils_reached"]]
    return listed


def table_downloads(context: PageContext, activities: pd.DataFrame, *, key: str) -> None:
    """The listed rows as .xlsx and .csv, written safely for Excel (db.transfer.exporting).

    They stand in for the table's own "Download as CSV", switched off (`client.disableDataExport`
    in .streamlit/config.toml) because it writes `=HYPERLINK(…)` in a title as a live formula.
    """
    t, lang = context.t, context.lang

    def rows() -> pd.DataFrame:
        return downloaded_rows(activities, context.type_names, lang)

    name = f"{t('activities.file_name')}-{date.today().isoformat()}"
    with st.container(horizontal=True, gap="small"):
        for fmt, write in (("xlsx", lambda: to_xlsx_bytes({"activities": rows()}, lang)),
                           ("csv", lambda: to_csv_bytes(rows(), lang))):  # fmt: skip
            # A callable runs only when the button is pressed, not on every rerun of the page:
            # the rows are put in the file's columns then too.
            st.download_button(
                t(f"activities.download_{fmt}"),
                write,
                file_name=f"{name}.{fmt}",
                mime=TABLE_MIME[fmt],
                icon=":material/download:",
                on_click="ignore",
                type="tertiary",
                key=f"{key}_download_{fmt}",
            )
