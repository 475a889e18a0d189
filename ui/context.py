"""What every page needs to know about the current run: language, filters and vocabularies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st
from streamlit.navigation.page import StreamlitPage

from charts.builders import ChartText
from db.filters import ActivityFilters
from db.school_year import school_year_bounds, school_year_label
from i18n import Translator
from i18n.formatting import format_date
from i18n.vocabulary import term_names

_KEY = "_page_context"


@dataclass(frozen=True)
class PageContext:
    lang: str
    t: Translator
    filters: ActivityFilters
    type_names: dict[str, str]
    kind_names: dict[str, str]
    focus_names: dict[str, str]
    organizations: pd.DataFrame  # organization_choices()
    has_records: bool

    @property
    def chart_text(self) -> ChartText:
        return ChartText(self.t, self.lang, self.type_names)

    def period_label(self) -> str:
        """`учебна 2023/2024 година (15.09.2023 – 30.06.2024)`, or `всички години`."""
        year = self.filters.school_year
        if year is None:
            return self.t("period.all_years")
        first, last = school_year_bounds(year)
        return self.t(
            "period.school_year",
            year=school_year_label(year),
            first=format_date(first, self.lang),
            last=format_date(last, self.lang),
        )

    def today(self) -> date:
        return date.today()


def vocabulary_names(vocabulary: pd.DataFrame, lang: str) -> dict[str, str]:
    """code -> name in `lang` (see `term_names`), in the vocabulary's display order."""
    return term_names(vocabulary.itertuples(index=False, name=None), lang)


def set_page_context(context: PageContext) -> None:
    st.session_state[_KEY] = context


def page_context() -> PageContext:
    """The context `dashboard.py` prepared for this run."""
    if _KEY not in st.session_state:
        _run_entry_point_instead()
    return st.session_state[_KEY]  # type: ignore[no-any-return]


def old_overview_address(overview: StreamlitPage) -> StreamlitPage:
    """A hidden page at /overview that opens the Overview at "/", keeping the URL's parameters.

    The default page is always served at "/": Streamlit answers a request for its own url_path
    (`/overview?year=…`, shown in links of earlier versions) with the English dialog "Page not
    found … Running the app's main page." on any server that has already run `st.navigation`.
    """

    def open_overview() -> None:
        st.switch_page(overview, query_params={key: st.query_params.get_all(key) for key in st.query_params})

    return st.Page(open_overview, title=overview.title, url_path="overview", visibility="hidden")


def _run_entry_point_instead() -> None:
    """A page ran without `dashboard.py`: start the run again through the entry point.

    Until some session has called st.navigation, a server whose app has a `pages/`
    folder runs a page's URL as a legacy multipage app (the page file alone); see
    `PagesManager.uses_pages_directory` in streamlit/runtime/pages_manager.py and
    `_mpa_v1` in streamlit/runtime/scriptrunner/script_runner.py. That happens to the
    first visitor after a restart who opens a deep link such as /partners?partner=….
    """
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    st.rerun()
