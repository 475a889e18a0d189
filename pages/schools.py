"""Schools of the network: a list, and a profile for each school at `?profile=<slug>`."""

from dataclasses import replace

import streamlit as st

from db import queries
from ui import url_values, views
from ui.chart_views import chart_section
from ui.context import page_context
from ui.data import read
from ui.safe import md, web_link
from ui.school_views import SCHOOL_PROFILE_KEY, region_name, schools_table
from ui.state import url_params

context = page_context()
t, lang = context.t, context.lang


def school_list() -> None:
    st.title(t("schools.title"))
    if not context.has_records:
        views.empty_database(context)
        return
    schools_table(context, read(queries.schools_compared, context.filters.with_schools()), key="school_list")


def profile(slug: str) -> None:
    st.page_link("pages/schools.py", label=t("schools.back"), icon=":material/arrow_back:", query_params=url_params())
    school = read(queries.school_detail, slug)
    if school is None:
        st.title(t("schools.title"))
        st.warning(t("schools.not_found"), icon=":material/domain_disabled:")
        return
    st.title(md(school["name"]))
    facts = [t(f"school_kind.{school['kind']}")]
    place = ", ".join(md(p) for p in dict.fromkeys((school["city"], school["municipality"])) if p)
    if place:
        facts.append(place)
    if school["region"]:
        facts.append(t("schools.region", region=region_name(school["region"], lang)))
    st.caption(" · ".join(facts))
    website = web_link(school["website"])
    if website:
        st.link_button(t("partners.open_website"), website, icon=":material/open_in_new:")
    if school["is_demo"]:
        st.caption(t("details.demo"))

    own = context.filters.with_schools(int(school["id"]))
    here = replace(context, filters=own)
    st.subheader(t("partners.figures", period=context.period_label()))
    views.headline_metrics(here, *read(queries.figures_with_comparison, own, today=context.today()))
    st.subheader(t("schools.partners"))
    partners = read(queries.school_partners, own)
    if partners.empty:
        st.caption(t("schools.no_partners"))
    else:
        st.dataframe(
            partners[["short_name", "activities", "pupils"]],
            hide_index=True,
            width="stretch",
            column_config={
                "short_name": st.column_config.TextColumn(t("chart.partner"), width="large"),
                "activities": st.column_config.NumberColumn(t("chart.activities"), format="%d"),
                "pupils": st.column_config.NumberColumn(t("chart.pupils"), format="%d"),
            },
        )
    prefix = f"{school['slug']}-"
    chart_section(here, "by_organization", file_prefix=prefix)
    chart_section(here, "by_month", file_prefix=prefix)
    st.subheader(t("partners.activities"))
    views.activity_table(here, read(queries.activity_list, own, limit=200), key="school_activities")


slug = url_values.last(SCHOOL_PROFILE_KEY)
if slug and context.has_records:
    st.query_params[SCHOOL_PROFILE_KEY] = slug
    profile(slug)
else:
    st.query_params.pop(SCHOOL_PROFILE_KEY, None)
    school_list()
