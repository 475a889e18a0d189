"""Presentation: the current filters as slides for a projector, one slide at a time.

`ui.slides` decides which slides there are, `ui.slide_views` draws them and `ui.presenter`
holds the controls and the URL. No HTML anywhere on this page.
"""

import streamlit as st

from db import queries
from ui import presenter, slide_views, slides, views
from ui.context import page_context
from ui.data import read

context = page_context()
filters = context.filters
t = context.t
# A projector wants the whole width: the sidebar starts closed here (its arrow still opens it).
st.set_page_config(initial_sidebar_state="collapsed")

if not context.has_records:
    views.period_page_header(context, t("slides.page.title"))  # explains how to start, and stops the page

by_organization = read(queries.activities_by_organization, filters)
figures, previous, to_date = read(queries.figures_with_comparison, filters, today=context.today())
_events, event_total = read(queries.timeline_events, filters, limit=slide_views.EVENT_LIMIT)
partners = slides.active_partners(by_organization)
choices = presenter.seed_choices(partners)
deck = slides.build_slides(figures=figures, partners=list(partners), events=event_total, choices=choices)

if figures["activities"] == 0 and event_total == 0:
    st.title(t("slides.page.title"), anchor=False)
    st.caption(context.period_label())
    views.nothing_matches(context)
    st.stop()

if not deck:
    st.title(t("slides.page.title"), anchor=False)
    st.info(t("slides.deck.no_kinds"), icon=":material/slideshow:")
    presenter.settings(t, partners)
    presenter.publish_choices(choices)
    st.stop()

number, slide = presenter.current_slide(deck)
presenter.navigation(t, number, len(deck), choices.auto_seconds)
slide_views.draw_slide(
    context,
    slide,
    partners=partners,
    partner_order=choices.partner_order,
    figures=figures,
    previous=previous,
    to_date=to_date,
)
st.divider()
presenter.settings(t, partners)
presenter.publish(slides.SLIDE_PARAM, str(number))
presenter.publish_choices(choices)
if choices.auto_seconds and len(deck) > 1:
    presenter.auto_advance(choices.auto_seconds, number, len(deck))
