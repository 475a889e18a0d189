"""Partners: a searchable directory, and a profile for each partner at `?partner=<slug>`."""

import streamlit as st

from charts.partner_network import NETWORK_PICK
from db import queries
from db.filters import ActivityFilters
from i18n.formatting import format_date, format_date_long, format_number
from ui import attachments, url_values, views
from ui.chart_views import chart_section
from ui.context import page_context
from ui.data import read
from ui.outcome_views import partner_outcomes
from ui.safe import md, web_link
from ui.school_views import schools_table
from ui.schools import is_network
from ui.state import url_params

PROFILE_KEY = "partner"
DIRECTORY_PAGE_SIZE = 60

context = page_context()
t, lang = context.t, context.lang


def profile_link_params(slug: str) -> dict[str, list[str]]:
    return {**url_params(), PROFILE_KEY: [slug]}


def directory() -> None:
    st.title(t("partners.title"))
    if not context.has_records:
        views.empty_database(context)
        return
    search, kind, focus = st.columns([2, 1, 1])
    query = search.text_input(t("partners.search"), key="partner_search", placeholder=t("partners.search_hint"))
    kind_code = kind.selectbox(
        t("partners.kind"),
        [None, *context.kind_names],
        format_func=lambda c: t("partners.any_kind") if c is None else context.kind_names[c],
        key="partner_kind",
    )
    focus_code = focus.selectbox(
        t("partners.focus"),
        [None, *context.focus_names],
        format_func=lambda c: t("partners.any_focus") if c is None else context.focus_names[c],
        key="partner_focus",
    )
    found = read(queries.partner_directory, search=query, kind_code=kind_code, focus_code=focus_code)
    if found.empty:
        st.info(t("partners.none_found"), icon=":material/search_off:")
        return
    st.caption(t("partners.count", count=format_number(len(found), lang)))
    shown = found.head(DIRECTORY_PAGE_SIZE)
    rows = [shown.iloc[start : start + 3] for start in range(0, len(shown), 3)]
    cards = [column for row in rows for column in st.columns(3)][: len(shown)]
    for card, partner in zip(cards, shown.itertuples(), strict=True):
        with card.container(border=True, height="stretch"):
            st.page_link(
                "pages/partners.py",
                label=md(partner.short_name),
                icon=":material/account_circle:",
                query_params=profile_link_params(partner.slug),
            )
            st.caption(md(partner.name))
            facts = [context.kind_names.get(partner.kind_code, partner.kind_code)]
            if partner.city:
                facts.append(partner.city)
            if not partner.is_active:
                facts.append(t("partners.inactive"))
            st.markdown(" · ".join(md(f) for f in facts))
            if partner.activities:
                st.caption(
                    t(
                        "partners.activity_summary",
                        count=format_number(partner.activities, lang),
                        last=format_date(partner.last_activity, lang),
                    )
                )
            else:
                st.caption(t("partners.no_activities"))
    if len(found) > len(shown):
        st.caption(t("partners.more", shown=len(shown), count=len(found)))


def who_works_with_whom() -> None:
    """The partner network in the shared filters; a click on a partner's circle opens its profile."""
    network = read(queries.partner_network, context.filters)
    if network.edges.empty:
        st.subheader(t("chart_title.partner_network"))
        st.info(t("partners.network_empty"), icon=":material/hub:")
        return
    chosen, _ = chart_section(
        context, "partner_network", on_select="rerun", selection_mode=NETWORK_PICK, key="partner_network_chart"
    )
    notes = [t("partners.network_hint")]
    if network.partners > len(network.nodes):
        notes.append(
            t(
                "partners.network_more",
                shown=format_number(len(network.nodes), lang),
                count=format_number(network.partners, lang),
            )
        )
    st.caption(" ".join(notes))
    picked = [str(p["slug"]) for p in (chosen.selection.get(NETWORK_PICK, []) if chosen else [])]
    if picked:
        # The profile is an address (`?partner=`), so that a reload or a copied link keeps it.
        address_shows(picked[0])
        st.rerun()


def profile(slug: str) -> None:
    st.page_link("pages/partners.py", label=t("partners.back"), icon=":material/arrow_back:", query_params=url_params())
    partner = read(queries.partner_profile, slug)
    if partner is None:
        st.title(t("partners.title"))
        st.warning(t("partners.not_found"), icon=":material/person_off:")
        return
    st.title(md(partner["name"]))
    facts = [context.kind_names.get(partner["kind_code"], partner["kind_code"])]
    if partner["city"]:
        facts.append(partner["city"])
    facts.append(t("partners.active") if partner["is_active"] else t("partners.inactive"))
    st.caption(" · ".join(md(f) for f in facts))
    if partner["is_demo"]:
        st.caption(t("details.demo"))

    about, contacts = st.columns([3, 2])
    with about:
        st.subheader(t("partners.mission"))
        st.markdown(md(partner["mission"]) if partner["mission"] else t("partners.no_mission"))
        if partner["focus_codes"]:
            st.markdown(
                f"**{t('partners.focus')}:** "
                + ", ".join(md(context.focus_names.get(c, c)) for c in partner["focus_codes"])
            )
    with contacts:
        st.subheader(t("partners.contacts"))
        lines = []
        if partner["contact_person"]:
            lines.append(f"{t('partners.contact_person')}: {md(partner['contact_person'])}")
        if partner["email"]:
            lines.append(f"{t('partners.email')}: {md(partner['email'])}")
        if partner["phone"]:
            lines.append(f"{t('partners.phone')}: {md(partner['phone'])}")
        website = web_link(partner["website"])
        if website:
            lines.append(f"{t('partners.website')}: {md(website)}")
        since = partner["partner_since"] or partner["first_activity"]
        if since:
            key = "partners.since" if partner["partner_since"] else "partners.first_activity"
            lines.append(f"{t(key)}: {format_date_long(since, lang)}")
        st.markdown("  \n".join(lines) if lines else t("partners.no_contacts"))
        if website:
            st.link_button(t("partners.open_website"), website, icon=":material/open_in_new:")

    own = context.filters.with_organizations(partner["id"])
    st.subheader(t("partners.figures", period=context.period_label()))
    figures = read(queries.figures_with_comparison, own, today=context.today())
    views.headline_metrics(context, *figures, keys=("activities", "participants", "pupils"))
    if is_network():
        st.subheader(t("partners.schools"))
        schools = read(queries.partner_schools, own)
        if schools.empty:
            st.caption(t("partners.no_schools"))
        else:
            schools_table(context, schools, key="partner_schools")
    partner_outcomes(context, read(queries.partner_outcomes, context.filters, partner["id"]))
    attachments.partner_gallery(context, own)

    if own.school_year is None:
        history(partner["slug"], own)
        return
    # The chosen period first, in the order it happened: "what did we do with them that year"
    # is answered without scrolling past other years' plans. The rest of the story on request.
    st.subheader(t("partners.period_activities", period=context.period_label()))
    in_period = read(queries.activity_list, own, newest_first=False)
    if in_period.empty:
        st.caption(t("partners.no_period_activities"))
    else:
        views.activity_table(context, in_period, key="partner_period_activities")
    with st.expander(t("partners.whole_history"), icon=":material/history:"):
        history(partner["slug"], own.all_years())


def history(slug: str, whole_history: ActivityFilters) -> None:
    """Every year with the partner: by school year, on a timeline, and every activity, newest first."""
    st.subheader(t("partners.history"))
    by_year = read(queries.activities_by_school_year, whole_history)
    if by_year.empty:
        st.caption(t("partners.no_activities"))
        return
    prefix = f"{slug}-"
    chart_section(context, "by_school_year", filters=whole_history, title=False, file_prefix=prefix)
    chart_section(context, "timeline", filters=whole_history, title=False, file_prefix=prefix, build={"lane": "type"})
    st.subheader(t("partners.activities"))
    views.activity_table(context, read(queries.activity_list, whole_history), key="partner_activities")


def address_shows(slug: str | None) -> None:
    """Make the address name what is shown: this partner's profile, or (None) the directory.

    A page link to the page already open changes what the script sees but not always the
    browser's address bar, so a reload, a change of year or a copied link went back to the
    partner shown before. Writing the parameters on every run sends the address to the browser.
    """
    if slug is None:
        st.query_params.pop(PROFILE_KEY, None)
        st.query_params.update()  # sent even when the script never saw the old value
    else:
        st.query_params[PROFILE_KEY] = slug


slug = url_values.last(PROFILE_KEY)
if slug and context.has_records:
    address_shows(slug)
    profile(slug)
else:
    address_shows(None)
    directory()
    if context.has_records:
        # Below the directory, which stays where people come to find a partner; the network follows the
        # shared filters (the directory lists every partner).
        who_works_with_whom()
