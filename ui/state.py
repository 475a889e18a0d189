"""The shared filters and the language: sidebar widgets kept in step with the URL.

Widgets are created in `dashboard.py` before the page runs, so their values survive
page switches. Each run seeds them from the URL the first time and writes them back
afterwards, so a view can be shared as a link and survives a refresh. Values that
stop being valid (a partner that was removed) are dropped rather than shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from db.filters import ActivityFilters
from db.school_year import parse_school_year, school_year_label, school_year_of
from i18n import DEFAULT_LANGUAGE, Translator
from i18n.languages import language, language_codes
from ui import url_values

LANG_KEY = "lang"
YEAR_KEY = "year"
ORGANIZATIONS_KEY = "org"
TYPES_KEY = "type"
SCHOOLS_KEY = "school"  # a network's schools, by slug (migration 0011); no such filter with one school
ALL_YEARS = "all"
FILTER_KEYS = (YEAR_KEY, SCHOOLS_KEY, ORGANIZATIONS_KEY, TYPES_KEY)


def year_option(start_year: int) -> str:
    """The URL form of a school year: `2023-2024`."""
    return school_year_label(start_year).replace("/", "-")


def default_year(today: date | None = None) -> str:
    return year_option(school_year_of(today or date.today()))


def year_options(years_on_record: Iterable[int], today: date | None = None) -> list[str]:
    """The current school year, every year on record (newest first), then all years."""
    years = set(years_on_record) | {school_year_of(today or date.today())}
    return [year_option(y) for y in sorted(years, reverse=True)] + [ALL_YEARS]


def _seed(key: str, options: Sequence[str], default: Any, *, many: bool) -> None:
    """Give the widget `key` its value: kept if still valid, else from the URL, else the default."""
    if key in st.session_state:
        current = st.session_state[key]
        if many:
            st.session_state[key] = [v for v in current if v in options]
        elif current not in options:
            st.session_state[key] = default
        return
    if many:
        st.session_state[key] = list(dict.fromkeys(v for v in url_values.every(key) if v in options))
    else:
        value = url_values.last(key)
        st.session_state[key] = value if value in options else default


def _publish(key: str, value: Any, default: Any) -> None:
    if value == default or value == []:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get_all(key) != (value if isinstance(value, list) else [value]):
        st.query_params[key] = value


def language_switch() -> str:
    """The language chosen in the sidebar (Bulgarian unless the URL or the user says otherwise)."""
    codes = language_codes()
    _seed(LANG_KEY, codes, DEFAULT_LANGUAGE, many=False)
    st.sidebar.radio(
        "Език / Language",
        codes,
        key=LANG_KEY,
        format_func=lambda code: language(code).label,
        horizontal=True,
        label_visibility="collapsed",
    )
    lang = str(st.session_state[LANG_KEY])
    _publish(LANG_KEY, lang, DEFAULT_LANGUAGE)
    return lang


def _reset_filters(default: str) -> None:
    st.session_state[YEAR_KEY] = default
    st.session_state[SCHOOLS_KEY] = []
    st.session_state[ORGANIZATIONS_KEY] = []
    st.session_state[TYPES_KEY] = []


def filter_sidebar(
    t: Translator,
    *,
    years_on_record: Iterable[int],
    organizations: pd.DataFrame,
    type_names: dict[str, str],
    schools: pd.DataFrame | None = None,
) -> ActivityFilters:
    """The shared filters: school year, schools (`school_list`: asked only when there are several),
    partners (`organization_choices`), types (code -> name)."""
    short_names = dict(zip(organizations["slug"], organizations["short_name"], strict=True))
    ids = dict(zip(organizations["slug"], organizations["id"], strict=True))
    schools = schools if schools is not None and len(schools) > 1 else None
    school_names = {} if schools is None else dict(zip(schools["slug"], schools["short_name"], strict=True))
    school_ids = {} if schools is None else dict(zip(schools["slug"], schools["id"], strict=True))
    years = year_options(years_on_record)
    default = default_year()
    _seed(YEAR_KEY, years, default, many=False)
    _seed(SCHOOLS_KEY, list(school_names), [], many=True)
    _seed(ORGANIZATIONS_KEY, list(short_names), [], many=True)
    _seed(TYPES_KEY, list(type_names), [], many=True)

    sidebar = st.sidebar
    sidebar.subheader(t("filters.title"))
    sidebar.selectbox(
        t("filters.school_year"),
        years,
        key=YEAR_KEY,
        format_func=lambda y: t("filters.all_years") if y == ALL_YEARS else y.replace("-", "/"),
    )
    if school_names:
        sidebar.multiselect(
            t("filters.schools"),
            list(school_names),
            key=SCHOOLS_KEY,
            format_func=lambda slug: school_names.get(slug, slug),
            placeholder=t("filters.all_schools"),
            select_all=False,  # as below
        )
    sidebar.multiselect(
        t("filters.organizations"),
        list(short_names),
        key=ORGANIZATIONS_KEY,
        format_func=lambda slug: short_names.get(slug, slug),
        placeholder=t("filters.all_organizations"),
        select_all=False,  # Streamlit's "Select all" is English only (README, known English texts)
    )
    sidebar.multiselect(
        t("filters.types"),
        list(type_names),
        key=TYPES_KEY,
        format_func=lambda code: type_names.get(code, code),
        placeholder=t("filters.all_types"),
        select_all=False,  # as above
    )
    sidebar.button(
        t("filters.reset"),
        on_click=_reset_filters,
        args=(default,),
        icon=":material/filter_alt_off:",
        width="stretch",
    )

    year = str(st.session_state[YEAR_KEY])
    _publish(YEAR_KEY, year, default)
    _publish(SCHOOLS_KEY, list(st.session_state[SCHOOLS_KEY]), [])
    _publish(ORGANIZATIONS_KEY, list(st.session_state[ORGANIZATIONS_KEY]), [])
    _publish(TYPES_KEY, list(st.session_state[TYPES_KEY]), [])
    return ActivityFilters(
        school_year=None if year == ALL_YEARS else parse_school_year(year),
        organization_ids=tuple(int(ids[slug]) for slug in st.session_state[ORGANIZATIONS_KEY]),
        type_codes=tuple(st.session_state[TYPES_KEY]),
        school_ids=tuple(int(school_ids[slug]) for slug in st.session_state[SCHOOLS_KEY]),
    )


def url_params() -> dict[str, list[str]]:
    """The language and filters as URL parameters, for links that keep the current view."""
    params = {}
    for key in (LANG_KEY, *FILTER_KEYS):
        values = st.query_params.get_all(key)
        if values:
            params[key] = values
    return params
