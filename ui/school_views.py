"""The network's tables: schools compared, a partner's schools; a row picked opens the school's profile."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from db.regions import BY_CODE
from ui.context import PageContext
from ui.state import url_params

SCHOOL_PROFILE_KEY = "profile"  # /schools?profile=<slug>: the school filter itself is `school`


def school_profile_params(slug: str) -> dict[str, list[str]]:
    """The URL parameters of a school's profile, keeping the language and filters."""
    return {**url_params(), SCHOOL_PROFILE_KEY: [slug]}


def region_name(code: str, lang: str) -> str:
    region = BY_CODE.get(code)
    return region.name(lang) if region is not None else code


def schools_table(context: PageContext, schools: pd.DataFrame, *, key: str) -> None:
    """Schools (`schools_compared` or `partner_schools`) as a table: a heading sorts by its column, a row
    picked opens the school's profile."""
    t, lang = context.t, context.lang
    counts = [column for column in ("activities", "partners", "pupils") if column in schools]
    shown = pd.DataFrame(
        {
            "school": schools["short_name"].astype(str),
            **({"city": schools["city"].astype(str)} if "city" in schools else {}),
            "region": [region_name(code, lang) for code in schools["region"]],
            **{column: schools[column].astype("int64") for column in counts},
        }
    )
    picked = st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        key=key,
        on_select="rerun",
        selection_mode="single-row",
        column_config={
            "school": st.column_config.TextColumn(t("chart.school"), width="large"),
            "city": st.column_config.TextColumn(t("field.city")),
            "region": st.column_config.TextColumn(t("chart.region")),
            "activities": st.column_config.NumberColumn(t("chart.activities"), format="%d"),
            "partners": st.column_config.NumberColumn(t("chart.partners"), format="%d"),
            "pupils": st.column_config.NumberColumn(t("chart.pupils"), format="%d"),
        },
    )
    st.caption(t("network.open_school"))
    rows = picked.selection.rows if picked is not None else []
    if rows:
        slug = str(schools["slug"].iloc[rows[0]])
        st.switch_page("pages/schools.py", query_params=school_profile_params(slug))
