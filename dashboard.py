"""Entry point: page set-up, language, shared filters and navigation. Run with `streamlit run dashboard.py`."""

from pathlib import Path

import streamlit as st

from charts.renderer import start_renderer
from db import queries
from db.access import ANONYMOUS
from i18n import translator
from ui import presenter
from ui.activity_details import activity_dialog
from ui.auth import account_sidebar, current_actor, login_required
from ui.context import PageContext, old_overview_address, page_context, set_page_context, vocabulary_names
from ui.data import note_data_revision, read
from ui.schools import is_network, whose
from ui.state import filter_sidebar, language_switch
from ui.styles import language_styles
from ui.turns import script_turn
from ui.uploads import bound_uploads

with script_turn():  # a room of viewers: runs take turns (ui/turns.py)
    bound_uploads()
    masthead = st.sidebar.container()
    lang = language_switch()
    t = translator(lang)
    st.set_page_config(page_title=t("app.title"), page_icon=":material/handshake:", layout="wide")
    actor = current_actor()
    # DASHBOARD_REQUIRE_LOGIN: before sign-in nothing of the record is read or shown, not even in the sidebar
    # (partners in the filters, years on record): only the language switch, the title and the sign-in form.
    locked = login_required() and actor is ANONYMOUS
    editing = "visible" if actor.can("editor") else "hidden"
    network = "visible" if not locked and is_network() else "hidden"

    overview = st.Page(
        # The default page lives at "/", whatever its url_path; "home" only names it (its script hash),
        # so that /overview stays free for the alias below.
        "pages/overview.py",
        title=t("nav.overview"),
        icon=":material/dashboard:",
        url_path="home",
        default=True,
    )
    pages = st.navigation(
        [
            overview,
            old_overview_address(overview),
            st.Page("pages/partners.py", title=t("nav.partners"), icon=":material/groups:", url_path="partners"),
            st.Page("pages/timeline.py", title=t("nav.timeline"), icon=":material/timeline:", url_path="timeline"),
            st.Page(
                "pages/activities.py", title=t("nav.activities"), icon=":material/bar_chart:", url_path="activities"
            ),
            st.Page("pages/outcomes.py", title=t("nav.outcomes"), icon=":material/insights:", url_path="outcomes"),
            # A network's screens (migration 0011): in the menu only when the record holds several schools.
            st.Page(
                "pages/network.py",
                title=t("nav.network"),
                icon=":material/hub:",
                url_path="network",
                visibility=network,
            ),
            st.Page(
                "pages/schools.py",
                title=t("nav.schools"),
                icon=":material/school:",
                url_path="schools",
                visibility=network,
            ),
            st.Page(
                "pages/presentation.py",
                title=t("nav.presentation"),
                icon=":material/co_present:",
                url_path="presentation",
            ),
            st.Page(
                "pages/data.py", title=t("nav.data"), icon=":material/edit_note:", url_path="data", visibility=editing
            ),
        ],
        position="hidden" if locked else "sidebar",
    )

    language_styles(t)
    if not (pages.url_path == "presentation" and presenter.projecting()):
        # The projector view shows the slide alone: no logo over it.
        st.logo(str(Path(__file__).parent / "assets" / "logo.svg"), size="large")
    if locked:
        masthead.markdown(f"**{t('app.title')}**")
        account_sidebar(t)
        st.title(t("app.title"))
        st.info(t("auth.required"), icon=":material/lock:")
        st.stop()
    # The chart pictures' process (charts/renderer.py) starts its engine now, on the other core, so that the
    # first PNG, SVG, deck or report does not wait for it; this run does not (a no-op once it runs).
    start_renderer()
    note_data_revision()  # once a run: what the cached reads below are keyed on
    organizations = read(queries.organization_choices)
    type_names = vocabulary_names(read(queries.activity_types), lang)
    filters = filter_sidebar(
        t,
        years_on_record=read(queries.school_years),
        organizations=organizations,
        type_names=type_names,
        schools=read(queries.school_list),
    )
    masthead.markdown(f"**{t('app.title')}**  \n{whose(t, filters, lang)}")
    account_sidebar(t)
    counts = read(queries.record_counts)
    set_page_context(
        PageContext(
            lang=lang,
            t=t,
            filters=filters,
            type_names=type_names,
            kind_names=vocabulary_names(read(queries.partner_kinds), lang),
            focus_names=vocabulary_names(read(queries.focus_areas), lang),
            organizations=organizations,
            has_records=counts["partners"] + counts["activities"] > 0,
        )
    )
    activity_dialog(page_context())  # `?activity=` opens its details over whichever page
    pages.run()
